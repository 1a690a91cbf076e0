"""The movement checks API: upload a video of an exercise (analysed in the background), follow
it, read its figures, get its key frames, delete it. The same use cases as the pages
(``services.movement.checks``), answering ``jsonable`` of their views; a check is its runner's
(and their clinician's, who reads it), anyone else's id is 404.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from runrehab.services.movement.checks import (
    MovementRefused,
    checks_page,
    delete_check,
)
from runrehab.services.views import jsonable
from runrehab.web.api_docs import api_error_responses
from runrehab.web.deps import Csrf, Parts, RunnerDep
from runrehab.web.errors import BadRequest
from runrehab.web.movement_uploads import (
    FRAME_ANSWER,
    UPLOAD_BODY,
    MovementDep,
    check_view,
    frame_response,
    guard_video,
    start_movement_upload,
)

router = APIRouter(dependencies=[Depends(guard_video), Csrf])

BASE = "/api/v1/movement-checks"
Position = Annotated[int, Path(ge=1, le=10_000, description="The rep's number (from 1).")]


class CheckStartedOut(BaseModel):
    id: str
    status: str = Field(description="queued: the analysis starts as soon as the worker is free.")
    url: str = Field(description="Poll this for the progress and the figures.")
    page: str = Field(description="The same, as a web page.")


class RepOut(BaseModel):
    number: int
    side: str | None = Field(description="left, right or both.")
    side_name: str
    start_s: float
    bottom_s: float
    end_s: float
    down_s: float
    up_s: float
    knee_flexion_max_deg: float | None
    fppa_deg: float | None = Field(description="Frontal-plane projection angle at the bottom.")


class FindingOut(BaseModel):
    rule: str = Field(description="The rule's id (see /api/v1/library/rules).")
    title: str
    text: str
    source: str
    detail: str


class FrameOut(BaseModel):
    position: int
    time_s: float
    url: str
    alt: str


class EvidenceOut(BaseModel):
    gate: str = Field(description="The readiness test it counts for.")
    exercise: str
    side: str | None
    reps: int
    needed: int
    met: bool
    text: str


class CheckOut(BaseModel):
    id: str
    created_at: str
    exercise: str
    exercise_name: str
    view: str | None
    view_name: str
    status: str = Field(description="queued, processing, done or failed.")
    status_name: str
    progress: int = Field(ge=0, le=100)
    finished: bool
    reason: str | None = Field(description="Why it was not analysed, when it failed.")
    file_name: str
    keep_video: bool
    video_kept: bool
    rep_count: int | None
    frames: int | None
    frames_with_pose: int | None
    tracking: str | None
    reps: list[RepOut]
    findings: list[FindingOut]
    key_frames: list[FrameOut]
    evidence: EvidenceOut | None
    knee_angles: dict[str, list[float | None]] | None = Field(
        description="t (s), left and right knee flexion (degrees) over time."
    )


class CheckSummaryOut(BaseModel):
    id: str
    created_at: str
    exercise: str
    exercise_name: str
    status: str
    status_name: str
    progress: int
    rep_count: int | None
    reason: str | None


class ChecksOut(BaseModel):
    checks: list[CheckSummaryOut]


class DeletedOut(BaseModel):
    deleted: str


@router.post(
    BASE,
    tags=["movement"],
    summary="Upload a video of an exercise; it is analysed in the background",
    status_code=202,
    response_model=CheckStartedOut,
    responses=api_error_responses(400, 401, 403, 413),
    openapi_extra=UPLOAD_BODY,
)
async def api_upload(
    request: Request, app_parts: Parts, runner: RunnerDep, movement_parts: MovementDep
) -> Response:
    try:
        started = await start_movement_upload(request, app_parts, runner, movement_parts)
    except MovementRefused as refused:
        if refused.status == 400:
            raise BadRequest(refused.message, f"body.{refused.field or 'video'}") from None
        raise HTTPException(refused.status, refused.message) from None
    return JSONResponse(jsonable(started), status_code=202, headers={"Location": started.url})


@router.get(
    BASE,
    tags=["movement"],
    summary="The runner's movement checks, newest first",
    response_model=ChecksOut,
    responses=api_error_responses(401),
)
def api_checks(app_parts: Parts, runner: RunnerDep) -> Any:
    view = checks_page(app_parts.reader(), app_parts.content.words, runner.person_id)
    return {"checks": jsonable(view.checks)}


@router.get(
    BASE + "/{check_id}",
    tags=["movement"],
    summary="One movement check: its progress, then its figures per rep and findings",
    response_model=CheckOut,
    responses=api_error_responses(401, 404),
)
def api_check(request: Request, app_parts: Parts, runner: RunnerDep, check_id: str) -> Any:
    view = check_view(request, app_parts, runner, check_id)
    document = jsonable(view)
    for frame in document["key_frames"]:
        frame["url"] = f"{BASE}/{view.id}/frames/{frame['position']}"
    return document


@router.get(
    BASE + "/{check_id}/frames/{position}",
    tags=["movement"],
    summary="A key frame (a rep's deepest point, the skeleton and angles drawn) as JPEG",
    responses={**FRAME_ANSWER, **api_error_responses(401, 404)},
)
def api_frame(
    request: Request, app_parts: Parts, runner: RunnerDep, check_id: str, position: Position
) -> Response:
    return frame_response(request, app_parts, runner, check_id, position)


@router.delete(
    BASE + "/{check_id}",
    tags=["movement"],
    summary="Delete a movement check with its figures, landmarks, key frames and video",
    response_model=DeletedOut,
    responses=api_error_responses(401, 403, 404),
)
def api_delete(app_parts: Parts, runner: RunnerDep, check_id: str) -> Any:
    if not delete_check(app_parts.writer(), runner.person_id, check_id):
        raise HTTPException(404)
    return {"deleted": check_id}
