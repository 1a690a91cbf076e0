"""The physiotherapist's overrides in the journal database: part of the runner's journal (the
fold reads them), stored by ``SqlRepository``."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Row, bindparam, func, insert, select, update

from runrehab.adapters.db.tables import overrides
from runrehab.engine.overrides import VALUES, Override, OverrideKind, values_of
from runrehab.services.records import StoredOverride

_OVERRIDES = (
    select(overrides)
    .where(overrides.c.person_id == bindparam("person_id"))
    .order_by(overrides.c.position)
)
"""Built once: asked on every request, where building a query costs more than running it."""


class OverrideRows:
    def __init__(self, connection: Callable[[], Connection]) -> None:
        self._connection = connection

    def add_override(self, stored: StoredOverride) -> None:
        o = stored.override
        fields = values_of(o)
        c = overrides.c
        last = select(func.coalesce(func.max(c.position), 0)).where(c.person_id == stored.person_id)
        position = int(self._connection().execute(last).scalar_one()) + 1
        self._connection().execute(
            insert(overrides).values(
                id=o.id,
                person_id=stored.person_id,
                clinic_id=stored.clinic_id,
                position=position,
                kind=o.kind.value,
                day=o.day,
                until=o.until,
                reason=o.reason,
                fields=json.dumps(fields, sort_keys=True),
                author_id=stored.author_id,
                author_name=stored.author_name,
                created_at=stored.created_at,
                undone_at=stored.undone_at,
                undone_by=stored.undone_by,
            )
        )

    def overrides(self, person_id: str) -> list[StoredOverride]:
        rows = self._connection().execute(_OVERRIDES, {"person_id": person_id}).all()
        return [_stored(row) for row in rows]

    def undo_override(
        self, person_id: str, override_id: str, until: date, at: datetime, by: str
    ) -> bool:
        c = overrides.c
        done = self._connection().execute(
            update(overrides)
            .where(c.person_id == person_id, c.id == override_id, c.undone_at.is_(None))
            .values(until=until, undone_at=at, undone_by=by)
        )
        return bool(done.rowcount)


def _stored(row: Row[Any]) -> StoredOverride:
    fields = json.loads(row.fields)
    override = Override(
        id=row.id,
        kind=OverrideKind(row.kind),
        day=row.day,
        reason=row.reason,
        until=row.until,
        **{k: fields.get(k) for k in VALUES},
    )
    return StoredOverride(
        row.person_id,
        row.clinic_id,
        override,
        row.author_id,
        row.author_name,
        row.created_at,
        row.undone_at,
        row.undone_by,
    )
