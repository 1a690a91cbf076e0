"""The readiness checks before running (digest 14(c) P3, 8): each judged met (on which day),
not yet, or failed (the last try's day and why); the session gives each while it is still to
do (the exercise tests at least at their dose on a strength day, the walk at its full minutes
on a day without loaded work, never cut by the time budget); and days with only the daily
exercises neither count towards nor break a run of full sessions (phase 2's gate)."""

from __future__ import annotations

import dataclasses
from dataclasses import replace
from datetime import date, timedelta

import pytest

from runrehab.engine.assessment import Preferences, Signs, Weekday
from runrehab.engine.checkin import (
    Checkin,
    CheckinPain,
    CrossTraining,
    CrossTrainingKind,
    ExerciseLog,
    Morning,
)
from runrehab.engine.gates import GateResult, GateStatus, evaluate_gate, readiness_checks
from runrehab.engine.pathway import PathwayChoice
from runrehab.engine.progression import start_state
from runrehab.engine.protocol import ExerciseTest, GreenSessions, Protocol, WalkTest
from runrehab.engine.readiness import RunDecision
from runrehab.engine.session import Session, SessionInputs, build_session
from runrehab.engine.state import ProgrammeState
from runrehab.engine.values import PathwayId, Reason, RunToday

MONDAY = date(2026, 12, 7)
NO_RUN = RunDecision(RunToday.NO, (Reason("n1-no-running-in-this-phase"),))


def day(n: int) -> date:
    return MONDAY + timedelta(days=n)


def state_in(protocol: Protocol, phase: int) -> ProgrammeState:
    return start_state(PathwayChoice(PathwayId.REST_AND_REBUILD, phase, ()), MONDAY, protocol)


def report(n: int, *exercises: ExerciseLog, **kw: object) -> Checkin:
    return Checkin(day(n), CheckinPain(0, 0, 0), Morning.SAME, exercises=exercises, **kw)  # type: ignore[arg-type]


def gate(protocol: Protocol, gate_id: str) -> ExerciseTest | WalkTest:
    found = next(g for p in protocol.phases for g in p.gates if g.id == gate_id)
    assert isinstance(found, ExerciseTest | WalkTest)
    return found


def judged(protocol: Protocol, gate_id: str, history: list[Checkin], on: int = 6) -> GateResult:
    state = state_in(protocol, 3)
    return evaluate_gate(gate(protocol, gate_id), state, history, protocol, day(on))


def step_downs(protocol: Protocol, pain: int | None, sets: int = 3, reps: int = 10) -> ExerciseLog:
    return ExerciseLog("step-down", sets, reps, None, pain)


def walk(minutes: float, pain: int | None) -> CrossTraining:
    return CrossTraining(CrossTrainingKind.WALKING, minutes, pain)


# --- the gate results -------------------------------------------------------------------------


def test_a_result_is_a_small_frozen_value(protocol: Protocol) -> None:
    result = judged(protocol, "p3-step-downs", [])
    assert isinstance(result, GateResult)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.status = GateStatus.MET  # type: ignore[misc]


def test_a_test_never_reported_is_not_yet(protocol: Protocol) -> None:
    result = judged(protocol, "p3-step-downs", [report(0), report(1)])
    assert result.status is GateStatus.NOT_YET and result.day is None and not result.met
    assert "not reported yet" in result.detail


def test_a_painful_try_fails_with_its_day_and_why_and_a_later_pass_meets_it(
    protocol: Protocol,
) -> None:
    limit = gate(protocol, "p3-step-downs").max_pain
    too_much = limit + 1  # AMBER: above the test's limit, not a RED day
    tried = [report(1, step_downs(protocol, too_much))]
    failed = judged(protocol, "p3-step-downs", tried)
    assert failed.status is GateStatus.FAILED and failed.day == day(1)
    assert failed.detail.startswith("Step-down 3×10 on Tue 8 Dec")
    assert f"at pain {too_much}/10, above {limit}/10" in failed.detail
    passed = judged(protocol, "p3-step-downs", [*tried, report(3, step_downs(protocol, limit))])
    assert passed.status is GateStatus.MET and passed.day == day(3)
    assert passed.detail == f"Step-down 3×10 on Thu 10 Dec at pain {limit}/10"


@pytest.mark.parametrize(
    ("entry", "why"),
    [
        (ExerciseLog("step-down", 2, 10, None, 0), "only 2×10 done"),
        (ExerciseLog("step-down", 3, 8, None, 0), "only 3×8 done"),
        (
            ExerciseLog("step-down", 3, 10, None, None),
            "the highest pain during it was not reported",
        ),
    ],
)
def test_a_short_or_unreported_try_is_not_a_pass(
    protocol: Protocol, entry: ExerciseLog, why: str
) -> None:
    result = judged(protocol, "p3-step-downs", [report(2, entry)])
    assert result.status is GateStatus.FAILED and result.day == day(2)
    assert result.detail.endswith(why)


def test_the_walk_test_needs_its_minutes_its_pain_and_no_limp(protocol: Protocol) -> None:
    test = gate(protocol, "p3-brisk-walk")
    assert isinstance(test, WalkTest)
    full, limit = test.minutes, test.max_pain
    # a short, comfortable walk is no try at all
    short = judged(protocol, test.id, [report(1, cross_training=(walk(full / 2, 0),))])
    assert short.status is GateStatus.NOT_YET
    limped = report(2, cross_training=(walk(full, 0),), signs=Signs(limp=True))
    result = judged(protocol, test.id, [limped])
    assert result.status is GateStatus.FAILED and result.detail.endswith("with a limp")
    hurt = judged(protocol, test.id, [report(3, cross_training=(walk(full / 2, limit + 1),))])
    assert hurt.status is GateStatus.FAILED and f"above {limit}/10" in hurt.detail
    ok = judged(protocol, test.id, [limped, report(4, cross_training=(walk(full, limit),))])
    assert ok.status is GateStatus.MET and ok.day == day(4)
    assert ok.detail == f"{full}-minute walk on Fri 11 Dec at pain {limit}/10 without a limp"


def test_readiness_checks_judge_only_the_tests_of_the_runners_phase(protocol: Protocol) -> None:
    results = readiness_checks(state_in(protocol, 3), [], protocol, day(0))
    assert [r.id for r in results] == ["p3-step-downs", "p3-brisk-walk", "p3-single-leg-squats"]
    assert all(r.is_test and r.status is GateStatus.NOT_YET for r in results)
    assert readiness_checks(state_in(protocol, 2), [], protocol, day(0)) == ()


def test_min_days_is_met_on_the_phases_nth_day(protocol: Protocol) -> None:
    state = state_in(protocol, 3)
    min_days = protocol.phase(3).gates[0]
    result = evaluate_gate(min_days, state, [], protocol, day(8))
    assert result.met and result.day == day(6)


# --- full sessions in a row: days with only the daily exercises -------------------------------


def _phase_2_gate(protocol: Protocol) -> GreenSessions:
    found = next(g for g in protocol.phase(2).gates if isinstance(g, GreenSessions))
    return found


FULL = (
    ExerciseLog("clamshell", 3, 15, None, 0),
    ExerciseLog("side-lying-hip-abduction", 3, 12, None, 0),
    ExerciseLog("glute-bridge", 3, 15, None, 0),
    ExerciseLog("shallow-squat", 3, 10, None, 0),
)
DAILY = (ExerciseLog("clamshell", 3, 15, None, 0), ExerciseLog("quad-set", 3, 10, None, 0))


@pytest.mark.parametrize("days_between", [1, 2])
def test_green_days_of_daily_exercises_do_not_break_a_run_of_sessions(
    protocol: Protocol, days_between: int
) -> None:
    """A runner training Monday, Wednesday and Friday logs only the daily exercises between."""
    state = state_in(protocol, 2)
    history = [report(0, *FULL)]
    history += [report(1 + n, *DAILY) for n in range(days_between)]
    history.append(report(1 + days_between, *FULL))
    history.append(report(2 + days_between, *DAILY))
    result = evaluate_gate(_phase_2_gate(protocol), state, history, protocol, day(6))
    assert result.met and result.day == day(1 + days_between)
    assert "Mon 7 Dec and" in result.detail


def test_a_day_that_was_not_green_still_breaks_the_run(protocol: Protocol) -> None:
    state = state_in(protocol, 2)
    amber = protocol.settings.green_max_pain + 1
    sore = tuple(replace(e, max_pain=amber) for e in DAILY)
    history = [report(0, *FULL), report(1, *sore), report(2, *FULL)]
    result = evaluate_gate(_phase_2_gate(protocol), state, history, protocol, day(6))
    assert result.status is GateStatus.NOT_YET


# --- the session gives the tests --------------------------------------------------------------


def session(
    protocol: Protocol,
    today: int,
    history: list[Checkin],
    loaded: tuple[int, ...] = (),
    prefs: Preferences | None = None,
) -> Session:
    state = state_in(protocol, 3)
    before = [c for c in history if c.date < day(today)]
    inputs = SessionInputs(
        state,
        day(today),
        NO_RUN,
        prefs or Preferences(),
        tuple(day(n) for n in loaded),
        readiness=readiness_checks(state, before, protocol, day(today)),
    )
    return build_session(inputs, protocol)


def by_id(s: Session) -> dict[str, object]:
    return {p.exercise: p for p in s.exercises}


@pytest.mark.fires("session-readiness-test")
def test_a_strength_day_gives_the_exercise_tests_at_least_at_their_dose(
    protocol: Protocol,
) -> None:
    s = session(protocol, 0, [])
    assert s.strength_day
    for gate_id in ("p3-step-downs", "p3-single-leg-squats"):
        test = gate(protocol, gate_id)
        assert isinstance(test, ExerciseTest)
        given = next(p for p in s.exercises if p.exercise == test.exercise)
        assert given.test == gate_id and given.loaded
        assert given.target.sets >= test.sets and (given.target.reps or 0) >= test.reps
    assert {p.test for p in s.tests} == {"p3-step-downs", "p3-single-leg-squats"}
    # the walk waits for a day without loaded work: no walking on this one
    assert s.cross_training is None or s.cross_training.exercise != "walking"
    assert "session-readiness-test" in {r.rule for r in s.reasons}


@pytest.mark.fires("session-time-budget-tight")
def test_the_walk_test_is_the_cross_training_of_a_day_without_loaded_work_at_full_length(
    protocol: Protocol,
) -> None:
    test = gate(protocol, "p3-brisk-walk")
    assert isinstance(test, WalkTest)
    short = Preferences(minutes_per_session=test.minutes - 10)
    s = session(protocol, 1, [], loaded=(0,), prefs=short)
    assert not any(p.loaded for p in s.exercises)
    cross = s.cross_training
    assert cross is not None and cross.exercise == "walking" and cross.test == test.id
    assert cross.target.minutes == test.minutes  # never shortened to fit the budget
    over = [
        r for r in s.reasons if r.rule == "session-time-budget-tight" and "more than" in r.detail
    ]
    assert over and "readiness test" in over[0].detail


def test_once_met_a_test_is_no_longer_given_as_one(protocol: Protocol) -> None:
    limit = gate(protocol, "p3-step-downs").max_pain
    passed = report(0, step_downs(protocol, limit), ExerciseLog("single-leg-squat", 2, 10, None, 0))
    s = session(protocol, 2, [passed], loaded=(0,))
    assert [p.test for p in s.exercises if p.test] == []
    assert s.cross_training is not None and s.cross_training.test == "p3-brisk-walk"


@pytest.mark.fires("session-readiness-walk-day")
def test_three_training_days_a_week_still_get_a_day_for_the_walk(protocol: Protocol) -> None:
    """Monday, Wednesday and Friday can all hold loaded work; with the exercise tests passed
    on Monday, Wednesday is the walk's day, and Friday is loaded again if the walk was tried."""
    mwf = Preferences(training_days=frozenset({Weekday.MON, Weekday.WED, Weekday.FRI}))
    limit = gate(protocol, "p3-step-downs").max_pain
    monday = report(0, step_downs(protocol, limit), ExerciseLog("single-leg-squat", 2, 10, None, 0))
    wednesday = session(protocol, 2, [monday], loaded=(0,), prefs=mwf)
    assert not wednesday.strength_day and not any(p.loaded for p in wednesday.exercises)
    assert wednesday.cross_training is not None
    assert wednesday.cross_training.test == "p3-brisk-walk"
    assert "session-readiness-walk-day" in {r.rule for r in wednesday.reasons}
    sore = report(2, cross_training=(walk(30, limit + 1),))
    friday = session(protocol, 4, [monday, sore], loaded=(0,), prefs=mwf)
    assert friday.strength_day and any(p.loaded for p in friday.exercises)


@pytest.mark.parametrize("minutes", [20, 30])
def test_the_time_budget_never_drops_a_test_and_says_why_a_day_is_longer(
    protocol: Protocol, minutes: int
) -> None:
    s = session(protocol, 0, [], prefs=Preferences(minutes_per_session=minutes))
    assert {p.test for p in s.tests} == {"p3-step-downs", "p3-single-leg-squats"}
    if s.estimated_minutes > minutes:
        over = [r.detail for r in s.reasons if r.rule == "session-time-budget-tight"]
        assert any("readiness test" in d and f"more than your {minutes}" in d for d in over)


def test_a_substitute_is_no_more_important_than_what_it_stands_in_for(
    protocol: Protocol,
) -> None:
    """Without a band the straight-leg raise stands in for the (priority 2) band exercise."""
    state = state_in(protocol, 2)
    s = build_session(SessionInputs(state, MONDAY, NO_RUN), protocol)
    stand_ins = [p for p in s.exercises if p.substitute_for]
    assert stand_ins
    for p in stand_ins:
        assert p.substitute_for is not None
        assert p.priority >= protocol.exercises[p.substitute_for].priority
