"""The small ports the use cases talk through. Adapters implement them (SQLAlchemy in
``runrehab.adapters.db``); the tests use in-memory fakes (``tests/fakes.py``).

A unit of work is one transaction: everything a use case writes is committed together or not
at all, so a refused check-in, or a process killed half-way, leaves nothing half-saved.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from types import TracebackType
from typing import Protocol, Self

from runrehab.engine.state import ProgrammeState
from runrehab.services.records import (
    DecisionRecord,
    LessonRead,
    Note,
    Person,
    Programme,
    QuestionnaireResponse,
    StoredActivity,
    StoredAssessment,
    StoredCheckin,
    StoredOverride,
)


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware (UTC)."""
        ...


class Repository(Protocol):
    """The journal's storage. Lists come back in date (or version) order."""

    def add_person(self, person: Person) -> None: ...
    def get_person(self, person_id: str) -> Person | None: ...
    def people(self) -> list[Person]: ...
    def delete_person(self, person_id: str) -> bool:
        """Delete a person and everything about them; False when there was no such person."""
        ...

    def add_assessment(self, stored: StoredAssessment) -> None: ...
    def assessments(self, person_id: str) -> list[StoredAssessment]: ...

    def add_programme(self, programme: Programme) -> None: ...
    def programmes(self, person_id: str) -> list[Programme]: ...
    def current_programme(self, person_id: str) -> Programme | None:
        """The programme that has not ended, if any."""
        ...

    def save_state(self, programme_id: str, state: ProgrammeState) -> None: ...
    def end_programme(self, programme_id: str, day: date) -> None: ...

    def replace_decisions(
        self, programme_id: str, from_day: date, decisions: Sequence[DecisionRecord]
    ) -> None:
        """Drop the programme's decisions dated ``from_day`` or later, then add ``decisions``."""
        ...

    def decisions(self, programme_id: str) -> list[DecisionRecord]: ...

    def put_checkin(self, stored: StoredCheckin) -> None:
        """Store a check-in, replacing one already stored for the same person and day."""
        ...

    def get_checkin(self, person_id: str, day: date) -> StoredCheckin | None: ...
    def checkins(self, person_id: str, since: date | None = None) -> list[StoredCheckin]: ...

    def put_response(self, response: QuestionnaireResponse) -> None:
        """Store a questionnaire response, replacing one of the same instrument and day."""
        ...

    def responses(
        self, person_id: str, instrument: str | None = None
    ) -> list[QuestionnaireResponse]: ...

    def add_note(self, note: Note) -> None: ...
    def notes(self, person_id: str) -> list[Note]: ...

    def add_activity(self, activity: StoredActivity) -> None: ...
    def get_activity(self, person_id: str, activity_id: str) -> StoredActivity | None:
        """The person's activity, or None (also when the id is someone else's)."""
        ...

    def activities(self, person_id: str, since: date | None = None) -> list[StoredActivity]:
        """The person's activities in start order, those whose local date is ``since`` or
        later when it is given."""
        ...

    def mark_lesson_read(self, read: LessonRead) -> LessonRead:
        """Keep that the person read the lesson, unless it is kept already: the record kept
        (the first one, when the lesson was marked read before)."""
        ...

    def lessons_read(self, person_id: str) -> list[LessonRead]:
        """The lessons the person marked as read, by day, then lesson id."""
        ...

    def add_override(self, stored: StoredOverride) -> None: ...
    def overrides(self, person_id: str) -> list[StoredOverride]:
        """What the person's physiotherapists set, in the order it was set."""
        ...

    def undo_override(
        self, person_id: str, override_id: str, until: date, at: datetime, by: str
    ) -> bool:
        """End the override from ``until`` on; False when the person has no such override
        still in force."""
        ...


class UnitOfWork(Protocol):
    """``with uow: ...; uow.commit()``; leaving the block without committing rolls back."""

    @property
    def repo(self) -> Repository:
        """The journal, inside ``with uow:`` (read-only here, so a fake's own type fits)."""
        ...

    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...
