"""Hypothesis strategies that draw documents valid under a contract schema.

hypothesis-jsonschema does not work with current Hypothesis, and our schemas use a small set of
keywords, so this walks the schema directly. ``jsonschema`` itself checks that every drawn
document is valid (tests/unit/adapters/test_contract.py), so the strategy cannot drift.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import strategies as st

Schema = dict[str, Any]


def from_schema(schema: Schema, root: Schema | None = None) -> st.SearchStrategy[Any]:
    root = root or schema
    if "$ref" in schema:
        node: Any = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        return from_schema(node, root)
    if "oneOf" in schema:
        return st.one_of([from_schema(option, root) for option in schema["oneOf"]])
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if kind == "object":
        return _object(schema, root)
    if kind == "array":
        items = from_schema(schema.get("items", {}), root)
        return st.lists(
            items,
            min_size=schema.get("minItems", 0),
            max_size=4,
            unique_by=(lambda x: repr(x)) if schema.get("uniqueItems") else None,
        )
    if kind == "integer":
        return st.integers(schema.get("minimum", -1000), schema.get("maximum", 1000))
    if kind == "number":
        return _number(schema)
    if kind == "string":
        if schema.get("format") == "date":
            return st.dates(date(1990, 1, 1), date(2040, 12, 31)).map(date.isoformat)
        return st.text(
            min_size=schema.get("minLength", 0), max_size=min(schema.get("maxLength", 30), 30)
        )
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    raise NotImplementedError(f"schema keyword not supported: {schema}")


def _object(schema: Schema, root: Schema) -> st.SearchStrategy[dict[str, Any]]:
    properties = schema.get("properties", {})
    required = set(schema.get("required", []))
    return st.fixed_dictionaries(
        {k: from_schema(v, root) for k, v in properties.items() if k in required},
        optional={k: from_schema(v, root) for k, v in properties.items() if k not in required},
    )


def _number(schema: Schema) -> st.SearchStrategy[float | int]:
    low = schema.get("minimum", schema.get("exclusiveMinimum", 0))
    high = schema.get("maximum", 10_000)
    exclusive = "exclusiveMinimum" in schema
    floats = st.floats(low, high, exclude_min=exclusive, allow_nan=False, allow_infinity=False)
    ints = st.integers(int(low or 0) + (1 if exclusive else 0), int(high))
    return st.one_of(ints, floats)
