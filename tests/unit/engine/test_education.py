"""The week-1 lessons on the day plan: one a day on days 1 to 4, carried over until read, none
for a stopped programme, and never a change to the run answer, the colours, gates or doses."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import date, timedelta

import pytest

from runrehab.engine.assessment import Preferences
from runrehab.engine.checkin import Checkin, CheckinPain, Morning
from runrehab.engine.day import DayPlan, plan_day
from runrehab.engine.education import Lesson, reading_for
from runrehab.engine.pathway import PathwayChoice, choose_pathway
from runrehab.engine.progression import start_state, step_day
from runrehab.engine.projection import project, project_from
from runrehab.engine.protocol import Protocol
from runrehab.engine.session import RunHistory
from runrehab.engine.state import ProgrammeState, Status
from runrehab.engine.values import PathwayId
from tests.conftest import typical

START = date(2026, 11, 30)
CORE = ["what-is-runners-knee", "pain-and-load", "time-course", "pain-is-not-damage"]


def day(n: int) -> date:
    """Programme day ``n`` (1 = the start day)."""
    return START + timedelta(days=n - 1)


def state(protocol: Protocol) -> ProgrammeState:
    return start_state(PathwayChoice(PathwayId.REST_AND_REBUILD, 1, ()), START, protocol)


def plan(
    protocol: Protocol,
    n: int,
    read: Collection[str] = (),
    st: ProgrammeState | None = None,
    checkins: tuple[Checkin, ...] = (),
) -> DayPlan:
    return plan_day(
        st or state(protocol),
        checkins,
        Preferences(),
        RunHistory(),
        protocol,
        day(n),
        lessons_read=frozenset(read),
    )


def reading(plan: DayPlan) -> list[str]:
    assert plan.session is not None
    return [r.lesson.id for r in plan.session.reading]


@pytest.mark.fires("education-week-one")
def test_one_core_lesson_a_day_on_days_one_to_four(protocol: Protocol) -> None:
    read: set[str] = set()
    listed = []
    for n in range(1, 15):
        today = reading(plan(protocol, n, read))
        listed.append(today)
        read |= set(today)  # read on its day
    assert listed[:4] == [[lesson] for lesson in CORE]
    assert listed[4:] == [[]] * 10
    first = plan(protocol, 1).session
    assert first is not None
    (r,) = first.reading
    assert (r.lesson.topic, r.lesson.minutes, r.due, r.carried) == (
        "what-is-runners-knee",
        4,
        START,
        False,
    )
    assert r.reason.rule == "education-week-one"


def test_a_lesson_not_read_stays_on_the_days_after_until_it_is(protocol: Protocol) -> None:
    late = plan(protocol, 3).session
    assert late is not None
    assert [(r.lesson.id, r.carried) for r in late.reading] == [
        ("what-is-runners-knee", True),
        ("pain-and-load", True),
        ("time-course", False),
    ]
    assert "still to read" in late.reading[0].reason.detail
    assert reading(plan(protocol, 10, {"pain-and-load"})) == [
        "what-is-runners-knee",
        "time-course",
        "pain-is-not-damage",
    ]
    assert reading(plan(protocol, 10, CORE)) == []


def test_a_stopped_programme_has_nothing_to_read(protocol: Protocol) -> None:
    stopped = replace(state(protocol), status=Status.STOPPED)
    assert plan(protocol, 1, st=stopped).session is None


def test_a_referred_runner_still_reads(protocol: Protocol) -> None:
    referred = replace(state(protocol), status=Status.REFERRED)
    assert reading(plan(protocol, 2, {"what-is-runners-knee"}, st=referred)) == ["pain-and-load"]


def test_reading_changes_no_run_answer_gate_colour_or_dose(protocol: Protocol) -> None:
    checkins = tuple(Checkin(day(n), CheckinPain(1, 0, 2), Morning.SAME) for n in range(1, 4))
    for n in range(1, 8):
        unread = plan(protocol, n, (), checkins=checkins)
        read = plan(protocol, n, CORE, checkins=checkins)
        assert unread.session is not None and read.session is not None
        assert (unread.run, unread.state, unread.disposition) == (
            read.run,
            read.state,
            read.disposition,
        )
        assert replace(unread.session, reading=()) == read.session
        assert unread.session.estimated_minutes == read.session.estimated_minutes
    # the fold (gates, colours, doses) never sees what was read: it takes no reading at all
    folded = step_day(state(protocol), list(checkins), protocol, day(3))
    assert folded.state.dose_level == state(protocol).dose_level


def test_the_projection_takes_each_lesson_as_read_on_its_day(protocol: Protocol) -> None:
    assessment = typical()
    projected = project(
        assessment, choose_pathway(assessment, protocol.settings), protocol, START, 2
    )
    listed = [(s.date, r.lesson.id, r.carried) for s in projected.days for r in s.reading]
    assert listed == [(day(n), lesson, False) for n, lesson in enumerate(CORE, 1)]


def test_the_projection_from_today_lists_what_is_still_unread(protocol: Protocol) -> None:
    sessions = project_from(
        state(protocol),
        (),
        Preferences(),
        RunHistory(),
        protocol,
        day(3),
        5,
        lessons_read={"what-is-runners-knee"},
    )
    assert [[r.lesson.id for r in s.reading] for s in sessions] == [
        ["pain-and-load", "time-course"],
        ["pain-is-not-damage"],
        [],
        [],
        [],
    ]


def test_reading_for_orders_by_day_and_skips_what_was_read() -> None:
    lessons = (
        Lesson("b", "topic-b", "B", 2, 3, "education-week-one"),
        Lesson("a", "topic-a", "A", 1, 4, "education-week-one"),
    )
    assert [r.lesson.id for r in reading_for(lessons, START, day(3))] == ["a", "b"]
    assert [r.lesson.id for r in reading_for(lessons, START, day(3), {"a"})] == ["b"]
    assert reading_for(lessons, START, day(1)) == reading_for(lessons, START, day(1), {"b"})
    assert reading_for(lessons, START, START - timedelta(days=1)) == ()
