"""The progress charts drawn as SVG text, by hand: no plotting library, nothing to run in the
browser. Pure drawing of the plain series (``services.progress.chart_series``).

Sized for a phone: the view box is ``WIDTH`` units wide and every text ``FONT`` units high, so
at the ``PHONE_PX`` pixels a chart gets on a 360 px phone the smallest text is
``FONT * PHONE_PX / WIDTH`` ≈ 12.7 px; the report draws the same charts wider (``width``) to
print at about 10 pt. Accessible: ``role="img"`` with a ``<title>`` and a ``<desc>`` saying the
key facts in words. Light and dark: text and ink follow ``currentColor`` and each part has a
class (``rc-…``) the page's CSS colours from its palette; the presentation attributes are the
light colours, for the PDF and for a chart opened on its own (``standalone``), which carries
its own dark-mode style.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from xml.sax.saxutils import escape

from runrehab.services.progress.chart_series import ChartSeries, Line, day_words

VERSION = "1"
"""Changes whenever a drawing changes: part of every cache key and ETag."""
WIDTH = 320
"""The view box's width, in units."""
PHONE_PX = 290
"""The pixels a chart is drawn across on a 360 px phone: the page and card paddings off."""
FONT = 14
"""Every text's size, in view-box units (≥ 12 px at ``PHONE_PX``)."""
HEIGHT = 150
"""The plot's height, in units, without axes and legend."""
LINE_GAP = 20
INK = "#1b1f23"
COLOURS = {
    "worst": "#1a5fb4",
    "now": INK,
    "at-rest": "#4a5560",
    "checked-in": "#9ecae1",
    "trained": "#1a5fb4",
    "minutes": "#2f8a4c",
    "run": "#2f8a4c",
    "cross": "#a9dbb4",
    "distance": "#6a51a3",
    "score": INK,
    "flare": "#d7301f",
    "referral": INK,
    "stop": INK,
    "target": "#146c2e",
    "light-green": "#1a9641",
    "light-amber": "#e69f00",
    "light-red": "#d7301f",
}
DASHES = {"solid": "", "dash": "6 3", "dot": "1.5 3"}
STANDALONE_STYLE = (
    "svg{color:#1b1f23}"
    "@media (prefers-color-scheme: dark){svg{color:#e6e9ec}"
    ".rc-flare{stroke:#ff9c9c}.rc-worst,.rc-trained{stroke:#8ab8f0;fill:#8ab8f0}"
    ".rc-grid{stroke:#3a434c}}"
)
Labeller = Callable[[date], str]


def chart_svg(
    series: ChartSeries,
    *,
    width: int = WIDTH,
    ident: str | None = None,
    standalone: bool = False,
    day_label: Labeller = day_words,
) -> str:
    """The chart as one ``<svg>`` element; ``ident`` makes its ids unique on a page (the
    chart's name by default); ``standalone`` adds the XML namespace's dark-mode style, for a
    file opened on its own."""
    ident = ident or f"chart-{series.name}"
    if series.empty is not None or not series.x:
        return _empty(series, width, ident, standalone)
    plot = _Plot(series, width, day_label)
    body = plot.draw()
    return _svg(series, width, plot.total_height, ident, standalone, body)


# --- the frame -------------------------------------------------------------------------------


def _svg(
    series: ChartSeries, width: int, height: int, ident: str, standalone: bool, body: str
) -> str:
    style = f"<style>{STANDALONE_STYLE}</style>" if standalone else ""
    prologue = '<?xml version="1.0" encoding="utf-8"?>\n' if standalone else ""
    return (
        f'{prologue}<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'class="rc-svg rc-{series.name}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" color="{INK}" '
        f'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" '
        f'font-size="{FONT}" id="{ident}">'
        f'<title id="{ident}-title">{escape(series.title)}</title>'
        f'<desc id="{ident}-desc">{escape(series.desc)}</desc>{style}{body}</svg>'
    )


def _empty(series: ChartSeries, width: int, ident: str, standalone: bool) -> str:
    message = series.empty or series.desc
    body = _text(width / 2, 44, message, "middle", "rc-empty")
    return _svg(series, width, 72, ident, standalone, body)


def _text(x: float, y: float, words: str, anchor: str = "start", cls: str = "rc-label") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{FONT}" '
        f'fill="currentColor" class="{cls}">{escape(words)}</text>'
    )


def text_width(words: str) -> float:
    """About how wide ``words`` are at ``FONT``, in units (an average glyph is 0.56 em)."""
    return len(words) * FONT * 0.56


# --- the plot --------------------------------------------------------------------------------


class _Plot:
    """One chart's geometry: the plot area between the axes, the x slots, the y scales."""

    def __init__(self, series: ChartSeries, width: int, day_label: Labeller) -> None:
        self.s = series
        self.day_label = day_label
        self.left = max(text_width(f"{series.axis.top:g}"), text_width("10")) + 8
        right_axis = series.right_axis
        self.right = width - (
            max(text_width(f"{right_axis.top:g}"), text_width("10")) + 8 if right_axis else 8
        )
        self.top = LINE_GAP + 6 if series.bands else 10
        self.bottom = self.top + HEIGHT
        self.width = width
        self.legend = _legend_rows(_legend_items(series), width - 8)
        self.total_height = int(self.bottom + LINE_GAP + 8 + LINE_GAP * len(self.legend) + 4)

    # scales
    @property
    def slot(self) -> float:
        return (self.right - self.left) / len(self.s.x)

    def x(self, i: float) -> float:
        return self.left + (i + 0.5) * self.slot

    def y(self, value: float, top: float) -> float:
        share = 0.0 if top <= 0 else min(1.0, max(0.0, value / top))
        return self.bottom - share * (self.bottom - self.top)

    def day_index(self, day: date) -> int | None:
        return {d: i for i, d in enumerate(self.s.x)}.get(day)

    # drawing
    def draw(self) -> str:
        parts = [
            self._bands(),
            self._grid(),
            self._bars(),
            # the first line (the one that matters most) drawn last, on top
            *(self._line(line, self.s.axis.top) for line in reversed(self.s.lines)),
            self._right(),
            self._target(),
            self._marks(),
            self._x_labels(),
            self._legend(),
        ]
        return "".join(parts)

    def _bands(self) -> str:
        out = []
        for n, band in enumerate(self.s.bands):
            first, last = self.day_index(band.start), self.day_index(band.end)
            if first is None or last is None:
                continue
            x0, x1 = self.x(first - 0.5), self.x(last + 0.5)
            out.append(
                f'<rect class="rc-band" x="{x0:.1f}" y="{self.top:.1f}" width="{x1 - x0:.1f}" '
                f'height="{HEIGHT}" fill="currentColor" fill-opacity="{0.05 if n % 2 else 0.1}"/>'
            )
            if x1 - x0 >= text_width(band.label) + 2:
                out.append(
                    _text((x0 + x1) / 2, self.top - 6, band.label, "middle", "rc-band-label")
                )
        return f'<g class="rc-bands">{"".join(out)}</g>'

    def _grid(self) -> str:
        out = []
        for tick in self.s.axis.ticks:
            y = self.y(tick, self.s.axis.top)
            out.append(
                f'<line class="rc-grid" x1="{self.left:.1f}" x2="{self.right:.1f}" '
                f'y1="{y:.1f}" y2="{y:.1f}" stroke="#d5dbe1" stroke-width="1"/>'
            )
            out.append(_text(self.left - 4, y + FONT * 0.35, f"{tick:g}", "end", "rc-tick"))
        axis = self.s.right_axis
        if axis is not None:
            for tick in axis.ticks:
                y = self.y(tick, axis.top)
                out.append(_text(self.right + 4, y + FONT * 0.35, f"{tick:g}", "start", "rc-tick"))
        return f'<g class="rc-axes">{"".join(out)}</g>'

    def _bars(self) -> str:
        bars = self.s.bars
        if not bars:
            return ""
        side = [b for b in bars if b.stacked_on is None]
        width = self.slot * 0.8 / len(side)
        out = []
        for n, b in enumerate(side):
            offset = -self.slot * 0.4 + n * width
            out += self._bar_set(b.key, b.values, offset, width, None)
            for k, label in enumerate(b.value_labels):
                if label and width >= text_width(label) - 4:
                    x = self.x(k) + offset + width / 2
                    y = self.y(b.values[k], self.s.axis.top) - 4
                    out.append(_text(x, y, label, "middle", "rc-value"))
        for b in bars:
            if b.stacked_on is not None:
                base = next(x for x in bars if x.key == b.stacked_on)
                n = side.index(base)
                out += self._bar_set(
                    b.key, b.values, -self.slot * 0.4 + n * width, width, base.values
                )
        return f'<g class="rc-bars">{"".join(out)}</g>'

    def _bar_set(
        self,
        key: str,
        values: Sequence[float],
        offset: float,
        width: float,
        base: Sequence[float] | None,
    ) -> list[str]:
        top = self.s.axis.top
        out = []
        for i, value in enumerate(values):
            if not value:
                continue
            under = base[i] if base is not None else 0.0
            y0, y1 = self.y(under + value, top), self.y(under, top)
            out.append(
                f'<rect class="rc-{key}" x="{self.x(i) + offset:.1f}" y="{y0:.1f}" '
                f'width="{max(1.0, width - 1):.1f}" height="{max(0.5, y1 - y0):.1f}" '
                f'fill="{COLOURS.get(key, INK)}"/>'
            )
        return out

    def _line(self, line: Line, top: float) -> str:
        colour = COLOURS.get(line.key, INK)
        dash = DASHES.get(line.style, "")
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out = [
            f'<path class="rc-{line.key}" d="{d}" fill="none" stroke="{colour}" '
            f'stroke-width="2" stroke-linejoin="round" stroke-linecap="round"{dash_attr}/>'
            for d in self._paths(line.values, top)
        ]
        shown = [i for i, v in enumerate(line.values) if v is not None]
        dots = line.labelled or len(shown) <= 14
        lights = self.s.lights if self.s.lines and line is self.s.lines[0] else ()
        for i in shown:
            value = line.values[i]
            assert value is not None
            light = lights[i] if i < len(lights) else None
            if light is not None:
                out.append(_dot(f"light-{light}", self.x(i), self.y(value, top), 3.0))
            elif dots or _alone(line.values, i):
                out.append(_dot(line.key, self.x(i), self.y(value, top), 3.0))
            if line.labelled and i < len(line.point_labels) and line.point_labels[i]:
                y = self._label_y(self.y(value, top))
                out.append(
                    _text(
                        self._inside(self.x(i), line.point_labels[i]),
                        y,
                        line.point_labels[i],
                        "middle",
                        "rc-value",
                    )
                )
        return f'<g class="rc-line rc-line-{line.key}">{"".join(out)}</g>'

    def _label_y(self, point: float) -> float:
        """A value's label above its point, or below it where the target line runs."""
        above = point - 8
        target = self.s.target
        if target is not None and abs(above - FONT * 0.35 - self.y(target, self.s.axis.top)) < FONT:
            return point + FONT + 6
        return above

    def _inside(self, x: float, words: str) -> float:
        half = text_width(words) / 2
        return min(max(x, self.left + half), self.right - half)

    def _paths(self, values: Sequence[float | None], top: float) -> list[str]:
        """One path per run of days with values: a day without one is a gap."""
        paths: list[str] = []
        current: list[str] = []
        for i, v in enumerate(values):
            if v is None:
                if len(current) > 1:
                    paths.append("M" + " L".join(current))
                current = []
                continue
            current.append(f"{self.x(i):.1f} {self.y(v, top):.1f}")
        if len(current) > 1:
            paths.append("M" + " L".join(current))
        return paths

    def _right(self) -> str:
        if self.s.right is None or self.s.right_axis is None:
            return ""
        return self._line(self.s.right, self.s.right_axis.top)

    def _target(self) -> str:
        if self.s.target is None:
            return ""
        y = self.y(self.s.target, self.s.axis.top)
        return (
            f'<g class="rc-target"><line class="rc-target-line" x1="{self.left:.1f}" '
            f'x2="{self.right:.1f}" y1="{y:.1f}" y2="{y:.1f}" stroke="{COLOURS["target"]}" '
            f'stroke-width="1.5" stroke-dasharray="6 3"/></g>'
        )

    def _marks(self) -> str:
        out = []
        for mark in self.s.marks:
            i = self.day_index(mark.day)
            if i is None:
                continue
            x = self.x(i)
            flare = mark.kind == "flare"
            style = (
                'stroke-width="3" stroke-opacity="0.6"'
                if flare
                else ('stroke-width="1.5" stroke-dasharray="4 2"')
            )
            out.append(
                f'<g class="rc-mark rc-mark-{mark.kind}" id="{self.s.name}-{mark.kind}-'
                f'{mark.day.isoformat()}"><title>{escape(self.day_label(mark.day))}: '
                f"{escape(mark.label)}</title>"
                f'<line class="rc-{mark.kind}" x1="{x:.1f}" x2="{x:.1f}" y1="{self.top:.1f}" '
                f'y2="{self.bottom:.1f}" stroke="{COLOURS.get(mark.kind, INK)}" {style}/></g>'
            )
        return f'<g class="rc-marks">{"".join(out)}</g>'

    def _x_labels(self) -> str:
        """A few dates, in the page's one format: the first, the last, and the middle one
        where it fits between them, each under its day (or week)."""
        n = len(self.s.x)
        out = [
            f'<line class="rc-grid" x1="{self.left:.1f}" x2="{self.right:.1f}" '
            f'y1="{self.bottom:.1f}" y2="{self.bottom:.1f}" stroke="currentColor" '
            'stroke-width="1"/>'
        ]
        placed: list[tuple[float, float, str, str]] = []  # (from, to, anchor, words)
        for i in sorted({0, n - 1}) if n else []:
            placed.append(self._date_box(i, n))
        if n > 2:
            middle = self._date_box((n - 1) // 2, n)
            if all(middle[1] + 8 <= box[0] or box[1] + 8 <= middle[0] for box in placed):
                placed.append(middle)
        for start, end, anchor, words in sorted(placed):
            x = {"start": start, "end": end}.get(anchor, (start + end) / 2)
            out.append(_text(x, self.bottom + LINE_GAP, words, anchor, "rc-date"))
        return f'<g class="rc-dates">{"".join(out)}</g>'

    def _date_box(self, i: int, n: int) -> tuple[float, float, str, str]:
        """Where the date of x ``i`` goes: the first starts at the plot's left, the last ends
        at its right, any other is centred under its day (kept inside the plot)."""
        words = self.day_label(self.s.x[i])
        wide = text_width(words)
        if n > 1 and i == 0:
            return (self.left, self.left + wide, "start", words)
        if n > 1 and i == n - 1:
            return (self.right - wide, self.right, "end", words)
        middle = self._inside(self.x(i), words)
        return (middle - wide / 2, middle + wide / 2, "middle", words)

    def _legend(self) -> str:
        out = []
        y = self.bottom + LINE_GAP * 2 + 4
        for row in self.legend:
            x = 4.0
            for key, kind, label in row:
                if kind:
                    out.append(_swatch(x, y - FONT * 0.35, key, kind))
                out.append(_text(x + 22, y, label, "start", "rc-legend"))
                x += _item_width(label)
            y += LINE_GAP
        return f'<g class="rc-legend">{"".join(out)}</g>'


def _dot(key: str, x: float, y: float, r: float) -> str:
    colour = COLOURS.get(key, INK)
    return f'<circle class="rc-{key}" cx="{x:.1f}" cy="{y:.1f}" r="{r:g}" fill="{colour}"/>'


def _alone(values: Sequence[float | None], i: int) -> bool:
    before = i > 0 and values[i - 1] is not None
    after = i + 1 < len(values) and values[i + 1] is not None
    return not before and not after


# --- the legend ------------------------------------------------------------------------------

Item = tuple[str, str, str]
"""(key, kind of swatch: "line:<style>", "bar", "mark", "target", label)."""


def _legend_items(series: ChartSeries) -> list[Item]:
    items: list[Item] = [(b.key, "bar", b.label) for b in series.bars]
    items += [(line.key, f"line:{line.style}", line.label) for line in series.lines]
    if series.right is not None:
        items.append((series.right.key, f"line:{series.right.style}", series.right.label))
    if series.target is not None:
        items.append(("target", "target", series.target_label))
    items += [(f"light-{light}", "dot", label) for light, label in series.light_labels]
    kinds = dict.fromkeys((m.kind, m.label) for m in series.marks)
    items += [(kind, "mark", label) for kind, label in kinds]
    if len(series.lines) == 1 and not series.bars and series.target is None:
        # one line needs no legend: the axis names it
        items = [i for i in items if not i[1].startswith("line")]
    return items


def _item_width(label: str) -> float:
    return 22 + text_width(label) + 14


def _legend_rows(items: Sequence[Item], room: float) -> list[list[Item]]:
    """The legend's items in rows that fit ``room``; a label too long for a row of its own is
    broken over rows (its swatch on the first)."""
    rows: list[list[Item]] = []
    used = room
    for key, kind, label in items:
        lines = _wrapped(label, room - _item_width(""))
        if used + _item_width(lines[0]) > room or len(lines) > 1:
            rows.append([])
            used = 0.0
        rows[-1].append((key, kind, lines[0]))
        used += _item_width(lines[0])
        for more in lines[1:]:
            rows.append([("", "", more)])
            used = room
    return rows


def _wrapped(label: str, room: float) -> list[str]:
    lines = [""]
    for word in label.split():
        candidate = f"{lines[-1]} {word}".strip()
        if lines[-1] and text_width(candidate) > room:
            lines.append(word)
        else:
            lines[-1] = candidate
    return lines


def _swatch(x: float, y: float, key: str, kind: str) -> str:
    colour = COLOURS.get(key, INK)
    if kind == "bar":
        return (
            f'<rect class="rc-{key}" x="{x:.1f}" y="{y - 6:.1f}" width="16" height="12" '
            f'fill="{colour}"/>'
        )
    if kind == "dot":
        return _dot(key, x + 8, y, 4.0)
    if kind == "mark" and key == "flare":
        return (
            f'<line class="rc-{key}" x1="{x + 8:.1f}" x2="{x + 8:.1f}" y1="{y - 8:.1f}" '
            f'y2="{y + 8:.1f}" stroke="{colour}" stroke-width="3" stroke-opacity="0.6"/>'
        )
    if kind == "mark":
        return (
            f'<line class="rc-{key}" x1="{x + 8:.1f}" x2="{x + 8:.1f}" y1="{y - 8:.1f}" '
            f'y2="{y + 8:.1f}" stroke="{colour}" stroke-width="1.5" stroke-dasharray="4 2"/>'
        )
    style = kind.partition(":")[2] if kind.startswith("line") else "dash"
    dash = DASHES.get(style, "")
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line class="rc-{key}" x1="{x:.1f}" x2="{x + 18:.1f}" y1="{y:.1f}" y2="{y:.1f}" '
        f'stroke="{colour}" stroke-width="2"{dash_attr}/>'
    )


# --- the headline's sparkline ----------------------------------------------------------------

SPARK_WIDTH, SPARK_HEIGHT = 160, 48


def sparkline_svg(
    values: Sequence[int | None], title: str, desc: str, ident: str = "spark", slots: int = 0
) -> str:
    """Worst pain over the last weeks as a small line (0 at the bottom, 10 at the top), the
    latest value a dot; no text inside: the page writes the value large beside it. With
    ``slots``, fewer values sit at the right, the last day always at the right edge."""
    values = [None] * max(0, slots - len(values)) + list(values)
    n = len(values)
    pad = 4.0

    def x(i: int) -> float:
        return pad + (i + 0.5) * (SPARK_WIDTH - 2 * pad) / max(1, n)

    def y(v: float) -> float:
        return SPARK_HEIGHT - pad - v / 10 * (SPARK_HEIGHT - 2 * pad)

    runs: list[list[str]] = [[]]
    for i, v in enumerate(values):
        if v is None:
            runs.append([])
        else:
            runs[-1].append(f"{x(i):.1f} {y(v):.1f}")
    paths = "".join(
        f'<path class="rc-worst" d="M{" L".join(run)}" fill="none" stroke="{COLOURS["worst"]}" '
        f'stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round"/>'
        for run in runs
        if len(run) > 1
    )
    shown = [(i, v) for i, v in enumerate(values) if v is not None]
    dots = "".join(
        f'<circle class="rc-worst" cx="{x(i):.1f}" cy="{y(v):.1f}" '
        f'r="{4 if i == shown[-1][0] else 2}" '
        f'fill="{COLOURS["worst"]}"/>'
        for i, v in shown
        if i == shown[-1][0] or _alone(values, i)
    )
    base = (
        f'<line class="rc-grid" x1="{pad}" x2="{SPARK_WIDTH - pad}" y1="{y(0):.1f}" '
        f'y2="{y(0):.1f}" stroke="#d5dbe1" stroke-width="1"/>'
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SPARK_WIDTH} {SPARK_HEIGHT}" '
        f'class="rc-svg rc-spark" role="img" aria-labelledby="{ident}-title {ident}-desc" '
        f'color="{INK}"><title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(desc)}</desc>{base}{paths}{dots}</svg>'
    )
