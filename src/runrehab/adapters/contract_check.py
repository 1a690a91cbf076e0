"""The one check of a contract document: the published JSON Schema itself, run by ``jsonschema``
(the reference implementation, with format checking), so the product accepts exactly what the
contract accepts, plus the text rule of ``runrehab.text`` (no control characters or lone
surrogates in any text). Every problem is named by its JSON path, in plain words.

``jsonschema`` takes about 0.1 s to import, so it is imported once, by the first document a
process checks (the web server at its first request, a command that reads a document).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from runrehab.errors import Problem
from runrehab.text import bad_texts

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator, ValidationError

JSON = Any


def problems(document: JSON, schema: Mapping[str, JSON], kind: str) -> list[Problem]:
    """Every problem of ``document`` under ``schema`` (the contract named ``kind``), text
    first, each once, in the order of their paths; an empty list means it is valid."""
    found = [Problem(path, problem) for path, problem in bad_texts(document)]
    bad_text = {p.path for p in found}
    for error in sorted(_validator(kind, schema).iter_errors(document), key=_order):
        for problem in _words(error):
            if problem.path not in bad_text and problem not in found:
                found.append(problem)
    return found


_VALIDATORS: dict[str, Draft202012Validator] = {}


def _validator(kind: str, schema: Mapping[str, JSON]) -> Draft202012Validator:
    """The validator of contract ``kind``, made once per process."""
    if kind not in _VALIDATORS:
        from jsonschema import Draft202012Validator, FormatChecker

        _VALIDATORS[kind] = Draft202012Validator(schema, format_checker=FormatChecker())
    return _VALIDATORS[kind]


def _order(error: ValidationError) -> tuple[str, str]:
    return (error.json_path, str(error.validator))


def _words(error: ValidationError) -> Iterator[Problem]:
    """``error`` in the product's words; a ``oneOf`` that no form fits says what is wrong
    with the closest form (the one whose type the value has)."""
    path, value = error.json_path, error.instance
    want: JSON = error.validator_value
    kind = str(error.validator)
    if kind == "required":
        missing = [name for name in want if isinstance(value, dict) and name not in value]
        yield from (Problem(_join(path, name), "is required") for name in missing)
    elif kind == "additionalProperties":
        schema: JSON = error.schema
        known = schema.get("properties", {}) if isinstance(schema, Mapping) else {}
        extra = [name for name in value if name not in known] if isinstance(value, dict) else []
        yield from (Problem(_join(path, name), "is not a known field") for name in extra)
    elif kind == "oneOf":
        yield from _one_of(error)
    else:
        yield Problem(path, _message(kind, want, value, error.message))


def _one_of(error: ValidationError) -> Iterator[Problem]:
    if not error.context:
        yield Problem(error.json_path, "matches more than one allowed form")
        return
    by_option: dict[int, list[ValidationError]] = {}
    for sub in error.context:
        by_option.setdefault(int(sub.schema_path[0]), []).append(sub)
    typed = [
        errors
        for errors in by_option.values()
        if not any(e.validator == "type" and e.json_path == error.json_path for e in errors)
    ]
    closest = typed[0] if typed else None
    if closest is None:
        yield Problem(error.json_path, "does not match any allowed form")
        return
    for sub in sorted(closest, key=_order):
        yield from _words(sub)


def _message(kind: str, want: JSON, value: JSON, fallback: str) -> str:
    if kind == "type":
        wanted = want if isinstance(want, list) else [want]
        words = " or ".join(_ARTICLE.get(str(w), str(w)) for w in wanted)
        return f"must be {words}, not {_kind(value)}"
    if kind == "enum":
        return f"must be one of {', '.join(json.dumps(e) for e in want)}, not {_show(value)}"
    if kind == "const":
        return f"must be {json.dumps(want)}"
    if kind in _LIMITS:
        return _LIMITS[kind].format(want=want, value=value)
    if kind == "uniqueItems":
        return "must not repeat an item"
    if kind == "format" and want == "date":
        return f"must be a date as YYYY-MM-DD, not {_show(value)}"
    return fallback


_LIMITS = {
    "minimum": "must be at least {want}, not {value}",
    "maximum": "must be at most {want}, not {value}",
    "exclusiveMinimum": "must be more than {want}, not {value}",
    "exclusiveMaximum": "must be less than {want}, not {value}",
    "minLength": "must have at least {want} characters",
    "maxLength": "must have at most {want} characters",
    "minItems": "must have at least {want} item(s)",
    "maxItems": "must have at most {want} item(s)",
}
_ARTICLE = {
    "object": "an object",
    "array": "a list",
    "string": "text",
    "boolean": "true or false",
    "null": "null",
    "number": "a number",
    "integer": "a whole number",
}


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if name.isidentifier() else f"{path}[{json.dumps(name)}]"


def _kind(value: JSON) -> str:
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "null"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return "text"


def _show(value: JSON) -> str:
    text = json.dumps(value)
    return text if len(text) <= 40 else text[:37] + "..."
