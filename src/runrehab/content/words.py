"""Every word a person reads that is not clinical content: the product's own wording.

The words live in ``data/words/*.toml``, one file a subject (``today.toml``, ``accounts.toml``,
``cli.toml``...), as tables of texts. A text is named by its file and its place in the file:
``today.ask.checkin_today`` is the key ``checkin_today`` of the table ``[ask]`` of
``today.toml``. Code never writes a sentence a person reads: it asks for one by name, so the
web app, the PDF and the command line say the same thing, and another language is another
folder, not new code.

Two kinds of placeholder:

- ``{green_max_pain}`` (braces): a number of the protocol's settings, rendered when the words
  are loaded, as in every content file (:mod:`runrehab.content.placeholders`);
- ``$day`` or ``${day}`` (a dollar): a value the code gives when it asks
  (``words.say("today.ask.no_checkin", day="Wed 2 Dec")``); ``$$`` is a dollar sign.

A count is a table with ``one`` and ``other`` (``words.say_count("runs.found", n)``: "1 run",
"3 runs"), each given ``$n`` and the other values.

Asking for a key that does not exist, or giving a text other values than it names, raises
``MissingWords``: a test renders every key the code asks for.

Each language has its own folder of words (``content.locale``): ``shipped_words()`` are the
current language's, ``shipped_words("de")`` the German ones, each loaded once per process.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from string import Template
from typing import Any

from runrehab.content import locale
from runrehab.content.cache import cache_dir, write_atomically
from runrehab.errors import ContentError

WORDS = locale.DATA / "words"
_KEY_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")


class MissingWords(LookupError):
    """A key the words do not have, or values that do not fit its text."""


@dataclass(frozen=True, slots=True)
class Words:
    """The product's wording, by key, its settings' numbers already rendered."""

    texts: Mapping[str, str]
    _under: dict[str, dict[str, str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    """``under``'s answers, kept: it is asked on every "today", and scans every text."""

    def say(self, key: str, /, **values: object) -> str:
        """The text named ``key`` with ``values`` put in; ``MissingWords`` when there is no
        such key or the values are not exactly those the text names."""
        try:
            template = Template(self.texts[key])
        except KeyError:
            raise MissingWords(f"no words named {key!r}") from None
        names = set(template.get_identifiers())
        if names != set(values):
            raise MissingWords(f"{key!r} names {sorted(names)}, but was given {sorted(values)}")
        return template.substitute({k: str(v) for k, v in values.items()})

    def say_count(self, key: str, n: int, /, **values: object) -> str:
        """``key.one`` when ``n`` is 1, else ``key.other``, each given ``n`` as ``$n``."""
        return self.say(f"{key}.{'one' if n == 1 else 'other'}", n=n, **values)

    def has(self, key: str) -> bool:
        return key in self.texts

    def under(self, prefix: str) -> dict[str, str]:
        """The texts whose key starts with ``prefix.``, by the rest of their key."""
        kept = self._under.get(prefix)
        if kept is None:
            start = prefix + "."
            kept = {k[len(start) :]: v for k, v in self.texts.items() if k.startswith(start)}
            self._under[prefix] = kept
        return dict(kept)


def load_words(folder: Path, values: Mapping[str, str]) -> Words:
    """Every ``*.toml`` of ``folder``: checked (tables of texts, keys of lower-case letters,
    digits and underscores, valid ``$`` placeholders) and rendered from ``values`` (the
    settings' numbers). A problem is a ``ContentError`` naming the file and the place."""
    texts: dict[str, str] = {}
    prefix = "data/words" if folder == WORDS else _shown(folder)
    for path in sorted(folder.glob("*.toml")):
        name = f"{prefix}/{path.name}"
        try:
            parsed = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as err:
            raise ContentError(name, "TOML syntax", str(err)) from None
        for place, text in _texts(parsed, name, path.stem):
            texts[place] = _rendered(text, values, name, place)
    return Words(texts)


def _shown(folder: Path) -> str:
    try:
        return str(folder.relative_to(locale.DATA.parent))
    except ValueError:
        return str(folder)


def _texts(table: Mapping[str, Any], file: str, prefix: str) -> Iterator[tuple[str, str]]:
    for key, value in table.items():
        place = f"{prefix}.{key}"
        if not key or not set(key) <= _KEY_CHARS:
            raise ContentError(file, place, "a key is lower-case letters, digits and '_'")
        if isinstance(value, dict):
            yield from _texts(value, file, place)
        elif isinstance(value, str) and value.strip():
            yield place, value
        else:
            raise ContentError(file, place, "must be a text or a table of texts")


def _rendered(text: str, values: Mapping[str, str], file: str, place: str) -> str:
    # imported here: the cached words (``shipped_words``) need no protocol at all
    from runrehab.content.placeholders import UnknownPlaceholder, render

    try:
        rendered = render(text, values)
    except UnknownPlaceholder as err:
        raise ContentError(file, place, str(err)) from None
    template = Template(rendered)
    if not template.is_valid():
        raise ContentError(file, place, "a '$' that starts no name (write '$$' for a dollar)")
    return rendered


def shipped_words(language: str | None = None) -> Words:
    """The words shipped with RunRehab in ``language`` (default: the current one,
    ``content.locale``), rendered from the shipped protocol's settings."""
    return _shipped_words(language or locale.current())


@cache
def _shipped_words(language: str) -> Words:
    """Rendered once per change of the files and kept as JSON (``content.cache``): the command
    line loads its help texts at start, and rendering needs the protocol's settings, whose
    loader costs more import time than the whole ``--help`` should take. A translation lacking
    a file of the English words is a ``ContentError`` naming it."""
    folder = locale.data_folder(language) / "words"
    missing = [p.name for p in WORDS.glob("*.toml") if not (folder / p.name).exists()]
    if missing:
        raise ContentError(f"{_shown(folder)}/{sorted(missing)[0]}", "$", "not translated")
    english = [] if folder == WORDS else sorted(WORDS.glob("*.toml"))
    sources = [*sorted(folder.glob("*.toml")), *english, WORDS.parent / "protocol.toml"]
    stamp = "|".join(f"{p}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in sources)
    cached = cache_dir() / f"words-{hashlib.sha256(stamp.encode()).hexdigest()[:32]}.json"
    try:
        return Words(json.loads(cached.read_bytes()))
    except (OSError, ValueError):
        pass
    from runrehab.content.loader import placeholder_values

    words = load_words(folder, placeholder_values())
    if language != locale.DEFAULT:
        # a key added to the English since the translation (caught by the shape test) is read
        # in English rather than failing the page
        words = Words({**_shipped_words(locale.DEFAULT).texts, **words.texts})
    write_atomically(cached, json.dumps(dict(words.texts)).encode("utf-8"))
    return words
