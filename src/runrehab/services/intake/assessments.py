"""Use cases of the assessment API: take an assessment (triage it and start the programme), and
the intake's answer that stands. Triage alone, storing nothing, is ``triage.triage_of``.

Each answers with a view whose ``jsonable`` is the API's document: the triage's fields, then
whose assessment, its version, its day and the programme it started.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from runrehab.engine.assessment import Assessment
from runrehab.engine.state import Status
from runrehab.engine.values import PathwayId
from runrehab.services.content import ProgrammeContent
from runrehab.services.intake import outcome
from runrehab.services.intake.outcome import IntakeAnswer
from runrehab.services.journal.programme import start_programme
from runrehab.services.ports import Clock, UnitOfWork
from runrehab.services.records import Document, Programme


@dataclass(frozen=True, slots=True)
class PhaseName:
    number: int
    name: str


@dataclass(frozen=True, slots=True)
class ProgrammePart:
    """The programme an assessment started, as it stands."""

    id: str
    started: date
    status: Status
    pathway: PathwayId
    phase: PhaseName


@dataclass(frozen=True, slots=True)
class TakenAssessment(IntakeAnswer):
    """An assessment taken: its triage, and the programme it started on ``day``."""

    person: str
    assessment_version: int
    day: date = field(metadata={"json": "date"})
    programme: ProgrammePart


@dataclass(frozen=True, slots=True)
class LatestAnswer(IntakeAnswer):
    """The intake's answer that stands, from ``day``: an assessment's triage, or a stop at the
    warning signs (then no ``assessment_version``)."""

    day: date = field(metadata={"json": "date"})
    assessment_version: int | None
    programme: ProgrammePart | None


def take_assessment(
    uow: UnitOfWork,
    clock: Clock,
    content: ProgrammeContent,
    document: Document,
    assessment: Assessment,
    day: date,
    person_id: str,
) -> TakenAssessment:
    """Keep the assessment, triage it and start the programme on ``day`` (the current one, if
    any, ends that day): ``journal.programme.start_programme``."""
    started = start_programme(uow, clock, content, document, assessment, day, person_id)
    answer = outcome.assessment_answer(started.assessment, content)
    return TakenAssessment(
        **outcome.view_fields(answer),
        person=started.person.id,
        assessment_version=started.assessment.version,
        day=started.assessment.recorded_on,
        programme=programme_part(started.programme, content),
    )


def latest_answer(
    uow: UnitOfWork, content: ProgrammeContent, person_id: str
) -> LatestAnswer | None:
    """The answer that stands (``outcome.standing``); None before any intake."""
    found = outcome.standing(uow, content, person_id)
    if found is None:
        return None
    return LatestAnswer(
        **outcome.view_fields(found.answer),
        day=found.day,
        assessment_version=found.assessment.version if found.assessment else None,
        programme=programme_part(found.programme, content) if found.programme else None,
    )


def programme_part(programme: Programme, content: ProgrammeContent) -> ProgrammePart:
    state = programme.state
    return ProgrammePart(
        id=programme.id,
        started=programme.started_on,
        status=state.status,
        pathway=state.pathway,
        phase=PhaseName(state.phase, content.phase_name(state.phase)),
    )
