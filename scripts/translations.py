"""The templates' own words: extract them, and bring each language's catalogue up to date.

    uv run python scripts/translations.py            # extract, then update every .po
    uv run python scripts/translations.py --check    # exit 1 when a .po lacks a translation

Extraction reads ``babel.cfg`` (the templates' ``{{ _("...") }}`` and ``{% trans %}``, and the
menu words of ``web/rendering.py``) into ``src/runrehab/web/translations/messages.pot``; each
language's ``<lang>/LC_MESSAGES/messages.po`` then gets the new words (without a translation,
and without guessing one from a similar word) and loses the ones no template uses. Translate
the empty ``msgstr`` entries by hand. Nothing is compiled: the app reads the ``.po`` itself
(``runrehab.web.i18n``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "src" / "runrehab" / "web" / "translations"
POT = TRANSLATIONS / "messages.pot"
LANGUAGES = ("de",)


def pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *args])


def extract() -> None:
    pybabel(
        "extract",
        "-F",
        str(ROOT / "babel.cfg"),
        "-o",
        str(POT),
        "--no-location",
        "--sort-output",
        "--project=RunRehab",
        "--omit-header",
        "--no-wrap",
        str(ROOT),
    )
    for language in LANGUAGES:
        po = TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"
        if po.exists():
            pybabel(
                "update",
                *("-i", str(POT), "-o", str(po), "-l", language),
                *("--no-fuzzy-matching", "--ignore-obsolete", "--no-wrap"),
            )
        else:
            pybabel("init", "-i", str(POT), "-o", str(po), "-l", language)


def untranslated(language: str) -> list[str]:
    """The words of ``messages.pot`` the language's ``.po`` has no translation for."""
    with POT.open("rb") as f:
        template = read_po(f)
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f, locale=language)
    missing = []
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id, message.context)
        strings = found.string if found is not None else None
        done = all(strings) if isinstance(strings, tuple) else bool(strings)
        if found is None or found.fuzzy or not done:
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def main() -> int:
    if "--check" not in sys.argv:
        extract()
    problems = 0
    for language in LANGUAGES:
        for msgid in untranslated(language):
            print(f"{language}: not translated: {msgid!r}")
            problems += 1
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
