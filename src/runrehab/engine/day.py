"""One day of the programme as the runner lives it: "can I run today?" and today's session.

``plan_day`` is what the ``today`` answer and the plan projection both use, so the projection
shows exactly the sessions that a runner who passes every gate would be given.

Runs come from two places: the check-ins (with the pain report, which is the gate) and the watch
(with the measured minutes and km, which are the load). ``load.merge_runs`` makes them one list;
the longest-run history, the cap, the spacing of runs and the load warnings all use it.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from runrehab.engine.assessment import Preferences
from runrehab.engine.cadence import CadenceTarget, cadence_target
from runrehab.engine.checkin import Checkin
from runrehab.engine.gates import readiness_checks
from runrehab.engine.load import LoadContext, LoadSettings, RunEntry, merge_runs
from runrehab.engine.load_warnings import load_warnings
from runrehab.engine.overrides import NO_OVERRIDES, Override, changed_session
from runrehab.engine.protocol import Protocol
from runrehab.engine.readiness import RunDecision, can_run_today, inputs_from_checkins
from runrehab.engine.rebuild import (
    PlannedRun,
    hills_or_speed_from,
    rebuild_run,
    usual_runs_per_week,
)
from runrehab.engine.session import RunHistory, Session, SessionInputs, build_session
from runrehab.engine.state import ProgrammeState, Status
from runrehab.engine.traffic_light import colour_of
from runrehab.engine.values import Colour, Disposition, Reason, RunToday

CalendarDay = date
"""``date`` by another name, for annotations inside ``DayPlan``, whose ``date`` field hides it."""


@dataclass(frozen=True, slots=True)
class DayPlan:
    """What to do on ``date``: the run answer and, unless the programme is stopped, a session;
    the load warnings of the last week and the step-rate target, when the runner's load is
    known (watch runs or a ``LoadContext``)."""

    date: date
    state: ProgrammeState
    disposition: Disposition
    run: RunDecision
    session: Session | None
    warnings: tuple[Reason, ...] = ()
    cadence: CadenceTarget | None = None
    unreported_runs: tuple[CalendarDay, ...] = ()
    """Days since the programme began with a watch run that no check-in reports."""
    running_mode: str = "none"
    """How the phase the day was planned in runs (``Protocol.running_mode``): "none" when it
    has no running, and always "none" for a stopped programme."""


def plan_day(
    state: ProgrammeState,
    checkins: Sequence[Checkin],
    preferences: Preferences,
    base: RunHistory,
    protocol: Protocol,
    day: date,
    watch_runs: Sequence[RunEntry] = (),
    load: LoadContext | None = None,
    lessons_read: Collection[str] = frozenset(),
    overrides: Sequence[Override] = NO_OVERRIDES,
) -> DayPlan:
    """Today's plan for a runner in ``state`` (already folded through the day before, or through
    today when today's check-in has been made). Check-ins and watch runs of later days are
    ignored. ``watch_runs``: the runner's watch runs (``load.run_entry``); ``load``: their usual
    load before the pain and recent step rates; ``lessons_read``: the ids of the lessons read
    before ``day`` (the session lists the others due by then); ``overrides``: what the runner's
    physiotherapist changed in the session (``overrides.changed_session``)."""
    history = [c for c in checkins if c.date <= day]
    if state.status is Status.STOPPED:
        stop = RunDecision(RunToday.NO, (Reason("programme-stopped"),))
        return DayPlan(day, state, Disposition.URGENT, stop, None)
    disposition = Disposition.SELF_MANAGE
    gentle = state
    if state.status is Status.REFERRED:
        # until a clinician has seen the knee: only the gentle, low-load work of phase 1
        disposition = Disposition.SEE_CLINICIAN
        gentle = replace(state, phase=1, rung=0, dose_level=0)
    mode = protocol.running_mode(gentle.pathway, gentle.phase)
    runs = _expected_reports(
        merge_runs(history, [w for w in watch_runs if w.day <= day]), state.programme_started
    )
    unreported = tuple(r.day for r in runs if not r.pain_reported)
    context = load or LoadContext()
    readiness = can_run_today(
        inputs_from_checkins(
            day,
            disposition,
            gentle.pathway,
            mode,
            history,
            state.hold_running_until,
            unreported,
            preferences.trains_on(day),
            sum(1 for r in runs if day - timedelta(days=6) <= r.day < day),
            usual_runs_per_week(context.baseline, context.settings),
        ),
        protocol.settings,
    )
    rebuild = _rebuild(gentle, mode, context, runs, history, protocol, day)
    inputs = SessionInputs(
        gentle,
        day,
        readiness,
        preferences,
        loaded_days(history, protocol),
        _run_history(runs, _with_usual_run(base, context), day, context.settings),
        rebuild,
        # judged on the days before: today's session stays what it was once its report is in
        readiness_checks(gentle, [c for c in history if c.date < day], protocol, day),
        frozenset(lessons_read),
    )
    session = changed_session(build_session(inputs, protocol), overrides)
    if not watch_runs and load is None:
        return DayPlan(day, state, disposition, readiness, session, running_mode=mode)
    warnings = _warnings(gentle, mode, context, runs, history, rebuild, session, protocol, day)
    cadence = cadence_target(context.cadence_spm, protocol.settings)
    return DayPlan(day, state, disposition, readiness, session, warnings, cadence, unreported, mode)


def no_running(plan: DayPlan) -> Reason | None:
    """Why the programme gives no running at all where ``plan`` stands, not only on its day:
    a stopped programme, a referral (only gentle work until a clinician has seen the knee), or
    a phase without running. None when running is part of the phase, even on a day without a
    run (the spacing of runs, a rest day, a hold after a RED day)."""
    if plan.state.status is Status.STOPPED:
        return Reason("programme-stopped")
    if plan.state.status is Status.REFERRED:
        return Reason("programme-referred")
    if plan.running_mode == "none":
        return Reason("n1-no-running-in-this-phase")
    return None


def _expected_reports(runs: tuple[RunEntry, ...], started: date) -> tuple[RunEntry, ...]:
    """Only runs since the programme began can be reported in a check-in (earlier dates are
    refused), so a watch run from before is history, not a missing report."""
    return tuple(
        r if r.pain_reported or r.day >= started else replace(r, pain_reported=True) for r in runs
    )


def loaded_days(checkins: Sequence[Checkin], protocol: Protocol) -> tuple[date, ...]:
    """The days on which the runner logged loaded strength work."""
    known = protocol.exercises
    return tuple(
        c.date
        for c in checkins
        if any(e.sets > 0 and e.id in known and known[e.id].loaded for e in c.exercises)
    )


def _run_history(
    runs: Sequence[RunEntry], base: RunHistory, day: date, settings: LoadSettings
) -> RunHistory:
    """The longest run (minutes and km) of the window before ``day``, the intake's longest km
    kept as a floor of what is known."""
    since = day - timedelta(days=settings.longest_run_window_days)
    recent = [r for r in runs if since <= r.day < day]
    longest = max((r.minutes for r in recent), default=None)
    longest_km = max((r.km for r in recent if r.km), default=None)
    return RunHistory(
        base.typical_run_km,
        max(filter(None, (base.longest_km_30d, longest_km)), default=None),
        longest,
    )


def _with_usual_run(base: RunHistory, context: LoadContext) -> RunHistory:
    """The usual run from the load baseline (watch history first) when it knows the km."""
    usual = context.baseline
    if not usual.known or not usual.weekly_km:
        return base
    per_week = usual.runs_per_week or context.settings.default_runs_per_week
    return replace(base, typical_run_km=usual.weekly_km / per_week)


def _rebuild(
    state: ProgrammeState,
    mode: str,
    context: LoadContext,
    runs: Sequence[RunEntry],
    history: Sequence[Checkin],
    protocol: Protocol,
    day: date,
) -> PlannedRun | None:
    """Phase 5's run from the runner's own load, when their usual load is known; the rebuild
    began the day phase 5 did."""
    if mode != "building" or not context.baseline.known:
        return None
    return rebuild_run(
        day,
        state.phase_started,
        context.baseline,
        runs,
        context.settings,
        protocol.settings,
        fallback_minutes=float(protocol.rungs[-1].total_minutes),
        pain_free_since=_pain_free_since(history, state.phase_started, day, protocol),
    )


def _pain_free_since(
    history: Sequence[Checkin], since: date, day: date, protocol: Protocol
) -> date | None:
    """The day after the last AMBER or RED day of the phase (None when there was none)."""
    in_phase = sorted((c for c in history if since <= c.date <= day), key=_dated, reverse=True)
    for c in in_phase:  # the latest first: the first painful one is the last (Today asks daily)
        if colour_of(c, protocol.settings) in (Colour.AMBER, Colour.RED):
            return c.date + timedelta(days=1)
    return None


def _dated(checkin: Checkin) -> date:
    return checkin.date


def _warnings(
    state: ProgrammeState,
    mode: str,
    context: LoadContext,
    runs: Sequence[RunEntry],
    history: Sequence[Checkin],
    rebuild: PlannedRun | None,
    session: Session,
    protocol: Protocol,
    day: date,
) -> tuple[Reason, ...]:
    planned = None
    if rebuild is not None and session.run is not None:
        # the run as the session prescribes it, checked once more against the cap
        planned = replace(rebuild, minutes=session.run.total_minutes, km=session.run.distance_km)
    allowed_from = (
        rebuild.hills_or_speed_from
        if rebuild is not None
        else hills_or_speed_from(
            state.phase_started,
            _pain_free_since(history, state.phase_started, day, protocol),
            context.settings,
        )
    )
    return load_warnings(
        day,
        runs,
        mode,
        context.baseline,
        planned,
        context.settings,
        protocol.settings,
        phase_started=state.phase_started,
        hills_or_speed_allowed_from=allowed_from,
    )
