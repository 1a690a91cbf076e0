"""The intake room: the assessment asked as a wizard, its triage result, and their JSON API.

Pages. ``GET /start`` shows the first step, or the red-flag instruction while one stands.
``POST /start/step`` checks one step and answers with the next (or the same again with its
problems); the answers of the other steps travel in hidden fields, so the wizard needs neither
JavaScript nor state on the server. A red flag on the warning-sign steps stops it at once; the
last step starts the programme. Both then redirect to ``GET /start/result``. ``GET /start/new``
begins a new assessment whatever stands.

API (tag ``assessment``): ``POST /api/v1/assessment`` (the contract's document; starts the
programme), ``GET /api/v1/assessment`` (the answer that stands) and ``POST /api/v1/triage``
(triage only, nothing stored).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from runrehab.adapters.documents import parse_json, read_assessment, schema
from runrehab.engine.questionnaire import FEAR_OF_MOVEMENT
from runrehab.services.intake import outcome
from runrehab.services.intake import questions as intake
from runrehab.services.intake.triage import triage_view
from runrehab.services.journal.programme import Started, start_programme
from runrehab.services.journal.questionnaires import due_view
from runrehab.services.records import Programme
from runrehab.web.deps import AppParts, Csrf, Parts, Runner, RunnerDep
from runrehab.web.rendering import form_lists, render
from runrehab.web.routes.system import api_error_responses

router = APIRouter(dependencies=[Csrf])

MAX_DOCUMENT_BYTES = 64 * 1024
"""An assessment is about 1 KB; anything this big is not one."""
BLOCKS = {
    "injury": ("history.injury.mechanism", "fall_or_direct_blow twisting landing other"),
    "running-now": ("running.currently_running", "yes"),
}
"""Question blocks the page folds away until the answer that makes them apply (JavaScript)."""
_NORTH_AMERICA = {
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "America/Detroit",
    "America/Boise",
    "America/Toronto",
    "America/Vancouver",
    "America/Edmonton",
    "America/Winnipeg",
    "America/Regina",
    "America/Halifax",
    "America/St_Johns",
    "America/Mexico_City",
    "Pacific/Honolulu",
}


def emergency_number(zone: str) -> str | None:
    """The emergency number of the runner's time zone, only where it is certain."""
    if zone == "Europe/London":
        return "999"
    if zone.startswith("Europe/"):
        return "112"
    if zone in _NORTH_AMERICA:
        return "911"
    if zone.startswith("Australia/"):
        return "000"
    return "111" if zone == "Pacific/Auckland" else None


# --- pages: the wizard ------------------------------------------------------------------------


@router.get("/start", include_in_schema=False)
def start_page(request: Request, app_parts: Parts, runner: RunnerDep) -> Response:
    found = outcome.standing(app_parts.reader(), app_parts.content, runner.person_id)
    if found is not None and found.red_flag:
        return _instruction(request, runner, found)  # it stands until a new assessment
    return _wizard(request, app_parts, runner, 0, {})


@router.get("/start/new", include_in_schema=False)
def new_assessment(request: Request, app_parts: Parts, runner: RunnerDep) -> Response:
    return _wizard(request, app_parts, runner, 0, {})


@router.post("/start/step", include_in_schema=False)
async def step_submit(request: Request, app_parts: Parts, runner: RunnerDep) -> Response:
    form = await form_lists(request)
    answers = intake.known_answers(form)
    index = _step_index(form)
    if form.get("go") == ["back"]:
        return _wizard(request, app_parts, runner, max(index - 1, 0), answers)
    # this step and the earlier ones (back in hidden fields, so possibly changed since)
    for earlier in range(index + 1):
        errors = intake.check_step(intake.STEPS[earlier], answers)
        if errors:
            return _wizard(request, app_parts, runner, earlier, answers, errors)
    step = intake.STEPS[index]
    if step.warning_signs and _stop_for_red_flag(app_parts, runner, answers):
        return RedirectResponse("/start/result", status_code=303)
    if index + 1 < len(intake.STEPS):
        return _wizard(request, app_parts, runner, index + 1, answers)
    return _finish(request, app_parts, runner, answers)


def _step_index(form: dict[str, list[str]]) -> int:
    """The step the form came from; anything odd starts again at the first."""
    raw = (form.get("step") or ["1"])[-1]
    number = int(raw) if raw.isdecimal() and len(raw) < 3 else 1
    return number - 1 if 1 <= number <= len(intake.STEPS) else 0


def _stop_for_red_flag(app_parts: AppParts, runner: Runner, answers: intake.Answers) -> bool:
    assessment = read_assessment(intake.warning_signs_document(answers))
    signs = outcome.warning_signs(assessment, app_parts.content)
    if signs is None:
        return False
    outcome.stop_intake(
        app_parts.db.unit_of_work(), app_parts.clock, signs, runner.today, runner.person_id
    )
    return True


def _finish(
    request: Request, app_parts: AppParts, runner: Runner, answers: intake.Answers
) -> Response:
    # the earlier answers came back in hidden fields: check them all again before storing
    unfinished = intake.first_unfinished(answers)
    if unfinished is not None:
        return _wizard(request, app_parts, runner, unfinished[0], answers, unfinished[1])
    document = intake.build_document(answers)
    assessment = read_assessment(document)
    uow = app_parts.db.unit_of_work
    if not outcome.is_repeat(uow(), runner.person_id, document, runner.today):
        start_programme(
            uow(),
            app_parts.clock,
            app_parts.content,
            document,
            assessment,
            runner.today,
            runner.person_id,
        )
    return RedirectResponse("/start/result", status_code=303)


def _wizard(
    request: Request,
    app_parts: AppParts,
    runner: Runner,
    index: int,
    answers: intake.Answers,
    errors: dict[str, str] | None = None,
) -> Response:
    step = intake.STEPS[index]
    last = index == len(intake.STEPS) - 1
    context = {
        "step": step,
        "number": index + 1,
        "total": len(intake.STEPS),
        "answers": answers,
        "carried": intake.carried(answers, step),
        "errors": errors or {},
        "questions": intake.QUESTIONS,
        "blocks": BLOCKS,
        "last": last,
        "has_programme": (index == 0 or last) and _has_programme(app_parts, runner),
    }
    status = 400 if errors else 200
    return render(request, "onboarding/wizard.html", context, status_code=status, active="today")


def _has_programme(app_parts: AppParts, runner: Runner) -> bool:
    with app_parts.reader() as uow:
        return uow.repo.current_programme(runner.person_id) is not None


# --- pages: the result ------------------------------------------------------------------------


@router.get("/start/result", include_in_schema=False)
def result_page(request: Request, app_parts: Parts, runner: RunnerDep) -> Response:
    found = outcome.standing(app_parts.reader(), app_parts.content, runner.person_id)
    if found is None:
        return RedirectResponse("/start", status_code=303)
    if found.red_flag:
        return _instruction(request, runner, found)
    view = found.view
    document = found.assessment.document if found.assessment else None
    context: dict[str, Any] = {
        "view": view,
        "day": found.day,
        "self_manage": view["disposition"] == "self_manage",
        "suspected": outcome.suspected(view),
        "tell": outcome.tell_them(view, document),
        "plan": None,
        "worry_check": False,
    }
    if context["self_manage"] and found.assessment is not None:
        start = found.programme.started_on if found.programme else found.day
        context["plan"] = outcome.projection(found.assessment, start, app_parts.content)
        context["worry_check"] = _worry_check_due(app_parts, runner, found.programme)
    return render(request, "onboarding/result.html", context, active="today")


def _worry_check_due(app_parts: AppParts, runner: Runner, programme: Programme | None) -> bool:
    """The fear-of-movement screen is offered here when it is due (the intake's one)."""
    if programme is None or runner.today < programme.started_on:
        return False
    due = due_view(app_parts.reader(), app_parts.content, runner.today, runner.person_id)
    return any(d["instrument"] == FEAR_OF_MOVEMENT for d in due["due"])


def _instruction(request: Request, runner: Runner, found: outcome.Standing) -> Response:
    """The red-flag instruction, full screen: where to go now, why, what to tell them."""
    document = found.assessment.document if found.assessment else None
    emergency = found.view["disposition"] == "emergency"
    context = {
        "view": found.view,
        "day": found.day,
        "tell": outcome.tell_them(found.view, document),
        "call": emergency_number(runner.account.timezone) if emergency else None,
        "emergency": emergency,
    }
    return render(request, "onboarding/stop.html", context, active=None)


# --- API --------------------------------------------------------------------------------------


def _openapi_schema(node: Any, defs: dict[str, Any]) -> Any:
    """The contract schema with its ``$defs`` written in place, as OpenAPI can show it."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return _openapi_schema(defs[ref.removeprefix("#/$defs/")], defs)
        skip = {"$schema", "$id", "$defs"}
        return {k: _openapi_schema(v, defs) for k, v in node.items() if k not in skip}
    if isinstance(node, list):
        return [_openapi_schema(v, defs) for v in node]
    return node


_CONTRACT = schema("assessment")
ASSESSMENT_BODY = {
    "requestBody": {
        "required": True,
        "description": "An intake assessment, valid under `contracts/assessment.schema.json`.",
        "content": {"application/json": {"schema": _openapi_schema(_CONTRACT, _CONTRACT["$defs"])}},
    }
}


async def _document(request: Request) -> Any:
    """The JSON document in the request body; 413 when it is far too big for one."""
    declared = request.headers.get("content-length", "0")
    if declared.isdecimal() and int(declared) > MAX_DOCUMENT_BYTES:
        raise HTTPException(413, f"An assessment is at most {MAX_DOCUMENT_BYTES // 1024} KB.")
    body = await request.body()
    if len(body) > MAX_DOCUMENT_BYTES:
        raise HTTPException(413, f"An assessment is at most {MAX_DOCUMENT_BYTES // 1024} KB.")
    return parse_json(body, "assessment")


def _programme_out(programme: Programme, app_parts: AppParts) -> dict[str, Any]:
    state = programme.state
    return {
        "id": programme.id,
        "started": programme.started_on.isoformat(),
        "status": state.status.value,
        "pathway": state.pathway.value,
        "phase": {"number": state.phase, "name": app_parts.content.phase_name(state.phase)},
    }


def _started_out(started: Started, app_parts: AppParts) -> dict[str, Any]:
    view = outcome.assessment_view(started.assessment, app_parts.content)
    view.update(
        person=started.person.id,
        assessment_version=started.assessment.version,
        date=started.assessment.recorded_on.isoformat(),
        programme=_programme_out(started.programme, app_parts),
    )
    return view


@router.post(
    "/api/v1/assessment",
    tags=["assessment"],
    summary="Take an intake assessment: triage it and start the programme today",
    description="Like `runrehab start --json`: the triage (disposition, reasons with rule ids "
    "and sources, the pathway) and the programme started on the runner's own today. A red "
    "flag starts a stopped programme, a see-a-clinician answer a referred one; the current "
    "programme, if any, ends today.",
    status_code=201,
    responses=api_error_responses(401, 403, 413, 422),
    openapi_extra=ASSESSMENT_BODY,
)
async def api_start(request: Request, app_parts: Parts, runner: RunnerDep) -> JSONResponse:
    document = await _document(request)
    assessment = read_assessment(document)
    started = start_programme(
        app_parts.db.unit_of_work(),
        app_parts.clock,
        app_parts.content,
        document,
        assessment,
        runner.today,
        runner.person_id,
    )
    return JSONResponse(_started_out(started, app_parts), status_code=201)


@router.get(
    "/api/v1/assessment",
    tags=["assessment"],
    summary="The intake answer that stands: the latest assessment's triage",
    description="`warning_signs_only` is true when the web intake stopped at a red flag "
    "before the assessment was complete (then `assessment_version` is null); such a stop "
    "stands until a new assessment is taken.",
    responses=api_error_responses(401, 404),
)
def api_latest(app_parts: Parts, runner: RunnerDep) -> JSONResponse:
    found = outcome.standing(app_parts.reader(), app_parts.content, runner.person_id)
    if found is None:
        raise HTTPException(404, "No assessment yet: POST one to /api/v1/assessment.")
    view = dict(found.view)
    view.update(
        date=found.day.isoformat(),
        assessment_version=found.assessment.version if found.assessment else None,
        programme=_programme_out(found.programme, app_parts) if found.programme else None,
    )
    return JSONResponse(view)


@router.post(
    "/api/v1/triage",
    tags=["assessment"],
    summary="Triage an assessment without storing anything",
    description="Like `runrehab triage --json`: emergency, urgent, see a clinician or "
    "self-manage, with every reason.",
    responses=api_error_responses(401, 403, 413, 422),
    openapi_extra=ASSESSMENT_BODY,
)
async def api_triage(request: Request, app_parts: Parts, runner: RunnerDep) -> JSONResponse:
    del runner  # signed in, but nothing of theirs is read or written
    assessment = read_assessment(await _document(request))
    content = app_parts.content
    view = triage_view(assessment, content.catalogue.protocol, content.book, content.settings)
    return JSONResponse(view)
