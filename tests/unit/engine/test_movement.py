"""The movement check's measures on small synthetic clips: the tracking's grade and the frames
it sets aside, the view detected or given, the findings and the rules they name."""

from __future__ import annotations

from dataclasses import replace

import pytest

from runrehab.engine.movement import (
    Exercise,
    Frame,
    Grade,
    MovementSettings,
    Point,
    Series,
    Side,
    View,
    analyse,
)
from tests.unit.engine.movement_bodies import Plan, dropped, series


def _rules(plan: Plan, view: View | None = None) -> list[str]:
    return [f.rule for f in analyse(series(plan), plan.exercise, view=view).findings]


def test_the_shipped_settings_are_the_engines_defaults() -> None:
    from runrehab.content import loader

    assert loader.engine_movement_settings(loader.movement_file()) == MovementSettings()


def test_a_clear_clip_is_tracked_well_with_nothing_set_aside() -> None:
    found = analyse(series(Plan()), Exercise.SQUAT)
    assert found.tracking.grade is Grade.GOOD
    assert found.tracking.confident_frames == found.tracking.frames
    assert found.tracking.set_aside == ()
    assert found.rep_count == 3
    assert len(found.curve) == found.tracking.frames


@pytest.mark.fires("movement-tracking-poor")
def test_a_clip_mostly_without_a_person_is_graded_poor_and_not_counted() -> None:
    clip = dropped(series(Plan(reps=4)), share=0.5, seed=1, run=3)
    found = analyse(clip, Exercise.SQUAT)
    assert found.tracking.grade is Grade.POOR
    assert found.counted is False and found.rep_count is None and found.reps == ()
    aside = {a.reason: a.frames for a in found.tracking.set_aside}
    assert aside["no_pose"] == found.tracking.frames - found.tracking.confident_frames
    assert [f.rule for f in found.findings] == ["movement-tracking-poor"]
    assert "of" in found.findings[0].detail


@pytest.mark.fires("movement-tracking-fair")
def test_a_clip_with_a_fifth_of_its_frames_lost_is_tracked_fairly_and_still_counted() -> None:
    clip = series(Plan(reps=3))
    frames = [f if i % 4 else Frame(f.t, None) for i, f in enumerate(clip.frames)]
    found = analyse(replace(clip, frames=tuple(frames)), Exercise.SQUAT)
    assert found.tracking.grade is Grade.FAIR
    assert found.rep_count == 3
    assert "movement-tracking-fair" in [f.rule for f in found.findings]


def _moved(clip: Series, index: int, dx: float = 0.0, dy: float = 0.0, vis: float = -1) -> Series:
    """``clip`` with landmark ``index`` of every frame moved (and its visibility set)."""
    frames = []
    for f in clip.frames:
        assert f.points is not None
        points = list(f.points)
        p = points[index]
        points[index] = Point(p.x + dx, p.y + dy, p.visibility if vis < 0 else vis)
        frames.append(Frame(f.t, tuple(points)))
    return replace(clip, frames=tuple(frames))


def test_frames_with_an_ankle_outside_the_picture_or_unseen_legs_are_set_aside() -> None:
    clip = series(Plan(view=View.FRONT, reps=1))
    outside = analyse(_moved(clip, 6, dy=0.5), Exercise.SQUAT)  # left ankle below the picture
    assert {a.reason for a in outside.tracking.set_aside} == {"outside_image"}
    assert outside.tracking.confident_frames == 0
    unseen = _moved(_moved(clip, 4, vis=0.1), 5, vis=0.1)  # both knees unsure
    found = analyse(unseen, Exercise.SQUAT)
    assert {a.reason for a in found.tracking.set_aside} == {"low_visibility"}


def test_a_leg_of_impossible_length_and_a_jump_are_set_aside_as_implausible() -> None:
    clip = series(Plan(reps=2))
    frames = list(clip.frames)
    for i in (40, 41):  # a close-up: every point scaled up around the top of the picture
        f = frames[i]
        assert f.points is not None
        frames[i] = Frame(f.t, tuple(Point(p.x, p.y * 1.12 - 0.1, p.visibility) for p in f.points))
    f = frames[90]
    assert f.points is not None
    frames[90] = Frame(f.t, tuple(Point(p.x + 0.3, p.y, p.visibility) for p in f.points))
    found = analyse(replace(clip, frames=tuple(frames)), Exercise.SQUAT)
    aside = {a.reason: a for a in found.tracking.set_aside}
    assert set(aside) == {"implausible"}
    assert frames[90].t in aside["implausible"].times_s
    assert found.rep_count == 2


@pytest.mark.fires("movement-fppa-needs-front-view")
def test_from_the_side_the_view_is_detected_and_fppa_is_said_to_need_the_front() -> None:
    found = analyse(series(Plan(view=View.SIDE)), Exercise.SQUAT)
    assert found.view is View.SIDE and found.view_given is False
    assert "movement-fppa-needs-front-view" in [f.rule for f in found.findings]


@pytest.mark.fires("movement-flexion-needs-side-view")
def test_from_the_front_the_knee_bend_is_said_to_need_the_side() -> None:
    plan = Plan(view=View.FRONT, exercise=Exercise.SINGLE_LEG_SQUAT, knee_deg=60)
    assert "movement-flexion-needs-side-view" in _rules(plan)


def test_a_given_view_is_used_over_the_whole_clip() -> None:
    found = analyse(series(Plan(view=View.FRONT)), Exercise.SQUAT, view=View.SIDE)
    assert found.view is View.SIDE and found.view_given is True
    assert len(found.views) == 1
    assert all(r.view is View.SIDE and r.knee_flexion_max_deg is not None for r in found.reps)


@pytest.mark.fires("movement-view-changed")
def test_a_clip_that_turns_from_the_front_to_the_side_measures_each_rep_in_its_view() -> None:
    front = series(Plan(view=View.FRONT, reps=2, knee_deg=60, fppa_deg=5))
    side = series(Plan(view=View.SIDE, reps=3, knee_deg=80))
    start = front.frames[-1].t + 1 / 30
    later = tuple(Frame(round(f.t + start, 4), f.points) for f in side.frames)
    found = analyse(replace(front, frames=front.frames + later), Exercise.SQUAT)
    assert [v.view for v in found.views] == [View.FRONT, View.SIDE]
    assert [r.view for r in found.reps] == [View.FRONT] * 2 + [View.SIDE] * 3
    assert [r.fppa_deg is None for r in found.reps] == [False] * 2 + [True] * 3
    changed = next(f for f in found.findings if f.rule == "movement-view-changed")
    assert changed.detail.startswith("front 0.0-")


@pytest.mark.fires("movement-no-reps")
def test_a_clip_of_someone_standing_still_finds_no_rep_and_says_so() -> None:
    plan = Plan(reps=1, knee_deg=0.0, pause_s=4.0)
    found = analyse(series(plan), Exercise.SQUAT)
    assert found.rep_count == 0
    assert [f.rule for f in found.findings][:1] == ["movement-no-reps"]


@pytest.mark.fires("movement-knee-inward")
def test_a_knee_falling_inward_past_the_setting_is_a_finding_with_its_figures() -> None:
    plan = Plan(view=View.FRONT, exercise=Exercise.SINGLE_LEG_SQUAT, knee_deg=60, fppa_deg=18)
    found = analyse(series(plan), plan.exercise)
    inward = [f for f in found.findings if f.rule == "movement-knee-inward"]
    assert len(inward) == 1
    assert inward[0].detail.startswith("left knee 18° inward")
    calm = replace(plan, fppa_deg=MovementSettings().fppa_concern_deg - 2)
    assert "movement-knee-inward" not in _rules(calm)


@pytest.mark.fires("movement-knee-left-right")
def test_lunges_whose_knees_line_up_differently_are_compared_left_against_right() -> None:
    plan = Plan(view=View.FRONT, exercise=Exercise.LUNGE, reps=4, knee_deg=80, fppa_deg=4)
    clip = series(plan)
    # the right knee's rep (the 2nd and 4th): push the right knee 40 px inward at every frame
    worse = _moved(clip, 5, dx=0.04)
    found = analyse(worse, Exercise.LUNGE)
    assert [r.side for r in found.reps] == [Side.LEFT, Side.RIGHT] * 2
    pair = next(p for p in found.left_right if p.measure == "fppa_deg")
    assert pair.left is not None and pair.right is not None and pair.difference is not None
    assert pair.difference >= MovementSettings().side_difference_deg
    assert "movement-knee-left-right" in [f.rule for f in found.findings]
    assert "movement-knee-left-right" not in _rules(plan)


@pytest.mark.fires("movement-fppa-unclear")
def test_an_fppa_too_large_to_be_a_knee_falling_in_is_left_out_and_said() -> None:
    plan = Plan(view=View.FRONT, exercise=Exercise.SINGLE_LEG_SQUAT, knee_deg=60, fppa_deg=55)
    found = analyse(series(plan), plan.exercise)
    assert all(r.fppa_deg is None for r in found.reps)
    assert "movement-fppa-unclear" in [f.rule for f in found.findings]
    assert "movement-knee-inward" not in [f.rule for f in found.findings]


@pytest.mark.fires("movement-pelvic-drop")
def test_a_pelvis_dropping_on_the_free_side_past_the_setting_is_a_finding() -> None:
    plan = Plan(view=View.FRONT, exercise=Exercise.SINGLE_LEG_SQUAT, knee_deg=60)
    dropping = replace(plan, pelvic_drop_deg=12.0)
    assert "movement-pelvic-drop" in _rules(dropping)
    assert "movement-pelvic-drop" not in _rules(replace(plan, pelvic_drop_deg=4.0))


@pytest.mark.fires("movement-lowering-fast")
def test_step_downs_lowered_quicker_than_the_setting_are_a_finding() -> None:
    quick = Plan(view=View.FRONT, exercise=Exercise.STEP_DOWN, knee_deg=60, down_s=1.0)
    assert "movement-lowering-fast" in _rules(quick)
    assert "movement-lowering-fast" not in _rules(replace(quick, down_s=3.5))
    squats = replace(quick, exercise=Exercise.SINGLE_LEG_SQUAT)
    assert "movement-lowering-fast" not in _rules(squats)


def test_an_empty_clip_is_graded_poor_without_failing() -> None:
    found = analyse(Series(()), Exercise.SQUAT)
    assert found.tracking.frames == 0 and found.tracking.grade is Grade.POOR
    assert found.rep_count is None
