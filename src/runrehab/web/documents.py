"""Contract documents sent to the web app (an assessment, a check-in): read from the request,
size-checked, parsed and validated before a use case sees them; and their schemas, for the
API's documentation.

The routes of ``web.pages`` and ``web.api`` reach no adapter themselves: this module is the
web's door to the contract's reader (``adapters.documents``), as ``cli.app.read_document`` is
the command line's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, cast

from fastapi import Depends, HTTPException, Request

from runrehab.adapters.documents import parse_json, read_assessment, read_checkin, schema
from runrehab.engine.assessment import Assessment
from runrehab.services.journal.programme import CHECKIN
from runrehab.services.records import Document
from runrehab.web.deps import parts

__all__ = [
    "ASSESSMENT_BODY",
    "CHECKIN_BODY",
    "AssessmentBody",
    "SentAssessment",
    "parse_checkin",
    "read_assessment",
    "read_checkin",
]

MAX_ASSESSMENT_BYTES = 64 * 1024
"""An assessment is about 1 KB; anything this big is not one."""


@dataclass(frozen=True, slots=True)
class SentAssessment:
    """An assessment sent as JSON: the document as sent, and its engine value."""

    document: Document
    assessment: Assessment


async def sent_assessment(request: Request) -> SentAssessment:
    """The request body as an assessment valid under the contract: 413 when it is far too big
    for one, 422 (``InvalidDocument``) naming every problem."""
    words = parts(request).content.words
    too_big = words.say("intake.api.too_big", kb=MAX_ASSESSMENT_BYTES // 1024)
    declared = request.headers.get("content-length", "0")
    if declared.isdecimal() and int(declared) > MAX_ASSESSMENT_BYTES:
        raise HTTPException(413, too_big)
    body = await request.body()
    if len(body) > MAX_ASSESSMENT_BYTES:
        raise HTTPException(413, too_big)
    document = parse_json(body, "assessment")
    assessment = read_assessment(document)  # valid from here: an object of the contract
    return SentAssessment(cast(Document, document), assessment)


AssessmentBody = Annotated[SentAssessment, Depends(sent_assessment)]


def parse_checkin(body: bytes) -> Any:
    """The request body as JSON; ``InvalidDocument`` naming the place of what is wrong."""
    return parse_json(body, CHECKIN)


def _openapi_schema(node: Any, defs: dict[str, Any]) -> Any:
    """A contract schema with its ``$defs`` written in place, as OpenAPI can show it (a
    ``$ref`` inside the OpenAPI document would point at the wrong root)."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return _openapi_schema(defs[ref.removeprefix("#/$defs/")], defs)
        skip = {"$schema", "$id", "$defs"}
        return {k: _openapi_schema(v, defs) for k, v in node.items() if k not in skip}
    if isinstance(node, list):
        return [_openapi_schema(v, defs) for v in node]
    return node


def _body(kind: str, description: str | None = None) -> dict[str, Any]:
    """The ``openapi_extra`` of an operation that takes the contract document ``kind``."""
    contract = schema(kind)
    body: dict[str, Any] = {
        "required": True,
        "content": {
            "application/json": {"schema": _openapi_schema(contract, contract.get("$defs", {}))}
        },
    }
    if description is not None:
        body["description"] = description
    return {"requestBody": body}


ASSESSMENT_BODY = _body(
    "assessment", "An intake assessment, valid under `contracts/assessment.schema.json`."
)
CHECKIN_BODY = _body("checkin")
