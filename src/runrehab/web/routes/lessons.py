"""Marking a week-1 lesson as read, from Today's "Mark as read" button and from the API.

Which lessons are on which day is the day plan's (Today shows
``services.journal.today.today_view``); these routes only keep the runner's "read". Marking a
lesson read twice changes nothing; an unknown lesson is 404, naming it.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from runrehab.errors import JournalError
from runrehab.services.journal.lessons import UnknownLesson, lesson_of, mark_read
from runrehab.services.journal.today import today_view
from runrehab.web.deps import AppParts, Csrf, Parts, Runner, RunnerDep
from runrehab.web.query import DayText
from runrehab.web.rendering import form_fields, render
from runrehab.web.routes.system import api_error_responses
from runrehab.web.routes.today import programme_start, query_day

router = APIRouter(dependencies=[Csrf])


def _mark(app_parts: AppParts, runner: Runner, lesson_id: str, when: str | None) -> dict[str, Any]:
    """Mark the lesson read on ``when`` (default the runner's today): 404 for no such lesson,
    409 without a programme, 400 for a day outside it."""
    try:
        lesson_of(app_parts.content, lesson_id)
    except UnknownLesson as err:
        raise HTTPException(404, str(err)) from None
    started = programme_start(app_parts, runner.person_id)
    if started is None:
        raise JournalError("no programme yet: start one first (POST the intake assessment)")
    day: date = query_day(when, runner.today, started)
    return mark_read(
        app_parts.db.unit_of_work(),
        app_parts.clock,
        app_parts.content,
        lesson_id,
        day,
        runner.person_id,
    )


@router.post("/today/lessons/{lesson_id}/read", include_in_schema=False)
async def read_lesson(
    request: Request, app_parts: Parts, runner: RunnerDep, lesson_id: str
) -> Response:
    """The form's answer: with htmx, the day's reading section again (the lesson now "Read ✓",
    the counts moved on); without, back to the day's Today page at the lesson."""
    fields = await form_fields(request)
    when = fields.get("date") or None
    marked = await run_in_threadpool(_mark, app_parts, runner, lesson_id, when)
    day = date.fromisoformat(marked["date"])
    if request.headers.get("hx-request") == "true":
        view = await run_in_threadpool(
            today_view, app_parts.reader(), app_parts.content, day, runner.person_id
        )
        context = {"view": view, "day": day, "is_today": day == runner.today}
        response = render(request, "today/_reading.html", context)
        response.headers["Vary"] = "HX-Request"
        return response
    target = "/today" if day == runner.today else f"/today?date={day.isoformat()}"
    return RedirectResponse(f"{target}#lesson-{lesson_id}", status_code=303)


@router.post(
    "/api/v1/lessons/{lesson_id}/read",
    tags=["today"],
    summary="Mark one of the week-1 lessons as read (again changes nothing)",
    response_model=None,
    responses={
        200: {
            "description": "The lesson, the day it was read, `already_read` when it had been "
            "marked before (the first day stands), and `education`: how many are read."
        },
        **api_error_responses(400, 401, 403, 404, 409),
    },
)
def api_read_lesson(
    app_parts: Parts,
    runner: RunnerDep,
    lesson_id: str,
    when: Annotated[
        DayText,
        Query(
            alias="date",
            description="The day it was read (YYYY-MM-DD), from the programme's first to the "
            "runner's today; default the runner's today. Any other day is a 400 saying why.",
        ),
    ] = None,
) -> Response:
    return JSONResponse(_mark(app_parts, runner, lesson_id, when))
