"""The progress charts, drawn with matplotlib as PNG or SVG bytes.

Each chart is drawn on its own ``Figure`` (never pyplot's global state), so charts can be drawn
from a server's threads. SVGs are reproducible: a fixed hash salt per chart, no date, and text
kept as text (searchable, accessible, and set in the report's own fonts). A chart without data
says so ("No check-ins yet") instead of failing or drawing an empty frame; the report leaves
such a chart out (``has_data``).

Every text is at least ``FONT_PT`` (9 pt) at the chart's own size, which is the size the report
prints it at (``SIZE``: the width of an A4 page's text; ``HALF``: half of it), so the axes read
on paper.
"""

from __future__ import annotations

import io
import math
import re
import textwrap
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, Protocol
from xml.sax.saxutils import escape

# matplotlib writes a font cache on first import: the composition root (bootstrap) points it at
# a writable folder first, for a server whose home directory is read-only
import matplotlib

matplotlib.use("Agg")

from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import blended_transform_factory

from runrehab.content import locale
from runrehab.content.words import Words, shipped_words
from runrehab.services.progress.figures import Progress, flare_days
from runrehab.services.views import jsonable

FORMATS = ("png", "svg")
PNG_DPI = 120
Size = tuple[float, float]
SIZE: Size = (7.0, 3.15)
"""Inches: 504 pt wide, the text width of an A4 page (516 pt) with room to spare."""
HALF: Size = (3.45, 2.3)
"""Two side by side on the report's page."""
FONT_PT = 9
"""The smallest text of a chart, in points at its own size: legible in print."""
HELD = {"refer": "referral", "stop": "stop"}
"""The decisions the pain chart marks with a line, by the marker's name."""
# light backgrounds of distinct hues for phases 1-5, pale enough for the dark lines on them
PHASE_COLOURS = {1: "#dcebf7", 2: "#fbe9cc", 3: "#d9f0e6", 4: "#f5e0ec", 5: "#f7f3c8"}
LIGHT = {"green": "#1a9641", "amber": "#e69f00", "red": "#d7301f"}
INK = "#222222"
EPOCH = date(1970, 1, 1)


# --- output ---------------------------------------------------------------------------------


def _figure(size: Size = SIZE) -> Figure:
    return Figure(figsize=size, layout="constrained")


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


def _empty(fmt: str, name: str, title: str, message: str, size: Size = SIZE) -> bytes:
    fig = _figure(size)
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
    return [locale.short_day_text(s) for s in starts]


def _week_ticks(ax: Axes, starts: Sequence[date], size: Size) -> None:
    """One tick a week, labelled as many as fit side by side at ``FONT_PT``."""
    x = list(range(len(starts)))
    room = size[0] * 72 * 0.8  # the axes' width in points, roughly
    step = max(1, math.ceil(len(starts) * FONT_PT * 4.2 / room))
    labels = [label if i % step == 0 else "" for i, label in enumerate(_week_labels(starts))]
    ax.set_xticks(x, labels, fontsize=FONT_PT)


def _date_axis(ax: Axes, size: Size) -> None:
    """Dates on the x axis, as many ticks as fit at ``FONT_PT`` (about one an inch)."""
    # matplotlib.dates is not annotated
    most = max(4, int(size[0] * 1.3))
    locator = AutoDateLocator(minticks=3, maxticks=most)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]


def _fitted(label: str, size: Size) -> str:
    """A legend label broken into lines that fit across the figure at ``FONT_PT``."""
    most = int((size[0] * 72 - 40) // (FONT_PT * 0.6))
    return "\n".join(textwrap.wrap(label, most)) if len(label) > most else label


def _legend_columns(ax: Axes, size: Size) -> int:
    """As many legend entries to a row as fit across the figure at ``FONT_PT``: all of them
    when they do, else as many of the widest."""
    labels = ax.get_legend_handles_labels()[1]
    widths = [max(map(len, label.splitlines())) * FONT_PT * 0.6 + 30 for label in labels]
    room = size[0] * 72
    if sum(widths) <= room:
        return max(1, len(widths))
    return max(1, min(len(widths), int(room // max(widths))))


# --- pain -----------------------------------------------------------------------------------


def _pain(progress: Progress, fmt: str, size: Size) -> bytes:
    """Daily pain (now, at rest, worst in 24 h) over the phases, drawn as coloured bands, each
    flare (a RED day) and each referral marked with a line."""
    words = progress.words
    title = _say(words, "pain")
    reported = [d for d in progress.days if d.checked_in]
    if not reported:
        return _empty(fmt, "pain", title, _say(words, "no_checkins"), size)
    fig = _figure(size)
    ax = fig.add_subplot()
    _phase_bands(ax, progress, size)
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
    _events(ax, progress)
    ax.set_ylim(0, 13)
    ax.set_yticks(range(0, 11, 2))
    # a week at least: with a day or two of data the axis would count hours
    ax.set_xlim(min(days[0], days[-1] - 6) - 0.5, days[-1] + 0.5)
    _date_axis(ax, size)
    ax.set_ylabel(_say(words, "pain_axis"))
    ax.set_xlabel(_say(words, "date"))
    ax.set_title(title)
    columns = _legend_columns(ax, size)
    fig.legend(loc="outside lower center", fontsize=FONT_PT, ncols=columns, frameon=False)
    return _output(fig, fmt, "pain", title)


def _events(ax: Axes, progress: Progress) -> None:
    """A line on each flare (a RED day) and on each day the programme sent the runner to a
    clinician; each line's SVG group is named after it (``pain-flare-2026-03-21``,
    ``pain-referral-2026-03-30``), and each kind is named once in the legend."""
    shown = {d.day for d in progress.days}
    held = {d.day: HELD[d.action] for d in progress.decisions if d.action in HELD}
    events = [(day, "flare") for day in flare_days(progress)]
    events += [(day, kind) for day, kind in held.items() if day in shown]
    named: set[str] = set()
    for day, kind in sorted(events):
        label = "_" if kind in named else progress.words.say(f"progress.report.chart.{kind}")
        named.add(kind)
        if kind == "flare":
            line = ax.axvline(_x(day), color=LIGHT["red"], lw=2.2, alpha=0.45, zorder=1)
        else:
            line = ax.axvline(_x(day), color=INK, lw=1.4, ls=(0, (4, 2)), zorder=2)
        line.set_gid(f"{kind}-{day.isoformat()}")
        line.set_label(label)


def _phase_bands(ax: Axes, progress: Progress, size: Size) -> None:
    """Each phase a coloured band, labelled at the top (by number only where the name does not
    fit); a hold hatched from its first day to the report's last."""
    days = max(1, len(progress.days))
    per_day = size[0] * 72 * 0.85 / days  # points a day, roughly
    for span in progress.phases:
        left, right = _x(span.start) - 0.5, _x(span.end) + 0.5
        ax.axvspan(left, right, color=PHASE_COLOURS.get(span.phase, "#eeeeee"), zorder=0, lw=0)
        width = ((span.end - span.start).days + 1) * per_day
        _band_label(ax, (left + right) / 2, _band_text(progress, span.phase, span.name, width))
    hold = progress.hold
    if hold is not None:
        left = _x(date.fromisoformat(hold["since"])) - 0.5
        right = _x(progress.through) + 0.5
        ax.axvspan(left, right, facecolor="none", hatch="//", edgecolor="#bbbbbb", zorder=0, lw=0)
        label = _band_label(ax, (left + right) / 2, _say(progress.words, f"hold_{hold['status']}"))
        label.set_bbox({"facecolor": "white", "edgecolor": "none", "pad": 1.5})


def _band_text(progress: Progress, phase: int, name: str, width: float) -> str:
    """The band's label: its number and name on two lines where they fit, else P2, else 2."""
    words = progress.words
    full = _say(words, "band", phase=phase, name=name)
    short = _say(words, "band_short", phase=phase)
    for text in (full, short):
        if max(len(line) for line in text.splitlines()) * FONT_PT * 0.62 <= width:
            return text
    return str(phase)


def _band_label(ax: Axes, middle: float, label: str) -> Text:
    """A band's name at the top of the chart, over the band's middle."""
    top = blended_transform_factory(ax.transData, ax.transAxes)
    return ax.text(
        middle, 0.98, label, transform=top, ha="center", va="top", fontsize=FONT_PT, color=INK
    )


# --- adherence ------------------------------------------------------------------------------


def _adherence(progress: Progress, fmt: str, size: Size) -> bytes:
    """Per week: the share of programme days with a check-in and with training logged."""
    words = progress.words
    title = _say(words, "adherence")
    weeks = progress.weeks
    if not _has_adherence(progress):
        return _empty(fmt, "adherence", title, _say(words, "no_checkins"), size)
    fig = _figure(size)
    ax = fig.add_subplot()
    x = list(range(len(weeks)))
    checked = [100 * w.days_checked_in / w.days_in_programme for w in weeks]
    exercised = [100 * w.adherence for w in weeks]
    ax.bar([i - 0.2 for i in x], checked, 0.4, color="#9ecae1", label=_say(words, "checked_in"))
    trained = _say(words, "trained")
    bars = ax.bar([i + 0.2 for i in x], exercised, 0.4, color="#3182bd", label=trained)
    ax.bar_label(bars, labels=[f"{v:.0f}" for v in exercised], fontsize=FONT_PT, padding=2)
    ax.set_ylim(0, 118)
    _week_ticks(ax, [w.week_start for w in weeks], size)
    ax.set_ylabel(_say(words, "share_of_days"))
    ax.set_xlabel(_say(words, "week_starting"))
    ax.set_title(title)
    fig.legend(loc="outside lower center", fontsize=FONT_PT, ncols=2, frameon=False)
    return _output(fig, fmt, "adherence", title)


def _has_adherence(progress: Progress) -> bool:
    return any(w.days_checked_in for w in progress.weeks)


# --- running --------------------------------------------------------------------------------


def _running(progress: Progress, fmt: str, size: Size) -> bytes:
    """Per week: running minutes (top) and kilometres (bottom); minutes only while no run
    reported a distance."""
    words = progress.words
    title = _say(words, "running")
    weeks = progress.weeks
    if not _has_running(progress):
        return _empty(fmt, "running", title, _say(words, "no_runs"), size)
    with_km = any(w.runs and w.run_km is not None for w in weeks)
    fig = _figure((size[0], size[1] * 1.3) if with_km else size)
    axes = fig.subplots(2, 1, sharex=True) if with_km else [fig.subplots()]
    top, bottom = axes[0], axes[-1]
    x = list(range(len(weeks)))
    minutes = top.bar(x, [w.run_minutes for w in weeks], color="#31a354")
    labels = [f"{w.run_minutes:g}" if w.runs else "" for w in weeks]
    top.bar_label(minutes, labels=labels, fontsize=FONT_PT)
    top.set_ylabel(_say(words, "minutes"))
    top.set_title(title)
    if with_km:
        km_bars = bottom.bar(x, [w.run_km or 0.0 for w in weeks], color="#756bb1")
        # a week whose runs carried no distance says so, rather than showing 0 km
        km_labels = [_km_label(words, w.runs, w.run_km) for w in weeks]
        bottom.bar_label(km_bars, labels=km_labels, fontsize=FONT_PT)
        bottom.set_ylabel(_say(words, "kilometres"))
        bottom.set_xlabel(_say(words, "week_starting_km"))
    else:
        bottom.set_xlabel(_say(words, "week_starting"))
    _week_ticks(bottom, [w.week_start for w in weeks], size)
    for ax in axes:
        ax.margins(y=0.25)
        ax.set_ylim(bottom=0)
    return _output(fig, fmt, "running", title)


def _has_running(progress: Progress) -> bool:
    return any(w.runs for w in progress.weeks)


def _km_label(words: Words, runs: int, km: float | None) -> str:
    if not runs:
        return ""
    return _say(words, "not_reported") if km is None else f"{km:g}"


# --- Kujala ---------------------------------------------------------------------------------


def _kujala(progress: Progress, fmt: str, size: Size) -> bytes:
    """Kujala scores (0-100, higher is better) against the baseline + MIC points line."""
    words = progress.words
    title = _say(words, "kujala")
    rows = progress.kujala
    if not rows:
        return _empty(fmt, "kujala", title, _say(words, "no_kujala"), size)
    fig = _figure(size)
    ax = fig.add_subplot()
    # the points need no legend: the axis names them, each is labelled with its score
    ax.plot([_x(r.day) for r in rows], [r.score for r in rows], "o-", color=INK)
    target = rows[0].score + progress.kujala_mic
    line = _say(words, "kujala_line", mic=progress.kujala_mic, target=f"{target:g}")
    ax.axhline(target, color="#1a9641", linestyle="--", label=_fitted(line, size))
    for r in rows:
        label = f"{r.score:g}" if r == rows[0] else f"{r.score:g} ({r.change:+g})"
        ax.annotate(
            label,
            (_x(r.day), r.score),
            textcoords="offset points",
            xytext=(0, 8),
            ha="center",
            fontsize=FONT_PT,
        )
    ax.set_ylim(0, 105)
    pad = max(4.0, 0.18 * (rows[-1].day - rows[0].day).days)  # room for the labels
    ax.set_xlim(_x(rows[0].day) - pad, _x(rows[-1].day) + pad)
    _date_axis(ax, size)
    ax.set_ylabel(_say(words, "kujala_axis"))
    ax.set_xlabel(_say(words, "date"))
    ax.set_title(title, wrap=True)
    ax.legend(loc="lower right", fontsize=FONT_PT)  # under the scores, which rarely go below 40
    return _output(fig, fmt, "kujala", title)


def _has_kujala(progress: Progress) -> bool:
    return bool(progress.kujala)


# --- the public charts ------------------------------------------------------------------------


class Chart(Protocol):
    """A progress chart: ``chart(progress, "svg")``, at ``size`` inches (``SIZE`` if None)."""

    def __call__(self, progress: Progress, fmt: str = "svg", size: Size | None = None) -> bytes: ...


def _draw(
    chart: Callable[[Progress, str, Size], bytes], progress: Progress, fmt: str, size: Size | None
) -> bytes:
    """Draw within the charts' own settings, leaving matplotlib's global ones alone."""
    if fmt not in FORMATS:
        raise ValueError(f"chart format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    with rc_context(_RC):
        return chart(progress, fmt, SIZE if size is None else size)


_RC: dict[Any, Any] = {
    "date.converter": "concise",  # concise date ticks ("Mar", "09", "16")
    "svg.fonttype": "none",  # text kept as text in SVG
    "font.size": FONT_PT,
    "axes.titlesize": FONT_PT + 1,
    "axes.labelsize": FONT_PT,
    "xtick.labelsize": FONT_PT,
    "ytick.labelsize": FONT_PT,
    "legend.fontsize": FONT_PT,
}


def pain_chart(progress: Progress, fmt: str = "svg", size: Size | None = None) -> bytes:
    """Daily pain (now, at rest, worst in 24 h) over the phases, drawn as coloured bands."""
    return _draw(_pain, progress, fmt, size)


def adherence_chart(progress: Progress, fmt: str = "svg", size: Size | None = None) -> bytes:
    """Per week: the share of programme days with a check-in and with training logged."""
    return _draw(_adherence, progress, fmt, size)


def running_chart(progress: Progress, fmt: str = "svg", size: Size | None = None) -> bytes:
    """Per week: running minutes (top) and kilometres (bottom)."""
    return _draw(_running, progress, fmt, size)


def kujala_chart(progress: Progress, fmt: str = "svg", size: Size | None = None) -> bytes:
    """Kujala scores (0-100, higher is better) against the baseline + MIC points line."""
    return _draw(_kujala, progress, fmt, size)


CHARTS: dict[str, Chart] = {
    "pain": pain_chart,
    "adherence": adherence_chart,
    "running": running_chart,
    "kujala": kujala_chart,
}

_HAS_DATA: dict[str, Callable[[Progress], bool]] = {
    "pain": lambda p: any(d.checked_in for d in p.days),
    "adherence": _has_adherence,
    "running": _has_running,
    "kujala": _has_kujala,
}


def has_data(name: str, progress: Progress) -> bool:
    """Whether the chart ``name`` has anything to draw: the report leaves out one that has
    not, rather than give space to "no runs yet"."""
    return _HAS_DATA[name](progress)


# --- running load (the ``load`` view) ---------------------------------------------------------


def load_chart(view: object, fmt: str = "svg", words: Words | None = None) -> bytes:
    """Weekly running minutes (bars) and km (line) from the ``load`` view, with cross-training
    minutes stacked in a paler colour, so the weeks of the rebuild can be read at a glance; in
    ``words`` (the shipped words by default)."""
    if fmt not in FORMATS:
        raise ValueError(f"chart format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    with rc_context(_RC):
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
    _week_ticks(ax, [date.fromisoformat(w["week_of"]) for w in weeks], SIZE)
    ax.set_xlabel(_say(words, "week_starting"))
    handles = ax.get_legend_handles_labels()[0] + km_axis.get_legend_handles_labels()[0]
    ax.legend(handles=handles, loc="upper left", fontsize=FONT_PT, frameon=False)
    return _output(fig, fmt, "load", title)
