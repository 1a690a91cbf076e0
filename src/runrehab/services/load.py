"""The ``load`` view: weekly minutes and km, the longest-run cap, the usual load, the step-rate
target and the warnings of the day plan.

The engine decides; this module only shows. Runs are the watch's measured runs merged with
the runs reported in check-ins (a check-in run on the day of a watch run *is* that run).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from runrehab.engine.checkin import Checkin
from runrehab.engine.load import (
    CadenceTarget,
    cadence_target,
    merge_runs,
    single_run_cap,
    weekly_load,
)
from runrehab.engine.values import Reason
from runrehab.services.content import ProgrammeContent
from runrehab.services.journal import resolve_person
from runrehab.services.planning import RunnerLoad, plan_for_day, runner_load
from runrehab.services.ports import UnitOfWork


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
        checkins = [c.checkin for c in repo.checkins(person.id)]
        if programme is not None:
            planned = plan_for_day(repo, content, programme, day)
            warnings = content.book.describe_all(list(planned.plan.warnings))
            return _view(content, day, weeks, checkins, planned.load, warnings)
        stored = repo.assessments(person.id)
        current = stored[-1] if stored else None
        load = runner_load(
            repo,
            content,
            person.id,
            None if current is None else current.assessment,
            None if current is None else current.recorded_on,
            day,
        )
    return _view(content, day, weeks, checkins, load, [])


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
