"""The progress room's page and files: the headline (pain's way, the phase, the streak), one
week in words (``?week=YYYY-MM-DD``, any of its days), the charts (inline SVG, each with its
trend in words; also alone at ``/progress/charts/<name>.svg``), the decisions with their
reasons, the downloads (the PDF report for a physiotherapist, the coming sessions as a calendar
file, every piece of the runner's data as JSON) and the account's deletion.

Charts and the report are drawn once per change of the journal (``journal_revision``) and kept
in this process (``services.progress.drawn``); the files answer 304 to a browser that has them.

A runner without a programme still gets their data and the way to delete it. Everything here
only reads, and only the signed-in runner's own journal.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response
from markupsafe import Markup

from runrehab.content import locale
from runrehab.services.content import ProgrammeContent
from runrehab.services.journal.ownership import read_journal
from runrehab.services.progress import drawn
from runrehab.services.progress.downloads import (
    calendar_view,
    chart_series,
    chart_view,
    report_view,
)
from runrehab.services.progress.fhir_export import fhir_for_person
from runrehab.services.progress.page import (
    CHART_NAMES,
    BadWeek,
    ChartShown,
    ProgressPage,
    progress_page,
)
from runrehab.services.progress.revision import journal_revision
from runrehab.web import charts, downloads, fhir_download
from runrehab.web.deps import Csrf, Parts, Runner, RunnerDep
from runrehab.web.errors import BadRequest
from runrehab.web.rendering import render

router = APIRouter(dependencies=[Csrf])

CALENDAR_DAYS = 28


def distance_unit(runner: Runner) -> str:
    """The runner's distance unit, "km" or "mi": the account's setting, which the language
    middleware made the request's (``content.locale.units``)."""
    return locale.units()


def _key(
    what: str, runner: Runner, revision: str, unit: str, content: ProgrammeContent
) -> tuple[str, ...]:
    """What a drawing depends on: the journal's revision (with the day), the unit, the
    language and the drawing's own version."""
    return (what, runner.person_id, revision, unit, content.language, charts.VERSION)


@router.get("/progress", include_in_schema=False)
def progress(
    request: Request, app_parts: Parts, runner: RunnerDep, week: str | None = None
) -> Response:
    unit = distance_unit(runner)
    try:
        page = progress_page(
            app_parts.reader(), app_parts.content, runner.person_id, runner.today, week, unit
        )
    except BadWeek as err:
        raise BadRequest(str(err), field="week") from None
    context = {
        "page": page,
        "charts": _drawn_charts(page, runner, unit, app_parts.content),
        "spark": charts.sparkline(page.headline),
    }
    return render(request, "progress/index.html", context, active="progress")


def _drawn_charts(
    page: ProgressPage, runner: Runner, unit: str, content: ProgrammeContent
) -> list[tuple[ChartShown, Markup]]:
    """Each chart of the page with its inline SVG, drawn once per revision of the journal."""
    return [
        (
            shown,
            charts.inline(
                shown.series, _key(f"inline-{shown.name}", runner, page.revision, unit, content)
            ),
        )
        for shown in page.charts
        if shown.series is not None
    ]


@router.get("/progress/charts/{name}.svg", include_in_schema=False)
def chart(request: Request, app_parts: Parts, runner: RunnerDep, name: str) -> Response:
    """A chart alone, as an SVG file: 304 to a browser holding this revision's, which is
    known before anything is read beyond the journal's records."""
    content, unit = app_parts.content, distance_unit(runner)
    if name not in CHART_NAMES:
        raise HTTPException(
            404,
            content.words.say(
                "progress.unknown_chart", name=repr(name), names=", ".join(CHART_NAMES)
            ),
        )
    revision = journal_revision(app_parts.reader(), runner.person_id, runner.today)
    key = _key(f"file-{name}", runner, revision, unit, content)
    tag = drawn.etag(key)
    headers = {"Cache-Control": downloads.REVALIDATE, "ETag": tag}
    if drawn.matches(request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers=headers)

    def draw() -> bytes:
        view = chart_view(app_parts.reader(), content, runner.person_id, runner.today, name)
        return charts.standalone(chart_series(view, content, unit))

    return Response(drawn.CHARTS.get(key, draw), media_type=downloads.SVG_TYPE, headers=headers)


@router.get("/progress/report.pdf", include_in_schema=False)
def report(request: Request, app_parts: Parts, runner: RunnerDep) -> Response:
    """The PDF report as the command line makes it: through today, with the coming week;
    made once per revision of the journal, 304 to a browser that has it."""
    content, unit = app_parts.content, distance_unit(runner)
    revision = journal_revision(app_parts.reader(), runner.person_id, runner.today)
    key = _key("report", runner, revision, unit, content)
    tag = drawn.etag(key)
    name = f"runrehab-report-{runner.today.isoformat()}.pdf"
    headers = {**downloads.saved_as(name), "Cache-Control": downloads.REVALIDATE, "ETag": tag}
    if drawn.matches(request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers=headers)

    def draw() -> bytes:
        view = report_view(app_parts.reader(), content, runner.person_id, runner.today)
        return charts.report(view, content, unit)

    return Response(drawn.REPORTS.get(key, draw), media_type=downloads.PDF_TYPE, headers=headers)


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
