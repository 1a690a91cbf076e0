"""The progress room's API: one week in plain words (the same use case as the page's week and
``runrehab summary``), the charts, the report, the calendar and the export, as the page's
files."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from runrehab.services.progress.page import BadWeek, week_in_words
from runrehab.services.views import jsonable
from runrehab.web import downloads
from runrehab.web.api_docs import api_error_responses
from runrehab.web.deps import Csrf, Parts, RunnerDep
from runrehab.web.errors import BadRequest
from runrehab.web.pages import progress as page
from runrehab.web.query import DayText

router = APIRouter(dependencies=[Csrf])


@router.get(
    "/api/v1/progress/summary",
    tags=["progress"],
    summary="One week in plain words: check-ins, training, pain, runs, decisions, what next",
    responses=api_error_responses(400, 401, 409, 422),
)
def api_summary(
    app_parts: Parts,
    runner: RunnerDep,
    week: Annotated[
        DayText,
        Query(
            description="Any day of the week (YYYY-MM-DD), from the programme's first week to "
            "this one; this week if left out. Any other is a 400 saying why."
        ),
    ] = None,
) -> JSONResponse:
    try:
        found = week_in_words(
            app_parts.reader(), app_parts.content, runner.person_id, runner.today, week
        )
    except BadWeek as err:
        raise BadRequest(str(err), field="week") from None
    return JSONResponse(jsonable(found))


@router.get(
    "/api/v1/progress/charts/{name}.svg",
    tags=["progress"],
    summary="A progress chart as SVG: pain, adherence, running, kujala or load",
    response_class=Response,
    responses={
        **downloads.file_answer(media_type=downloads.SVG_TYPE, description="The chart."),
        304: downloads.answer(description="Not changed since the ETag sent in If-None-Match."),
        **api_error_responses(401, 404, 409),
    },
)
def api_chart(request: Request, app_parts: Parts, runner: RunnerDep, name: str) -> Response:
    return page.chart(request, app_parts, runner, name)


@router.get(
    "/api/v1/progress/report.pdf",
    tags=["progress"],
    summary="The progress report (PDF) for the runner and their physiotherapist",
    response_class=Response,
    responses={
        **downloads.file_answer(media_type=downloads.PDF_TYPE, description="The report."),
        304: downloads.answer(description="Not changed since the ETag sent in If-None-Match."),
        **api_error_responses(401, 409),
    },
)
def api_report(request: Request, app_parts: Parts, runner: RunnerDep) -> Response:
    return page.report(request, app_parts, runner)


@router.get(
    "/api/v1/progress/calendar.ics",
    tags=["progress"],
    summary="The coming sessions as an iCalendar file (a projection)",
    response_class=Response,
    responses={
        **downloads.file_answer(
            media_type=downloads.ICS_TYPE, description="One all-day event a day."
        ),
        **api_error_responses(401, 409, 422),
    },
)
def api_calendar(
    app_parts: Parts,
    runner: RunnerDep,
    days: Annotated[
        int, Query(ge=1, le=366, description="Days to cover, from today.")
    ] = page.CALENDAR_DAYS,
) -> Response:
    return page.calendar(app_parts, runner, days)


@router.get(
    "/api/v1/export",
    tags=["progress"],
    summary="Everything stored about the runner, as the RunRehab export document (JSON)",
    responses=api_error_responses(401),
)
def api_export(app_parts: Parts, runner: RunnerDep) -> JSONResponse:
    return page.export(app_parts, runner)
