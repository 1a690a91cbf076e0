"""The knee check's questions are content (``data/intake.toml``): they ask exactly the fields of
the assessment contract with its options, a broken file names the place, and the intake's words
cover every disposition and every condition the triage names."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from runrehab.adapters.documents import schema
from runrehab.content import loader
from runrehab.content.intake import load_intake, shipped_intake
from runrehab.content.words import shipped_words
from runrehab.engine.values import Disposition
from runrehab.errors import ContentError
from runrehab.services.intake.conditions import name_of
from runrehab.services.intake.questions import (
    INJURY,
    NO_INJURY,
    intake_questions,
    questions_of,
)
from runrehab.services.intake.triage import headline, until_seen
from tests.conftest import data_copy, edit_once

FILE = "intake.toml"


def _contract_fields(node: dict[str, Any], path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """(dotted path, schema) of every answer of the assessment contract."""
    defs = schema("assessment")["$defs"]
    if "$ref" in node:
        node = defs[node["$ref"].removeprefix("#/$defs/")]
    if node.get("type") == "object" and "properties" in node:
        for key, value in node["properties"].items():
            yield from _contract_fields(value, f"{path}.{key}" if path else key)
    else:
        yield path, node


CONTRACT = dict(_contract_fields(schema("assessment")))


def test_the_questions_ask_every_answer_of_the_contract_and_nothing_else() -> None:
    asked = intake_questions().field_names
    assert asked == set(CONTRACT) - {"schema_version"}


def test_each_choice_offers_the_contracts_values() -> None:
    for step in intake_questions().steps:
        for q in step.questions:
            values = [o.value for o in q.options]
            if q.kind == "flags":
                assert all(CONTRACT[v]["type"] == "boolean" for v in values), q.name
            elif q.kind == "choice" and CONTRACT[q.name].get("type") == "boolean":
                assert values == ["yes", "no"], q.name  # a yes-or-no answer asked as a choice
            elif q.kind == "choice":
                # "no injury" is said by leaving the injury out of the document
                extra = {NO_INJURY} if q.name == INJURY else set()
                assert set(values) == set(CONTRACT[q.name]["enum"]) | extra, q.name
            elif q.kind == "multi":
                assert set(values) == set(CONTRACT[q.name]["items"]["enum"]), q.name


def test_the_warning_sign_steps_come_first_and_blocks_wait_for_their_answer() -> None:
    steps = intake_questions().steps
    assert [s.warning_signs for s in steps[:2]] == [True, True]
    assert not any(s.warning_signs for s in steps[2:])
    folded = {q.name: q.shown_when for s in steps for q in s.questions if q.shown_when}
    assert folded["injury-signs"] is not None
    assert folded["injury-signs"].question == "history.injury.mechanism"
    assert "none" not in folded["injury-signs"].values


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return data_copy(tmp_path)


@pytest.mark.parametrize(
    ("old", "new", "place"),
    [
        (
            'name = "age"\nkind = "int"',
            'name = "age"\nkind = "whole"',
            "$.step[0].question[0].kind",
        ),
        ('name = "side"', 'name = "age"', "$.step[2].question[0]"),
        ('key = "pain"', 'key = "where"', "$.step[3].key"),
        ("low = 8\n", "low = 8\nshade = 1\n", "$.step[0].question[0]"),
        ("low = 8\n", "low = 100\n", "$.step[0].question[0]"),
        ('block = "injury"', 'block = "accident"', "$.step[0].question[4].block"),
        (
            'values = ["yes"]',
            'values = ["maybe"]',
            "$.step[5].question[1].block",
        ),
        ('before we start."\nwarning_signs = true', 'before we start."', "$.step"),
    ],
)
def test_a_broken_intake_file_names_the_place(data: Path, old: str, new: str, place: str) -> None:
    edit_once(data / FILE, old, new)
    with pytest.raises(ContentError) as err:
        load_intake(data)
    assert err.value.file.endswith(f"data/{FILE}") and err.value.place == place, err.value


def test_the_code_refuses_questions_without_an_answer_it_reads(data: Path) -> None:
    edit_once(data / FILE, 'name = "running.pain_during_run"', 'name = "running.pain_today"')
    with pytest.raises(ContentError, match=r"running\.pain_during_run"):
        questions_of(load_intake(data))


def test_the_texts_are_rendered_from_the_settings(data: Path) -> None:
    edit_once(
        data / FILE, '"Roughly is fine."', '"Roughly is fine; pain above {green_max_pain}/10?"'
    )
    intake = load_intake(data, loader.placeholder_values(data))
    intros = [s.intro for s in intake.step]
    assert "Roughly is fine; pain above 2/10?" in intros
    assert shipped_intake().step[0].question[0].name == "age"


# --- the words of the answers ---------------------------------------------------------------


def test_every_disposition_has_its_headline_and_meanwhile() -> None:
    words = shipped_words()
    for disposition in Disposition:
        assert headline(words, disposition)
        lines = until_seen(words, disposition)
        assert bool(lines) is (disposition is not Disposition.SELF_MANAGE), disposition
    see = until_seen(words, Disposition.SEE_CLINICIAN)
    assert see[0].startswith("Until you are assessed") and "{" not in " ".join(see)


def _engine_conditions() -> set[str]:
    """The condition ids the triage rules name (hyphenated ids of the engine's triage)."""
    engine = Path(loader.__file__).resolve().parents[1] / "engine"
    found: set[str] = set()
    for name in ("red_flags.py", "triage.py"):
        for node in ast.walk(ast.parse((engine / name).read_text(encoding="utf-8"))):
            text = node.value if isinstance(node, ast.Constant) else None
            if isinstance(text, str) and re.fullmatch(r"[a-z]+(-[a-z]+)+", text):
                found.add(text)
    return found - set(loader.catalogue().rules)  # rule ids are not conditions


def test_every_condition_the_triage_names_has_words() -> None:
    words = shipped_words()
    conditions = _engine_conditions()
    assert {"patellofemoral-pain", "septic-arthritis", "needs-assessment"} <= conditions
    unnamed = [c for c in conditions if not words.has(f"intake.condition.{c.replace('-', '_')}")]
    assert not unnamed
    assert name_of(words, "meniscal-tear") == "Meniscus tear"
    assert name_of(words, "a-new-one") == "A new one"  # not yet in the words: still readable
