"""The clinic's FHIR bulk export, for its admins: start one (made in the background), follow
it, and download its files, one FHIR resource per line (NDJSON), as FHIR Bulk Data's
``$export`` gives them: ``Bundle.ndjson`` (a patient's record per line) and, when some
record could not be exported, ``OperationOutcome.ndjson`` saying whose.

Each operation is one use case of ``services.clinic.exports``; anyone but an admin of the
clinic gets a 404, as for an export that does not exist."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel

from runrehab.content import locale
from runrehab.services.clinic import exports
from runrehab.services.views import jsonable
from runrehab.web.api_docs import api_error_responses
from runrehab.web.deps import AppParts, ClinicianDep, Csrf, Parts, StaffUser
from runrehab.web.downloads import saved_as

router = APIRouter(dependencies=[Csrf], tags=["clinic"])
EXPORTS = "/api/v1/clinic/exports"
NDJSON = "application/fhir+ndjson"


class ExportFileOut(BaseModel):
    type: str
    url: str
    count: int


class ExportOut(BaseModel):
    """An export: where it is and, once done, its files (Bulk Data's ``output`` and
    ``error``)."""

    id: str
    status: Literal["queued", "running", "done", "failed"]
    status_text: str
    requested_by: str
    created_at: str
    when: str
    total: int
    done: int
    finished: bool
    finished_at: str | None
    message: str | None
    output: list[ExportFileOut]
    error: list[ExportFileOut]
    kept_until: str


class ExportsOut(BaseModel):
    exports: list[ExportOut]
    keep_days: int
    busy: bool


@router.post(
    EXPORTS,
    summary="Export every patient's record as FHIR R4 Bundles (admins; made in the background)",
    status_code=202,
    response_model=ExportOut,
    responses=api_error_responses(401, 404),
)
def api_start_export(app_parts: Parts, staff: ClinicianDep) -> Response:
    started = start(app_parts, staff)
    url = f"{EXPORTS}/{started.id}"
    return JSONResponse(jsonable(started), status_code=202, headers={"Location": url})


@router.get(
    EXPORTS,
    summary=f"The clinic's exports of the last {exports.KEEP_DAYS} days, newest first (admins)",
    response_model=ExportsOut,
    responses=api_error_responses(401, 404),
)
def api_exports(app_parts: Parts, staff: ClinicianDep) -> Any:
    return jsonable(listed(app_parts, staff))


@router.get(
    EXPORTS + "/{export_id}",
    summary="One export: how far it got and, once done, its files (admins)",
    response_model=ExportOut,
    responses=api_error_responses(401, 404),
)
def api_export(app_parts: Parts, staff: ClinicianDep, export_id: str) -> Any:
    return jsonable(
        exports.one_export(
            app_parts.reader(),
            app_parts.clock,
            app_parts.content.words,
            staff.clinician,
            export_id,
            staff.runner.account.timezone,
        )
    )


@router.get(
    EXPORTS + "/{export_id}/{kind}.ndjson",
    summary="A finished export's file: one FHIR resource per line (admins)",
    response_class=StreamingResponse,
    responses={
        200: {"content": {NDJSON: {"schema": {"type": "string"}}}},
        **api_error_responses(401, 404, 409),
    },
)
def api_export_file(
    app_parts: Parts,
    staff: ClinicianDep,
    export_id: str,
    kind: Literal["Bundle", "OperationOutcome"],
) -> Response:
    return ndjson_file(app_parts, staff, export_id, kind)


def start(app_parts: AppParts, staff: StaffUser) -> exports.ExportView:
    """A new export queued (or the one under way), in the request's language (the page's
    button does the same)."""
    return exports.start_export(
        app_parts.writer(),
        app_parts.clock,
        app_parts.content.words,
        staff.clinician,
        app_parts.queue(),
        locale.current(),
        staff.runner.account.timezone,
    )


def listed(app_parts: AppParts, staff: StaffUser) -> exports.ExportsPage:
    """The clinic's exports kept, as the page and the API list them."""
    return exports.exports_page(
        app_parts.reader(),
        app_parts.clock,
        app_parts.content.words,
        staff.clinician,
        staff.runner.account.timezone,
    )


def ndjson_file(app_parts: AppParts, staff: StaffUser, export_id: str, kind: str) -> Response:
    """The file streamed as it is read (the page's download answers the same)."""
    found = exports.export_file(
        app_parts.writer(),
        app_parts.reader,
        app_parts.clock,
        app_parts.content.words,
        staff.clinician,
        export_id,
        kind,
    )
    return StreamingResponse(found.lines, media_type=NDJSON, headers=saved_as(found.name))
