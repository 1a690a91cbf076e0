"""The progress room's page and files: one week in words (``?week=YYYY-MM-DD``, any of its
days), the charts (SVG images from ``/progress/charts/<name>.svg``, each with its trend in words
as the text alternative), the decisions with their reasons, the downloads (the PDF report for a
physiotherapist, the coming sessions as a calendar file, every piece of the runner's data as
JSON) and the account's deletion.

A runner without a programme still gets their data and the way to delete it. Everything here
only reads, and only the signed-in runner's own journal.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response

from runrehab.services.journal.ownership import read_journal
from runrehab.services.progress.downloads import (
    UnknownChart,
    calendar_view,
    chart_view,
    report_view,
)
from runrehab.services.progress.fhir_export import fhir_for_person
from runrehab.services.progress.page import BadWeek, progress_page
from runrehab.web import downloads, fhir_download
from runrehab.web.deps import Csrf, Parts, RunnerDep
from runrehab.web.errors import BadRequest
from runrehab.web.rendering import render

router = APIRouter(dependencies=[Csrf])

CALENDAR_DAYS = 28


@router.get("/progress", include_in_schema=False)
def progress(
    request: Request, app_parts: Parts, runner: RunnerDep, week: str | None = None
) -> Response:
    try:
        page = progress_page(
            app_parts.reader(), app_parts.content, runner.person_id, runner.today, week
        )
    except BadWeek as err:
        raise BadRequest(str(err), field="week") from None
    return render(request, "progress/index.html", {"page": page}, active="progress")


@router.get("/progress/charts/{name}.svg", include_in_schema=False)
def chart(request: Request, app_parts: Parts, runner: RunnerDep, name: str) -> Response:
    content = app_parts.content
    try:
        view = chart_view(app_parts.reader(), content, runner.person_id, runner.today, name)
    except UnknownChart as err:
        raise HTTPException(404, str(err)) from None
    return downloads.chart(request, view, content)


@router.get("/progress/report.pdf", include_in_schema=False)
def report(app_parts: Parts, runner: RunnerDep) -> Response:
    """The PDF report as the command line makes it: through today, with the coming week."""
    content = app_parts.content
    view = report_view(app_parts.reader(), content, runner.person_id, runner.today)
    return downloads.report(view, content, f"runrehab-report-{runner.today.isoformat()}.pdf")


@router.get("/progress/calendar.ics", include_in_schema=False)
def calendar(
    app_parts: Parts,
    runner: RunnerDep,
    days: Annotated[int, Query(ge=1, le=366)] = CALENDAR_DAYS,
) -> Response:
    content = app_parts.content
    view = calendar_view(app_parts.reader(), content, runner.person_id, runner.today, days)
    name = f"runrehab-sessions-{runner.today.isoformat()}.ics"
    return downloads.calendar(view, content, app_parts.clock.now(), name)


@router.get("/progress/export.json", include_in_schema=False)
def export(app_parts: Parts, runner: RunnerDep) -> JSONResponse:
    journal = read_journal(app_parts.reader(), runner.person_id)
    name = f"runrehab-export-{runner.today.isoformat()}.json"
    return downloads.export(journal, app_parts.clock.now(), name)


@router.get("/progress/export.fhir.json", include_in_schema=False)
def export_fhir(app_parts: Parts, runner: RunnerDep) -> JSONResponse:
    """The runner's journal as a FHIR R4 bundle, for a clinic's record system."""
    document = fhir_for_person(
        app_parts.reader(),
        app_parts.content,
        runner.person_id,
        (),
        app_parts.clock.now(),
        fhir_download.WRITER,
    )
    name = f"runrehab-fhir-{runner.today.isoformat()}.json"
    return fhir_download.bundle(document, name)
