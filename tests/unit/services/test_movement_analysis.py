"""The movement check's use case with a fake pose port: what it returns (the figures, the
findings in words with their sources, the JSON the command line prints) and what it refuses
(nobody in view, only part of a person). No video is decoded."""

from __future__ import annotations

import pickle
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from runrehab.content.words import shipped_words
from runrehab.engine.movement import Exercise, Frame, Point, Series, View
from runrehab.services.movement.analysis import (
    MovementResult,
    VideoRefused,
    analyse_series,
    analyse_video,
    shipped_movement_content,
)
from runrehab.services.views import jsonable
from tests.unit.engine.movement_bodies import Plan, series

REFUSALS = (
    "cannot_read",
    "not_a_video",
    "unsupported_codec",
    "too_long",
    "too_large",
    "nobody_in_view",
    "partly_visible",
    "video_extra_missing",
    "worker_crashed",
)


@dataclass(frozen=True)
class FakePose:
    """The pose port, answering with a prepared series (and noting the path it was given)."""

    answer: Series
    asked: list[Path]

    def extract(self, path: Path) -> Series:
        self.asked.append(path)
        return self.answer


def _video(plan: Plan, view: View | None = None) -> MovementResult:
    pose = FakePose(series(plan), [])
    result = analyse_video(Path("clip.mp4"), plan.exercise, view, pose=pose)
    assert pose.asked == [Path("clip.mp4")]
    return result


@pytest.mark.fires("movement-knee-inward")
def test_a_clip_is_measured_and_its_findings_read_in_words_with_their_sources() -> None:
    plan = Plan(view=View.FRONT, exercise=Exercise.SINGLE_LEG_SQUAT, knee_deg=60, fppa_deg=20)
    result = _video(plan)
    assert result.rep_count == 3 and result.view is View.FRONT
    assert result.frames == result.frames_with_pose == len(result.series.frames)
    inward = next(f for f in result.findings if f.rule == "movement-knee-inward")
    rules = shipped_movement_content().book.rules
    assert inward.text == rules["movement-knee-inward"].text
    assert "digest" in inward.source.lower() and inward.detail


def test_the_json_holds_the_contract_fields_with_null_for_what_the_view_cannot_give() -> None:
    document = jsonable(_video(Plan(view=View.SIDE, reps=2)))
    for key in ("exercise", "view", "rep_count", "reps", "frames", "frames_with_pose"):
        assert key in document
    assert "series" not in document  # the landmarks are kept, not printed
    assert document["exercise"] == "squat" and document["view"] == "side"
    assert document["rep_count"] == 2
    for rep in document["reps"]:
        assert {"start_s", "bottom_s", "end_s", "side", "knee_flexion_max_deg", "fppa_deg"} <= set(
            rep
        )
        assert rep["fppa_deg"] is None and rep["knee_flexion_max_deg"] > 0
    for finding in document["findings"]:
        assert finding["rule"] and finding["text"] and finding["source"]


def test_a_given_view_is_passed_to_the_measures() -> None:
    result = _video(Plan(view=View.SIDE), view=View.FRONT)
    assert result.view is View.FRONT and result.view_given


def _blank(s: Series, keep: float) -> Series:
    """``s`` with Pose finding nobody in all but the first ``keep`` share of its frames."""
    n = int(len(s.frames) * keep)
    return replace(s, frames=s.frames[:n] + tuple(Frame(f.t, None) for f in s.frames[n:]))


def test_a_clip_with_nobody_in_view_is_refused_with_its_reason() -> None:
    clip = _blank(series(Plan()), keep=0.05)
    with pytest.raises(VideoRefused) as refused:
        analyse_series(clip, Exercise.SQUAT)
    assert refused.value.key == "nobody_in_view"
    assert "Nobody" in refused.value.message()


def test_a_clip_showing_only_part_of_the_person_is_refused_with_its_reason() -> None:
    clip = series(Plan())
    frames = tuple(
        Frame(f.t, tuple(Point(p.x, p.y + 0.4, p.visibility) for p in f.points or ()))
        for f in clip.frames
    )  # everything moved down: the ankles below the picture
    with pytest.raises(VideoRefused) as refused:
        analyse_series(replace(clip, frames=frames), Exercise.SQUAT)
    assert refused.value.key == "partly_visible"


def test_every_refusal_has_words_and_crosses_a_process_boundary() -> None:
    words = shipped_words()
    for key in REFUSALS:
        values = {"limit": "2"} if key in ("too_long", "too_large") else {}
        refused = VideoRefused(key, **values)
        assert refused.message(words).strip()
        again = pickle.loads(pickle.dumps(refused))
        assert (again.key, again.values) == (key, values)
