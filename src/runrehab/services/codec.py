"""Programme states and decisions as plain JSON values, for storage and for export.

The field names are those of the engine's dataclasses; dates are ISO 8601 strings. A test
round-trips every field, so adding one to ``ProgrammeState`` cannot be forgotten here.
"""

from __future__ import annotations

from dataclasses import MISSING, fields, is_dataclass
from datetime import date
from types import UnionType
from typing import Any, Union, get_args, get_origin, get_type_hints

from runrehab.engine.metrics import Metrics
from runrehab.engine.red_flags import Background
from runrehab.engine.said import Iso, Km, Said
from runrehab.engine.state import Action, ProgrammeState, Status
from runrehab.engine.values import Colour, Disposition, PathwayId, Reason
from runrehab.services.records import DecisionRecord

_DATES = {
    "programme_started",
    "phase_started",
    "rung_started",
    "dose_changed",
    "hold_running_until",
    "gates_met_on",
    "evaluated_through",
    "last_moved_on",
}


def state_to_json(state: ProgrammeState) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields(state):
        value = getattr(state, f.name)
        if f.name == "background":
            out[f.name] = _plain(value)
            continue
        out[f.name] = (
            value.isoformat()
            if isinstance(value, date)
            else (value.value if hasattr(value, "value") else value)
        )
    return out


def state_from_json(data: dict[str, Any]) -> ProgrammeState:
    known = {f.name for f in fields(ProgrammeState)}
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in known:
            raise ValueError(f"unknown programme state field {key!r}")
        if key in _DATES:
            values[key] = None if value is None else date.fromisoformat(value)
        elif key == "pathway":
            values[key] = PathwayId(value)
        elif key == "status":
            values[key] = Status(value)
        elif key == "background":
            values[key] = _build(Background, value)
        else:
            values[key] = int(value)
    return ProgrammeState(**values)


def reasons_to_json(reasons: tuple[Reason, ...]) -> list[dict[str, Any]]:
    """Each reason's rule and English detail, and the detail's words key and facts when it has
    them, so a stored decision reads in the reader's language too (``engine.said``)."""
    return [
        {"rule": r.rule, "detail": r.detail}
        | ({} if r.said is None else {"said": said_to_json(r.said)})
        for r in reasons
    ]


def reasons_from_json(data: list[dict[str, Any]]) -> tuple[Reason, ...]:
    return tuple(
        Reason(r["rule"], r.get("detail", ""), said_from_json(r.get("said"))) for r in data
    )


def said_to_json(thing: Said) -> dict[str, Any]:
    return {"key": thing.key, "facts": [[name, _fact_to_json(v)] for name, v in thing.facts]}


def _fact_to_json(value: object) -> Any:
    if isinstance(value, Said):
        return {"said": said_to_json(value)}
    if isinstance(value, Iso):
        return {"iso": value.day.isoformat()}
    if isinstance(value, Km):
        return {"km": value.value}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, tuple):
        return {"list": [_fact_to_json(v) for v in value]}
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)  # an enum or another value the words write as text


def said_from_json(data: Any) -> Said | None:
    """The stored words key and facts; None for a row stored before they were kept, or one
    that cannot be read (the English detail stays)."""
    if not isinstance(data, dict):
        return None
    try:
        facts = tuple((str(name), _fact_from_json(v)) for name, v in data["facts"])
        return Said(str(data["key"]), facts)
    except (KeyError, TypeError, ValueError):
        return None


def _fact_from_json(value: Any) -> object:
    if not isinstance(value, dict):
        return value
    if "said" in value:
        found = said_from_json(value["said"])
        if found is None:
            raise ValueError(value)
        return found
    if "iso" in value:
        return Iso(date.fromisoformat(value["iso"]))
    if "km" in value:
        return Km(float(value["km"]))
    if "date" in value:
        return date.fromisoformat(value["date"])
    if "list" in value:
        return tuple(_fact_from_json(v) for v in value["list"])
    raise ValueError(value)


def decision_to_json(d: DecisionRecord) -> dict[str, Any]:
    return {
        "date": d.day.isoformat(),
        "action": d.action.value,
        "disposition": d.disposition.value,
        "colour": None if d.colour is None else d.colour.value,
        "phase": d.phase,
        "rung": d.rung,
        "reasons": reasons_to_json(d.reasons),
    }


def decision_from_json(programme_id: str, data: dict[str, Any]) -> DecisionRecord:
    return DecisionRecord(
        programme_id=programme_id,
        day=date.fromisoformat(data["date"]),
        action=Action(data["action"]),
        disposition=Disposition(data["disposition"]),
        phase=int(data["phase"]),
        rung=int(data["rung"]),
        reasons=reasons_from_json(data["reasons"]),
        colour=None if data["colour"] is None else Colour(data["colour"]),
    )


# --- measured activities ------------------------------------------------------------------------


def metrics_to_json(metrics: Metrics) -> dict[str, Any]:
    """Every measured figure, nested values as objects and tuples as lists."""
    return _plain(metrics)  # type: ignore[no-any-return]


def metrics_from_json(data: dict[str, Any]) -> Metrics:
    """The inverse of ``metrics_to_json``; a figure the stored JSON lacks (written by an older
    release) takes the dataclass's default, or None."""
    return _build(Metrics, data)  # type: ignore[no-any-return]


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def _build(cls: type[Any], data: dict[str, Any]) -> Any:
    hints = _hints(cls)
    values = {}
    for f in fields(cls):
        if f.name in data:
            values[f.name] = _typed(hints[f.name], data[f.name])
        elif f.default is MISSING and f.default_factory is MISSING:
            values[f.name] = None
    return cls(**values)


def _typed(hint: Any, value: Any) -> Any:
    """``value`` (from JSON) as the annotated type: dataclasses, tuples, optionals, numbers."""
    if value is None:
        return None
    origin = get_origin(hint)
    if origin in (UnionType, Union):
        inner = [a for a in get_args(hint) if a is not type(None)]
        return _typed(inner[0], value)
    if origin is tuple:
        args = get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_typed(args[0], v) for v in value)
        return tuple(_typed(a, v) for a, v in zip(args, value, strict=True))
    if isinstance(hint, type) and is_dataclass(hint):
        return _build(hint, value)
    if hint is float:
        return float(value)
    return value


_HINTS: dict[type[Any], dict[str, Any]] = {}


def _hints(cls: type[Any]) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = get_type_hints(cls)
    return _HINTS[cls]
