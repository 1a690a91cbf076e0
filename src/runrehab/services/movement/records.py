"""Movement checks as stored: the check (queued, processing, done or failed), its key frames and
the runner's own video (kept only when asked), the storage port, and the unit of work that
reaches them with the journal and the clinic (the SQL one does)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from types import TracebackType
from typing import Any, Protocol, Self

from runrehab.services.clinic.ports import ClinicUnitOfWork


class CheckStatus(StrEnum):
    QUEUED = "queued"
    PROCESSING = "processing"
    DONE = "done"
    FAILED = "failed"


FINISHED = frozenset({CheckStatus.DONE, CheckStatus.FAILED})


@dataclass(frozen=True, slots=True)
class KeyFrame:
    """A repetition's deepest point as an image, the skeleton and the angles drawn on it."""

    position: int
    time_s: float
    media_type: str
    image: bytes


@dataclass(frozen=True, slots=True)
class StoredVideo:
    media_type: str
    video: bytes


@dataclass(frozen=True, slots=True)
class MovementCheck:
    """One filmed exercise: what was asked, where its analysis stands, and what it found.

    ``result``: the figures (the analysis's document, as ``runrehab movement --json`` prints
    it, with the knee angles over time under ``knee_angles``); ``landmarks``: the pose per
    frame; ``reason``: why it failed, in the runner's words."""

    id: str
    person_id: str
    created_at: datetime
    exercise: str
    view: str | None
    status: CheckStatus
    progress: int
    file_name: str
    keep_video: bool
    reason: str | None = None
    result: dict[str, Any] | None = None
    landmarks: dict[str, Any] | None = None
    finished_at: datetime | None = None

    @property
    def finished(self) -> bool:
        return self.status in FINISHED


@dataclass(frozen=True, slots=True)
class StoredMovementCheck:
    """A check with everything it kept, as the export carries it."""

    check: MovementCheck
    frames: tuple[KeyFrame, ...] = ()
    video: StoredVideo | None = None


class MovementStore(Protocol):
    def add(self, check: MovementCheck) -> None: ...
    def get(self, person_id: str, check_id: str) -> MovementCheck | None:
        """The person's check, or None (also when it is someone else's)."""
        ...

    def find(self, check_id: str) -> MovementCheck | None:
        """The check, whoever's it is (the use case decides who may see it)."""
        ...

    def checks(self, person_id: str, limit: int = 50) -> list[MovementCheck]:
        """The person's checks, newest first, without their landmarks."""
        ...

    def all_checks(self, person_id: str) -> list[MovementCheck]:
        """Every check of the person, oldest first, with its landmarks (for the export)."""
        ...

    def update(self, check_id: str, **changes: Any) -> None:
        """Set ``status``, ``progress``, ``reason``, ``view``, ``result``, ``landmarks`` or
        ``finished_at``."""
        ...

    def add_frames(self, check_id: str, frames: list[KeyFrame]) -> None: ...
    def frames(self, check_id: str) -> list[KeyFrame]: ...
    def frame(self, check_id: str, position: int) -> KeyFrame | None: ...
    def keep_video(self, check_id: str, video: StoredVideo) -> None: ...
    def video(self, check_id: str) -> StoredVideo | None: ...
    def delete(self, person_id: str, check_id: str) -> bool:
        """Delete the person's check with its frames and video; whether there was one."""
        ...

    def fail_unfinished(self, at: datetime, reason: str) -> int:
        """Mark every queued or processing check failed (the server stopped under it)."""
        ...


class MovementUnitOfWork(Protocol):
    """A unit of work that reaches the movement checks (the SQL one does)."""

    @property
    def movement(self) -> MovementStore: ...

    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def commit(self) -> None: ...


class ClinicMovementUnitOfWork(ClinicUnitOfWork, Protocol):
    """A unit of work that reaches the clinic (who may see whom) and the movement checks."""

    @property
    def movement(self) -> MovementStore: ...
