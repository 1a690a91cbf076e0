"""Running load: runs as load, weeks, the longest run and its cap, the usual load, the rebuild,
the step-rate target and the load warnings."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from runrehab.engine.cadence import cadence_target
from runrehab.engine.checkin import Checkin, CheckinPain, Morning, RunLog
from runrehab.engine.load import (
    NO_BASELINE,
    Baseline,
    CrossEntry,
    LoadSettings,
    RunEntry,
    baseline,
    longest_before,
    merge_runs,
    run_entry,
    running_cadences,
    single_run_cap,
    weekly_load,
)
from runrehab.engine.load_warnings import load_warnings
from runrehab.engine.metrics import CadenceStats, Metrics, SpeedWork, WalkRunPattern
from runrehab.engine.protocol import Settings
from runrehab.engine.rebuild import hills_or_speed_from, rebuild_plan, rebuild_run

MONDAY = date(2026, 6, 1)
USUAL = Baseline("history", weekly_km=30.0, weekly_minutes=180.0, runs_per_week=3.0, weeks=8)


def day(n: int) -> date:
    return MONDAY + timedelta(days=n)


def run(n: int, minutes: float, km: float | None = None, **kw: object) -> RunEntry:
    return RunEntry(day(n), minutes, km, str(kw.pop("source", "watch")), **kw)  # type: ignore[arg-type]


def metrics(**kw: object) -> Metrics:
    values: dict[str, object] = {
        "elapsed_s": 2000.0,
        "moving_s": 1800.0,
        "distance_km": 6.0,
        "pace_min_per_km": 5.0,
        "elevation_gain_m": 20.0,
        "elevation_loss_m": 20.0,
        "downhill_km": 0.3,
        "cadence_spm": 168.0,
        "cadence": CadenceStats(170, 160, 176, ((165, 600.0), (170, 1200.0))),
        "avg_hr": 150.0,
        "max_hr": 170.0,
        "speed_work": None,
        "walk_run": None,
    }
    values.update(kw)
    return Metrics(**values)  # type: ignore[arg-type]


def rules(reasons: tuple[object, ...]) -> list[str]:
    return [r.rule for r in reasons]  # type: ignore[attr-defined]


# --- runs as load ---------------------------------------------------------------------------


def test_a_watch_run_counts_its_moving_minutes_and_km() -> None:
    entry = run_entry(day(0), metrics(), "a1")
    assert (entry.minutes, entry.km, entry.source, entry.activity_id) == (30.0, 6.0, "watch", "a1")
    assert not entry.hilly and not entry.speed_work and entry.pain_reported


def test_a_run_is_hilly_by_its_climb_or_its_downhill() -> None:
    assert run_entry(day(0), metrics(elevation_gain_m=95.0), "a").hilly
    assert run_entry(day(0), metrics(downhill_km=1.0), "a").hilly
    assert not run_entry(day(0), metrics(elevation_gain_m=None, downhill_km=None), "a").hilly
    assert not run_entry(day(0), metrics(distance_km=None), "a").hilly


def test_speed_work_is_carried_to_the_run() -> None:
    assert run_entry(day(0), metrics(speed_work=SpeedWork(4, 240, 3.5)), "a").speed_work


def test_running_cadences_skip_walking_sessions() -> None:
    walking = metrics(cadence=CadenceStats(118, 110, 124, ()), walk_run=WalkRunPattern(8, 1, 2))
    assert running_cadences([metrics(), walking, metrics(cadence=None)]) == (170,)


def test_a_check_in_run_on_the_day_of_a_watch_run_is_that_run() -> None:
    watch = [run(0, 31.0, 6.2, activity_id="w0"), run(2, 40.0, 8.0, activity_id="w2")]
    checkins = [Checkin(day(0), CheckinPain(0, 0, 1), Morning.SAME, run=RunLog(30, 2))]
    merged = merge_runs(checkins, watch)
    assert [(r.day, r.minutes, r.source, r.pain_reported) for r in merged] == [
        (day(0), 31.0, "watch", True),
        (day(2), 40.0, "watch", False),
    ]


def test_a_check_in_run_names_its_watch_run() -> None:
    watch = [run(0, 31.0, 6.2, activity_id="w0"), run(1, 20.0, 4.0, activity_id="w1")]
    linked = RunLog(30, 2, activity_id="w0")
    merged = merge_runs([Checkin(day(1), CheckinPain(0, 0, 1), run=linked)], watch)
    assert [(r.activity_id, r.pain_reported) for r in merged] == [("w0", True), ("w1", True)]


def test_a_check_in_run_without_a_watch_run_stays() -> None:
    checkins = [Checkin(day(3), CheckinPain(0, 0, 1), run=RunLog(25, 1, 4.5))]
    assert merge_runs(checkins, []) == (RunEntry(day(3), 25, 4.5, "check-in"),)


# --- weeks and the longest run --------------------------------------------------------------


def test_weekly_load_goes_monday_to_sunday_and_keeps_empty_weeks() -> None:
    runs = [run(1, 30, 6), run(3, 40, None), run(6, 50, 9), run(15, 20, 4), run(30, 99, 20)]
    cross = [CrossEntry(day(2), 45, "cycling"), CrossEntry(day(8), 30, "swimming")]
    weeks = weekly_load(runs, cross, day(1), day(20))
    assert [w.monday for w in weeks] == [day(0), day(7), day(14)]
    first, second, third = weeks
    assert (first.runs, first.run_minutes, first.run_km) == (3, 120, 15)
    assert (first.longest_minutes, first.longest_km, first.cross_minutes) == (50, 9, 45)
    assert (second.runs, second.run_minutes, second.longest_minutes) == (0, 0, None)
    assert second.cross_minutes == 30
    assert (third.runs, third.run_km) == (1, 4)


def test_longest_before_looks_at_the_30_days_before_not_the_day_itself() -> None:
    runs = [run(0, 90, 15), run(5, 40, 9), run(20, 45, 7), run(35, 120, 25)]
    longest = longest_before(runs, day(35))
    assert longest is not None
    assert (longest.minutes, longest.minutes_day, longest.km, longest.km_day) == (
        45,
        day(20),
        9,
        day(5),
    )
    assert longest_before(runs, day(0)) is None


def test_the_single_run_cap_is_110_percent_of_the_longest() -> None:
    cap = single_run_cap([run(0, 40, 8), run(2, 30, None)], day(4), 1.1)
    assert cap.minutes == pytest.approx(44) and cap.km == pytest.approx(8.8)
    assert single_run_cap([], day(4), 1.1, fallback_minutes=30) == type(cap)(30, None, None)


# --- the usual load -------------------------------------------------------------------------


def test_baseline_is_the_mean_week_of_the_watch_history_before_the_pain() -> None:
    pain = day(70)
    runs = [run(n, 50, 10) for n in range(14, 70, 7)] + [run(71, 90, 20)]
    base = baseline(runs, pain, reported_weekly_km=99.0)
    assert base.source == "history" and base.weeks == 8
    assert (base.weekly_km, base.weekly_minutes, base.runs_per_week) == (10, 50, 1)


def test_baseline_covers_only_the_weeks_the_history_covers() -> None:
    base = baseline([run(56, 40, 8), run(63, 40, 8)], day(70))
    assert base.weeks == 2 and base.weekly_km == 8


def test_a_run_without_distance_counts_at_the_runner_s_pace() -> None:
    base = baseline([run(56, 50, 10), run(60, 25, None)], day(63))
    assert base.weeks == 1 and base.weekly_km == pytest.approx(15)


def test_baseline_falls_back_to_the_reported_figures_then_to_none() -> None:
    reported = baseline([], day(70), reported_weekly_km=25.0, reported_runs_per_week=3)
    assert reported == Baseline("reported", 25.0, None, 3)
    assert baseline([run(0, 40, 8, source="plan")], day(3)) == NO_BASELINE
    assert not NO_BASELINE.known


# --- the rebuild ----------------------------------------------------------------------------


def test_the_rebuild_starts_at_half_the_usual_week() -> None:
    history = [run(-2, 60, 10)]
    planned = rebuild_run(day(0), day(0), USUAL, history)
    assert planned.week == 0
    assert planned.weekly_target_minutes == pytest.approx(90)
    assert planned.minutes == pytest.approx(30)
    assert planned.km == pytest.approx(5)
    assert not planned.hills_or_speed_allowed
    assert rules(planned.reasons)[0] == "load-rebuild-weekly-target"


def test_the_weekly_target_rises_a_tenth_a_week_up_to_the_usual_week() -> None:
    history = [run(n, 60, 10) for n in range(30, 80, 2)]
    week3 = rebuild_run(day(50), day(29), USUAL, history)
    assert week3.week == 3 and week3.weekly_target_minutes == pytest.approx(144)
    late = rebuild_run(day(80), day(0), USUAL, history)
    assert late.weekly_target_minutes == pytest.approx(180)
    assert late.minutes == pytest.approx(60)


@pytest.mark.fires("load-longest-run-cap")
def test_a_rebuild_run_is_capped_at_110_percent_of_the_longest() -> None:
    by_time = rebuild_run(day(40), day(0), USUAL, [run(38, 40, 8)])
    assert by_time.minutes == pytest.approx(44)
    assert by_time.km == pytest.approx(44 / 6)  # the runner's usual 6 minutes a km
    assert "load-longest-run-cap" in rules(by_time.reasons)
    by_distance = rebuild_run(day(40), day(0), USUAL, [run(38, 40, 6)])
    assert by_distance.km == pytest.approx(6.6)
    assert by_distance.minutes == pytest.approx(6.6 * 6)


def test_with_no_recent_run_the_rebuild_keeps_to_the_ladder_s_last_run() -> None:
    planned = rebuild_run(day(40), day(0), USUAL, [], fallback_minutes=30)
    assert planned.minutes == 30 and planned.cap.longest is None


def test_the_weekly_target_wins_over_the_run_that_finished_the_ladder() -> None:
    """The lowest limit wins: half of 97.5 minutes a week (15 km at 6.5 minutes a km) over 2
    runs is about 24 minutes, shorter than the ladder's last 30-minute run."""
    small = Baseline("reported", weekly_km=15.0, runs_per_week=2)
    planned = rebuild_run(day(0), day(0), small, [run(-2, 30, 4.6)])
    assert planned.minutes == pytest.approx(97.5 / 2 / 2)
    assert planned.minutes * 2 <= planned.weekly_target_minutes + 1e-9


def test_a_short_usual_week_gives_short_runs() -> None:
    short = Baseline("history", weekly_km=9.0, weekly_minutes=60.0, runs_per_week=3)
    planned = rebuild_run(day(0), day(0), short, [run(-2, 30, 4.6)])
    assert planned.minutes == pytest.approx(10)


def test_hills_and_speed_wait_for_two_pain_free_weeks() -> None:
    history = [run(n, 60, 10) for n in range(0, 30, 2)]
    assert not rebuild_run(day(13), day(0), USUAL, history).hills_or_speed_allowed
    assert rebuild_run(day(14), day(0), USUAL, history).hills_or_speed_allowed
    later = rebuild_run(day(20), day(0), USUAL, history, pain_free_since=day(10))
    assert later.hills_or_speed_from == day(24) and not later.hills_or_speed_allowed
    assert hills_or_speed_from(day(0), day(10), LoadSettings()) == day(24)


def test_a_rebuild_plan_runs_every_other_day_and_grows_with_its_own_runs() -> None:
    plan = rebuild_plan(day(0), 28, day(0), USUAL, [run(-2, 30, 5)])
    assert [p.day for p in plan] == [day(n) for n in range(0, 28, 2)]
    assert plan[0].minutes == pytest.approx(30)
    assert plan[1].minutes == pytest.approx(30)
    assert plan[-1].minutes > plan[0].minutes
    custom = rebuild_plan(day(0), 7, day(0), USUAL, [], run_days=lambda d: d.weekday() == 2)
    assert [p.day for p in custom] == [day(2)]


# --- step rate ------------------------------------------------------------------------------


@pytest.mark.fires("cadence-target")
def test_the_metronome_starts_at_the_plus_5_percent_end() -> None:
    target = cadence_target([160, 164, 161])
    assert target is not None
    assert target.usual_spm == 161
    assert target.low_spm == pytest.approx(169.05) and target.high_spm == pytest.approx(177.1)
    assert target.metronome_bpm == 170
    assert target.reason.rule == "cadence-target"
    assert cadence_target([]) is None and cadence_target([0.0]) is None


# --- warnings -------------------------------------------------------------------------------


def warn(runs: list[RunEntry], mode: str = "building", today: int = 40, **kw: object) -> list[str]:
    reasons = load_warnings(day(today), runs, mode, USUAL, None, **kw)  # type: ignore[arg-type]
    return rules(reasons)


def test_a_run_longer_than_110_percent_of_the_longest_is_warned_about() -> None:
    runs = [run(30, 40, 8), run(38, 50, 9)]
    reasons = load_warnings(day(40), runs, "building", USUAL, None)
    assert rules(reasons) == ["load-run-broke-longest-cap"]
    assert day(38).isoformat() in reasons[0].detail and "44" in reasons[0].detail
    assert warn([run(30, 40, 8), run(38, 42, 9.5)]) == ["load-run-broke-longest-cap"]
    assert warn([run(30, 40, 8), run(38, 44, 8.8)]) == []


def test_the_ladder_sets_the_length_of_walk_run_sessions() -> None:
    assert warn([run(30, 24), run(38, 36)], "walk_run") == []


def test_a_run_in_a_phase_without_running_is_warned_about() -> None:
    runs = [run(30, 30), run(38, 30)]
    assert warn(runs, "none", phase_started=day(35)) == ["load-run-in-no-running-phase"]
    assert warn(runs, "none", phase_started=day(39)) == []


def test_hills_or_speed_before_they_are_allowed_are_warned_about() -> None:
    hilly = [run(30, 30), run(38, 30, hilly=True)]
    fast = [run(30, 30), run(38, 30, speed_work=True)]
    assert warn(hilly, "modified") == ["load-hills-or-speed-too-soon"]
    assert warn(fast, "walk_run") == ["load-hills-or-speed-too-soon"]
    early = warn(hilly, phase_started=day(30))
    assert early == ["load-hills-or-speed-too-soon"]
    assert warn(hilly, phase_started=day(20)) == []
    assert warn(hilly, hills_or_speed_allowed_from=day(39)) == ["load-hills-or-speed-too-soon"]


def test_more_than_half_the_usual_week_on_modified_running_is_warned_about() -> None:
    assert warn([run(36, 40, 8), run(38, 40, 8)], "modified") == ["load-modified-week-over-half"]
    assert warn([run(36, 40, 7), run(38, 40, 7)], "modified") == []
    by_minutes = warn([run(34, 50), run(36, 50)], "modified")
    assert by_minutes == ["load-modified-week-over-half"]


def test_a_watch_run_without_a_pain_report_is_warned_about() -> None:
    reasons = load_warnings(day(40), [run(39, 30, 5, pain_reported=False)], "building", USUAL, None)
    assert rules(reasons) == ["load-run-not-reported"]
    assert day(39).isoformat() in reasons[0].detail


def test_a_planned_run_over_the_cap_is_warned_about() -> None:
    history = [run(38, 40, 8)]
    planned = rebuild_run(day(40), day(0), USUAL, history)
    assert rules(load_warnings(day(40), history, "building", USUAL, planned)) == []
    from dataclasses import replace

    over = replace(planned, minutes=50.0)
    assert rules(load_warnings(day(40), history, "building", USUAL, over)) == [
        "load-planned-run-over-cap"
    ]


def test_old_runs_raise_no_warnings() -> None:
    runs = [run(0, 30, hilly=True, pain_reported=False), run(20, 90, 20)]
    assert warn(runs, "none") == []
    assert (
        load_warnings(day(40), [], "modified", NO_BASELINE, None, protocol_settings=Settings())
        == ()
    )
