"""Background imports of uploaded watch files: starting one, and the job that runs it.

An upload becomes a job (queued) at once, and a job of kind ``IMPORT`` on the app's
``JobQueue`` (``services.jobs``): a thread of the web process, or ``runrehab worker`` on
PostgreSQL, then finds, measures and keeps the files (``run_import``) while the page polls
``done`` of ``total``. The worker opens a new unit of work for every transaction, so the
pages it races with are never blocked for long, and it always ends the job: done with the
import's report, or failed with a message. It never raises (a bad upload must not take the
server down) and always deletes the upload's folder.

Run twice, it finishes once (``import_job``, the queue's handler, keyed by the job's id): a
finished job is left alone, and a job a killed worker left running is resumed where its last
batch ended, its report so far carried on, so nothing is imported twice or reported twice.
The queue retries a job whose worker was killed; after ``MAX_ATTEMPTS`` the job is given up
(interrupted, saying what it kept), so an upload that kills its worker cannot loop forever.

Where the truth lives: each batch of activities is written in one transaction together with
the job's ``done`` and its report so far (``import_activities``' ``on_batch``). So whenever the
server dies (even ``kill -9``), the job's report lists exactly the activities kept, with the
duplicates and refused files found until then, and ``done`` counts exactly the files behind it.
A job the server left unfinished is marked interrupted when it starts again; its page shows
what was kept and says that uploading the same files again finishes it (the kept ones are then
recognised as already here).

Reading and measuring the files is an adapter's work, and saving a request's files the web's:
the web layer hands both in (a ``Scanner``, and the saving as a function) with the
``ImportWorker`` (this layer may not import the adapters). How a job is shown is
``services.activities.runs_views``'.
"""

from __future__ import annotations

import functools
import itertools
import logging
import shutil
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from runrehab.content.words import Words
from runrehab.services.accounts.account import check_timezone
from runrehab.services.activities.import_jobs import ImportJob, JobStatus, JobUnitOfWork
from runrehab.services.activities.runs_views import ImportJobView, job_view
from runrehab.services.activities.watch_import import (
    ImportReport,
    MeasuredFile,
    RefusedFile,
    import_activities,
    import_report_view,
)
from runrehab.services.jobs import Job, JobQueue, QueueClosed
from runrehab.services.ports import Clock
from runrehab.services.views import jsonable

log = logging.getLogger("runrehab.import")

PROGRESS_EVERY_S = 0.5
"""Write a batch (its activities, ``done`` and the report so far) at least this often, and
not once a file: a bulk export of thousands of files would otherwise write to the database
once a file, for a page that looks once a second."""

IMPORT = "activities.import"
"""The kind of job that imports an upload; its payload: ``job`` (the import job's id),
``person``, ``zone`` (the IANA zone of its runs) and ``folder`` (the upload's files)."""

MAX_ATTEMPTS = 3
"""Runs of one import job before it is given up: a worker killed (or a machine lost) twice
is bad luck, three times is the upload itself."""

FINISHED = frozenset({JobStatus.DONE, JobStatus.FAILED, JobStatus.INTERRUPTED})


@dataclass(frozen=True, slots=True)
class Scan:
    """What an upload holds: how many files there are to go through, how many were set aside
    (not activity files: photos, csv lists), and the files, measured or refused, in order
    (a lazy iterable: measuring happens as the import takes them)."""

    total: int
    skipped: int
    items: Iterable[MeasuredFile | RefusedFile]


Scanner = Callable[[Path], Scan]
"""Finds and measures the activity files in a folder (the web layer's adapter)."""


class SavedFiles(Protocol):
    """An upload saved to a private folder: the folder, and the runner's own file names."""

    @property
    def folder(self) -> Path: ...
    @property
    def names(self) -> Sequence[str]: ...


@dataclass(frozen=True, slots=True)
class ImportWorker:
    """What imports an upload in the background: a new unit of work for each transaction,
    the clock, the words a job's messages are said in, the scanner of an upload's folder, and
    the queue the import is handed to."""

    new_uow: Callable[[], JobUnitOfWork]
    clock: Clock
    words: Words
    scan: Scanner
    queue: JobQueue


# --- the job ----------------------------------------------------------------------------------


def upload_label(words: Words, names: Sequence[str]) -> str:
    """What the runner uploaded, in a few words: "run.fit", or "run.fit and 3 more"."""
    if not names:
        return words.say("runs.upload.nothing")
    first = names[0]
    if len(names) == 1:
        return first
    return words.say("runs.upload.and_more", first=first, n=len(names) - 1)


def start_import(
    worker: ImportWorker, person_id: str, zone_name: str, save: Callable[[], SavedFiles]
) -> ImportJobView:
    """An upload's import, queued: the zone of its runs checked (``AccountError``), its files
    saved (``save``, which may refuse them), a job made and handed to the worker. Nothing is
    kept when it is refused; the job, queued."""
    zone = ZoneInfo(check_timezone(worker.words, zone_name))
    saved = save()
    folder = saved.folder
    try:
        job = _queue(worker, person_id, saved.names)
        try:
            folder = worker.queue.attach(job.id, saved.folder)
            payload = {"job": job.id, "person": person_id, "zone": zone.key, "folder": str(folder)}
            worker.queue.enqueue(IMPORT, payload, key=job.id)
        except QueueClosed:  # the server is shutting down
            shutil.rmtree(folder, ignore_errors=True)
            fail_job(worker, job.id, worker.words.say("runs.job.server_stopping"))
        except OSError:  # the upload could not be handed over (a full disk)
            log.exception("import job %s could not be queued", job.id)
            shutil.rmtree(folder, ignore_errors=True)
            fail_job(worker, job.id, worker.words.say("runs.upload.cannot_store"))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return job_view(worker.words, job)


def import_handler(worker: ImportWorker) -> Callable[[Job], None]:
    """The queue's handler for ``IMPORT`` jobs, with what imports them."""
    return functools.partial(import_job, worker)


def import_job(worker: ImportWorker, run: Job) -> None:
    """Run the import job of ``run``'s payload, once: a job already finished (a second
    delivery) is left as it is, and one given up after ``MAX_ATTEMPTS`` runs is ended as
    interrupted, keeping what its batches stored. Raises only when the database cannot be
    reached (then nothing could be recorded anyway)."""
    payload = run.payload
    folder = Path(payload["folder"])
    with worker.new_uow() as uow:
        job = uow.jobs.get_job(payload["person"], payload["job"])
    if job is None or job.status in FINISHED:
        shutil.rmtree(folder, ignore_errors=True)
        return
    if run.attempt >= MAX_ATTEMPTS:
        shutil.rmtree(folder, ignore_errors=True)
        message = worker.words.say("runs.job.worker_stopped", n=run.attempt)
        _end(worker, job.id, JobStatus.INTERRUPTED, message=message)
        return
    if not folder.is_dir():  # another host's folder, or one lost with a restart or a restore
        log.error(
            "import job %s: its upload %s is not on this host; every web process and worker "
            "must share RUNREHAB_UPLOAD_DIR",
            job.id,
            folder,
        )
        _end(worker, job.id, JobStatus.FAILED, message=worker.words.say("runs.job.upload_gone"))
        return
    run_import(worker, job, folder, ZoneInfo(payload["zone"]))


def clear_left_uploads(worker: ImportWorker, root: Path, older_than: timedelta) -> int:
    """Delete the uploads in ``root`` (a folder per job, named by its id) that no job waits
    for any more and that are older than ``older_than``: those of a web process that stopped
    between keeping an upload and queueing its job, or of a job whose person is gone. How
    many were deleted."""
    try:
        folders = {p.name: p for p in root.iterdir() if p.is_dir()}
    except OSError:  # no folder yet: nothing was ever uploaded
        return 0
    before = worker.clock.now() - older_than
    old = {
        k: p for k, p in folders.items() if datetime.fromtimestamp(p.stat().st_mtime, UTC) < before
    }
    with worker.new_uow() as uow:
        waited_for = uow.jobs.unfinished(sorted(old))
    for name in old.keys() - waited_for:
        shutil.rmtree(old[name], ignore_errors=True)
    return len(old.keys() - waited_for)


def _queue(worker: ImportWorker, person_id: str, names: Sequence[str]) -> ImportJob:
    """A new job for the person's upload, queued until the worker takes it."""
    job = ImportJob(
        id=uuid.uuid4().hex,
        person_id=person_id,
        status=JobStatus.QUEUED,
        file_name=upload_label(worker.words, names),
        total=len(names),
        done=0,
        created_at=worker.clock.now(),
    )
    with worker.new_uow() as uow:
        uow.jobs.add_job(job)
        uow.commit()
    return job


def fail_job(worker: ImportWorker, job_id: str, message: str) -> None:
    """Mark the job failed with a message the runner can act on (unless it has finished)."""
    _end(worker, job_id, JobStatus.FAILED, message=message)


def _end(worker: ImportWorker, job_id: str, status: JobStatus, **figures: Any) -> bool:
    """Finish the job with ``status``, unless it is finished already; whether it was now."""
    with worker.new_uow() as uow:
        ended = uow.jobs.finish_job(job_id, status, worker.clock.now(), **figures)
        uow.commit()
    return ended


def run_import(worker: ImportWorker, job: ImportJob, folder: Path, zone: tzinfo) -> None:
    """The worker: import the upload in ``folder`` for the job's person (from where the job's
    last batch ended, when a killed worker left it running), delete the folder, then finish
    the job. Never raises: whatever goes wrong ends the job as failed."""
    try:
        finished = _import(worker, job, folder, zone)
    except Exception:
        log.exception("import job %s failed", job.id)
        finished = None
    finally:
        shutil.rmtree(folder, ignore_errors=True)  # before the job says done: nothing lingers
    try:
        if finished is not None:
            _end(
                worker,
                job.id,
                JobStatus.DONE,
                done=finished.done,
                total=finished.total,
                report=finished.report,
            )
            return
    except Exception:
        log.exception("import job %s could not be marked done", job.id)
    _give_up(worker, job.id)


@dataclass(frozen=True, slots=True)
class _Finished:
    """A job's final figures: the files behind what was kept, of how many, and the report."""

    done: int
    total: int
    report: dict[str, Any]


def _import(worker: ImportWorker, job: ImportJob, folder: Path, zone: tzinfo) -> _Finished:
    """Find, measure and keep the files (past the ``done`` a killed run left); the job's
    final figures and report."""
    _update(worker, job.id, status=JobStatus.RUNNING)
    found = worker.scan(folder)
    _update(worker, job.id, total=found.total)
    uow = worker.new_uow()
    before = job.done  # the files a killed run stored, in the order the scan gives them again
    kept = job.report if before else None
    written = before

    def record(so_far: ImportReport, files: int) -> None:
        """In the batch's own transaction: the job says what is stored, no more, no less."""
        nonlocal written
        document = _carried(kept, _document(so_far, found.skipped))
        uow.jobs.update_job(job.id, done=before + files, report=document)
        written = before + files

    try:
        report = import_activities(
            uow,
            worker.clock,
            itertools.islice(found.items, before, None),
            zone,
            job.person_id,
            on_batch=record,
            batch_every_s=PROGRESS_EVERY_S,
            words=worker.words,
        )
    finally:
        _close(found.items)
    document = _carried(kept, _document(report, found.skipped))
    return _Finished(written, max(found.total, written), document)


def _carried(kept: dict[str, Any] | None, now: dict[str, Any]) -> dict[str, Any]:
    """The report of a resumed job: what the killed run kept, then what this one did."""
    if kept is None:
        return now
    lists = ("imported", "duplicates", "rejected")
    return {**now, **{name: [*kept.get(name, []), *now.get(name, [])] for name in lists}}


def _document(report: ImportReport, skipped: int) -> dict[str, Any]:
    """The report as the job keeps it: its JSON document."""
    document: dict[str, Any] = jsonable(import_report_view(report, skipped))
    return document


def _close(items: Iterable[object]) -> None:
    """Stop a measuring generator left half-way (an error), so its worker processes end now
    rather than whenever it is collected."""
    close = getattr(items, "close", None)
    if callable(close):
        close()


def _give_up(worker: ImportWorker, job_id: str) -> None:
    try:
        fail_job(worker, job_id, worker.words.say("runs.job.failed"))
    except Exception:  # the database itself is gone: the next start marks it interrupted
        log.exception("could not mark import job %s failed", job_id)


def _update(worker: ImportWorker, job_id: str, **changes: Any) -> None:
    with worker.new_uow() as uow:
        uow.jobs.update_job(job_id, **changes)
        uow.commit()
