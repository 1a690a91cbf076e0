"""The day a request names as text, checked as every programme day is, inside a use case.

A page's ``?date=`` is read by the web's ``PageDay`` and an API's by ``ApiDay``, before the
route runs. Some requests name their day where those cannot read it, or must be refused for
something else first: a form posts its day in its body (the hidden ``date`` field of the
questionnaire and "Mark as read" forms), and a lesson or a questionnaire that is not there is
a 404 before its day is looked at. Their use cases read the day here, with the same rules and
words (``services.journal.days``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from runrehab.content.words import Words
from runrehab.services.journal.days import DayNotAllowed, ProgrammeDay, programme_day
from runrehab.services.ports import UnitOfWork

_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True, slots=True)
class AskedDay:
    """The day a request names, as it sent it (None: not named), and the runner's today."""

    text: str | None
    today: date
    blank_is_today: bool = True
    """A form's empty ``date`` field is today; an API's ``?date=`` is not a day."""


def asked_day(uow: UnitOfWork, words: Words, person_id: str, asked: AskedDay) -> ProgrammeDay:
    """The day ``asked`` names (not named: the runner's today) of the runner's programme:
    ``NoProgrammeYet`` without one, ``DayNotAllowed`` for text that is not a day (only
    ``YYYY-MM-DD`` is one), a day after today or before the programme began."""
    text = asked.text
    day = None
    if text is not None and (text.strip() or not asked.blank_is_today):
        day = written_day(text)
        if day is None:
            raise DayNotAllowed(words.say("journal.day.not_a_date", text=text[:40]))
    return programme_day(uow, words, person_id, day, asked.today)


def written_day(text: str) -> date | None:
    """``text`` as a day when it is written ``YYYY-MM-DD`` and is one; None otherwise (not
    ``20261201``, ``2026-W49-2`` or ``2026-02-30``). Surrounding spaces are forgiven."""
    cleaned = text.strip()
    if not _ISO_DAY.fullmatch(cleaned):
        return None
    try:
        return date.fromisoformat(cleaned)
    except ValueError:
        return None
