"""The language a person reads RunRehab in: English or German, one per account.

The content of a language is a folder: ``data/`` is English, ``data/locales/de/`` German, file
for file (``words/today.toml``, ``exercises/step-down.toml``...), except the bibliography and the
developers' traceability (``ENGLISH_ONLY``), which every language reads in English.

The language of the work under way is a context variable (``current()``): the web app sets it
for each request from the signed-in account (or the browser's ``Accept-Language``), the command
line from ``--lang`` or ``RUNREHAB_LANG``. What asks for the shipped content or words without
naming a language gets the current one's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from functools import cache, lru_cache
from pathlib import Path

LANGUAGES: tuple[str, ...] = ("en", "de")
"""The languages RunRehab speaks, English first (the default and the fallback)."""
DEFAULT = "en"
UNITS: tuple[str, ...] = ("km", "mi")
"""How distances are shown: kilometres or miles (the data and the API keep kilometres)."""
DEFAULT_UNITS = "km"
ENGLISH_ONLY: frozenset[str] = frozenset({"sources.toml", "traceability.toml"})
"""Files every language reads in English: the bibliography and the developers' traceability."""

DATA = Path(__file__).parent / "data"

_current: ContextVar[str] = ContextVar("runrehab.content.locale", default=DEFAULT)
_units: ContextVar[str] = ContextVar("runrehab.content.units", default=DEFAULT_UNITS)


def current() -> str:
    """The language of the work under way ("en" unless set)."""
    return _current.get()


def use(language: str) -> Callable[[], None]:
    """Make ``language`` the current one for the rest of this context (a command); an unknown
    language is English. Returns what puts the one before back."""
    token = _current.set(language if language in LANGUAGES else DEFAULT)
    return lambda: _current.reset(token)


def units() -> str:
    """How the work under way shows distances: "km" (the default) or "mi"."""
    return _units.get()


def use_units(chosen: str) -> Callable[[], None]:
    """Show distances in ``chosen`` ("km" or "mi"; anything else is "km") from here on.
    Returns what puts the units before back."""
    token = _units.set(chosen if chosen in UNITS else DEFAULT_UNITS)
    return lambda: _units.reset(token)


@contextmanager
def using(language: str, chosen_units: str | None = None) -> Iterator[None]:
    """``language`` (and ``chosen_units``) the current ones inside the ``with`` block only."""
    token = _current.set(language if language in LANGUAGES else DEFAULT)
    kept = _units.set(chosen_units if chosen_units in UNITS else _units.get())
    try:
        yield
    finally:
        _units.reset(kept)
        _current.reset(token)


def data_folder(language: str) -> Path:
    """The content folder of ``language``: ``data`` for English, ``data/locales/<lang>``."""
    return DATA if language == DEFAULT else DATA / "locales" / language


def missing_files(folder: Path) -> list[str]:
    """The English content files a translation's ``folder`` lacks (``rules/engine.toml``...),
    the English-only ones aside."""
    english = (p.relative_to(DATA) for p in DATA.rglob("*.toml"))
    return sorted(
        str(rel)
        for rel in english
        if rel.parts[0] != "locales"
        and rel.name not in ENGLISH_ONLY
        and not (folder / rel).exists()
    )


@cache
def ready(language: str) -> bool:
    """Whether ``language`` can be offered: one RunRehab speaks whose content folder has every
    file (a language is all of the content or none of it). Until then its readers get English."""
    if language == DEFAULT:
        return True
    return language in LANGUAGES and not missing_files(data_folder(language))


def offered(language: str) -> str:
    """``language`` when it is ``ready``, else English."""
    return language if ready(language) else DEFAULT


def from_accept_language(header: str | None) -> str:
    """The language a browser asks for first among those RunRehab speaks
    (``Accept-Language: de-DE,de;q=0.9,en;q=0.8`` is "de"); English when none fits."""
    best, best_q = DEFAULT, 0.0
    for position, part in enumerate((header or "").split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        language = tag.strip().lower().split("-")[0]
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        q -= position * 1e-6  # equal weights: the earlier one
        if language in LANGUAGES and q > best_q:
            best, best_q = language, q
    return best


DAY_FORMATS: dict[str, tuple[str, str]] = {
    "en": ("EEE d MMM", "EEE d MMM y"),
    "de": ("EEE, d. MMM", "EEE, d. MMM y"),
}
"""The one way each language writes a day (CLDR patterns), without and with the year:
"Wed 2 Dec", "Wed 2 Dec 2026"; "Mi., 2. Dez.", "Mi., 2. Dez. 2026"."""


SHORT_FORMATS: dict[str, str] = {"en": "dd MMM", "de": "dd. MMM"}
"""A day within a report's weeks, without the weekday: "02 Mar"; "02. März"."""


def short_day_text(day: date, language: str | None = None) -> str:
    """``day`` without its weekday, as a compact label ("02 Mar")."""
    return _formatted(day, SHORT_FORMATS[language or current()], language or current())


def month_text(day: date, language: str | None = None) -> str:
    """The short name of ``day``'s month ("Mar"; "März")."""
    return _formatted(day, "MMM", language or current())


@lru_cache(maxsize=4096)
def _formatted(day: date, pattern: str, language: str) -> str:
    from babel.dates import format_date

    return format_date(day, pattern, locale=language)


def day_text(day: date, with_year: bool = False, language: str | None = None) -> str:
    """``day`` as people read it in ``language`` (default: the current one)."""
    return _day_text(day, with_year, language or current())


@lru_cache(maxsize=8192)
def _day_text(day: date, with_year: bool, language: str) -> str:
    from babel.dates import format_date  # only when a day is written: a slow import

    return format_date(day, DAY_FORMATS[language][with_year], locale=language)


def number_text(value: float, digits: int = 1, language: str | None = None) -> str:
    """A measured number in ``language``'s way, rounded to ``digits`` places and without
    trailing zeros: "5.2" in English, "5,2" in German."""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "#" * digits if digits > 0 else "")
    return format_decimal(round(value, digits), format=pattern, locale=language or current())
