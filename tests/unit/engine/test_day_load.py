"""The day plan with the runner's watch runs and load: merged runs, the rebuild of phase 5, the
step-rate target and the load warnings."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from runrehab.engine.assessment import Preferences
from runrehab.engine.checkin import Checkin, CheckinPain, Morning, RunLog
from runrehab.engine.day import DayPlan, plan_day
from runrehab.engine.load import Baseline, LoadContext, RunEntry
from runrehab.engine.protocol import Protocol
from runrehab.engine.session import RunHistory
from runrehab.engine.state import ProgrammeState
from runrehab.engine.values import PathwayId, RunToday

PHASE_5 = date(2026, 6, 1)
NO_HISTORY = RunHistory()
USUAL = Baseline("history", weekly_km=30.0, weekly_minutes=180.0, runs_per_week=3.0, weeks=8)


def day(n: int) -> date:
    return PHASE_5 + timedelta(days=n)


def state(phase: int = 5, pathway: PathwayId = PathwayId.REST_AND_REBUILD) -> ProgrammeState:
    return ProgrammeState(pathway, phase, day(-60), day(0))


def morning(n: int) -> Checkin:
    return Checkin(day(n), CheckinPain(0, 0, 0), Morning.SAME)


def ran(n: int, minutes: float, pain: int = 0, km: float | None = None) -> Checkin:
    run = RunLog(minutes, pain, km, settled_within_minutes=20)
    return Checkin(day(n), CheckinPain(0, 0, pain), Morning.SAME, run=run)


def watch(n: int, minutes: float, km: float | None = None, **kw: object) -> RunEntry:
    return RunEntry(day(n), minutes, km, "watch", f"w{n}", **kw)  # type: ignore[arg-type]


def plan(
    protocol: Protocol,
    checkins: list[Checkin],
    today: int,
    watch_runs: tuple[RunEntry, ...] = (),
    load: LoadContext | None = None,
    st: ProgrammeState | None = None,
    base: RunHistory = NO_HISTORY,
) -> DayPlan:
    return plan_day(
        st or state(), checkins, Preferences(), base, protocol, day(today), watch_runs, load
    )


def rules(reasons: tuple[object, ...]) -> set[str]:
    return {r.rule for r in reasons}  # type: ignore[attr-defined]


def test_without_watch_runs_or_load_the_plan_is_as_before(protocol: Protocol) -> None:
    checkins = [ran(2, 30), morning(4)]
    before = plan_day(state(), checkins, Preferences(), RunHistory(), protocol, day(4))
    assert before == plan(protocol, checkins, 4)
    assert before.warnings == () and before.cadence is None


def test_the_watch_s_measured_minutes_set_the_cap(protocol: Protocol) -> None:
    checkins = [ran(2, 30), morning(4)]
    usual = RunHistory(typical_run_km=10.0)
    reported = plan(protocol, checkins, 4, base=usual).session
    measured = plan(protocol, checkins, 4, (watch(2, 40.0, 7.0),), base=usual).session
    assert reported and reported.run and reported.run.total_minutes == 33
    assert measured and measured.run and measured.run.total_minutes == 44


def test_a_watch_run_no_check_in_reports_asks_for_a_report(protocol: Protocol) -> None:
    checkins = [ran(1, 30), morning(5)]
    result = plan(protocol, checkins, 5, (watch(3, 30.0, 5.0),))
    assert result.run.answer is RunToday.REDUCED
    assert "d5-run-not-reported" in rules(result.run.reasons)
    assert "load-run-not-reported" in rules(result.warnings)
    assert result.session and "session-reduced-run" in rules(result.session.reasons)
    reported = plan(protocol, [*checkins, ran(3, 30)], 5, (watch(3, 30.0, 5.0),))
    assert reported.run.answer is RunToday.YES
    assert not rules(reported.warnings)


def test_a_watch_run_yesterday_keeps_today_for_strength(protocol: Protocol) -> None:
    result = plan(protocol, [ran(1, 30), morning(5)], 5, (watch(4, 30.0, 5.0),))
    assert result.run.answer is RunToday.NO
    assert "rebuild-alternate-days" in rules(result.run.reasons)


def test_phase_5_rebuilds_from_the_usual_load(protocol: Protocol) -> None:
    checkins = [ran(n, 30, km=5.0) for n in range(-8, 0, 2)] + [morning(1)]
    result = plan(protocol, checkins, 1, load=LoadContext(USUAL))
    run = result.session.run if result.session else None
    assert run is not None
    assert run.total_minutes == 30 and run.distance_km == 5.0  # half of 180 minutes over 3
    assert "load-rebuild-weekly-target" in rules(result.session.reasons)  # type: ignore[union-attr]
    assert "flat route, easy pace, no speed work" in run.limits


def test_the_rebuild_is_capped_at_110_percent(protocol: Protocol) -> None:
    # runs every other day, then a day more of rest: no seven days hold more than the usual 3
    checkins = [ran(n, 30, km=5.0) for n in range(22, 36, 2)] + [morning(37)]
    result = plan(protocol, checkins, 37, load=LoadContext(USUAL))
    run = result.session.run if result.session else None
    assert run is not None and run.total_minutes == 33  # week 6 wants 60 minutes
    assert run.distance_km is not None and run.distance_km <= 5.5
    assert "load-longest-run-cap" in rules(result.session.reasons)  # type: ignore[union-attr]
    assert "hills or faster running: bring back one at a time" in run.limits


@pytest.mark.fires("load-usual-runs-per-week")
def test_no_seven_days_hold_more_runs_than_the_usual_week(protocol: Protocol) -> None:
    """Every other day would put a fourth run into some seven days: it waits a day."""
    checkins = [ran(n, 30, km=5.0) for n in range(22, 36, 2)] + [morning(36)]
    result = plan(protocol, checkins, 36, load=LoadContext(USUAL))
    assert result.session is not None and result.session.run is None
    reasons = {r.rule: r.detail for r in result.run.reasons}
    assert (
        "3 runs in the six days before today; your usual is 3 a week"
        in reasons["load-usual-runs-per-week"]
    )
    fewer = replace(USUAL, runs_per_week=4.0)
    assert plan(protocol, checkins, 36, load=LoadContext(fewer)).session.run is not None  # type: ignore[union-attr]
    assert "load-planned-run-over-cap" not in rules(result.warnings)


def test_the_metronome_target_comes_with_the_load(protocol: Protocol) -> None:
    result = plan(protocol, [morning(1)], 1, load=LoadContext(USUAL, cadence_spm=(160, 170)))
    assert result.cadence is not None
    assert result.cadence.metronome_bpm == 174  # 165 + 5 % = 173.25, rounded up


def test_hills_in_the_first_weeks_of_the_rebuild_are_warned_about(protocol: Protocol) -> None:
    checkins = [ran(3, 30), morning(5)]
    hilly = (watch(3, 31.0, 5.0, hilly=True),)
    result = plan(protocol, checkins, 5, hilly, LoadContext(USUAL))
    assert "load-hills-or-speed-too-soon" in rules(result.warnings)
    later = [ran(17, 30), morning(19)]
    fine = plan(protocol, later, 19, (watch(17, 31.0, 5.0, hilly=True),), LoadContext(USUAL))
    assert "load-hills-or-speed-too-soon" not in rules(fine.warnings)


def test_modified_running_takes_half_the_usual_run_from_the_load(protocol: Protocol) -> None:
    modified = state(2, PathwayId.MODIFIED_RUNNING)
    checkins = [ran(-2, 60, km=10.0), morning(1)]
    result = plan(protocol, checkins, 1, load=LoadContext(USUAL), st=modified)
    run = result.session.run if result.session else None
    assert run is not None and run.distance_km == 5.0  # half of 10 km: 30 km over 3 runs


def test_a_run_in_a_phase_without_running_is_a_warning(protocol: Protocol) -> None:
    rest = state(2)
    result = plan(protocol, [morning(3)], 3, (watch(2, 20.0, 3.0),), st=rest)
    assert {"load-run-in-no-running-phase", "load-run-not-reported"} <= rules(result.warnings)


def test_a_watch_run_from_before_the_programme_is_history_not_a_missing_report(
    protocol: Protocol,
) -> None:
    began = ProgrammeState(PathwayId.MODIFIED_RUNNING, 2, day(0), day(0))
    before = plan(protocol, [morning(2)], 2, (watch(-2, 30.0, 5.0),), st=began)
    since = plan(protocol, [morning(2)], 2, (watch(1, 30.0, 5.0),), st=began)
    assert "d5-run-not-reported" not in rules(before.run.reasons)
    assert "load-run-not-reported" not in rules(before.warnings)
    assert "load-run-not-reported" in rules(since.warnings)
