"""The ``load`` view: weekly minutes and km, the longest-run cap, the usual load, the step-rate
target and the warnings of the day plan.

The engine decides; this module only shows. Runs are the watch's measured runs merged with
the runs reported in check-ins (a check-in run on the day of a watch run *is* that run), and
cross-training the same way (``merge_cross_training``). Where the programme gives no running
(a phase without it, a referral, a stop, a day before the programme starts), the view says so
and why, and the cap is only the ceiling for when running resumes.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from runrehab.engine.cadence import CadenceTarget, cadence_target
from runrehab.engine.checkin import Checkin
from runrehab.engine.day import no_running
from runrehab.engine.load import merge_cross_training, merge_runs, single_run_cap, weekly_load
from runrehab.engine.values import Reason
from runrehab.services.content import ProgrammeContent
from runrehab.services.journal.day_plan import PlannedDay, RunnerLoad, plan_for_day, runner_load
from runrehab.services.journal.hold import hold_of
from runrehab.services.journal.programme import resolve_person
from runrehab.services.ports import Repository, UnitOfWork
from runrehab.services.records import Programme


def load_view(
    uow: UnitOfWork,
    content: ProgrammeContent,
    day: date,
    weeks: int = 12,
    person_id: str | None = None,
) -> dict[str, Any]:
    """The runner's load through ``day``: a table of the last ``weeks`` weeks, the longest run of
    the last 30 days and today's single-run cap, the usual load, the step-rate target, and the
    warnings the day plan gives (when a programme is running). ``no_running`` says why there is
    no running where the programme stands, when there is none (``not_started`` before the
    programme's first day)."""
    with uow:
        repo = uow.repo
        person = resolve_person(repo, person_id)
        programme = repo.current_programme(person.id)
        checkins = [c.checkin for c in repo.checkins(person.id)]
        if programme is not None and day >= programme.started_on:
            planned = plan_for_day(repo, content, programme, day)
            warnings = content.book.describe_all(list(planned.plan.warnings))
            paused = _no_running(repo, content, programme, planned)
            return _view(content, day, weeks, checkins, planned.load, warnings, paused)
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
    paused = None if programme is None else not_started(programme.started_on)
    return _view(content, day, weeks, checkins, load, [], paused)


def not_started(starts_on: date) -> dict[str, Any]:
    """A day before the programme's first: what every dated view says of it."""
    return {
        "kind": "not_started",
        "starts_on": starts_on.isoformat(),
        "text": f"Your programme starts on {starts_on:%a %d %b %Y}: nothing is planned before "
        "then.",
        "reasons": [],
    }


def _no_running(
    repo: Repository, content: ProgrammeContent, programme: Programme, planned: PlannedDay
) -> dict[str, Any] | None:
    """Why the programme gives no running where it stands (the engine's ``no_running``): a
    phase without running, a referral, a stop. None when running is part of the phase."""
    plan = planned.plan
    reason = no_running(plan)
    if reason is None:
        return None
    hold = hold_of(repo, programme, plan.state, planned.folded)
    if hold is not None:
        shown = hold.view(content)
        return {"kind": shown["status"], **shown}
    phase = plan.state.phase
    return {
        "kind": "phase",
        "text": f"No running in phase {phase} ({content.phase_name(phase)}): running comes "
        "back through the walk/run ladder once the phase's checks are passed.",
        "reasons": content.book.describe_all([reason]),
    }


def _view(
    content: ProgrammeContent,
    day: date,
    weeks: int,
    checkins: list[Checkin],
    load: RunnerLoad,
    warnings: list[dict[str, Any]],
    paused: dict[str, Any] | None = None,
) -> dict[str, Any]:
    reported = [c for c in checkins if c.date <= day]
    runs = merge_runs(reported, load.watch_runs)
    cross = merge_cross_training(reported, load.cross)
    first = day - timedelta(weeks=weeks - 1, days=day.weekday())
    table = weekly_load(runs, cross, first, day)
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
        "no_running": paused,
        "single_run_cap": {
            "minutes": _round(cap.minutes, 1),
            "km": _round(cap.km, 2),
            "ratio": s.longest_run_cap_ratio,
            "window_days": content.load.longest_run_window_days,
            "applies": "next_run" if paused is None else "once_running_resumes",
            "reason": content.book.describe_all([_cap_reason(cap.longest is None)])[0],
        },
        "usual_load": {
            "source": usual.source,
            "weekly_km": _round(usual.weekly_km, 1),
            "weekly_minutes": _round(usual.weekly_minutes, 1),
            "runs_per_week": _round(usual.runs_per_week, 1),
            "weeks": usual.weeks,
        },
        "weekly_rule": content.book.describe(Reason("load-no-weekly-ratio-caps")),
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
