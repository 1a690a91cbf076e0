"""The admin's page of the clinic's FHIR bulk exports: start one, watch it being made, and
download its files (``services.clinic.exports``; the API's answers are the same views)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from runrehab.web.api.clinic_exports import listed, ndjson_file, start
from runrehab.web.deps import ClinicianDep, Csrf, Parts
from runrehab.web.rendering import render

router = APIRouter(dependencies=[Csrf])


@router.get("/clinic/exports", include_in_schema=False)
def exports_page(request: Request, app_parts: Parts, staff: ClinicianDep) -> Response:
    context = {"view": listed(app_parts, staff), "hide_nav": True}
    return render(request, "clinic/exports.html", context, active="clinic")


@router.post("/clinic/exports", include_in_schema=False)
def start_export(app_parts: Parts, staff: ClinicianDep) -> Response:
    start(app_parts, staff)
    return RedirectResponse("/clinic/exports", status_code=303)


@router.get("/clinic/exports/{export_id}/{kind}.ndjson", include_in_schema=False)
def export_file(
    app_parts: Parts,
    staff: ClinicianDep,
    export_id: str,
    kind: Literal["Bundle", "OperationOutcome"],
) -> Response:
    return ndjson_file(app_parts, staff, export_id, kind)
