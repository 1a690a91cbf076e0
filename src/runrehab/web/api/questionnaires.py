"""The outcome questionnaires in the API: what is due on a day, a questionnaire's questions, and
answering one. Each answer is ``jsonable`` of the use case's view, the document
``runrehab questionnaire --json`` prints."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from runrehab.services.journal.asked_day import AskedDay
from runrehab.services.journal.questionnaires import (
    AnswersTooLarge,
    UnknownQuestionnaire,
    answer_document,
    questionnaire_view,
    questionnaires_due,
)
from runrehab.services.views import jsonable
from runrehab.web.api_docs import api_error_responses
from runrehab.web.deps import ApiDay, AppParts, Csrf, Parts, RunnerDep
from runrehab.web.errors import problem
from runrehab.web.query import DayText

router = APIRouter(dependencies=[Csrf])


def answers_body(*, description: str) -> dict[str, Any]:
    """The answers document as the OpenAPI document shows it, ``description`` saying what each
    answer is."""
    answers = {
        "type": "object",
        "description": description,
        "additionalProperties": {"type": ["string", "integer"]},
    }
    schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["answers"],
        "properties": {"answers": answers},
    }
    example = {"answers": {"usual": 3, "worst": 5}}
    return {
        "required": True,
        "content": {"application/json": {"schema": schema, "example": example}},
    }


def not_there(app_parts: AppParts) -> HTTPException:
    """The 404 of a questionnaire that is not there."""
    return HTTPException(404, app_parts.content.words.say("questionnaires.refused.unknown"))


@router.get(
    "/api/v1/questionnaires/due",
    tags=["today"],
    summary="The questionnaires due on a day",
    response_model=None,
    response_description="What is due.",
    responses=api_error_responses(400, 401, 409),
)
def api_due(app_parts: Parts, asked: ApiDay) -> Any:
    due = questionnaires_due(
        app_parts.reader(), app_parts.content, asked.day, asked.runner.person_id
    )
    return jsonable(due)


@router.get(
    "/api/v1/questionnaires/{instrument}",
    tags=["today"],
    summary="A questionnaire's questions and answers (kujala, weekly_pain, fear_of_movement)",
    response_model=None,
    response_description="The items.",
    responses=api_error_responses(401, 404),
)
def api_questionnaire(app_parts: Parts, runner: RunnerDep, instrument: str) -> Any:
    try:
        return jsonable(questionnaire_view(app_parts.content, instrument))
    except UnknownQuestionnaire:
        raise not_there(app_parts) from None


@router.post(
    "/api/v1/questionnaires/{instrument}",
    tags=["today"],
    summary='Answer a questionnaire: {"answers": {item id: option id or 0-10}}',
    response_model=None,
    status_code=201,
    response_description="The score, the change since the first answer, any decision.",
    responses=api_error_responses(400, 401, 403, 404, 409, 413, 422),
    openapi_extra={
        "requestBody": answers_body(
            description="Each item's id with its answer: a choice's option id, or a scale's number."
        )
    },
)
async def api_answer(
    request: Request,
    app_parts: Parts,
    runner: RunnerDep,
    instrument: str,
    when: Annotated[
        DayText,
        Query(
            alias="date",
            description="The day (YYYY-MM-DD), from the programme's first to the runner's "
            "today; default the runner's today. Any other day is a 400 saying why.",
        ),
    ] = None,
) -> Response:
    body = await request.body()
    try:
        view = await run_in_threadpool(
            answer_document,
            app_parts.writer(),
            app_parts.clock,
            app_parts.content,
            instrument,
            body,
            AskedDay(when, runner.today, blank_is_today=False),
            runner.person_id,
        )
    except UnknownQuestionnaire:
        raise not_there(app_parts) from None
    except AnswersTooLarge as err:
        return problem(request, 413, str(err))
    return JSONResponse(jsonable(view), status_code=201)
