"""Today's session: substitutions, the time budget, loaded work off consecutive days."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from runrehab.content.loader import Catalogue
from runrehab.engine.assessment import Equipment, Preferences, Weekday
from runrehab.engine.pathway import PathwayChoice
from runrehab.engine.progression import start_state
from runrehab.engine.protocol import Protocol
from runrehab.engine.readiness import RunDecision
from runrehab.engine.session import SessionInputs, build_session
from runrehab.engine.values import PathwayId, Reason, RunToday

MONDAY = date(2026, 11, 30)
NO_RUN = RunDecision(RunToday.NO, (Reason("n1-no-running-in-this-phase"),))
YES = RunDecision(RunToday.YES, (Reason("y-green-light"),))


def inputs(protocol: Protocol, phase: int, **kw: object) -> SessionInputs:
    state = start_state(PathwayChoice(PathwayId.REST_AND_REBUILD, phase, ()), MONDAY, protocol)
    values: dict[str, object] = {"state": state, "today": MONDAY, "run_decision": NO_RUN}
    values.update(kw)
    return SessionInputs(**values)  # type: ignore[arg-type]


def ids(session: object) -> list[str]:
    return [p.exercise for p in session.exercises]  # type: ignore[attr-defined]


def test_missing_equipment_is_substituted(protocol: Protocol) -> None:
    without = build_session(inputs(protocol, 3), protocol)
    with_band = build_session(
        inputs(
            protocol,
            3,
            preferences=Preferences(equipment=frozenset({Equipment.RESISTANCE_BAND})),
        ),
        protocol,
    )
    assert "lateral-band-walk" in ids(with_band)
    assert "lateral-band-walk" not in ids(without)
    substituted = [p for p in without.exercises if p.substitute_for == "lateral-band-walk"]
    assert substituted and not protocol.exercises[substituted[0].exercise].equipment
    assert "session-equipment-substitution" in {r.rule for r in without.reasons}


def test_a_wall_a_step_and_a_chair_are_never_missing(protocol: Protocol) -> None:
    """Nobody lacks a wall, a floor or a step of stairs at home: a runner who owns no equipment
    still gets the wall sit, the step-downs and the box squat of phase 3."""
    session = build_session(inputs(protocol, 3), protocol)
    assert {"wall-sit", "step-down", "step-up", "box-squat"} <= set(ids(session))
    assert not [p for p in session.exercises if p.substitute_for in {"wall-sit", "step-down"}]


def test_no_exercise_of_any_phase_needs_what_every_home_has(protocol: Protocol) -> None:
    at_home = {"wall", "step", "box_or_chair"}
    for exercise in protocol.exercises.values():
        assert not exercise.equipment & at_home, exercise.id
        if not exercise.equipment:  # a substitute stands in for missing gear only
            assert not exercise.substitutes, exercise.id


@pytest.mark.fires("session-no-consecutive-loaded-days")
def test_loaded_work_never_falls_on_consecutive_days(protocol: Protocol) -> None:
    first = build_session(inputs(protocol, 3), protocol)
    assert first.strength_day and any(p.loaded for p in first.exercises)
    next_day = build_session(
        inputs(protocol, 3, today=MONDAY + timedelta(days=1), loaded_days=(MONDAY,)), protocol
    )
    assert not next_day.strength_day
    assert not any(p.loaded for p in next_day.exercises)
    assert "session-no-consecutive-loaded-days" in {r.rule for r in next_day.reasons}


@pytest.mark.fires("dose-loaded-alternate-days")
def test_at_most_three_loaded_sessions_a_week(protocol: Protocol) -> None:
    done = (MONDAY - timedelta(days=6), MONDAY - timedelta(days=4), MONDAY - timedelta(days=2))
    session = build_session(inputs(protocol, 3, loaded_days=done), protocol)
    assert not session.strength_day


def test_the_session_fits_the_time_budget_by_priority(protocol: Protocol) -> None:
    free = build_session(inputs(protocol, 2), protocol)
    tight = build_session(
        inputs(protocol, 2, preferences=Preferences(minutes_per_session=15)), protocol
    )
    assert tight.estimated_minutes < free.estimated_minutes
    assert "session-time-budget" in {r.rule for r in tight.reasons}
    kept = {p.priority for p in tight.exercises}
    dropped = set(ids(free)) - set(ids(tight))
    assert dropped and all(protocol.exercises[d].priority >= min(kept) for d in dropped)


def test_a_rest_day_keeps_only_the_daily_exercises(protocol: Protocol) -> None:
    prefs = Preferences(training_days=frozenset({Weekday.TUE, Weekday.THU}))
    session = build_session(inputs(protocol, 2, preferences=prefs), protocol)
    assert not session.training_day
    assert set(ids(session)) <= set(protocol.phase(2).daily_exercises)
    assert session.run is None


@pytest.mark.fires("session-after-run-routine")
def test_a_walk_run_day_has_the_rung_and_the_after_run_routine(protocol: Protocol) -> None:
    session = build_session(inputs(protocol, 4, run_decision=YES), protocol)
    assert session.run is not None
    assert (session.run.kind, session.run.repeats, session.run.total_minutes) == ("walk_run", 8, 24)
    assert [p.exercise for p in session.after_run][-1] == "clamshell"
    assert session.cross_training is None


def test_a_reduced_walk_run_day_shortens_the_rung(protocol: Protocol) -> None:
    reduced = RunDecision(RunToday.REDUCED, (Reason("d3-rest-pain-raised", "rest pain 2/10"),))
    session = build_session(inputs(protocol, 4, run_decision=reduced), protocol)
    assert session.run is not None and session.run.total_minutes < 24


@pytest.mark.fires("session-cross-training")
def test_no_run_day_suggests_cross_training_allowed_in_the_phase(protocol: Protocol) -> None:
    settle = build_session(
        inputs(protocol, 1, preferences=Preferences(equipment=frozenset({Equipment.BIKE}))),
        protocol,
    )
    assert settle.cross_training is not None
    assert settle.cross_training.exercise != "cycling"  # article 000: no cycling in phase 1


@pytest.mark.parametrize("phase", [1, 2, 3, 4, 5])
def test_the_warm_up_never_offers_what_the_phase_avoids(
    protocol: Protocol, catalogue: Catalogue, phase: int
) -> None:
    """Phase 1's warm-up is never cycling (left out while the knee settles), whatever the gear:
    with only a bike at hand, and with no walking, it is still not offered."""
    avoided = {a.id for a in catalogue.avoid if phase in a.avoid_in_phases}
    for gear in (frozenset(Equipment), frozenset({Equipment.BIKE})):
        session = build_session(
            inputs(protocol, phase, preferences=Preferences(equipment=gear)), protocol
        )
        assert session.warm_up and not {w.exercise for w in session.warm_up} & avoided
    cycling_first = replace(protocol, warm_up=("cycling", "walking"))
    bike = Preferences(equipment=frozenset({Equipment.BIKE}))
    session = build_session(inputs(cycling_first, phase, preferences=bike), cycling_first)
    assert (session.warm_up[0].exercise == "cycling") is (phase > 1)


@pytest.mark.fires("session-warm-up")
def test_a_session_with_work_starts_with_a_five_minute_warm_up(protocol: Protocol) -> None:
    session = build_session(inputs(protocol, 3), protocol)
    assert session.exercises and len(session.warm_up) == 1
    warm_up = session.warm_up[0]
    assert warm_up.target.minutes == 5 and warm_up.exercise in protocol.warm_up
    why = next(r for r in session.reasons if r.rule == "session-warm-up")
    assert warm_up.name in why.detail
    rest_day = Preferences(training_days=frozenset({Weekday.TUE}))
    assert not build_session(inputs(protocol, 3, preferences=rest_day), protocol).warm_up


@pytest.mark.fires("dose-start-values")
def test_the_first_sessions_of_a_phase_use_its_starting_doses(protocol: Protocol) -> None:
    first = build_session(inputs(protocol, 2), protocol)
    for p in first.exercises:
        dose = protocol.exercises[p.exercise].dose_for(2)
        assert dose is not None and (p.target.sets, p.target.reps) == (dose.sets, dose.reps)
    stepped = inputs(protocol, 2)
    stepped = replace(stepped, state=replace(stepped.state, dose_level=1))
    later = build_session(stepped, protocol)
    assert "dose-start-values" not in {r.rule for r in later.reasons}
    assert any(
        (p.target.reps or 0) > (q.target.reps or 0)
        for p, q in zip(later.exercises, first.exercises, strict=True)
    )


@pytest.mark.fires("load-longest-run-cap")
def test_the_ladders_continuous_rung_keeps_the_longest_run_cap(protocol: Protocol) -> None:
    """A runner stepped back from phase 5 to the ladder's top rung (30 minutes continuous)
    after weeks of short runs runs 110 % of their longest, not 30 minutes at once."""
    from runrehab.engine.session import RunHistory

    top = protocol.rungs[-1]
    state = replace(
        start_state(PathwayChoice(PathwayId.REST_AND_REBUILD, 4, ()), MONDAY, protocol),
        rung=top.number,
    )
    short = inputs(
        protocol, 4, state=state, run_decision=YES, runs=RunHistory(longest_minutes_30d=11)
    )
    run = build_session(short, protocol).run
    assert run is not None and run.kind == "continuous" and run.total_minutes == 12
    used = inputs(
        protocol, 4, state=state, run_decision=YES, runs=RunHistory(longest_minutes_30d=28)
    )
    assert build_session(used, protocol).run.total_minutes == top.run_minutes * top.repeats  # type: ignore[union-attr]
