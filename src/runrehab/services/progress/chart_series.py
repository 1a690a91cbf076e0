"""The progress charts as plain series: what each chart shows, in numbers and words, for any
drawing of it (the page's inline SVG, the report's, a file).

One model, many views: the series come from the progress figures (``figures.Progress``) and
the running load's document (``load_view``); the adapters only draw them. Every word is the
content's. Distances are in ``unit`` ("km" or "mi"): a series converts, a drawing never does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from runrehab.content import locale
from runrehab.content.words import Words
from runrehab.services.progress.figures import Progress, flare_days

UNITS = {"km": 1.0, "mi": 1 / 1.609344}
"""A distance unit and how many of it make a kilometre."""
MIN_DAYS = 7
"""A day chart spans a week at least: one day of data is a point on a week, not an hour axis."""
HELD = {"refer": "referral", "stop": "stop"}
"""The decisions a chart marks with a line, by the mark's kind."""


@dataclass(frozen=True, slots=True)
class Line:
    """A line over the chart's x values; None is a gap (a day without a check-in)."""

    key: str
    label: str
    values: tuple[float | None, ...]
    style: str = "solid"
    """"solid", "dash" or "dot"."""
    labelled: bool = False
    """Each point carries its value (``point_labels``)."""
    point_labels: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Bars:
    key: str
    label: str
    values: tuple[float, ...]
    value_labels: tuple[str, ...] = ()
    stacked_on: str | None = None
    """The key of the bars these sit on; side by side with the others when None."""


@dataclass(frozen=True, slots=True)
class Mark:
    """A day marked across the chart: a flare (a RED day), a referral, a stop."""

    day: date
    kind: str
    label: str


@dataclass(frozen=True, slots=True)
class Band:
    """A phase, shaded behind the days it spans."""

    start: date
    end: date
    phase: int
    label: str


@dataclass(frozen=True, slots=True)
class Axis:
    label: str
    top: float
    ticks: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class ChartSeries:
    """One chart: its x values (days, or the Monday of each week), its series, and its words.
    ``empty`` is the message shown instead of the chart when there is nothing to draw."""

    name: str
    title: str
    desc: str
    x: tuple[date, ...]
    by_week: bool
    axis: Axis
    lines: tuple[Line, ...] = ()
    bars: tuple[Bars, ...] = ()
    right: Line | None = None
    """A line on its own scale, read on the right axis (``right_axis``)."""
    right_axis: Axis | None = None
    marks: tuple[Mark, ...] = ()
    bands: tuple[Band, ...] = ()
    target: float | None = None
    target_label: str = ""
    lights: tuple[str | None, ...] = ()
    """Each x's traffic light ("green", "amber", "red"; None: none), the first line's dots."""
    light_labels: tuple[tuple[str, str], ...] = ()
    """The lights shown, each with its words, for the legend."""
    empty: str | None = None


def _say(words: Words, key: str, **values: object) -> str:
    return words.say(f"progress.chart.{key}", **values)


def day_words(day: date) -> str:
    """The page's one date format in the reader's language: "Wed 2 Dec"."""
    return locale.day_text(day)


def nice_top(value: float, least: float = 10.0) -> float:
    """The axis top at or above ``value``: 1, 2 or 5 times a power of ten, ``least`` at least."""
    power = 1.0
    while True:
        for step in (1.0, 2.0, 5.0):
            top = step * power
            if top >= value and top >= least:
                return top
        power *= 10


def _axis(label: str, value: float) -> Axis:
    top = nice_top(value)
    return Axis(label, top, (0.0, top / 2, top))


# --- pain ------------------------------------------------------------------------------------


def pain_series(progress: Progress) -> ChartSeries:
    """Daily pain (worst in 24 h, now, at rest) over the phases, flares and referrals marked;
    a week at least, so one check-in is a point, not an axis of hours."""
    words = progress.words
    days = progress.days
    reported = [d for d in days if d.pain_worst is not None]
    x = _padded_days([d.day for d in days])
    pad = len(x) - len(days)
    gap: tuple[None, ...] = (None,) * pad

    def values(field: str) -> tuple[float | None, ...]:
        return gap + tuple(getattr(d, field) for d in days)

    return ChartSeries(
        "pain",
        _say(words, "pain"),
        _pain_desc(words, progress),
        x,
        False,
        Axis(_say(words, "pain_axis"), 10.0, (0.0, 5.0, 10.0)),
        lines=(
            Line("worst", _say(words, "worst"), values("pain_worst")),
            Line("now", _say(words, "now"), values("pain_now"), "dash"),
            Line("at-rest", _say(words, "at_rest"), values("pain_at_rest"), "dot"),
        ),
        marks=_marks(progress),
        lights=gap + tuple(d.colour if d.pain_worst is not None else None for d in days),
        light_labels=tuple(
            (light, _say(words, "light_day", light=light))
            for light in ("green", "amber", "red")
            if any(d.colour == light and d.pain_worst is not None for d in days)
        ),
        bands=tuple(
            Band(s.start, s.end, s.phase, _say(words, "band_short", phase=s.phase))
            for s in progress.phases
        ),
        empty=None if reported else _say(words, "no_checkins"),
    )


def _padded_days(days: Sequence[date]) -> tuple[date, ...]:
    """The days, with days before the first added up to ``MIN_DAYS`` in all."""
    if not days:
        return ()
    missing = max(0, MIN_DAYS - len(days))
    first = days[0] - timedelta(days=missing)
    return tuple(first + timedelta(days=i) for i in range(missing)) + tuple(days)


def _marks(progress: Progress) -> tuple[Mark, ...]:
    shown = {d.day for d in progress.days}
    marks = [
        Mark(day, "flare", _mark_label(progress.words, "flare")) for day in flare_days(progress)
    ]
    held = {d.day: HELD[d.action] for d in progress.decisions if d.action in HELD}
    marks += [
        Mark(day, k, _mark_label(progress.words, k)) for day, k in held.items() if day in shown
    ]
    return tuple(sorted(marks, key=lambda m: (m.day, m.kind)))


def _mark_label(words: Words, kind: str) -> str:
    return words.say(f"progress.report.chart.{kind}")


def _pain_desc(words: Words, progress: Progress) -> str:
    """The key facts in words: "Worst pain fell from 5 to 2 over 6 weeks", and the flares."""
    reported = [d for d in progress.days if d.pain_worst is not None]
    if not reported:
        return _say(words, "no_checkins")
    first, last = reported[0], reported[-1]
    assert first.pain_worst is not None and last.pain_worst is not None
    desc = pain_change_words(words, first.pain_worst, last.pain_worst, first.day, last.day)
    flares = len(flare_days(progress))
    if flares:
        desc += " " + words.say_count("progress.chart.desc_flares", flares)
    referrals = sum(1 for d in progress.decisions if d.action in HELD)
    if referrals:
        desc += " " + words.say_count("progress.chart.desc_referrals", referrals)
    return desc


def pain_change_words(words: Words, first: int, last: int, since: date, until: date) -> str:
    """ "Worst pain fell from 5 to 2 over 6 weeks" (rose, stayed at)."""
    span = span_words(words, (until - since).days)
    if first == last:
        return _say(words, "desc_pain_same", value=last, span=span)
    way = "desc_pain_fell" if last < first else "desc_pain_rose"
    return _say(words, way, first=first, last=last, span=span)


def span_words(words: Words, days: int) -> str:
    """A stretch of time in words: days under three weeks, whole weeks from then on."""
    if days < 21:
        return words.say_count("common.count.day", days)
    return words.say_count("progress.chart.weeks", round(days / 7))


# --- weekly bars -----------------------------------------------------------------------------


def adherence_series(progress: Progress) -> ChartSeries:
    """Per week: the share of programme days with a check-in and with training logged."""
    words = progress.words
    weeks = progress.weeks
    checked = tuple(100 * w.days_checked_in / max(1, w.days_in_programme) for w in weeks)
    trained = tuple(100 * w.adherence for w in weeks)
    has = any(w.days_checked_in for w in weeks)
    return ChartSeries(
        "adherence",
        _say(words, "adherence"),
        _adherence_desc(words, progress),
        tuple(w.week_start for w in weeks),
        True,
        Axis(_say(words, "share_of_days"), 100.0, (0.0, 50.0, 100.0)),
        bars=(
            Bars("checked-in", _say(words, "checked_in"), checked),
            Bars("trained", _say(words, "trained"), trained),
        ),
        empty=None if has else _say(words, "no_checkins"),
    )


def _adherence_desc(words: Words, progress: Progress) -> str:
    weeks = progress.weeks
    if not any(w.days_checked_in for w in weeks):
        return _say(words, "no_checkins")
    return _say(
        words,
        "desc_adherence",
        checked=sum(w.days_checked_in for w in weeks),
        days=sum(w.days_in_programme for w in weeks),
        trained=sum(w.days_trained for w in weeks),
        weeks=words.say_count("progress.chart.weeks", len(weeks)),
    )


def running_series(progress: Progress, unit: str = "km") -> ChartSeries:
    """Per week: running minutes (bars), and the distance in ``unit`` (a line on the right)
    once a run has reported one."""
    words = progress.words
    weeks = progress.weeks
    minutes = tuple(float(w.run_minutes) for w in weeks)
    runs = sum(w.runs for w in weeks)
    with_distance = any(w.runs and w.run_km is not None for w in weeks)
    distance = tuple(
        None if w.run_km is None or not w.runs else in_unit(w.run_km, unit) for w in weeks
    )
    right, right_axis = _distance_line(words, distance, unit) if with_distance else (None, None)
    desc = _say(words, "no_runs")
    if runs:
        total = _distance_words(words, sum(v or 0.0 for v in distance), unit)
        desc = _say(
            words,
            "desc_running" if with_distance else "desc_running_minutes",
            runs=words.say_count("common.count.run", runs),
            minutes=f"{sum(minutes):g}",
            **({"distance": total} if with_distance else {}),
        )
    return ChartSeries(
        "running",
        _say(words, "running"),
        desc,
        tuple(w.week_start for w in weeks),
        True,
        _axis(_say(words, "minutes"), max(minutes, default=0.0)),
        bars=(Bars("minutes", _say(words, "running_minutes"), minutes, _counts(minutes)),),
        right=right,
        right_axis=right_axis,
        empty=None if runs else _say(words, "no_runs"),
    )


def load_series(words: Words, load: dict[str, Any], unit: str = "km") -> ChartSeries:
    """The running load's weeks (``load_view``'s document): running minutes with
    cross-training stacked on them, and the distance in ``unit`` on the right."""
    weeks = load["weeks"]
    run = tuple(float(w["run_minutes"]) for w in weeks)
    cross = tuple(float(w["cross_training_minutes"]) for w in weeks)
    distance = tuple(in_unit(float(w["run_km"] or 0.0), unit) for w in weeks)
    any_load = any(w["runs"] or w["cross_training_minutes"] for w in weeks)
    right, right_axis = _distance_line(words, distance, unit)
    desc = (
        _say(
            words,
            "desc_load",
            weeks=words.say_count("progress.chart.weeks", len(weeks)),
            runs=words.say_count("common.count.run", sum(w["runs"] for w in weeks)),
            minutes=f"{sum(run):g}",
            distance=_distance_words(words, sum(distance), unit),
            cross=f"{sum(cross):g}",
        )
        if any_load
        else _say(words, "no_runs")
    )
    return ChartSeries(
        "load",
        _say(words, "load"),
        desc,
        tuple(date.fromisoformat(str(w["week_of"])) for w in weeks),
        True,
        _axis(
            _say(words, "minutes"),
            max((r + c for r, c in zip(run, cross, strict=True)), default=0.0),
        ),
        bars=(
            Bars("run", _say(words, "running_minutes"), run),
            Bars("cross", _say(words, "cross_training_minutes"), cross, stacked_on="run"),
        ),
        right=right if any(distance) else None,
        right_axis=right_axis if any(distance) else None,
        empty=None if any_load else _say(words, "no_runs"),
    )


def in_unit(km: float, unit: str) -> float:
    """``km`` kilometres in ``unit`` ("km" or "mi"), to a tenth."""
    factor = UNITS.get(unit)
    if factor is None:  # a bug: the account's setting is one of UNITS
        raise ValueError(unit)
    return round(km * factor, 1)


def _distance_line(
    words: Words, distance: tuple[float | None, ...], unit: str
) -> tuple[Line, Axis]:
    name = _say(words, f"unit_{unit}")
    line = Line("distance", _say(words, "distance", unit=name), distance, labelled=False)
    top = max((v for v in distance if v is not None), default=0.0)
    axis = Axis(line.label, nice_top(top, 5.0), ())
    return line, Axis(axis.label, axis.top, (0.0, axis.top / 2, axis.top))


def _distance_words(words: Words, value: float, unit: str) -> str:
    return _say(
        words, "distance_value", value=f"{round(value, 1):g}", unit=_say(words, f"unit_{unit}")
    )


def _counts(values: Sequence[float]) -> tuple[str, ...]:
    return tuple(f"{v:g}" if v else "" for v in values)


# --- Kujala ----------------------------------------------------------------------------------


def kujala_series(progress: Progress) -> ChartSeries:
    """Kujala scores (0-100, higher is better), each labelled, against the baseline + MIC."""
    words = progress.words
    rows = progress.kujala
    days = _padded_days(_every_day(rows[0].day, rows[-1].day)) if rows else ()
    scores: dict[date, float] = {r.day: r.score for r in rows}
    target = rows[0].score + progress.kujala_mic if rows else None
    return ChartSeries(
        "kujala",
        _say(words, "kujala"),
        _kujala_desc(words, progress),
        days,
        False,
        Axis(_say(words, "kujala_axis"), 100.0, (0.0, 50.0, 100.0)),
        lines=(
            Line(
                "score",
                _say(words, "score"),
                tuple(scores.get(d) for d in days),
                labelled=True,
                point_labels=tuple(f"{scores[d]:g}" if d in scores else "" for d in days),
            ),
        ),
        target=target,
        target_label=""
        if target is None
        else _say(words, "kujala_line", mic=progress.kujala_mic, target=f"{target:g}"),
        empty=None if rows else _say(words, "no_kujala"),
    )


def _every_day(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _kujala_desc(words: Words, progress: Progress) -> str:
    rows = progress.kujala
    if not rows:
        return _say(words, "no_kujala")
    first, last = rows[0], rows[-1]
    if len(rows) == 1:
        return _say(words, "desc_kujala_one", score=f"{first.score:g}", day=day_words(first.day))
    return _say(
        words,
        "desc_kujala",
        first=f"{first.score:g}",
        last=f"{last.score:g}",
        span=span_words(words, (last.day - first.day).days),
        mic=progress.kujala_mic,
    )


# --- every chart -----------------------------------------------------------------------------


def progress_series(
    progress: Progress, load: dict[str, Any] | None, unit: str = "km"
) -> dict[str, ChartSeries]:
    """Every progress chart's series by name (the load chart only with its document)."""
    charts = {
        "pain": pain_series(progress),
        "adherence": adherence_series(progress),
        "running": running_series(progress, unit),
        "kujala": kujala_series(progress),
    }
    if load is not None:
        charts["load"] = load_series(progress.words, load, unit)
    return charts
