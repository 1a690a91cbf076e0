"""The movement check: a clip of a single-leg squat, step-down, squat or lunge, measured.

The interface other parts build on (web page, storage, background job), kept stable::

    analyse_video(path, exercise, view, *, pose, content=None) -> MovementResult
    analyse_series(series, exercise, view, content=None) -> MovementResult

- ``path``: the clip on disk (``pathlib.Path``); ``exercise``: :class:`Exercise`
  (``single_leg_squat``, ``step_down``, ``squat``, ``lunge``); ``view``: :class:`View`
  (``front``, ``side``) or None to detect it.
- ``pose``: the :class:`PoseSource` port (``bootstrap.pose_source()`` builds the MediaPipe
  worker; tests pass a fake returning a synthetic :class:`Series`).
- ``content``: :class:`MovementContent` (the settings, the video limits, the rules and
  sources); None for the shipped content.
- Raises :class:`VideoRefused` for bad input (``.key`` names its words in
  ``content/data/words/movement.toml`` under ``refused``; ``.values`` fills them; ``message()``
  says it): not a video, unsupported codec, too long, too large, nobody in view, only partly
  visible, the ``video`` extra missing. Nothing is stored by this use case.

:class:`MovementResult` (frozen): ``exercise``, ``view`` (the main view, detected or given),
``view_given``, ``views`` (:class:`ViewSpan`: each stretch of one view), ``rep_count`` (None
when the tracking was too poor to count), ``reps`` (:class:`Rep`: ``number``, ``start_s``,
``bottom_s``, ``end_s``, ``side`` left/right/both, ``view``, ``depth``, ``down_s``, ``up_s``,
``knee_flexion_max_deg``, ``knee_flexion_range_deg``, ``fppa_left_deg``, ``fppa_right_deg``,
``fppa_deg``, ``pelvic_drop_deg``, ``trunk_lean_deg``; None where the view cannot give it),
``frames``, ``frames_with_pose``, ``tracking`` (:class:`Tracking`: counts, ``grade``
good/fair/poor, ``set_aside`` frames by reason), ``left_right`` (:class:`LeftRight`),
``curve`` (:class:`Sample` per confident frame: knee angles and depth, for a chart),
``findings`` (``ReasonView``: ``rule``, ``title``, ``text``, ``source``, ``detail``) and
``series`` (the landmark series itself, to keep and to draw key frames from: a rep's deepest
frame is the frame of ``series.frames`` whose ``t`` is its ``bottom_s``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from runrehab.engine.movement import (
    Analysis,
    Exercise,
    Grade,
    LeftRight,
    MovementSettings,
    Rep,
    Sample,
    Series,
    Side,
    Tracking,
    View,
    ViewSpan,
    analyse,
)
from runrehab.errors import RunRehabError
from runrehab.services.reasons import ReasonBook, ReasonView

__all__ = [
    "Exercise",
    "Grade",
    "LeftRight",
    "MovementContent",
    "MovementResult",
    "PoseSource",
    "Rep",
    "Sample",
    "Series",
    "Side",
    "Tracking",
    "VideoLimits",
    "VideoRefused",
    "View",
    "ViewSpan",
    "analyse_series",
    "analyse_video",
]


class VideoRefused(RunRehabError, ValueError):
    """A clip that cannot be analysed: ``key`` names its words (``movement.refused.<key>``),
    ``values`` what they name (``limit``). Crosses the worker process, so it pickles."""

    def __init__(self, key: str, /, **values: str) -> None:
        self.key = key
        self.values = dict(values)
        super().__init__(key, self.values)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_refused, (self.key, self.values))

    def message(self, words: Any = None) -> str:
        """The reason in words (the shipped words by default)."""
        if words is None:
            from runrehab.content.words import shipped_words

            words = shipped_words()
        text: str = words.say(f"movement.refused.{self.key}", **self.values)
        return text


def _refused(key: str, values: Mapping[str, str]) -> VideoRefused:
    return VideoRefused(key, **values)


@dataclass(frozen=True, slots=True)
class VideoLimits:
    """What a clip may be (``[movement]`` of ``protocol.toml``)."""

    max_seconds: float = 120.0
    max_bytes: int = 200_000_000
    max_short_side: int = 480
    model_complexity: int = 1
    max_fps: float = 15.0
    """Pose runs on at most this many frames a second (the others are skipped undecoded)."""


class PoseSource(Protocol):
    """The port to pose estimation: a clip's landmark series, or ``VideoRefused``."""

    def extract(self, path: Path) -> Series: ...


@dataclass(frozen=True, slots=True)
class MovementContent:
    """What the movement check reads from the content: its settings and limits, the rules."""

    settings: MovementSettings
    limits: VideoLimits
    book: ReasonBook
    nobody_below: float = 0.1
    """A clip where Pose finds someone in fewer frames than this share is 'nobody in view'."""
    partly_below: float = 0.2
    """A clip where fewer of the frames with a pose show the legs whole is 'partly visible'."""


@dataclass(frozen=True, slots=True)
class MovementResult:
    """The movement check of one clip (see the module's docstring)."""

    exercise: Exercise
    view: View
    view_given: bool
    views: tuple[ViewSpan, ...]
    rep_count: int | None
    reps: tuple[Rep, ...]
    frames: int
    frames_with_pose: int
    tracking: Tracking
    left_right: tuple[LeftRight, ...]
    curve: tuple[Sample, ...]
    findings: tuple[ReasonView, ...]
    series: Series = field(metadata={"json": None})


@cache
def shipped_movement_content() -> MovementContent:
    """The movement check's shipped settings, limits and rules."""
    from runrehab.content import loader

    catalogue = loader.catalogue()
    found = loader.movement_file()
    settings: MovementSettings = loader.engine_movement_settings(found)
    limits = found.limits
    return MovementContent(
        settings,
        VideoLimits(
            limits.max_seconds,
            limits.max_bytes,
            limits.max_short_side,
            limits.model_complexity,
            limits.max_fps,
        ),
        ReasonBook(catalogue.rules, catalogue.sources),
        limits.nobody_below,
        limits.partly_below,
    )


def analyse_video(
    path: Path,
    exercise: Exercise,
    view: View | None = None,
    *,
    pose: PoseSource,
    content: MovementContent | None = None,
) -> MovementResult:
    """Measure the clip at ``path`` (see the module's docstring)."""
    series = pose.extract(path)
    return analyse_series(series, exercise, view, content)


def analyse_series(
    series: Series,
    exercise: Exercise,
    view: View | None = None,
    content: MovementContent | None = None,
) -> MovementResult:
    """Measure a landmark series; refuse one where nobody, or only part of a person, shows."""
    content = content or shipped_movement_content()
    analysis = analyse(series, exercise, content.settings, view)
    _refuse_untrackable(analysis.tracking, content)
    return _result(analysis, series, content.book)


def _refuse_untrackable(tracking: Tracking, content: MovementContent) -> None:
    if tracking.frames == 0 or tracking.frames_with_pose < content.nobody_below * tracking.frames:
        raise VideoRefused("nobody_in_view")
    if tracking.confident_frames < content.partly_below * tracking.frames_with_pose:
        raise VideoRefused("partly_visible")


def _result(analysis: Analysis, series: Series, book: ReasonBook) -> MovementResult:
    return MovementResult(
        exercise=analysis.exercise,
        view=analysis.view,
        view_given=analysis.view_given,
        views=analysis.views,
        rep_count=analysis.rep_count,
        reps=analysis.reps,
        frames=analysis.tracking.frames,
        frames_with_pose=analysis.tracking.frames_with_pose,
        tracking=analysis.tracking,
        left_right=analysis.left_right,
        curve=analysis.curve,
        findings=book.views(analysis.findings),
        series=series,
    )
