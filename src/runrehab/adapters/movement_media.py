"""The movement check's media: a saved upload probed before it is queued, the analysis run for
the background worker, and the key frames drawn.

``probe`` reads only a file's first bytes and, for the MP4 family (what phones record: MP4,
MOV, 3GP), its ``mvhd`` box for the length, in plain Python: the web process never loads
OpenCV. Other containers are measured by the analysis, which refuses a clip too long.

``analyser`` is the ``services.movement.checks.Analyser`` the web app hands its worker: the
pose (MediaPipe in a process of its own, ``adapters.video.pose``), the figures
(``services.movement.analysis``), then the key frames, one per repetition at its deepest
point, decoded and drawn with the OpenCV the ``video`` extra brings, in a process of its own
too, as JPEG with the skeleton and the knee angles on them.
"""

from __future__ import annotations

import multiprocessing
import struct
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, BinaryIO

from runrehab.adapters.video.pose import PoseExtractor, looks_like_video
from runrehab.content.words import Words
from runrehab.engine.movement import LANDMARKS, Exercise, Series, View
from runrehab.services.movement.analysis import (
    MovementResult,
    PoseSource,
    VideoRefused,
    analyse_video,
)
from runrehab.services.movement.checks import (
    Analysed,
    Analyser,
    AnalysisRefused,
    Progress,
    VideoFacts,
    VideoProblem,
)
from runrehab.services.movement.records import KeyFrame
from runrehab.services.views import jsonable

HEAD_BYTES = 512
MP4_BRANDS = {b"qt  ": "video/quicktime", b"3gp4": "video/3gpp", b"3gp5": "video/3gpp"}
GAP_S = 0.25
"""A pause of the tracking longer than this breaks the chart's line."""
POSE_SPEED = 60.0
"""Frames a second the pose worker takes at 480p, about (measured on 2 cores: a 10.7 s clip of
322 frames in 7.8 s, key frames included): the progress shown while it runs is estimated from
it, for a clip of ``CLIP_FPS`` frames a second, after ``START_S`` to start the worker."""
CLIP_FPS = 30.0
START_S = 2.0
JPEG_QUALITY = 80
FRAME_SHORT_SIDE = 480
BONES = (
    ("left_shoulder", "right_shoulder"),
    ("left_shoulder", "left_hip"),
    ("right_shoulder", "right_hip"),
    ("left_hip", "right_hip"),
    ("left_hip", "left_knee"),
    ("right_hip", "right_knee"),
    ("left_knee", "left_ankle"),
    ("right_knee", "right_ankle"),
    ("left_ankle", "left_heel"),
    ("right_ankle", "right_heel"),
    ("left_heel", "left_foot_index"),
    ("right_heel", "right_foot_index"),
    ("left_ankle", "left_foot_index"),
    ("right_ankle", "right_foot_index"),
)


# --- the probe ---------------------------------------------------------------------------------


def probe(path: Path) -> VideoFacts:
    """The saved upload's type by its first bytes, and its length when it is an MP4 or a MOV;
    ``VideoProblem("not_a_video")`` for anything else, ``unreadable`` for an MP4 without one."""
    try:
        with path.open("rb") as file:
            head = file.read(HEAD_BYTES)
            if not looks_like_video(head) or (head[:4] == b"RIFF" and head[8:12] != b"AVI "):
                raise VideoProblem("not_a_video")  # a RIFF file is a video only as an AVI
            if head[4:8] != b"ftyp":
                return VideoFacts(_media_type(head), None)
            seconds = mp4_seconds(file)
    except OSError:
        raise VideoProblem("unreadable") from None
    if seconds is None:
        raise VideoProblem("unreadable")
    return VideoFacts(_media_type(head), seconds)


def _media_type(head: bytes) -> str:
    if head[4:8] == b"ftyp":
        return MP4_BRANDS.get(head[8:12], "video/mp4")
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video/webm" if b"webm" in head[:64] else "video/x-matroska"
    if head.startswith(b"RIFF"):
        return "video/x-msvideo"
    return "application/octet-stream"


def mp4_seconds(file: BinaryIO) -> float | None:
    """The length of an ISO base media file (MP4, MOV, 3GP) from its movie header, or None
    when there is none; the file is walked box by box, so a ``moov`` at the end costs no more
    than one at the start."""
    file.seek(0, 2)
    end = file.tell()
    moov = _box(file, 0, end, b"moov")
    if moov is None:
        return None
    mvhd = _box(file, moov[0], moov[1], b"mvhd")
    if mvhd is None:
        return None
    file.seek(mvhd[0])
    header = file.read(32)
    if len(header) < 20:
        return None
    if header[0] == 1:
        if len(header) < 32:
            return None
        scale, duration = struct.unpack(">IQ", header[20:32])
    else:
        scale, duration = struct.unpack(">II", header[12:20])
    return duration / scale if scale else None


def _box(file: BinaryIO, start: int, end: int, kind: bytes) -> tuple[int, int] | None:
    """The body (from, to) of the first box of ``kind`` between ``start`` and ``end``."""
    at = start
    while at + 8 <= end:
        file.seek(at)
        header = file.read(16)
        if len(header) < 8:
            return None
        size, name = struct.unpack(">I4s", header[:8])
        body = at + 8
        if size == 1:
            if len(header) < 16:
                return None
            size = struct.unpack(">Q", header[8:16])[0]
            body = at + 16
        elif size == 0:
            size = end - at
        if size < body - at:
            return None
        if name == kind:
            return body, min(at + size, end)
        at += size
    return None


# --- the analysis ------------------------------------------------------------------------------


def analyser(words: Words, pose: PoseSource | None = None) -> Analyser:
    """The worker's analysis, saying a refused clip's reason in ``words``."""
    source = pose or PoseExtractor()

    def analyse(path: Path, exercise: str, view: str | None, progress: Progress) -> Analysed:
        seconds = _seconds(path)
        try:
            with _ticking(progress, _expected(seconds)):
                result = analyse_video(
                    path, Exercise(exercise), None if view is None else View(view), pose=source
                )
            progress(85)
            frames = draw_key_frames(path, result)
        except VideoRefused as refused:
            raise AnalysisRefused(refused.message(words)) from None
        return analysed(result, frames)

    return analyse


def _expected(seconds: float | None) -> float | None:
    return None if not seconds else START_S + seconds * CLIP_FPS / POSE_SPEED


def _seconds(path: Path) -> float | None:
    try:
        return probe(path).seconds
    except VideoProblem:
        return None


class _ticking:
    """While the pose runs, move the progress from 5 to 80 % at the speed expected."""

    def __init__(self, progress: Progress, expected_s: float | None) -> None:
        self._progress = progress
        self._expected = expected_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> None:
        self._progress(5)
        if self._expected:
            self._thread = threading.Thread(target=self._tick, daemon=True)
            self._thread.start()

    def _tick(self) -> None:
        started = time.monotonic()
        assert self._expected is not None
        while not self._stop.wait(1.0):
            share = (time.monotonic() - started) / self._expected
            self._progress(5 + int(75 * min(1.0, share)))

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)


def analysed(result: MovementResult, frames: Sequence[KeyFrame] = ()) -> Analysed:
    """The result as the check keeps it: the figures' document (the command line's), the knee
    angles over time, the landmarks per frame, the key frames."""
    document: dict[str, Any] = jsonable(result)
    document.pop("curve", None)
    return Analysed(
        result=document,
        knee_angles=knee_angles(result),
        landmarks=landmarks(result.series),
        frames=tuple(frames),
    )


def knee_angles(result: MovementResult) -> dict[str, list[float | None]]:
    """Each knee's flexion over time from the confident frames filmed from the side (from the
    front the bend cannot be measured: left out, not guessed), None where the tracking paused
    (the chart breaks its line there)."""
    t: list[float | None] = []
    left: list[float | None] = []
    right: list[float | None] = []
    last: float | None = None
    for sample in (s for s in result.curve if _from_the_side(result, s.t)):
        if last is not None and sample.t - last > GAP_S:
            t.append(round((last + sample.t) / 2, 3))
            left.append(None)
            right.append(None)
        t.append(round(sample.t, 3))
        left.append(round(sample.left_knee_deg, 1))
        right.append(round(sample.right_knee_deg, 1))
        last = sample.t
    return {"t": t, "left": left, "right": right}


def _from_the_side(result: MovementResult, t: float) -> bool:
    spans = getattr(result, "views", ())
    if not spans:
        return str(getattr(result, "view", View.SIDE)) == View.SIDE
    return any(s.view == View.SIDE and s.start_s <= t <= s.end_s for s in spans)


def landmarks(series: Series) -> dict[str, Any]:
    """The landmark series as JSON: the frame size, the names, and each frame's time and
    points (``[x, y, visibility]``), null where Pose found nobody."""
    return {
        "width": series.width,
        "height": series.height,
        "names": list(LANDMARKS),
        "frames": [
            [f.t, None if f.points is None else [list(p) for p in f.points]] for f in series.frames
        ],
    }


# --- the key frames ----------------------------------------------------------------------------

_Wanted = tuple[int, float, list[tuple[float, float, float]] | None, dict[str, Any]]
"""A key frame to draw: the rep's number, the time, the landmarks and the angles to write."""


def draw_key_frames(path: Path, result: MovementResult) -> list[KeyFrame]:
    """A JPEG per repetition at its deepest point, drawn in a process of its own."""
    wanted: list[_Wanted] = []
    frames = result.series.frames
    for rep in result.reps:
        frame = min(frames, key=lambda f: abs(f.t - rep.bottom_s), default=None)
        if frame is None:
            continue
        points = None if frame.points is None else [(p.x, p.y, p.visibility) for p in frame.points]
        bends = rep.knee_flexion_max_deg is not None  # the view gives the bend
        angles: dict[str, Any] = {
            "left": _angle_near(result, frame.t, "left") if bends else None,
            "right": _angle_near(result, frame.t, "right") if bends else None,
            "fppa": rep.fppa_deg,
        }
        wanted.append((rep.number, frame.t, points, angles))
    if not wanted:
        return []
    context = multiprocessing.get_context("spawn")
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as worker:
            drawn = worker.submit(_draw, str(path), wanted).result()
    except BrokenProcessPool:
        raise VideoRefused("worker_crashed") from None
    return [KeyFrame(number, t, "image/jpeg", image) for number, t, image in drawn]


def _angle_near(result: MovementResult, t: float, side: str) -> float | None:
    sample = min(result.curve, key=lambda s: abs(s.t - t), default=None)
    if sample is None or abs(sample.t - t) > GAP_S:
        return None
    return round(sample.left_knee_deg if side == "left" else sample.right_knee_deg)


def _draw(path: str, wanted: list[_Wanted]) -> list[tuple[int, float, bytes]]:
    """Inside the worker process: decode each wanted frame, draw, encode."""
    import cv2

    capture = cv2.VideoCapture(path)
    drawn = []
    try:
        fps = capture.get(cv2.CAP_PROP_FPS) or 30.0
        for number, t, points, angles in wanted:
            capture.set(cv2.CAP_PROP_POS_FRAMES, round(t * fps))
            ok, image = capture.read()
            if not ok:
                continue
            image = _scaled(image)
            _skeleton(image, points, angles)
            ok, encoded = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
            if ok:
                drawn.append((number, t, encoded.tobytes()))
    finally:
        capture.release()
    return drawn


def _scaled(image: Any) -> Any:
    import cv2

    height, width = image.shape[:2]
    scale = FRAME_SHORT_SIDE / min(height, width)
    if scale >= 1:
        return image
    size = (round(width * scale), round(height * scale))
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA)


def _skeleton(
    image: Any, points: list[tuple[float, float, float]] | None, angles: dict[str, Any]
) -> None:
    import cv2

    if points is None:
        return
    height, width = image.shape[:2]
    at = {
        name: (round(p[0] * width), round(p[1] * height))
        for name, p in zip(LANDMARKS, points, strict=False)
    }
    colour = {"left": (255, 160, 0), "right": (0, 140, 255)}  # BGR: blue left, orange right
    for a, b in BONES:
        side = "left" if a.startswith("left") and b.startswith("left") else "right"
        both = a.split("_")[0] != b.split("_")[0]
        cv2.line(image, at[a], at[b], (240, 240, 240) if both else colour[side], 3, cv2.LINE_AA)
    for xy in at.values():
        cv2.circle(image, xy, 4, (255, 255, 255), -1, cv2.LINE_AA)
    for side in ("left", "right"):
        value = angles.get(side)
        if value is None:
            continue
        x, y = at[f"{side}_knee"]
        where = (x + 10, y - 6 if side == "left" else y + 20)  # apart when the knees overlap
        text = f"{value:.0f}"
        cv2.putText(image, text, where, cv2.FONT_HERSHEY_SIMPLEX, 0.7, (0, 0, 0), 4)
        cv2.putText(image, text, where, cv2.FONT_HERSHEY_SIMPLEX, 0.7, colour[side], 2)
    fppa = angles.get("fppa")
    if fppa is not None:
        label = f"FPPA {fppa:.0f}"
        cv2.putText(image, label, (10, 28), cv2.FONT_HERSHEY_SIMPLEX, 0.8, (0, 0, 0), 4)
        cv2.putText(image, label, (10, 28), cv2.FONT_HERSHEY_SIMPLEX, 0.8, (255, 255, 255), 2)
