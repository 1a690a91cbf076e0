"""The running load: weekly minutes and km, the longest-run cap, the usual load, the step-rate
target and the warnings of the day plan (``running_load``, a ``LoadView``).

The engine decides; this module only shows. Runs are the watch's measured runs merged with
the runs reported in check-ins (a check-in run on the day of a watch run *is* that run), and
cross-training the same way (``merge_cross_training``). Where the programme gives no running
(a phase without it, a referral, a stop, a day before the programme starts), the view says so
and why, and the cap is only the ceiling for when running resumes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from runrehab.content import locale
from runrehab.engine.cadence import CadenceTarget, cadence_target
from runrehab.engine.checkin import Checkin
from runrehab.engine.day import no_running
from runrehab.engine.load import (
    RunCap,
    WeekLoad,
    merge_cross_training,
    merge_runs,
    single_run_cap,
    weekly_load,
)
from runrehab.engine.values import Reason
from runrehab.services.content import ProgrammeContent
from runrehab.services.journal.day_plan import PlannedDay, RunnerLoad, plan_for_day, runner_load
from runrehab.services.journal.hold import hold_of
from runrehab.services.journal.programme import resolve_person
from runrehab.services.ports import Repository, UnitOfWork
from runrehab.services.reasons import ReasonView
from runrehab.services.records import Programme
from runrehab.services.views import jsonable

# --- the view ---------------------------------------------------------------------------------


def _rules(content: ProgrammeContent, reasons: Iterable[Reason]) -> tuple[ReasonView, ...]:
    return content.book.views(reasons)


@dataclass(frozen=True, slots=True)
class WeekView:
    week_of: date
    runs: int
    run_minutes: float
    run_km: float
    longest_minutes: float | None
    longest_km: float | None
    cross_training_minutes: float


@dataclass(frozen=True, slots=True)
class LongestRunView:
    """The longest run of the last 30 days, by time and by distance, and their days."""

    minutes: float
    minutes_date: date
    km: float | None
    km_date: date | None


@dataclass(frozen=True, slots=True)
class RunCapView:
    """The longest single run allowed: for the next run, or once running resumes."""

    minutes: float | None
    km: float | None
    ratio: float
    window_days: int
    applies: str
    reason: ReasonView


@dataclass(frozen=True, slots=True)
class UsualLoadView:
    """The load before the pain: from the watch history, the runner's answers, or none."""

    source: str
    weekly_km: float | None
    weekly_minutes: float | None
    runs_per_week: float | None
    weeks: int


@dataclass(frozen=True, slots=True)
class CadenceTargetView:
    """The step-rate target: the usual rate, the range to aim for, the metronome, and why."""

    usual_spm: float
    target_low_spm: float
    target_high_spm: float
    metronome_bpm: int
    reason: ReasonView


@dataclass(frozen=True, slots=True)
class NotStarted:
    """No running yet: the day is before the programme's first."""

    kind: str
    starts_on: date
    text: str
    reasons: tuple[ReasonView, ...]


@dataclass(frozen=True, slots=True)
class PhaseWithoutRunning:
    """No running in the programme's phase: it comes back through the walk/run ladder."""

    kind: str
    text: str
    reasons: tuple[ReasonView, ...]


@dataclass(frozen=True, slots=True)
class OnHold:
    """No running while the programme is held (a referral, a stop): since when, and why."""

    kind: str
    status: str
    since: str
    text: str
    rule: str
    reasons: tuple[ReasonView, ...]


NoRunning = NotStarted | PhaseWithoutRunning | OnHold


@dataclass(frozen=True, slots=True)
class LoadView:
    """The runner's load through ``date`` (``runrehab load``, ``GET /api/v1/load``, the runs
    page)."""

    date: date
    weeks: tuple[WeekView, ...]
    longest_run_30_days: LongestRunView | None
    no_running: NoRunning | None
    single_run_cap: RunCapView
    usual_load: UsualLoadView
    weekly_rule: ReasonView
    cadence: CadenceTargetView | None
    warnings: tuple[ReasonView, ...]


# --- the use case -----------------------------------------------------------------------------


def running_load(
    uow: UnitOfWork,
    content: ProgrammeContent,
    day: date,
    weeks: int = 12,
    person_id: str | None = None,
) -> LoadView:
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
            warnings = _rules(content, planned.plan.warnings)
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
    waiting = None if programme is None else not_started(content, programme.started_on)
    return _view(content, day, weeks, checkins, load, (), waiting)


def load_view(
    uow: UnitOfWork,
    content: ProgrammeContent,
    day: date,
    weeks: int = 12,
    person_id: str | None = None,
) -> dict[str, Any]:
    """``running_load`` as its JSON document (what the load chart draws)."""
    document: dict[str, Any] = jsonable(running_load(uow, content, day, weeks, person_id))
    return document


def not_started(content: ProgrammeContent, starts_on: date) -> NotStarted:
    """A day before the programme's first: what every dated view says of it."""
    text = content.words.say("runs.load.not_started", day=locale.day_text(starts_on, True))
    return NotStarted("not_started", starts_on, text, ())


def _no_running(
    repo: Repository, content: ProgrammeContent, programme: Programme, planned: PlannedDay
) -> NoRunning | None:
    """Why the programme gives no running where it stands (the engine's ``no_running``): a
    phase without running, a referral, a stop. None when running is part of the phase."""
    plan = planned.plan
    reason = no_running(plan)
    if reason is None:
        return None
    hold = hold_of(repo, programme, plan.state, planned.folded)
    if hold is not None:
        shown = jsonable(hold.view(content))
        reasons = tuple(ReasonView(**r) for r in shown["reasons"])
        return OnHold(
            shown["status"], shown["status"], shown["since"], shown["text"], shown["rule"], reasons
        )
    phase = plan.state.phase
    text = content.words.say(
        "runs.load.phase_without_running", phase=phase, name=content.phase_name(phase)
    )
    return PhaseWithoutRunning("phase", text, _rules(content, [reason]))


def _view(
    content: ProgrammeContent,
    day: date,
    weeks: int,
    checkins: list[Checkin],
    load: RunnerLoad,
    warnings: tuple[ReasonView, ...],
    paused: NoRunning | None = None,
) -> LoadView:
    reported = [c for c in checkins if c.date <= day]
    runs = merge_runs(reported, load.watch_runs)
    cross = merge_cross_training(reported, load.cross)
    first = day - timedelta(weeks=weeks - 1, days=day.weekday())
    s = content.protocol.settings
    cap = single_run_cap(runs, day + timedelta(days=1), s.longest_run_cap_ratio, content.load, None)
    usual = load.context.baseline
    return LoadView(
        date=day,
        weeks=tuple(_week(w) for w in weekly_load(runs, cross, first, day)),
        longest_run_30_days=_longest(cap),
        no_running=paused,
        single_run_cap=RunCapView(
            minutes=_round(cap.minutes, 1),
            km=_round(cap.km, 2),
            ratio=s.longest_run_cap_ratio,
            window_days=content.load.longest_run_window_days,
            applies="next_run" if paused is None else "once_running_resumes",
            reason=_rules(content, [_cap_reason(content, cap.longest is None)])[0],
        ),
        usual_load=UsualLoadView(
            source=usual.source,
            weekly_km=_round(usual.weekly_km, 1),
            weekly_minutes=_round(usual.weekly_minutes, 1),
            runs_per_week=_round(usual.runs_per_week, 1),
            weeks=usual.weeks,
        ),
        weekly_rule=content.book.view(Reason("load-no-weekly-ratio-caps")),
        cadence=cadence_target_view(cadence_target(load.context.cadence_spm, s), content),
        warnings=warnings,
    )


def _week(w: WeekLoad) -> WeekView:
    return WeekView(
        week_of=w.monday,
        runs=w.runs,
        run_minutes=round(w.run_minutes, 1),
        run_km=round(w.run_km, 2),
        longest_minutes=_round(w.longest_minutes, 1),
        longest_km=_round(w.longest_km, 2),
        cross_training_minutes=round(w.cross_minutes, 1),
    )


def _longest(cap: RunCap) -> LongestRunView | None:
    longest = cap.longest
    if longest is None:
        return None
    return LongestRunView(
        minutes=round(longest.minutes, 1),
        minutes_date=longest.minutes_day,
        km=_round(longest.km, 2),
        km_date=longest.km_day,
    )


def cadence_target_view(
    cadence: CadenceTarget | None, content: ProgrammeContent
) -> CadenceTargetView | None:
    """The step-rate target as shown: the usual rate, the range, the metronome, and why."""
    if cadence is None:
        return None
    return CadenceTargetView(
        usual_spm=round(cadence.usual_spm, 1),
        target_low_spm=round(cadence.low_spm, 1),
        target_high_spm=round(cadence.high_spm, 1),
        metronome_bpm=cadence.metronome_bpm,
        reason=_rules(content, [cadence.reason])[0],
    )


def _cap_reason(content: ProgrammeContent, no_runs: bool) -> Reason:
    detail = content.words.say("runs.load.no_recent_run") if no_runs else ""
    return Reason("load-longest-run-cap", detail)


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)
