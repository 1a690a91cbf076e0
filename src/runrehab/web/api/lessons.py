"""Marking a week-1 lesson as read through the API: the same use case as Today's button,
answering ``jsonable`` of its view (the document ``runrehab read --json`` prints). Marking a
lesson read twice changes nothing; an unknown lesson is 404, naming it, before its day is
looked at."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query

from runrehab.services.journal.asked_day import AskedDay
from runrehab.services.journal.lessons import UnknownLesson, mark_read_asked
from runrehab.services.views import jsonable
from runrehab.web.api_docs import api_error_responses
from runrehab.web.deps import Csrf, Parts, RunnerDep
from runrehab.web.query import DayText

router = APIRouter(dependencies=[Csrf])


@router.post(
    "/api/v1/lessons/{lesson_id}/read",
    tags=["today"],
    summary="Mark one of the week-1 lessons as read (again changes nothing)",
    response_model=None,
    response_description="The lesson, the day it was read, `already_read` when it had been "
    "marked before (the first day stands), and `education`: how many are read.",
    responses=api_error_responses(400, 401, 403, 404, 409),
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
) -> Any:
    try:
        marked = mark_read_asked(
            app_parts.writer(),
            app_parts.clock,
            app_parts.content,
            lesson_id,
            AskedDay(when, runner.today, blank_is_today=False),
            runner.person_id,
        )
    except UnknownLesson as err:
        raise HTTPException(404, str(err)) from None
    return jsonable(marked)
