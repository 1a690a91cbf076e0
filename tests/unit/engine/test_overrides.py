"""What a physiotherapist sets is an input to the fold (issue 15, item 4): it moves or holds
the runner, never unlocks a red-flag stop, and the pain rules still judge every day."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from runrehab.engine.assessment import Signs, Swelling
from runrehab.engine.checkin import Checkin, ExerciseLog
from runrehab.engine.dosing import Target
from runrehab.engine.overrides import Override, OverrideKind, changed_session
from runrehab.engine.progression import replay, step_day
from runrehab.engine.protocol import Protocol
from runrehab.engine.session import Prescription, RunPlan, Session
from runrehab.engine.state import Action, Status
from tests.unit.engine.test_progression import (
    D0,
    checkin,
    day,
    readiness_tests,
    state_in,
)


def override(
    kind: OverrideKind, on: int = 0, until: int | None = None, **values: object
) -> Override:
    ends = None if until is None else day(until)
    return Override(f"o{kind.value}{on}", kind, day(on), "the physio's reason", ends, **values)  # type: ignore[arg-type]


def ready_history() -> list[Checkin]:
    return [*[checkin(n, 1) for n in range(6)], readiness_tests(6, 1)]


@pytest.mark.fires("clinic-hold-phase")
def test_a_hold_keeps_a_ready_runner_in_the_phase_and_says_why(protocol: Protocol) -> None:
    state = state_in(protocol, 3, programme_started=D0 - timedelta(days=30))
    free = step_day(state, ready_history(), protocol, day(6))
    assert free.action is Action.ADVANCE  # without the hold the gates move the runner on
    held = step_day(
        state, ready_history(), protocol, day(6), overrides=[override(OverrideKind.HOLD_PHASE)]
    )
    assert held.action is Action.HOLD and held.state.phase == 3
    assert [r.rule for r in held.reasons] == ["clinic-hold-phase"]
    assert held.reasons[0].detail == "the physio's reason"


def test_an_undone_hold_lets_the_gates_move_the_runner_on_again(protocol: Protocol) -> None:
    state = state_in(protocol, 3, programme_started=D0 - timedelta(days=30))
    undone = override(OverrideKind.HOLD_PHASE, 0, until=6)
    decision = step_day(state, ready_history(), protocol, day(6), overrides=[undone])
    assert decision.action is Action.ADVANCE


def test_a_hold_never_stops_a_red_day_stepping_back(protocol: Protocol) -> None:
    state = state_in(protocol, 2, dose_level=2)
    decision = step_day(
        state, [checkin(0, 7)], protocol, day(0), overrides=[override(OverrideKind.HOLD_PHASE)]
    )
    assert decision.action is Action.REGRESS and decision.state.phase == 1


@pytest.mark.fires("clinic-set-phase")
def test_a_phase_set_by_the_physio_applies_on_its_day_and_the_pain_rules_still_judge_it(
    protocol: Protocol,
) -> None:
    state = state_in(protocol, 2)
    moved = step_day(
        state, [], protocol, day(3), overrides=[override(OverrideKind.SET_PHASE, 3, phase=3)]
    )
    assert moved.action is Action.CLINIC and moved.state.phase == 3
    assert moved.state.phase_started == day(3)
    flare = step_day(
        state,
        [checkin(3, 7)],
        protocol,
        day(3),
        overrides=[override(OverrideKind.SET_PHASE, 3, phase=3)],
    )
    assert flare.action is Action.REGRESS and flare.state.phase == 2  # back from where it was set
    assert {r.rule for r in flare.reasons} >= {"clinic-set-phase", "prog-red-day-step-back"}


@pytest.mark.fires("clinic-set-rung")
def test_a_rung_set_by_the_physio_puts_the_runner_on_the_ladder(protocol: Protocol) -> None:
    state = state_in(protocol, 3)
    decision = step_day(
        state, [], protocol, day(2), overrides=[override(OverrideKind.SET_RUNG, 2, rung=3)]
    )
    assert (decision.state.phase, decision.state.rung) == (4, 3)


@pytest.mark.fires("clinic-release-hold")
def test_a_release_ends_a_referral_from_the_chosen_phase(protocol: Protocol) -> None:
    state = state_in(protocol, 2, status=Status.REFERRED)
    release = override(OverrideKind.RELEASE_HOLD, 4, phase=2)
    still = step_day(state, [], protocol, day(3), overrides=[release])
    assert still.state.status is Status.REFERRED
    released = step_day(state, [], protocol, day(4), overrides=[release])
    assert released.state.status is Status.ACTIVE and released.state.phase == 2
    assert released.reasons[0].rule == "clinic-release-hold"


def test_nothing_a_physio_sets_lifts_a_stop_for_a_red_flag(protocol: Protocol) -> None:
    state = state_in(protocol, 3)
    flagged = checkin(0, 4, signs=Signs(swelling=Swelling.MILD, hot=True, red=True))
    everything = [
        override(OverrideKind.RELEASE_HOLD, 1, phase=3),
        override(OverrideKind.SET_PHASE, 1, phase=4),
        override(OverrideKind.SET_RUNG, 2, rung=2),
    ]
    final, _ = replay(
        state, [flagged, checkin(1, 0), checkin(2, 0)], protocol, day(4), overrides=everything
    )
    assert final.status is Status.STOPPED


def test_a_red_flag_on_the_day_of_a_release_stops_the_programme(protocol: Protocol) -> None:
    state = state_in(protocol, 2, status=Status.REFERRED)
    flagged = checkin(4, 4, signs=Signs(swelling=Swelling.MILD, hot=True, red=True))
    decision = step_day(
        state,
        [flagged],
        protocol,
        day(4),
        overrides=[override(OverrideKind.RELEASE_HOLD, 4, phase=2)],
    )
    assert decision.state.status is Status.STOPPED


@pytest.mark.fires("clinic-wait-days")
def test_the_physios_wait_delays_running_for_that_runner_only(protocol: Protocol) -> None:
    state = state_in(protocol, 3, programme_started=D0 - timedelta(days=30))
    history = [*ready_history(), *[checkin(n, 1) for n in range(7, 14)]]
    wait = override(OverrideKind.WAIT_DAYS, 0, days=4)
    _, decisions = replay(
        replace(state, evaluated_through=day(5)), history, protocol, day(13), overrides=[wait]
    )
    moved = next(d for d in decisions if d.action is Action.ADVANCE)
    assert moved.state.phase_started == day(11)  # ready on day 6, four more days


def session(training: bool = True, run: RunPlan | None = None) -> Session:
    target = Target(3, 10, None, None, False, 60, "", False)
    return Session(
        day(1),
        3,
        training,
        training,
        (),
        (
            Prescription("clamshell", "Clamshell", target),
            Prescription("step-down", "Step-down", target),
        ),
        run,
        (),
        None,
        (),
    )


@pytest.mark.fires("clinic-dose", "clinic-add-exercise", "clinic-remove-exercise")
def test_the_physio_changes_the_days_exercises(protocol: Protocol) -> None:
    changes = [
        override(OverrideKind.REMOVE_EXERCISE, exercise="step-down"),
        override(OverrideKind.DOSE, exercise="clamshell", sets=2, reps=20),
        override(
            OverrideKind.ADD_EXERCISE, exercise="clinic-abc", name="Towel slide", sets=3, reps=8
        ),
    ]
    changed = changed_session(session(), changes)
    by_id = {p.exercise: p for p in changed.exercises}
    assert set(by_id) == {"clamshell", "clinic-abc"}
    assert (by_id["clamshell"].target.sets, by_id["clamshell"].target.reps) == (2, 20)
    assert by_id["clinic-abc"].name == "Towel slide"
    assert {"clinic-dose", "clinic-add-exercise", "clinic-remove-exercise"} <= {
        r.rule for r in changed.reasons
    }
    rest = changed_session(session(training=False), changes)
    assert "clinic-abc" not in {p.exercise for p in rest.exercises}  # added on training days only


@pytest.mark.fires("clinic-run-minutes")
def test_the_physios_run_length_changes_only_a_day_that_has_a_run(protocol: Protocol) -> None:
    minutes = [override(OverrideKind.RUN_MINUTES, minutes=25)]
    ran = changed_session(session(run=RunPlan("continuous", 20, distance_km=3.0)), minutes)
    assert ran.run is not None and ran.run.total_minutes == 25 and ran.run.distance_km is None
    none = changed_session(session(run=None), minutes)
    assert none.run is None  # the pain rules kept the day free of running: it stays so


def test_an_exercise_log_of_an_added_exercise_is_an_ordinary_log() -> None:
    assert ExerciseLog("clinic-abc", 3, 8, None, 1).id == "clinic-abc"
    assert date(2026, 12, 1) == D0


def _giving_way(n: int) -> Checkin:
    return checkin(n, 2, signs=Signs(giving_way=True))


def test_a_release_the_day_a_check_in_referred_the_runner_holds(protocol: Protocol) -> None:
    state = state_in(protocol, 2)
    referring = _giving_way(3)
    referred = step_day(state, [referring], protocol, day(3))
    assert referred.action is Action.REFER
    release = override(OverrideKind.RELEASE_HOLD, 3, phase=2)
    again = step_day(referred.state, [referring], protocol, day(3), overrides=[release])
    assert again.state.status is Status.ACTIVE  # the physio saw the knee that day
    later = step_day(
        again.state, [referring, _giving_way(5)], protocol, day(5), overrides=[release]
    )
    assert later.action is Action.REFER  # a new sign after the release refers again


def test_red_days_before_a_release_do_not_refer_the_runner_again(protocol: Protocol) -> None:
    state = state_in(protocol, 2)
    reds = [checkin(n, 7) for n in (0, 2, 4)]
    final, _ = replay(state, reds, protocol, day(4))
    assert final.status is Status.REFERRED
    release = override(OverrideKind.RELEASE_HOLD, 6, phase=1)
    calm = [*reds, *[checkin(n, 1) for n in range(6, 10)]]
    after, _ = replay(state, calm, protocol, day(9), overrides=[release])
    assert after.status is Status.ACTIVE  # (and free to move on again from phase 1)
    three_more = [*calm, *[checkin(n, 7) for n in (10, 12, 14)]]
    again, _ = replay(state, three_more, protocol, day(14), overrides=[release])
    assert again.status is Status.REFERRED  # three new RED days in two weeks still refer


@pytest.mark.fires("clinic-undone")
def test_every_change_enters_the_history_on_its_day_and_when_it_is_undone(
    protocol: Protocol,
) -> None:
    state = state_in(protocol, 2)
    dose = override(OverrideKind.DOSE, 1, until=4, exercise="clamshell", sets=2)
    _, decisions = replay(
        state, [checkin(n, 1) for n in range(6)], protocol, day(5), overrides=[dose]
    )
    by_day = {d.state.evaluated_through: [r.rule for r in d.reasons] for d in decisions}
    assert "clinic-dose" in by_day[day(1)]
    assert "clinic-undone" in by_day[day(4)]
    assert not any("clinic" in rule for d in (0, 2, 3, 5) for rule in by_day[day(d)])
