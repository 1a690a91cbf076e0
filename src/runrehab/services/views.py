"""What a use case hands back: a view, a frozen dataclass of what a page, an API answer or the
command line shows, and nothing to compute any more.

A view is typed (``mypy`` checks every field a template or a renderer reads) and becomes JSON
in one way, ``jsonable``: a dataclass is an object with its fields in their order, a tuple or
a list is a list, a date is ``YYYY-MM-DD``, an enum is its value. A field whose name is a
Python word (``from``) or not one at all (``run-cap``) names its JSON key in its metadata
(``field(metadata={"json": "from"})``); a field marked ``{"json": None}`` is left out of the
JSON (a page-only detail).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any


def jsonable(value: Any) -> Any:
    """``value`` (a view, or any part of one) as plain JSON values."""
    if is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        for f in fields(value):
            key = f.metadata.get("json", f.name)
            if key is not None:
                out[key] = jsonable(getattr(value, f.name))
        return out
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value
