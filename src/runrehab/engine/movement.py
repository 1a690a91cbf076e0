"""The movement check's measures, from a landmark series (issue 18; digest section 10).

Input: a :class:`Series`, per video frame its time and the 12 leg and trunk landmarks of
MediaPipe Pose's 33 (x, y in the picture's 0 to 1 range, visibility), or None where Pose found
nobody; the frame's size in pixels makes the angles true. Output: an :class:`Analysis` of frozen
values. Pure: no I/O, no clock, no content; the settings come in as :class:`MovementSettings`.

How it goes:

1. **Frames.** A frame is measured only when one whole leg is seen, every hip, knee and ankle
   lies inside the picture, the legs have a plausible length and the hips did not jump; the
   others are set aside with their reason. The share measured grades the tracking; a poorly
   tracked clip is not counted (its reps would be guesses).
2. **View.** From the front the shoulders and hips are wide against the trunk, from the side
   narrow; each stretch of the clip keeps its own view (or the view given).
3. **Depth.** How far the hips came down towards the standing foot, as a share of the standing
   hip-to-ankle height, smoothed; standing is the tallest within a few seconds either side, so
   a person moving in the picture or a zoom between stretches does not drift it.
4. **Reps.** An excursion of the depth past a minimum that comes back up (hysteresis), long
   enough, as deep as the clip's usual reps, with no long gap in the tracking: noise, a bob or
   lost frames never add a rep. The working leg: both on a squat, the front leg of a lunge, the
   leg whose foot stays put on one leg.
5. **Measures.** Down and up time; knee bend from the side only (from the front the thigh points
   at the camera); the frontal-plane projection angle (FPPA) of each knee at the deepest point,
   pelvic drop and sideways trunk lean from the front only (forward lean from the side); the
   sides' means against each other. A measure the view cannot give is None, never guessed.
6. **Findings**, each a :class:`~runrehab.engine.values.Reason` naming its rule
   (``content/data/rules/movement.toml``) with the clip's own figures as its detail.
"""

from __future__ import annotations

import itertools
import math
from collections import deque
from dataclasses import dataclass
from enum import StrEnum
from statistics import median
from typing import NamedTuple

from runrehab.engine.values import Reason

LANDMARKS = (
    "left_shoulder",
    "right_shoulder",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
    "left_heel",
    "right_heel",
    "left_foot_index",
    "right_foot_index",
)
"""The landmarks a frame carries, in this order (the person's own left and right, as MediaPipe
Pose names them)."""


class Point(NamedTuple):
    """A landmark: x and y in the image's 0 to 1 range (y down), and how sure Pose is that it
    is visible (0 to 1)."""

    x: float
    y: float
    visibility: float


class Frame(NamedTuple):
    """One video frame: its time in seconds and the points of ``LANDMARKS`` in order, or None
    when Pose found nobody."""

    t: float
    points: tuple[Point, ...] | None


@dataclass(frozen=True, slots=True)
class Series:
    """A clip's landmark series, and its frame size in pixels (for true angles)."""

    frames: tuple[Frame, ...]
    width: int = 1
    height: int = 1


class Exercise(StrEnum):
    SINGLE_LEG_SQUAT = "single_leg_squat"
    STEP_DOWN = "step_down"
    SQUAT = "squat"
    LUNGE = "lunge"


class View(StrEnum):
    FRONT = "front"
    SIDE = "side"


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"


class Grade(StrEnum):
    GOOD = "good"
    FAIR = "fair"
    POOR = "poor"


@dataclass(frozen=True, slots=True)
class MovementSettings:
    """The movement check's numbers (``movement.toml``). Those the digest does not give are
    product estimates, marked [M] there.

    Tracking: a frame is *confident* when one whole leg (hip, knee, ankle) is seen with at
    least ``min_visibility``, every hip, knee and ankle lies inside the picture (``edge_margin``
    of its size to spare), the longer leg is within ``max_leg_ratio`` of its usual length, and
    the hips moved less than ``max_jump`` leg lengths since the frame before. A clip with at
    least ``good_share`` of confident frames tracks well, ``fair_share`` fairly, else poorly (and
    its reps are not counted).

    View: from the front when the shoulders' and the hips' widths, over twice the trunk's
    length, reach ``front_width_ratio``; a view held less than ``min_view_span_s`` is folded
    into its neighbours.

    Reps: the hips' drop towards the standing foot, as a share of the standing hip-to-ankle
    height (``depth``), smoothed over ``smoothing_s``; standing is the highest the hips were
    within ``reference_window_s`` either side. A rep goes down past ``rep_depth_min``, comes
    back up past ``rep_exit_ratio`` of it and ``rep_return_share`` of its own depth (hysteresis),
    starts and ends where the depth is ``rep_edge_share`` of its deepest (its down and up
    times), lasts ``rep_min_s`` to ``rep_max_s``, goes at least ``rep_relative_min`` as deep as
    the clip's usual rep, and holds no gap in the tracking longer than ``max_gap_s``.

    Findings: a knee's FPPA above ``fppa_concern_deg`` [M] (an FPPA beyond ``fppa_max_deg``
    either way is no measure: the camera was not square to the body, or the knee bent too deep
    to judge from the front); sides differing by
    ``side_difference_deg`` or more (the smallest detectable difference, Munro 2012); pelvic drop
    above ``pelvic_drop_concern_deg`` [M]; step-downs lowered faster than ``lowering_min_s``."""

    min_visibility: float = 0.5
    edge_margin: float = 0.02
    max_leg_ratio: float = 1.8
    max_jump: float = 0.5
    good_share: float = 0.8
    fair_share: float = 0.6
    front_width_ratio: float = 0.3
    min_view_span_s: float = 2.0
    max_gap_s: float = 0.5
    smoothing_s: float = 0.2
    reference_window_s: float = 6.0
    rep_depth_min: float = 0.08
    rep_exit_ratio: float = 0.5
    rep_return_share: float = 0.2
    rep_edge_share: float = 0.1
    rep_relative_min: float = 0.4
    rep_min_s: float = 0.6
    rep_max_s: float = 20.0
    fppa_concern_deg: float = 13.0
    fppa_max_deg: float = 40.0
    side_difference_deg: float = 9.0
    pelvic_drop_concern_deg: float = 8.0
    lowering_min_s: float = 2.5


@dataclass(frozen=True, slots=True)
class Rep:
    """One repetition: when it started, reached its deepest point and ended (seconds from the
    clip's start), the working leg (``both`` for a squat on two legs) and what was measured.

    A measure the view cannot give is None: knee flexion from the side only, the
    frontal-plane projection angle (FPPA, positive = the knee falls inward) and pelvic drop
    from the front only. ``trunk_lean_deg`` is sideways lean from the front (positive towards
    the working leg; its size on two legs) and forward lean from the side."""

    number: int
    start_s: float
    bottom_s: float
    end_s: float
    side: Side
    view: View
    depth: float
    """How far the hips came down, as a share of the standing hip-to-ankle height."""
    down_s: float
    up_s: float
    knee_flexion_max_deg: float | None
    knee_flexion_range_deg: float | None
    fppa_left_deg: float | None
    fppa_right_deg: float | None
    fppa_deg: float | None
    """The working leg's FPPA (the larger of the two on two legs)."""
    pelvic_drop_deg: float | None
    trunk_lean_deg: float | None


@dataclass(frozen=True, slots=True)
class SetAside:
    """Frames not measured, and why: ``no_pose`` (nobody found), ``low_visibility`` (a hip,
    knee or ankle Pose is unsure of), ``outside_image`` (a hip, knee or ankle outside the
    picture), ``implausible`` (a leg of impossible length, or a jump between frames)."""

    reason: str
    frames: int
    times_s: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class Tracking:
    """How well the person was followed: frames, frames with a pose, frames confident enough to
    measure, the grade, and the frames set aside by reason."""

    frames: int
    frames_with_pose: int
    confident_frames: int
    grade: Grade
    set_aside: tuple[SetAside, ...]

    @property
    def confident_share(self) -> float:
        return self.confident_frames / self.frames if self.frames else 0.0


@dataclass(frozen=True, slots=True)
class ViewSpan:
    """A stretch of the clip filmed from one view."""

    view: View
    start_s: float
    end_s: float


@dataclass(frozen=True, slots=True)
class LeftRight:
    """A measure on the left against the right: the mean of each side's reps (None: no rep on
    that side), and right minus left."""

    measure: str
    left: float | None
    right: float | None
    difference: float | None


@dataclass(frozen=True, slots=True)
class Sample:
    """One confident frame of the knee-angle curve: the apparent knee angle of each leg in the
    picture (180 minus the hip-knee-ankle angle: true flexion from the side only) and the
    depth of the hips."""

    t: float
    left_knee_deg: float
    right_knee_deg: float
    depth: float


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything the movement check measures in one clip."""

    exercise: Exercise
    view: View
    view_given: bool
    views: tuple[ViewSpan, ...]
    reps: tuple[Rep, ...]
    counted: bool
    """False when the tracking was too poor to count: ``reps`` is then empty."""
    tracking: Tracking
    left_right: tuple[LeftRight, ...]
    curve: tuple[Sample, ...]
    findings: tuple[Reason, ...]

    @property
    def rep_count(self) -> int | None:
        return len(self.reps) if self.counted else None


# --- the whole check ------------------------------------------------------------------------


def analyse(
    series: Series,
    exercise: Exercise,
    settings: MovementSettings | None = None,
    view: View | None = None,
) -> Analysis:
    """Measure ``series``: the view (``view`` when given, else detected), the reps, their
    measures, the tracking's grade and the findings, each naming its rule."""
    s = settings or MovementSettings()
    bodies, reasons = _checked(series, s)
    tracking = _tracking(series, bodies, reasons, s)
    spans = _view_spans(bodies, view, s)
    main = view or _main_view(spans)
    signals = _signals(bodies, exercise, spans, s)
    counted = tracking.grade is not Grade.POOR
    reps = _reps(signals, bodies, exercise, spans, s) if counted else ()
    pairs = _left_right(reps)
    curve = tuple(
        Sample(b.t, round(b.bends[LEFT], 1), round(b.bends[RIGHT], 1), round(depth, 3))
        for b, depth in zip(signals.bodies, signals.depth, strict=True)
    )
    findings = _findings(exercise, tracking, spans, reps, counted, pairs, s)
    return Analysis(
        exercise, main, view is not None, spans, reps, counted, tracking, pairs, curve, findings
    )


# --- frames: a body in pixels, or why it was set aside --------------------------------------

LEFT, RIGHT = 0, 1
_SH, _HIP, _KNEE, _ANKLE = 0, 2, 4, 6  # index of the left one; the right one follows it


class _Body(NamedTuple):
    """A confident frame's landmarks in pixels (x right, y down) with their visibility. (A
    named tuple, not a frozen data class: one is made for every frame, and a tuple is made
    several times faster.)"""

    t: float
    xy: tuple[tuple[float, float], ...]
    seen: tuple[float, ...]
    shoulders: bool
    """Whether both shoulders are inside the picture and one is seen (for the view and the
    trunk; from the side the far one is hidden, and Pose places it by the near one)."""
    hips: tuple[float, float]
    """The hips' midpoint."""
    length: float
    """The longer leg's length, hip to knee to ankle."""
    bends: tuple[float, float]
    """Each leg's flexion (:func:`_leg_shape`)."""
    # The last three are worked out once per frame: the checks, the depth, the curve and the
    # reps each read them again, and a clip has hundreds of frames.

    def at(self, joint: int, leg: int) -> tuple[float, float]:
        return self.xy[joint + leg]

    def leg_height(self, leg: int) -> float:
        """Ankle below hip, in pixels."""
        return self.at(_ANKLE, leg)[1] - self.at(_HIP, leg)[1]

    def leg_seen(self, leg: int) -> float:
        return min(self.seen[j + leg] for j in (_HIP, _KNEE, _ANKLE))


def _leg_shape(xy: tuple[tuple[float, float], ...], leg: int) -> tuple[float, float]:
    """A leg's length (hip to knee to ankle) and its flexion: 180 minus the hip-knee-ankle
    angle in the picture, 0 for a straight leg."""
    hip, knee, ankle = xy[_HIP + leg], xy[_KNEE + leg], xy[_ANKLE + leg]
    return math.dist(hip, knee) + math.dist(knee, ankle), 180.0 - _angle(hip, knee, ankle)


def _checked(series: Series, s: MovementSettings) -> tuple[list[_Body], list[tuple[float, str]]]:
    """The confident frames as bodies, and every other frame's time and why it was set aside."""
    bodies: list[_Body] = []
    reasons: list[tuple[float, str]] = []
    for frame in series.frames:
        body, why = _body(frame, series.width, series.height, s)
        if body is None:
            reasons.append((frame.t, why))
        else:
            bodies.append(body)
    usual = _median([b.length for b in bodies])
    kept: list[_Body] = []
    for body in bodies:
        why = _implausible(body, kept[-1] if kept else None, usual, s)
        if why:
            reasons.append((body.t, why))
        else:
            kept.append(body)
    return kept, sorted(reasons)


def _body(frame: Frame, width: int, height: int, s: MovementSettings) -> tuple[_Body | None, str]:
    points = frame.points
    if points is None or len(points) != len(LANDMARKS):
        return None, "no_pose"
    low, high = -s.edge_margin, 1 + s.edge_margin
    if not _inside(points[_HIP : _ANKLE + 2], low, high):
        return None, "outside_image"
    seen = tuple([p.visibility for p in points])
    legs_seen = (
        min(seen[_HIP], seen[_KNEE], seen[_ANKLE]),
        min(seen[_HIP + 1], seen[_KNEE + 1], seen[_ANKLE + 1]),
    )
    if max(legs_seen) < s.min_visibility:
        return None, "low_visibility"
    shoulders = _inside(points[_SH : _SH + 2], low, high) and (
        max(seen[_SH], seen[_SH + 1]) >= s.min_visibility
    )
    xy = tuple([(p.x * width, p.y * height) for p in points])
    (left_length, left_bend), (right_length, right_bend) = (
        _leg_shape(xy, LEFT),
        _leg_shape(xy, RIGHT),
    )
    hips = _mid(xy[_HIP], xy[_HIP + 1])
    body = _Body(
        frame.t, xy, seen, shoulders, hips, max(left_length, right_length), (left_bend, right_bend)
    )
    return body, ""


def _inside(points: tuple[Point, ...], low: float, high: float) -> bool:
    """Whether every point lies within ``low`` to ``high``."""
    for x, y, _ in points:  # noqa: SIM110 - twice as fast as all() over a generator, per frame
        if not (low <= x <= high and low <= y <= high):
            return False
    return True


def _implausible(body: _Body, before: _Body | None, usual: float, s: MovementSettings) -> str:
    length = body.length
    if usual > 0 and not usual / s.max_leg_ratio <= length <= usual * s.max_leg_ratio:
        return "implausible"
    if before is not None and body.t - before.t <= s.max_gap_s:
        moved = math.dist(body.hips, before.hips)
        if moved > s.max_jump * max(usual, 1e-9):
            return "implausible"
    return ""


def _tracking(
    series: Series, bodies: list[_Body], reasons: list[tuple[float, str]], s: MovementSettings
) -> Tracking:
    frames = len(series.frames)
    with_pose = sum(1 for f in series.frames if f.points is not None)
    share = len(bodies) / frames if frames else 0.0
    grade = Grade.GOOD if share >= s.good_share else Grade.FAIR
    if share < s.fair_share:
        grade = Grade.POOR
    by_reason: dict[str, list[float]] = {}
    for t, why in reasons:
        by_reason.setdefault(why, []).append(t)
    aside = tuple(
        SetAside(why, len(times), tuple(times))
        for why, times in sorted(by_reason.items(), key=lambda kv: -len(kv[1]))
    )
    return Tracking(frames, with_pose, len(bodies), grade, aside)


# --- the view -------------------------------------------------------------------------------


def _frame_view(body: _Body, s: MovementSettings) -> View | None:
    if not body.shoulders:
        return None
    xy = body.xy
    trunk = math.dist(_mid(xy[_SH], xy[_SH + 1]), body.hips)
    if trunk <= 0:
        return None
    widths = abs(xy[_SH][0] - xy[_SH + 1][0]) + abs(xy[_HIP][0] - xy[_HIP + 1][0])
    return View.FRONT if widths / (2 * trunk) >= s.front_width_ratio else View.SIDE


def _view_spans(
    bodies: list[_Body], given: View | None, s: MovementSettings
) -> tuple[ViewSpan, ...]:
    """The stretches of one view: the given view over the whole clip, else each frame's view
    (a frame without shoulders takes its neighbour's), short stretches folded in."""
    if not bodies:
        return (ViewSpan(given or View.FRONT, 0.0, 0.0),)
    if given is not None:
        return (ViewSpan(given, bodies[0].t, bodies[-1].t),)
    views = [_frame_view(b, s) for b in bodies]
    known = [v for v in views if v is not None]
    last = known[0] if known else View.FRONT
    filled: list[View] = []
    for v in views:
        last = v or last
        filled.append(last)
    runs: list[list[float | View]] = []
    for body, v in zip(bodies, filled, strict=True):
        if runs and runs[-1][0] == v:
            runs[-1][2] = body.t
        else:
            runs.append([v, body.t, body.t])
    spans = [ViewSpan(View(r[0]), float(r[1]), float(r[2])) for r in runs]  # type: ignore[arg-type]
    return tuple(_fold_short(spans, s.min_view_span_s))


def _fold_short(spans: list[ViewSpan], shortest: float) -> list[ViewSpan]:
    """Fold each stretch shorter than ``shortest`` into the stretch before it (or after it,
    for the first), then join neighbours of the same view."""
    while len(spans) > 1:
        short = [i for i, sp in enumerate(spans) if sp.end_s - sp.start_s < shortest]
        if not short:
            break
        i = min(short, key=lambda k: spans[k].end_s - spans[k].start_s)
        j = i - 1 if i > 0 else 1
        keep = spans[j]
        start, end = min(keep.start_s, spans[i].start_s), max(keep.end_s, spans[i].end_s)
        spans[j] = ViewSpan(keep.view, start, end)
        del spans[i]
        joined: list[ViewSpan] = []
        for sp in spans:
            if joined and joined[-1].view == sp.view:
                joined[-1] = ViewSpan(sp.view, joined[-1].start_s, sp.end_s)
            else:
                joined.append(sp)
        spans = joined
    return spans


def _main_view(spans: tuple[ViewSpan, ...]) -> View:
    totals = {v: sum(sp.end_s - sp.start_s for sp in spans if sp.view == v) for v in View}
    return max(View, key=lambda v: (totals[v], v == spans[0].view))


def _view_at(spans: tuple[ViewSpan, ...], t: float) -> View:
    for sp in spans:
        if t <= sp.end_s:
            return sp.view
    return spans[-1].view


# --- the depth signal -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Signals:
    bodies: list[_Body]
    depth: list[float]
    segments: list[range]
    """Runs of frames without a gap longer than ``max_gap_s`` nor a change of view."""


def _signals(
    bodies: list[_Body], exercise: Exercise, spans: tuple[ViewSpan, ...], s: MovementSettings
) -> _Signals:
    """The depth of every confident frame: how far the hips came down towards the standing
    foot, as a share of that height when standing (the most within ``reference_window_s``).
    The standing foot is the lower ankle on two legs and in a lunge (the front foot); on one
    leg, the foot that moves least within ``reference_window_s`` (the free foot may hang lower
    than the standing one, on a step-down, or swing, on a single-leg squat)."""
    segments = _segments(bodies, spans, s)
    depth = [0.0] * len(bodies)
    for seg in segments:
        part = bodies[seg.start : seg.stop]
        times = [b.t for b in part]
        if exercise in (Exercise.SINGLE_LEG_SQUAT, Exercise.STEP_DOWN):
            legs = _stance_legs(part, times, exercise is Exercise.STEP_DOWN, s)
            ankle_y = [b.xy[_ANKLE + leg][1] for b, leg in zip(part, legs, strict=True)]
        else:
            ankle_y = [max(b.xy[_ANKLE][1], b.xy[_ANKLE + 1][1]) for b in part]
        height = [a - b.hips[1] for a, b in zip(ankle_y, part, strict=True)]
        height = _smoothed(times, height, s.smoothing_s)
        standing = _rolling_max(times, height, s.reference_window_s)
        depth[seg.start : seg.stop] = [
            1.0 - h / top if top > 0 else 0.0 for h, top in zip(height, standing, strict=True)
        ]
    return _Signals(bodies, depth, segments)


def _stance_legs(
    part: list[_Body], times: list[float], higher: bool, s: MovementSettings
) -> list[int]:
    """Each frame's standing leg: the one whose ankle ranged over clearly less ground (by a
    twentieth of the legs' length) within ``reference_window_s`` either side; else the lower
    ankle's (the higher one's, on the step, with ``higher``: a step-down)."""
    ranges = []
    for leg in (LEFT, RIGHT):
        xs = _smoothed(times, [b.xy[_ANKLE + leg][0] for b in part], s.smoothing_s)
        ys = _smoothed(times, [b.xy[_ANKLE + leg][1] for b in part], s.smoothing_s)
        ranges.append(_rolling_range(times, xs, ys, s.reference_window_s))
    legs = []
    for b, left, right in zip(part, ranges[LEFT], ranges[RIGHT], strict=True):
        if abs(left - right) > 0.05 * b.length:
            legs.append(LEFT if left < right else RIGHT)
        else:
            ankles = (b.xy[_ANKLE][1], b.xy[_ANKLE + 1][1])
            legs.append(ankles.index(min(ankles) if higher else max(ankles)))
    return legs


def _rolling_range(
    times: list[float], xs: list[float], ys: list[float], half: float
) -> list[float]:
    """How far a point ranged within ``half`` seconds either side: its spread in x plus in y."""
    spread = [_rolling_max(times, v, half) for v in (xs, ys)]
    least = [_rolling_max(times, [-x for x in v], half) for v in (xs, ys)]
    return [(xm + xl) + (ym + yl) for xm, ym, xl, yl in zip(*spread, *least, strict=True)]


def _segments(bodies: list[_Body], spans: tuple[ViewSpan, ...], s: MovementSettings) -> list[range]:
    views = [_view_at(spans, b.t) for b in bodies]  # once a frame, not once for each neighbour
    cuts = [0]
    for i in range(1, len(bodies)):
        gap = bodies[i].t - bodies[i - 1].t > s.max_gap_s
        if gap or views[i] != views[i - 1]:
            cuts.append(i)
    cuts.append(len(bodies))
    return [range(a, b) for a, b in itertools.pairwise(cuts) if b > a]


def _smoothed(times: list[float], values: list[float], window: float) -> list[float]:
    """The centred moving mean over ``window`` seconds."""
    half = window / 2
    n = len(times)
    out: list[float] = []
    lo = hi = 0
    total = 0.0
    for t in times:
        reach, since = t + half, t - half
        while hi < n and times[hi] <= reach:
            total += values[hi]
            hi += 1
        while times[lo] < since:
            total -= values[lo]
            lo += 1
        out.append(total / (hi - lo))
    return out


def _rolling_max(times: list[float], values: list[float], half: float) -> list[float]:
    """The most of ``values`` within ``half`` seconds either side (a monotonic queue)."""
    n = len(times)
    out: list[float] = []
    queue: deque[int] = deque()
    hi = 0
    for t in times:
        reach, since = t + half, t - half
        while hi < n and times[hi] <= reach:
            value = values[hi]
            while queue and values[queue[-1]] <= value:
                queue.pop()
            queue.append(hi)
            hi += 1
        while times[queue[0]] < since:
            queue.popleft()
        out.append(values[queue[0]])
    return out


# --- repetitions ----------------------------------------------------------------------------


def _reps(
    signals: _Signals,
    bodies: list[_Body],
    exercise: Exercise,
    spans: tuple[ViewSpan, ...],
    s: MovementSettings,
) -> tuple[Rep, ...]:
    found = [c for seg in signals.segments for c in _candidates(signals.depth, bodies, seg, s)]
    usual = _median([signals.depth[bottom] for _, bottom, _ in found])
    kept = [c for c in found if signals.depth[c[1]] >= s.rep_relative_min * usual]
    return tuple(
        _measured(n, c, signals, exercise, _view_at(spans, bodies[c[1]].t), s)
        for n, c in enumerate(kept, start=1)
    )


def _candidates(
    depth: list[float], bodies: list[_Body], seg: range, s: MovementSettings
) -> list[tuple[int, int, int]]:
    """(start, bottom, end) of each excursion past ``rep_depth_min`` that comes back up within
    the segment. Hysteresis: back up only below ``rep_exit_ratio`` of ``rep_depth_min`` or
    ``rep_return_share`` of the rep's deepest, whichever is more (a rep cut by the segment's
    end counts when it came back that far)."""
    found: list[tuple[int, int, int]] = []
    bottom: int | None = None
    floor = seg.start  # a rep starts no earlier than the end of the one before
    for i in seg:
        d = depth[i]
        if bottom is None:
            bottom = i if d > s.rep_depth_min else None
            continue
        if d > depth[bottom]:
            bottom = i
        leave = max(s.rep_depth_min * s.rep_exit_ratio, depth[bottom] * s.rep_return_share)
        if d <= leave or (i == seg.stop - 1 and d <= depth[bottom] * s.rep_return_share):
            rep = _edges(depth, bottom, floor, i, seg.stop - 1, s)
            if rep is not None and s.rep_min_s <= bodies[rep[2]].t - bodies[rep[0]].t <= (
                s.rep_max_s
            ):
                found.append(rep)
                floor = rep[2]
            bottom = None
    return found


_FLAT = 1e-9
"""Depths closer than this are level: a moving mean's running sum leaves a flat stretch a
rounding error above or below itself, which must not end the walk to a rep's edge."""


def _edges(
    depth: list[float], bottom: int, floor: int, back: int, limit: int, s: MovementSettings
) -> tuple[int, int, int] | None:
    """(start, bottom, end): a whole rep came down from ``rep_return_share`` of its depth (else
    the segment began part-way down: None); it starts where the depth was last
    ``rep_edge_share`` of its deepest and ends where it is next (or, when the depth between
    reps stayed above that, at ``rep_return_share``)."""
    edge, timing = depth[bottom] * s.rep_return_share, depth[bottom] * s.rep_edge_share
    start = bottom
    while start > floor and depth[start] > edge:
        start -= 1
    if depth[start] > edge:
        return None
    first = start
    while first > floor and depth[first] > timing and depth[first - 1] <= depth[first] + _FLAT:
        first -= 1
    end = bottom
    while end < back and depth[end] > edge:
        end += 1
    last = end
    while last < limit and depth[last] > timing and depth[last + 1] <= depth[last] + _FLAT:
        last += 1
    return (
        first if depth[first] <= timing else start,
        bottom,
        last if depth[last] <= timing else end,
    )


def _measured(
    number: int,
    rep: tuple[int, int, int],
    signals: _Signals,
    exercise: Exercise,
    view: View,
    s: MovementSettings,
) -> Rep:
    b = signals.bodies
    start, bottom, end = rep
    rest = _rest_before(signals.depth, start, s)
    side = _working_side(b[rest : bottom + 1], exercise)
    frames = b[start : end + 1]
    flex_max = flex_range = fppa_l = fppa_r = fppa = drop = None
    if view is View.SIDE:
        leg = _near_leg(frames) if side is Side.BOTH else _leg(side)
        bends = [f.bends[leg] for f in b[rest : end + 1]]
        flex_max, flex_range = max(bends), max(bends) - min(bends)
    else:
        around = [f for f in b if abs(f.t - b[bottom].t) <= s.smoothing_s / 2] or [b[bottom]]
        both = side is Side.BOTH
        fppa_l = _fppa_near(around, LEFT, s) if both or side is Side.LEFT else None
        fppa_r = _fppa_near(around, RIGHT, s) if both or side is Side.RIGHT else None
        fppa = _worst(fppa_l, fppa_r) if both else (fppa_l if side is Side.LEFT else fppa_r)
        if exercise in (Exercise.SINGLE_LEG_SQUAT, Exercise.STEP_DOWN) and not both:
            drop = _pelvis_tilt(b[bottom], _leg(side)) - _pelvis_tilt(b[rest], _leg(side))
    down, up = b[bottom].t - b[start].t, b[end].t - b[bottom].t
    return Rep(
        number=number,
        start_s=b[start].t,
        bottom_s=b[bottom].t,
        end_s=b[end].t,
        side=side,
        view=view,
        depth=round(signals.depth[bottom], 3),
        down_s=round(down, 2),
        up_s=round(up, 2),
        knee_flexion_max_deg=_round(flex_max),
        knee_flexion_range_deg=_round(flex_range),
        fppa_left_deg=_round(fppa_l),
        fppa_right_deg=_round(fppa_r),
        fppa_deg=_round(fppa),
        pelvic_drop_deg=_round(drop),
        trunk_lean_deg=_round(_trunk_lean(b[rest], b[bottom], view, side)),
    )


def _rest_before(depth: list[float], start: int, s: MovementSettings) -> int:
    """The standing frame before a rep: back from its start while the depth still falls, for
    up to a second (what pelvic drop and trunk lean are measured against)."""
    rest = start
    while rest > 0 and depth[rest - 1] <= depth[rest] and start - rest < 30:
        rest -= 1
    return rest


def _working_side(frames: list[_Body], exercise: Exercise) -> Side:
    """The working leg: both on a squat; a lunge's front leg (the back knee sinks, so its hip
    stays closest to its ankle: the front leg is the taller at the bottom); on one leg, the leg
    whose foot travelled least from standing to the deepest point."""
    if exercise is Exercise.SQUAT:
        return Side.BOTH
    if exercise is Exercise.LUNGE:
        tall = max((LEFT, RIGHT), key=frames[-1].leg_height)
        return _side(tall)

    def moved(leg: int) -> float:
        xs = [f.at(_ANKLE, leg)[0] for f in frames]
        ys = [f.at(_ANKLE, leg)[1] for f in frames]
        return max(xs) - min(xs) + max(ys) - min(ys)

    return _side(min((LEFT, RIGHT), key=moved))


def _near_leg(frames: list[_Body]) -> int:
    return max((LEFT, RIGHT), key=lambda leg: sum(f.leg_seen(leg) for f in frames))


def _fppa(body: _Body, leg: int) -> float:
    """The frontal-plane projection angle: 180 minus the hip-knee-ankle angle in the picture,
    positive when the knee lies inside the hip-ankle line (towards the other leg: valgus)."""
    hip, knee, ankle = body.at(_HIP, leg), body.at(_KNEE, leg), body.at(_ANKLE, leg)
    size = 180.0 - _angle(hip, knee, ankle)
    inward = body.at(_HIP, 1 - leg)[0] - hip[0]
    if ankle[1] == hip[1]:
        return size
    line_x = hip[0] + (ankle[0] - hip[0]) * (knee[1] - hip[1]) / (ankle[1] - hip[1])
    offset = knee[0] - line_x
    return size if offset * inward > 0 else -size


def _fppa_near(frames: list[_Body], leg: int, s: MovementSettings) -> float | None:
    """The mean FPPA over ``frames``; None when it is beyond ``fppa_max_deg`` either way: no
    knee falls in or out that far, so the camera was not square to the body, or the knee bent
    too deep to judge from the front."""
    found = _mean([_fppa(f, leg) for f in frames])
    return found if found is not None and abs(found) <= s.fppa_max_deg else None


def _pelvis_tilt(body: _Body, stance: int) -> float:
    """How far the other leg's hip sits below the standing leg's, in degrees."""
    (sx, sy), (fx, fy) = body.at(_HIP, stance), body.at(_HIP, 1 - stance)
    return math.degrees(math.atan2(fy - sy, abs(fx - sx) or 1e-9))


def _trunk_lean(start: _Body, bottom: _Body, view: View, side: Side) -> float | None:
    """From the side, the trunk's forward lean from upright at the bottom; from the front, how
    much more it leans sideways at the bottom than at the start (towards the working leg
    positive; its size on two legs)."""
    if not (start.shoulders and bottom.shoulders):
        return None
    if view is View.SIDE:
        return abs(_lean(bottom))
    change = _lean(bottom) - _lean(start)
    if side is Side.BOTH:
        return abs(change)
    towards = bottom.at(_HIP, _leg(side))[0] - bottom.hips[0]
    return change if towards >= 0 else -change


def _lean(body: _Body) -> float:
    """The trunk's angle from upright in the picture, positive to the right of the image."""
    hx, hy = body.hips
    sx, sy = _mid(body.xy[_SH], body.xy[_SH + 1])
    return math.degrees(math.atan2(sx - hx, hy - sy))


# --- left against right, and what it all means -----------------------------------------------


def _left_right(reps: tuple[Rep, ...]) -> tuple[LeftRight, ...]:
    """Each measure's mean on the left and on the right: the FPPA of every rep that has one,
    the knee flexion and depth of one-legged reps."""
    sided = [r for r in reps if r.side is not Side.BOTH]
    measures: dict[str, tuple[list[float | None], list[float | None]]] = {
        "fppa_deg": ([r.fppa_left_deg for r in reps], [r.fppa_right_deg for r in reps]),
        "knee_flexion_max_deg": (
            [r.knee_flexion_max_deg for r in sided if r.side is Side.LEFT],
            [r.knee_flexion_max_deg for r in sided if r.side is Side.RIGHT],
        ),
        "depth": (
            [r.depth for r in sided if r.side is Side.LEFT],
            [r.depth for r in sided if r.side is Side.RIGHT],
        ),
    }
    found = []
    for name, (lefts, rights) in measures.items():
        left = _mean([v for v in lefts if v is not None])
        right = _mean([v for v in rights if v is not None])
        if left is not None or right is not None:
            diff = right - left if left is not None and right is not None else None
            found.append(LeftRight(name, _round(left), _round(right), _round(diff)))
    return tuple(found)


def _findings(
    exercise: Exercise,
    tracking: Tracking,
    spans: tuple[ViewSpan, ...],
    reps: tuple[Rep, ...],
    counted: bool,
    pairs: tuple[LeftRight, ...],
    s: MovementSettings,
) -> tuple[Reason, ...]:
    found: list[Reason] = []
    share = f"{tracking.confident_frames} of {tracking.frames} frames could be measured"
    if not counted:
        found.append(Reason("movement-tracking-poor", share))
    elif tracking.grade is Grade.FAIR:
        found.append(Reason("movement-tracking-fair", share))
    if len(spans) > 1:
        said = ", ".join(f"{sp.view} {sp.start_s:.1f}-{sp.end_s:.1f} s" for sp in spans)
        found.append(Reason("movement-view-changed", said))
    if counted and not reps:
        found.append(Reason("movement-no-reps"))
    if reps and not any(r.view is View.FRONT for r in reps):
        found.append(Reason("movement-fppa-needs-front-view"))
    if reps and not any(r.view is View.SIDE for r in reps):
        found.append(Reason("movement-flexion-needs-side-view"))
    unclear = [r.number for r in reps if r.view is View.FRONT and r.fppa_deg is None]
    if unclear:
        found.append(Reason("movement-fppa-unclear", f"reps {_numbers(unclear)}"))
    found += _knee_findings(reps, pairs, s)
    found += _one_leg_findings(exercise, reps, s)
    return tuple(found)


def _knee_findings(
    reps: tuple[Rep, ...], pairs: tuple[LeftRight, ...], s: MovementSettings
) -> list[Reason]:
    found = []
    for side, values in (
        (Side.LEFT, [r.fppa_left_deg for r in reps if r.fppa_left_deg is not None]),
        (Side.RIGHT, [r.fppa_right_deg for r in reps if r.fppa_right_deg is not None]),
    ):
        typical = _median(values)
        if values and typical > s.fppa_concern_deg:
            detail = f"{side} knee {typical:.0f}° inward at the deepest point ({_of(values)})"
            found.append(Reason("movement-knee-inward", detail))
    for pair in pairs:
        differs = pair.difference is not None and abs(pair.difference) >= s.side_difference_deg
        if pair.measure == "fppa_deg" and differs:
            detail = f"left {pair.left:.0f}°, right {pair.right:.0f}°"
            found.append(Reason("movement-knee-left-right", detail))
    return found


def _one_leg_findings(
    exercise: Exercise, reps: tuple[Rep, ...], s: MovementSettings
) -> list[Reason]:
    found = []
    for side in (Side.LEFT, Side.RIGHT):
        drops = [r.pelvic_drop_deg for r in reps if r.side is side and r.pelvic_drop_deg]
        if drops and _median(drops) > s.pelvic_drop_concern_deg:
            detail = f"standing on the {side} leg: {_median(drops):.0f}° ({_of(drops)})"
            found.append(Reason("movement-pelvic-drop", detail))
    if exercise is Exercise.STEP_DOWN and reps:
        lowering = _median([r.down_s for r in reps])
        if lowering < s.lowering_min_s:
            detail = f"{lowering:.1f} s down ({_of([r.down_s for r in reps])})"
            found.append(Reason("movement-lowering-fast", detail))
    return found


# --- small helpers ---------------------------------------------------------------------------


def _side(leg: int) -> Side:
    return Side.LEFT if leg == LEFT else Side.RIGHT


def _leg(side: Side) -> int:
    return LEFT if side is Side.LEFT else RIGHT


def _mid(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    return (a[0] + b[0]) / 2, (a[1] + b[1]) / 2


def _angle(a: tuple[float, float], b: tuple[float, float], c: tuple[float, float]) -> float:
    """The angle at ``b`` between ``b→a`` and ``b→c``, in degrees (180 for a straight line)."""
    ux, uy = a[0] - b[0], a[1] - b[1]
    vx, vy = c[0] - b[0], c[1] - b[1]
    norm = math.hypot(ux, uy) * math.hypot(vx, vy)
    if norm == 0:
        return 180.0
    cos = (ux * vx + uy * vy) / norm
    return math.degrees(math.acos(max(-1.0, min(1.0, cos))))


def _median(values: list[float]) -> float:
    return float(median(values)) if values else 0.0


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _worst(a: float | None, b: float | None) -> float | None:
    known = [v for v in (a, b) if v is not None]
    return max(known) if known else None


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _numbers(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers)


def _of(values: list[float]) -> str:
    return "median of 1 rep" if len(values) == 1 else f"median of {len(values)} reps"
