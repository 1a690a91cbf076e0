"""The product accepts exactly what the published contract accepts, and names what is wrong.

``jsonschema`` (the reference implementation, with format checking) is the oracle; the product
validates with its own small validator over the same schema file, for start-up speed.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import typing
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from runrehab.adapters import contract_check, documents
from runrehab.engine import assessment as a
from runrehab.engine import checkin as c
from runrehab.errors import InvalidDocument
from runrehab.text import bad_texts
from tests.conftest import SHARED, typical_doc
from tests.strategies import from_schema

KINDS = ("assessment", "checkin")
ORACLE = {
    k: jsonschema.Draft202012Validator(
        documents.schema(k), format_checker=jsonschema.FormatChecker()
    )
    for k in KINDS
}
FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.skipif(not (SHARED / "contracts").exists(), reason="../shared is not present")
@pytest.mark.parametrize("kind", KINDS)
def test_the_product_carries_the_published_schema_unchanged(kind: str) -> None:
    shipped = (documents.CONTRACTS / f"{kind}.schema.json").read_bytes()
    assert shipped == (SHARED / "contracts" / f"{kind}.schema.json").read_bytes()


@FAST
@given(doc=from_schema(documents.schema("assessment")))
def test_every_valid_assessment_is_accepted(doc: dict[str, Any]) -> None:
    """Accepted exactly when the schema accepts it and its text is valid (``runrehab.text``:
    the schema allows control characters and lone surrogates in free text; the product
    refuses them, naming each place)."""
    assert ORACLE["assessment"].is_valid(doc)  # the strategy really draws valid documents
    problems = contract_check.problems(doc, documents.schema("assessment"), "assessment")
    assert [p.path for p in problems] == [path for path, _ in bad_texts(doc)]
    if not problems:
        documents.read_assessment(doc)


@FAST
@given(doc=from_schema(documents.schema("checkin")))
def test_every_valid_checkin_is_accepted(doc: dict[str, Any]) -> None:
    assert ORACLE["checkin"].is_valid(doc)
    if not list(bad_texts(doc)):
        documents.read_checkin(doc)


JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 2000),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    st.lists(st.integers(), max_size=2),
    st.just({}),
    st.just("2026-02-30"),
)


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(doc, dict):
        for k, v in doc.items():
            found += _paths(v, (*prefix, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            found += _paths(v, (*prefix, i))
    return found


@FAST
@given(kind=st.sampled_from(KINDS), data=st.data(), junk=JUNK, extra=st.booleans())
def test_product_and_reference_agree_on_broken_documents(
    kind: str, data: st.DataObject, junk: Any, extra: bool
) -> None:
    doc = copy.deepcopy(data.draw(from_schema(documents.schema(kind))))
    paths = _paths(doc)
    if extra or not paths:
        doc["surprise"] = junk
    else:
        *parents, leaf = data.draw(st.sampled_from(paths))
        node = doc
        for p in parents:
            node = node[p]
        node[leaf] = junk
    reference = sorted(ORACLE[kind].iter_errors(doc), key=lambda e: e.json_path)
    ours = contract_check.problems(doc, documents.schema(kind), kind)
    assert bool(reference or list(bad_texts(doc))) == bool(ours)
    if ours:
        with pytest.raises(InvalidDocument):
            (documents.read_assessment if kind == "assessment" else documents.read_checkin)(doc)


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"pain.now": 11}, "$.pain.now"),
        ({"pain.location": []}, "$.pain.location"),
        ({"pain.location": ["kneecap"]}, "$.pain.location[0]"),
        ({"age": 7}, "$.age"),
        ({"age": "34"}, "$.age"),
        ({"signs.swelling": None}, "$.signs.swelling"),
        ({"signs.glowing": True}, "$.signs.glowing"),
        ({"running.goal_race": {"date": "2026-13-01"}}, "$.running.goal_race.date"),
        ({"schema_version": 2}, "$.schema_version"),
    ],
)
def test_a_broken_assessment_names_the_json_path(changes: dict[str, Any], path: str) -> None:
    with pytest.raises(InvalidDocument) as err:
        documents.read_assessment(typical_doc(**changes))
    assert path in [p.path for p in err.value.problems]


def test_a_whole_number_written_with_a_decimal_point_is_accepted() -> None:
    doc = typical_doc(age=34.0)
    assert ORACLE["assessment"].is_valid(doc)
    assert documents.read_assessment(doc).age == 34


def test_bad_json_says_where() -> None:
    with pytest.raises(InvalidDocument, match="line 1, column"):
        documents.parse_json(b'{"age": ', "assessment")


# --- the engine's models agree with the schema ---------------------------------------------


def _fields(cls: type) -> set[str]:
    return {f.name for f in dataclasses.fields(cls)}


MODEL_FOR = {
    ("assessment", ()): a.Assessment,
    ("assessment", ("pain",)): a.Pain,
    ("assessment", ("running",)): a.Running,
    ("assessment", ("history",)): a.History,
    ("assessment", ("history", "injury")): a.Injury,
    ("assessment", ("signs",)): a.Signs,
    ("assessment", ("preferences",)): a.Preferences,
    ("assessment", ("running", "goal_race")): a.GoalRace,
    ("checkin", ()): c.Checkin,
    ("checkin", ("pain",)): c.CheckinPain,
}
NOT_IN_MODEL = {"schema_version"}


@pytest.mark.parametrize(("kind", "where"), list(MODEL_FOR))
def test_every_schema_field_has_a_model_field(kind: str, where: tuple[str, ...]) -> None:
    node = documents.schema(kind)
    for part in where:
        node = node["properties"][part]
    assert set(node["properties"]) - NOT_IN_MODEL == _fields(MODEL_FOR[(kind, where)])


def test_the_checkin_signs_are_the_intake_signs_it_asks_about() -> None:
    """One Signs value: a check-in asks about a subset of the intake's signs, with the same
    names and values, and the engine reads both with the same rules (engine.red_flags)."""
    checkin = documents.schema("checkin")["properties"]["signs"]["properties"]
    intake = documents.schema("assessment")["properties"]["signs"]["properties"]
    assert set(checkin) <= _fields(a.Signs)
    for name, node in checkin.items():
        assert (node.get("enum"), node.get("type")) == (
            intake[name].get("enum"),
            intake[name].get("type"),
        )
    assert typing.get_type_hints(c.Checkin)["signs"] is a.Signs


ENUMS = {
    ("pain", "location"): a.Location,
    ("pain", "provoked_by"): a.Provocation,
    ("side",): a.Side,
    ("sex",): a.Sex,
    ("history", "trend"): a.Trend,
    ("history", "onset"): a.Onset,
    ("history", "injury", "mechanism"): a.Mechanism,
    ("signs", "swelling"): a.Swelling,
    ("preferences", "equipment"): a.Equipment,
    ("preferences", "training_days"): a.Weekday,
}


@pytest.mark.parametrize("where", list(ENUMS))
def test_every_schema_enum_matches_the_engine_enum(where: tuple[str, ...]) -> None:
    node = documents.schema("assessment")
    for part in where:
        node = node["properties"][part]
    values = node.get("enum") or node["items"]["enum"]
    assert set(values) == {e.value for e in ENUMS[where]}


def test_checkin_enums_match() -> None:
    s = documents.schema("checkin")
    assert set(s["properties"]["this_morning_vs_usual"]["enum"]) == {m.value for m in c.Morning}
    kinds = s["properties"]["cross_training"]["items"]["properties"]["kind"]["enum"]
    assert set(kinds) == {k.value for k in c.CrossTrainingKind}
    assert typing.get_type_hints(c.Checkin)["date"].__name__ == "date"
    json.dumps(s)  # the schema itself is plain JSON
