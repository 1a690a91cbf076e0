"""The progress room: charts, the week in words, decisions, downloads and leaving.

``/progress`` shows the charts (SVG images from ``/progress/charts/<name>.svg``, each with its
trend in words as the text alternative), one week's summary (``?week=YYYY-MM-DD``), the
decisions with their reasons, the downloads (the PDF report for a physiotherapist, the coming
sessions as a calendar file, every piece of the runner's data as JSON) and the account's
deletion. A runner without a programme still gets their data and the way to delete it.

The API under ``/api/v1/progress`` and ``/api/v1/export`` gives the same files and views.
Everything here only reads, and only the signed-in runner's own journal.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response

from runrehab.adapters.exports.calendar import sessions_ics
from runrehab.adapters.exports.charts import CHARTS, load_chart
from runrehab.adapters.exports.report import report_html, report_pdf
from runrehab.adapters.transfer import journal_to_json
from runrehab.errors import JournalError
from runrehab.services.activities.load_view import load_view
from runrehab.services.journal.ownership import read_journal
from runrehab.services.journal.today import history_view
from runrehab.services.progress.figures import (
    Progress,
    coming_sessions,
    monday_of,
    progress_data,
    weekly_summary,
)
from runrehab.services.progress.timeline import chart_texts, decision_history, load_text
from runrehab.web.deps import AppParts, Csrf, Parts, Runner, RunnerDep
from runrehab.web.errors import problem
from runrehab.web.query import DayText, iso_day
from runrehab.web.rendering import render
from runrehab.web.routes.system import api_error_responses

router = APIRouter(dependencies=[Csrf])

NO_PROGRAMME = "No programme yet: take the knee check at /start first."
CHART_NAMES = (*CHARTS, "load")
LOAD_WEEKS = 12
CALENDAR_DAYS = 28
REPORT_PROJECTION_DAYS = 7  # as the command line's report
PRIVATE = {"Cache-Control": "private, no-store"}  # health data: never kept by a shared cache
ICS_TYPE = "text/calendar; charset=utf-8"
SVG_TYPE = "image/svg+xml"
DECISIONS_SHOWN = 15  # the newest; the report and the export hold every one
# matplotlib's rc_context, which every chart draws within, swaps process-wide settings: a page's
# charts are asked for at once, so they are drawn one at a time
DRAWING = threading.Lock()


class BadWeek(ValueError):
    """The ``week`` asked for is not a date, or not a week of the programme so far."""


# --- reading ------------------------------------------------------------------------------------


def _progress(app_parts: AppParts, runner: Runner) -> Progress:
    """The runner's progress through today; JournalError (409) without a programme."""
    with app_parts.reader() as uow:
        if not uow.repo.programmes(runner.person_id):
            raise JournalError(NO_PROGRAMME)
        return progress_data(uow.repo, app_parts.content, runner.person_id, runner.today)


def _has_programme(app_parts: AppParts, person_id: str) -> bool:
    with app_parts.reader() as uow:
        return bool(uow.repo.programmes(person_id))


def _week(text: str | None, progress: Progress, blank: bool = True) -> date:
    """The Monday of the week asked for (this week when none, or blank when ``blank``: a
    page's empty field), between the programme's first week and this one."""
    if text is None or (blank and text == ""):
        return monday_of(progress.through)
    day = iso_day(text)
    if day is None:
        raise BadWeek(f"week must be a date written YYYY-MM-DD, such as 2026-12-07, not {text!r}")
    first, last = monday_of(progress.programme.started_on), monday_of(progress.through)
    if not first <= monday_of(day) <= last:
        raise BadWeek(
            f"Pick a week from {first:%a %d %b %Y} (the programme's first) to {last:%a %d %b %Y} "
            "(this one)."
        )
    return monday_of(day)


def _summary(progress: Progress, week: date) -> dict[str, Any]:
    summary = weekly_summary(progress, week)
    first, this = monday_of(progress.programme.started_on), monday_of(progress.through)
    summary["previous_week"] = (week - timedelta(days=7)).isoformat() if week > first else None
    summary["next_week"] = (week + timedelta(days=7)).isoformat() if week < this else None
    return summary


def _load(app_parts: AppParts, runner: Runner) -> dict[str, Any]:
    return load_view(
        app_parts.reader(), app_parts.content, runner.today, LOAD_WEEKS, runner.person_id
    )


def _chart(app_parts: AppParts, runner: Runner, name: str) -> bytes:
    if name not in CHART_NAMES:
        raise HTTPException(404, f"There is no chart called {name!r}: {', '.join(CHART_NAMES)}.")
    if name == "load":
        view = _load(app_parts, runner)
        with DRAWING:
            return load_chart(view, "svg")
    progress = _progress(app_parts, runner)
    with DRAWING:
        return CHARTS[name](progress, "svg")


def _report(app_parts: AppParts, runner: Runner) -> bytes:
    """The PDF report as the command line makes it: through today, with the coming week."""
    with app_parts.reader() as uow:
        repo, content, person = uow.repo, app_parts.content, runner.person_id
        if not repo.programmes(person):
            raise JournalError(NO_PROGRAMME)
        progress = progress_data(repo, content, person, runner.today)
        start = runner.today + timedelta(days=1)
        sessions = coming_sessions(repo, content, person, start, REPORT_PROJECTION_DAYS)
    summary = weekly_summary(progress, runner.today)
    with DRAWING:  # the report draws the charts too
        html = report_html(progress, summary, content, sessions)
    return report_pdf(html)


def _calendar(app_parts: AppParts, runner: Runner, days: int) -> bytes:
    with app_parts.reader() as uow:
        if not uow.repo.programmes(runner.person_id):
            raise JournalError(NO_PROGRAMME)
        sessions = coming_sessions(
            uow.repo, app_parts.content, runner.person_id, runner.today, days
        )
    return sessions_ics(sessions, runner.person_id, stamp=app_parts.clock.now())


def _export(app_parts: AppParts, runner: Runner) -> dict[str, Any]:
    journal = read_journal(app_parts.reader(), runner.person_id)
    return journal_to_json(journal, app_parts.clock.now())


# --- answers ------------------------------------------------------------------------------------


def _download(data: bytes, media_type: str, name: str) -> Response:
    headers = {**PRIVATE, "Content-Disposition": f'attachment; filename="{name}"'}
    return Response(data, media_type=media_type, headers=headers)


def _svg(request: Request, svg: bytes) -> Response:
    """A chart, revalidated on every view (it changes with each check-in) but sent again only
    when it has changed."""
    tag = '"' + hashlib.sha256(svg).hexdigest()[:20] + '"'
    headers = {"Cache-Control": "private, no-cache", "ETag": tag}
    if request.headers.get("if-none-match") == tag:
        return Response(status_code=304, headers=headers)
    return Response(svg, media_type=SVG_TYPE, headers=headers)


def _export_answer(app_parts: AppParts, runner: Runner) -> JSONResponse:
    name = f"runrehab-export-{runner.today.isoformat()}.json"
    headers = {**PRIVATE, "Content-Disposition": f'attachment; filename="{name}"'}
    return JSONResponse(_export(app_parts, runner), headers=headers)


def _guard_week(request: Request, act: Callable[[], Response]) -> Response:
    try:
        return act()
    except BadWeek as err:
        return problem(request, 400, str(err), [{"field": "week", "message": str(err)}])


# --- pages --------------------------------------------------------------------------------------


@router.get("/progress", include_in_schema=False)
def progress_page(
    request: Request, app_parts: Parts, runner: RunnerDep, week: str | None = None
) -> Response:
    if not _has_programme(app_parts, runner.person_id):
        return render(request, "progress/index.html", {"progress": None}, active="progress")
    return _guard_week(request, lambda: _progress_page(request, app_parts, runner, week))


def _progress_page(
    request: Request, app_parts: AppParts, runner: Runner, week: str | None
) -> Response:
    progress = _progress(app_parts, runner)
    summary = _summary(progress, _week(week, progress))
    history = history_view(app_parts.reader(), app_parts.content, runner.person_id)
    texts = {**chart_texts(progress), "load": load_text(_load(app_parts, runner))}
    context = {
        "progress": progress,
        "checked_in": any(d.checked_in for d in progress.days),
        "summary": summary,
        "charts": [(name, texts[name]) for name in CHART_NAMES],
        "decisions": decision_history(history, DECISIONS_SHOWN),
    }
    return render(request, "progress/index.html", context, active="progress")


@router.get("/progress/charts/{name}.svg", include_in_schema=False)
def chart_image(request: Request, app_parts: Parts, runner: RunnerDep, name: str) -> Response:
    return _svg(request, _chart(app_parts, runner, name))


@router.get("/progress/report.pdf", include_in_schema=False)
def report_download(app_parts: Parts, runner: RunnerDep) -> Response:
    name = f"runrehab-report-{runner.today.isoformat()}.pdf"
    return _download(_report(app_parts, runner), "application/pdf", name)


@router.get("/progress/calendar.ics", include_in_schema=False)
def calendar_download(
    app_parts: Parts,
    runner: RunnerDep,
    days: Annotated[int, Query(ge=1, le=366)] = CALENDAR_DAYS,
) -> Response:
    name = f"runrehab-sessions-{runner.today.isoformat()}.ics"
    return _download(_calendar(app_parts, runner, days), ICS_TYPE, name)


@router.get("/progress/export.json", include_in_schema=False)
def export_download(app_parts: Parts, runner: RunnerDep) -> Response:
    return _export_answer(app_parts, runner)


# --- API ----------------------------------------------------------------------------------------


def _file(media_type: str, description: str) -> dict[int | str, dict[str, Any]]:
    return {200: {"description": description, "content": {media_type: {}}}}


@router.get(
    "/api/v1/progress/summary",
    tags=["progress"],
    summary="One week in plain words: check-ins, training, pain, runs, decisions, what next",
    responses=api_error_responses(400, 401, 409, 422),
)
def api_summary(
    request: Request,
    app_parts: Parts,
    runner: RunnerDep,
    week: Annotated[
        DayText,
        Query(
            description="Any day of the week (YYYY-MM-DD), from the programme's first week to "
            "this one; this week if left out. Any other is a 400 saying why."
        ),
    ] = None,
) -> Response:
    def answer() -> Response:
        progress = _progress(app_parts, runner)
        return JSONResponse(_summary(progress, _week(week, progress, blank=False)))

    return _guard_week(request, answer)


@router.get(
    "/api/v1/progress/charts/{name}.svg",
    tags=["progress"],
    summary="A progress chart as SVG: pain, adherence, running, kujala or load",
    response_class=Response,
    responses={
        **_file(SVG_TYPE, "The chart."),
        304: {"description": "Not changed since the ETag sent in If-None-Match."},
        **api_error_responses(401, 404, 409),
    },
)
def api_chart(request: Request, app_parts: Parts, runner: RunnerDep, name: str) -> Response:
    return _svg(request, _chart(app_parts, runner, name))


@router.get(
    "/api/v1/progress/report.pdf",
    tags=["progress"],
    summary="The progress report (PDF) for the runner and their physiotherapist",
    response_class=Response,
    responses={**_file("application/pdf", "The report."), **api_error_responses(401, 409)},
)
def api_report(app_parts: Parts, runner: RunnerDep) -> Response:
    return report_download(app_parts, runner)


@router.get(
    "/api/v1/progress/calendar.ics",
    tags=["progress"],
    summary="The coming sessions as an iCalendar file (a projection)",
    response_class=Response,
    responses={**_file(ICS_TYPE, "One all-day event a day."), **api_error_responses(401, 409, 422)},
)
def api_calendar(
    app_parts: Parts,
    runner: RunnerDep,
    days: Annotated[
        int, Query(ge=1, le=366, description="Days to cover, from today.")
    ] = CALENDAR_DAYS,
) -> Response:
    return calendar_download(app_parts, runner, days)


@router.get(
    "/api/v1/export",
    tags=["progress"],
    summary="Everything stored about the runner, as the RunRehab export document (JSON)",
    responses=api_error_responses(401),
)
def api_export(app_parts: Parts, runner: RunnerDep) -> JSONResponse:
    return _export_answer(app_parts, runner)
