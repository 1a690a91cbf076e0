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


_MEASURED: dict[str, MovementResult] = {}
"""Each clip measured once per test process (its landmarks extracted once)."""


def measured(name: str, config: pytest.Config) -> MovementResult:
    if name not in _MEASURED:
        exercise = EXERCISE.get(name.split("_")[0] if not name.startswith("air") else "air_squat")
        series = _series(CLIPS / name, getattr(config, "cache", None))
        _MEASURED[name] = analyse_series(series, exercise or Exercise.STEP_DOWN)
    return _MEASURED[name]


def _clips() -> list[str]:
    return sorted(counted_reps()) if (CLIPS / "SOURCES.md").exists() else []


@needs_clips
def test_sources_md_lists_five_clips_four_of_them_countable() -> None:
    counts = counted_reps()
    assert len(counts) == 5 and sum(c is not None for c in counts.values()) == 4


def _step_up(result: MovementResult) -> None:
    """Graded poorly tracked, not counted."""
    assert result.tracking.grade is Grade.POOR
    assert result.rep_count is None and result.reps == ()
    aside = {a.reason: a.frames for a in result.tracking.set_aside}
    assert aside["no_pose"] > 8 * 15  # the title and end cards: over 8 s at 15 frames a second
    assert aside.get("outside_image", 0) + aside.get("implausible", 0) > 0  # the close-ups
    assert [f.rule for f in result.findings] == ["movement-tracking-poor"]


def _view_changes(result: MovementResult) -> None:
    """SOURCES.md: front to 8.7 s, side 9 to 26.4 s, front again from 27 s; 2, 4 and 3 reps."""
    assert [v.view for v in result.views] == [View.FRONT, View.SIDE, View.FRONT]
    assert abs(result.views[1].start_s - 8.7) <= 1.0
    assert abs(result.views[2].start_s - 26.4) <= 1.0
    assert [r.view for r in result.reps] == [View.FRONT] * 2 + [View.SIDE] * 4 + [View.FRONT] * 3
    side = [r for r in result.reps if r.view is View.SIDE]
    assert all(r.knee_flexion_max_deg is not None and r.fppa_deg is None for r in side)
    assert all(r.knee_flexion_max_deg is None for r in result.reps if r.view is View.FRONT)
    assert "movement-view-changed" in [f.rule for f in result.findings]


def _lunges(result: MovementResult) -> None:
    """Front view, the legs alternating."""
    assert result.view is View.FRONT
    sides = [r.side for r in result.reps]
    assert Side.BOTH not in sides and all(a is not b for a, b in itertools.pairwise(sides))


def _loaded_squat(result: MovementResult) -> None:
    """Bottoms where SOURCES.md says, after 9 s of standing still."""
    assert result.view is View.SIDE
    assert [round(r.bottom_s) for r in result.reps] == [10, 17]  # 10.5 s and 17.3 s
    assert all(r.start_s > 8.0 for r in result.reps)  # the first 9 s stand still


CLIP_CHECKS = {
    "step_up_side__tomnotch-wahoo.mp4": _step_up,
    "air_squat_front_side__mrpose.mp4": _view_changes,
    "lunge_front__vengaza-aitrainer.mp4": _lunges,
    "squat_side_loaded__rohanx01.mp4": _loaded_squat,
}
CLI_CLIP = "squat_side__yuyoujiang.mp4"
"""The shortest clip (10.7 s): measured through the command line instead (one extraction)."""


@needs_clips
@pytest.mark.parametrize("name", [n for n in _clips() if n != CLI_CLIP])
def test_each_clip_has_the_reps_sources_md_counts_and_what_it_shows(
    name: str, request: pytest.FixtureRequest
) -> None:
    """One test a clip, so each is decoded once and test workers can share them out."""
    result = measured(name, request.config)
    count = counted_reps()[name]
    if count is not None:
        assert result.rep_count == count, name
        assert result.tracking.grade is Grade.GOOD, name
    CLIP_CHECKS[name](result)


@needs_clips
def test_the_command_line_prints_the_json_of_a_real_clip() -> None:
    from typer.testing import CliRunner

    from runrehab.cli.main import app

    assert CLI_CLIP in counted_reps()
    clip = CLIPS / CLI_CLIP
    result = CliRunner().invoke(app, ["movement", str(clip), "--exercise", "squat", "--json"])
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    count = counted_reps()[CLI_CLIP]
    assert (document["exercise"], document["view"], document["rep_count"]) == ("squat", "side", 3)
    assert document["rep_count"] == count
    # 322 frames at 30 a second: Pose sees every other one (``max_fps``, 15)
    assert document["frames"] == 161 and 0 < document["frames_with_pose"] < 161
    assert document["tracking"]["grade"] == Grade.GOOD.value, document["tracking"]
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
    # 25 frames at 25 a second: Pose sees 15 of them (``max_fps``), each at its own time
    assert len(series.frames) == 15 and all(f.points is None for f in series.frames)
    assert series.frames[1].t == 0.08 and series.frames[-1].t < 1.0
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
