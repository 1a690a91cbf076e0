"""Which day of the programme a request is about: the one place that says which days may be
asked for, so the web pages, the API and the command line refuse the same days with the same
words.

A day is the runner's own calendar day (``today`` is given: the web takes it in the account's
time zone, the command line in the computer's). Asking for no day means today. A day after
today has not happened yet; a day before the programme began has nothing planned or recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from runrehab.content import locale
from runrehab.content.words import Words
from runrehab.errors import JournalError
from runrehab.services.ports import UnitOfWork


class NoProgrammeYet(JournalError):
    """The runner has no programme yet: the pages send them to the knee check, the API answers
    409 and the command line exits 2, each with this message."""


class DayNotAllowed(JournalError):
    """A day that may not be asked for; its message says why, in plain words (the web answers
    400, the command line exits 2)."""


@dataclass(frozen=True, slots=True)
class ProgrammeDay:
    """The day asked about, the programme's first day, and the runner's today."""

    day: date
    started: date
    today: date

    @property
    def before_start(self) -> bool:
        """True when the programme begins after today (only when no day was asked for)."""
        return self.day < self.started


def programme_day(
    uow: UnitOfWork, words: Words, person_id: str, asked: date | None, today: date
) -> ProgrammeDay:
    """The day ``asked`` (None: today) of the runner's current programme.

    ``NoProgrammeYet`` without a programme; ``DayNotAllowed`` for an asked day after today or
    before the programme's first day. Not asking, before the programme begins, gives today,
    with ``before_start`` set: the page says when it starts."""
    with uow:
        programme = uow.repo.current_programme(person_id)
    if programme is None:
        raise NoProgrammeYet(words.say("journal.day.no_programme"))
    found = ProgrammeDay(today if asked is None else asked, programme.started_on, today)
    if asked is not None:
        check_day(words, asked, today, programme.started_on)
    return found


def check_day(words: Words, day: date, today: date, started: date) -> None:
    """``DayNotAllowed`` for a ``day`` after ``today`` or before ``started``."""
    if day > today:
        raise DayNotAllowed(
            words.say("journal.day.future", day=day_text(day, True), today=day_text(today, True))
        )
    if day < started:
        raise DayNotAllowed(
            words.say(
                "journal.day.before_start", day=day_text(day, True), started=day_text(started, True)
            )
        )


def day_text(day: date, with_year: bool = False) -> str:
    """A day as a person reads it in their language: "Wed 2 Dec", or "Wed 2 Dec 2026"."""
    return locale.day_text(day, with_year)
