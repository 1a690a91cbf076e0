"""How a day is written in a query: ``YYYY-MM-DD``, documented as ``format: date``, and
nothing else taken (``iso_day``)."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import WithJsonSchema

_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
DAY_SCHEMA: dict[str, Any] = {"type": "string", "format": "date", "examples": ["2026-12-01"]}
"""A day in a query, as the OpenAPI document shows it (RFC 3339 ``full-date``)."""
DayText = Annotated[str | None, WithJsonSchema(DAY_SCHEMA)]
"""A day parameter as the route receives it: the text sent, read by ``iso_day`` (so a bad one
is a 400 in the route's own words, not a 422)."""


def iso_day(text: str) -> date | None:
    """``text`` as a day when it is written ``YYYY-MM-DD`` and is one, else None. Nothing else
    is read as a day: not ``0`` (which a lenient reader takes for 1970-01-01), ``20261201``,
    ``2026-W49-2`` or ``2026-1-1``. Surrounding spaces are forgiven."""
    cleaned = text.strip()
    if not _ISO_DAY.fullmatch(cleaned):
        return None
    try:
        return date.fromisoformat(cleaned)
    except ValueError:  # 2026-02-30
        return None
