"""Fakes for the movement check: an analyser that needs no video (a result with the reps asked
for, knee angles, landmarks and real little JPEG key frames), an executor that runs the work at
once, an in-memory store and unit of work, and ``install`` to give a web app all three."""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from runrehab.services.movement.checks import (
    Analysed,
    AnalysisRefused,
    Progress,
    VideoFacts,
    VideoProblem,
)
from runrehab.services.movement.records import (
    CheckStatus,
    KeyFrame,
    MovementCheck,
    StoredVideo,
)

MP4_HEAD = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
"""The first bytes of an MP4 file: a tiny 'video' the fake probe takes."""


def tiny_mp4(seconds: float = 12.0) -> bytes:
    """A file that starts as an MP4 and whose movie header says ``seconds`` long (no frames:
    enough for the probe, which reads only the header)."""
    scale = 1000
    mvhd_body = (
        bytes(4) + bytes(8) + scale.to_bytes(4, "big") + int(seconds * scale).to_bytes(4, "big")
    )
    mvhd_body += bytes(80)
    mvhd = (8 + len(mvhd_body)).to_bytes(4, "big") + b"mvhd" + mvhd_body
    moov = (8 + len(mvhd)).to_bytes(4, "big") + b"moov" + mvhd
    return MP4_HEAD + moov


def jpeg(width: int = 96, height: int = 128, shade: int = 90) -> bytes:
    """A real little JPEG (a browser shows it), made with Pillow."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), (shade, shade, shade))
    draw = ImageDraw.Draw(image)
    draw.line([(width // 2, 10), (width // 2, height - 10)], fill=(255, 160, 0), width=3)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=70)
    return out.getvalue()


def result_document(
    exercise: str = "single_leg_squat", reps: int = 10, side: str = "left", view: str = "front"
) -> dict[str, Any]:
    """What ``jsonable(MovementResult)`` gives (less the curve), for ``reps`` reps 2 s apart."""
    rows = [
        {
            "number": n,
            "start_s": 2.0 * n - 1.0,
            "bottom_s": 2.0 * n,
            "end_s": 2.0 * n + 1.0,
            "side": side,
            "view": view,
            "knee_flexion_max_deg": 60.0 + n,
            "fppa_deg": 8.5 if view == "front" else None,
        }
        for n in range(1, reps + 1)
    ]
    return {
        "exercise": exercise,
        "view": view,
        "view_given": False,
        "rep_count": reps,
        "reps": rows,
        "frames": 300,
        "frames_with_pose": 291,
        "findings": [
            {
                "rule": "movement-fppa-high",
                "title": "The knee moves inward",
                "text": "Your left knee drops inward at the bottom of the squat.",
                "source": "Digest section 10",
                "detail": "FPPA 8.5°",
            }
        ],
    }


def knee_angles(reps: int = 10) -> dict[str, list[float | None]]:
    t = [round(i / 10, 1) for i in range(0, int(20 * reps + 20))]
    left: list[float | None] = [round(30 - 30 * math.cos(math.pi * x), 1) for x in t]
    right: list[float | None] = [5.0 for _ in t]
    left[5] = right[5] = None  # a pause in the tracking
    return {"t": [float(x) for x in t], "left": left, "right": right}


@dataclass
class FakeAnalyser:
    """An ``Analyser``: the reps it is told, or ``refuse`` (a reason) for a clip it cannot
    measure. Remembers what it was asked, and whether the video was there when it ran."""

    reps: int = 10
    side: str = "left"
    refuse: str | None = None
    crash: bool = False
    asked: list[tuple[str, str | None]] = field(default_factory=list)
    saw_video: list[bool] = field(default_factory=list)

    def __call__(self, path: Path, exercise: str, view: str | None, progress: Progress) -> Analysed:
        self.asked.append((exercise, view))
        self.saw_video.append(path.exists())
        progress(40)
        if self.crash:
            raise RuntimeError("the analysis broke")
        if self.refuse:
            raise AnalysisRefused(self.refuse)
        frames = tuple(
            KeyFrame(n, 2.0 * n, "image/jpeg", jpeg(shade=60 + n)) for n in range(1, self.reps + 1)
        )
        return Analysed(
            result=result_document(exercise, self.reps, self.side, view or "front"),
            knee_angles=knee_angles(self.reps),
            landmarks={"width": 96, "height": 128, "names": ["left_knee"], "frames": [[0.0, None]]},
            frames=frames,
        )


def fake_probe(path: Path) -> VideoFacts:
    """Takes a file that starts like an MP4 (its header's length, if it says one)."""
    head = path.read_bytes()[:64]
    if head[4:8] != b"ftyp":
        raise VideoProblem("not_a_video")
    from runrehab.adapters.movement_media import mp4_seconds

    with path.open("rb") as file:
        seconds = mp4_seconds(file)
    return VideoFacts("video/mp4", seconds)


class Immediately(Executor):
    """Runs the work as it is submitted (a test sees the check finished at once)."""

    def __init__(self) -> None:
        self.stopped = False

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        if self.stopped:
            raise RuntimeError("shut down")
        future: Future[Any] = Future()
        future.set_result(fn(*args, **kwargs))
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self.stopped = True


def install(app: Any, analyser: FakeAnalyser | None = None, max_bytes: int = 5_000_000) -> Any:
    """Give the web app a fake analyser run at once (``app.state.movement``)."""
    from runrehab.adapters.movement_media import probe
    from runrehab.web.movement_uploads import MovementParts

    parts = MovementParts(Immediately(), analyser or FakeAnalyser(), probe, max_bytes)
    app.state.movement = parts
    return parts


# --- an in-memory store ------------------------------------------------------------------------


class FakeMovementStore:
    def __init__(self) -> None:
        self.rows: dict[str, MovementCheck] = {}
        self.frames_of: dict[str, list[KeyFrame]] = {}
        self.videos: dict[str, StoredVideo] = {}

    def add(self, check: MovementCheck) -> None:
        self.rows[check.id] = check

    def get(self, person_id: str, check_id: str) -> MovementCheck | None:
        found = self.rows.get(check_id)
        return found if found is not None and found.person_id == person_id else None

    def find(self, check_id: str) -> MovementCheck | None:
        return self.rows.get(check_id)

    def checks(self, person_id: str, limit: int = 50) -> list[MovementCheck]:
        mine = [c for c in self.rows.values() if c.person_id == person_id]
        mine.sort(key=lambda c: c.created_at, reverse=True)
        return [replace(c, landmarks=None) for c in mine[:limit]]

    def all_checks(self, person_id: str) -> list[MovementCheck]:
        return sorted(
            (c for c in self.rows.values() if c.person_id == person_id), key=lambda c: c.created_at
        )

    def update(self, check_id: str, **changes: Any) -> None:
        self.rows[check_id] = replace(self.rows[check_id], **changes)

    def add_frames(self, check_id: str, frames: list[KeyFrame]) -> None:
        self.frames_of.setdefault(check_id, []).extend(frames)

    def frames(self, check_id: str) -> list[KeyFrame]:
        return list(self.frames_of.get(check_id, []))

    def frame(self, check_id: str, position: int) -> KeyFrame | None:
        return next((f for f in self.frames(check_id) if f.position == position), None)

    def keep_video(self, check_id: str, video: StoredVideo) -> None:
        self.videos[check_id] = video

    def video(self, check_id: str) -> StoredVideo | None:
        return self.videos.get(check_id)

    def delete(self, person_id: str, check_id: str) -> bool:
        if self.get(person_id, check_id) is None:
            return False
        del self.rows[check_id]
        self.frames_of.pop(check_id, None)
        self.videos.pop(check_id, None)
        return True

    def fail_unfinished(self, at: datetime, reason: str) -> int:
        open_ = [c for c in self.rows.values() if not c.finished]
        for c in open_:
            self.update(c.id, status=CheckStatus.FAILED, reason=reason, finished_at=at)
        return len(open_)


class FakeMovementUow:
    """A unit of work over the fake store (commits count; nothing to roll back)."""

    def __init__(self, store: FakeMovementStore | None = None) -> None:
        self.movement = store or FakeMovementStore()
        self.commits = 0

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None

    def commit(self) -> None:
        self.commits += 1
