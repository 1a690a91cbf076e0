"""What the progress room's files show, read from the journal: the report for a
physiotherapist, the coming sessions for a calendar, and a chart's figures. The exporters
(``adapters.exports``) draw them; nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from runrehab.errors import RunRehabError
from runrehab.services.activities.load_view import load_view
from runrehab.services.content import ProgrammeContent
from runrehab.services.ports import UnitOfWork
from runrehab.services.progress.chart_series import ChartSeries, load_series, progress_series
from runrehab.services.progress.figures import (
    Progress,
    WeekSummary,
    coming_sessions,
    week_summary,
    without_open_day,
)
from runrehab.services.progress.page import (
    CHART_NAMES,
    LOAD_WEEKS,
    progress_through,
    require_programme,
)
from runrehab.services.views import jsonable

REPORT_PROJECTION_DAYS = 7  # the report shows the coming week


class UnknownChart(RunRehabError, LookupError):
    """No chart of that name; the message names the charts there are (the web answers 404)."""


@dataclass(frozen=True, slots=True)
class ReportView:
    """The report through ``progress.through``: the progress, its last week in words and the
    coming week's sessions (a projection). The report's own day, without a check-in yet, is
    left out of the days (``without_open_day``): it is not over, so it is not missed."""

    progress: Progress
    week: WeekSummary
    sessions: tuple[dict[str, Any], ...]


@dataclass(frozen=True, slots=True)
class CalendarView:
    person_id: str
    """Whose sessions: the calendar's events are named after them, so a newer file replaces
    each day's event instead of adding one."""
    sessions: tuple[dict[str, Any], ...]


@dataclass(frozen=True, slots=True)
class ChartView:
    """A chart's figures: the progress for the first four charts, the running load's document
    (``load_view``) for the load chart."""

    name: str
    progress: Progress | None = None
    load: dict[str, Any] | None = None


def report_view(
    uow: UnitOfWork, content: ProgrammeContent, person_id: str | None, day: date
) -> ReportView:
    """The report through ``day``, with the sessions of the week after it, for the runner
    (None: the journal's only one); ``day`` itself counts once it has a check-in."""
    with uow:
        progress = without_open_day(progress_through(uow.repo, content, person_id, day))
        start = day + timedelta(days=1)
        person = progress.person_id
        sessions = coming_sessions(uow.repo, content, person, start, REPORT_PROJECTION_DAYS)
    return ReportView(progress, week_summary(progress, day), tuple(sessions))


def calendar_view(
    uow: UnitOfWork, content: ProgrammeContent, person_id: str | None, first: date, days: int
) -> CalendarView:
    """The sessions of the ``days`` days from ``first``, for the runner (None: the journal's
    only one)."""
    with uow:
        person = require_programme(uow.repo, content, person_id)
        sessions = coming_sessions(uow.repo, content, person, first, days)
    return CalendarView(person, tuple(sessions))


def chart_view(
    uow: UnitOfWork, content: ProgrammeContent, person_id: str, today: date, name: str
) -> ChartView:
    """The figures of the chart ``name`` through ``today``; ``UnknownChart`` for a name that
    is none of ``CHART_NAMES``."""
    if name not in CHART_NAMES:
        raise UnknownChart(
            content.words.say(
                "progress.unknown_chart", name=repr(name), names=", ".join(CHART_NAMES)
            )
        )
    if name == "load":
        return ChartView(name, load=jsonable(load_view(uow, content, today, LOAD_WEEKS, person_id)))
    with uow:
        return ChartView(name, progress=progress_through(uow.repo, content, person_id, today))


def chart_series(view: ChartView, content: ProgrammeContent, unit: str = "km") -> ChartSeries:
    """The figures of ``chart_view``'s chart as the series to draw, distances in ``unit``."""
    if view.progress is not None:
        return progress_series(view.progress, None, unit)[view.name]
    assert view.load is not None
    return load_series(content.words, view.load, unit)
