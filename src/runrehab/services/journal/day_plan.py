"""The day plan from the journal: the check-ins folded to the day, the runner's running load
(watch runs, the usual load before the pain, recent step rates), and the engine's plan.

``today`` and ``load`` both ask for it, so they always agree on the day's warnings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from runrehab.engine.activity import Sport
from runrehab.engine.assessment import Assessment
from runrehab.engine.checkin import Checkin
from runrehab.engine.day import DayPlan, plan_day
from runrehab.engine.load import (
    NO_BASELINE,
    Baseline,
    CrossEntry,
    LoadContext,
    RunEntry,
    baseline,
    pain_began,
    run_entry,
    running_cadences,
)
from runrehab.engine.outcomes import Outcomes
from runrehab.engine.overrides import Override
from runrehab.engine.projection import run_history
from runrehab.engine.state import Decision
from runrehab.services.content import ProgrammeContent
from runrehab.services.journal.lessons import read_before
from runrehab.services.journal.programme import (
    fold_for_session,
    outcomes_of,
    overrides_of,
    programme_checkins,
    require_started,
)
from runrehab.services.ports import Repository
from runrehab.services.records import LessonRead, Programme

CADENCE_DAYS = 90
"""The step-rate target is set from the runs of the last 90 days: the runner's present habit."""


@dataclass(frozen=True, slots=True)
class RunnerLoad:
    """What the day plan needs of the runner's running beyond the check-ins."""

    watch_runs: tuple[RunEntry, ...]
    cross: tuple[CrossEntry, ...]
    context: LoadContext


def runner_load(
    repo: Repository,
    content: ProgrammeContent,
    person_id: str,
    assessment: Assessment | None,
    assessed_on: date | None,
    day: date,
) -> RunnerLoad:
    """The watch runs (and cross-training) up to ``day``, the usual load before the pain and the
    recent step rates. Only the activities the rules can look at are read."""
    settings = content.load
    began = (
        None if assessment is None or assessed_on is None else pain_began(assessment, assessed_on)
    )
    oldest = day - timedelta(days=max(settings.longest_run_window_days, CADENCE_DAYS))
    if began is not None:
        oldest = min(oldest, began - timedelta(weeks=settings.baseline_weeks))
    activities = [a for a in repo.activities(person_id, oldest) if a.local_date <= day]
    runs = tuple(
        run_entry(a.local_date, a.metrics, a.id, settings)
        for a in activities
        if a.sport is Sport.RUNNING
    )
    cross = tuple(
        CrossEntry(a.local_date, a.metrics.moving_s / 60, a.sport.value)
        for a in activities
        if a.sport is not Sport.RUNNING
    )
    usual = _usual(runs, assessment, began, content)
    recent = day - timedelta(days=CADENCE_DAYS)
    cadences = running_cadences(
        (a.metrics for a in activities if a.sport is Sport.RUNNING and a.local_date >= recent),
        content.metrics,
    )
    return RunnerLoad(runs, cross, LoadContext(usual, settings, cadences))


def _usual(
    runs: tuple[RunEntry, ...],
    assessment: Assessment | None,
    began: date | None,
    content: ProgrammeContent,
) -> Baseline:
    running = None if assessment is None else assessment.running
    if began is None:
        return NO_BASELINE
    return baseline(
        runs,
        began,
        content.load,
        None if running is None else running.weekly_km_before_pain,
        None if running is None else running.runs_per_week_before_pain,
    )


@dataclass(frozen=True, slots=True)
class PlannedDay:
    """A programme's day as planned, with what went into the plan."""

    plan: DayPlan
    folded: list[Decision]
    checkins: list[Checkin]
    outcomes: Outcomes
    load: RunnerLoad
    lessons_read: tuple[LessonRead, ...] = ()
    """Every lesson the runner marked as read (the plan leaves off those read before the day)."""
    overrides: tuple[Override, ...] = ()
    """What the runner's physiotherapist set (the plan and the fold read it)."""


def plan_for_day(
    repo: Repository, content: ProgrammeContent, programme: Programme, day: date
) -> PlannedDay:
    """Fold the programme's check-ins to ``day`` (in memory: nothing is written) and plan it.
    ``BeforeProgramme`` for a day before the programme began."""
    require_started(programme, day, content.words)
    checkins = [s.checkin for s in programme_checkins(repo, programme)]
    outcomes = outcomes_of(repo.responses(programme.person_id))
    overrides = overrides_of(repo, programme.person_id)
    state, folded = fold_for_session(content, programme, checkins, outcomes, day, overrides)
    stored = repo.assessments(programme.person_id)[programme.assessment_version - 1]
    load = runner_load(
        repo, content, programme.person_id, stored.assessment, stored.recorded_on, day
    )
    reads = tuple(repo.lessons_read(programme.person_id))
    plan = plan_day(
        state,
        checkins,
        stored.assessment.preferences,
        run_history(stored.assessment),
        content.protocol,
        day,
        load.watch_runs,
        load.context,
        lessons_read=read_before(reads, day),
        overrides=overrides,
    )
    return PlannedDay(plan, folded, checkins, outcomes, load, reads, overrides)
