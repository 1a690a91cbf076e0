"""The progress room's files, drawn from their use cases' views by the exporters
(``adapters.exports``, ``adapters.transfer``), and answered as private downloads: what
``web.rendering`` is to the pages' HTML, this is to the charts (SVG), the report (PDF), the
calendar (.ics) and the export (JSON)."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse, Response

from runrehab.adapters.exports.calendar import sessions_ics
from runrehab.adapters.exports.report import report_html, report_pdf
from runrehab.adapters.exports.svg_charts import chart_svg as svg_chart
from runrehab.adapters.transfer import journal_to_json
from runrehab.services.content import ProgrammeContent
from runrehab.services.progress.downloads import (
    CalendarView,
    ChartView,
    ReportView,
    chart_series,
)
from runrehab.services.records import Journal

# health data: never kept by a shared cache, nor by the browser
NO_STORE = ", ".join(("private", "no-store"))
# a chart changes with each check-in: asked again on every view, sent again only when changed
REVALIDATE = ", ".join(("private", "no-cache"))
SVG_TYPE = "image/svg+xml"
ICS_TYPE = "; ".join(("text/calendar", "charset=utf-8"))
PDF_TYPE = "application/pdf"


def saved_as(name: str) -> dict[str, str]:
    """The headers of a private download, saved as ``name``."""
    disposition = "; ".join(("attachment", f'filename="{name}"'))
    return {"Cache-Control": NO_STORE, "Content-Disposition": disposition}


def chart(request: Request, view: ChartView, content: ProgrammeContent) -> Response:
    """The chart as SVG, revalidated on every view but sent again only when it has changed."""
    svg = svg_chart(chart_series(view, content), standalone=True).encode("utf-8")
    tag = '"' + hashlib.sha256(svg).hexdigest()[:20] + '"'
    headers = {"Cache-Control": REVALIDATE, "ETag": tag}
    if request.headers.get("if-none-match") == tag:
        return Response(status_code=304, headers=headers)
    return Response(svg, media_type=SVG_TYPE, headers=headers)


def report(view: ReportView, content: ProgrammeContent, name: str) -> Response:
    """The report for a physiotherapist, as a PDF saved as ``name``."""
    html = report_html(view.progress, view.week, content, view.sessions)
    return Response(report_pdf(html), media_type=PDF_TYPE, headers=saved_as(name))


def calendar(view: CalendarView, content: ProgrammeContent, stamp: datetime, name: str) -> Response:
    """The coming sessions as an iCalendar file saved as ``name``, made at ``stamp``."""
    ics = sessions_ics(view.sessions, view.person_id, stamp=stamp, words=content.words)
    return Response(ics, media_type=ICS_TYPE, headers=saved_as(name))


def export(journal: Journal, made: datetime, name: str) -> JSONResponse:
    """Everything stored about the runner, as the export document saved as ``name``."""
    return JSONResponse(journal_to_json(journal, made), headers=saved_as(name))


def file_answer(*, media_type: str, description: str) -> dict[int | str, dict[str, Any]]:
    """A file answer as the API's documentation describes it."""
    return {200: {**answer(description=description), "content": {media_type: {}}}}


def answer(*, description: str) -> dict[str, Any]:
    """An answer as the API's documentation describes it."""
    return {"description": description}
