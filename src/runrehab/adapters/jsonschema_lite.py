"""A small JSON Schema (draft 2020-12) validator for the keywords our contracts use.

Why not the ``jsonschema`` package: importing it takes longer than the whole 0.3 s the command
line may spend answering. This validator walks the contract file itself, so the schema stays the
single source of truth, and a test checks it against ``jsonschema`` on generated documents.

Supported: type, enum, const, properties, required, additionalProperties (false), items,
minItems, uniqueItems, minimum, maximum, exclusiveMinimum, minLength, maxLength, format "date",
$ref to "#/$defs/...", oneOf. Every problem found is reported with its JSON path. Beyond the
schema, every string must be valid text (``runrehab.text``: no lone surrogate, NUL or other
control character but newline, carriage return and tab).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from runrehab.errors import Problem
from runrehab.text import text_problem

JSON = Any
_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "integer": lambda v: (
        (isinstance(v, int) and not isinstance(v, bool))
        or (isinstance(v, float) and math.isfinite(v) and v.is_integer())
    ),
}


class Validator:
    def __init__(self, schema: Mapping[str, JSON]) -> None:
        self.root = schema

    def problems(self, document: JSON) -> list[Problem]:
        """Every problem in ``document``; an empty list means it is valid."""
        return list(self._check(self.root, document, "$"))

    def _check(self, schema: Mapping[str, JSON], value: JSON, path: str) -> Iterator[Problem]:
        if "$ref" in schema:
            yield from self._check(self._resolve(schema["$ref"]), value, path)
            return
        if "oneOf" in schema:
            yield from self._one_of(schema["oneOf"], value, path)
            return
        if "const" in schema and not _equal(value, schema["const"]):
            yield Problem(path, f"must be {json.dumps(schema['const'])}")
            return
        if "enum" in schema and not any(_equal(value, e) for e in schema["enum"]):
            options = ", ".join(json.dumps(e) for e in schema["enum"])
            yield Problem(path, f"must be one of {options}, not {_show(value)}")
            return
        wanted = schema.get("type")
        if wanted is not None and not _TYPES[wanted](value):
            yield Problem(path, f"must be {_article(wanted)}, not {_kind(value)}")
            return
        yield from self._number(schema, value, path)
        yield from self._string(schema, value, path)
        yield from self._array(schema, value, path)
        yield from self._object(schema, value, path)

    def _resolve(self, ref: str) -> Mapping[str, JSON]:
        node: JSON = self.root
        for part in ref.removeprefix("#/").split("/"):
            node = node[part]
        return node  # type: ignore[no-any-return]

    def _one_of(
        self, options: list[Mapping[str, JSON]], value: JSON, path: str
    ) -> Iterator[Problem]:
        results = [list(self._check(option, value, path)) for option in options]
        passing = sum(1 for r in results if not r)
        if passing == 1:
            return
        if passing > 1:
            yield Problem(path, "matches more than one allowed form")
            return
        # report the problems of the closest option (the one whose type matched)
        typed = [
            r
            for o, r in zip(options, results, strict=True)
            if "type" not in o or _TYPES[o["type"]](value)
        ]
        yield from (typed[0] if typed else [Problem(path, "does not match any allowed form")])

    def _number(self, schema: Mapping[str, JSON], value: JSON, path: str) -> Iterator[Problem]:
        if not _TYPES["number"](value):
            return
        if "minimum" in schema and value < schema["minimum"]:
            yield Problem(path, f"must be at least {schema['minimum']}, not {value}")
        if "maximum" in schema and value > schema["maximum"]:
            yield Problem(path, f"must be at most {schema['maximum']}, not {value}")
        if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
            yield Problem(path, f"must be more than {schema['exclusiveMinimum']}, not {value}")

    def _string(self, schema: Mapping[str, JSON], value: JSON, path: str) -> Iterator[Problem]:
        if not isinstance(value, str):
            return
        problem = text_problem(value)
        if problem is not None:  # the one text rule, before any other rule of the schema
            yield Problem(path, problem)
            return
        if "minLength" in schema and len(value) < schema["minLength"]:
            yield Problem(path, f"must have at least {schema['minLength']} characters")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            yield Problem(path, f"must have at most {schema['maxLength']} characters")
        if schema.get("format") == "date" and not _is_date(value):
            yield Problem(path, f"must be a date as YYYY-MM-DD, not {_show(value)}")

    def _array(self, schema: Mapping[str, JSON], value: JSON, path: str) -> Iterator[Problem]:
        if not isinstance(value, list):
            return
        if "minItems" in schema and len(value) < schema["minItems"]:
            yield Problem(path, f"must have at least {schema['minItems']} item(s)")
        if schema.get("uniqueItems") and _has_duplicates(value):
            yield Problem(path, "must not repeat an item")
        if "items" in schema:
            for index, item in enumerate(value):
                yield from self._check(schema["items"], item, f"{path}[{index}]")

    def _object(self, schema: Mapping[str, JSON], value: JSON, path: str) -> Iterator[Problem]:
        if not isinstance(value, dict):
            return
        properties = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value:
                yield Problem(_join(path, name), "is required")
        for name, item in value.items():
            if name in properties:
                yield from self._check(properties[name], item, _join(path, name))
            elif schema.get("additionalProperties") is False:
                yield Problem(_join(path, name), "is not a known field")


def _join(path: str, name: str) -> str:
    plain = name.isidentifier()
    return f"{path}.{name}" if plain else f"{path}[{json.dumps(name)}]"


def _equal(a: JSON, b: JSON) -> bool:
    """JSON equality: 1 == 1.0, but true is not 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    return (type(a) in (int, float) and type(b) in (int, float) and a == b) or (
        type(a) is type(b) and a == b
    )


def _has_duplicates(items: list[JSON]) -> bool:
    return any(_equal(items[i], items[j]) for i in range(len(items)) for j in range(i))


def _is_date(text: str) -> bool:
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


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
    return "text" if isinstance(value, str) else type(value).__name__


def _article(kind: str) -> str:
    return {
        "object": "an object",
        "array": "a list",
        "string": "text",
        "boolean": "true or false",
        "null": "null",
        "number": "a number",
        "integer": "a whole number",
    }[kind]


def _show(value: JSON) -> str:
    text = json.dumps(value)
    return text if len(text) <= 40 else text[:37] + "..."
