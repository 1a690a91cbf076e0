"""Background imports of uploaded watch files, and the views of the runs the web app shows.

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

Reading and measuring the files is an adapter's work: the web layer hands it in as a
``Scanner`` (this layer may not import the adapters).
"""

from __future__ import annotations

import logging
import re
import shutil
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, tzinfo
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol, Self

from runrehab.services.activities.import_jobs import ImportJob, JobStatus, JobStore
from runrehab.services.activities.watch_import import (
    ImportReport,
    MeasuredFile,
    RefusedFile,
    activity_view,
    import_activities,
    import_report_view,
    list_activities,
)
from runrehab.services.ports import Clock, Repository

log = logging.getLogger("runrehab.import")

PROGRESS_EVERY_S = 0.5
"""Write a batch (its activities, ``done`` and the report so far) at least this often, and
not once a file: a bulk export of thousands of files would otherwise write to the database
once a file, for a page that looks once a second."""
RECENT_JOBS = 5
FAILED_MESSAGE = (
    "Something went wrong while importing these files. Any runs imported before the problem "
    "are kept: upload the files again to bring in the rest (runs already here are recognised "
    "and not doubled)."
)
AGAIN = (
    "Upload the same files again to finish: the activities already here are recognised "
    "(listed as already here, not doubled) and the rest are imported."
)
_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
"""What a job or activity id looks like: anything else is unknown without asking the database."""


class JobUnitOfWork(Protocol):
    """A unit of work that reaches the journal and the import jobs (the SQL one does)."""

    repo: Repository
    jobs: JobStore

    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...


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


# --- the job ----------------------------------------------------------------------------------


def upload_label(names: Sequence[str]) -> str:
    """What the runner uploaded, in a few words: "run.fit", or "run.fit and 3 more"."""
    if not names:
        return "nothing"
    first = names[0]
    return first if len(names) == 1 else f"{first} and {len(names) - 1} more"


def queue_import(
    uow: JobUnitOfWork, clock: Clock, person_id: str, names: Sequence[str]
) -> ImportJob:
    """A new job for the person's upload, queued until the worker takes it."""
    job = ImportJob(
        id=uuid.uuid4().hex,
        person_id=person_id,
        status=JobStatus.QUEUED,
        file_name=upload_label(names),
        total=len(names),
        done=0,
        created_at=clock.now(),
    )
    with uow:
        uow.jobs.add_job(job)
        uow.commit()
    return job


def fail_job(new_uow: Callable[[], JobUnitOfWork], clock: Clock, job_id: str, message: str) -> None:
    """Mark the job failed with a message the runner can act on."""
    with new_uow() as uow:
        uow.jobs.update_job(
            job_id, status=JobStatus.FAILED, message=message, finished_at=clock.now()
        )
        uow.commit()


def run_import(
    new_uow: Callable[[], JobUnitOfWork],
    clock: Clock,
    job: ImportJob,
    folder: Path,
    zone: tzinfo,
    scan: Scanner,
) -> None:
    """The worker: import the upload in ``folder`` for the job's person, delete the folder,
    then finish the job. Never raises: whatever goes wrong ends the job as failed."""
    try:
        finished = _import(new_uow, clock, job, folder, zone, scan)
    except Exception:
        log.exception("import job %s failed", job.id)
        finished = None
    finally:
        shutil.rmtree(folder, ignore_errors=True)  # before the job says done: nothing lingers
    try:
        if finished is not None:
            _update(new_uow, job.id, status=JobStatus.DONE, finished_at=clock.now(), **finished)
            return
    except Exception:
        log.exception("import job %s could not be marked done", job.id)
    _give_up(new_uow, clock, job.id)


def _import(
    new_uow: Callable[[], JobUnitOfWork],
    clock: Clock,
    job: ImportJob,
    folder: Path,
    zone: tzinfo,
    scan: Scanner,
) -> dict[str, Any]:
    """Find, measure and keep the files; the job's final figures and report."""
    _update(new_uow, job.id, status=JobStatus.RUNNING)
    found = scan(folder)
    _update(new_uow, job.id, total=found.total)
    uow = new_uow()
    written = 0

    def record(so_far: ImportReport, files: int) -> None:
        """In the batch's own transaction: the job says what is stored, no more, no less."""
        nonlocal written
        uow.jobs.update_job(job.id, done=files, report=import_report_view(so_far, found.skipped))
        written = files

    try:
        report = import_activities(
            uow,
            clock,
            found.items,
            zone,
            job.person_id,
            on_batch=record,
            batch_every_s=PROGRESS_EVERY_S,
        )
    finally:
        _close(found.items)
    return {
        "done": written,
        "total": max(found.total, written),
        "report": import_report_view(report, found.skipped),
    }


def _close(items: Iterable[object]) -> None:
    """Stop a measuring generator left half-way (an error), so its worker processes end now
    rather than whenever it is collected."""
    close = getattr(items, "close", None)
    if callable(close):
        close()


def _give_up(new_uow: Callable[[], JobUnitOfWork], clock: Clock, job_id: str) -> None:
    try:
        fail_job(new_uow, clock, job_id, FAILED_MESSAGE)
    except Exception:  # the database itself is gone: the next start marks it interrupted
        log.exception("could not mark import job %s failed", job_id)


def _update(new_uow: Callable[[], JobUnitOfWork], job_id: str, **changes: Any) -> None:
    with new_uow() as uow:
        uow.jobs.update_job(job_id, **changes)
        uow.commit()


def recent_jobs(uow: JobUnitOfWork, person_id: str, limit: int = RECENT_JOBS) -> list[ImportJob]:
    with uow:
        return uow.jobs.jobs(person_id, limit)


def find_job(uow: JobUnitOfWork, person_id: str, job_id: str) -> ImportJob | None:
    """The person's job, or None when there is none by that id or it is someone else's."""
    if not _ID.fullmatch(job_id):  # no such id is ever made; PostgreSQL refuses NUL bytes
        return None
    with uow:
        return uow.jobs.get_job(person_id, job_id)


def job_view(job: ImportJob) -> dict[str, Any]:
    """The job as the page and the API show it. The report is there once the job has ended:
    for an import that stopped half-way (failed, or interrupted by the server stopping), it
    lists what was kept before it stopped, as the batches wrote it."""
    stopped = job.status in (JobStatus.FAILED, JobStatus.INTERRUPTED)
    finished = stopped or job.status is JobStatus.DONE
    return {
        "job_id": job.id,
        "status": job.status.value,
        "finished": finished,
        "upload": job.file_name,
        "done": job.done,
        "total": job.total,
        "created_at": job.created_at.isoformat(),
        "finished_at": None if job.finished_at is None else job.finished_at.isoformat(),
        "message": _stopped_message(job) if stopped else job.message,
        "report": job.report if finished else None,
    }


def _stopped_message(job: ImportJob) -> str | None:
    """Why the job stopped, what it kept, and how to finish it. A job with no report stopped
    before its first batch was written (or was made by a release that did not record one):
    its own message says what to do."""
    if job.report is None:
        return job.message
    files = f"{job.done} of {job.total} file{'' if job.total == 1 else 's'}"
    if job.status is JobStatus.INTERRUPTED:
        why = f"The server stopped during this import, after {files}."
    else:
        why = f"Something went wrong during this import, after {files}."
    kept = len(job.report.get("imported", []))
    if kept == 1:
        what = "The activity imported before then is kept (listed below)."
    elif kept:
        what = f"The {kept} activities imported before then are kept (listed below)."
    else:
        what = "Nothing new had been imported from them."
    return f"{why} {what} {AGAIN}"


# --- the runs ---------------------------------------------------------------------------------


def runs_view(
    uow: JobUnitOfWork, person_id: str, since: date | None = None
) -> list[dict[str, Any]]:
    """The person's activities, oldest first, as ``runrehab runs --json`` lists them."""
    return [activity_view(a) for a in list_activities(uow, person_id, since)]


def find_activity(uow: JobUnitOfWork, person_id: str, activity_id: str) -> dict[str, Any] | None:
    """One of the person's activities, or None (also when it is someone else's)."""
    if not _ID.fullmatch(activity_id):
        return None
    with uow:
        found = uow.repo.get_activity(person_id, activity_id)
    return None if found is None else activity_view(found)


def has_programme(uow: JobUnitOfWork, person_id: str) -> bool:
    """Whether the person has a programme running (the load warnings come from its day plan)."""
    with uow:
        return uow.repo.current_programme(person_id) is not None
