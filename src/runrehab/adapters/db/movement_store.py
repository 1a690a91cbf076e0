"""Storage for the movement checks, behind the ``MovementStore`` port (on the SQL unit of work
beside the journal): the check's row, its key frames and, only when the runner asked, their
video. Everything hangs off the check (and the check off the person) by cascading foreign keys,
so deleting either deletes it all."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, delete, insert, select, update

from runrehab.adapters.db.tables import movement_checks, movement_frames, movement_videos
from runrehab.services.movement.records import (
    CheckStatus,
    KeyFrame,
    MovementCheck,
    StoredVideo,
)

JSON_FIELDS = ("result", "landmarks")
FIELDS = ("status", "progress", "reason", "view", "finished_at", *JSON_FIELDS)
LIGHT = [c for c in movement_checks.c if c.name != "landmarks"]
"""A list of checks leaves out their landmarks (the pose of every frame)."""


class SqlMovementStore:
    def __init__(self, connection: Callable[[], Connection]) -> None:
        self._connection = connection

    def add(self, check: MovementCheck) -> None:
        self._connection().execute(
            insert(movement_checks).values(
                id=check.id,
                person_id=check.person_id,
                created_at=check.created_at,
                exercise=check.exercise,
                view=check.view,
                status=check.status.value,
                reason=check.reason,
                progress=check.progress,
                file_name=check.file_name,
                keep_video=check.keep_video,
                result=_dump(check.result),
                landmarks=_dump(check.landmarks),
                finished_at=check.finished_at,
            )
        )

    def get(self, person_id: str, check_id: str) -> MovementCheck | None:
        row = (
            self._connection()
            .execute(
                select(movement_checks).where(
                    movement_checks.c.id == check_id, movement_checks.c.person_id == person_id
                )
            )
            .first()
        )
        return None if row is None else _check(row)

    def find(self, check_id: str) -> MovementCheck | None:
        """The check, whoever's it is (the use case decides who may see it)."""
        query = select(movement_checks).where(movement_checks.c.id == check_id)
        row = self._connection().execute(query).first()
        return None if row is None else _check(row)

    def checks(self, person_id: str, limit: int = 50) -> list[MovementCheck]:
        rows = self._connection().execute(
            select(*LIGHT)
            .where(movement_checks.c.person_id == person_id)
            .order_by(movement_checks.c.created_at.desc(), movement_checks.c.id)
            .limit(limit)
        )
        return [_check(row) for row in rows]

    def all_checks(self, person_id: str) -> list[MovementCheck]:
        """Every check of the person, oldest first, with its landmarks (for the export)."""
        rows = self._connection().execute(
            select(movement_checks)
            .where(movement_checks.c.person_id == person_id)
            .order_by(movement_checks.c.created_at, movement_checks.c.id)
        )
        return [_check(row) for row in rows]

    def update(self, check_id: str, **changes: Any) -> None:
        unknown = set(changes) - set(FIELDS)
        if unknown:
            raise TypeError(f"not a movement check's field: {sorted(unknown)}")
        values: dict[str, Any] = {}
        for name, value in changes.items():
            if isinstance(value, CheckStatus):
                value = value.value
            elif name in JSON_FIELDS:
                value = _dump(value)
            values[name] = value
        if values:
            self._connection().execute(
                update(movement_checks).where(movement_checks.c.id == check_id).values(**values)
            )

    def add_frames(self, check_id: str, frames: list[KeyFrame]) -> None:
        if frames:
            self._connection().execute(
                insert(movement_frames),
                [
                    {
                        "check_id": check_id,
                        "position": f.position,
                        "time_s": f.time_s,
                        "media_type": f.media_type,
                        "image": f.image,
                    }
                    for f in frames
                ],
            )

    def frames(self, check_id: str) -> list[KeyFrame]:
        rows = self._connection().execute(
            select(movement_frames)
            .where(movement_frames.c.check_id == check_id)
            .order_by(movement_frames.c.position)
        )
        return [_frame(row) for row in rows]

    def frame(self, check_id: str, position: int) -> KeyFrame | None:
        row = (
            self._connection()
            .execute(
                select(movement_frames).where(
                    movement_frames.c.check_id == check_id,
                    movement_frames.c.position == position,
                )
            )
            .first()
        )
        return None if row is None else _frame(row)

    def keep_video(self, check_id: str, video: StoredVideo) -> None:
        self._connection().execute(
            insert(movement_videos).values(
                check_id=check_id, media_type=video.media_type, video=video.video
            )
        )

    def video(self, check_id: str) -> StoredVideo | None:
        row = (
            self._connection()
            .execute(select(movement_videos).where(movement_videos.c.check_id == check_id))
            .first()
        )
        return None if row is None else StoredVideo(row.media_type, bytes(row.video))

    def delete(self, person_id: str, check_id: str) -> bool:
        """The frames and the video go first: a database without foreign keys switched on
        would otherwise keep them."""
        if self.get(person_id, check_id) is None:
            return False
        connection = self._connection()
        connection.execute(delete(movement_frames).where(movement_frames.c.check_id == check_id))
        connection.execute(delete(movement_videos).where(movement_videos.c.check_id == check_id))
        connection.execute(delete(movement_checks).where(movement_checks.c.id == check_id))
        return True

    def fail_unfinished(self, at: datetime, reason: str) -> int:
        unfinished = [CheckStatus.QUEUED.value, CheckStatus.PROCESSING.value]
        result = self._connection().execute(
            update(movement_checks)
            .where(movement_checks.c.status.in_(unfinished))
            .values(status=CheckStatus.FAILED.value, reason=reason, finished_at=at)
        )
        return int(result.rowcount or 0)


def _dump(value: Any) -> str | None:
    return None if value is None else json.dumps(value, separators=(",", ":"))


def _check(row: Row[Any]) -> MovementCheck:
    data = row._mapping
    landmarks = data.get("landmarks")
    return MovementCheck(
        id=data["id"],
        person_id=data["person_id"],
        created_at=data["created_at"],
        exercise=data["exercise"],
        view=data["view"],
        status=CheckStatus(data["status"]),
        progress=data["progress"],
        file_name=data["file_name"],
        keep_video=bool(data["keep_video"]),
        reason=data["reason"],
        result=None if data["result"] is None else json.loads(data["result"]),
        landmarks=None if landmarks is None else json.loads(landmarks),
        finished_at=data["finished_at"],
    )


def _frame(row: Row[Any]) -> KeyFrame:
    return KeyFrame(row.position, row.time_s, row.media_type, bytes(row.image))
