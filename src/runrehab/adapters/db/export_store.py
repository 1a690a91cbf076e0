"""Storage for the clinic's FHIR bulk exports, behind the ``ExportStore`` port (on the SQL
unit of work beside the journal): the export's row, and its lines, each kept compressed (a
patient's bundle is JSON that shrinks about tenfold)."""

from __future__ import annotations

import zlib
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    Connection,
    Row,
    ScalarSelect,
    delete,
    func,
    insert,
    select,
    update,
)

from runrehab.adapters.db.tables import clinic_export_lines, clinic_exports
from runrehab.services.clinic.exports import (
    BUNDLE,
    OUTCOME,
    UNFINISHED,
    ClinicExport,
    ExportStatus,
)

_UNFINISHED = [s.value for s in UNFINISHED]


def _count(kind: str) -> ScalarSelect[int]:
    lines = clinic_export_lines.c
    return (
        select(func.count())
        .where(lines.export_id == clinic_exports.c.id, lines.kind == kind)
        .scalar_subquery()
    )


_COUNTS = (_count(BUNDLE).label("bundles"), _count(OUTCOME).label("errors"))
"""Counted when read: a runner who erases their data takes their line out of an export."""


class SqlExportStore:
    def __init__(self, connection: Callable[[], Connection]) -> None:
        self._connection = connection

    def add(self, export: ClinicExport) -> None:
        self._connection().execute(
            insert(clinic_exports).values(
                id=export.id,
                clinic_id=export.clinic_id,
                requested_by=export.requested_by,
                requested_name=export.requested_name,
                address=export.address,
                language=export.language,
                status=export.status.value,
                created_at=export.created_at,
                total=export.total,
                done=export.done,
                message=export.message,
                finished_at=export.finished_at,
            )
        )

    def get(self, clinic_id: str, export_id: str) -> ClinicExport | None:
        where = (clinic_exports.c.id == export_id, clinic_exports.c.clinic_id == clinic_id)
        return next(iter(self._counted(*where)), None)

    def find(self, export_id: str) -> ClinicExport | None:
        return next(iter(self._counted(clinic_exports.c.id == export_id)), None)

    def recent(self, clinic_id: str, since: datetime) -> list[ClinicExport]:
        return self._counted(
            clinic_exports.c.clinic_id == clinic_id, clinic_exports.c.created_at >= since
        )

    def _counted(self, *where: ColumnElement[bool]) -> list[ClinicExport]:
        """The exports ``where`` holds, newest first, each with its lines of each kind."""
        rows = self._connection().execute(
            select(clinic_exports, *_COUNTS)
            .where(*where)
            .order_by(clinic_exports.c.created_at.desc(), clinic_exports.c.id)
        )
        return [_export(row) for row in rows]

    def start(self, export_id: str, total: int) -> None:
        self._connection().execute(
            update(clinic_exports)
            .where(clinic_exports.c.id == export_id, clinic_exports.c.status.in_(_UNFINISHED))
            .values(status=ExportStatus.RUNNING.value, total=total)
        )

    def exported(self, export_id: str) -> set[str]:
        rows = self._connection().execute(
            select(clinic_export_lines.c.person_id).where(
                clinic_export_lines.c.export_id == export_id
            )
        )
        return {row.person_id for row in rows}

    def add_line(self, export_id: str, person_id: str, kind: str, line: str) -> None:
        connection = self._connection()
        # the export's row is updated first: on PostgreSQL that locks it, so two runs of the
        # same export (a job delivered twice at once) take positions one after the other
        position = connection.execute(
            update(clinic_exports)
            .where(clinic_exports.c.id == export_id)
            .values(done=clinic_exports.c.done + 1)
            .returning(clinic_exports.c.done)
        ).scalar_one()
        connection.execute(
            insert(clinic_export_lines).values(
                export_id=export_id,
                position=position - 1,
                person_id=person_id,
                kind=kind,
                line=zlib.compress(line.encode("utf-8")),
            )
        )

    def lines(self, export_id: str, kind: str, after: int, limit: int) -> list[tuple[int, str]]:
        rows = self._connection().execute(
            select(clinic_export_lines.c.position, clinic_export_lines.c.line)
            .where(
                clinic_export_lines.c.export_id == export_id,
                clinic_export_lines.c.kind == kind,
                clinic_export_lines.c.position > after,
            )
            .order_by(clinic_export_lines.c.position)
            .limit(limit)
        )
        return [(row.position, zlib.decompress(row.line).decode("utf-8")) for row in rows]

    def finish(
        self, export_id: str, status: ExportStatus, at: datetime, message: str | None = None
    ) -> bool:
        connection = self._connection()
        if status is ExportStatus.FAILED:  # only a finished export is ever read: keep nothing
            connection.execute(
                delete(clinic_export_lines).where(clinic_export_lines.c.export_id == export_id)
            )
        result = connection.execute(
            update(clinic_exports)
            .where(clinic_exports.c.id == export_id, clinic_exports.c.status.in_(_UNFINISHED))
            .values(
                status=status.value,
                finished_at=at,
                message=message,
            )
        )
        return result.rowcount > 0

    def unfinished(self) -> list[ClinicExport]:
        return self._counted(clinic_exports.c.status.in_(_UNFINISHED))

    def delete_before(self, clinic_id: str, before: datetime) -> int:
        result = self._connection().execute(
            delete(clinic_exports).where(
                clinic_exports.c.clinic_id == clinic_id, clinic_exports.c.created_at < before
            )
        )
        return result.rowcount


def _export(row: Row[tuple[object, ...]]) -> ClinicExport:
    return ClinicExport(
        id=row.id,
        clinic_id=row.clinic_id,
        requested_by=row.requested_by,
        requested_name=row.requested_name,
        address=row.address,
        language=row.language,
        status=ExportStatus(row.status),
        created_at=row.created_at,
        total=row.total,
        done=row.done,
        bundles=row.bundles,
        errors=row.errors,
        message=row.message,
        finished_at=row.finished_at,
    )
