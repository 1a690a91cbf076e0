"""Storage for the background imports' jobs, behind the ``JobStore`` port (on the SQL unit of
work beside the journal)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from runrehab.adapters.db.tables import import_jobs
from runrehab.services.activities.import_jobs import ImportJob, JobStatus

INTERRUPTED_MESSAGE = (
    "The server stopped before this import finished. Upload the same files again to finish "
    "it: the activities already here are recognised (listed as already here, not doubled) and "
    "the rest are imported."
)
"""For a job that stopped before its first batch was written (its page then has no report);
the report of one that stopped later says what it kept
(``services.activities.background_import.job_view``)."""


_UNFINISHED = (JobStatus.QUEUED.value, JobStatus.RUNNING.value)


class SqlJobStore:
    def __init__(self, connection: Callable[[], Connection]) -> None:
        self._connection = connection

    def add_job(self, job: ImportJob) -> None:
        self._connection().execute(
            insert(import_jobs).values(
                id=job.id,
                person_id=job.person_id,
                status=job.status.value,
                file_name=job.file_name,
                total=job.total,
                done=job.done,
                report=None if job.report is None else json.dumps(job.report),
                message=job.message,
                created_at=job.created_at,
                finished_at=job.finished_at,
            )
        )

    def get_job(self, person_id: str, job_id: str) -> ImportJob | None:
        row = (
            self._connection()
            .execute(
                select(import_jobs).where(
                    import_jobs.c.id == job_id, import_jobs.c.person_id == person_id
                )
            )
            .first()
        )
        return None if row is None else _job(row)

    def jobs(self, person_id: str, limit: int = 10) -> list[ImportJob]:
        rows = self._connection().execute(
            select(import_jobs)
            .where(import_jobs.c.person_id == person_id)
            .order_by(import_jobs.c.created_at.desc(), import_jobs.c.id)
            .limit(limit)
        )
        return [_job(row) for row in rows]

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
    ) -> None:
        values: dict[str, Any] = {}
        if status is not None:
            values["status"] = status.value
        if total is not None:
            values["total"] = total
        if done is not None:
            values["done"] = done
        if report is not None:
            values["report"] = json.dumps(report)
        if message is not None:
            values["message"] = message
        if finished_at is not None:
            values["finished_at"] = finished_at
        if values:
            self._connection().execute(
                update(import_jobs).where(import_jobs.c.id == job_id).values(**values)
            )

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
        values: dict[str, Any] = {"status": status.value, "finished_at": at}
        if message is not None:
            values["message"] = message
        if total is not None:
            values["total"] = total
        if done is not None:
            values["done"] = done
        if report is not None:
            values["report"] = json.dumps(report)
        result = self._connection().execute(
            update(import_jobs)
            .where(import_jobs.c.id == job_id, import_jobs.c.status.in_(_UNFINISHED))
            .values(**values)
        )
        return bool(result.rowcount)

    def interrupt_unfinished(self, at: datetime) -> int:
        """``done`` and the report stay as the last batch wrote them, with what it kept."""
        result = self._connection().execute(
            update(import_jobs)
            .where(import_jobs.c.status.in_(_UNFINISHED))
            .values(
                status=JobStatus.INTERRUPTED.value,
                finished_at=at,
                message=INTERRUPTED_MESSAGE,
            )
        )
        return int(result.rowcount or 0)

    def unfinished(self, job_ids: Sequence[str]) -> set[str]:
        if not job_ids:
            return set()
        query = select(import_jobs.c.id).where(
            import_jobs.c.id.in_(list(job_ids)), import_jobs.c.status.in_(_UNFINISHED)
        )
        return {str(found) for found in self._connection().execute(query).scalars()}


def _job(row: Row[Any]) -> ImportJob:
    return ImportJob(
        id=row.id,
        person_id=row.person_id,
        status=JobStatus(row.status),
        file_name=row.file_name,
        total=row.total,
        done=row.done,
        created_at=row.created_at,
        report=None if row.report is None else json.loads(row.report),
        message=row.message,
        finished_at=row.finished_at,
    )
