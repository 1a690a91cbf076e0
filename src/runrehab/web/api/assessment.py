"""The intake room's API (tag ``assessment``): ``POST /api/v1/assessment`` (the contract's
document; starts the programme), ``GET /api/v1/assessment`` (the answer that stands) and
``POST /api/v1/triage`` (triage only, nothing stored). Each answers ``jsonable`` of its use
case's view, the documents ``runrehab start`` and ``runrehab triage`` give.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from fastapi.responses import JSONResponse

from runrehab.services.intake.assessments import latest_answer, take_assessment
from runrehab.services.intake.triage import triage_of
from runrehab.services.views import jsonable
from runrehab.web.api_docs import api_error_responses
from runrehab.web.deps import Csrf, Parts, RunnerDep
from runrehab.web.documents import ASSESSMENT_BODY, AssessmentBody

router = APIRouter(dependencies=[Csrf])


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
def api_start(app_parts: Parts, runner: RunnerDep, sent: AssessmentBody) -> JSONResponse:
    taken = take_assessment(
        app_parts.writer(),
        app_parts.clock,
        app_parts.content,
        sent.document,
        sent.assessment,
        runner.today,
        runner.person_id,
    )
    return JSONResponse(jsonable(taken), status_code=201)


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
    found = latest_answer(app_parts.reader(), app_parts.content, runner.person_id)
    if found is None:
        raise HTTPException(404, app_parts.content.words.say("intake.api.none_yet"))
    return JSONResponse(jsonable(found))


@router.post(
    "/api/v1/triage",
    tags=["assessment"],
    summary="Triage an assessment without storing anything",
    description="Like `runrehab triage --json`: emergency, urgent, see a clinician or "
    "self-manage, with every reason.",
    responses=api_error_responses(401, 403, 413, 422),
    openapi_extra=ASSESSMENT_BODY,
)
def api_triage(app_parts: Parts, runner: RunnerDep, sent: AssessmentBody) -> JSONResponse:
    del runner  # signed in, but nothing of theirs is read or written
    return JSONResponse(jsonable(triage_of(sent.assessment, app_parts.content)))
