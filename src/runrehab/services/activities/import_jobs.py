"""Background imports of watch files for the web app: the job record, its storage port, and
the unit of work that reaches both the journal and the jobs.

An upload is stored as a job (queued), measured and imported by a worker that updates ``done``
of ``total`` as it goes, and finished with the import's report, or with why it failed. A job
left running when the server stopped is marked interrupted when it starts again (when the
server runs its jobs itself; with ``runrehab worker``, the queue runs it again).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from types import TracebackType
from typing import Any, Protocol, Self

from runrehab.services.ports import Repository


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    INTERRUPTED = "interrupted"


@dataclass(frozen=True, slots=True)
class ImportJob:
    id: str
    person_id: str
    status: JobStatus
    file_name: str
    total: int
    done: int
    created_at: datetime
    report: dict[str, Any] | None = None
    message: str | None = None
    finished_at: datetime | None = None


class JobStore(Protocol):
    def add_job(self, job: ImportJob) -> None: ...
    def get_job(self, person_id: str, job_id: str) -> ImportJob | None:
        """The person's job, or None (also when the job is someone else's)."""
        ...

    def jobs(self, person_id: str, limit: int = 10) -> list[ImportJob]:
        """The person's newest jobs first."""
        ...

    def update_job(
        self,
        job_id: str,
        *,
        status: JobStatus | None = None,
        total: int | None = None,
        done: int | None = None,
        report: dict[str, Any] | None = None,
        message: str | None = None,
        finished_at: datetime | None = None,
    ) -> None: ...

    def finish_job(
        self,
        job_id: str,
        status: JobStatus,
        at: datetime,
        *,
        message: str | None = None,
        total: int | None = None,
        done: int | None = None,
        report: dict[str, Any] | None = None,
    ) -> bool:
        """End the job with ``status`` at ``at`` (and the figures given), in one statement
        that changes only a job not finished yet: False when it was (a second run of it, or a
        sweep, got there first), so a job finishes once."""
        ...

    def interrupt_unfinished(self, at: datetime) -> int:
        """Mark every queued or running job interrupted (the server stopped under it)."""
        ...

    def unfinished(self, job_ids: Sequence[str]) -> set[str]:
        """Those of ``job_ids`` that are queued or running."""
        ...


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
