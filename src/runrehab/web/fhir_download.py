"""The runner's journal as a FHIR R4 bundle, answered as a private download: the writer the
progress room's use case is given (``adapters.exports.fhir``), and the answer, as
``web.downloads`` does for the JSON export."""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

from runrehab.adapters.exports.fhir import fhir_bundle
from runrehab.services.progress.fhir_export import FhirWriter
from runrehab.web.downloads import saved_as

FHIR_JSON = "application/fhir+json"
WRITER: FhirWriter = fhir_bundle
"""Makes the bundle's JSON document (``services.progress.fhir_export.fhir_for_person``)."""


def bundle(document: dict[str, Any], name: str) -> JSONResponse:
    """The bundle's document saved as ``name``, typed as FHIR's JSON."""
    return JSONResponse(document, media_type=FHIR_JSON, headers=saved_as(name))
