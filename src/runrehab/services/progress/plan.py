"""The plan room's use cases: the phase timeline and the coming weeks' sessions, a projection
from where the runner stands (as ``coming_sessions`` makes it: every session assumed done in
full without pain). The page shows four weeks at a time, three pages ahead. Nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from runrehab.services.content import ProgrammeContent
from runrehab.services.ports import UnitOfWork
from runrehab.services.progress.figures import coming_sessions, monday_of
from runrehab.services.progress.sessions import SessionWords
from runrehab.services.progress.timeline import PhaseTimeline, phase_timeline

PAGE_WEEKS = 4  # weeks of sessions on one page: 28 days keep the page light
PAGES = 3  # the calendar reaches 12 weeks ahead, four at a time
API_DAYS = 28


@dataclass(frozen=True, slots=True)
class PlanView:
    """The phase timeline, and the coming sessions from the day, each a projection."""

    schema_version: int
    on: date = field(metadata={"json": "date"})
    projection: bool
    notice: str
    """Says the sessions are a projection; on hold, the hold first."""
    timeline: PhaseTimeline
    sessions: tuple[dict[str, Any], ...]
    """``coming_sessions`` documents."""


@dataclass(frozen=True, slots=True)
class CalendarWeek:
    week_start: date
    days: tuple[dict[str, Any], ...]


@dataclass(frozen=True, slots=True)
class PlanPage:
    """A page of the plan: the timeline and ``shown_weeks`` weeks of sessions, from the
    ``first_week``-th week ahead."""

    plan: PlanView
    weeks: tuple[CalendarWeek, ...]
    page: int
    pages: int
    first_week: int
    shown_weeks: int
    say: SessionWords
    """The sessions' doses and runs in words."""


def plan_view(
    uow: UnitOfWork, content: ProgrammeContent, person_id: str, day: date, days: int
) -> PlanView:
    """The phase timeline on ``day`` and the ``days`` days of sessions from it, read in one
    transaction; a JournalError (409) without a programme."""
    with uow:
        timeline = phase_timeline(uow.repo, content, person_id, day)
        sessions = coming_sessions(uow.repo, content, person_id, day, days)
    # on hold, every projected session carries the hold: the notice says it first
    notice = sessions[0]["notice"] if sessions else content.words.say("plan.projection_notice")
    return PlanView(1, day, True, notice, timeline, tuple(sessions))


def plan_page(
    uow: UnitOfWork, content: ProgrammeContent, person_id: str, day: date, page: int
) -> PlanPage:
    """The ``page``-th page (from 1) of the plan on ``day``."""
    # later weeks are sliced from one projection from the day: projecting from a later day
    # would fold the days between as days without a report, not as sessions done in full
    days = PAGE_WEEKS * 7
    view = plan_view(uow, content, person_id, day, page * days)
    return PlanPage(
        view,
        calendar_weeks(view.sessions[(page - 1) * days :]),
        page,
        PAGES,
        (page - 1) * PAGE_WEEKS + 1,
        PAGE_WEEKS,
        SessionWords(content.words),
    )


def calendar_weeks(sessions: tuple[dict[str, Any], ...]) -> tuple[CalendarWeek, ...]:
    """Session documents grouped by the week (from Monday) they fall in."""
    weeks: list[tuple[date, list[dict[str, Any]]]] = []
    for session in sessions:
        start = monday_of(date.fromisoformat(session["date"]))
        if not weeks or weeks[-1][0] != start:
            weeks.append((start, []))
        weeks[-1][1].append(session)
    return tuple(CalendarWeek(start, tuple(days)) for start, days in weeks)
