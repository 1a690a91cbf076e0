"""What each kind of phase gate means. The protocol data says which gates a phase has.

Every gate is judged to a :class:`GateResult`: met (on which day, with the facts), not yet, or
failed (a readiness test tried and not passed: the last attempt's day and why). The readiness
tests (``ExerciseTest``, ``WalkTest``) are what the runner does on purpose to show the knee is
ready; :func:`readiness_checks` judges them for the session builder and the views.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

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
from runrehab.engine.said import Said, english, said
from runrehab.engine.state import ProgrammeState
from runrehab.engine.traffic_light import colour_of
from runrehab.engine.values import Colour

TestGate = ExerciseTest | WalkTest
"""A gate the runner meets by doing a test: the readiness checks before running."""


class GateStatus(StrEnum):
    MET = "met"
    NOT_YET = "not_yet"
    FAILED = "failed"
    """A readiness test was tried and not passed (and none has passed since the phase began)."""


@dataclass(frozen=True, slots=True)
class GateResult:
    """One gate judged on one day: its status, the facts that show it, and the day it turns on
    (met: the day it was met; failed: the day of the last attempt; not yet: None)."""

    gate: Gate
    status: GateStatus
    detail: str
    day: date | None = None
    said: Said | None = field(default=None, compare=False)
    """``detail`` as words' key and facts, for the reader's language (``engine.said``)."""

    @property
    def id(self) -> str:
        return self.gate.id

    @property
    def met(self) -> bool:
        return self.status is GateStatus.MET

    @property
    def is_test(self) -> bool:
        return is_test(self.gate)


def is_test(gate: Gate) -> bool:
    """Whether the gate is a readiness test the runner does on purpose."""
    return isinstance(gate, ExerciseTest | WalkTest)


def _result(gate: Gate, status: GateStatus, facts: Said, day: date | None = None) -> GateResult:
    return GateResult(gate, status, english(facts), day, facts)


def evaluate_gate(
    gate: Gate, state: ProgrammeState, in_phase: list[Checkin], protocol: Protocol, day: date
) -> GateResult:
    """``gate`` judged on ``day`` from the check-ins of the phase (``in_phase``, up to ``day``)."""
    if isinstance(gate, MinDays):
        days = state.days_in_phase(day)
        facts = said("gate_min_days", days=days, least=gate.days)
        if days >= gate.days:
            return _result(gate, GateStatus.MET, facts, state.phase_started + _days(gate.days))
        return _result(gate, GateStatus.NOT_YET, facts)
    if isinstance(gate, WorstPainAtMost):
        return _worst_pain(gate, in_phase, day)
    if isinstance(gate, GreenSessions):
        return _green_sessions(gate, state, in_phase, protocol)
    if isinstance(gate, ExerciseTest):
        return _exercise_test(gate, in_phase, protocol)
    if isinstance(gate, WalkTest):
        return _walk_test(gate, in_phase, protocol)
    assert isinstance(gate, LadderComplete)
    if state.phase > 4:
        return _result(gate, GateStatus.MET, said("gate_ladder_complete"))
    return _result(gate, GateStatus.NOT_YET, said("gate_on_rung", rung=state.rung))


def _days(n: int) -> timedelta:
    """The offset of the ``n``-th day of a phase from its first day."""
    return timedelta(days=n - 1)


def readiness_checks(
    state: ProgrammeState, checkins: Sequence[Checkin], protocol: Protocol, day: date
) -> tuple[GateResult, ...]:
    """The readiness tests of the runner's phase, judged on the check-ins of the phase up to
    ``day`` (today's included when it has been made)."""
    in_phase = [c for c in checkins if state.phase_started <= c.date <= day]
    in_phase.sort(key=lambda c: c.date)
    return tuple(
        evaluate_gate(g, state, in_phase, protocol, day)
        for g in protocol.phase(state.phase).gates
        if is_test(g)
    )


def _worst_pain(gate: WorstPainAtMost, in_phase: list[Checkin], day: date) -> GateResult:
    by_date = {c.date: c for c in in_phase}
    days = [day - timedelta(days=n) for n in range(gate.days)]
    ok = all(d in by_date and by_date[d].pain.worst <= gate.threshold for d in days)
    facts = said("gate_worst_pain", threshold=gate.threshold, days=gate.days)
    if ok:
        return _result(gate, GateStatus.MET, facts, day)
    return _result(gate, GateStatus.NOT_YET, facts)


def dose_on(day: date, state: ProgrammeState) -> int:
    """The dose level a session of ``day`` was prescribed at: the one before the last change
    for the day of the change or earlier (the change follows that day's check-in). Only one
    change can fall among the sessions a gate looks at: a raise needs two sessions after the
    last change, and a RED day (the only step down) breaks a run of GREEN sessions anyway."""
    if state.dose_changed is not None and day <= state.dose_changed:
        return max(0, state.dose_level - 1)
    return state.dose_level


def session_complete(
    c: Checkin, gate: GreenSessions, state: ProgrammeState, protocol: Protocol
) -> bool:
    """Every exercise of the gate (or one of its substitutes) logged at the full dose of the
    session's day (``dose_on``)."""
    logged = {e.id: e for e in c.exercises}
    level = dose_on(c.date, state)
    for exercise_id in gate.exercises:
        exercise = protocol.exercises[exercise_id]
        candidates = [exercise_id, *exercise.substitutes]
        entry = next((logged[i] for i in candidates if i in logged), None)
        wanted = target(
            protocol.exercises[entry.id] if entry else exercise,
            state.phase,
            level,
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
) -> GateResult:
    sessions = training_sessions(in_phase, state.phase, protocol)[-gate.sessions :]
    ok = len(sessions) == gate.sessions and all(
        colour_of(c, protocol.settings) is Colour.GREEN
        and session_complete(c, gate, state, protocol)
        for c in sessions
    )
    if not ok:
        return _result(
            gate, GateStatus.NOT_YET, said("gate_green_sessions", sessions=gate.sessions)
        )
    days = tuple(c.date for c in sessions)
    facts = said("gate_green_sessions_on", sessions=gate.sessions, days=days)
    return _result(gate, GateStatus.MET, facts, sessions[-1].date)


def training_sessions(checkins: Sequence[Checkin], phase: int, protocol: Protocol) -> list[Checkin]:
    """The check-ins that hold a training session of ``phase`` (``_is_session``): what the
    phase gates and dose progression count, in date order."""
    daily = frozenset(protocol.phase(phase).daily_exercises)
    return [c for c in checkins if _is_session(c, daily, protocol)]


def _is_session(c: Checkin, daily: frozenset[str], protocol: Protocol) -> bool:
    """Whether a check-in holds a training session. A GREEN day that logs only the phase's
    daily exercises (a day that is not one of the runner's training days) is not a session: it
    neither counts towards a run of full sessions nor breaks one. A day that was not GREEN
    always counts, so it breaks the run."""
    if not c.exercises:
        return False
    daily_only = all(e.id in daily for e in c.exercises)
    return not daily_only or colour_of(c, protocol.settings) is not Colour.GREEN


def _exercise_test(gate: ExerciseTest, in_phase: list[Checkin], protocol: Protocol) -> GateResult:
    """Met by the first report of the exercise at the test's sets and reps or more, with its
    highest pain reported and within the limit, on a day that was not RED."""
    known = protocol.exercises.get(gate.exercise)
    name = known.name if known is not None else gate.exercise
    last: GateResult | None = None
    for c in in_phase:
        for e in c.exercises:
            if e.id != gate.exercise or e.sets <= 0:
                continue
            why = _exercise_shortfall(gate, c, e.sets, e.reps, e.max_pain, protocol)
            if why is None:
                done = said(
                    "gate_exercise_done",
                    name=name,
                    sets=e.sets,
                    reps=e.reps,
                    day=c.date,
                    pain=e.max_pain,
                )
                return _result(gate, GateStatus.MET, done, c.date)
            failed = said(
                "gate_exercise_failed",
                name=name,
                sets=gate.sets,
                reps=gate.reps,
                day=c.date,
                why=why,
            )
            last = _result(gate, GateStatus.FAILED, failed, c.date)
    if last is not None:
        return last
    facts = said(
        "gate_exercise_not_yet", name=name, sets=gate.sets, reps=gate.reps, pain=gate.max_pain
    )
    return _result(gate, GateStatus.NOT_YET, facts)


def _exercise_shortfall(
    gate: ExerciseTest,
    c: Checkin,
    sets: int,
    reps: int | None,
    pain: int | None,
    protocol: Protocol,
) -> Said | None:
    """Why an attempt at an exercise test did not pass it (None: it passed)."""
    if colour_of(c, protocol.settings) is Colour.RED:
        return said("red_day")
    if sets < gate.sets or (reps or 0) < gate.reps:
        return said("only_done", sets=sets, reps=reps or 0)
    if pain is None:
        return said("pain_not_reported")
    if pain > gate.max_pain:
        return said("pain_above", pain=pain, limit=gate.max_pain)
    return None


def _walk_test(gate: WalkTest, in_phase: list[Checkin], protocol: Protocol) -> GateResult:
    """Met by the first walk of the test's minutes (or, on the modified-running pathway, a run
    as long), its highest pain reported and within the limit, without a limp, on a day that was
    not RED. A walk as long as the test, or any walk that hurt more than the limit, is an
    attempt; shorter comfortable walks are not."""
    last: GateResult | None = None
    for c in in_phase:
        for minutes, pain, what, rose in _walk_attempts(gate, c):
            why = _walk_shortfall(gate, c, minutes, pain, rose, protocol)
            kind = said(what)
            if why is None:
                done = said("gate_walk_done", minutes=minutes, what=kind, day=c.date, pain=pain)
                return _result(gate, GateStatus.MET, done, c.date)
            failed = said("gate_walk_failed", minutes=minutes, what=kind, day=c.date, why=why)
            last = _result(gate, GateStatus.FAILED, failed, c.date)
    if last is not None:
        return last
    facts = said("gate_walk_not_yet", minutes=gate.minutes, pain=gate.max_pain)
    return _result(gate, GateStatus.NOT_YET, facts)


def _walk_attempts(gate: WalkTest, c: Checkin) -> list[tuple[float, int | None, str, bool]]:
    """The day's attempts at the walk test: (minutes, highest pain, what it was, whether the
    pain rose during it)."""
    attempts: list[tuple[float, int | None, str, bool]] = [
        (x.minutes, x.max_pain, "walk", False)
        for x in c.cross_training
        if x.kind is CrossTrainingKind.WALKING
        and (x.minutes >= gate.minutes or (x.max_pain or 0) > gate.max_pain)
    ]
    run = c.run
    # on the modified-running pathway the runner runs instead of walking: a run as long as the
    # walk, as pain-free and steady, shows at least what the walk test asks
    if run is not None and run.minutes >= gate.minutes:
        attempts.append((run.minutes, run.max_pain, "run", run.pain_rose_during))
    return attempts


def _walk_shortfall(
    gate: WalkTest, c: Checkin, minutes: float, pain: int | None, rose: bool, protocol: Protocol
) -> Said | None:
    """Why an attempt at the walk test did not pass it (None: it passed)."""
    if c.signs.limp:  # a limp makes the day RED too: the more telling reason first
        return said("with_limp")
    if colour_of(c, protocol.settings) is Colour.RED:
        return said("red_day")
    if rose:
        return said("pain_rose")
    if pain is not None and pain > gate.max_pain:
        return said("pain_above", pain=pain, limit=gate.max_pain)
    if minutes < gate.minutes:
        return said("shorter_than", minutes=gate.minutes)
    if pain is None:
        return said("pain_not_reported")
    return None
