"""Marking a week-1 lesson as read from Today's "Mark as read" button.

Which lessons are on which day is the day plan's (Today shows them); this page only keeps the
runner's "read". With htmx the answer is the day's reading section again (the lesson now
"Read ✓", the counts moved on); without JavaScript, back to the day's Today page at the
lesson. Marking a lesson read twice changes nothing; an unknown lesson is 404, naming it.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from runrehab.services.journal.asked_day import AskedDay
from runrehab.services.journal.lessons import DayReading, UnknownLesson, mark_read_asked
from runrehab.services.journal.reading_section import mark_read_on_today
from runrehab.web.deps import Csrf, Parts, RunnerDep
from runrehab.web.rendering import form_fields, render

router = APIRouter(dependencies=[Csrf])


@router.post("/today/lessons/{lesson_id}/read", include_in_schema=False)
async def read_lesson(
    request: Request, app_parts: Parts, runner: RunnerDep, lesson_id: str
) -> Response:
    fields = await form_fields(request)
    given = (  # the same request, for either answer
        app_parts.writer(),
        app_parts.clock,
        app_parts.content,
        lesson_id,
        AskedDay(fields.get("date"), runner.today),
        runner.person_id,
    )
    try:
        if request.headers.get("hx-request") == "true":
            reading = await run_in_threadpool(mark_read_on_today, *given)
            return _reading_section(request, reading, runner.today)
        marked = await run_in_threadpool(mark_read_asked, *given)
    except UnknownLesson as err:
        raise HTTPException(404, str(err)) from None
    day = marked.date
    target = "/today" if day == runner.today else f"/today?date={day.isoformat()}"
    return RedirectResponse(f"{target}#lesson-{lesson_id}", status_code=303)


def _reading_section(request: Request, reading: DayReading, today: date) -> Response:
    context = {"reading": reading, "day": reading.day, "is_today": reading.day == today}
    response = render(request, "today/_reading.html", context)
    response.headers["Vary"] = "HX-Request"
    return response
