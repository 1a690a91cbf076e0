"""The knee angles of a movement check over time, laid out for a chart the app draws itself
(inline SVG, phone-readable): a polyline a knee, broken where the tracking paused, the axes'
ticks, and a mark at each rep's deepest point. Pure arithmetic on the stored angles."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from runrehab.content.words import Words

CHART_WIDTH, CHART_HEIGHT = 320, 180
CHART_MARGIN = {"left": 34, "right": 8, "top": 10, "bottom": 26}
CHART_POINTS = 240
"""At most this many points a line: a phone's width, with room to spare."""


@dataclass(frozen=True, slots=True)
class ChartTick:
    at: float
    label: str


@dataclass(frozen=True, slots=True)
class ChartLine:
    side: str
    name: str
    points: str
    """SVG polyline points ("x,y x,y ..."), one polyline a stretch with the pose found."""
    segments: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class KneeChart:
    """The knee flexion over time, laid out for an inline SVG (the app draws it)."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    lines: tuple[ChartLine, ...]
    y_ticks: tuple[ChartTick, ...]
    x_ticks: tuple[ChartTick, ...]
    rep_marks: tuple[ChartTick, ...]
    description: str


def knee_chart(
    words: Words, angles: dict[str, Any], reps: Sequence[tuple[int, float]] = ()
) -> KneeChart | None:
    """The knee flexion of each side over time, as SVG polylines in a small fixed frame (the
    SVG scales to the phone's width): 0° at the bottom, the deepest bend at the top, a mark at
    each rep's deepest point."""
    times = [t for t in angles.get("t", []) if isinstance(t, int | float)]
    if len(times) < 2:
        return None
    series = {
        side: [_number(v) for v in angles.get(side, [])][: len(times)] for side in ("left", "right")
    }
    values = [v for vs in series.values() for v in vs if v is not None]
    if not values:
        return None
    m = CHART_MARGIN
    plot_w = CHART_WIDTH - m["left"] - m["right"]
    plot_h = CHART_HEIGHT - m["top"] - m["bottom"]
    t0, t1 = times[0], max(times[-1], times[0] + 0.1)
    top = max(30.0, math.ceil(max(values) / 30.0) * 30.0)

    def x(t: float) -> float:
        return round(m["left"] + (t - t0) / (t1 - t0) * plot_w, 1)

    def y(v: float) -> float:
        return round(m["top"] + plot_h - max(0.0, v) / top * plot_h, 1)

    step = max(1, math.ceil(len(times) / CHART_POINTS))
    lines = []
    for side, vs in series.items():
        segments: list[str] = []
        current: list[str] = []
        for i in range(0, len(vs), step):
            v = vs[i]
            if v is None:
                if len(current) > 1:
                    segments.append(" ".join(current))
                current = []
                continue
            current.append(f"{x(times[i])},{y(v)}")
        if len(current) > 1:
            segments.append(" ".join(current))
        if segments:
            name = words.say(f"movement.web.side.{side}")
            lines.append(ChartLine(side, name, segments[0], tuple(segments)))
    y_ticks = tuple(ChartTick(y(v), f"{v:g}°") for v in _steps(0, top, 30.0))
    seconds = 5.0 if t1 - t0 <= 40 else 15.0
    x_ticks = tuple(ChartTick(x(t), f"{t:g} s") for t in _steps(t0, t1, seconds))
    marks = tuple(
        ChartTick(x(bottom), str(number)) for number, bottom in reps if t0 <= bottom <= t1
    )
    deepest = round(max(values))
    description = words.say(
        "movement.web.chart_text", seconds=round(t1 - t0), deepest=deepest, reps=len(reps)
    )
    return KneeChart(
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        left=m["left"],
        right=CHART_WIDTH - m["right"],
        top=m["top"],
        bottom=CHART_HEIGHT - m["bottom"],
        lines=tuple(lines),
        y_ticks=y_ticks,
        x_ticks=x_ticks,
        rep_marks=marks,
        description=description,
    )


def _steps(first: float, last: float, every: float) -> list[float]:
    start = math.ceil(first / every) * every
    count = int((last - start) // every) + 1
    return [round(start + i * every, 3) for i in range(max(0, count))]


def _number(value: object) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return round(float(value), 1)
    return None
