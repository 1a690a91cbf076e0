"""What each kind of phase gate means. The protocol data says which gates a phase has."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from runrehab.engine.checkin import Checkin, CrossTrainingKind
from runrehab.engine.dosing import target
from runrehab.engine.protocol import (
    ExerciseTest,
    Gate,
    GreenSessions,
    LadderComplete,
    MinDays,
    Protocol,
    WalkTest,
    WorstPainAtMost,
)
from runrehab.engine.traffic_light import colour_of
from runrehab.engine.values import Colour

if TYPE_CHECKING:
    from runrehab.engine.progression import ProgrammeState


def evaluate_gate(
    gate: Gate, state: ProgrammeState, in_phase: list[Checkin], protocol: Protocol, day: date
) -> tuple[bool, str]:
    """Whether ``gate`` holds on ``day``, and the facts that show it."""
    if isinstance(gate, MinDays):
        days = state.days_in_phase(day)
        return days >= gate.days, f"{days} of at least {gate.days} days in the phase"
    if isinstance(gate, WorstPainAtMost):
        return _worst_pain(gate, in_phase, day)
    if isinstance(gate, GreenSessions):
        return _green_sessions(gate, state, in_phase, protocol)
    if isinstance(gate, ExerciseTest):
        return _exercise_test(gate, in_phase, protocol)
    if isinstance(gate, WalkTest):
        return _walk_test(gate, in_phase, protocol)
    assert isinstance(gate, LadderComplete)
    return state.phase > 4, "walk/run ladder complete"


def _worst_pain(gate: WorstPainAtMost, in_phase: list[Checkin], day: date) -> tuple[bool, str]:
    by_date = {c.date: c for c in in_phase}
    days = [day - timedelta(days=n) for n in range(gate.days)]
    ok = all(d in by_date and by_date[d].pain.worst_24h <= gate.threshold for d in days)
    return ok, f"worst pain at most {gate.threshold}/10 on {gate.days} days in a row"


def session_complete(
    c: Checkin, gate: GreenSessions, state: ProgrammeState, protocol: Protocol
) -> bool:
    """Every exercise of the gate (or one of its substitutes) logged at today's full dose."""
    logged = {e.id: e for e in c.exercises}
    for exercise_id in gate.exercises:
        exercise = protocol.exercises[exercise_id]
        candidates = [exercise_id, *exercise.substitutes]
        entry = next((logged[i] for i in candidates if i in logged), None)
        wanted = target(
            protocol.exercises[entry.id] if entry else exercise,
            state.phase,
            state.dose_level,
            protocol.settings,
        )
        if entry is None or wanted is None or entry.sets < wanted.sets:
            return False
        if wanted.reps is not None and entry.reps is not None and entry.reps < wanted.reps:
            return False
        if (
            wanted.hold_seconds is not None
            and entry.hold_seconds is not None
            and entry.hold_seconds < wanted.hold_seconds
        ):
            return False
    return True


def _green_sessions(
    gate: GreenSessions, state: ProgrammeState, in_phase: list[Checkin], protocol: Protocol
) -> tuple[bool, str]:
    sessions = [c for c in in_phase if c.exercises][-gate.sessions :]
    ok = len(sessions) == gate.sessions and all(
        colour_of(c, protocol.settings) is Colour.GREEN
        and session_complete(c, gate, state, protocol)
        for c in sessions
    )
    return ok, f"{gate.sessions} GREEN sessions in a row with every set done"


def _exercise_test(
    gate: ExerciseTest, in_phase: list[Checkin], protocol: Protocol
) -> tuple[bool, str]:
    for c in in_phase:
        if colour_of(c, protocol.settings) is Colour.RED:
            continue
        for e in c.exercises:
            if (
                e.id == gate.exercise
                and e.sets >= gate.sets
                and (e.reps or 0) >= gate.reps
                and e.max_pain is not None
                and e.max_pain <= gate.max_pain
            ):
                return True, f"{gate.exercise} {gate.sets}×{gate.reps} at pain {e.max_pain}/10"
    return (
        False,
        f"{gate.exercise} {gate.sets}×{gate.reps} at pain ≤{gate.max_pain}/10 not yet logged",
    )


def _walk_test(gate: WalkTest, in_phase: list[Checkin], protocol: Protocol) -> tuple[bool, str]:
    for c in in_phase:
        if c.signs.limp or colour_of(c, protocol.settings) is Colour.RED:
            continue
        for x in c.cross_training:
            if (
                x.kind is CrossTrainingKind.WALKING
                and x.minutes >= gate.minutes
                and x.max_pain is not None
                and x.max_pain <= gate.max_pain
            ):
                return True, f"{x.minutes:g}-minute walk at pain {x.max_pain}/10 without a limp"
        run = c.run
        # on the modified-running pathway the runner runs instead of walking: a run as long
        # as the walk, as pain-free and steady, shows at least what the walk test asks
        if (
            run is not None
            and run.minutes >= gate.minutes
            and run.max_pain <= gate.max_pain
            and not run.pain_rose_during
        ):
            return True, f"{run.minutes:g}-minute run at pain {run.max_pain}/10 without a limp"
    return False, f"a {gate.minutes}-minute brisk walk at pain ≤{gate.max_pain}/10 not yet logged"
