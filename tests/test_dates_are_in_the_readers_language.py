"""Every day a person reads is written in their language (issue 16: one date format per
locale). Outside the engine, whose details are English by design and are put in the reader's
language by ``engine.said``, no code writes a weekday or a month name by hand with ``%a``,
``%b``, ``%A`` or ``%B``: it asks ``content.locale`` (``day_text``, ``short_day_text``,
``month_text``), so a German reader never meets "Wed 2 Dec"."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from runrehab.content import locale

SRC = Path(__file__).resolve().parent.parent / "src" / "runrehab"
NAMED = re.compile(r"%[aAbB]")


def test_no_weekday_or_month_name_is_written_by_hand_outside_the_engine() -> None:
    found = [
        f"{path.relative_to(SRC)}:{n}: {line.strip()}"
        for path in sorted(SRC.rglob("*.py"))
        if path.relative_to(SRC).parts[0] != "engine"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if NAMED.search(line) and not line.lstrip().startswith("#")
    ]
    assert found == [], "write days with content.locale:\n" + "\n".join(found)


def test_each_language_writes_a_day_its_own_way() -> None:
    day = date(2026, 3, 2)
    assert locale.day_text(day, language="en") == "Mon 2 Mar"
    assert locale.day_text(day, True, language="de") == "Mo., 2. März 2026"
    assert locale.short_day_text(day, language="en") == "02 Mar"
    assert locale.short_day_text(day, language="de") == "02. März"
    assert locale.month_text(day, language="de") == "März"
