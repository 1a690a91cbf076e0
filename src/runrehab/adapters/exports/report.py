"""The progress report for the runner and their physiotherapist: HTML, and PDF from it.

The HTML is self-contained (its CSS inline, the charts inline as SVG, system fonts), so it can be
mailed, opened offline, or printed; WeasyPrint turns the same HTML into the PDF. The charts are
the page's own (``svg_charts``), drawn wider so their text prints at about 11 pt.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from runrehab.adapters.exports.svg_charts import WIDTH, chart_svg
from runrehab.content import locale
from runrehab.services.content import ProgrammeContent
from runrehab.services.progress.case import report_case
from runrehab.services.progress.chart_series import ChartSeries, progress_series
from runrehab.services.progress.decision_spans import SourceRow, days_by_month
from runrehab.services.progress.figures import (
    Progress,
    WeekSummary,
    monday_of,
    without_open_day,
)
from runrehab.services.progress.sessions import SessionWords
from runrehab.services.reasons import ReasonBook

WIDE_CHARTS = ("pain",)
"""Drawn across the page; the others (``HALF_CHARTS``) two side by side."""
HALF_CHARTS = ("running", "kujala")
"""The adherence chart is left out: the case and the table by week give its figures."""
WIDE = 2 * WIDTH
"""A wide chart's view box: twice a phone's, across the page's 180 mm (its text ≈ 11 pt)."""
HALF = WIDTH
"""A half chart's: a phone's, across 89 mm."""


def report_html(
    progress: Progress,
    summary: WeekSummary,
    content: ProgrammeContent,
    sessions: Sequence[dict[str, Any]] = (),
    unit: str = "km",
) -> str:
    """The report as one self-contained HTML page. ``summary`` is ``week_summary``'s answer
    for the week to feature; ``sessions`` (``coming_sessions``) adds the projected days and
    the next prescribed doses; the charts' distances are in ``unit``. The report's own day,
    without a check-in yet, counts as neither missed nor trained (``without_open_day``)."""
    template = _environment().get_template("report.html.j2")
    return template.render(**_context(progress, summary, content, sessions, unit))


def _context(
    progress: Progress,
    summary: WeekSummary,
    content: ProgrammeContent,
    sessions: Sequence[dict[str, Any]],
    unit: str = "km",
) -> dict[str, Any]:
    case = report_case(progress, summary.week_start, sessions)
    progress = without_open_day(progress)
    words = content.words

    def say(key: str, **values: object) -> str:
        return words.say(f"progress.report.{key}", **values)

    return {
        "progress": progress,
        "programme": progress.programme,
        "triage": progress.triage,
        "case": case,
        "who": progress.person_name or say("someone", id=progress.person_id[:8]),
        "protocol_name": content.catalogue.protocol.name,
        "wide_charts": _charts(progress, WIDE_CHARTS, WIDE, say, unit),
        "half_charts": _charts(progress, HALF_CHARTS, HALF, say, unit),
        "mic": progress.kujala_mic,
        "answered": _by_week(progress),
        "sessions": _session_runs(sessions, SessionWords(content.words)),
        "authors": words.under("progress.report.author"),
        "sources": _numbered(case.sources, content.book),
        "hold_days": None
        if progress.hold is None
        else (progress.through - date.fromisoformat(str(progress.hold["since"]))).days + 1,
    }


def _charts(
    progress: Progress,
    names: Sequence[str],
    width: int,
    say: Callable[..., str],
    unit: str = "km",
) -> list[dict[str, Any]]:
    """The charts with something to draw, as wide as they print; an empty one is left out."""
    series: dict[str, ChartSeries] = progress_series(progress, None, unit)
    return [
        {
            "name": name,
            "svg": Markup(chart_svg(series[name], width=width, ident=f"report-{name}")),
            "caption": _caption(name, progress, say, unit),
        }
        for name in names
        if series[name].empty is None
    ]


def _caption(name: str, progress: Progress, say: Callable[..., str], unit: str) -> str:
    if name == "kujala":
        return say("caption.kujala", mic=progress.kujala_mic)
    if name == "running" and unit == "mi":
        return say("caption.running_mi")
    return say(f"caption.{name}")


def _numbered(rules: Sequence[SourceRow], book: ReasonBook) -> dict[str, Any]:
    """The sources the rules cite, each once, numbered in the order the rules first cite them
    (``cited``), and each rule's numbers (``refs``: "[1, 4, 6]"), set next to its id."""
    cited: dict[str, int] = {}
    refs: dict[str, str] = {}
    for row in rules:
        numbers = [
            str(cited.setdefault(book.sources[source].short, len(cited) + 1))
            for source in book.rules[row.rule].sources
        ]
        refs[row.rule] = f"[{', '.join(numbers)}]"
    return {"refs": refs, "cited": list(cited)}


def _by_week(progress: Progress) -> dict[date, dict[str, Any]]:
    """The questionnaires of each week (by its Monday), the latest of each kind: Kujala,
    weekly pain and the worry check, shown in the week's row."""
    weeks: dict[date, dict[str, Any]] = {
        w.week_start: {"kujala": None, "weekly": None, "fear": None} for w in progress.weeks
    }
    for kind, rows in (
        ("kujala", progress.kujala),
        ("weekly", progress.weekly_pain),
        ("fear", progress.fear_screens),
    ):
        for row in rows:
            if monday_of(row.day) in weeks:
                weeks[monday_of(row.day)][kind] = row
    return weeks


def _session_runs(sessions: Sequence[dict[str, Any]], titles: SessionWords) -> list[dict[str, Any]]:
    """The coming sessions, each session once with its days, in the order they first come."""
    days: dict[str, list[date]] = {}
    for s in sessions:
        days.setdefault(titles.title(s), []).append(date.fromisoformat(str(s["date"])))
    return [{"title": title, "days": _days_words(on)} for title, on in days.items()]


def _days_words(days: Sequence[date]) -> str:
    """Days as the report lists them: "13 Apr – 19 Apr" for a run of days, else by month,
    "13, 15, 17 Apr"."""
    first, last = days[0], days[-1]
    if len(days) == 1:
        return _short(first)
    if (last - first).days + 1 == len(days):
        return f"{_short(first)} – {_short(last)}"
    return days_by_month(days)


def report_pdf(html: str) -> bytes:
    """The report as PDF (A4), rendered by WeasyPrint from ``report_html``'s page."""
    from weasyprint import HTML  # type: ignore[import-untyped]  # slow to import: only here

    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("runrehab.adapters.exports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,  # a missing value is a bug, not an empty cell
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(day=_day, short=_short, num=_num, words=_words)
    return env


def _day(value: date | str | None) -> str:
    """A date, or an ISO date from a document, as "02 Mar 2026"."""
    if value is None:
        return "—"
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return locale.day_text(day, True)


def _short(value: date | str) -> str:
    """A day within the report's weeks, or an ISO date from a document, as "02 Mar"."""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return locale.short_day_text(day)


def _num(value: float | None) -> Markup | str:
    if value is None:
        return Markup('<span class="missing">—</span>')
    return f"{value:g}"


def _words(value: str) -> str:
    return value.replace("_", " ").capitalize()
