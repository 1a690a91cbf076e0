"""One day of the programme as the runner lives it: "can I run today?" and today's session.

``plan_day`` is what the ``today`` answer and the plan projection both use, so the projection
shows exactly the sessions that a runner who passes every gate would be given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from runrehab.engine.assessment import Preferences
from runrehab.engine.checkin import Checkin
from runrehab.engine.progression import ProgrammeState, Status
from runrehab.engine.protocol import Protocol
from runrehab.engine.readiness import RunDecision, can_run_today, inputs_from_checkins
from runrehab.engine.session import RunHistory, Session, SessionInputs, build_session
from runrehab.engine.values import Disposition, Reason, RunToday

LONGEST_RUN_WINDOW_DAYS = 30


@dataclass(frozen=True, slots=True)
class DayPlan:
    """What to do on ``date``: the run answer and, unless the programme is stopped, a session."""

    date: date
    state: ProgrammeState
    disposition: Disposition
    run: RunDecision
    session: Session | None


def plan_day(
    state: ProgrammeState,
    checkins: Sequence[Checkin],
    preferences: Preferences,
    base: RunHistory,
    protocol: Protocol,
    day: date,
) -> DayPlan:
    """Today's plan for a runner in ``state`` (already folded through the day before, or through
    today when today's check-in has been made). Check-ins of later days are ignored."""
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
    readiness = can_run_today(
        inputs_from_checkins(
            day, disposition, gentle.pathway, mode, history, state.hold_running_until
        ),
        protocol.settings,
    )
    inputs = SessionInputs(
        gentle,
        day,
        readiness,
        preferences,
        loaded_days(history, protocol),
        _run_history(history, base, day),
    )
    return DayPlan(day, state, disposition, readiness, build_session(inputs, protocol))


def loaded_days(checkins: Sequence[Checkin], protocol: Protocol) -> tuple[date, ...]:
    """The days on which the runner logged loaded strength work."""
    known = protocol.exercises
    return tuple(
        c.date
        for c in checkins
        if any(e.sets > 0 and e.id in known and known[e.id].loaded for e in c.exercises)
    )


def _run_history(history: list[Checkin], base: RunHistory, day: date) -> RunHistory:
    since = day - timedelta(days=LONGEST_RUN_WINDOW_DAYS)
    recent = [c.run for c in history if c.run is not None and since <= c.date < day]
    longest = max((r.minutes for r in recent), default=None)
    longest_km = max((r.distance_km for r in recent if r.distance_km), default=None)
    return RunHistory(
        base.typical_run_km,
        max(filter(None, (base.longest_km_30d, longest_km)), default=None),
        longest,
    )
