"""The importers against 30 real watch files from public repositories (see SOURCES.md next to
them): which are read, as which sports, and which are refused and why.

The files stay in the shared fixtures folder, outside the repository (some are GPL or AGPL);
these tests skip when it is absent.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from runrehab.adapters.watch import ReadFile, RejectedFile, Source, discover, read_source
from runrehab.engine.activity import Recording, Sport, SportSource
from tests.conftest import SHARED

FIXTURES = SHARED / "fixtures" / "activities"

pytestmark = pytest.mark.skipif(
    not FIXTURES.is_dir(), reason=f"the real activity files are not at {FIXTURES}"
)

RUN, RIDE, SWIM, WALK = Sport.RUNNING, Sport.CYCLING, Sport.SWIMMING, Sport.WALKING


@dataclass(frozen=True)
class Read:
    """Accepted: the sports of its recordings, and words the partial note must contain."""

    sports: tuple[Sport, ...]
    partial: str | None = None
    source: SportSource = SportSource.FILE


@dataclass(frozen=True)
class Refused:
    """Refused, with words the reason must contain."""

    words: str


RELATIVE = "count from when the device was switched on"

EXPECTED: dict[str, Read | Refused] = {
    "fit/activitylog2__310xt-run.fit": Read((RUN,)),
    "fit/activitylog2__920xt-run.fit": Read((RUN,)),
    "fit/firefly-saf__fit_format_test_File.FIT": Read((RUN,)),
    "fit/fitparse__2013-02-06-12-11-14.fit": Read((RUN,)),
    "fit/fitparse__activity-small-fenix2-run.fit": Read((RUN,)),
    "fit/fitparse__antfs-dump.63.fit": Refused(RELATIVE),
    "fit/fitparse__compressed-speed-distance.fit": Refused(RELATIVE),
    "fit/fitparse__coros-pace-2-cycling-misaligned-fields.fit": Read((RIDE,)),
    "fit/fitparse__developer-types-sample.fit": Read((RUN,)),
    "fit/fitparse__garmin-fenix-5-run.fit": Read((RUN,)),
    "fit/fitparse__nick.fit": Read(
        (RIDE,), "the file is cut off at byte 403456; the 14391 records before that were kept"
    ),
    "fit/fitparse__sample_mulitple_header.fit": Read((SWIM, RIDE, RUN)),
    # Its 472 readable records cover 0.93 of the session's 11.27 km: consistent, so kept.
    "fit/fitparse__strava-android-app-201.10-b1218918.fit": Read(
        (RUN,), "the file is damaged at byte 7471; the 472 records before that were kept"
    ),
    "fit/sportslib__6782987395.fit": Read((RUN,)),
    "fit/sportslib__6860622783-treadmill.fit": Read((RUN,)),
    "fit/sportslib__6909950168.fit": Read((RUN,)),
    "fit/sportslib__6916663933.fit": Read((RUN,)),
    "fit/tormoder-fit__mornindew-broken.fit": Read((RUN,)),
    "gpx/gpxpy__Mojstrovka.gpx": Refused("its times are broken (1901-12-13 20:45:52)"),
    "gpx/sportslib__6782987395.gpx": Read((RUN,)),
    "gpx/sportslib__amazfit.gpx": Read((RUN,)),
    "gpx/togeojson__Friday-Evening-Run.gpx": Refused(
        "too sparse to measure: 17 points over 43 minutes"
    ),
    "gpx/togeojson__apple_watch_route.gpx": Read((WALK,), source=SportSource.PACE),
    "gpx/togeojson__run.gpx": Read((RUN,), source=SportSource.FILE_NAME),
    "gpx/togeojson__run_gpxtpx.gpx": Read((RUN,), source=SportSource.FILE_NAME),
    "tcx/sportslib__6281425038.tcx": Read((RUN,)),
    "tcx/sportslib__6782987395.tcx": Read((RUN,)),
    "tcx/sportslib__6860622783-treadmill.tcx": Read((RUN,)),
    "tcx/tcxparser__test.tcx": Read((RUN,)),
    "tcx/togeojson__sample.tcx": Refused("too sparse to measure: 19 points over 24 minutes"),
}


class Results(Mapping[str, ReadFile | RejectedFile]):
    """Every fixture found, keyed by its path under the fixtures folder, each read when a test
    first asks for it and kept: a test process reads only the files its tests need (the test
    processes share the files out, not each read all of them)."""

    def __init__(self) -> None:
        found = discover([FIXTURES])
        assert found.rejected == () and found.skipped == 1  # SOURCES.md
        self._sources = {
            Path(source.path).relative_to(FIXTURES).as_posix(): source for source in found.sources
        }
        self._read: dict[str, ReadFile | RejectedFile] = {}

    def __getitem__(self, name: str) -> ReadFile | RejectedFile:
        if name not in self._read:
            self._read[name] = read_source(self._sources[name])
        return self._read[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._sources)

    def __len__(self) -> int:
        return len(self._sources)


@pytest.fixture(scope="module")
def results() -> Results:
    return Results()


def _read(results: Results, name: str) -> ReadFile:
    result = results[name]
    assert isinstance(result, ReadFile), f"{name} refused: {result}"
    return result


def _last(values: tuple[float | None, ...]) -> float | None:
    return next((v for v in reversed(values) if v is not None), None)


def test_every_fixture_has_an_expectation(results: Results) -> None:
    assert sorted(results) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_fixture_is_read_or_refused_as_expected(results: Results, name: str) -> None:
    expected, result = EXPECTED[name], results[name]
    if isinstance(expected, Refused):
        assert isinstance(result, RejectedFile), f"{name} was accepted"
        assert expected.words in result.reason
        return
    assert not isinstance(result, RejectedFile), f"{name} refused: {result.reason}"
    assert tuple(r.sport for r in result.recordings) == expected.sports
    assert {r.sport_source for r in result.recordings} == {expected.source}
    assert [r.partial for r in result.recordings] == [expected.partial] * len(expected.sports)
    assert result.format == name[:3]
    for recording in result.recordings:
        _assert_well_formed(recording)
        if name.startswith("fit/") and expected.partial is None:
            _assert_agrees_with_its_summary(recording, name)


def _assert_well_formed(recording: Recording) -> None:
    track = recording.track
    assert recording.start.utcoffset() == timedelta(0)
    assert track.seconds[0] == 0.0
    assert all(b >= a for a, b in zip(track.seconds, track.seconds[1:], strict=False))
    columns = (track.distance_m, track.latitude, track.longitude, track.altitude_m)
    assert all(len(column) == len(track) for column in columns)
    steps = [c for c in track.cadence_spm if c]
    if steps and recording.sport is Sport.RUNNING:
        assert 120 < sum(steps) / len(steps) < 200  # steps, not strides, per minute


def _assert_agrees_with_its_summary(recording: Recording, name: str) -> None:
    """A FIT recording read whole agrees with the watch's own session summary."""
    summary = recording.summary
    assert summary is not None and summary.elapsed_s is not None, name
    elapsed = recording.track.seconds[-1]
    assert elapsed == pytest.approx(summary.elapsed_s, rel=0.01), name
    distance = _last(recording.track.distance_m)
    if summary.distance_m and distance is not None:
        assert distance == pytest.approx(summary.distance_m, rel=0.01), name


def test_fit_tracks_agree_with_their_session_summary() -> None:
    """Each FIT recording read whole is compared with its summary as its file is checked
    (above); these are 13 single-session files and the triathlon's swim, ride and run."""
    compared = [
        sport
        for name, expected in EXPECTED.items()
        if name.startswith("fit/") and isinstance(expected, Read) and expected.partial is None
        for sport in expected.sports
    ]
    assert len(compared) == 16


def test_the_triathlon_run_leg(results: Results) -> None:
    swim, ride, run = _read(results, "fit/fitparse__sample_mulitple_header.fit").recordings
    assert run.track.seconds[-1] == pytest.approx(47 * 60 + 31, abs=2)
    assert run.summary is not None and run.summary.distance_m is not None
    assert round(run.summary.distance_m / 1000, 2) == 9.81
    assert (swim.sub_sport, set(swim.track.cadence_spm), set(ride.track.cadence_spm)) == (
        "open_water",
        {None},
        {None},
    )
    assert [r.utc_offset_minutes for r in (swim, ride, run)] == [120, 120, 120]


def test_the_cut_off_ride_and_the_malformed_run(
    results: Results,
) -> None:
    (ride,) = _read(results, "fit/fitparse__nick.fit").recordings
    assert ride.summary is None and ride.device == "sigmasport 46"
    assert _last(ride.track.distance_m) == pytest.approx(113_550, abs=10)
    (run,) = _read(results, "fit/fitparse__strava-android-app-201.10-b1218918.fit").recordings
    assert run.summary is not None and run.summary.distance_m == pytest.approx(11_274.04)
    assert _last(run.track.distance_m) == pytest.approx(928.25)  # 5 of its 59 minutes
    assert run.start.isoformat() == "2021-09-27T14:13:10+00:00"


def test_the_treadmill_run_keeps_every_point_in_both_formats(
    results: Results,
) -> None:
    for name in (
        "fit/sportslib__6860622783-treadmill.fit",
        "tcx/sportslib__6860622783-treadmill.tcx",
    ):
        (run,) = _read(results, name).recordings
        assert (len(run.track), run.indoor) == (3101, True), name
        assert set(run.track.latitude) == {None}


def test_the_coros_file_with_misaligned_fields_is_read_whole(
    results: Results,
) -> None:
    (ride,) = _read(results, "fit/fitparse__coros-pace-2-cycling-misaligned-fields.fit").recordings
    assert len(ride.track) == 11272
    assert ride.partial is None


def test_local_offsets_and_devices(results: Results) -> None:
    (run,) = _read(results, "fit/sportslib__6782987395.fit").recordings
    assert (run.utc_offset_minutes, run.device) == (-240, "garmin fr945")  # New York in June
    (indoor,) = _read(results, "fit/sportslib__6860622783-treadmill.fit").recordings
    assert indoor.utc_offset_minutes == -300  # New York in February


def test_one_run_in_three_formats_agrees(results: Results) -> None:
    files = [
        _read(results, f"{kind}/sportslib__6782987395.{kind}") for kind in ("fit", "gpx", "tcx")
    ]
    runs = [f.recordings[0] for f in files]
    assert {r.start.replace(microsecond=0) for r in runs} == {runs[0].start}
    assert runs[0].start.isoformat() == "2019-06-15T09:42:23+00:00"
    elapsed = [r.track.seconds[-1] for r in runs]
    assert max(elapsed) - min(elapsed) <= 2
    cadence = [sum(c for c in r.track.cadence_spm if c) / len(r.track) for r in runs]
    assert max(cadence) - min(cadence) < 2  # each format's strides doubled alike
    assert len({f.content_hash for f in files}) == 3


def test_identical_bytes_give_identical_hashes(results: Results, tmp_path: Path) -> None:
    original = FIXTURES / "fit" / "sportslib__6782987395.fit"
    packed = tmp_path / "6782987395.fit.gz"
    packed.write_bytes(gzip.compress(original.read_bytes()))
    again = read_source(Source(str(packed), str(packed)))
    assert isinstance(again, ReadFile)
    assert again.content_hash == _read(results, "fit/sportslib__6782987395.fit").content_hash
