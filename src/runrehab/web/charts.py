"""The progress charts and the report as the pages show and send them, drawn by the exporters
(``adapters.exports.svg_charts``, ``adapters.exports.report``) once per change of the journal
and kept in this process (``services.progress.drawn``): what ``web.downloads`` is to the other
files. Routes may not reach the adapters themselves; this is their way to a drawing.
"""

from __future__ import annotations

from collections.abc import Hashable

from markupsafe import Markup

from runrehab import __version__
from runrehab.adapters.exports import svg_charts
from runrehab.adapters.exports.report import report_html, report_pdf
from runrehab.services.content import ProgrammeContent
from runrehab.services.progress import drawn
from runrehab.services.progress.chart_series import ChartSeries
from runrehab.services.progress.downloads import ReportView
from runrehab.services.progress.headline import SPARK_DAYS, Headline

VERSION = f"{svg_charts.VERSION}-{__version__}"
"""The drawings' version and RunRehab's: part of every key and ETag, so after an upgrade a
browser's old drawing is never taken for the new one."""


def inline(series: ChartSeries, key: Hashable) -> Markup:
    """The chart as an element of the page (its colours from the page's CSS)."""
    svg = drawn.CHARTS.get(key, lambda: svg_charts.chart_svg(series).encode("utf-8"))
    return Markup(svg.decode("utf-8"))  # our own drawing, every word in it escaped


def standalone(series: ChartSeries) -> bytes:
    """The chart as an SVG file, with its own light and dark colours."""
    return svg_charts.chart_svg(series, standalone=True).encode("utf-8")


def sparkline(headline: Headline | None) -> Markup | None:
    """The headline's worst pain of the last weeks, or None before any pain score."""
    if headline is None or headline.latest is None:
        return None
    svg = svg_charts.sparkline_svg(
        headline.worst, headline.trend_words, headline.spark_desc, slots=SPARK_DAYS
    )
    return Markup(svg)  # our own drawing, every word in it escaped


def report(view: ReportView, content: ProgrammeContent, unit: str = "km") -> bytes:
    """The report for a physiotherapist as PDF, distances in ``unit``."""
    return report_pdf(report_html(view.progress, view.week, content, view.sessions, unit))
