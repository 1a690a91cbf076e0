"""Check a translation folder against the English content it mirrors.

``src/runrehab/content/data/locales/<lang>/`` mirrors ``src/runrehab/content/data/`` file for
file (``words/today.toml``, ``exercises/step-down.toml``, ``knowledge.toml``...). A translated
file has exactly the English file's shape: the same keys, the same tables and arrays (of the
same lengths, except the search terms ``aliases``), the same numbers and booleans, and in every
string the same placeholders (``{setting}`` and ``$value``). Prints each difference and exits 1
when there is one; lists the English files not translated yet.

    uv run python scripts/check_translation.py de [FILE...]
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent.parent / "src" / "runrehab" / "content" / "data"
BRACES = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
DOLLAR = re.compile(r"\$(?:\{([a-z_][a-z0-9_]*)\}|([a-z_][a-z0-9_]*))")
FREE_LENGTH = frozenset({"aliases"})


def placeholders(text: str) -> tuple[set[str], set[str]]:
    return set(BRACES.findall(text)), {a or b for a, b in DOLLAR.findall(text)}


def compare(en: Any, de: Any, where: str, problems: list[str]) -> None:
    if type(en) is not type(de):
        problems.append(f"{where}: {type(en).__name__} in English, {type(de).__name__} here")
    elif isinstance(en, dict):
        for key in en.keys() - de.keys():
            problems.append(f"{where}.{key}: missing")
        for key in de.keys() - en.keys():
            problems.append(f"{where}.{key}: not in the English file")
        for key in en.keys() & de.keys():
            compare(en[key], de[key], f"{where}.{key}", problems)
    elif isinstance(en, list):
        name = where.rsplit(".", 1)[-1]
        if name in FREE_LENGTH:
            return
        if len(en) != len(de):
            problems.append(f"{where}: {len(en)} items in English, {len(de)} here")
            return
        for i, (a, b) in enumerate(zip(en, de, strict=True)):
            compare(a, b, f"{where}[{i}]", problems)
    elif isinstance(en, str):
        if placeholders(en) != placeholders(de):
            found = placeholders(de)
            problems.append(f"{where}: placeholders {placeholders(en)} in English, {found} here")
    elif en != de:
        problems.append(f"{where}: {en!r} in English, {de!r} here")


def main() -> int:
    lang, *only = sys.argv[1:]
    root = DATA / "locales" / lang
    english = sorted(p for p in DATA.rglob("*.toml") if "locales" not in p.relative_to(DATA).parts)
    problems: list[str] = []
    missing: list[str] = []
    for en_path in english:
        rel = en_path.relative_to(DATA)
        if only and str(rel) not in only:
            continue
        de_path = root / rel
        if not de_path.exists():
            missing.append(str(rel))
            continue
        try:
            de = tomllib.loads(de_path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as e:
            problems.append(f"{rel}: not valid TOML: {e}")
            continue
        compare(tomllib.loads(en_path.read_text(encoding="utf-8")), de, str(rel), problems)
    for p in problems:
        print(p)
    if missing:
        print(f"not translated yet ({len(missing)}): {', '.join(missing)}")
    print(f"{len(problems)} differences")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
