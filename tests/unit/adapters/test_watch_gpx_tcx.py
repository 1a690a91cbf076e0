"""GPX and TCX files read into recordings, and the ways they go wrong."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from runrehab.adapters.watch import Limits
from runrehab.engine.activity import Sport, SportSource
from tests.watchfiles import accepted, gpx_run, read_bytes, refused, tcx_run

START = datetime(2024, 5, 1, 7, 0, tzinfo=UTC)

# --- GPX --------------------------------------------------------------------------------------


def test_a_gpx_run_gives_samples_sport_and_doubled_cadence(tmp_path: Path) -> None:
    read = accepted(read_bytes(tmp_path, "a.gpx", gpx_run(START, 10, strides_per_min=82)))
    assert read.format == "gpx"
    run = read.recordings[0]
    assert (run.sport, run.sport_source, run.start) == (Sport.RUNNING, SportSource.FILE, START)
    assert (len(run.track), run.track.seconds[-1]) == (601, 600.0)
    assert set(run.track.cadence_spm) == {164.0}
    assert set(run.track.heart_rate) == {140.0}
    assert set(run.track.distance_m) == {None}  # the engine measures the positions
    assert run.track.latitude[0] == pytest.approx(51.5)
    assert (run.utc_offset_minutes, run.summary, run.indoor) == (None, None, False)


def test_gpx_cadence_on_a_bike_is_not_steps(tmp_path: Path) -> None:
    data = gpx_run(START, 5, type_="cycling", speed_mps=8, strides_per_min=90)
    ride = accepted(read_bytes(tmp_path, "a.gpx", data)).recordings[0]
    assert ride.sport is Sport.CYCLING
    assert set(ride.track.cadence_spm) == {None}


def test_gpx_1_0_without_a_type_is_guessed_from_its_pace(tmp_path: Path) -> None:
    data = gpx_run(START, 5, version="1.0", type_=None)
    run = accepted(read_bytes(tmp_path, "0001.gpx", data)).recordings[0]
    assert (run.sport, run.sport_source) == (Sport.RUNNING, SportSource.PACE)
    assert set(run.track.speed_mps) == {2.8}


def test_gpx_segments_are_joined_into_one_recording(tmp_path: Path) -> None:
    read = accepted(read_bytes(tmp_path, "a.gpx", gpx_run(START, 5, segments=3)))
    assert [len(r.track) for r in read.recordings] == [301]


def test_each_gpx_track_with_times_is_a_recording(tmp_path: Path) -> None:
    first = gpx_run(START, 5).decode()
    second = gpx_run(datetime(2024, 5, 2, 7, tzinfo=UTC), 5, type_="walking").decode()
    both = first.replace("</gpx>", second[second.index("<trk>") :])
    read = accepted(read_bytes(tmp_path, "a.gpx", both.encode()))
    assert [r.sport for r in read.recordings] == [Sport.RUNNING, Sport.WALKING]


def test_gpx_extensions_are_read_whatever_their_prefix(tmp_path: Path) -> None:
    points = "".join(
        f'<trkpt lat="51.5" lon="{-0.1 + k * 1e-4:.4f}"><time>2024-05-01T07:00:{k:02d}Z</time>'
        "<extensions><hr>120</hr><x:TrackPointExtension><x:cad>80</x:cad>"
        "</x:TrackPointExtension><speed>2.5</speed></extensions></trkpt>"
        for k in range(30)
    )
    data = (
        '<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1" xmlns:x="urn:other">'
        f"<trk><type>running</type><trkseg>{points}</trkseg></trk></gpx>"
    )
    track = accepted(read_bytes(tmp_path, "a.gpx", data.encode())).recordings[0].track
    assert (set(track.heart_rate), set(track.cadence_spm), set(track.speed_mps)) == (
        {120.0},
        {160.0},
        {2.5},
    )


def test_a_gpx_without_times_is_a_route(tmp_path: Path) -> None:
    reason = refused(read_bytes(tmp_path, "a.gpx", gpx_run(START, 5, times=False)))
    assert reason == "the GPX file has no times, so it is a route, not a recorded activity"


def test_gpx_times_from_1901_are_broken(tmp_path: Path) -> None:
    broken = datetime(1901, 12, 13, 20, 45, 52, tzinfo=UTC)
    reason = refused(read_bytes(tmp_path, "a.gpx", gpx_run(START, 5, fixed_time=broken)))
    assert reason == (
        "its times are broken (1901-12-13 20:45:52), so the activity can't be placed on a day"
    )


def test_gpx_points_without_a_time_or_before_1990_are_dropped(tmp_path: Path) -> None:
    text = gpx_run(START, 2).decode()
    text = text.replace("<time>2024-05-01T07:00:00Z</time>", "<time>1970-01-01T00:00:00Z</time>")
    text = text.replace("<time>2024-05-01T07:00:01Z</time>", "")
    run = accepted(read_bytes(tmp_path, "a.gpx", text.encode())).recordings[0]
    assert run.start == datetime(2024, 5, 1, 7, 0, 2, tzinfo=UTC)
    assert len(run.track) == 119


def test_gpx_points_moving_at_a_single_instant_have_broken_times(tmp_path: Path) -> None:
    reason = refused(read_bytes(tmp_path, "a.gpx", gpx_run(START, 5, fixed_time=START)))
    assert reason.startswith("its times are broken (all 301 points carry the same time")


def test_a_gpx_with_a_point_every_two_minutes_is_too_sparse(tmp_path: Path) -> None:
    reason = refused(read_bytes(tmp_path, "a.gpx", gpx_run(START, 60, step_s=120)))
    assert reason == "too sparse to measure: 31 points over 60 minutes"


def test_the_sparse_limit_is_a_setting(tmp_path: Path) -> None:
    data = gpx_run(START, 60, step_s=120)
    read = read_bytes(tmp_path, "a.gpx", data, limits=Limits(max_sparse_gap_s=180))
    assert len(accepted(read).recordings[0].track) == 31


def test_a_short_burst_in_a_long_gap_is_too_sparse_despite_its_median(tmp_path: Path) -> None:
    burst = gpx_run(START, 0.5, step_s=2).decode()  # 16 points 2 s apart
    late = '<trkpt lat="51.5" lon="-0.1"><time>2024-05-01T07:43:00Z</time></trkpt>'
    data = burst.replace("</trkseg>", late + "</trkseg>")
    reason = refused(read_bytes(tmp_path, "a.gpx", data.encode()))
    assert reason == "too sparse to measure: 17 points over 43 minutes"


def test_gpx_that_is_not_xml_is_refused_with_the_parser_message(tmp_path: Path) -> None:
    reason = refused(read_bytes(tmp_path, "a.gpx", b"<gpx><trk><trkseg></trk>"))
    assert reason.startswith("not valid XML: mismatched tag: line 1")


def test_a_byte_order_mark_and_spaces_before_the_xml_are_accepted(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf  \n " + gpx_run(START, 2)
    assert accepted(read_bytes(tmp_path, "a.gpx", data)).format == "gpx"


# --- TCX --------------------------------------------------------------------------------------


def test_a_tcx_run_gives_samples_cadence_and_lap_totals(tmp_path: Path) -> None:
    read = accepted(read_bytes(tmp_path, "a.tcx", tcx_run(START, 10, laps=3)))
    assert (read.format, len(read.recordings)) == ("tcx", 1)
    run = read.recordings[0]
    assert (run.sport, run.sport_source, run.start) == (Sport.RUNNING, SportSource.FILE, START)
    assert (len(run.track), run.track.seconds[-1]) == (601, 600.0)
    assert run.track.distance_m[-1] == pytest.approx(1680.0)
    assert set(run.track.cadence_spm) == {164.0}  # RunCadence 82 strides -> 164 steps
    assert set(run.track.speed_mps) == {2.8}
    assert run.summary is not None
    assert (run.summary.timer_s, run.summary.avg_heart_rate) == (598.0, 140.0)
    assert run.summary.distance_m == pytest.approx(2.8 * 598)


def test_a_treadmill_tcx_keeps_every_point_without_a_position(tmp_path: Path) -> None:
    run = accepted(read_bytes(tmp_path, "a.tcx", tcx_run(START, 10, gps=False))).recordings[0]
    assert (len(run.track), run.indoor) == (601, True)
    assert set(run.track.latitude) == set(run.track.longitude) == {None}


def test_a_polar_tcx_with_spaces_before_the_xml_and_plain_cadence(tmp_path: Path) -> None:
    data = tcx_run(START, 5, leading_spaces=10, cadence_element=True)
    run = accepted(read_bytes(tmp_path, "a.tcx", data)).recordings[0]
    assert set(run.track.cadence_spm) == {164.0}


def test_tcx_biking_cadence_is_not_steps(tmp_path: Path) -> None:
    data = tcx_run(START, 5, sport="Biking", speed_mps=8, cadence_element=True)
    ride = accepted(read_bytes(tmp_path, "a.tcx", data)).recordings[0]
    assert (ride.sport, set(ride.track.cadence_spm)) == (Sport.CYCLING, {None})


def test_tcx_sport_other_says_nothing_so_the_pace_decides(tmp_path: Path) -> None:
    data = tcx_run(START, 5, sport="Other", speed_mps=8, strides_per_min=None)
    ride = accepted(read_bytes(tmp_path, "0001.tcx", data)).recordings[0]
    assert (ride.sport, ride.sport_source) == (Sport.CYCLING, SportSource.PACE)


def test_tcx_that_is_not_xml_is_refused_with_the_parser_message(tmp_path: Path) -> None:
    data = tcx_run(START, 2)[:-40]
    assert refused(read_bytes(tmp_path, "a.tcx", data)).startswith("not valid XML: ")


def test_a_tcx_without_an_activity_is_refused(tmp_path: Path) -> None:
    data = b'<TrainingCenterDatabase xmlns="x"><Courses/></TrainingCenterDatabase>'
    assert "holds no activity" in refused(read_bytes(tmp_path, "a.tcx", data))


def test_xml_that_is_neither_gpx_nor_tcx_is_refused(tmp_path: Path) -> None:
    reason = refused(read_bytes(tmp_path, "a.gpx", b"<kml><Document/></kml>"))
    assert reason == "not a FIT, GPX or TCX file: its XML is <kml>"
