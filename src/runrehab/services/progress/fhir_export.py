"""One runner's journal for a clinic's record system, as FHIR: what goes into the bundle.

The bundle itself is the adapters' (``adapters.exports.fhir``, built with the FHIR models):
this use case reads the journal in one unit of work and works out what the bundle shows
beyond the stored records (the running load by week, the current programme's phase and its
exercises with their doses in words), then hands it, with the clinic's messages, to the
writer it is given, as ``export_journal`` hands the journal to ``journal_to_json``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from runrehab.engine.activity import Sport
from runrehab.engine.dosing import Target, target
from runrehab.engine.load import WeekLoad, merge_runs, run_entry, weekly_load
from runrehab.engine.state import Status
from runrehab.services.content import ProgrammeContent
from runrehab.services.journal.ownership import read_journal
from runrehab.services.ports import UnitOfWork
from runrehab.services.progress.sessions import SessionWords
from runrehab.services.records import Journal, Programme


@dataclass(frozen=True, slots=True)
class FhirMessage:
    """A message between the runner and their clinician, as the bundle keeps it (a
    ``Communication``). The clinic maps its own messages onto this."""

    id: str
    sent_at: datetime
    """When it was sent, timezone-aware (UTC)."""
    from_clinician: bool
    sender_name: str
    text: str


@dataclass(frozen=True, slots=True)
class PlannedExercise:
    """An exercise of the current phase: its id, its name and its dose in words
    ("3 × 10 each side"; empty when the protocol gives it no dose)."""

    exercise_id: str
    name: str
    dose: str


@dataclass(frozen=True, slots=True)
class CurrentPlan:
    """The programme that has not ended: where it stands and what its phase asks for."""

    programme_id: str
    status: Status
    started_on: date
    phase: int
    phase_name: str
    description: str
    """ "Phase 2: Strengthen", in the product's words."""
    exercises: tuple[PlannedExercise, ...]


@dataclass(frozen=True, slots=True)
class FhirSource:
    """What the FHIR bundle is made of: the journal as stored, the running load of every
    Monday-to-Sunday week from the first run to the last (watch runs merged with the runs
    reported in check-ins, as the load view merges them), and the current programme."""

    journal: Journal
    weeks: tuple[WeekLoad, ...]
    plan: CurrentPlan | None


class FhirWriter(Protocol):
    """Turns what the bundle is made of, with the messages, into the bundle's JSON document,
    stamped ``now``."""

    def __call__(
        self,
        source: FhirSource,
        content: ProgrammeContent,
        messages: Sequence[FhirMessage] = (),
        *,
        now: datetime,
    ) -> dict[str, Any]: ...


def fhir_source(uow: UnitOfWork, content: ProgrammeContent, person_id: str | None) -> FhirSource:
    """The person's journal (None: the journal's only one) with its weekly load and the
    current programme."""
    journal = read_journal(uow, person_id)
    return FhirSource(journal, running_weeks(journal, content), current_plan(journal, content))


def fhir_for_person(
    uow: UnitOfWork,
    content: ProgrammeContent,
    person_id: str | None,
    messages: Sequence[FhirMessage],
    now: datetime,
    write: FhirWriter,
) -> dict[str, Any]:
    """The person's journal and ``messages`` as a FHIR bundle's JSON document, made by
    ``write`` and stamped ``now`` (what the command line, the progress page and the clinic's
    API answer)."""
    return write(fhir_source(uow, content, person_id), content, messages, now=now)


def running_weeks(journal: Journal, content: ProgrammeContent) -> tuple[WeekLoad, ...]:
    """The running load of each week from the week of the first run to the week of the last:
    one run per run (a check-in's run on the day of a watch run is that run)."""
    watch = [
        run_entry(a.local_date, a.metrics, a.id, content.load)
        for a in journal.activities
        if a.sport is Sport.RUNNING
    ]
    runs = merge_runs([c.checkin for c in journal.checkins], watch)
    if not runs:
        return ()
    return weekly_load(runs, (), runs[0].day, runs[-1].day)


def current_plan(journal: Journal, content: ProgrammeContent) -> CurrentPlan | None:
    """The programme that has not ended, with its phase's exercises at the runner's dose."""
    current = [p for p in journal.programmes if p.ended_on is None]
    if not current:
        return None
    programme = current[-1]
    state = programme.state
    name = content.phase_name(state.phase)
    return CurrentPlan(
        programme_id=programme.id,
        status=state.status,
        started_on=programme.started_on,
        phase=state.phase,
        phase_name=name,
        description=content.words.say("plan.session.phase_line", n=state.phase, name=name),
        exercises=_exercises(programme, content),
    )


def _exercises(programme: Programme, content: ProgrammeContent) -> tuple[PlannedExercise, ...]:
    protocol = content.protocol
    state = programme.state
    phase = protocol.phase(state.phase)
    ids = dict.fromkeys((*phase.daily_exercises, *phase.exercises))
    words = SessionWords(content.words)
    planned = []
    for exercise_id in ids:
        exercise = protocol.exercises.get(exercise_id)
        if exercise is None:
            continue
        dose = target(exercise, state.phase, state.dose_level, protocol.settings)
        said = "" if dose is None else words.dose(_dose_doc(exercise_id, exercise.name, dose))
        planned.append(PlannedExercise(exercise_id, exercise.name, said))
    return tuple(planned)


def _dose_doc(exercise_id: str, name: str, dose: Target) -> dict[str, Any]:
    """The parts of a prescription document (``PrescriptionDoc``) that say a dose."""
    doc: dict[str, Any] = {"id": exercise_id, "name": name, "sets": dose.sets}
    for key in ("reps", "hold_seconds", "minutes"):
        value = getattr(dose, key)
        if value is not None:
            doc[key] = value
    doc["per_side"] = dose.per_side
    return doc
