"""The warning signs have one home (engine.red_flags), and no sign is ever under-triaged.

- Every warning-sign field, on its own and in any combination, added to an assessment that
  self-manages, sends the person at least to a clinician; the same in a check-in, where the
  programme stops or is referred. The fields come from the schema files (every field of
  ``signs`` and of the injury) and from the content (``answers.toml``), not from a hand list.
- Every rule id the check-in path can emit is an intake rule and has words in the catalogue.
- The two faults found from outside: a feverish runner, and a knee that keeps getting worse.
"""

from __future__ import annotations

import copy
import itertools
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from runrehab.adapters.documents import read_assessment, read_checkin, schema
from runrehab.content import loader
from runrehab.engine.assessment import Signs, Swelling
from runrehab.engine.checkin import Checkin, CheckinPain, Morning
from runrehab.engine.pathway import PathwayChoice
from runrehab.engine.progression import start_state, step_day
from runrehab.engine.red_flags import NOTHING_KNOWN, Background, findings
from runrehab.engine.state import Status
from runrehab.engine.triage import triage
from runrehab.engine.values import Disposition, PathwayId
from tests.conftest import MODIFIED_RUNNER, ROOT, typical_doc

Doc = dict[str, Any]
PROTOCOL = loader.protocol()
TRIAGE = PROTOCOL.triage
DAY = date(2026, 12, 7)
SELF_MANAGED = {"typical": typical_doc(), "modified runner": MODIFIED_RUNNER}


# --- the warning-sign fields, from the schemas and the content ---------------------------------


def _warning_value(node: Doc, field: str) -> Any:
    """The answer that makes a schema field a warning sign."""
    if node.get("type") == "boolean":
        return True
    if "enum" in node:  # swelling: "mild" is the milder of the two warning values
        return next(v for v in node["enum"] if v not in ("none",))
    if field == "signs.morning_stiffness_minutes":
        return TRIAGE.osteoarthritis_max_stiffness_minutes + 1
    raise AssertionError(f"no warning value known for {field}: say which in answers.toml")


def _schema_warning_signs(kind: str) -> dict[str, Any]:
    props = schema(kind)["properties"]
    found = {
        f"signs.{k}": _warning_value(v, f"signs.{k}")
        for k, v in props["signs"]["properties"].items()
    }
    if kind == "assessment":
        injury = props["history"]["properties"]["injury"]["properties"]
        found.update(
            {
                f"history.injury.{k}": _warning_value(v, k)
                for k, v in injury.items()
                if k != "mechanism"
            }
        )
    return found


def warning_signs(kind: str) -> dict[str, Any]:
    """Every warning-sign field of ``kind`` with the value that makes it one."""
    found = _schema_warning_signs(kind)
    for entry in loader.answers().warning_sign:
        if entry.document == kind:
            found[entry.field] = entry.value
    return found


INTAKE_SIGNS = warning_signs("assessment")
CHECKIN_SIGNS = warning_signs("checkin")


def with_answers(doc: Doc, answers: dict[str, Any]) -> Doc:
    """``doc`` with the dotted-path answers set (an injury gets a mechanism when it needs one)."""
    doc = copy.deepcopy(doc)
    for path, value in answers.items():
        *parents, leaf = path.split(".")
        node = doc
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    injury = doc["history"].get("injury")
    if injury is not None:
        injury.setdefault("mechanism", "other")
    return doc


def test_every_base_self_manages() -> None:
    for doc in SELF_MANAGED.values():
        assert triage(read_assessment(doc), TRIAGE).disposition is Disposition.SELF_MANAGE


def test_the_signs_are_taken_from_the_schema_files() -> None:
    assert len(INTAKE_SIGNS) >= 26  # 16 signs, 7 injury flags, and the content's list
    assert set(CHECKIN_SIGNS) == {
        f"signs.{k}" for k in schema("checkin")["properties"]["signs"]["properties"]
    }
    for entry in loader.answers().warning_sign:  # every content entry names a schema field
        node: Any = schema(entry.document)
        for part in entry.field.split("."):
            node = node["properties"][part]
        assert entry.value in node.get("enum", [True]), entry.field


@pytest.mark.parametrize("base", sorted(SELF_MANAGED))
@pytest.mark.parametrize("field", sorted(INTAKE_SIGNS))
def test_every_warning_sign_on_its_own_sends_the_person_to_a_clinician(
    base: str, field: str
) -> None:
    doc = with_answers(SELF_MANAGED[base], {field: INTAKE_SIGNS[field]})
    result = triage(read_assessment(doc), TRIAGE)
    assert result.disposition.severity >= Disposition.SEE_CLINICIAN.severity, field
    assert not result.programme_allowed


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    base=st.sampled_from(sorted(SELF_MANAGED)),
    fields=st.sets(st.sampled_from(sorted(INTAKE_SIGNS)), min_size=1),
    risk=st.fixed_dictionaries(
        {
            "history.immunocompromised_or_diabetic": st.booleans(),
            "age": st.integers(16, 80),
        }
    ),
)
def test_any_combination_of_warning_signs_sends_the_person_to_a_clinician(
    base: str, fields: set[str], risk: dict[str, Any]
) -> None:
    doc = with_answers(SELF_MANAGED[base], {**risk, **{f: INTAKE_SIGNS[f] for f in fields}})
    result = triage(read_assessment(doc), TRIAGE)
    assert result.disposition.severity >= Disposition.SEE_CLINICIAN.severity, fields


# --- the check-in path: the same rules, and the programme stops --------------------------------


def _active_state(background: Background = NOTHING_KNOWN):
    choice = PathwayChoice(PathwayId.REST_AND_REBUILD, 2, ())
    return replace(start_state(choice, DAY - timedelta(days=9), PROTOCOL), background=background)


def _checkin_with(signs: dict[str, Any]) -> Checkin:
    doc: Doc = {
        "date": DAY.isoformat(),
        "pain": {"now": 1, "at_rest": 0, "worst_24h": 1},
        "this_morning_vs_usual": "same",
        "signs": {k.removeprefix("signs."): v for k, v in signs.items()},
    }
    return read_checkin(doc)


@pytest.mark.parametrize("field", sorted(CHECKIN_SIGNS))
def test_every_checkin_sign_on_its_own_stops_or_refers_the_programme(field: str) -> None:
    decision = step_day(
        _active_state(), [_checkin_with({field: CHECKIN_SIGNS[field]})], PROTOCOL, DAY
    )
    assert decision.disposition.severity >= Disposition.SEE_CLINICIAN.severity, field
    assert decision.state.status is not Status.ACTIVE, field


@settings(max_examples=200, deadline=None)
@given(
    fields=st.sets(st.sampled_from(sorted(CHECKIN_SIGNS)), min_size=1),
    diabetic=st.booleans(),
)
def test_any_combination_of_checkin_signs_stops_or_refers_the_programme(
    fields: set[str], diabetic: bool
) -> None:
    state = _active_state(Background(age=40, immunocompromised_or_diabetic=diabetic))
    checkin = _checkin_with({f: CHECKIN_SIGNS[f] for f in fields})
    decision = step_day(state, [checkin], PROTOCOL, DAY)
    assert decision.state.status is not Status.ACTIVE
    assert decision.disposition.severity >= Disposition.SEE_CLINICIAN.severity


def test_a_checkin_without_signs_leaves_the_programme_running() -> None:
    decision = step_day(_active_state(), [_checkin_with({})], PROTOCOL, DAY)
    assert decision.state.status is Status.ACTIVE


BOOLEAN_CHECKIN_SIGNS = sorted(
    f.removeprefix("signs.") for f in CHECKIN_SIGNS if f != "signs.swelling"
)
BACKGROUNDS = (
    NOTHING_KNOWN,
    Background(age=15),
    Background(age=60, immunocompromised_or_diabetic=True),
    Background(age=30, recent_knee_injection_or_surgery=True),
)


def _every_checkin_signs() -> list[Signs]:
    combos = []
    for swelling in Swelling:
        for n in range(len(BOOLEAN_CHECKIN_SIGNS) + 1):
            for chosen in itertools.combinations(BOOLEAN_CHECKIN_SIGNS, n):
                combos.append(Signs(swelling, **dict.fromkeys(chosen, True)))
    return combos


def test_every_rule_the_checkin_path_can_emit_is_an_intake_rule_with_words() -> None:
    """All 3 × 2^9 check-in sign combinations, against several backgrounds, through the
    check-in path (step_day); the intake triage of the same signs must name the same rules."""
    rules = loader.catalogue().rules
    checkin_ids: set[str] = set()
    intake_ids: set[str] = set()
    base = read_assessment(typical_doc())
    for signs in _every_checkin_signs():
        for background in BACKGROUNDS:
            state = _active_state(background)
            checkin = Checkin(DAY, CheckinPain(1, 0, 1), Morning.SAME, signs)
            decision = step_day(state, [checkin], PROTOCOL, DAY)
            emitted = {
                r.rule for r in decision.reasons if r.rule[0] in "eur" and r.rule[1].isdigit()
            }
            checkin_ids |= emitted
            assessment = replace(
                base,
                age=background.age or base.age,
                signs=signs,
                history=replace(
                    base.history,
                    immunocompromised_or_diabetic=background.immunocompromised_or_diabetic,
                    recent_knee_injection_or_surgery=background.recent_knee_injection_or_surgery,
                ),
            )
            intake = set(triage(assessment, TRIAGE).rules)
            intake_ids |= intake
            assert emitted <= intake, (signs, background, emitted - intake)
    assert checkin_ids <= intake_ids
    assert checkin_ids <= set(rules)
    # the check-in path reaches every sign rule its fields can trigger
    assert {
        "e2-possible-joint-infection",
        "u9-fever-or-unwell",
        "u5-swelling-with-infection-risk",
        "r1-difficulty-walking",
        "u6-possible-dvt",
        "e4-possible-clot-in-lung",
    } <= checkin_ids


def test_triage_and_checkin_read_the_signs_in_one_place() -> None:
    """No engine module but red_flags reads the infection signs (hot, red, fever)."""
    engine = ROOT / "src" / "runrehab" / "engine"
    readers = sorted(
        p.name for p in engine.glob("*.py") if ".fever_or_unwell" in p.read_text(encoding="utf-8")
    )
    assert readers == ["red_flags.py"]
    assert not (engine / "checkin_triage.py").exists()


# --- the two faults found from outside ---------------------------------------------------------


@pytest.mark.fires("u9-fever-or-unwell")
@pytest.mark.parametrize("base", sorted(SELF_MANAGED))
def test_a_runner_who_feels_feverish_is_sent_to_a_doctor_today(base: str) -> None:
    doc = with_answers(SELF_MANAGED[base], {"signs.fever_or_unwell": True})
    result = triage(read_assessment(doc), TRIAGE)
    assert result.disposition is Disposition.URGENT
    assert result.rules[0] == "u9-fever-or-unwell"


def test_a_feverish_checkin_stops_the_programme() -> None:
    decision = step_day(
        _active_state(), [_checkin_with({"signs.fever_or_unwell": True})], PROTOCOL, DAY
    )
    assert decision.state.status is Status.STOPPED
    assert decision.disposition is Disposition.URGENT
    assert decision.reasons[0].rule == "u9-fever-or-unwell"


def test_a_swollen_knee_with_fever_is_an_emergency_even_when_it_is_not_hot() -> None:
    found = findings(Signs(Swelling.MILD, fever_or_unwell=True), NOTHING_KNOWN, TRIAGE)
    assert found[0].rule == "e2-possible-joint-infection"
    assert found[0].disposition is Disposition.EMERGENCY


@pytest.mark.fires("r7-getting-worse")
@pytest.mark.parametrize("base", sorted(SELF_MANAGED))
def test_a_knee_that_keeps_getting_worse_goes_to_a_clinician(base: str) -> None:
    doc = with_answers(SELF_MANAGED[base], {"history.trend": "worsening"})
    result = triage(read_assessment(doc), TRIAGE)
    assert result.disposition is Disposition.SEE_CLINICIAN
    assert "r7-getting-worse" in result.rules
    assert result.likely_condition == "patellofemoral-pain"  # the picture fits: confirm it


def test_a_diabetic_runners_new_swelling_in_a_checkin_is_urgent() -> None:
    state = _active_state(Background(age=50, immunocompromised_or_diabetic=True))
    decision = step_day(state, [_checkin_with({"signs.swelling": "mild"})], PROTOCOL, DAY)
    assert decision.disposition is Disposition.URGENT
    assert "u5-swelling-with-infection-risk" in {r.rule for r in decision.reasons}
