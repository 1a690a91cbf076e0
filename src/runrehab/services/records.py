"""What the journal keeps, as frozen values: the rows of the runner's memory.

Each stored document (assessment, check-in) is kept exactly as it was received, next to the
engine value read from it, so an export gives back the runner's own words and an import can
rebuild everything from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from runrehab.engine.activity import Sport, SportSource
from runrehab.engine.assessment import Assessment
from runrehab.engine.checkin import Checkin
from runrehab.engine.metrics import Metrics
from runrehab.engine.overrides import Override
from runrehab.engine.state import Action, ProgrammeState
from runrehab.engine.values import Colour, Disposition, Reason

if TYPE_CHECKING:
    from runrehab.services.movement.records import StoredMovementCheck

Document = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    name: str
    created_at: datetime
    data_version: str | None = field(default=None, compare=False)
    """Names the state of the person's journal rows as the store read them: the same text
    later means the same rows (programmes, decisions, check-ins, assessments, questionnaires,
    changes, watch runs, lessons read), so what was worked out from them still holds. None
    from a store that does not keep one (nothing is kept then)."""


@dataclass(frozen=True, slots=True)
class StoredAssessment:
    """One intake assessment; every one is kept, numbered 1, 2, ... per person."""

    person_id: str
    version: int
    recorded_on: date
    document: Document
    assessment: Assessment
    disposition: Disposition
    recorded_at: datetime


@dataclass(frozen=True, slots=True)
class Programme:
    """A programme started from one assessment. ``start`` is the state on its first day and
    ``state`` the state folded through ``state.evaluated_through``."""

    id: str
    person_id: str
    assessment_version: int
    started_on: date
    start: ProgrammeState
    state: ProgrammeState
    ended_on: date | None = None


@dataclass(frozen=True, slots=True)
class DecisionRecord:
    """A day's decision with its reasons, as shown to the runner and the clinician."""

    programme_id: str
    day: date
    action: Action
    disposition: Disposition
    phase: int
    rung: int
    reasons: tuple[Reason, ...]
    colour: Colour | None = None


@dataclass(frozen=True, slots=True)
class StoredCheckin:
    """A day's check-in. A second one for the same day replaces the first (revision + 1)."""

    person_id: str
    day: date
    document: Document
    checkin: Checkin
    recorded_at: datetime
    revision: int = 1


@dataclass(frozen=True, slots=True)
class QuestionnaireResponse:
    """A questionnaire answered on ``day``: ``instrument`` is "kujala" or "weekly_pain";
    ``answers`` maps item ids to the chosen option (Kujala) or to a 0-10 score (weekly pain)."""

    person_id: str
    instrument: str
    day: date
    answers: dict[str, Any]
    score: float
    recorded_at: datetime


@dataclass(frozen=True, slots=True)
class Note:
    id: str
    person_id: str
    day: date
    author: str
    text: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class StoredActivity:
    """One activity imported from a watch file (one leg of a multisport file).

    ``start`` is UTC; ``local_date`` is the runner's calendar day of the start, from the
    device's own offset when the file has one, else from the runner's time zone. The samples
    are not kept: ``metrics`` holds what was measured from them."""

    id: str
    person_id: str
    content_hash: str
    leg: int
    file_name: str
    file_format: str
    sport: Sport
    sport_source: SportSource
    start: datetime
    utc_offset_minutes: int
    local_date: date
    metrics: Metrics
    imported_at: datetime
    sub_sport: str | None = None
    indoor: bool = False
    device: str | None = None
    partial: str | None = None


@dataclass(frozen=True, slots=True)
class LessonRead:
    """A core lesson (``education.toml``) the person marked as read on ``day``: kept once, the
    first time."""

    person_id: str
    lesson_id: str
    day: date
    recorded_at: datetime


@dataclass(frozen=True, slots=True)
class Journal:
    """Everything about one person, as read back for history, reports and export."""

    person: Person
    assessments: tuple[StoredAssessment, ...] = ()
    programmes: tuple[Programme, ...] = ()
    decisions: tuple[DecisionRecord, ...] = ()
    checkins: tuple[StoredCheckin, ...] = ()
    responses: tuple[QuestionnaireResponse, ...] = ()
    notes: tuple[Note, ...] = field(default=())
    activities: tuple[StoredActivity, ...] = field(default=())
    lessons_read: tuple[LessonRead, ...] = field(default=())
    overrides: tuple[StoredOverride, ...] = field(default=())
    """What a physiotherapist set in the programme: the fold reads it, so it travels too."""
    movement_checks: tuple[StoredMovementCheck, ...] = field(default=())
    """The movement checks: figures, landmarks, key frames, and a video the runner kept."""


@dataclass(frozen=True, slots=True)
class StoredOverride:
    """An override with who set it, for which clinic, and when it was undone (if it was)."""

    person_id: str
    clinic_id: str
    override: Override
    author_id: str
    author_name: str
    created_at: datetime
    undone_at: datetime | None = None
    undone_by: str | None = None
