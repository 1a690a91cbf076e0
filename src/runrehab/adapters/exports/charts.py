"""The progress charts, drawn with matplotlib as PNG or SVG bytes.

Each chart is drawn on its own ``Figure`` (never pyplot's global state), so charts can be drawn
from a server's threads. SVGs are reproducible: a fixed hash salt per chart, no date, and text
kept as text (searchable, accessible, and set in the report's own fonts). A chart without data
says so ("No check-ins yet") instead of failing or drawing an empty frame.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

# matplotlib writes a font cache on first import: the composition root (bootstrap) points it at
# a writable folder first, for a server whose home directory is read-only
import matplotlib

matplotlib.use("Agg")

from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.transforms import blended_transform_factory

from runrehab.content.words import Words, shipped_words
from runrehab.services.progress.figures import Progress
from runrehab.services.views import jsonable

FORMATS = ("png", "svg")
PNG_DPI = 120
SIZE = (8.0, 3.6)
# light backgrounds of distinct hues for phases 1-5, pale enough for the dark lines on them
PHASE_COLOURS = {1: "#dcebf7", 2: "#fbe9cc", 3: "#d9f0e6", 4: "#f5e0ec", 5: "#f7f3c8"}
LIGHT = {"green": "#1a9641", "amber": "#e69f00", "red": "#d7301f"}
INK = "#222222"
EPOCH = date(1970, 1, 1)


# --- output ---------------------------------------------------------------------------------


def _figure() -> Figure:
    return Figure(figsize=SIZE, layout="constrained")


def _output(fig: Figure, fmt: str, name: str, title: str) -> bytes:
    buffer = io.BytesIO()
    if fmt == "png":
        fig.savefig(buffer, format="png", dpi=PNG_DPI, metadata={"Title": title})
        return buffer.getvalue()
    # a fixed salt makes matplotlib's hashed ids the same on every run
    with rc_context({"svg.hashsalt": f"runrehab-{name}"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    svg = _namespaced(buffer.getvalue().decode("utf-8"), name)
    return _titled(svg, name, title).encode("utf-8")


_ID = re.compile(r'(\bid="|url\(#|href="#)([^")]+)')


def _namespaced(svg: str, name: str) -> str:
    """Prefix every id (and every reference to one) with the chart's name: matplotlib names
    its groups "figure_1", "axes_1"..., which would clash when charts share a page."""
    return _ID.sub(lambda m: f"{m.group(1)}{name}-{m.group(2)}", svg)


def _titled(svg: str, name: str, title: str) -> str:
    """Give the SVG a <title> and an image role, which screen readers announce."""
    start = svg.index("<svg")
    end = svg.index(">", start)
    escaped = escape(title)
    return (
        svg[:end]
        + f' role="img" aria-labelledby="{name}-title">'
        + f'<title id="{name}-title">{escaped}</title>'
        + svg[end + 1 :]
    )


def _say(words: Words, key: str, **values: object) -> str:
    return words.say(f"progress.chart.{key}", **values)


def _empty(fmt: str, name: str, title: str, message: str) -> bytes:
    fig = _figure()
    ax = fig.add_subplot()
    ax.set_title(title)
    ax.set_axis_off()
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=14, color="#555555")
    return _output(fig, fmt, name, f"{title}: {message.lower()}")


def _x(day: date) -> float:
    """A day on matplotlib's date axis: days since its default epoch, 1970-01-01 (the axis is
    numeric so half days can pad the bands; ``xaxis_date`` turns the ticks into dates)."""
    return float((day - EPOCH).days)


def _week_labels(starts: Sequence[date]) -> list[str]:
    return [f"{s:%d %b}" for s in starts]


# --- pain -----------------------------------------------------------------------------------


def _pain(progress: Progress, fmt: str) -> bytes:
    """Daily pain (now, at rest, worst in 24 h) over the phases, drawn as coloured bands."""
    words = progress.words
    title = _say(words, "pain")
    reported = [d for d in progress.days if d.checked_in]
    if not reported:
        return _empty(fmt, "pain", title, _say(words, "no_checkins"))
    fig = _figure()
    ax = fig.add_subplot()
    _phase_bands(ax, progress)
    days = [_x(d.day) for d in progress.days]
    # None becomes a gap in the line: a missing day is shown missing, not joined over
    for label, values, style in (
        (_say(words, "worst"), [d.pain_worst for d in progress.days], "-"),
        (_say(words, "now"), [d.pain_now for d in progress.days], "--"),
        (_say(words, "at_rest"), [d.pain_at_rest for d in progress.days], ":"),
    ):
        series = [float("nan") if v is None else float(v) for v in values]
        ax.plot(days, series, style, color=INK, linewidth=1.4, label=label)
    for light, colour in LIGHT.items():
        marked = [
            (_x(d.day), d.pain_worst)
            for d in reported
            if d.colour == light and d.pain_worst is not None
        ]
        if marked:
            ax.scatter(
                [x for x, _ in marked],
                [y for _, y in marked],
                s=18,
                color=colour,
                zorder=3,
                label=_say(words, "light_day", light=light),
            )
    ax.set_ylim(0, 12)
    ax.set_yticks(range(0, 11, 2))
    ax.set_xlim(days[0] - 0.5, days[-1] + 0.5)
    ax.xaxis_date()
    ax.set_ylabel(_say(words, "pain_axis"))
    ax.set_xlabel(_say(words, "date"))
    ax.set_title(title)
    fig.legend(loc="outside lower center", fontsize=7, ncols=6, frameon=False)
    return _output(fig, fmt, "pain", title)


def _phase_bands(ax: Axes, progress: Progress) -> None:
    """Each phase a coloured band, labelled at the top (short spans by number only); a hold
    hatched from its first day to the report's last."""
    for span in progress.phases:
        left, right = _x(span.start) - 0.5, _x(span.end) + 0.5
        ax.axvspan(left, right, color=PHASE_COLOURS.get(span.phase, "#eeeeee"), zorder=0, lw=0)
        length = (span.end - span.start).days + 1
        # the name goes on a second line, where the band is wide enough to hold it
        label = (
            _say(progress.words, "band", phase=span.phase, name=span.name)
            if length >= 5
            else _say(progress.words, "band_short", phase=span.phase)
        )
        _band_label(ax, (left + right) / 2, label)
    hold = progress.hold
    if hold is not None:
        left = _x(date.fromisoformat(hold["since"])) - 0.5
        right = _x(progress.through) + 0.5
        ax.axvspan(left, right, facecolor="none", hatch="//", edgecolor="#bbbbbb", zorder=0, lw=0)
        _band_label(ax, (left + right) / 2, _say(progress.words, f"hold_{hold['status']}"))


def _band_label(ax: Axes, middle: float, label: str) -> None:
    """A band's name at the top of the chart, over the band's middle."""
    top = blended_transform_factory(ax.transData, ax.transAxes)
    ax.text(middle, 0.97, label, transform=top, ha="center", va="top", fontsize=7, color=INK)


# --- adherence ------------------------------------------------------------------------------


def _adherence(progress: Progress, fmt: str) -> bytes:
    """Per week: the share of programme days with a check-in and with training logged."""
    words = progress.words
    title = _say(words, "adherence")
    weeks = progress.weeks
    if not any(w.days_checked_in for w in weeks):
        return _empty(fmt, "adherence", title, _say(words, "no_checkins"))
    fig = _figure()
    ax = fig.add_subplot()
    x = list(range(len(weeks)))
    checked = [100 * w.days_checked_in / w.days_in_programme for w in weeks]
    exercised = [100 * w.adherence for w in weeks]
    ax.bar([i - 0.2 for i in x], checked, 0.4, color="#9ecae1", label=_say(words, "checked_in"))
    trained = _say(words, "trained")
    bars = ax.bar([i + 0.2 for i in x], exercised, 0.4, color="#3182bd", label=trained)
    ax.bar_label(bars, labels=[f"{v:.0f}" for v in exercised], fontsize=7, padding=2)
    ax.set_ylim(0, 112)
    ax.set_xticks(x, _week_labels([w.week_start for w in weeks]), fontsize=7)
    ax.set_ylabel(_say(words, "share_of_days"))
    ax.set_xlabel(_say(words, "week_starting"))
    ax.set_title(title)
    fig.legend(loc="outside lower center", fontsize=7, ncols=2, frameon=False)
    return _output(fig, fmt, "adherence", title)


# --- running --------------------------------------------------------------------------------


def _running(progress: Progress, fmt: str) -> bytes:
    """Per week: running minutes (top) and kilometres (bottom)."""
    words = progress.words
    title = _say(words, "running")
    weeks = progress.weeks
    if not any(w.runs for w in weeks):
        return _empty(fmt, "running", title, _say(words, "no_runs"))
    fig = Figure(figsize=(SIZE[0], SIZE[1] * 1.3), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True)
    x = list(range(len(weeks)))
    minutes = top.bar(x, [w.run_minutes for w in weeks], color="#31a354")
    top.bar_label(
        minutes, labels=[f"{w.run_minutes:g}" if w.runs else "" for w in weeks], fontsize=7
    )
    top.set_ylabel(_say(words, "minutes"))
    top.set_title(title)
    kms = [w.run_km or 0.0 for w in weeks]
    km_bars = bottom.bar(x, kms, color="#756bb1")
    # a week whose runs carried no distance says so, rather than showing 0 km
    labels = [_km_label(words, w.runs, w.run_km) for w in weeks]
    bottom.bar_label(km_bars, labels=labels, fontsize=7)
    bottom.set_ylabel(_say(words, "kilometres"))
    bottom.set_xlabel(_say(words, "week_starting_km"))
    bottom.set_xticks(x, _week_labels([w.week_start for w in weeks]), fontsize=7)
    for ax in (top, bottom):
        ax.margins(y=0.2)
    return _output(fig, fmt, "running", title)


def _km_label(words: Words, runs: int, km: float | None) -> str:
    if not runs:
        return ""
    return _say(words, "not_reported") if km is None else f"{km:g}"


# --- Kujala ---------------------------------------------------------------------------------


def _kujala(progress: Progress, fmt: str) -> bytes:
    """Kujala scores (0-100, higher is better) against the baseline + 10 points line."""
    words = progress.words
    title = _say(words, "kujala")
    rows = progress.kujala
    if not rows:
        return _empty(fmt, "kujala", title, _say(words, "no_kujala"))
    fig = _figure()
    ax = fig.add_subplot()
    ax.plot(
        [_x(r.day) for r in rows],
        [r.score for r in rows],
        "o-",
        color=INK,
        label=_say(words, "score"),
    )
    target = rows[0].score + progress.kujala_mic
    ax.axhline(
        target,
        color="#1a9641",
        linestyle="--",
        label=_say(words, "kujala_line", mic=progress.kujala_mic, target=f"{target:g}"),
    )
    for r in rows:
        label = f"{r.score:g}" if r == rows[0] else f"{r.score:g} ({r.change:+g})"
        ax.annotate(
            label, (_x(r.day), r.score), textcoords="offset points", xytext=(0, 8), ha="center"
        )
    ax.set_ylim(0, 105)
    ax.set_xlim(_x(rows[0].day) - 3, _x(rows[-1].day) + 3)
    ax.xaxis_date()
    ax.set_ylabel(_say(words, "kujala_axis"))
    ax.set_xlabel(_say(words, "date"))
    ax.set_title(title)
    ax.legend(loc="lower right", fontsize=7)
    return _output(fig, fmt, "kujala", title)


# --- the public charts ------------------------------------------------------------------------


def _draw(chart: Callable[[Progress, str], bytes], progress: Progress, fmt: str) -> bytes:
    """Draw within the charts' own settings, leaving matplotlib's global ones alone."""
    if fmt not in FORMATS:
        raise ValueError(f"chart format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    # concise date ticks ("Mar", "09", "16"); text kept as text in SVG
    with rc_context(
        {
            "date.converter": "concise",
            "svg.fonttype": "none",
            "font.size": 9,
        }
    ):
        return chart(progress, fmt)


def pain_chart(progress: Progress, fmt: str = "svg") -> bytes:
    """Daily pain (now, at rest, worst in 24 h) over the phases, drawn as coloured bands."""
    return _draw(_pain, progress, fmt)


def adherence_chart(progress: Progress, fmt: str = "svg") -> bytes:
    """Per week: the share of programme days with a check-in and with training logged."""
    return _draw(_adherence, progress, fmt)


def running_chart(progress: Progress, fmt: str = "svg") -> bytes:
    """Per week: running minutes (top) and kilometres (bottom)."""
    return _draw(_running, progress, fmt)


def kujala_chart(progress: Progress, fmt: str = "svg") -> bytes:
    """Kujala scores (0-100, higher is better) against the baseline + 10 points line."""
    return _draw(_kujala, progress, fmt)


CHARTS: dict[str, Callable[[Progress, str], bytes]] = {
    "pain": pain_chart,
    "adherence": adherence_chart,
    "running": running_chart,
    "kujala": kujala_chart,
}


# --- running load (the ``load`` view) ---------------------------------------------------------


def load_chart(view: object, fmt: str = "svg", words: Words | None = None) -> bytes:
    """Weekly running minutes (bars) and km (line) from the ``load`` view, with cross-training
    minutes stacked in a paler colour, so the weeks of the rebuild can be read at a glance; in
    ``words`` (the shipped words by default)."""
    if fmt not in FORMATS:
        raise ValueError(f"chart format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    with rc_context({"svg.fonttype": "none", "font.size": 9}):
        return _load(jsonable(view), fmt, shipped_words() if words is None else words)


def _load(view: dict[str, Any], fmt: str, words: Words) -> bytes:
    title = _say(words, "load")
    weeks = view["weeks"]
    if not any(w["runs"] or w["cross_training_minutes"] for w in weeks):
        return _empty(fmt, "load", title, _say(words, "no_runs"))
    fig = _figure()
    ax = fig.subplots()
    x = list(range(len(weeks)))
    run = [w["run_minutes"] for w in weeks]
    ax.bar(x, run, color="#31a354", label=_say(words, "running_minutes"))
    ax.bar(
        x,
        [w["cross_training_minutes"] for w in weeks],
        bottom=run,
        color="#c7e9c0",
        label=_say(words, "cross_training_minutes"),
    )
    ax.set_ylabel(_say(words, "minutes"))
    ax.set_title(title)
    km_axis = ax.twinx()
    km_axis.plot(
        x, [w["run_km"] for w in weeks], color="#756bb1", marker="o", label=_say(words, "km")
    )
    km_axis.set_ylabel(_say(words, "kilometres"))
    km_axis.set_ylim(bottom=0)
    ax.set_xticks(x, _week_labels([date.fromisoformat(w["week_of"]) for w in weeks]), fontsize=7)
    ax.set_xlabel(_say(words, "week_starting"))
    handles = ax.get_legend_handles_labels()[0] + km_axis.get_legend_handles_labels()[0]
    ax.legend(handles=handles, loc="upper left", fontsize=7, frameon=False)
    return _output(fig, fmt, "load", title)
