"""The movement check on real clips (``../shared/fixtures/video``, see its SOURCES.md) and on
videos made here: MediaPipe Pose in its worker process, then the measures.

Skipped cleanly without the ``video`` extra (mediapipe) or without the shared clips. The
clips are never copied into the repository; their landmark series are cached in pytest's cache
(``.pytest_cache``, not in git) when the cache is on, keyed by the clip's SHA-256, so a second
run does not decode them again.
"""

from __future__ import annotations

import hashlib
import importlib.util
import itertools
import json
import re
from pathlib import Path
from typing import Any

import pytest

from runrehab.adapters.video.pose import PoseExtractor
from runrehab.engine.movement import Exercise, Frame, Grade, Point, Series, Side, View
from runrehab.services.movement.analysis import (
    MovementResult,
    VideoLimits,
    VideoRefused,
    analyse_series,
)
from tests.conftest import SHARED

CLIPS = SHARED / "fixtures" / "video"

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("mediapipe") is None, reason="needs the video extra (mediapipe)"
)
needs_clips = pytest.mark.skipif(not (CLIPS / "SOURCES.md").exists(), reason="no shared clips")

EXERCISE = {"squat": Exercise.SQUAT, "air_squat": Exercise.SQUAT, "lunge": Exercise.LUNGE}


def counted_reps() -> dict[str, int | None]:
    """Each clip's reps as SOURCES.md counts them (None: "not reliably countable")."""
    text = (CLIPS / "SOURCES.md").read_text(encoding="utf-8")
    table = text.split("## What each clip shows")[1].split("\n## ")[0]
    found: dict[str, int | None] = {}
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 9 and cells[0].endswith(".mp4"):
            count = re.match(r"(\d+)\b", cells[8])
            found[cells[0]] = int(count[1]) if count and "not reliably" not in cells[8] else None
    return found


def _series(path: Path, cache: Any) -> Series:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    key = f"runrehab/movement-landmarks/{path.stem}-{digest}"
    stored = cache.get(key, None) if cache is not None else None
    if stored is None:
        extracted = PoseExtractor(VideoLimits()).extract(path)
        stored = {
            "width": extracted.width,
            "height": extracted.height,
            "frames": [[f.t, f.points] for f in extracted.frames],
        }
        if cache is not None:
            cache.set(key, json.loads(json.dumps(stored)))
    frames = tuple(
        Frame(t, None if p is None else tuple(Point(*q) for q in p)) for t, p in stored["frames"]
    )
    return Series(frames, stored["width"], stored["height"])


@pytest.fixture(scope="module")
def measured(request: pytest.FixtureRequest) -> dict[str, MovementResult]:
    cache = getattr(request.config, "cache", None)
    results = {}
    for name in counted_reps():
        exercise = EXERCISE.get(name.split("_")[0] if not name.startswith("air") else "air_squat")
        series = _series(CLIPS / name, cache)
        results[name] = analyse_series(series, exercise or Exercise.STEP_DOWN)
    return results


@needs_clips
def test_every_countable_clip_has_the_reps_sources_md_counts(
    measured: dict[str, MovementResult],
) -> None:
    counts = counted_reps()
    assert len(counts) == 5 and sum(c is not None for c in counts.values()) == 4
    for name, count in counts.items():
        if count is not None:
            assert measured[name].rep_count == count, name
            assert measured[name].tracking.grade is Grade.GOOD, name


@needs_clips
def test_the_step_up_clip_is_graded_poorly_tracked_not_counted(
    measured: dict[str, MovementResult],
) -> None:
    result = measured["step_up_side__tomnotch-wahoo.mp4"]
    assert result.tracking.grade is Grade.POOR
    assert result.rep_count is None and result.reps == ()
    aside = {a.reason: a.frames for a in result.tracking.set_aside}
    assert aside["no_pose"] > 200  # the title and end cards
    assert aside.get("outside_image", 0) + aside.get("implausible", 0) > 0  # the close-ups
    assert [f.rule for f in result.findings] == ["movement-tracking-poor"]


@needs_clips
def test_the_clip_that_changes_view_is_measured_in_each_view(
    measured: dict[str, MovementResult],
) -> None:
    """SOURCES.md: front to 8.7 s, side 9 to 26.4 s, front again from 27 s; 2, 4 and 3 reps."""
    result = measured["air_squat_front_side__mrpose.mp4"]
    assert [v.view for v in result.views] == [View.FRONT, View.SIDE, View.FRONT]
    assert abs(result.views[1].start_s - 8.7) <= 1.0
    assert abs(result.views[2].start_s - 26.4) <= 1.0
    assert [r.view for r in result.reps] == [View.FRONT] * 2 + [View.SIDE] * 4 + [View.FRONT] * 3
    side = [r for r in result.reps if r.view is View.SIDE]
    assert all(r.knee_flexion_max_deg is not None and r.fppa_deg is None for r in side)
    assert all(r.knee_flexion_max_deg is None for r in result.reps if r.view is View.FRONT)
    assert "movement-view-changed" in [f.rule for f in result.findings]


@needs_clips
def test_the_lunges_alternate_legs_and_the_loaded_squat_bottoms_where_sources_md_says(
    measured: dict[str, MovementResult],
) -> None:
    lunges = measured["lunge_front__vengaza-aitrainer.mp4"]
    assert lunges.view is View.FRONT
    sides = [r.side for r in lunges.reps]
    assert Side.BOTH not in sides and all(a is not b for a, b in itertools.pairwise(sides))
    loaded = measured["squat_side_loaded__rohanx01.mp4"]
    assert loaded.view is View.SIDE
    assert [round(r.bottom_s) for r in loaded.reps] == [10, 17]  # 10.5 s and 17.3 s
    assert all(r.start_s > 8.0 for r in loaded.reps)  # the first 9 s stand still


@needs_clips
def test_the_command_line_prints_the_json_of_a_real_clip() -> None:
    from typer.testing import CliRunner

    from runrehab.cli.main import app

    clip = CLIPS / "squat_side__yuyoujiang.mp4"
    result = CliRunner().invoke(app, ["movement", str(clip), "--exercise", "squat", "--json"])
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert (document["exercise"], document["view"], document["rep_count"]) == ("squat", "side", 3)
    assert document["frames"] == 322 and 0 < document["frames_with_pose"] < 322
    assert all(r["fppa_deg"] is None and r["knee_flexion_max_deg"] > 90 for r in document["reps"])


# --- videos made here --------------------------------------------------------------------------


def _write_video(path: Path, seconds: float, fps: float = 25.0) -> Path:
    import cv2
    import numpy as np

    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), fps, (320, 240))
    for i in range(int(seconds * fps)):
        frame = np.full((240, 320, 3), (i * 3) % 255, dtype=np.uint8)
        writer.write(frame)
    writer.release()
    return path


def test_a_video_with_nobody_in_it_is_refused(tmp_path: Path) -> None:
    clip = _write_video(tmp_path / "empty.mp4", seconds=1.0)
    series = PoseExtractor(VideoLimits()).extract(clip)
    assert len(series.frames) == 25 and all(f.points is None for f in series.frames)
    with pytest.raises(VideoRefused) as refused:
        analyse_series(series, Exercise.SQUAT)
    assert refused.value.key == "nobody_in_view"


def test_a_video_longer_than_the_limit_is_refused(tmp_path: Path) -> None:
    clip = _write_video(tmp_path / "long.mp4", seconds=3.0)
    with pytest.raises(VideoRefused) as refused:
        PoseExtractor(VideoLimits(max_seconds=2.0)).extract(clip)
    assert refused.value.key == "too_long"
    assert refused.value.values == {"limit": f"{2.0 / 60:g}"}


def test_a_file_that_starts_like_a_video_but_does_not_decode_is_refused(tmp_path: Path) -> None:
    clip = tmp_path / "broken.mp4"
    clip.write_bytes(b"\x00\x00\x00\x20ftypisom" + bytes(range(256)) * 40)
    with pytest.raises(VideoRefused) as refused:
        PoseExtractor(VideoLimits()).extract(clip)
    assert refused.value.key == "unsupported_codec"
