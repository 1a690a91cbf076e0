"""Synthetic landmark series for the movement check: a stick figure doing N reps with a known
knee bend, FPPA and pelvic drop, filmed from the front or the side (no video needed).

Pixels: a 1000 x 1000 picture by default (``SIZE``; larger ones hold the same figure), y down;
thigh and shank 200 px each, the hips 120 px apart, the trunk 300 px. A rep lowers and raises
the body, the hips dropping along a raised cosine. At its deepest the working knee bends
``knee_deg`` (from the side: the hip-knee-ankle angle in the picture is 180 minus that), and
from the front the knee sits inside its hip-ankle line by ``fppa_deg`` (the frontal-plane
projection angle) and the free side's hip has dropped ``pelvic_drop_deg``.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, replace

from runrehab.engine.movement import LANDMARKS, Exercise, Frame, Point, Series, View

SIZE = 1000
THIGH = SHANK = 200.0
HIPS = 120.0
TRUNK = 300.0
FLOOR = 850.0
"""Where the standing foot is (on a step-down, the step's top)."""
STEP = 60.0
"""How far below the step the free foot reaches on a step-down."""
CENTRE = 500.0
FPS = 30.0

Xy = tuple[float, float]


@dataclass(frozen=True)
class Plan:
    """What the figure does: ``reps`` reps of ``exercise`` from ``view``, each ``down_s`` down
    and ``up_s`` up with ``pause_s`` standing before, between and after."""

    exercise: Exercise = Exercise.SQUAT
    view: View = View.SIDE
    reps: int = 3
    knee_deg: float = 90.0
    fppa_deg: float = 0.0
    pelvic_drop_deg: float = 0.0
    down_s: float = 1.5
    up_s: float = 1.0
    pause_s: float = 1.0
    first_leg: str = "left"
    """The working leg of the first rep (one-legged exercises alternate only for a lunge)."""
    width: int = SIZE
    height: int = SIZE


def series(plan: Plan) -> Series:
    """The plan filmed at 30 frames a second."""
    frames = []
    drawn: dict[tuple[str, float], tuple[Point, ...]] = {}  # standing, frames share a pose
    total = plan.pause_s + plan.reps * (plan.down_s + plan.up_s + plan.pause_s)
    for i in range(int(total * FPS) + 1):
        t = i / FPS
        rep, progress = _progress(plan, t)
        leg = _working_leg(plan, rep)
        points = drawn.get((leg, progress))
        if points is None:
            points = drawn[leg, progress] = _points(_pose(plan, leg, progress), plan)
        frames.append(Frame(round(t, 4), points))
    return Series(tuple(frames), plan.width, plan.height)


def bottoms(plan: Plan) -> list[float]:
    """The time of each rep's deepest point."""
    cycle = plan.down_s + plan.up_s + plan.pause_s
    return [plan.pause_s + k * cycle + plan.down_s for k in range(plan.reps)]


def working_legs(plan: Plan) -> list[str]:
    return [_working_leg(plan, k) for k in range(plan.reps)]


def _progress(plan: Plan, t: float) -> tuple[int, float]:
    """(rep index, 0 standing to 1 deepest) at time ``t``."""
    cycle = plan.down_s + plan.up_s + plan.pause_s
    if t < plan.pause_s:
        return 0, 0.0
    k, into = divmod(t - plan.pause_s, cycle)
    rep = min(int(k), plan.reps - 1)
    if k >= plan.reps:
        return rep, 0.0
    if into < plan.down_s:
        return rep, (1 - math.cos(math.pi * into / plan.down_s)) / 2
    into -= plan.down_s
    if into < plan.up_s:
        return rep, (1 + math.cos(math.pi * into / plan.up_s)) / 2
    return rep, 0.0


def _working_leg(plan: Plan, rep: int) -> str:
    if plan.exercise is Exercise.LUNGE and rep % 2:
        return "right" if plan.first_leg == "left" else "left"
    return plan.first_leg


# --- the figure, in pixels ------------------------------------------------------------------


def _pose(plan: Plan, leg: str, p: float) -> dict[str, Xy]:
    """The figure ``p`` of the way down (0 standing, 1 deepest). The hips drop about as the
    square of the knee's bend, so the bend goes as the square root of ``p``: the hips drop at
    an even pace, as in the real clips."""
    p = math.sqrt(p)
    if plan.view is View.SIDE:
        return _side(plan, leg, p)
    return _front(plan, leg, p)


def _side(plan: Plan, leg: str, p: float) -> dict[str, Xy]:
    """Facing the picture's right; the working leg (both, on a squat) bends ``knee_deg`` at the
    deepest, its shank leaning forward 40 % of the bend, the thigh back 60 %."""
    bend = math.radians(plan.knee_deg * p)
    ankle = (CENTRE, FLOOR)
    knee = (ankle[0] + SHANK * math.sin(0.4 * bend), ankle[1] - SHANK * math.cos(0.4 * bend))
    hip = (knee[0] - THIGH * math.sin(0.6 * bend), knee[1] - THIGH * math.cos(0.6 * bend))
    lean = math.radians(10 + 30 * p)
    shoulder = (hip[0] + TRUNK * math.sin(lean), hip[1] - TRUNK * math.cos(lean))
    joints = {}
    for side, shift in (("left", 0.0), ("right", 6.0)):  # the far leg a little behind
        one_legged = plan.exercise is not Exercise.SQUAT and side != leg
        joints[f"{side}_hip"] = (hip[0] + shift, hip[1])
        joints[f"{side}_shoulder"] = (shoulder[0] + shift, shoulder[1])
        if one_legged and plan.exercise is Exercise.STEP_DOWN:  # reaching down past the step
            reach = min(THIGH + SHANK, STEP + FLOOR - hip[1])
            joints[f"{side}_knee"] = (hip[0] + 40, hip[1] + reach / 2)
            joints[f"{side}_ankle"] = (hip[0] + 20, hip[1] + reach)
        elif one_legged and plan.exercise is Exercise.LUNGE:  # the back leg: knee sinks
            back_ankle = (hip[0] - 150 * p, FLOOR - 40 * p)
            joints[f"{side}_ankle"] = back_ankle
            joints[f"{side}_knee"] = (hip[0] - 60 * p, (hip[1] + back_ankle[1]) / 2 + 40 * p)
        elif one_legged:  # the free leg held forward, knee up
            free_knee = (hip[0] + THIGH * 0.7, hip[1] + THIGH * 0.7)
            joints[f"{side}_knee"] = free_knee
            joints[f"{side}_ankle"] = (free_knee[0] + 10, free_knee[1] + SHANK * 0.9)
        else:
            joints[f"{side}_knee"] = (knee[0] + shift, knee[1])
            joints[f"{side}_ankle"] = (ankle[0] + shift, ankle[1])
    return _with_feet(joints, forward=1.0)


def _front(plan: Plan, leg: str, p: float) -> dict[str, Xy]:
    """Facing the camera: the person's left on the picture's right. The working leg's knee
    bends (seen from the front: the thigh and shank shorten as they tilt towards the camera)
    and sits ``fppa_deg`` inside its hip-ankle line; the free hip drops ``pelvic_drop_deg``."""
    bend = math.radians(plan.knee_deg * p)
    thigh_v = THIGH * math.cos(0.6 * bend)
    shank_v = SHANK * math.cos(0.4 * bend)
    fppa = math.radians(plan.fppa_deg * p)
    drop = math.radians(plan.pelvic_drop_deg * p)
    working = [leg] if plan.exercise is not Exercise.SQUAT else ["left", "right"]
    joints: dict[str, Xy] = {}
    hip_y = FLOOR - thigh_v - shank_v
    for side in ("left", "right"):
        outward = 1.0 if side == "left" else -1.0
        hip = (CENTRE + outward * HIPS / 2, hip_y)
        if side in working:
            ankle = (hip[0], FLOOR)
            inside = _offset(fppa, thigh_v, shank_v)
            knee = (hip[0] - outward * inside, hip_y + thigh_v)
        elif plan.exercise is Exercise.LUNGE:  # the back leg: knee sinks, foot further away
            ankle = (hip[0], FLOOR - 60 * p)
            knee = (hip[0], hip_y + (ankle[1] - hip_y) * 0.8)
        elif plan.exercise is Exercise.STEP_DOWN:  # the free leg reaches down past the step
            ankle = (hip[0], min(hip_y + THIGH + SHANK, FLOOR + STEP))
            knee = (hip[0], (hip_y + ankle[1]) / 2)
        else:  # single-leg squat: the free foot held up
            knee = (hip[0], hip_y + THIGH * 0.5)
            ankle = (hip[0], knee[1] + SHANK * 0.9)
        joints[f"{side}_hip"], joints[f"{side}_knee"], joints[f"{side}_ankle"] = hip, knee, ankle
    if plan.exercise is not Exercise.SQUAT:
        free = "right" if leg == "left" else "left"
        x, y = joints[f"{free}_hip"]
        joints[f"{free}_hip"] = (x, y + HIPS * math.tan(drop))
    for side in ("left", "right"):
        outward = 1.0 if side == "left" else -1.0
        joints[f"{side}_shoulder"] = (CENTRE + outward * 100, hip_y - TRUNK)
    return _with_feet(joints, forward=0.0)


def _offset(fppa: float, thigh_v: float, shank_v: float) -> float:
    """How far inside the hip-ankle line the knee sits so that the thigh and shank lines meet
    at ``fppa`` (radians; negative: outside)."""
    if fppa == 0:
        return 0.0
    lo, hi = 0.0, 1000.0
    for _ in range(60):
        mid = (lo + hi) / 2
        if math.atan(mid / thigh_v) + math.atan(mid / shank_v) < abs(fppa):
            lo = mid
        else:
            hi = mid
    return math.copysign(lo, fppa)


def _with_feet(joints: dict[str, Xy], forward: float) -> dict[str, Xy]:
    for side in ("left", "right"):
        x, y = joints[f"{side}_ankle"]
        joints[f"{side}_heel"] = (x - 15 * forward, y + 10)
        joints[f"{side}_foot_index"] = (x + 45 * forward, y + 15)
    return joints


SEEN = {
    View.FRONT: tuple(0.95 for _ in LANDMARKS),
    View.SIDE: tuple(0.3 if name.startswith("right") else 0.95 for name in LANDMARKS),
}
"""How sure Pose is of each landmark: from the side it sees the far (right) leg less."""


def _points(joints: dict[str, Xy], plan: Plan) -> tuple[Point, ...]:
    """The landmarks in the engine's order and 0-1 range (the figure is drawn in pixels of a
    ``width`` x ``height`` picture), each as sure as ``SEEN`` has it."""
    width, height = plan.width, plan.height
    xy = [joints[name] for name in LANDMARKS]
    return tuple(
        [Point(x / width, y / height, v) for (x, y), v in zip(xy, SEEN[plan.view], strict=True)]
    )


# --- what tests do to a series --------------------------------------------------------------


def jittered(s: Series, sigma: float, seed: int) -> Series:
    """Every coordinate moved by Gaussian noise of ``sigma`` (a share of the picture)."""
    rng = random.Random(seed)
    frames = tuple(
        f
        if f.points is None
        else Frame(
            f.t,
            tuple(
                Point(p.x + rng.gauss(0, sigma), p.y + rng.gauss(0, sigma), p.visibility)
                for p in f.points
            ),
        )
        for f in s.frames
    )
    return replace(s, frames=frames)


def dropped(s: Series, share: float, seed: int, run: int = 1) -> Series:
    """Runs of ``run`` frames with nobody found, starting at ``share`` of the frames."""
    rng = random.Random(seed)
    frames = list(s.frames)
    for i in range(len(frames)):
        if rng.random() < share:
            for k in range(i, min(i + run, len(frames))):
                frames[k] = Frame(frames[k].t, None)
    return replace(s, frames=tuple(frames))


def mirrored(s: Series) -> Series:
    """The picture flipped left to right: what was the person's left is now their right."""
    swap = {i: LANDMARKS.index(_other(name)) for i, name in enumerate(LANDMARKS)}
    frames = []
    for f in s.frames:
        if f.points is None:
            frames.append(f)
            continue
        flipped = [Point(1 - p.x, p.y, p.visibility) for p in f.points]
        frames.append(Frame(f.t, tuple(flipped[swap[i]] for i in range(len(LANDMARKS)))))
    return replace(s, frames=tuple(frames))


def _other(name: str) -> str:
    if name.startswith("left_"):
        return "right_" + name[5:]
    return "left_" + name[6:]
