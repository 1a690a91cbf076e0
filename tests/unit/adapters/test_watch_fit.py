"""FIT files read into recordings: samples, sport, legs, and every way a FIT file goes wrong."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from pathlib import Path

import fitdecode  # type: ignore[import-untyped]
import pytest
from fitdecode import utils as fit_utils

from runrehab.engine.activity import Sport, SportSource
from tests.watchfiles import (
    FitLeg,
    accepted,
    fit_crc,
    fit_crc_reference,
    fit_run,
    fit_without_records,
    read_bytes,
    refused,
)

START = datetime(2024, 5, 1, 7, 0, tzinfo=UTC)


def test_the_encoder_writes_files_fitdecode_accepts_with_strict_crc_checks() -> None:
    data = fit_run(START, 2)
    names = [
        frame.name
        for frame in fitdecode.FitReader(
            io.BytesIO(data),
            check_crc=fitdecode.CrcCheck.RAISE,
            error_handling=fitdecode.ErrorHandling.RAISE,
        )
        if frame.frame_type == fitdecode.FIT_FRAME_DATA
    ]
    assert names.count("record") == 121
    assert {"file_id", "event", "lap", "session", "activity"} <= set(names)
    assert fit_crc(data[:-2]) == fit_utils.compute_crc(data[:-2])


@pytest.mark.parametrize("data", [b"", b"a", b"ab", b"abc", bytes(range(256)) * 3])
def test_the_fast_crc_matches_the_sdk_nibble_crc(data: bytes) -> None:
    assert fit_crc(data) == fit_crc_reference(data) == (fit_utils.compute_crc(data) if data else 0)


def test_a_run_gives_samples_sport_start_offset_device_and_summary(tmp_path: Path) -> None:
    data = fit_run(START, 30, climb_m=20)
    read = accepted(read_bytes(tmp_path, "a.fit", data))
    assert (read.format, read.size_bytes, len(read.recordings)) == ("fit", len(data), 1)
    run = read.recordings[0]
    assert (run.sport, run.sport_source, run.sub_sport) == (
        Sport.RUNNING,
        SportSource.FILE,
        "generic",
    )
    assert run.start == START and run.start.tzinfo is not None
    assert (run.utc_offset_minutes, run.device, run.indoor, run.partial) == (
        60,
        "garmin fr945",
        False,
        None,
    )
    track = run.track
    assert len(track) == 1801
    assert (track.seconds[0], track.seconds[-1]) == (0.0, 1800.0)
    assert track.distance_m[-1] == pytest.approx(5040.0)
    assert track.latitude[0] == pytest.approx(51.5, abs=1e-6)  # semicircles -> degrees
    assert track.longitude[0] == pytest.approx(-0.1, abs=1e-6)
    assert max(a for a in track.altitude_m if a is not None) == pytest.approx(120.0, abs=0.2)
    assert set(track.heart_rate) == {140}
    assert set(track.speed_mps) == {2.8}
    assert run.summary is not None
    assert (run.summary.elapsed_s, run.summary.distance_m) == (1800.0, 5040.0)
    assert (run.summary.ascent_m, run.summary.avg_heart_rate) == (20, 140)


def test_running_cadence_becomes_steps_per_minute_with_the_fraction(tmp_path: Path) -> None:
    run = accepted(read_bytes(tmp_path, "a.fit", fit_run(START, 2, strides_per_min=82.5)))
    recording = run.recordings[0]
    assert set(recording.track.cadence_spm) == {165.0}
    assert recording.summary is not None and recording.summary.cadence_spm == 165.0


def test_cycling_cadence_is_pedal_rpm_so_no_step_cadence_is_kept(tmp_path: Path) -> None:
    data = fit_run(START, 2, sport="cycling", sub_sport="road", speed_mps=8, strides_per_min=90)
    ride = accepted(read_bytes(tmp_path, "a.fit", data)).recordings[0]
    assert ride.sport is Sport.CYCLING
    assert set(ride.track.cadence_spm) == {None}
    assert ride.summary is not None and ride.summary.cadence_spm is None


def test_a_treadmill_run_without_gps_keeps_every_sample_and_is_indoor(tmp_path: Path) -> None:
    data = fit_run(START, 10, gps=False, sub_sport="treadmill")
    run = accepted(read_bytes(tmp_path, "a.fit", data)).recordings[0]
    assert (run.sub_sport, run.indoor, len(run.track)) == ("treadmill", True, 601)
    assert set(run.track.latitude) == {None}
    assert run.track.distance_m[-1] == pytest.approx(1680.0)


def test_no_position_but_a_distance_counts_as_indoor(tmp_path: Path) -> None:
    run = accepted(read_bytes(tmp_path, "a.fit", fit_run(START, 5, gps=False))).recordings[0]
    assert run.indoor


def test_a_chained_triathlon_keeps_each_leg_and_drops_the_transitions(tmp_path: Path) -> None:
    legs = [
        FitLeg("swimming", 10, 1.0, "open_water", None),
        FitLeg("transition", 2, 1.5),
        FitLeg("cycling", 20, 8.0, "road", 85),
        FitLeg("transition", 1, 1.5),
        FitLeg("running", 15, 3.0, cadence=85),
    ]
    data = fit_run(START, legs=legs, chained=True)
    read = accepted(read_bytes(tmp_path, "tri.fit", data))
    _swim, ride, run = read.recordings
    assert [r.sport for r in read.recordings] == [Sport.SWIMMING, Sport.CYCLING, Sport.RUNNING]
    assert [r.track.seconds[-1] for r in read.recordings] == [600.0, 1200.0, 900.0]
    assert [len(r.track) for r in read.recordings] == [601, 1201, 901]
    # Distance counts from each leg's start although the device's count runs on.
    assert ride.track.distance_m[0] == 0.0
    assert run.track.distance_m[-1] == pytest.approx(2700.0)
    assert run.summary is not None and run.summary.distance_m == pytest.approx(2700.0)
    assert set(run.track.cadence_spm) == {170.0}
    assert set(ride.track.cadence_spm) == {None}
    assert run.start == datetime(2024, 5, 1, 7, 33, 4, tzinfo=UTC)  # legs 1 s apart


def test_several_sessions_in_one_fit_file_are_legs_too(tmp_path: Path) -> None:
    legs = [FitLeg("cycling", 5, 7.5, cadence=90), FitLeg("running", 5, 3.0)]
    read = accepted(read_bytes(tmp_path, "brick.fit", fit_run(START, legs=legs)))
    assert [(r.sport, len(r.track)) for r in read.recordings] == [
        (Sport.CYCLING, 301),
        (Sport.RUNNING, 301),
    ]


def test_times_counted_from_switching_on_are_refused(tmp_path: Path) -> None:
    reason = refused(read_bytes(tmp_path, "a.fit", fit_run(START, 5, relative_times=True)))
    assert "count from when the device was switched on" in reason
    assert "can't be placed on a day" in reason


@pytest.mark.parametrize(
    ("speed", "sport"),
    [(1.3, Sport.WALKING), (2.8, Sport.RUNNING), (8.0, Sport.CYCLING)],
)
def test_without_a_session_the_pace_decides(tmp_path: Path, speed: float, sport: Sport) -> None:
    data = fit_run(START, 5, speed_mps=speed, summary=False)
    recording = accepted(read_bytes(tmp_path, "0001.fit", data)).recordings[0]
    assert (recording.sport, recording.sport_source) == (sport, SportSource.PACE)
    assert (recording.summary, recording.partial, recording.utc_offset_minutes) == (
        None,
        None,
        None,
    )


def test_without_a_session_the_export_list_then_the_file_name_decide(tmp_path: Path) -> None:
    data = fit_run(START, 5, summary=False)
    hinted = accepted(read_bytes(tmp_path, "0001.fit", data, sport_hint="Ride")).recordings[0]
    assert (hinted.sport, hinted.sport_source) == (Sport.CYCLING, SportSource.EXPORT_LIST)
    named = accepted(read_bytes(tmp_path, "evening_walk.fit", data)).recordings[0]
    assert (named.sport, named.sport_source) == (Sport.WALKING, SportSource.FILE_NAME)


def test_a_file_that_says_running_stays_running_at_walking_pace(tmp_path: Path) -> None:
    data = fit_run(START, 5, speed_mps=1.2)
    run = accepted(read_bytes(tmp_path, "walk.fit", data, sport_hint="Walk")).recordings[0]
    assert (run.sport, run.sport_source) == (Sport.RUNNING, SportSource.FILE)


def test_a_cut_off_file_keeps_what_makes_a_whole_activity(tmp_path: Path) -> None:
    whole = fit_run(START, 20, summary=False)
    cut = whole[: len(whole) // 2]
    run = accepted(read_bytes(tmp_path, "a.fit", cut)).recordings[0]
    assert run.partial is not None
    match = re.fullmatch(
        r"the file is cut off at byte (\d+); the (\d+) records before that were kept", run.partial
    )
    assert match is not None, run.partial
    assert len(cut) - 40 <= int(match.group(1)) <= len(cut)
    assert int(match.group(2)) == len(run.track)
    assert 500 < len(run.track) < 700
    assert run.sport is Sport.RUNNING


def test_a_file_cut_off_before_a_minute_of_records_is_refused(tmp_path: Path) -> None:
    whole = fit_run(START, 20)
    reason = refused(read_bytes(tmp_path, "a.fit", whole[:1200]))
    assert re.fullmatch(
        r"the file is damaged at byte \d+ and what comes before it is not a whole activity", reason
    )


def test_a_file_damaged_in_its_records_keeps_the_part_before(tmp_path: Path) -> None:
    whole = bytearray(fit_run(START, 10, summary=False))
    record_size = 1 + 4 + 4 + 4 + 4 + 4 + 2 + 1 + 1 + 1  # header byte and the record's fields
    damage_at = len(whole) - 2 - 200 * record_size  # 200 records before the file's CRC
    whole[damage_at] = 0x0F  # a data message for a local message that was never defined
    run = accepted(read_bytes(tmp_path, "a.fit", bytes(whole))).recordings[0]
    assert (
        run.partial
        == f"the file is damaged at byte {damage_at}; the 401 records before that were kept"
    )
    assert len(run.track) == 401


def test_a_file_without_records_is_a_settings_or_course_file(tmp_path: Path) -> None:
    reason = refused(read_bytes(tmp_path, "settings.fit", fit_without_records(START)))
    assert reason == "the file holds no recorded samples (a settings or course file?)"


def test_a_fit_name_without_a_fit_header_is_refused(tmp_path: Path) -> None:
    reason = refused(read_bytes(tmp_path, "a.fit", b"this is a text file, not a watch file"))
    assert reason == "not a FIT file: it has no FIT header"


def test_a_fit_file_is_recognised_by_its_content_whatever_its_name(tmp_path: Path) -> None:
    read = accepted(read_bytes(tmp_path, "download.bin", fit_run(START, 2)))
    assert read.format == "fit"
