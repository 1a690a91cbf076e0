"""Pose from video, offline: MediaPipe Pose 0.10.21 in a worker process of its own.

``PoseExtractor.extract(path)`` returns the landmark series of a clip in the engine's format
(:class:`runrehab.engine.movement.Series`): per frame its time and the 12 leg and trunk
landmarks of MediaPipe's 33-point model (x, y in the image's 0 to 1 range, visibility), or
None for a frame where Pose found nobody.

MediaPipe (and the jax, OpenCV and numpy it brings) is the optional extra ``video``
(``pip install 'runrehab[video]'``). It is imported only inside the worker process, started
afresh for each clip (``spawn``), so the web or command-line process never loads it, and a
crash of the native code ends the worker, not the server.

Frames are decoded with the OpenCV the extra brings, in a thread running a few frames ahead of
Pose (both work outside the GIL, so they share the two cores), and scaled down so that their
shorter side is at most ``VideoLimits.max_short_side`` (480 px). Pose sees at most
``VideoLimits.max_fps`` frames a second (15: every other frame of a 30 fps clip; the others are
read past, not converted), each with its own time in the clip: the measures are timed in
seconds, and 15 a second resolve a rep of 0.6 s in 9 frames. What the worker refuses is a
:class:`~runrehab.services.movement.analysis.VideoRefused` naming its words: not a video,
a codec OpenCV cannot decode, longer or larger than the limits, the extra missing.

Two people: Pose follows one person. The worker does not detect a second person (OpenCV's HOG
people detector, tried on the shared clips, missed most people and saw three in one frame);
when the one Pose follows changes, the landmarks jump, which the engine sets aside as
implausible frames (see ``engine.movement``). Film one person at a time.
"""

from __future__ import annotations

import contextlib
import importlib.util
import multiprocessing
import queue
import threading
from collections.abc import Generator, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from runrehab.engine.movement import LANDMARKS, Frame, Point, Series
from runrehab.services.movement.analysis import VideoLimits, VideoRefused

MEDIAPIPE_INDEX = {
    "left_shoulder": 11,
    "right_shoulder": 12,
    "left_hip": 23,
    "right_hip": 24,
    "left_knee": 25,
    "right_knee": 26,
    "left_ankle": 27,
    "right_ankle": 28,
    "left_heel": 29,
    "right_heel": 30,
    "left_foot_index": 31,
    "right_foot_index": 32,
}
"""Where each landmark the engine reads sits in MediaPipe Pose's 33 (``PoseLandmark``)."""

CONTAINERS = (
    (4, b"ftyp"),  # MP4, MOV, 3GP, M4V (ISO base media)
    (0, b"\x1a\x45\xdf\xa3"),  # Matroska, WebM
    (0, b"RIFF"),  # AVI
    (0, b"OggS"),
    (0, b"FLV"),
    (0, b"\x00\x00\x01\xba"),  # MPEG program stream
    (0, b"\x47"),  # MPEG transport stream (checked further below)
    (0, b"\x30\x26\xb2\x75"),  # ASF, WMV
)
"""The first bytes of the video containers a phone or camera writes."""


def looks_like_video(head: bytes) -> bool:
    """Whether ``head`` (a file's first bytes) starts like a video container."""
    for offset, magic in CONTAINERS:
        if head[offset : offset + len(magic)] == magic:
            if magic == b"\x47":  # a transport stream repeats its sync byte every 188 bytes
                return len(head) > 188 and head[188:189] == b"\x47"
            return True
    return False


def video_extra_installed() -> bool:
    """Whether the ``video`` extra (mediapipe and its OpenCV) can be imported here."""
    return all(importlib.util.find_spec(name) is not None for name in ("mediapipe", "cv2"))


@dataclass(frozen=True, slots=True)
class PoseExtractor:
    """The pose port of ``services.movement.analysis``, run in a worker process."""

    limits: VideoLimits = field(default_factory=VideoLimits)

    def extract(self, path: Path) -> Series:
        check_file(path, self.limits)
        if not video_extra_installed():
            raise VideoRefused("video_extra_missing")
        context = multiprocessing.get_context("spawn")
        try:
            with ProcessPoolExecutor(max_workers=1, mp_context=context) as worker:
                return worker.submit(landmarks_of, str(path), self.limits).result()
        except BrokenProcessPool:
            raise VideoRefused("worker_crashed") from None


def check_file(path: Path, limits: VideoLimits) -> None:
    """Refuse what is plainly not a clip to analyse, before any decoding."""
    try:
        size = path.stat().st_size
        with path.open("rb") as file:
            head = file.read(512)
    except OSError:
        raise VideoRefused("cannot_read") from None
    if size > limits.max_bytes:
        raise VideoRefused("too_large", limit=f"{limits.max_bytes // 1_000_000} MB")
    if not looks_like_video(head):
        raise VideoRefused("not_a_video")


# --- inside the worker process ---------------------------------------------------------------


def landmarks_of(path: str, limits: VideoLimits) -> Series:
    """Decode ``path`` and run Pose on every frame (the worker's whole job)."""
    import cv2
    import mediapipe as mp  # type: ignore[import-untyped]

    capture = cv2.VideoCapture(path)
    try:
        if not capture.isOpened():
            raise VideoRefused("unsupported_codec")
        fps = capture.get(cv2.CAP_PROP_FPS) or 0.0
        count = capture.get(cv2.CAP_PROP_FRAME_COUNT) or 0.0
        if fps <= 0 or fps > 1000:
            raise VideoRefused("unsupported_codec")
        if count / fps > limits.max_seconds:
            raise VideoRefused("too_long", limit=_minutes(limits.max_seconds))
        pose = mp.solutions.pose.Pose(
            static_image_mode=False, model_complexity=limits.model_complexity
        )
        try:
            return _run(capture, pose, fps, limits)
        finally:
            pose.close()
    finally:
        capture.release()


def _run(capture: Any, pose: Any, fps: float, limits: VideoLimits) -> Series:
    """Pose on every frame, while a thread decodes the next ones (OpenCV and MediaPipe both
    work outside the GIL, so decoding and pose share the two cores)."""
    frames: list[Frame] = []
    width = height = 0
    with contextlib.closing(_decoded(capture, fps, limits)) as decoded:
        for index, rgb in decoded:
            height, width = rgb.shape[:2]
            found = pose.process(rgb).pose_landmarks
            frames.append(Frame(round(index / fps, 4), _points(found)))
    if not frames:
        raise VideoRefused("unsupported_codec")
    return Series(tuple(frames), width=width, height=height)


def kept_frames(fps: float, max_fps: float) -> Iterator[int]:
    """The indexes of the frames Pose sees: every frame of a clip up to ``max_fps``, else an
    even ``max_fps`` of them a second (a 30 fps clip at 15: every other frame)."""
    step = max(1.0, fps / max_fps)
    index, due = 0, 0.0
    while True:
        if index >= due - 1e-9:
            yield index
            due += step
        index += 1


def _decoded(
    capture: Any, fps: float, limits: VideoLimits
) -> Generator[tuple[int, Any], None, None]:
    """The clip's frames Pose sees (``kept_frames``), with their index, scaled and in RGB,
    decoded ahead in a thread (a few at most); the others are only read past (``grab``)."""
    import cv2

    ready: queue.Queue[Any] = queue.Queue(maxsize=8)
    stop = threading.Event()

    def decode() -> None:
        try:
            kept = kept_frames(fps, limits.max_fps)
            wanted = next(kept)
            index = -1
            while not stop.is_set():
                if not capture.grab():
                    break
                index += 1
                if index / fps > limits.max_seconds:
                    ready.put(VideoRefused("too_long", limit=_minutes(limits.max_seconds)))
                    return
                if index < wanted:
                    continue
                wanted = next(kept)
                ok, image = capture.retrieve()
                if not ok:
                    break
                rgb = cv2.cvtColor(_scaled(image, limits.max_short_side), cv2.COLOR_BGR2RGB)
                rgb.flags.writeable = False  # Pose then reads the frame in place
                ready.put((index, rgb))
        except Exception as err:  # handed to the reading side
            ready.put(err)
            return
        ready.put(None)

    worker = threading.Thread(target=decode, name="decode", daemon=True)
    worker.start()
    try:
        while (item := ready.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while worker.is_alive():  # let the decoder see ``stop``
            with contextlib.suppress(queue.Empty):
                ready.get(timeout=0.1)
        worker.join()


def _scaled(image: Any, short_side: int) -> Any:
    import cv2

    height, width = image.shape[:2]
    shortest = min(height, width)
    if shortest <= short_side:
        return image
    scale = short_side / shortest
    size = (round(width * scale), round(height * scale))
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA)


def _points(found: Any) -> tuple[Point, ...] | None:
    if found is None:
        return None
    marks = found.landmark
    return tuple(
        Point(
            round(marks[MEDIAPIPE_INDEX[name]].x, 5),
            round(marks[MEDIAPIPE_INDEX[name]].y, 5),
            round(marks[MEDIAPIPE_INDEX[name]].visibility, 4),
        )
        for name in LANDMARKS
    )


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:g}"
