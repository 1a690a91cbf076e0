"""Which days of the programme may be asked about (``services.journal.days``): the one rule
the web pages, the API and the command line all go through, on the fakes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from runrehab.adapters.documents import read_assessment
from runrehab.services.content import shipped_content
from runrehab.services.journal.days import (
    DayNotAllowed,
    NoProgrammeYet,
    check_day,
    programme_day,
)
from runrehab.services.journal.programme import start_programme
from tests.conftest import typical_doc
from tests.fakes import FakeUnitOfWork, FixedClock

START = date(2026, 12, 7)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    document = typical_doc()
    start_programme(
        uow, FixedClock(), shipped_content(), document, read_assessment(document), START
    )
    return uow


def _person(uow: FakeUnitOfWork) -> str:
    with uow:
        return next(iter(uow.repo.t.people))


def test_no_day_asked_is_today_and_a_day_of_the_programme_is_taken(uow: FakeUnitOfWork) -> None:
    words, person = shipped_content().words, _person(uow)
    today = START + timedelta(days=3)
    assert programme_day(uow, words, person, None, today).day == today
    asked = programme_day(uow, words, person, START + timedelta(days=1), today)
    assert (asked.day, asked.started, asked.today) == (START + timedelta(days=1), START, today)


def test_a_day_to_come_or_before_the_start_is_refused_in_words(uow: FakeUnitOfWork) -> None:
    words, person = shipped_content().words, _person(uow)
    today = START + timedelta(days=3)
    with pytest.raises(DayNotAllowed, match="Fri 11 Dec 2026 has not happened yet"):
        programme_day(uow, words, person, today + timedelta(days=1), today)
    with pytest.raises(DayNotAllowed, match="Sun 6 Dec 2026 is before your programme started"):
        programme_day(uow, words, person, START - timedelta(days=1), today)


def test_before_the_programme_begins_today_is_given_and_said_so(uow: FakeUnitOfWork) -> None:
    early = programme_day(uow, shipped_content().words, _person(uow), None, START - timedelta(2))
    assert early.before_start and early.day == START - timedelta(days=2)


def test_without_a_programme_the_runner_is_sent_to_the_knee_check() -> None:
    with pytest.raises(NoProgrammeYet, match="No programme yet"):
        programme_day(FakeUnitOfWork(), shipped_content().words, "nobody", None, START)


def test_the_rule_itself_needs_no_journal() -> None:
    words = shipped_content().words
    check_day(words, START, START, START)  # the first day, today: fine
    with pytest.raises(DayNotAllowed):
        check_day(words, START, START - timedelta(days=1), START - timedelta(days=5))
