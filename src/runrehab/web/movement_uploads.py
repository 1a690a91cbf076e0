"""Movement checks, from the request to the background worker.

``MovementParts`` is what the movement routes need beyond the app's parts: the thread that
analyses a check when the app runs its own jobs (one check at a time: a clip takes about as
long to analyse as to watch, and must not hold up the watch imports), the analyser (None when
the ``video`` extra is not installed: uploads are then refused with why), the probe, and the
size limit. It is built on first use and kept on ``app.state.movement``, where a test may put
its own (a fake analyser, a thread that runs at once).

A check's analysis is a job of the app's job queue (``services.jobs``, kind ``MOVEMENT_JOB``):
with ``RUNREHAB_JOB_QUEUE=postgres`` it is queued in PostgreSQL and ``runrehab worker`` runs it
(``bootstrap.worker_handlers``); otherwise it runs in this process, on ``MovementParts``'
thread, through the app's own handlers (``job_handler``, registered by ``create_app``).

``start_movement_upload`` saves the request's video in a private folder of the process's
scratch folder (moved to the shared upload folder when a worker runs it; deleted after the
analysis), counting bytes against the limit, and queues it
(``services.movement.checks.start_check``).
"""

from __future__ import annotations

import functools
import logging
import shutil
import tempfile
import threading
from collections.abc import AsyncIterator
from concurrent.futures import Executor, ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, BinaryIO

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, State, UploadFile

from runrehab.adapters.activity_import import scratch_folder
from runrehab.adapters.queue.threads import ThreadQueue
from runrehab.content import locale
from runrehab.content.words import Words
from runrehab.services.activities.runs_views import size_words
from runrehab.services.jobs import Handler, Job, JobHandlers, JobQueue
from runrehab.services.movement.check_views import AUTO_VIEW, CheckView
from runrehab.services.movement.checks import (
    EXERCISES,
    MAX_SECONDS,
    MOVEMENT_JOB,
    VIEWS,
    Analyser,
    CheckRequest,
    CheckStarted,
    MovementRefused,
    MovementWorker,
    Probe,
    SavedVideo,
    Submit,
    Viewer,
    check_page,
    check_request,
    fail_unfinished,
    key_frame,
    movement_handler,
    on_queue,
    queues_nothing,
    start_check,
    unavailable,
)
from runrehab.web.deps import AppParts, Parts, Runner
from runrehab.web.uploads import safe_name

log = logging.getLogger("runrehab.movement")

FOLDER_PREFIX = "movement-"
PRIVATE = {"Cache-Control": "private, no-store"}
"""A key frame or a kept video: health data, never kept by a cache."""
UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["video", "exercise"],
                    "properties": {
                        "video": {
                            "type": "string",
                            "format": "binary",
                            "description": "The clip (MP4, MOV, WebM), at most 2 minutes.",
                        },
                        "exercise": {"type": "string", "enum": list(EXERCISES)},
                        "view": {
                            "type": "string",
                            "enum": [AUTO_VIEW, *VIEWS],
                            "description": "Where it was filmed from (auto: found from it).",
                        },
                        "keep_video": {
                            "type": "string",
                            "enum": ["0", "1"],
                            "description": "1: keep the video (by default it is deleted once "
                            "analysed; only the figures, landmarks and key frames are kept).",
                        },
                    },
                }
            }
        },
    }
}
"""The body of ``POST /api/v1/movement-checks``: a multipart form, which FastAPI cannot
describe from the route's signature."""
FRAME_ANSWER: dict[int | str, dict[str, Any]] = {
    200: {"description": "The image.", "content": {"image/jpeg": {}}}
}

_CHUNK = 1024 * 1024
_BUILDING = threading.Lock()


@dataclass
class MovementParts:
    executor: Executor
    analyse: Analyser | None
    probe: Probe
    max_bytes: int
    max_seconds: float = MAX_SECONDS
    queue: JobQueue | None = None
    """Where checks go (``movement_queue``: set on first use)."""


def default_parts(app_parts: AppParts) -> MovementParts:
    """The real worker: MediaPipe's pose when the ``video`` extra is installed."""
    from runrehab import bootstrap
    from runrehab.adapters import movement_media
    from runrehab.adapters.video.pose import video_extra_installed
    from runrehab.services.movement.analysis import shipped_movement_content

    words = app_parts.content.words
    limits = shipped_movement_content().limits
    pose = bootstrap.pose_source(limits)
    analyse = movement_media.analyser(words, pose) if video_extra_installed() else None
    limit = min(app_parts.config.max_upload_bytes, limits.max_bytes)
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="runrehab-movement")
    return MovementParts(executor, analyse, movement_media.probe, limit, limits.max_seconds)


def movement_parts(request: Request, app_parts: Parts) -> MovementParts:
    return _parts_of(request.app.state, app_parts)


def _parts_of(state: State, app_parts: AppParts) -> MovementParts:
    found = getattr(state, "movement", None)
    if isinstance(found, MovementParts):
        return found
    with _BUILDING:
        found = getattr(state, "movement", None)
        if not isinstance(found, MovementParts):
            found = default_parts(app_parts)
            state.movement = found
    return found


MovementDep = Annotated[MovementParts, Depends(movement_parts)]


def movement_queue(state: State, app_parts: AppParts, movement: MovementParts) -> JobQueue:
    """Where a check's analysis is queued: when the app runs its own jobs (``own_jobs`` on
    ``app.state``, set by ``create_app``), a queue on the movement thread running the app's
    handlers; otherwise the app's queue (PostgreSQL, run by ``runrehab worker``)."""
    if movement.queue is None:
        own: JobHandlers | None = getattr(state, "own_jobs", None)
        if own is not None or app_parts.jobs is None:
            handlers = own if own is not None else _handlers_here(state)
            movement.queue = ThreadQueue(movement.executor, handlers)
        else:
            movement.queue = app_parts.jobs
    return movement.queue


def _handlers_here(state: State) -> JobHandlers:
    """An app without a job queue (not built by ``create_app``): the check's handler alone."""
    handlers = JobHandlers()
    handlers.register(MOVEMENT_JOB, job_handler(state))
    return handlers


def worker(state: State, app_parts: AppParts, movement: MovementParts) -> MovementWorker:
    """What the check's use cases are handed (``MovementRefused`` when this server cannot
    analyse videos)."""
    words = app_parts.content.words
    if movement.analyse is None:
        raise MovementRefused(words.say("movement.web.refused.unavailable"), "video", 503)
    return _worker(app_parts, movement, on_queue(movement_queue(state, app_parts, movement)))


def _worker(app_parts: AppParts, movement: MovementParts, submit: Submit) -> MovementWorker:
    words = app_parts.content.words
    return MovementWorker(
        new_uow=app_parts.writer,
        clock=app_parts.clock,
        words=words,
        probe=movement.probe,
        analyse=movement.analyse or unavailable(words),
        submit=submit,
        max_seconds=movement.max_seconds,
    )


def job_handler(state: State) -> Handler:
    """The handler of ``MOVEMENT_JOB`` in a web process that runs its own jobs (the app's
    ``state``: its parts, and the movement parts a test may have put there)."""

    def handle(job: Job) -> None:
        app_parts: AppParts = state.parts
        movement = _parts_of(state, app_parts)

        def in_language(language: str) -> MovementWorker:
            with locale.using(language):
                return _worker(app_parts, movement, queues_nothing)

        movement_handler(_worker(app_parts, movement, queues_nothing), in_language)(job)

    return handle


def viewer(request: Request, runner: Runner) -> Viewer:
    address = request.client.host if request.client else ""
    return Viewer(runner.person_id, runner.account.id, address)


# --- the upload --------------------------------------------------------------------------------


def check_view(request: Request, app_parts: AppParts, runner: Runner, check_id: str) -> CheckView:
    """A check as its page and its API answer show it, for its runner and their clinicians
    only (404 for anyone else)."""
    view = check_page(
        app_parts.reader(),
        app_parts.clock,
        app_parts.content.words,
        app_parts.content.protocol,
        viewer(request, runner),
        check_id,
    )
    if view is None:
        raise HTTPException(404)
    return view


def frame_response(
    request: Request, app_parts: AppParts, runner: Runner, check_id: str, position: int
) -> Response:
    """A check's key frame as its image, for its runner and their clinicians only (404 for
    anyone else): the page's and the API's address answer the same."""
    found = key_frame(
        app_parts.reader(),
        app_parts.clock,
        app_parts.content.words,
        viewer(request, runner),
        check_id,
        position,
    )
    if found is None:
        raise HTTPException(404)
    return Response(found.image, media_type=found.media_type, headers=PRIVATE)


def too_large(words: Words, limit: int) -> str:
    return words.say("movement.web.refused.too_large", size=size_words(words, limit))


async def guard_video(request: Request, app_parts: Parts) -> AsyncIterator[None]:
    """Refuse an upload whose declared size is over the limit before its body is read; close
    the form's temporary files afterwards, whatever happened."""
    declared = request.headers.get("content-length", "")
    if request.method == "POST" and declared.isdigit():
        limit = movement_parts(request, app_parts).max_bytes
        if int(declared) > limit:
            raise HTTPException(413, too_large(app_parts.content.words, limit))
    try:
        yield
    finally:
        form = getattr(request, "_form", None)
        if isinstance(form, FormData):
            await form.close()


async def start_movement_upload(
    request: Request, app_parts: AppParts, runner: Runner, movement: MovementParts
) -> CheckStarted:
    """The request's video, queued for analysis; ``MovementRefused`` with nothing kept."""
    words = app_parts.content.words
    try:
        form = await request.form()
    except Exception:  # a body that is not a form: said as a missing video
        raise MovementRefused(words.say("movement.web.refused.nothing_chosen"), "video") from None
    asked = check_request(words, _text(form, "exercise"), _text(form, "view"))
    keep = _text(form, "keep_video")
    if keep not in (None, "0", "1"):
        raise MovementRefused(words.say("movement.web.refused.keep_video"), "keep_video")
    video = form.get("video")
    if not isinstance(video, UploadFile) or not (video.filename or "").strip():
        raise MovementRefused(words.say("movement.web.refused.nothing_chosen"), "video")
    checks = worker(request.app.state, app_parts, movement)
    name = video.filename or ""
    save = functools.partial(save_video, video.file, name, movement.max_bytes, words)
    return await run_in_threadpool(
        start_check,
        checks,
        runner.person_id,
        CheckRequest(asked.exercise, asked.view, keep == "1"),
        save,
    )


def _text(form: FormData, name: str) -> str | None:
    value = form.get(name)
    return value if isinstance(value, str) else None


def save_video(source: BinaryIO, name: str, limit: int, words: Words) -> SavedVideo:
    """Copy the upload into a new private folder; nothing is left behind when refused."""
    try:
        folder = Path(tempfile.mkdtemp(prefix=FOLDER_PREFIX, dir=scratch_folder()))
    except OSError as err:
        raise MovementRefused(words.say("movement.web.refused.cannot_store"), None, 503) from err
    target = folder / safe_name(name)
    try:
        size = 0
        source.seek(0)
        with target.open("wb") as out:
            while chunk := source.read(_CHUNK):
                size += len(chunk)
                if size > limit:
                    raise MovementRefused(too_large(words, limit), "video", 413)
                out.write(chunk)
    except OSError as err:
        shutil.rmtree(folder, ignore_errors=True)
        raise MovementRefused(words.say("movement.web.refused.cannot_store"), None, 503) from err
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return SavedVideo(target, target.name, size)


@asynccontextmanager
async def movement_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """At start, when this process runs its own jobs, the checks a stopped server left
    unfinished marked failed (their videos were in its scratch folder, deleted since; with
    ``runrehab worker`` the queue runs them again instead); at the end, the thread stopped."""
    parts: AppParts = app.state.parts
    if getattr(app.state, "own_jobs", None) is not None:
        try:
            words = parts.content.words
            await run_in_threadpool(fail_unfinished, parts.writer(), parts.clock, words)
        except Exception:
            log.exception("could not mark the unfinished movement checks")
    try:
        yield
    finally:
        found = getattr(app.state, "movement", None)
        if isinstance(found, MovementParts):
            found.executor.shutdown(wait=False, cancel_futures=True)
