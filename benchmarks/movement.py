"""Frames a second of the movement check, end to end, on the shared clips.

Goal (issue 18): at least real time, 30 frames a second, at 480p on the project's 2-core
machine. For each clip of ``../shared/fixtures/video`` (or the files given) it times:

- decode: OpenCV reading every frame and scaling it to 480 px on its shorter side;
- pose: decode plus MediaPipe Pose (model complexity 1) on every frame, in this process;
- end to end: what the movement check does, ``PoseExtractor.extract`` (a fresh worker
  process: its start and mediapipe's import included) then the measures
  (``engine.movement.analyse``).

    uv run --extra video python benchmarks/movement.py [CLIP ...] [--runs 1]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLIPS = ROOT.parent / "shared" / "fixtures" / "video"
GOAL_FPS = 30.0


def decode_only(path: Path, short_side: int) -> int:
    import cv2

    from runrehab.adapters.video.pose import _scaled

    capture = cv2.VideoCapture(str(path))
    frames = 0
    while True:
        ok, image = capture.read()
        if not ok:
            break
        _scaled(image, short_side)
        frames += 1
    capture.release()
    return frames


def main() -> None:
    from runrehab.adapters.video.pose import PoseExtractor, landmarks_of
    from runrehab.engine.movement import Exercise, analyse
    from runrehab.services.movement.analysis import shipped_movement_content

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clips", nargs="*", type=Path)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    clips = args.clips or sorted(CLIPS.glob("*.mp4"))
    if not clips:
        sys.exit(f"no clips: give some, or put them in {CLIPS}")
    content = shipped_movement_content()
    limits = content.limits
    extractor = PoseExtractor(limits)
    print(f"{'clip':40} {'frames':>6} {'decode':>8} {'pose':>8} {'end to end':>11}  (frames/s)")
    totals = {"frames": 0, "decode": 0.0, "pose": 0.0, "end": 0.0}
    for clip in clips:
        times: dict[str, list[float]] = {"decode": [], "pose": [], "end": []}
        frames = 0
        for _ in range(args.runs):
            start = time.perf_counter()
            frames = decode_only(clip, limits.max_short_side)
            times["decode"].append(time.perf_counter() - start)
            start = time.perf_counter()
            series = landmarks_of(str(clip), limits)
            times["pose"].append(time.perf_counter() - start)
            start = time.perf_counter()
            series = extractor.extract(clip)
            analyse(series, Exercise.SQUAT, content.settings)
            times["end"].append(time.perf_counter() - start)
        best = {k: statistics.median(v) for k, v in times.items()}
        totals["frames"] += frames
        for k, v in best.items():
            totals[k] += v
        shown = "  ".join(f"{frames / best[k]:8.1f}" for k in ("decode", "pose", "end"))
        print(f"{clip.name[:40]:40} {frames:6} {shown}")
    n = totals["frames"]
    overall = {k: n / totals[k] for k in ("decode", "pose", "end")}
    print(
        f"{'all clips':40} {n:6} "
        + "  ".join(f"{overall[k]:8.1f}" for k in ("decode", "pose", "end"))
    )
    end = overall["end"]
    verdict = "meets" if end >= GOAL_FPS else "misses"
    print(
        f"end to end {end:.1f} frames/s {verdict} the goal of {GOAL_FPS:.0f} "
        f"({end / GOAL_FPS:.0%} of it)"
    )


if __name__ == "__main__":
    main()
