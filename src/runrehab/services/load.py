"""Running load from the journal: the watch runs and the usual load the day plan needs, and the
``load`` view (weekly minutes and km, the longest-run cap, the step-rate target, warnings).

The engine decides; this module only gathers. Runs are the watch's measured runs merged with
the runs reported in check-ins (a check-in run on the day of a watch run *is* that run).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from runrehab.engine.activity import Sport
from runrehab.engine.assessment import Assessment
from runrehab.engine.checkin import Checkin
from runrehab.engine.day import plan_day
from runrehab.engine.load import (
    NO_BASELINE,
    Baseline,
    CadenceTarget,
    CrossEntry,
    LoadContext,
    RunEntry,
    baseline,
    cadence_target,
    merge_runs,
    run_entry,
    running_cadences,
    single_run_cap,
    weekly_load,
)
from runrehab.engine.projection import run_history
from runrehab.engine.values import Reason
from runrehab.services.content import ProgrammeContent
from runrehab.services.journal import fold_for_day, outcomes_of, resolve_person
from runrehab.services.ports import Repository, UnitOfWork
from runrehab.services.records import Programme

CADENCE_DAYS = 90
"""The step-rate target is set from the runs of the last 90 days: the runner's present habit."""


@dataclass(frozen=True, slots=True)
class RunnerLoad:
    """What the day plan needs of the runner's running beyond the check-ins."""

    watch_runs: tuple[RunEntry, ...]
    cross: tuple[CrossEntry, ...]
    context: LoadContext


def pain_began(assessment: Assessment, assessed_on: date) -> date:
    """When the pain began, from the intake's "how many weeks" answer."""
    return assessed_on - timedelta(weeks=assessment.history.symptom_weeks)


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


def load_view(
    uow: UnitOfWork,
    content: ProgrammeContent,
    day: date,
    weeks: int = 12,
    person_id: str | None = None,
) -> dict[str, Any]:
    """The runner's load through ``day``: a table of the last ``weeks`` weeks, the longest run of
    the last 30 days and today's single-run cap, the usual load, the step-rate target, and the
    warnings the day plan gives (when a programme is running)."""
    with uow:
        repo = uow.repo
        person = resolve_person(repo, person_id)
        programme = repo.current_programme(person.id)
        stored = repo.assessments(person.id)
        current = stored[-1] if stored else None
        checkins = [c.checkin for c in repo.checkins(person.id)]
        load = runner_load(
            repo,
            content,
            person.id,
            None if current is None else current.assessment,
            None if current is None else current.recorded_on,
            day,
        )
        warnings = _warnings(repo, content, programme, checkins, load, day)
    return _view(content, day, weeks, checkins, load, warnings)


def _warnings(
    repo: Repository,
    content: ProgrammeContent,
    programme: Programme | None,
    checkins: list[Checkin],
    load: RunnerLoad,
    day: date,
) -> list[dict[str, Any]]:
    if programme is None:
        return []
    mine = [c for c in checkins if c.date >= programme.started_on]
    outcomes = outcomes_of(repo.responses(programme.person_id))
    state, _ = fold_for_day(content, programme, mine, outcomes, day)
    assessment = repo.assessments(programme.person_id)[programme.assessment_version - 1]
    plan = plan_day(
        state,
        mine,
        assessment.assessment.preferences,
        run_history(assessment.assessment),
        content.protocol,
        day,
        load.watch_runs,
        load.context,
    )
    return content.book.describe_all(list(plan.warnings))


def _view(
    content: ProgrammeContent,
    day: date,
    weeks: int,
    checkins: list[Checkin],
    load: RunnerLoad,
    warnings: list[dict[str, Any]],
) -> dict[str, Any]:
    runs = merge_runs([c for c in checkins if c.date <= day], load.watch_runs)
    first = day - timedelta(weeks=weeks - 1, days=day.weekday())
    table = weekly_load(runs, load.cross, first, day)
    s = content.protocol.settings
    cap = single_run_cap(runs, day + timedelta(days=1), s.longest_run_cap_ratio, content.load, None)
    usual = load.context.baseline
    cadence = cadence_target(load.context.cadence_spm, s)
    return {
        "date": day.isoformat(),
        "weeks": [
            {
                "week_of": w.monday.isoformat(),
                "runs": w.runs,
                "run_minutes": round(w.run_minutes, 1),
                "run_km": round(w.run_km, 2),
                "longest_minutes": _round(w.longest_minutes, 1),
                "longest_km": _round(w.longest_km, 2),
                "cross_training_minutes": round(w.cross_minutes, 1),
            }
            for w in table
        ],
        "longest_run_30_days": None
        if cap.longest is None
        else {
            "minutes": round(cap.longest.minutes, 1),
            "minutes_date": cap.longest.minutes_day.isoformat(),
            "km": _round(cap.longest.km, 2),
            "km_date": None if cap.longest.km_day is None else cap.longest.km_day.isoformat(),
        },
        "single_run_cap": {
            "minutes": _round(cap.minutes, 1),
            "km": _round(cap.km, 2),
            "ratio": s.longest_run_cap_ratio,
            "reason": content.book.describe_all([_cap_reason(cap.longest is None)])[0],
        },
        "usual_load": {
            "source": usual.source,
            "weekly_km": _round(usual.weekly_km, 1),
            "weekly_minutes": _round(usual.weekly_minutes, 1),
            "runs_per_week": _round(usual.runs_per_week, 1),
            "weeks": usual.weeks,
        },
        "cadence": cadence_view(cadence, content),
        "warnings": warnings,
    }


def cadence_view(cadence: CadenceTarget | None, content: ProgrammeContent) -> dict[str, Any] | None:
    """The step-rate target as shown: the usual rate, the range, the metronome, and why."""
    if cadence is None:
        return None
    return {
        "usual_spm": round(cadence.usual_spm, 1),
        "target_low_spm": round(cadence.low_spm, 1),
        "target_high_spm": round(cadence.high_spm, 1),
        "metronome_bpm": cadence.metronome_bpm,
        "reason": content.book.describe_all([cadence.reason])[0],
    }


def _cap_reason(no_runs: bool) -> Reason:
    detail = "no run in the last 30 days to measure from" if no_runs else ""
    return Reason("load-longest-run-cap", detail)


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)
