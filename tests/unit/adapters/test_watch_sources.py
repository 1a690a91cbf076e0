"""Finding activity files in folders, zips and bulk exports, and the refusals that come before
any format is read: missing paths, broken archives and compression, size limits, empty files."""

from __future__ import annotations

import gzip
import multiprocessing
import os
import pickle
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from runrehab.adapters.watch import Limits, ReadFile, Source, discover, read_source
from runrehab.adapters.watch import sources as watch_sources
from runrehab.engine.activity import Sport, SportSource
from tests.watchfiles import (
    accepted,
    fit_run,
    garmin_export_zip,
    gpx_run,
    gz,
    read_bytes,
    refused,
    strava_export_zip,
    tcx_run,
)

START = datetime(2024, 5, 1, 7, 0, tzinfo=UTC)
SMALL_FIT = fit_run(START, 2)


def _names(sources: tuple[Source, ...]) -> list[str]:
    return [s.label.rsplit("/", 1)[-1] for s in sources]


def test_a_folder_is_walked_in_order_and_other_files_are_counted(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "b.GPX").write_bytes(gpx_run(START, 2))
    (tmp_path / "a.fit").write_bytes(SMALL_FIT)
    (tmp_path / "c.tcx.gz").write_bytes(gz(tcx_run(START, 2)))
    (tmp_path / "sub" / "d.FIT").write_bytes(SMALL_FIT)
    for other in ("notes.txt", "photo.jpg", "sub/data.csv", "._a.fit"):
        (tmp_path / other).write_bytes(b"x")
    found = discover([tmp_path])
    assert _names(found.sources) == ["a.fit", "b.GPX", "c.tcx.gz", "d.FIT"]
    assert (found.skipped, found.rejected) == (4, ())
    assert found.sources[0] == Source(str(tmp_path / "a.fit"), str(tmp_path / "a.fit"))
    assert all(isinstance(read_source(s), ReadFile) for s in found.sources)


def test_discovery_reads_no_activity_file(tmp_path: Path) -> None:
    (tmp_path / "broken.fit").write_bytes(b"not a fit file at all")
    found = discover([tmp_path / "broken.fit"])
    assert (len(found.sources), found.rejected) == (1, ())


def test_a_missing_path_is_refused(tmp_path: Path) -> None:
    found = discover([tmp_path / "nowhere.fit"])
    assert found.sources == ()
    (rejected,) = found.rejected
    assert (rejected.source.label, rejected.reason) == (
        str(tmp_path / "nowhere.fit"),
        "no such file or folder",
    )


def test_a_named_file_that_is_no_activity_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("my long run felt great")
    (rejected,) = discover([tmp_path / "notes.txt"]).rejected
    assert rejected.reason == "not a FIT, GPX or TCX file"


def test_a_named_file_with_another_extension_is_recognised_by_its_content(
    tmp_path: Path,
) -> None:
    (tmp_path / "track.xml").write_bytes(gpx_run(START, 2))
    (tmp_path / "watch.bin").write_bytes(SMALL_FIT)
    found = discover([tmp_path / "track.xml", tmp_path / "watch.bin"])
    assert (_names(found.sources), found.rejected) == (["track.xml", "watch.bin"], ())


def test_a_strava_export_gives_each_file_the_sport_of_its_list(tmp_path: Path) -> None:
    export = strava_export_zip(
        tmp_path / "export_1.zip",
        [
            ("activities/1.fit.gz", fit_run(START, 2), "Ride"),
            ("activities/2.gpx", gpx_run(START, 2, type_=None, speed_mps=1.3), "Walk"),
            ("activities/3.tcx.gz", tcx_run(START, 2, sport="Other"), "Virtual Run"),
        ],
    )
    found = discover([str(export)])
    assert [s.label for s in found.sources] == [
        f"{export}:activities/1.fit.gz",
        f"{export}:activities/2.gpx",
        f"{export}:activities/3.tcx.gz",
    ]
    assert [s.sport_hint for s in found.sources] == ["Ride", "Walk", "Virtual Run"]
    assert found.sources[0].members == ("activities/1.fit.gz",)
    assert found.skipped == 3  # activities.csv, profile.csv, media/photo.jpg
    fit, walk, tcx = (accepted(read_source(s)).recordings[0] for s in found.sources)
    assert (fit.sport, fit.sport_source) == (Sport.RUNNING, SportSource.FILE)  # the file wins
    assert (walk.sport, walk.sport_source) == (Sport.WALKING, SportSource.EXPORT_LIST)
    assert (tcx.sport, tcx.sport_source) == (Sport.RUNNING, SportSource.EXPORT_LIST)


def test_an_unpacked_strava_export_folder_uses_its_list_too(tmp_path: Path) -> None:
    (tmp_path / "activities").mkdir()
    (tmp_path / "activities" / "7.gpx").write_bytes(gpx_run(START, 2, type_=None))
    (tmp_path / "activities.csv").write_text(
        "Activity ID,Activity Type,Filename\n7,Hike,activities/7.gpx\n"
    )
    (source,) = discover([tmp_path]).sources
    assert source.sport_hint == "Hike"


def test_an_activity_list_without_the_expected_columns_is_ignored(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "e.zip", "w") as archive:
        archive.writestr("activities.csv", "id,kind\n1,Run\n")
        archive.writestr("activities/1.gpx", gpx_run(START, 2))
    (source,) = discover([tmp_path / "e.zip"]).sources
    assert source.sport_hint is None


def test_a_garmin_export_opens_the_zip_inside_the_zip(tmp_path: Path) -> None:
    export = garmin_export_zip(
        tmp_path / "garmin.zip",
        [("run_1.fit", fit_run(START, 2)), ("ride_2.fit", fit_run(START, 2, sport="cycling"))],
    )
    found = discover([export])
    inner = "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip"
    assert [s.members for s in found.sources] == [(inner, "ride_2.fit"), (inner, "run_1.fit")]
    assert found.sources[1].label == f"{export}:{inner}:run_1.fit"
    assert found.skipped == 2
    sports = [accepted(read_source(s)).recordings[0].sport for s in found.sources]
    assert sports == [Sport.CYCLING, Sport.RUNNING]


def test_a_source_survives_pickling_for_a_worker_process(tmp_path: Path) -> None:
    export = garmin_export_zip(tmp_path / "g.zip", [("a.fit", SMALL_FIT)])
    (source,) = discover([export]).sources
    again = pickle.loads(pickle.dumps(source))
    assert again == source
    assert accepted(read_source(again)).content_hash == accepted(read_source(source)).content_hash


def test_a_corrupt_zip_is_refused(tmp_path: Path) -> None:
    (tmp_path / "export.zip").write_bytes(b"PK\x03\x04 this archive was cut short")
    (rejected,) = discover([tmp_path / "export.zip"]).rejected
    assert rejected.reason.startswith("not a readable zip archive: ")


def test_a_member_missing_from_its_zip_is_refused(tmp_path: Path) -> None:
    export = garmin_export_zip(tmp_path / "g.zip", [("a.fit", SMALL_FIT)])
    source = Source("g.zip:gone.fit", str(export), ("gone.fit",))
    assert refused(read_source(source)) == "the zip archive has no file named gone.fit"


def test_gzip_is_undone_and_the_hash_is_of_the_plain_bytes(tmp_path: Path) -> None:
    plain = accepted(read_bytes(tmp_path, "a.fit", SMALL_FIT))
    packed = accepted(read_bytes(tmp_path, "a.fit.gz", gz(SMALL_FIT)))
    assert packed.content_hash == plain.content_hash
    assert packed.size_bytes == plain.size_bytes == len(SMALL_FIT)
    assert packed.recordings == plain.recordings


def test_the_same_bytes_give_the_same_hash_and_other_bytes_another(tmp_path: Path) -> None:
    first = accepted(read_bytes(tmp_path, "a.fit", SMALL_FIT))
    copy = accepted(read_bytes(tmp_path, "copy of a.fit", SMALL_FIT))
    other = accepted(read_bytes(tmp_path, "b.fit", fit_run(START, 2, hr=141)))
    assert first.content_hash == copy.content_hash != other.content_hash
    assert len(first.content_hash) == 64


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    assert refused(read_bytes(tmp_path, "a.fit", b"")) == "the file is empty"
    assert refused(read_bytes(tmp_path, "a.gpx.gz", gz(b""))) == "the file is empty"


def test_broken_gzip_is_refused(tmp_path: Path) -> None:
    broken = gz(SMALL_FIT)[:-30] + b"\x00" * 30
    assert refused(read_bytes(tmp_path, "a.fit.gz", broken)) == "the gzip compression is corrupt"


@pytest.mark.parametrize(
    ("name", "pack", "reason"),
    [
        ("a.fit", lambda b: b, "too big: over 2000 bytes"),
        ("a.fit.gz", gz, "too big: over 2000 bytes once decompressed"),  # 1.7 KB packed
    ],
)
def test_files_over_the_size_limit_are_refused(
    tmp_path: Path, name: str, pack: object, reason: str
) -> None:
    data = pack(SMALL_FIT)  # type: ignore[operator]
    assert refused(read_bytes(tmp_path, name, data, limits=Limits(max_file_bytes=2000))) == reason


def test_a_zip_member_over_the_size_limit_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    bomb = b"\x00" * 5_000_000  # compresses to a few kilobytes
    with zipfile.ZipFile(tmp_path / "bomb.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.fit", bomb)
    (source,) = discover([tmp_path / "bomb.zip"]).sources
    reason = refused(read_source(source, Limits(max_file_bytes=1024 * 1024)))
    assert reason == "too big: over 1 MB once decompressed"


def test_a_gzip_bomb_is_read_no_further_than_the_limit(tmp_path: Path) -> None:
    bomb = gzip.compress(b"\x00" * 20_000_000)  # 20 KB packed
    limits = Limits(max_file_bytes=1024 * 1024)
    assert refused(read_bytes(tmp_path, "b.fit.gz", bomb, limits=limits)) == (
        "too big: over 1 MB once decompressed"
    )
    packed_over = refused(
        read_bytes(tmp_path, "c.fit.gz", bomb, limits=Limits(max_file_bytes=2048))
    )
    assert packed_over == "too big: over 2 KB"


def test_reading_never_raises_for_a_path_that_is_not_a_file(tmp_path: Path) -> None:
    assert refused(read_source(Source("x", str(tmp_path)))) == "it is a folder, not a file"
    assert refused(read_source(Source("y", str(tmp_path / "y.fit")))) == "no such file or folder"


def test_a_zip_rewritten_between_reads_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "g.zip"
    garmin_export_zip(path, [("a.fit", fit_run(START, 2))])
    (source,) = discover([path]).sources
    before = accepted(read_source(source)).content_hash
    garmin_export_zip(path, [("a.fit", fit_run(START, 3))])
    assert accepted(read_source(source)).content_hash != before


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX only")
def test_forked_workers_do_not_share_the_parents_open_zip(tmp_path: Path) -> None:
    """A forked worker shares its parent's file offsets: reading through the parent's open zip
    would race with the parent and the other workers. Each worker opens its own."""
    runs = [(f"activities/{i}.fit", fit_run(START, 2, hr=120 + i), "Run") for i in range(8)]
    sources = discover([strava_export_zip(tmp_path / "s.zip", runs)]).sources
    expected = [accepted(read_source(s)).content_hash for s in sources]  # leaves the zip open
    assert _zip_kept_open()
    with multiprocessing.get_context("fork").Pool(2) as pool:
        inherited = pool.apply(_zip_kept_open)
        hashes = pool.map(_hash_of, sources, chunksize=1)
    assert (inherited, hashes) == (False, expected)


def _zip_kept_open() -> bool:
    return watch_sources._ARCHIVES._key is not None  # the cache behind read_source


def _hash_of(source: Source) -> str:
    return accepted(read_source(source)).content_hash
