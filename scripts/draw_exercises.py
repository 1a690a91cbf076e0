"""Draw the exercise illustrations: one light SVG per exercise, start and end side by side.

A dev script, not product code. Each exercise has two poses in ``POSES``: a side view of a
simple figure (head, torso, arms, thighs, shins, feet as rounded strokes) given by absolute
segment angles in degrees (0 points forwards, to the right; 90 up; -90 down), plus props (a
wall, a step, a chair, a band, a mat, a roller, water). The output is deterministic, so
running it again changes no file unless a pose changed::

    uv run --frozen python scripts/draw_exercises.py          # write every file
    uv run --frozen python scripts/draw_exercises.py --check  # fail if a file is stale

The near limbs are solid, the far limbs faint. The figures use ``currentColor`` with a dark
mode colour of their own, since an ``<img>`` does not inherit the page's colour.
"""

from __future__ import annotations

import math
import sys
import tomllib
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
EXERCISES = ROOT / "src/runrehab/content/data/exercises"
OUT = ROOT / "src/runrehab/web/static/illustrations"

# Segment lengths, in drawing units (a standing figure is about 88 units tall).
TORSO, NECK, HEAD = 28.0, 4.0, 5.5
THIGH, SHIN, FOOT, HEEL = 20.0, 19.0, 7.0, 2.0
UPPER, FORE = 14.0, 13.0

PANEL_W, GAP, HEIGHT, FLOOR = 110, 20, 108, 102
WIDTH = 2 * PANEL_W + GAP

Point = tuple[float, float]
Pose = dict[str, Any]

STAND: Pose = {"t": 90, "n": (-90, -90, 0), "f": (-90, -90, 0), "an": (-95, -90), "af": (-85, -90)}


def pose(**changes: Any) -> Pose:
    """A standing pose with some parts changed."""
    return {**STAND, **changes}


def ik(dx: float, dy: float, foot: float = 0) -> tuple[float, float, float]:
    """Thigh and shin angles that put the ankle at (dx, dy) from the hip, knee in front."""
    dist = min(math.hypot(dx, dy), THIGH + SHIN - 0.01)
    base = math.degrees(math.atan2(dy, dx))
    bend = math.degrees(math.acos((THIGH**2 + dist**2 - SHIN**2) / (2 * THIGH * dist)))
    thigh = base + bend
    knee = _step((0.0, 0.0), thigh, THIGH)
    return round(thigh, 1), round(math.degrees(math.atan2(dy - knee[1], dx - knee[0])), 1), foot


def _step(p: Point, angle: float, length: float) -> Point:
    a = math.radians(angle)
    return (p[0] + length * math.cos(a), p[1] + length * math.sin(a))


def joints(p: Pose) -> dict[str, Point]:
    """Every joint of a pose, with the hip at (0, 0) and y pointing up."""
    j: dict[str, Point] = {"hip": (0.0, 0.0)}
    j["sh"] = _step(j["hip"], p["t"], TORSO)
    head_angle: float = p["h"] if "h" in p else p["t"]
    j["neck"] = _step(j["sh"], head_angle, NECK)
    j["head"] = _step(j["neck"], head_angle, HEAD)
    for side in ("n", "f"):
        thigh, shin, foot = p[side]
        k = p.get("k" + side, 1.0)
        j["kn_" + side] = _step(j["hip"], thigh, THIGH * k)
        j["an_" + side] = _step(j["kn_" + side], shin, SHIN * k)
        j["he_" + side] = _step(j["an_" + side], foot + 180, HEEL)
        j["toe_" + side] = _step(j["an_" + side], foot, FOOT * min(k, 1.0))
        upper, fore = p["a" + side]
        j["el_" + side] = _step(j["sh"], upper, UPPER)
        j["ha_" + side] = _step(j["el_" + side], fore, FORE)
    return j


def _lowest_attached(p: Pose, j: dict[str, Point]) -> float:
    low = min(y for name, (_, y) in j.items() if name != "head")
    low = min(low, j["head"][1] - HEAD)
    for prop in p.get("props", ()):
        if prop[0] == "roll":
            _, a, b, t, r = prop
            low = min(low, _lerp(j[a], j[b], t)[1] - 2 * r - 2)
    return low


def _lerp(a: Point, b: Point, t: float) -> Point:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def place(p: Pose) -> dict[str, Point]:
    """The joints moved so the lowest point rests on the floor (or at ``base``, or with the
    ``at`` joint at a given point), the hip at x = 0."""
    j = joints(p)
    if "at" in p:
        name, x, y = p["at"]
        dx, dy = x - j[name][0], y - j[name][1]
    else:
        dx, dy = 0.0, p.get("base", 0.0) + 2.0 - _lowest_attached(p, j)
    return {k: (x + dx, y + dy) for k, (x, y) in j.items()}


def _n(v: float) -> str:
    s = f"{v:.1f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


class Panel:
    """One pose drawn into a panel, as SVG elements, in panel coordinates."""

    def __init__(self, p: Pose) -> None:
        self.p = p
        self.j = place(p)
        self.body: list[str] = []
        self.far: list[str] = []
        self.props: list[str] = []
        self.xs: list[float] = []

    def pt(self, q: Point) -> str:
        self.xs.append(q[0])
        return f"{_n(q[0])} {_n(-q[1])}"

    def chain(self, names: list[str]) -> str:
        return "M" + "L".join(self.pt(self.j[n]) for n in names)

    def draw(self) -> float:
        """Draw the pose; the shift that centres it in its panel."""
        j = self.j
        for side, out in (("f", self.far), ("n", self.body)):
            leg = ["hip", "kn_" + side, "an_" + side]
            out.append(
                self.chain(leg) + "M" + self.pt(j["he_" + side]) + "L" + self.pt(j["toe_" + side])
            )
            out.append(self.chain(["sh", "el_" + side, "ha_" + side]))
        self.body.append(self.chain(["hip", "sh", "neck"]))
        head = j["head"]
        self.xs += [head[0] - HEAD, head[0] + HEAD]
        for prop in self.p.get("props", ()):
            self.props.append(self.prop(prop))
        lo, hi = min(self.xs), max(self.xs)
        return PANEL_W / 2 - (lo + hi) / 2

    def prop(self, prop: tuple[Any, ...]) -> str:
        kind = prop[0]
        if kind == "wall":
            return f'<path d="M{self.pt((prop[1], 0))}V-96"/>'
        if kind in ("step", "box"):
            _, x0, x1, h = prop
            self.xs += [x0, x1]
            return (
                f'<rect x="{_n(x0)}" y="{_n(-h)}" width="{_n(x1 - x0)}" height="{_n(h)}" rx="1.5"/>'
            )
        if kind == "chair":
            _, x0, x1, h = prop
            return f'<path d="M{self.pt((x0, 0))}V{_n(-h - 26)}M{self.pt((x0, h))}H{_n(x1)}V0"/>'
        if kind == "mat":
            _, x0, x1 = prop
            self.xs += [x0, x1]
            return f'<rect x="{_n(x0)}" y="-2" width="{_n(x1 - x0)}" height="2" rx="1"/>'
        if kind == "roll":
            _, a, b, t, r = prop
            c = _lerp(self.j[a], self.j[b], t)
            cx, cy = c[0], c[1] - r - 2
            self.xs += [cx - r, cx + r]
            return f'<circle cx="{_n(cx)}" cy="{_n(-cy)}" r="{_n(r)}"/>'
        if kind == "loop":
            x, y = self.j[prop[1]]
            return f'<circle {BAND} cx="{_n(x)}" cy="{_n(-y)}" r="3.5"/>'
        if kind == "band":
            _, a, post = prop
            end = self.j[post] if isinstance(post, str) else post
            self.xs.append(end[0])
            return f'<path {BAND} d="M{self.pt(self.j[a])}L{self.pt(end)}"/>'
        if kind == "post":
            _, x, h = prop
            return f'<path d="M{self.pt((x, 0))}V{_n(-h)}"/>'
        if kind == "water":
            _, h = prop
            x0 = -60.0
            waves = "".join("q5 -2.5 10 0" for _ in range(12))
            return f'<path d="M{_n(x0)} {_n(-h)}{waves}"/>'
        if kind == "wheel":
            _, x, r = prop
            self.xs += [x - r, x + r]
            return f'<circle cx="{_n(x)}" cy="{_n(-r)}" r="{_n(r)}"/>'
        if kind == "line":
            pts = prop[1]
            for q in pts:
                self.xs.append(q[0])
            return '<path d="M' + "L".join(f"{_n(x)} {_n(-y)}" for x, y in pts) + '"/>'
        raise ValueError(f"unknown prop {kind!r}")


def panel(p: Pose, left: float) -> str:
    d = Panel(p)
    dx = d.draw()
    tx = left + dx
    body = f'<path d="{"".join(d.body)}"/>'
    far = f'<path opacity=".4" d="{"".join(d.far)}"/>'
    head = d.j["head"]
    dot = (
        f'<circle fill="currentColor" stroke="none" cx="{_n(head[0])}" cy="{_n(-head[1])}" '
        f'r="{_n(HEAD)}"/>'
    )
    props = f'<g stroke-width="1.5" opacity=".55">{"".join(d.props)}</g>' if d.props else ""
    return f'<g transform="translate({_n(tx)} {FLOOR})">{props}{far}{body}{dot}</g>'


# Presentation attributes carry the drawing, so it looks right even where a strict
# Content-Security-Policy drops the <style>; the style only switches the colour in dark mode.
STYLE = "@media(prefers-color-scheme:dark){svg{color:#e3eaf0}}"
BAND = 'stroke-dasharray="2 2.5" stroke-width="2.2"'


def svg(title: str, start: Pose, end: Pose) -> str:
    floors = f"M2 {FLOOR}H{PANEL_W - 2}M{PANEL_W + GAP + 2} {FLOOR}H{WIDTH - 2}"
    floor = f'<path stroke-width="1" opacity=".35" d="{floors}"/>'
    mid = PANEL_W + GAP / 2
    arrow = f'<path stroke-width="2" d="M{_n(mid - 6)} 56h12m-4-4 4 4-4 4"/>'
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" color="#1f2d3a" fill="none" '
        'stroke="currentColor" stroke-width="4" stroke-linecap="round" stroke-linejoin="round">'
        f"<title>{escape(title)}</title><style>{STYLE}</style>{floor}"
        + '<g fill="currentColor" stroke="none" font-size="9" font-family="sans-serif" '
        'opacity=".7">'
        + '<text x="4" y="10">Start</text>'
        + f'<text x="{PANEL_W + GAP + 4}" y="10">End</text></g>'
        + panel(start, 0)
        + arrow
        + panel(end, PANEL_W + GAP)
        + "</svg>\n"
    )


# --- the poses ------------------------------------------------------------------------------
# n / f: near and far leg (thigh, shin, foot); an / af: near and far arm (upper arm, forearm);
# t: torso (hip to shoulder); h: head direction; k*: leg length factor (foreshortening).

LIE_BACK = {"t": 180, "h": 180, "an": (-8, 0), "af": (-8, 0)}
BRIDGE_START = {**LIE_BACK, "n": (55, -65, 0), "f": (55, -65, 0)}
BRIDGE_END = {
    **LIE_BACK,
    "t": 197,
    "h": 185,
    "n": (20, -78, 0),
    "f": (20, -78, 0),
    "an": (-20, 0),
    "af": (-20, 0),
}
SQUAT = pose(t=70, n=(-35, -110, 0), f=(-35, -110, 0), an=(-10, 0), af=(-10, 0))
SIDE_LIE = {"t": 180, "h": 170, "an": (12, -12), "af": (-172, 180)}
PRESS: list[Any] = [("line", [(-34, 34), (-8, 10), (-8, 0)])]
PLANK_ARMS = {"an": (-90, 0), "af": (-90, 0), "h": 175}
BIKE = [
    ("wheel", -26, 14),
    ("wheel", 40, 14),
    ("line", [(-26, 14), (6, 12), (-6, 36)]),
    ("line", [(6, 12), (34, 36), (40, 14)]),
    ("line", [(34, 36), (33, 42), (39, 43)]),
]

POSES: dict[str, tuple[Pose, Pose]] = {
    "ankle-mobility": (
        pose(n=(-80, -95, 0), f=(-115, -80, 0), an=(20, 40), af=(25, 40), props=[("wall", 33)]),
        pose(
            t=80, n=(-70, -65, 0), f=(-120, -80, 0), an=(10, 40), af=(15, 40), props=[("wall", 30)]
        ),
    ),
    "band-squat": (
        pose(n=(-88, -92, 0), f=(-88, -92, 0), props=[("loop", "kn_n")]),
        {**SQUAT, "props": [("loop", "kn_n")]},
    ),
    "banded-glute-bridge": (
        {**BRIDGE_START, "props": [("loop", "kn_n"), ("mat", -50, 30)]},
        {**BRIDGE_END, "props": [("loop", "kn_n"), ("mat", -50, 30)]},
    ),
    "box-squat": (
        pose(props=[("box", -22, -4, 22)]),
        pose(
            t=55,
            n=(-5, -95, 0),
            f=(-5, -95, 0),
            an=(0, 0),
            af=(0, 0),
            at=("hip", -2, 26),
            props=[("box", -22, -4, 22)],
        ),
    ),
    "calf-raise": (
        pose(an=(-60, 20), af=(-55, 20), props=[("chair", 22, 36, 22)]),
        pose(
            n=(-90, -90, -50),
            f=(-90, -90, -50),
            an=(-60, 20),
            af=(-55, 20),
            props=[("chair", 22, 36, 22)],
        ),
    ),
    "calf-stretch": (
        pose(
            t=80, n=(-75, -95, 0), f=(-110, -95, 0), an=(15, 30), af=(20, 30), props=[("wall", 34)]
        ),
        pose(
            t=65,
            n=(-60, -100, 0),
            f=(-125, -125, -10),
            an=(10, 15),
            af=(15, 15),
            props=[("wall", 34)],
        ),
    ),
    "clamshell": (
        {
            **SIDE_LIE,
            "n": (6, -6, 0),
            "f": (-2, 2, 0),
            "kn": 0.8,
            "kf": 0.8,
            "props": [("mat", -50, 35)],
        },
        {
            **SIDE_LIE,
            "n": (42, -38, 0),
            "f": (-2, 2, 0),
            "kn": 0.8,
            "kf": 0.8,
            "props": [("mat", -50, 35)],
        },
    ),
    "cycling": (
        pose(
            t=62,
            h=40,
            n=ik(13, -33),
            f=ik(7, -19),
            an=(-5, -15),
            af=(0, -15),
            at=("hip", -4, 38),
            props=BIKE,
        ),
        pose(
            t=62,
            h=40,
            n=ik(7, -19),
            f=ik(13, -33),
            an=(-5, -15),
            af=(0, -15),
            at=("hip", -4, 38),
            props=BIKE,
        ),
    ),
    "dead-bug": (
        {
            **LIE_BACK,
            "n": (90, 0, 90),
            "f": (90, 0, 90),
            "an": (90, 90),
            "af": (92, 92),
            "props": [("mat", -50, 30)],
        },
        {
            **LIE_BACK,
            "n": (90, 0, 90),
            "f": (10, 5, 60),
            "an": (90, 90),
            "af": (170, 170),
            "props": [("mat", -55, 45)],
        },
    ),
    "elliptical": (
        pose(
            t=85,
            n=ik(8, -38),
            f=ik(-10, -35),
            an=(-40, 30),
            af=(-50, 40),
            base=6,
            props=[("line", [(-24, 3), (30, 3), (24, 54)])],
        ),
        pose(
            t=85,
            n=ik(-10, -35),
            f=ik(8, -38),
            an=(-50, 40),
            af=(-40, 30),
            base=6,
            props=[("line", [(-24, 3), (30, 3), (24, 54)])],
        ),
    ),
    "foam-roll-hamstrings": (
        pose(
            t=120,
            h=90,
            n=(-5, -5, 60),
            f=(-5, -5, 60),
            an=(-125, -100),
            af=(-130, -100),
            props=[("roll", "hip", "kn_n", 0.25, 4.5)],
        ),
        pose(
            t=125,
            h=90,
            n=(-5, -5, 60),
            f=(-5, -5, 60),
            an=(-125, -100),
            af=(-130, -100),
            props=[("roll", "hip", "kn_n", 0.85, 4.5)],
        ),
    ),
    "foam-roll-it-band": (
        pose(
            t=165,
            h=160,
            n=(-40, -90, 0),
            f=(-3, -3, 0),
            an=(-90, 0),
            af=(-90, 0),
            props=[("roll", "hip", "kn_f", 0.15, 4.5)],
        ),
        pose(
            t=165,
            h=160,
            n=(-40, -90, 0),
            f=(-3, -3, 0),
            an=(-90, 0),
            af=(-90, 0),
            props=[("roll", "hip", "kn_f", 0.8, 4.5)],
        ),
    ),
    "foam-roll-quadriceps": (
        {
            "t": 168,
            "h": 175,
            "n": (-3, -3, -60),
            "f": (-3, -3, -60),
            **PLANK_ARMS,
            "an": (-90, 180),
            "af": (-90, 180),
            "props": [("roll", "hip", "kn_n", 0.2, 4.5)],
        },
        {
            "t": 170,
            "h": 175,
            "n": (-3, -3, -60),
            "f": (-3, -3, -60),
            **PLANK_ARMS,
            "an": (-90, 180),
            "af": (-90, 180),
            "props": [("roll", "hip", "kn_n", 0.85, 4.5)],
        },
    ),
    "front-plank": (
        {
            "t": 165,
            "n": (-28, 0, -60),
            "f": (-28, 0, -60),
            **PLANK_ARMS,
            "an": (-90, 180),
            "af": (-90, 180),
            "props": [("mat", -45, 35)],
        },
        {
            "t": 172,
            "n": (-8, -8, -60),
            "f": (-8, -8, -60),
            **PLANK_ARMS,
            "an": (-90, 180),
            "af": (-90, 180),
            "props": [("mat", -45, 50)],
        },
    ),
    "glute-ball-release": (
        pose(
            t=125,
            h=95,
            n=(15, -75, 0),
            f=(12, -72, 0),
            an=(-100, -100),
            af=(-105, -100),
            at=("hip", 0, 14),
            props=[("roll", "hip", "kn_n", 0.05, 4.5)],
        ),
        pose(
            t=120,
            h=90,
            n=(20, -70, 0),
            f=(12, -75, 0),
            an=(-100, -100),
            af=(-105, -100),
            at=("hip", 0, 14),
            props=[("roll", "hip", "kn_n", 0.2, 4.5)],
        ),
    ),
    "glute-bridge": (
        {**BRIDGE_START, "props": [("mat", -50, 30)]},
        {**BRIDGE_END, "props": [("mat", -50, 30)]},
    ),
    "hamstring-stretch": (
        pose(t=95, n=(0, 0, 90), f=(40, -60, 0), an=(-60, 0), af=(-65, 0)),
        pose(t=45, h=35, n=(0, 0, 90), f=(40, -60, 0), an=(-15, -5), af=(-20, -5)),
    ),
    "hip-flexor-stretch": (
        pose(
            n=(-5, -90, 0),
            f=(-90, -180, 180),
            an=(-80, -80),
            af=(-100, -90),
            props=[("mat", -14, 8)],
        ),
        pose(
            t=95,
            n=(-25, -70, 0),
            f=(-115, -180, 180),
            an=(-80, -80),
            af=(-100, -90),
            props=[("mat", -22, 0)],
        ),
    ),
    "hip-mobility": (
        pose(t=120, h=95, n=(45, -70, 0), f=(45, -70, 0), an=(-120, -100), af=(-125, -100)),
        pose(
            t=115,
            h=95,
            n=(10, -80, 0),
            f=(-5, -150, 180),
            kn=0.95,
            an=(-120, -100),
            af=(-125, -100),
        ),
    ),
    "it-band-stretch": (
        pose(
            n=(-95, -95, 0), f=(-85, -85, 180), an=(-120, -90), af=(-70, -90), props=[("wall", -20)]
        ),
        pose(
            t=75,
            h=70,
            n=(-110, -100, 0),
            f=(-75, -80, 180),
            an=(-160, -160),
            af=(-60, -80),
            props=[("wall", -20)],
        ),
    ),
    "knee-extension-90-45": (
        pose(
            n=(0, -90, 0),
            f=(0, -90, 0),
            an=(-80, -10),
            af=(-80, -10),
            base=0,
            at=("hip", 0, 28),
            props=[("chair", -10, 14, 24)],
        ),
        pose(
            n=(0, -45, 45),
            f=(0, -90, 0),
            an=(-80, -10),
            af=(-80, -10),
            at=("hip", 0, 28),
            props=[("chair", -10, 14, 24)],
        ),
    ),
    "lateral-band-walk": (
        pose(
            n=(-80, -95, -60),
            f=(-100, -85, -120),
            an=(-100, -90),
            af=(-80, -90),
            props=[("band", "kn_n", "kn_f")],
        ),
        pose(
            n=(-65, -75, -40),
            f=(-115, -105, -140),
            an=(-100, -90),
            af=(-80, -90),
            props=[("band", "kn_n", "kn_f")],
        ),
    ),
    "leg-press": (
        {
            "t": 150,
            "h": 145,
            "n": ik(20, 14, 125),
            "f": ik(20, 14, 125),
            "an": (-95, 0),
            "af": (-95, 0),
            "at": ("hip", -6, 14),
            "props": [*PRESS, ("line", [(21.5, 20), (9.5, 38)])],
        },
        {
            "t": 150,
            "h": 145,
            "n": ik(31, 22, 125),
            "f": ik(31, 22, 125),
            "an": (-95, 0),
            "af": (-95, 0),
            "at": ("hip", -6, 14),
            "props": [*PRESS, ("line", [(32.5, 28), (20.5, 46)])],
        },
    ),
    "monster-walk": (
        pose(
            t=80,
            n=(-80, -100, 0),
            f=(-100, -80, 0),
            an=(-100, -80),
            af=(-80, -80),
            props=[("band", "an_n", "an_f")],
        ),
        pose(
            t=80,
            n=(-60, -95, 0),
            f=(-110, -85, 0),
            an=(-100, -80),
            af=(-80, -80),
            props=[("band", "an_n", "an_f")],
        ),
    ),
    "quad-set": (
        pose(
            t=110,
            h=95,
            n=(5, -8, 85),
            f=(0, 0, 90),
            an=(-120, -100),
            af=(-125, -100),
            props=[("roll", "hip", "kn_n", 0.95, 2.5)],
        ),
        pose(
            t=110,
            h=95,
            n=(0, 3, 80),
            f=(0, 0, 90),
            an=(-120, -100),
            af=(-125, -100),
            props=[("roll", "hip", "kn_n", 0.95, 2.5)],
        ),
    ),
    "quadriceps-stretch": (
        pose(an=(-40, 20), af=(-90, -90), props=[("chair", 24, 38, 22)]),
        pose(
            n=(-90, -90, 0),
            f=(-100, 95, 180),
            an=(-40, 20),
            af=(-110, -60),
            props=[("chair", 24, 38, 22)],
        ),
    ),
    "shallow-squat": (
        pose(),
        pose(t=75, n=(-55, -105, 0), f=(-55, -105, 0), an=(-30, -10), af=(-30, -10)),
    ),
    "side-lying-hip-abduction": (
        {**SIDE_LIE, "n": (0, 0, 0), "f": (-5, -30, 0), "props": [("mat", -50, 45)]},
        {**SIDE_LIE, "n": (28, 28, 28), "f": (-5, -30, 0), "props": [("mat", -50, 45)]},
    ),
    "side-plank": (
        {
            "t": 152,
            "h": 160,
            "n": (-1, -1, -1),
            "f": (1, 1, 1),
            "an": (-90, 180),
            "af": (-12, -12),
            "props": [("mat", -45, 45)],
        },
        {
            "t": 167,
            "h": 167,
            "n": (-13, -13, -13),
            "f": (-11, -11, -11),
            "an": (-90, 180),
            "af": (-10, -10),
            "props": [("mat", -45, 45)],
        },
    ),
    "single-leg-bridge": (
        {**BRIDGE_START, "f": (55, -65, 0), "n": (55, 55, 145), "props": [("mat", -50, 40)]},
        {**BRIDGE_END, "f": (20, -78, 0), "n": (20, 20, 110), "props": [("mat", -50, 45)]},
    ),
    "single-leg-deadlift": (
        pose(n=(-85, -95, 0), f=(-100, -110, -20), an=(-90, -90), af=(-90, -90)),
        pose(t=170, h=175, n=(-80, -100, 0), f=(-8, -8, -80), an=(-100, -90), af=(-100, -90)),
    ),
    "single-leg-squat": (
        pose(
            n=(-90, -90, 0),
            f=(-105, -150, -30),
            an=(-60, 20),
            af=(-95, -90),
            props=[("chair", 22, 36, 22)],
        ),
        pose(
            t=75,
            n=(-50, -105, 0),
            f=(-60, -150, -30),
            an=(-45, 20),
            af=(-90, -70),
            props=[("chair", 22, 36, 22)],
        ),
    ),
    "step-down": (
        pose(n=(-90, -90, 0), f=(-80, -95, -30), at=("an_n", 0, 14), props=[("step", -14, 8, 12)]),
        pose(
            t=78,
            n=(-45, -105, 0),
            f=(-60, -100, -30),
            an=(-40, -20),
            af=(-40, -20),
            at=("an_n", 0, 14),
            props=[("step", -14, 8, 12)],
        ),
    ),
    "step-up": (
        pose(n=(-50, -105, 0), f=(-92, -92, 0), at=("an_f", -4, 2), props=[("step", 0, 26, 12)]),
        pose(n=(-90, -90, 0), f=(-80, -130, -40), at=("an_n", 12, 14), props=[("step", 0, 26, 12)]),
    ),
    "straight-leg-raise": (
        {**LIE_BACK, "n": (0, 0, 90), "f": (55, -65, 0), "props": [("mat", -50, 45)]},
        {**LIE_BACK, "n": (40, 40, 130), "f": (55, -65, 0), "props": [("mat", -50, 45)]},
    ),
    "swimming": (
        {
            "t": 180,
            "h": 180,
            "n": (5, 0, -60),
            "f": (-5, -10, -70),
            "an": (170, 170),
            "af": (-80, -60),
            "at": ("hip", 0, 26),
            "props": [("water", 30)],
        },
        {
            "t": 180,
            "h": 180,
            "n": (-5, -10, -70),
            "f": (5, 0, -60),
            "an": (-80, -60),
            "af": (170, 170),
            "at": ("hip", 0, 26),
            "props": [("water", 30)],
        },
    ),
    "terminal-knee-extension": (
        pose(
            n=(-75, -105, 0), f=(-95, -90, 0), props=[("band", "kn_n", (32, 16)), ("post", 34, 30)]
        ),
        pose(
            n=(-90, -90, 0), f=(-95, -90, 0), props=[("band", "kn_n", (32, 16)), ("post", 34, 30)]
        ),
    ),
    "walking": (
        pose(n=(-75, -100, 0), f=(-105, -95, -15), an=(-110, -95), af=(-65, -40)),
        pose(n=(-105, -95, -15), f=(-75, -100, 0), an=(-65, -40), af=(-110, -95)),
    ),
    "wall-sit": (
        pose(n=(-85, -90, 0), f=(-85, -90, 0), an=(-92, -85), af=(-92, -85), props=[("wall", -5)]),
        pose(n=(-30, -90, 0), f=(-30, -90, 0), an=(-80, -40), af=(-80, -40), props=[("wall", -5)]),
    ),
    "water-running": (
        pose(
            t=85,
            n=(-30, -120, -30),
            f=(-110, -150, -60),
            an=(-20, 60),
            af=(-120, -60),
            at=("hip", 0, 40),
            props=[("water", 72)],
        ),
        pose(
            t=85,
            n=(-110, -150, -60),
            f=(-30, -120, -30),
            an=(-120, -60),
            af=(-20, 60),
            at=("hip", 0, 40),
            props=[("water", 72)],
        ),
    ),
}


def render_all() -> dict[Path, str]:
    files: dict[Path, str] = {}
    for path in sorted(EXERCISES.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        start, end = POSES[data["id"]]
        files[OUT / f"{data['id']}.svg"] = svg(
            f"{data['name']}: start and end position", start, end
        )
    return files


def main(argv: list[str]) -> int:
    files = render_all()
    if "--check" in argv:
        stale = [p.name for p, text in files.items() if not p.exists() or p.read_text() != text]
        print("stale: " + ", ".join(stale) if stale else "all illustrations current")
        return 1 if stale else 0
    OUT.mkdir(parents=True, exist_ok=True)
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    sizes = [len(t.encode()) for t in files.values()]
    print(f"{len(files)} illustrations, {min(sizes)}-{max(sizes)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
