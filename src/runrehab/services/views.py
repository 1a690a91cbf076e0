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
    kind = type(value)
    if kind in _PLAIN:
        return value
    keys = _KEYS.get(kind)
    if keys is None and is_dataclass(value) and not isinstance(value, type):
        keys = _KEYS[kind] = _keys(kind)
    if keys is not None:
        return {key: jsonable(getattr(value, name)) for key, name in keys}
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


_PLAIN = frozenset({str, int, float, bool, type(None)})
"""Values that are JSON already (the most common by far: answered first)."""

_KEYS: dict[type, tuple[tuple[str, str], ...]] = {}
"""Each view class's (JSON key, field name) pairs, in field order, worked out once."""


def _keys(kind: type) -> tuple[tuple[str, str], ...]:
    named = ((f.metadata.get("json", f.name), f.name) for f in fields(kind))
    return tuple((key, name) for key, name in named if key is not None)
