"""The check-in in the API: record a day's check-in (the checkin-v1 contract document, checked
and answered as ``runrehab checkin`` does) and list the runner's check-ins."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from runrehab.services.journal.checkin import check_in, checkins_of
from runrehab.services.views import jsonable
from runrehab.web.api_docs import api_error_responses
from runrehab.web.deps import Csrf, Parts, RunnerDep
from runrehab.web.documents import CHECKIN_BODY, parse_checkin, read_checkin
from runrehab.web.errors import BadRequest, problem
from runrehab.web.query import DayText, iso_day

router = APIRouter(dependencies=[Csrf])


def _answer(*, description: str) -> dict[str, str]:
    """A success answer's OpenAPI description (developers' words, not the runner's)."""
    return {"description": description}


BODY_MAX = 256 * 1024  # a check-in is a few hundred bytes; this is far more than any needs


@router.post(
    "/api/v1/checkins",
    tags=["today"],
    summary="Record a day's check-in (the checkin-v1 contract document); replaces that day's",
    response_model=None,
    status_code=201,
    responses={
        200: _answer(description="Recorded, replacing the day's earlier check-in."),
        201: _answer(description="Recorded: the day's decision with its reasons."),
        **api_error_responses(401, 403, 409, 413, 422),
    },
    openapi_extra=CHECKIN_BODY,
)
async def api_checkin(request: Request, app_parts: Parts, runner: RunnerDep) -> Response:
    body = await request.body()
    if len(body) > BODY_MAX:
        return problem(request, 413, app_parts.content.words.say("checkin.problem.too_large"))
    document = parse_checkin(body)
    answer = await run_in_threadpool(
        check_in,
        app_parts.writer(),
        app_parts.clock,
        app_parts.content,
        read_checkin,
        document,
        runner.today,
        runner.person_id,
    )
    return JSONResponse(jsonable(answer), status_code=200 if answer.replaced else 201)


@router.get(
    "/api/v1/checkins",
    tags=["today"],
    summary="The runner's check-ins, newest first (or one day's)",
    response_model=None,
    responses={200: _answer(description='{"checkins": [...]}'), **api_error_responses(400, 401)},
)
def api_checkins(
    app_parts: Parts,
    runner: RunnerDep,
    when: Annotated[DayText, Query(alias="date", description="Only this day (YYYY-MM-DD).")] = None,
) -> Any:
    day = None
    if when is not None:
        day = iso_day(when)
        if day is None:
            words = app_parts.content.words
            raise BadRequest(words.say("journal.day.not_a_date", text=when[:40]))
    return jsonable(checkins_of(app_parts.reader(), app_parts.content, runner.person_id, day))
