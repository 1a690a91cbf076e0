"""The outcome questionnaires: the Kujala knee scale, the weekly pain report and the worry
check (the fear-of-movement screen).

Today links here when one is due. A page asks every question (radio cards, or a 0–10 scale),
``services.journal.questionnaires.record_response`` checks, scores and stores the answers, and the
answer page shows the score and the change since the first one; for the worry check, the
prompt to get help and the reassurance page when it is high, a kind note when it is not. The
router is included by ``checkin``'s, since the app registers the check-in room.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from runrehab.adapters.documents import parse_json
from runrehab.errors import InvalidDocument, JournalError, Problem
from runrehab.services.journal.questionnaires import (
    due_view,
    questionnaire_view,
    read_answers,
    record_response,
    response_view,
)
from runrehab.services.records import QuestionnaireResponse
from runrehab.web.deps import AppParts, Csrf, Parts, Runner, RunnerDep
from runrehab.web.errors import problem
from runrehab.web.query import DayText
from runrehab.web.rendering import form_fields, nice_date, render
from runrehab.web.routes.system import api_error_responses
from runrehab.web.routes.today import BadDay, parse_day, programme_start, query_day

router = APIRouter(dependencies=[Csrf])

BODY_MAX = 64 * 1024
DAY_WORDS = (
    "The day (YYYY-MM-DD), from the programme's first to the runner's today; default the "
    "runner's today. Any other day is a 400 saying why."
)


def _known(app_parts: AppParts, instrument: str) -> None:
    if instrument not in app_parts.content.instruments:
        raise HTTPException(404, "There is no questionnaire with that name.")


def _day(text: str | None, app_parts: AppParts, runner: Runner) -> date:
    return parse_day(text, runner.today, programme_start(app_parts, runner.person_id))


def _stored(
    app_parts: AppParts, person_id: str, instrument: str, day: date
) -> QuestionnaireResponse | None:
    with app_parts.reader() as uow:
        found = [r for r in uow.repo.responses(person_id, instrument) if r.day == day]
    return found[-1] if found else None


# --- pages --------------------------------------------------------------------------------------


@router.get("/questionnaires/{instrument}", include_in_schema=False)
def questionnaire_page(
    request: Request,
    app_parts: Parts,
    runner: RunnerDep,
    instrument: str,
    when: str | None = Query(None, alias="date"),
) -> Response:
    _known(app_parts, instrument)
    day = _day(when, app_parts, runner)
    earlier = _stored(app_parts, runner.person_id, instrument, day)
    answers = {} if earlier is None else {k: str(v) for k, v in earlier.answers.items()}
    return _form(request, app_parts, instrument, day, answers, {}, earlier is not None)


def _form(
    request: Request,
    app_parts: AppParts,
    instrument: str,
    day: date,
    answers: dict[str, str],
    errors: dict[str, str],
    answered: bool,
    status_code: int = 200,
) -> Response:
    context = {
        "q": questionnaire_view(app_parts.content, instrument),
        "day": day,
        "answers": answers,
        "errors": errors,
        "answered": answered,
    }
    return render(
        request, "checkin/questionnaire.html", context, status_code=status_code, active="checkin"
    )


@router.post("/questionnaires/{instrument}", include_in_schema=False)
async def questionnaire_submit(
    request: Request, app_parts: Parts, runner: RunnerDep, instrument: str
) -> Response:
    _known(app_parts, instrument)
    fields = await form_fields(request)
    return await run_in_threadpool(_submit, request, app_parts, runner, instrument, fields)


def _submit(
    request: Request,
    app_parts: AppParts,
    runner: Runner,
    instrument: str,
    fields: dict[str, str],
) -> Response:
    items = questionnaire_view(app_parts.content, instrument)["items"]
    shown = {i["id"]: fields[i["id"]] for i in items if fields.get(i["id"], "").strip()}
    try:
        day = _day(fields.get("date"), app_parts, runner)
    except BadDay as err:
        errors = {"date": str(err)}
        return _form(request, app_parts, instrument, runner.today, shown, errors, False, 400)
    answers: dict[str, Any] = {
        i["id"]: _answer(i, shown[i["id"]]) for i in items if i["id"] in shown
    }
    try:
        record_response(
            app_parts.db.unit_of_work(),
            app_parts.clock,
            app_parts.content,
            instrument,
            day,
            answers,
            runner.person_id,
        )
    except InvalidDocument as err:
        errors = _errors(err.problems)
        return _form(request, app_parts, instrument, day, shown, errors, False, 400)
    return RedirectResponse(f"/questionnaires/{instrument}/done?date={day}", status_code=303)


def _answer(item: dict[str, Any], raw: str) -> str | int:
    """A scale item's answer is a number; a choice item's the option's id."""
    text = raw.strip()
    number = item["kind"] == "scale" and len(text) <= 3 and text.isdecimal()
    return int(text) if number else text


def _errors(problems: tuple[Problem, ...]) -> dict[str, str]:
    errors: dict[str, str] = {}
    for p in problems:
        name = p.path.removeprefix("$.answers.").removeprefix("$.")
        message = "Choose an answer." if p.message.startswith("missing") else "Choose one of these."
        errors.setdefault(name if name != "answers" else "form", message)
    return errors


@router.get("/questionnaires/{instrument}/done", include_in_schema=False)
def questionnaire_done(
    request: Request,
    app_parts: Parts,
    runner: RunnerDep,
    instrument: str,
    when: str | None = Query(None, alias="date"),
) -> Response:
    _known(app_parts, instrument)
    day = _day(when, app_parts, runner)
    response = _stored(app_parts, runner.person_id, instrument, day)
    if response is None:
        return problem(request, 404, f"Nothing was answered on {nice_date(day, True)}.")
    view = response_view(app_parts.reader(), app_parts.content, response, runner.person_id)
    return render(
        request, "checkin/questionnaire_done.html", {"r": view, "day": day}, active="checkin"
    )


# --- API --------------------------------------------------------------------------------------


@router.get(
    "/api/v1/questionnaires/due",
    tags=["today"],
    summary="The questionnaires due on a day",
    response_model=None,
    responses={200: {"description": "What is due."}, **api_error_responses(400, 401, 409)},
)
def api_due(
    request: Request,
    app_parts: Parts,
    runner: RunnerDep,
    when: Annotated[DayText, Query(alias="date", description=DAY_WORDS)] = None,
) -> Response:
    started = programme_start(app_parts, runner.person_id)
    if started is None:
        raise JournalError("no programme yet: answer the intake assessment first")
    day = query_day(when, runner.today, started)
    return JSONResponse(due_view(app_parts.reader(), app_parts.content, day, runner.person_id))


@router.get(
    "/api/v1/questionnaires/{instrument}",
    tags=["today"],
    summary="A questionnaire's questions and answers (kujala, weekly_pain, fear_of_movement)",
    response_model=None,
    responses={200: {"description": "The items."}, **api_error_responses(401, 404)},
)
def api_questionnaire(app_parts: Parts, runner: RunnerDep, instrument: str) -> dict[str, Any]:
    _known(app_parts, instrument)
    return questionnaire_view(app_parts.content, instrument)


@router.post(
    "/api/v1/questionnaires/{instrument}",
    tags=["today"],
    summary='Answer a questionnaire: {"answers": {item id: option id or 0-10}}',
    response_model=None,
    status_code=201,
    responses={
        201: {"description": "The score, the change since the first answer, any decision."},
        **api_error_responses(400, 401, 403, 404, 413, 422),
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["answers"],
                        "properties": {
                            "answers": {
                                "type": "object",
                                "description": "Each item's id with its answer: a choice's "
                                "option id, or a scale's number.",
                                "additionalProperties": {"type": ["string", "integer"]},
                            }
                        },
                    },
                    "example": {"answers": {"usual": 3, "worst": 5}},
                }
            },
        }
    },
)
async def api_answer(
    request: Request,
    app_parts: Parts,
    runner: RunnerDep,
    instrument: str,
    when: Annotated[DayText, Query(alias="date", description=DAY_WORDS)] = None,
) -> Response:
    _known(app_parts, instrument)
    body = await request.body()
    if len(body) > BODY_MAX:
        return problem(request, 413, "Those answers are far too large.")
    answers = read_answers(parse_json(body, "questionnaire"))
    day = query_day(when, runner.today, programme_start(app_parts, runner.person_id))
    view = await run_in_threadpool(_answer_api, app_parts, runner, instrument, day, answers)
    return JSONResponse(view, status_code=201)


def _answer_api(
    app_parts: AppParts, runner: Runner, instrument: str, day: date, answers: dict[str, Any]
) -> dict[str, Any]:
    response = record_response(
        app_parts.db.unit_of_work(),
        app_parts.clock,
        app_parts.content,
        instrument,
        day,
        answers,
        runner.person_id,
    )
    return response_view(app_parts.reader(), app_parts.content, response, runner.person_id)
