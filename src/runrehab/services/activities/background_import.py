"""Background imports of uploaded watch files: starting one, and the worker that runs it.

An upload becomes a job (queued) at once; a worker thread then finds, measures and keeps the
files (``run_import``) while the page polls ``done`` of ``total``. The worker opens a new unit of
work for every transaction, so the pages it races with are never blocked for long, and it
always ends the job: done with the import's report, or failed with a message. It never
raises (a bad upload must not take the server down) and always deletes the upload's folder.

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
import logging
import shutil
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import tzinfo
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
from runrehab.services.ports import Clock
from runrehab.services.views import jsonable

log = logging.getLogger("runrehab.import")

PROGRESS_EVERY_S = 0.5
"""Write a batch (its activities, ``done`` and the report so far) at least this often, and
not once a file: a bulk export of thousands of files would otherwise write to the database
once a file, for a page that looks once a second."""


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
    ``submit``, which hands the work to the app's worker (``RuntimeError`` once it is shutting
    down)."""

    new_uow: Callable[[], JobUnitOfWork]
    clock: Clock
    words: Words
    scan: Scanner
    submit: Callable[[Callable[[], None]], object]


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
    try:
        job = _queue(worker, person_id, saved.names)
        try:
            worker.submit(functools.partial(run_import, worker, job, saved.folder, zone))
        except RuntimeError:  # the worker is shutting down with the server
            shutil.rmtree(saved.folder, ignore_errors=True)
            fail_job(worker, job.id, worker.words.say("runs.job.server_stopping"))
    except BaseException:
        shutil.rmtree(saved.folder, ignore_errors=True)
        raise
    return job_view(worker.words, job)


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
    """Mark the job failed with a message the runner can act on."""
    with worker.new_uow() as uow:
        uow.jobs.update_job(
            job_id, status=JobStatus.FAILED, message=message, finished_at=worker.clock.now()
        )
        uow.commit()


def run_import(worker: ImportWorker, job: ImportJob, folder: Path, zone: tzinfo) -> None:
    """The worker: import the upload in ``folder`` for the job's person, delete the folder,
    then finish the job. Never raises: whatever goes wrong ends the job as failed."""
    try:
        finished = _import(worker, job, folder, zone)
    except Exception:
        log.exception("import job %s failed", job.id)
        finished = None
    finally:
        shutil.rmtree(folder, ignore_errors=True)  # before the job says done: nothing lingers
    try:
        if finished is not None:
            _update(
                worker,
                job.id,
                status=JobStatus.DONE,
                finished_at=worker.clock.now(),
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
    """Find, measure and keep the files; the job's final figures and report."""
    _update(worker, job.id, status=JobStatus.RUNNING)
    found = worker.scan(folder)
    _update(worker, job.id, total=found.total)
    uow = worker.new_uow()
    written = 0

    def record(so_far: ImportReport, files: int) -> None:
        """In the batch's own transaction: the job says what is stored, no more, no less."""
        nonlocal written
        uow.jobs.update_job(job.id, done=files, report=_document(so_far, found.skipped))
        written = files

    try:
        report = import_activities(
            uow,
            worker.clock,
            found.items,
            zone,
            job.person_id,
            on_batch=record,
            batch_every_s=PROGRESS_EVERY_S,
            words=worker.words,
        )
    finally:
        _close(found.items)
    return _Finished(written, max(found.total, written), _document(report, found.skipped))


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
