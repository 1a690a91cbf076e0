"""Progression one day at a time (digest 14(c), 14(d)): gates, holds, step-backs, referrals."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from runrehab.engine.assessment import Signs, Swelling
from runrehab.engine.checkin import (
    Checkin,
    CheckinPain,
    CrossTraining,
    CrossTrainingKind,
    ExerciseLog,
    Morning,
    RunLog,
)
from runrehab.engine.pathway import PathwayChoice
from runrehab.engine.progression import replay, start_state, step_day
from runrehab.engine.protocol import Protocol, Settings
from runrehab.engine.state import Action, ProgrammeState, Status
from runrehab.engine.values import PathwayId

D0 = date(2026, 12, 1)
HIPS = (
    ExerciseLog("clamshell", 3, 15, None, 0),
    ExerciseLog("side-lying-hip-abduction", 3, 12, None, 0),
    ExerciseLog("glute-bridge", 3, 15, 3, 0),
)


def day(n: int) -> date:
    return D0 + timedelta(days=n)


def checkin(n: int, worst: int = 1, **kw: object) -> Checkin:
    return Checkin(day(n), CheckinPain(min(worst, 2), 0, worst), Morning.SAME, **kw)  # type: ignore[arg-type]


def state_in(
    protocol: Protocol, phase: int, pathway: PathwayId = PathwayId.REST_AND_REBUILD, **kw: object
) -> ProgrammeState:
    return replace(start_state(PathwayChoice(pathway, phase, ()), D0, protocol), **kw)  # type: ignore[arg-type]


@pytest.mark.fires("timeline-not-before-day", "p1-settle-gate")
def test_settle_phase_needs_three_days_and_two_calm_days(protocol: Protocol) -> None:
    state = state_in(protocol, 1)
    history = [checkin(0, 5), checkin(1, 3), checkin(2, 3)]
    assert step_day(state, history[:2], protocol, day(1)).action is not Action.ADVANCE
    decision = step_day(state, history, protocol, day(2))
    assert decision.action is Action.HOLD  # gates met, but the timeline says phase 2 from day 6
    assert "timeline-not-before-day" in {r.rule for r in decision.reasons}
    history += [checkin(n, 2) for n in (3, 4)]
    decision = step_day(state, history, protocol, day(4))
    assert decision.action is Action.ADVANCE
    assert decision.state.phase == 2
    assert decision.state.phase_started == day(5)  # programme day 6


def test_pain_above_3_holds_the_settle_phase(protocol: Protocol) -> None:
    state = state_in(protocol, 1)
    history = [checkin(n, 4) for n in range(6)]
    assert step_day(state, history, protocol, day(5)).state.phase == 1


@pytest.mark.fires("p1-stall-referral")
def test_settle_phase_not_done_by_day_14_sends_to_a_clinician(protocol: Protocol) -> None:
    state = state_in(protocol, 1)
    history = [checkin(n, 4) for n in range(14)]
    final, decisions = replay(state, history, protocol, day(13))
    assert final.status is Status.REFERRED
    assert decisions[-1].action is Action.REFER
    assert decisions[-1].reasons[0].rule == "p1-stall-referral"


@pytest.mark.fires("p2-foundation-gate")
def test_foundation_needs_two_green_full_sessions_and_seven_days(protocol: Protocol) -> None:
    state = state_in(protocol, 2, phase_started=D0, programme_started=D0 - timedelta(days=5))
    history = [checkin(n, 1, exercises=HIPS) for n in range(7)]
    assert step_day(state, history[:6], protocol, day(5)).state.phase == 2
    partial = [checkin(n, 1, exercises=HIPS[:2]) for n in range(7)]
    assert step_day(state, partial, protocol, day(6)).state.phase == 2
    assert step_day(state, history, protocol, day(6)).state.phase == 2  # timeline: day 15
    later = replace(state, programme_started=D0 - timedelta(days=20))
    decision = step_day(later, history, protocol, day(6))
    assert decision.action is Action.ADVANCE
    assert decision.state.phase == 3


def readiness_tests(n: int, step_down_pain: int = 1) -> Checkin:
    """A day with the three phase-3 readiness checks done: step-downs, single-leg squats, a walk."""
    return checkin(
        n,
        max(1, step_down_pain),
        exercises=(
            ExerciseLog("step-down", 3, 10, None, step_down_pain),
            ExerciseLog("single-leg-squat", 2, 10, None, 1),
        ),
        cross_training=(CrossTraining(CrossTrainingKind.WALKING, 30, 1),),
    )


@pytest.mark.fires("p3-load-gate")
def test_load_phase_needs_the_three_readiness_tests(protocol: Protocol) -> None:
    state = state_in(protocol, 3, programme_started=D0 - timedelta(days=30))
    history = [checkin(n, 1, exercises=HIPS) for n in range(7)]
    assert step_day(state, history, protocol, day(6)).state.phase == 3
    tests = readiness_tests(6, 1)
    decision = step_day(state, [*history[:6], tests], protocol, day(6))
    assert decision.action is Action.ADVANCE
    assert decision.state.phase == 4
    assert decision.state.rung == 1


def test_a_painful_step_down_does_not_pass_the_test(protocol: Protocol) -> None:
    state = state_in(protocol, 3, programme_started=D0 - timedelta(days=30))
    tests = readiness_tests(6, 3)
    history = [*[checkin(n, 1) for n in range(6)], tests]
    assert step_day(state, history, protocol, day(6)).state.phase == 3


@pytest.mark.fires("ready-to-run-wait")
def test_the_articles_wait_five_more_days_can_be_switched_on(protocol: Protocol) -> None:
    waiting = replace(protocol, settings=replace(protocol.settings, ready_to_run_wait_days=5))
    state = state_in(waiting, 3, programme_started=D0 - timedelta(days=30))
    tests = readiness_tests(6, 1)
    history = [*[checkin(n, 1) for n in range(6)], tests, *[checkin(n, 1) for n in range(7, 14)]]
    final, decisions = replay(replace(state, evaluated_through=day(5)), history, waiting, day(13))
    moved = next(d for d in decisions if d.action is Action.ADVANCE)
    assert moved.state.phase_started == day(12)  # ready on day 6, five more days, start day 12
    assert "ready-to-run-wait" in {r.rule for d in decisions for r in d.reasons}
    assert final.phase == 4


def _run(n: int, pain: int = 0, **kw: object) -> Checkin:
    return checkin(n, max(pain, 1), run=RunLog(24, pain, settled_within_minutes=10, **kw))  # type: ignore[arg-type]


@pytest.mark.fires("p4-rung-climb")
def test_ladder_climbs_after_two_green_sessions(protocol: Protocol) -> None:
    state = state_in(protocol, 4, rung=1, rung_started=D0)
    history = [_run(0), _run(2)]
    assert step_day(state, history[:1], protocol, day(0)).state.rung == 1
    decision = step_day(state, history, protocol, day(2))
    assert decision.action is Action.CLIMB
    assert decision.state.rung == 2


@pytest.mark.fires("p4-amber-repeat-rung")
def test_amber_run_repeats_the_rung(protocol: Protocol) -> None:
    state = state_in(protocol, 4, rung=2, rung_started=D0)
    decision = step_day(state, [_run(0), _run(2, 3)], protocol, day(2))
    assert decision.action is Action.HOLD
    assert decision.state.rung == 2
    assert "p4-amber-repeat-rung" in {r.rule for r in decision.reasons}


@pytest.mark.fires("p4-red-drop-rung")
def test_red_run_drops_a_rung_and_holds_running_48_hours(protocol: Protocol) -> None:
    state = state_in(protocol, 4, rung=3, rung_started=D0)
    decision = step_day(state, [_run(0, 2, pain_rose_during=True)], protocol, day(0))
    assert decision.action is Action.REGRESS
    assert decision.state.rung == 2
    assert decision.state.hold_running_until == day(3)


@pytest.mark.fires("prog-red-day-step-back", "dose-regress-on-red")
def test_red_day_in_foundation_steps_back_a_phase(protocol: Protocol) -> None:
    state = state_in(protocol, 2, dose_level=2)
    decision = step_day(state, [checkin(0, 7)], protocol, day(0))
    assert decision.action is Action.REGRESS
    assert decision.state.phase == 1
    assert decision.state.dose_level == 1


@pytest.mark.fires("dose-hold-on-amber")
def test_two_amber_sessions_hold(protocol: Protocol) -> None:
    state = state_in(protocol, 2)
    amber = tuple(replace(e, max_pain=3) for e in HIPS)
    decision = step_day(
        state, [checkin(0, 4, exercises=amber), checkin(1, 4, exercises=amber)], protocol, day(1)
    )
    assert decision.action is Action.HOLD
    assert "prog-two-amber-hold" in {r.rule for r in decision.reasons}
    assert decision.state.dose_level == state.dose_level  # the dose is held, not raised


def test_more_than_a_week_without_running_restarts_one_rung_lower(protocol: Protocol) -> None:
    state = state_in(protocol, 4, rung=3, rung_started=D0)
    history = [_run(0)]
    decision = step_day(state, history, protocol, day(8))
    assert decision.state.rung == 2
    assert decision.reasons[0].rule == "p4-restart-lower-after-7-days"


def test_three_red_days_in_two_weeks_send_to_a_clinician(protocol: Protocol) -> None:
    state = state_in(protocol, 2)
    history = [checkin(0, 7), checkin(5, 7), checkin(10, 7)]
    final, decisions = replay(state, history, protocol, day(10))
    assert final.status is Status.REFERRED
    assert decisions[-1].reasons[0].rule == "r8-repeated-red-days"


@pytest.mark.fires("e2-possible-joint-infection")
def test_a_red_flag_in_a_check_in_stops_the_programme(protocol: Protocol) -> None:
    state = state_in(protocol, 3)
    flagged = checkin(0, 4, signs=Signs(swelling=Swelling.MILD, hot=True, red=True))
    decision = step_day(state, [flagged], protocol, day(0))
    assert decision.action is Action.STOP
    assert decision.state.status is Status.STOPPED
    assert decision.disposition.value == "emergency"
    later = step_day(decision.state, [flagged, checkin(1, 0)], protocol, day(1))
    assert later.state.status is Status.STOPPED  # it does not resume by itself


@pytest.mark.fires("r1-instability-catching-or-swelling")
def test_giving_way_sends_to_a_clinician(protocol: Protocol) -> None:
    decision = step_day(
        state_in(protocol, 4, rung=1, rung_started=D0),
        [checkin(0, 2, signs=Signs(giving_way=True))],
        protocol,
        day(0),
    )
    assert decision.action is Action.REFER
    assert decision.state.status is Status.REFERRED


def test_stepping_back_does_not_restart_the_six_week_clock(protocol: Protocol) -> None:
    state = state_in(protocol, 2)
    history = [checkin(n, 7 if n in (10, 25) else 1) for n in range(43)]
    final, decisions = replay(state, history, protocol, day(42))
    assert final.status is Status.REFERRED
    referral = next(d for d in decisions if d.action is Action.REFER)
    assert referral.reasons[0].rule in {"prog-stall-6-weeks", "p1-stall-referral"}


@pytest.mark.fires("dose-progress-after-two-green")
def test_dose_rises_after_two_green_complete_sessions(protocol: Protocol) -> None:
    state = state_in(protocol, 2, programme_started=D0 - timedelta(days=5))
    history = [checkin(0, 1, exercises=HIPS), checkin(1, 1, exercises=HIPS)]
    decision = step_day(state, history, protocol, day(1))
    assert decision.state.dose_level == 1
    assert "dose-progress-after-two-green" in {r.rule for r in decision.reasons}


def test_settings_default_to_the_digest() -> None:
    s = Settings()
    assert (s.green_max_pain, s.amber_max_pain, s.stop_run_pain_above) == (2, 3, 3)
    assert s.stop_exercise_pain_above == 3 and s.day_worst_pain_red_above == 5
    assert s.longest_run_cap_ratio == 1.1


DAILY_ONLY = (ExerciseLog("clamshell", 3, 15, None, 0), ExerciseLog("quad-set", 3, 10, None, 0))


@pytest.mark.fires("dose-progress-after-two-green")
def test_a_day_of_daily_exercises_between_two_sessions_does_not_hold_the_dose_back(
    protocol: Protocol,
) -> None:
    """A runner who trains on Mondays and Wednesdays and does the daily exercises on Tuesday
    has had two GREEN sessions in a row on Wednesday: the dose rises, as it would for a
    runner training every day."""
    state = state_in(protocol, 2, programme_started=D0 - timedelta(days=5))
    history = [
        checkin(0, 1, exercises=HIPS),
        checkin(1, 1, exercises=DAILY_ONLY),
        checkin(2, 1, exercises=HIPS),
    ]
    assert step_day(state, history[:2], protocol, day(1)).state.dose_level == 0
    decision = step_day(state, history, protocol, day(2))
    assert decision.state.dose_level == 1
    assert "dose-progress-after-two-green" in {r.rule for r in decision.reasons}


def test_a_session_done_at_its_days_dose_counts_after_the_dose_rises(protocol: Protocol) -> None:
    """The session on the day the dose rose was done in full at that day's dose: with the next
    one at the new dose, they are two full GREEN sessions in a row for the phase gate."""
    started = D0 - timedelta(days=20)
    state = state_in(protocol, 2, programme_started=started, phase_started=D0 - timedelta(days=7))
    raised = step_day(state, [checkin(0, 1, exercises=HIPS)], protocol, day(0)).state
    raised = replace(raised, dose_level=1, dose_changed=day(0))
    stronger = tuple(
        replace(e, reps=(e.reps or 0) + protocol.settings.dose_reps_step) for e in HIPS
    )
    history = [checkin(0, 1, exercises=HIPS), checkin(2, 1, exercises=stronger)]
    decision = step_day(raised, history, protocol, day(2))
    assert decision.action is Action.ADVANCE and decision.state.phase == 3
    # the same second session at the old dose is not full: the gate waits
    short = [checkin(0, 1, exercises=HIPS), checkin(2, 1, exercises=HIPS)]
    assert step_day(raised, short, protocol, day(2)).state.phase == 2
