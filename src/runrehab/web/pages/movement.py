"""The movement check pages: the runner's checks with the upload form, one check (its progress
while it is analysed, then its figures per rep, the knee angles over time, the key frames and
the findings), a key frame's image, the kept video, and deleting a check.

A check's page and its key frames are shown to the runner who filmed it and to a clinician of
their clinic (who reads it from the patient's page, without the runner's navigation); anyone
else gets 404, as for a check that does not exist. Only the runner deletes it or gets the video.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from runrehab.services.movement.checks import (
    MovementRefused,
    checks_page,
    delete_check,
    kept_video,
)
from runrehab.web.deps import AppParts, Csrf, Parts, Runner, RunnerDep
from runrehab.web.movement_uploads import (
    PRIVATE,
    MovementDep,
    check_view,
    frame_response,
    guard_video,
    movement_lifespan,
    start_movement_upload,
)
from runrehab.web.rendering import render

router = APIRouter(dependencies=[Depends(guard_video), Csrf], lifespan=movement_lifespan)

Position = Annotated[int, Path(ge=1, le=10_000)]


@router.get("/movement", include_in_schema=False)
def movement(request: Request, app_parts: Parts, runner: RunnerDep) -> Response:
    return movement_answer(request, app_parts, runner)


def movement_answer(
    request: Request,
    app_parts: AppParts,
    runner: Runner,
    refused: MovementRefused | None = None,
) -> Response:
    """The runner's checks and the upload form (with why an upload was refused)."""
    view = checks_page(app_parts.reader(), app_parts.content.words, runner.person_id)
    context = {"view": view, "refused": refused}
    status = 200 if refused is None else refused.status
    return render(request, "movement/index.html", context, status_code=status, active="movement")


@router.post("/movement", include_in_schema=False)
async def upload(
    request: Request, app_parts: Parts, runner: RunnerDep, movement_parts: MovementDep
) -> Response:
    try:
        started = await start_movement_upload(request, app_parts, runner, movement_parts)
    except MovementRefused as refused:
        return await run_in_threadpool(movement_answer, request, app_parts, runner, refused)
    return RedirectResponse(started.page, status_code=303)


@router.get("/movement/{check_id}", include_in_schema=False)
def check(request: Request, app_parts: Parts, runner: RunnerDep, check_id: str) -> Response:
    view = check_view(request, app_parts, runner, check_id)
    context = {"view": view, "hide_nav": not view.own}
    return render(request, "movement/check.html", context, active="movement")


@router.get("/movement/{check_id}/frames/{position}.jpg", include_in_schema=False)
def frame(
    request: Request, app_parts: Parts, runner: RunnerDep, check_id: str, position: Position
) -> Response:
    return frame_response(request, app_parts, runner, check_id, position)


@router.get("/movement/{check_id}/video", include_in_schema=False)
def video(app_parts: Parts, runner: RunnerDep, check_id: str) -> Response:
    found = kept_video(app_parts.reader(), runner.person_id, check_id)
    if found is None:
        raise HTTPException(404)
    return Response(found.video, media_type=found.media_type, headers=PRIVATE)


@router.post("/movement/{check_id}/delete", include_in_schema=False)
def delete(app_parts: Parts, runner: RunnerDep, check_id: str) -> Response:
    if not delete_check(app_parts.writer(), runner.person_id, check_id):
        raise HTTPException(404)
    return RedirectResponse("/movement?deleted=1", status_code=303)
