"""Per-activity metrics, measured on synthetic tracks (the real watch files are checked by the
importer's integration tests; the engine's tests never read a file)."""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import pytest

from runrehab.engine.activity import Recording, Sport, SportSource, Track
from runrehab.engine.load import run_entry
from runrehab.engine.metrics import MetricsSettings, measure

START = datetime(2026, 5, 4, 7, 0, tzinfo=UTC)
METRES_PER_DEGREE = 2 * math.pi * 6_371_008.8 / 360


@dataclass(frozen=True)
class Leg:
    """``seconds`` of 1-Hz samples at ``speed`` m/s; ``speed`` None is a pause: no samples."""

    seconds: int
    speed: float | None
    cadence: float | None = None
    grade: float = 0.0
    heart_rate: float | None = 140.0


def track(legs: list[Leg], *, positions: bool = False, channels: str = "dach") -> Track:
    """A 1-Hz track through ``legs``; ``channels``: d(istance) a(ltitude) c(adence) h(eart)."""
    t = distance = 0.0
    altitude = 100.0
    rows: list[tuple[float, float, float, float | None, float | None]] = [
        (0.0, 0.0, altitude, legs[0].cadence, legs[0].heart_rate)
    ]
    for leg in legs:
        if leg.speed is None:
            t += leg.seconds
            continue
        for _ in range(leg.seconds):
            t += 1
            distance += leg.speed
            altitude += leg.speed * leg.grade
            rows.append((t, distance, altitude, leg.cadence, leg.heart_rate))
    n = len(rows)
    none: tuple[float | None, ...] = (None,) * n
    return Track(
        seconds=tuple(r[0] for r in rows),
        distance_m=tuple(r[1] for r in rows) if "d" in channels else none,
        latitude=tuple(50 + r[1] / METRES_PER_DEGREE for r in rows) if positions else none,
        longitude=tuple(4.0 for _ in rows) if positions else none,
        altitude_m=tuple(r[2] for r in rows) if "a" in channels else none,
        heart_rate=tuple(r[4] for r in rows) if "h" in channels else none,
        cadence_spm=tuple(r[3] for r in rows) if "c" in channels else none,
        speed_mps=none,
    )


def recording(tr: Track, sport: Sport = Sport.RUNNING, indoor: bool = False) -> Recording:
    return Recording(sport, SportSource.FILE, START, tr, indoor=indoor)


def walk_run(repeats: int, run_s: int, walk_s: int, cadence: bool = True) -> list[Leg]:
    run = Leg(run_s, 2.7, 166.0 if cadence else None)
    walk = Leg(walk_s, 1.4, 112.0 if cadence else None)
    return [Leg(300, 1.5, 114.0 if cadence else None)] + [run, walk] * repeats


# --- time, distance, pace -------------------------------------------------------------------


def test_moving_time_excludes_a_pause_and_standing_still() -> None:
    legs = [Leg(600, 3.0, 170), Leg(120, None), Leg(60, 0.0, 0), Leg(600, 3.0, 170)]
    m = measure(recording(track(legs)))
    assert m.elapsed_s == 1380
    assert m.moving_s == 1200
    assert m.distance_km == pytest.approx(3.6)
    assert m.pace_min_per_km == pytest.approx(20 / 3.6, abs=0.01)


def test_distance_comes_from_positions_when_there_is_no_distance_channel() -> None:
    m = measure(recording(track([Leg(1000, 3.0, 170)], positions=True, channels="ach")))
    assert m.distance_km == pytest.approx(3.0, rel=1e-3)
    assert m.moving_s == 1000


def test_heart_rate_only_has_no_distance_and_counts_every_unpaused_second() -> None:
    legs = [Leg(300, 3.0), Leg(100, None), Leg(300, 3.0, heart_rate=150.0)]
    m = measure(recording(track(legs, channels="h")))
    assert m.distance_km is None and m.pace_min_per_km is None and m.downhill_km is None
    assert m.moving_s == 599  # the interval across the pause is the pause
    assert m.avg_hr == pytest.approx(145, abs=0.2)
    assert m.max_hr == 150


def test_a_recording_of_one_sample_measures_nothing() -> None:
    one = track([Leg(1, 3.0, 170)])
    short = replace(one, **{f: getattr(one, f)[:1] for f in one.__dataclass_fields__})
    m = measure(recording(short))
    assert m.elapsed_s == 0 and m.moving_s == 0 and m.distance_km is None


# --- step rate ------------------------------------------------------------------------------


def test_each_step_rate_stands_for_the_interval_before_it() -> None:
    """Smart recording: a sample 10 s after the last carries the rate of those 10 s."""
    tr = Track(
        seconds=(0.0, 10.0, 11.0, 12.0),
        distance_m=(0.0, 30.0, 33.0, 36.0),
        latitude=(None,) * 4,
        longitude=(None,) * 4,
        altitude_m=(None,) * 4,
        heart_rate=(None,) * 4,
        cadence_spm=(0.0, 160.0, 180.0, 180.0),
        speed_mps=(None,) * 4,
    )
    m = measure(recording(tr))
    assert m.cadence_spm == pytest.approx((160 * 10 + 180 * 2) / 12, abs=0.05)


def test_step_rate_leaves_out_pauses_but_keeps_standing_zeros() -> None:
    legs = [Leg(600, 3.0, 170), Leg(300, None), Leg(10, 3.0, 0), Leg(590, 3.0, 170)]
    m = measure(recording(track(legs)))
    # the interval across the pause is not averaged; the seconds at 0 are, as the watch does
    assert m.cadence_spm == pytest.approx(170 * 1190 / 1199, abs=0.05)


def test_cadence_distribution_over_moving_time() -> None:
    legs = [Leg(600, 3.0, 170), Leg(300, 3.0, 176), Leg(100, 3.0, 160), Leg(60, 0.0, 0)]
    stats = measure(recording(track(legs))).cadence
    assert stats is not None
    assert (stats.p10_spm, stats.median_spm, stats.p90_spm) == (160, 170, 176)
    assert dict(stats.histogram) == {160: 100, 170: 600, 175: 300}


def test_no_step_rate_for_cycling() -> None:
    m = measure(recording(track([Leg(600, 8.0, 85)]), Sport.CYCLING))
    assert m.cadence_spm is None and m.cadence is None
    assert m.speed_work is None and m.walk_run is None


# --- hills ----------------------------------------------------------------------------------


def test_downhill_km_and_climb_on_a_synthetic_hill() -> None:
    legs = [Leg(300, 3.0, 170), Leg(400, 2.5, 170, 0.05), Leg(400, 3.0, 170, -0.05)]
    legs.append(Leg(300, 3.0, 170))
    m = measure(recording(track(legs)))
    assert m.elevation_gain_m == pytest.approx(50, abs=2)
    assert m.elevation_loss_m == pytest.approx(60, abs=2)
    assert m.downhill_km == pytest.approx(1.2, abs=0.06)


def test_a_gentle_slope_is_not_downhill() -> None:
    m = measure(recording(track([Leg(1000, 3.0, 170, -0.02)])))
    assert m.downhill_km == 0
    assert m.elevation_loss_m == pytest.approx(60, abs=1)


def test_altitude_wobble_on_the_flat_is_not_climbing() -> None:
    tr = track([Leg(1200, 3.0, 170)])
    wobble = tuple(100 + 1.2 * math.sin(i / 3) for i in range(len(tr)))
    m = measure(recording(replace(tr, altitude_m=wobble)))
    assert m.elevation_gain_m == 0 and m.elevation_loss_m == 0
    assert m.downhill_km is not None and m.downhill_km < 0.02  # the ends average fewer samples


def test_treadmill_and_no_altitude_have_no_hills() -> None:
    indoor = measure(recording(track([Leg(600, 3.0, 170, -0.05)]), indoor=True))
    no_altitude = measure(recording(track([Leg(600, 3.0, 170)], channels="dch")))
    for m in (indoor, no_altitude):
        assert (m.elevation_gain_m, m.elevation_loss_m, m.downhill_km) == (None, None, None)


# --- speed work and walk/run ----------------------------------------------------------------


def test_speed_work_is_found_in_intervals() -> None:
    legs = [Leg(600, 3.0, 170)] + [Leg(90, 3.9, 182), Leg(90, 2.9, 168)] * 6 + [Leg(600, 3.0)]
    work = measure(recording(track(legs))).speed_work
    assert work is not None
    assert work.efforts == 6
    assert work.threshold_mps == pytest.approx(3.45, abs=0.02)
    assert 6 * 60 <= work.fast_seconds <= 6 * 120


def test_speed_work_is_found_in_strides_without_step_rate() -> None:
    legs = [Leg(900, 3.0)] + [Leg(20, 4.2), Leg(90, 3.0)] * 4
    work = measure(recording(track(legs, channels="dah"))).speed_work
    assert work is not None and work.efforts == 4


def test_a_steady_run_has_no_speed_work() -> None:
    wobbly = [Leg(25, 3.0 * (1 + 0.06 * math.sin(i)), 170) for i in range(100)]
    m = measure(recording(track(wobbly)))
    assert m.speed_work is None and m.walk_run is None


def test_a_downhill_is_not_speed_work() -> None:
    legs = [Leg(600, 3.0, 170)] + [Leg(120, 3.6, 172, -0.06), Leg(120, 3.0, 170)] * 3
    assert measure(recording(track(legs))).speed_work is None


def test_walk_run_pattern_of_the_first_rung() -> None:
    m = measure(recording(track(walk_run(8, 60, 120))))
    assert m.walk_run is not None
    assert m.walk_run.repeats == 8
    assert m.walk_run.run_minutes == pytest.approx(1.0, abs=0.1)
    assert m.walk_run.walk_minutes == pytest.approx(2.0, abs=0.1)
    assert m.speed_work is None  # running after walking is not a fast effort
    # the running alone: 8 minutes at 2.7 m/s, the warm-up walk and the breaks left out
    assert m.walk_run.running_minutes == pytest.approx(8.0, abs=0.2)
    assert m.walk_run.running_km == pytest.approx(8 * 60 * 2.7 / 1000, abs=0.05)


def test_a_walk_run_file_counts_only_its_running_as_load() -> None:
    """The longest-run cap measures running: 8 × (1 min run + 2 min walk) from the watch is
    8 minutes of running, not the 29 moving minutes with the walks."""
    m = measure(recording(track(walk_run(8, 60, 120))))
    entry = run_entry(START.date(), m, "a1")
    assert m.moving_s / 60 > 28
    assert entry.minutes == pytest.approx(8.0, abs=0.2)
    assert entry.km == pytest.approx(1.3, abs=0.05)
    continuous = measure(recording(track([Leg(1800, 2.8, 168.0)])))
    assert run_entry(START.date(), continuous, "a2").minutes == pytest.approx(30.0, abs=0.1)


def test_walk_run_pattern_from_speed_alone() -> None:
    m = measure(recording(track(walk_run(6, 300, 60, cadence=False), channels="dah")))
    assert m.walk_run is not None
    assert m.walk_run.repeats == 6
    assert m.walk_run.run_minutes == pytest.approx(5.0, abs=0.25)
    assert m.walk_run.walk_minutes == pytest.approx(1.0, abs=0.25)


def test_a_stop_inside_a_run_does_not_split_it() -> None:
    legs = [Leg(600, 3.0, 170), Leg(40, 0.0, 0), Leg(600, 3.0, 170), Leg(10, 1.2, 110)]
    legs.append(Leg(600, 3.0, 170))
    assert measure(recording(track(legs))).walk_run is None


def calls_to_measure(legs: int) -> int:
    """How many calls (the measure's own and the built-ins') measuring a run of ``legs`` legs
    of 250 one-second samples takes: counted, not timed, so the same on any machine."""
    rec = recording(
        track(
            [Leg(250, 3.0 + (i % 3) * 0.2, 168 + i % 5, 0.02 * (i % 3 - 1)) for i in range(legs)],
            positions=True,
            channels="ach",
        )
    )
    calls = 0

    def count(_frame: object, event: str, _arg: object) -> None:
        nonlocal calls
        calls += event in ("call", "c_call")

    sys.setprofile(count)  # (a profiler, not a tracer: coverage's tracer runs on beside it)
    try:
        measure(rec, MetricsSettings())
    finally:
        sys.setprofile(None)
    return calls


def test_a_long_run_is_measured_in_linear_passes() -> None:
    """Twice the samples, about twice the work: a pass over the samples for each sample (a
    quadratic measure, seconds on a long run) would be four times the work."""
    five_thousand, ten_thousand = calls_to_measure(20), calls_to_measure(40)
    assert five_thousand > 5000
    assert ten_thousand < 2.2 * five_thousand, (five_thousand, ten_thousand)
