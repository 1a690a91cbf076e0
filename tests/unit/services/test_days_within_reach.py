"""A day asked for, however far ahead, never makes the journal step every day up to it.

Found from outside: a check-in dated 9024 with an unknown exercise took 43 s (listing the day's
exercises planned the day, folding 2.6 million days), and ``runrehab today --date 9000-01-01``
ran for minutes. The class: any day a person gives that a use case plans or folds to. Each
use case that takes such a day is asked, for any day past the programme's reach, and must
refuse it in words naming the day; a day within the reach is answered.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from runrehab.adapters.documents import read_assessment, read_checkin
from runrehab.errors import InvalidDocument
from runrehab.services.activities.load_view import running_load
from runrehab.services.content import shipped_content
from runrehab.services.journal.checkin import checkin_template_of
from runrehab.services.journal.days import DayNotAllowed
from runrehab.services.journal.programme import REACH_YEARS, record_checkin, start_programme
from runrehab.services.journal.today import day_view
from tests.conftest import typical_doc
from tests.fakes import FakeUnitOfWork, FixedClock

START = date(2026, 12, 7)
LAST = START + timedelta(days=round(365.25 * REACH_YEARS))
"""The last day a programme started on ``START`` is planned for."""
CONTENT = shipped_content()

UseCase = Callable[[FakeUnitOfWork, date], Any]
USE_CASES: dict[str, UseCase] = {
    "today": lambda uow, day: day_view(uow, CONTENT, day),
    "check-in to fill in": lambda uow, day: checkin_template_of(uow, CONTENT, day),
    "running load": lambda uow, day: running_load(uow, CONTENT, day),
}


def started() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    document = typical_doc()
    start_programme(uow, FixedClock(), CONTENT, document, read_assessment(document), START)
    return uow


UOW = started()  # read only below: one journal for every example


@pytest.mark.parametrize("name", sorted(USE_CASES))
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(day=st.dates(min_value=LAST + timedelta(days=1)))
def test_a_day_past_the_reach_is_refused_naming_it(name: str, day: date) -> None:
    with pytest.raises(DayNotAllowed, match=rf"more than {REACH_YEARS} years after") as refused:
        USE_CASES[name](UOW, day)
    assert str(day.year) in str(refused.value)


@pytest.mark.parametrize("name", sorted(USE_CASES))
def test_the_last_day_within_the_reach_is_answered(name: str) -> None:
    assert USE_CASES[name](UOW, LAST) is not None


@settings(max_examples=15, deadline=None)
@given(day=st.dates(min_value=START + timedelta(days=1)))
def test_a_check_in_for_a_day_to_come_lists_every_exercise_without_planning_it(
    day: date,
) -> None:
    """A refused day is never planned: the unknown exercise is told every exercise id (the
    day's own would need the day planned)."""
    document = {
        "date": day.isoformat(),
        "pain": {"now": 1, "at_rest": 0, "worst_24h": 1},
        "exercises": [{"id": "no-such-exercise", "sets": 1, "reps": 1, "max_pain": 0}],
    }
    uow = started()
    with pytest.raises(InvalidDocument) as refused:
        record_checkin(uow, FixedClock(), CONTENT, document, read_checkin(document), today=START)
    problems = {p.path: p.message for p in refused.value.problems}
    assert "has not happened yet" in problems["$.date"]
    assert ", ".join(sorted(CONTENT.protocol.exercises)) in problems["$.exercises[0].id"]
    with uow:
        assert uow.repo.checkins(next(iter(uow.repo.t.people))) == []  # nothing half-saved
