"""The check-in document sent to the web app: the API's JSON body parsed (a syntax error or a
text that is not text is a problem named by its place), the contract's reader the check-in
use case checks it with, and the contract's schema for the API documentation.

The routes of ``web.pages`` and ``web.api`` reach no adapter themselves: as ``web.documents``
is for the assessment, this module is the web's door to the check-in's reader
(``adapters.documents``), and ``cli.app.read_document`` is the command line's.
"""

from __future__ import annotations

from typing import Any

from runrehab.adapters.documents import parse_json, read_checkin, schema
from runrehab.services.journal.programme import CHECKIN

__all__ = ["CHECKIN_BODY", "parse_checkin", "read_checkin"]


def parse_checkin(body: bytes) -> Any:
    """The request body as JSON; ``InvalidDocument`` naming the place of what is wrong."""
    return parse_json(body, CHECKIN)


def _openapi_schema() -> dict[str, Any]:
    """The contract's schema with its ``$defs`` written in place, for the API documentation
    (a ``$ref`` inside the OpenAPI document would point at the wrong root)."""
    nrs = schema("checkin")["$defs"]["nrs"]

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            if node.get("$ref") == "#/$defs/nrs":
                return dict(nrs)
            return {k: inline(v) for k, v in node.items() if k not in ("$schema", "$id", "$defs")}
        if isinstance(node, list):
            return [inline(v) for v in node]
        return node

    resolved: dict[str, Any] = inline(schema("checkin"))
    return resolved


CHECKIN_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": _openapi_schema()}},
    }
}
"""The ``openapi_extra`` of the operation that takes a check-in: the contract's schema."""
