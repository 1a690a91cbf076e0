"""Movement checks: a runner films an exercise with their phone; RunRehab measures it.

``start_check`` takes an upload: the exercise and the view checked first, then the file saved
(``save``, the web's: it refuses an empty or too large upload), then probed (``Probe``: a video
by its first bytes, and at most ``max_seconds`` long). Anything refused leaves nothing behind.
The check is then queued and handed to the background worker (``submit``), which runs
``run_check``: the analysis (``Analyser``: pose, figures, key frames, in a process of its own)
with its progress, then the result stored in one transaction. The uploaded video is deleted
once analysed, whatever happened; it is kept in the database only when the runner ticked "keep
my video". The worker never raises: a clip the analysis refuses (nobody in view, a codec it
cannot read) ends the check as failed with its reason, anything else with a plain "went wrong".

Reading: ``check_page`` (one check with its figures per rep, the knee angles over time as a
chart, the key frames, the findings, and whether it is evidence for a readiness test) for the
runner who filmed it and for a clinician of their clinic (each such read is logged, as every
read of a patient's data); ``checks_page`` lists the runner's own; ``delete_check`` deletes one
with everything it kept. How a check reads is ``check_views``' (its chart, ``chart``'s).
"""

from __future__ import annotations

import logging
import shutil
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from runrehab.content import locale
from runrehab.content.words import Words
from runrehab.engine.protocol import Protocol
from runrehab.errors import RunRehabError
from runrehab.services.clinic.access import Clinician, NotFound, log_read, require_patient
from runrehab.services.jobs import Handler, Job, JobQueue
from runrehab.services.movement.check_views import (
    AUTO_VIEW,
    ChecksPage,
    CheckSummary,
    CheckView,
    check_view,
    exercise_name,
    summary,
    view_name,
)
from runrehab.services.movement.records import (
    CheckStatus,
    ClinicMovementUnitOfWork,
    KeyFrame,
    MovementCheck,
    MovementUnitOfWork,
    StoredMovementCheck,
    StoredVideo,
)
from runrehab.services.ports import Clock

log = logging.getLogger("runrehab.movement")

EXERCISES = ("single_leg_squat", "step_down", "squat", "lunge")
"""What can be filmed (``runrehab movement --exercise``)."""
VIEWS = ("front", "side")
MAX_SECONDS = 120.0
"""The longest clip taken (issue 18: two minutes)."""
LISTED = 50


class MovementRefused(RunRehabError, ValueError):
    """An upload that cannot be taken (nothing is kept): why, in plain words, the form field at
    fault, and the HTTP status it is (400, 413 too large, 503 the server)."""

    def __init__(self, message: str, field: str | None = None, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status


class VideoProblem(RunRehabError, ValueError):
    """What a probe finds wrong with a file: the words' key (``movement.web.refused.<key>``)
    and the values they name."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


class AnalysisRefused(RunRehabError, ValueError):
    """The analysis cannot measure this clip (nobody in view, a codec it cannot read, the
    video extra missing): why, already in the runner's words."""


@dataclass(frozen=True, slots=True)
class VideoFacts:
    """What a probe learned of a file: its media type and length (None: not known before
    decoding; the analysis then checks it)."""

    media_type: str
    seconds: float | None


@dataclass(frozen=True, slots=True)
class Analysed:
    """What the analysis gives back: the figures (the ``runrehab movement --json`` document),
    the knee flexion over time (``t``, ``left``, ``right``: seconds and degrees, None where
    the pose was not found), the landmarks per frame, and a key frame per repetition."""

    result: dict[str, Any]
    knee_angles: dict[str, list[float | None]]
    landmarks: dict[str, Any]
    frames: tuple[KeyFrame, ...] = ()


Progress = Callable[[int], None]
Analyser = Callable[[Path, str, str | None, Progress], Analysed]
"""``(video, exercise, view or None to detect it, progress 0-100)``; ``AnalysisRefused``."""
Probe = Callable[[Path], VideoFacts]
"""Looks at a saved upload before it is queued; ``VideoProblem`` when it is not a clip."""
Submit = Callable[["MovementWorker", MovementCheck, Path, str], object]
"""Hands a queued check (its video, the video's media type) to the background worker."""
MOVEMENT_JOB = "movement-check"
"""The job queue's kind for a check's analysis (``services.jobs``; ``movement_handler``); its
payload: ``check`` (the check's id), ``path`` (its video), ``media_type`` and ``language``."""
MAX_ATTEMPTS = 3
"""Runs of one check's analysis before it is given up: a worker killed twice under a clip is
bad luck, three times is the clip."""


@dataclass(frozen=True, slots=True)
class SavedVideo:
    """An upload saved to a private folder (deleted with the folder)."""

    path: Path
    name: str
    size: int


@dataclass(frozen=True, slots=True)
class CheckRequest:
    """What the upload form sends besides the file."""

    exercise: str
    view: str = AUTO_VIEW
    keep_video: bool = False


@dataclass(frozen=True, slots=True)
class MovementWorker:
    """What analyses a check in the background: a new unit of work for each transaction, the
    clock, the words, the probe and the analyser, and ``submit``, which hands a queued check to
    the worker (``RuntimeError`` once it is stopping): ``in_thread`` or ``on_queue``."""

    new_uow: Callable[[], MovementUnitOfWork]
    clock: Clock
    words: Words
    probe: Probe
    analyse: Analyser
    submit: Submit
    max_seconds: float = MAX_SECONDS


@dataclass(frozen=True, slots=True)
class CheckStarted:
    id: str
    status: CheckStatus
    url: str
    page: str


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who asks to see a check: the signed-in account, their person, and where from."""

    person_id: str
    account_id: str
    address: str = ""


# --- the upload --------------------------------------------------------------------------------


def check_request(words: Words, exercise: str | None, view: str | None) -> CheckRequest:
    """The exercise and view asked, checked; ``MovementRefused`` naming the field."""
    exercise = (exercise or "").strip()
    if exercise not in EXERCISES:
        choices = ", ".join(EXERCISES)
        raise MovementRefused(
            words.say("movement.web.refused.exercise", choices=choices), "exercise"
        )
    view = (view or AUTO_VIEW).strip() or AUTO_VIEW
    if view not in (*VIEWS, AUTO_VIEW):
        choices = ", ".join((AUTO_VIEW, *VIEWS))
        raise MovementRefused(words.say("movement.web.refused.view", choices=choices), "view")
    return CheckRequest(exercise, view)


def start_check(
    worker: MovementWorker,
    person_id: str,
    request: CheckRequest,
    save: Callable[[], SavedVideo],
) -> CheckStarted:
    """The upload's check, queued: the request checked, the video saved and probed, a check
    made and handed to the worker. ``MovementRefused`` with nothing kept otherwise."""
    request = CheckRequest(
        check_request(worker.words, request.exercise, request.view).exercise,
        request.view or AUTO_VIEW,
        request.keep_video,
    )
    saved = save()
    try:
        facts = _probe(worker, saved)
        check = _queue(worker, person_id, request, saved.name)
        try:
            worker.submit(worker, check, saved.path, facts.media_type)
        except RuntimeError:  # the worker is stopping with the server (QueueClosed too)
            _finish(worker, check.id, worker.words.say("movement.web.failed.stopping"))
            _discard(saved.path)
        except OSError:  # the video could not be handed to the queue (a full disk)
            log.exception("movement check %s could not be queued", check.id)
            _finish(worker, check.id, worker.words.say("movement.web.failed.went_wrong"))
            _discard(saved.path)
    except BaseException:
        _discard(saved.path)
        raise
    return started(check)


def started(check: MovementCheck) -> CheckStarted:
    return CheckStarted(
        check.id, check.status, f"/api/v1/movement-checks/{check.id}", f"/movement/{check.id}"
    )


def _probe(worker: MovementWorker, saved: SavedVideo) -> VideoFacts:
    words = worker.words
    try:
        facts = worker.probe(saved.path)
    except VideoProblem as problem:
        message = words.say(f"movement.web.refused.{problem.key}", **problem.values)
        raise MovementRefused(message, "video") from None
    if facts.seconds is not None and facts.seconds > worker.max_seconds:
        raise MovementRefused(
            words.say(
                "movement.web.refused.too_long",
                seconds=round(facts.seconds),
                limit=_minutes(worker.max_seconds),
            ),
            "video",
        )
    return facts


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:g}"


def _queue(
    worker: MovementWorker, person_id: str, request: CheckRequest, name: str
) -> MovementCheck:
    check = MovementCheck(
        id=uuid.uuid4().hex,
        person_id=person_id,
        created_at=worker.clock.now(),
        exercise=request.exercise,
        view=None if request.view == AUTO_VIEW else request.view,
        status=CheckStatus.QUEUED,
        progress=0,
        file_name=name,
        keep_video=request.keep_video,
    )
    with worker.new_uow() as uow:
        uow.movement.add(check)
        uow.commit()
    return check


def _discard(path: Path) -> None:
    """Delete the saved upload with its private folder."""
    shutil.rmtree(path.parent, ignore_errors=True)
    path.unlink(missing_ok=True)


# --- the worker --------------------------------------------------------------------------------


def in_thread(executor: Executor) -> Submit:
    """Run each check's analysis on ``executor`` (a thread of the web process)."""

    def submit(worker: MovementWorker, check: MovementCheck, path: Path, media: str) -> object:
        return executor.submit(run_check, worker, check, path, media)

    return submit


def on_queue(queue: JobQueue) -> Submit:
    """Put each check's analysis on the job queue (``services.jobs``), its video attached;
    ``movement_handler`` runs it where the queue's worker is (this process's thread, or
    ``runrehab worker``). The payload names the language of the request, so a failed check's
    reason is said in the runner's language wherever it runs."""

    def submit(worker: MovementWorker, check: MovementCheck, path: Path, media: str) -> object:
        folder = queue.attach(check.id, path.parent)
        payload = {
            "check": check.id,
            "path": str(folder / path.name),
            "media_type": media,
            "language": locale.current(),
        }
        try:
            queue.enqueue(MOVEMENT_JOB, payload, key=check.id)
        except BaseException:  # not queued: the video is deleted where it was moved to
            if folder != path.parent:
                shutil.rmtree(folder, ignore_errors=True)
            raise
        return None

    return submit


def movement_handler(
    worker: MovementWorker, in_language: Callable[[str], MovementWorker] | None = None
) -> Handler:
    """The job queue's handler of ``MOVEMENT_JOB``. Idempotent: a check already finished (a
    job delivered again) is left as it is, its video deleted. A job run again because its
    worker was killed analyses the clip afresh (a killed run stored nothing: the result is
    stored in one transaction); after ``MAX_ATTEMPTS`` runs the check is failed with why, so a
    clip that kills its worker cannot loop forever. ``in_language``: the worker saying its
    reasons in the payload's language (None: ``worker`` in its own)."""

    def handle(job: Job) -> None:
        payload = job.payload
        path = Path(str(payload["path"]))
        language = payload.get("language")
        run = worker
        if in_language is not None and isinstance(language, str):
            run = in_language(language)
        with run.new_uow() as uow:
            check = uow.movement.find(str(payload["check"]))
        if check is None or check.finished:
            _discard(path)
            return
        if job.attempt >= MAX_ATTEMPTS:
            _discard(path)
            _give_up(run, check.id, run.words.say("movement.web.failed.gave_up", n=job.attempt))
            return
        if not path.is_file():  # another host's folder, or one lost with a restart
            log.error(
                "movement check %s: its video %s is not on this host; every web process and "
                "worker must share RUNREHAB_UPLOAD_DIR",
                check.id,
                path,
            )
            _give_up(run, check.id, run.words.say("movement.web.failed.video_gone"))
            return
        run_check(run, check, path, str(payload["media_type"]))

    return handle


def queues_nothing(
    _worker: MovementWorker, _check: MovementCheck, _path: Path, _media: str
) -> object:
    """The ``submit`` of the worker a job runs with: a running job queues no further check."""
    raise RuntimeError(MOVEMENT_JOB)


def unavailable(words: Words) -> Analyser:
    """The analyser of a process without the ``video`` extra: every clip refused, saying so
    (a worker that cannot analyse ends the check failed with why, never leaves it waiting)."""

    def analyse(_path: Path, _exercise: str, _view: str | None, _progress: Progress) -> Analysed:
        raise AnalysisRefused(words.say("movement.web.refused.unavailable"))

    return analyse


def run_check(worker: MovementWorker, check: MovementCheck, path: Path, media_type: str) -> None:
    """Analyse the check's video, store what it found, and delete the video (kept in the
    database only when the runner asked). Never raises: whatever goes wrong ends the check as
    failed, with its reason."""
    try:
        _update(worker, check.id, status=CheckStatus.PROCESSING, progress=1)
        analysed = worker.analyse(path, check.exercise, check.view, _progress(worker, check.id))
        video = StoredVideo(media_type, path.read_bytes()) if check.keep_video else None
        _store(worker, check, analysed, video)
    except AnalysisRefused as refused:
        _give_up(worker, check.id, str(refused))
    except Exception:
        log.exception("movement check %s failed", check.id)
        _give_up(worker, check.id, worker.words.say("movement.web.failed.went_wrong"))
    finally:
        _discard(path)


def _progress(worker: MovementWorker, check_id: str) -> Progress:
    """Write the progress when it moves by 5 points or more (the page looks once a second)."""
    last = [0]

    def report(percent: int) -> None:
        percent = max(1, min(99, int(percent)))
        if percent - last[0] >= 5:
            last[0] = percent
            _update(worker, check_id, progress=percent)

    return report


def _store(
    worker: MovementWorker, check: MovementCheck, analysed: Analysed, video: StoredVideo | None
) -> None:
    result = {**analysed.result, "knee_angles": analysed.knee_angles}
    view = analysed.result.get("view")
    with worker.new_uow() as uow:
        uow.movement.update(
            check.id,
            status=CheckStatus.DONE,
            progress=100,
            result=result,
            landmarks=analysed.landmarks,
            view=view if isinstance(view, str) else check.view,
            finished_at=worker.clock.now(),
        )
        uow.movement.add_frames(check.id, list(analysed.frames))
        if video is not None:
            uow.movement.keep_video(check.id, video)
        uow.commit()


def _give_up(worker: MovementWorker, check_id: str, reason: str) -> None:
    try:
        _finish(worker, check_id, reason)
    except Exception:  # the database itself is gone: the next start marks it failed
        log.exception("could not mark movement check %s failed", check_id)


def _finish(worker: MovementWorker, check_id: str, reason: str) -> None:
    _update(
        worker, check_id, status=CheckStatus.FAILED, reason=reason, finished_at=worker.clock.now()
    )


def _update(worker: MovementWorker, check_id: str, **changes: Any) -> None:
    with worker.new_uow() as uow:
        uow.movement.update(check_id, **changes)
        uow.commit()


def fail_unfinished(uow: MovementUnitOfWork, clock: Clock, words: Words) -> int:
    """At the server's start: the checks a stopped server left queued or processing, failed
    with why (their videos went with the server's temporary folder)."""
    with uow:
        count = uow.movement.fail_unfinished(clock.now(), words.say("movement.web.failed.stopped"))
        uow.commit()
    return count


# --- reading -----------------------------------------------------------------------------------


def checks_page(uow: MovementUnitOfWork, words: Words, person_id: str) -> ChecksPage:
    """The runner's checks, newest first, with the form's choices."""
    with uow:
        found = uow.movement.checks(person_id, LISTED)
    return ChecksPage(
        checks=tuple(summary(words, c) for c in found),
        exercises=tuple((e, exercise_name(words, e)) for e in EXERCISES),
        views=tuple((v, view_name(words, v)) for v in (AUTO_VIEW, *VIEWS)),
        max_seconds=int(MAX_SECONDS),
    )


def patient_checks(
    uow: ClinicMovementUnitOfWork,
    clock: Clock,
    words: Words,
    who: Clinician,
    patient_id: str,
) -> tuple[CheckSummary, ...]:
    """A patient's checks for a clinician of their clinic (``NotFound`` for anyone else);
    the read is logged."""
    with uow:
        require_patient(uow.clinic, who, patient_id, words)
        found = uow.movement.checks(patient_id, LISTED)
    if found:
        log_read(uow, who, patient_id, "movement_checks", clock.now())
    return tuple(summary(words, c) for c in found)


def check_page(
    uow: ClinicMovementUnitOfWork,
    clock: Clock,
    words: Words,
    protocol: Protocol,
    viewer: Viewer,
    check_id: str,
) -> CheckView | None:
    """The check, for the runner who filmed it or a clinician of their clinic now (the
    clinician's read is logged); None for anyone else, as for a check that does not exist."""
    found = _visible(uow, words, viewer, check_id)
    if found is None:
        return None
    check, frames, video, clinician = found
    if clinician is not None:
        log_read(uow, clinician, check.person_id, "movement_check", clock.now())
    return check_view(words, protocol, check, frames, video, own=clinician is None)


def key_frame(
    uow: ClinicMovementUnitOfWork,
    clock: Clock,
    words: Words,
    viewer: Viewer,
    check_id: str,
    position: int,
) -> KeyFrame | None:
    """One key frame of a check, for the same people as ``check_page``."""
    with uow:
        check, clinician = _who_sees(uow, words, viewer, check_id)
        if check is None:
            return None
        frame = uow.movement.frame(check.id, position)
    if frame is not None and clinician is not None:
        log_read(uow, clinician, check.person_id, "movement_key_frame", clock.now())
    return frame


def kept_video(uow: MovementUnitOfWork, person_id: str, check_id: str) -> StoredVideo | None:
    """The runner's own kept video of their check (None: not kept, or not theirs)."""
    with uow:
        check = uow.movement.get(person_id, check_id)
        return None if check is None else uow.movement.video(check.id)


def delete_check(uow: MovementUnitOfWork, person_id: str, check_id: str) -> bool:
    """Delete the runner's check with its figures, landmarks, key frames and video; whether
    there was one of theirs."""
    with uow:
        deleted = uow.movement.delete(person_id, check_id)
        uow.commit()
    return deleted


def _visible(
    uow: ClinicMovementUnitOfWork, words: Words, viewer: Viewer, check_id: str
) -> tuple[MovementCheck, list[KeyFrame], StoredVideo | None, Clinician | None] | None:
    with uow:
        check, clinician = _who_sees(uow, words, viewer, check_id)
        if check is None:
            return None
        frames = uow.movement.frames(check.id)
        video = uow.movement.video(check.id) if check.keep_video else None
    return check, frames, video, clinician


def _who_sees(
    uow: ClinicMovementUnitOfWork, words: Words, viewer: Viewer, check_id: str
) -> tuple[MovementCheck | None, Clinician | None]:
    """The check if the viewer filmed it, or else if they are a clinician of its runner's
    clinic now (with the clinician)."""
    own = uow.movement.get(viewer.person_id, check_id)
    if own is not None:
        return own, None
    member = uow.clinic.staff_member(viewer.account_id)
    if member is None:
        return None, None
    check = uow.movement.find(check_id)
    if check is None:
        return None, None
    clinician = Clinician(
        member.account_id,
        viewer.person_id,
        member.clinic_id,
        member.role,
        member.name,
        viewer.address,
    )
    try:
        require_patient(uow.clinic, clinician, check.person_id, words)
    except NotFound:
        return None, None
    return check, clinician


# --- the export and the import -----------------------------------------------------------------


def exported_checks(uow: object, person_id: str) -> tuple[StoredMovementCheck, ...]:
    """Inside an open unit of work: every check of the person with its key frames and kept
    video, for the export (none from a unit of work without movement checks: a test's fake)."""
    store = getattr(uow, "movement", None)
    if store is None:
        return ()
    return tuple(
        StoredMovementCheck(check, tuple(store.frames(check.id)), store.video(check.id))
        for check in store.all_checks(person_id)
    )


def restore_checks(uow: object, stored: Sequence[StoredMovementCheck]) -> None:
    """Inside an open unit of work: the checks of an imported export, stored as they were."""
    store = getattr(uow, "movement", None)
    if store is None or not stored:
        return
    for item in stored:
        store.add(item.check)
        store.add_frames(item.check.id, list(item.frames))
        if item.video is not None:
            store.keep_video(item.check.id, item.video)
