"""The data files load through a strict schema; mistakes are named by file and place."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from runrehab.content import loader
from runrehab.content.loader import Catalogue
from runrehab.errors import ContentError
from runrehab.services.library.rules_doc import render
from tests.conftest import ROOT, data_copy

ENGINE = ROOT / "src" / "runrehab" / "engine"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return data_copy(tmp_path)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_shipped_data_loads(catalogue: Catalogue) -> None:
    assert len(catalogue.protocol.phase) == 5
    assert len(catalogue.protocol.pathway) == 2


def test_an_unknown_key_names_the_file_and_the_place(data: Path) -> None:
    _edit(data / "protocol.toml", 'id = "foundation"', 'id = "foundation"\ncolour = "blue"')
    with pytest.raises(ContentError) as err:
        loader.load_catalogue(data)
    assert err.value.file.endswith("protocol.toml")
    assert err.value.place == "$.phase[1]"
    assert "colour" in str(err.value)


def test_a_missing_field_names_the_file_and_the_place(data: Path) -> None:
    _edit(data / "exercises" / "clamshell.toml", 'knee_load = "low"\n', "")
    with pytest.raises(ContentError) as err:
        loader.load_catalogue(data)
    assert err.value.file.endswith("clamshell.toml")
    assert "knee_load" in str(err.value)


def test_a_reference_to_a_missing_exercise_is_an_error(data: Path) -> None:
    _edit(data / "protocol.toml", 'exercises = ["quad-set", ', 'exercises = ["moon-walk", ')
    with pytest.raises(ContentError) as err:
        loader.load_catalogue(data)
    assert err.value.place == "$.phase[0].exercises"
    assert "moon-walk" in str(err.value)


def test_a_missing_exercise_in_a_substitute_is_an_error(data: Path) -> None:
    _edit(
        data / "exercises" / "leg-press.toml",
        'substitutes = ["shallow-squat", "box-squat"]',
        'substitutes = ["hover-squat"]',
    )
    with pytest.raises(ContentError, match="hover-squat") as err:
        loader.load_catalogue(data)
    assert err.value.place == "$.substitutes"


def test_an_exercise_needing_no_gear_has_no_substitute(data: Path) -> None:
    """The wall sit was swapped away for runners who did not tick "a wall": a wall, a step and
    a chair are never gear, and an exercise without gear is never swapped away."""
    _edit(data / "exercises" / "wall-sit.toml", 'at_home = ["wall"]', 'equipment = ["wall"]')
    with pytest.raises(ContentError, match="wall"):
        loader.load_catalogue(data)
    _edit(
        data / "exercises" / "wall-sit.toml",
        'equipment = ["wall"]',
        'substitutes = ["shallow-squat"]',
    )
    with pytest.raises(ContentError, match="never swapped away") as err:
        loader.load_catalogue(data)
    assert err.value.place == "$.substitutes"


def test_a_ladder_with_a_big_jump_or_a_step_down_is_refused(data: Path) -> None:
    """After the first step, a rung adds at most 35 % to the minutes of running."""
    protocol = data / "protocol.toml"
    _edit(
        protocol,
        "run_minutes = 3\nwalk_minutes = 1\nrepeats = 7",
        "run_minutes = 5\nwalk_minutes = 1\nrepeats = 6",
    )
    with pytest.raises(ContentError, match=r"\$\.rung\[2\].*30 minutes of running after 16"):
        loader.load_catalogue(data)
    _edit(
        protocol,
        "run_minutes = 5\nwalk_minutes = 1\nrepeats = 6",
        "run_minutes = 2\nwalk_minutes = 1\nrepeats = 7",
    )
    with pytest.raises(ContentError, match="never go down"):
        loader.load_catalogue(data)


def test_an_exercise_avoided_in_a_phase_cannot_be_offered_in_it(data: Path) -> None:
    """Cycling is left out while the knee settles: an exercise avoided in a phase may have no
    dose there, so neither a session, nor the warm-up, nor cross-training can offer it."""
    avoid = data / "avoid.toml"
    text = avoid.read_text(encoding="utf-8")
    at = text.index("avoid_in_phases = [1]", text.index('id = "cycling"'))
    avoid.write_text(text[:at] + "avoid_in_phases = [1, 2]" + text[at + 21 :], encoding="utf-8")
    with pytest.raises(ContentError, match="'cycling' is avoided in phase 2") as err:
        loader.load_catalogue(data)
    assert err.value.file.endswith("avoid.toml") and err.value.place.endswith("avoid_in_phases")


def test_a_strength_exercise_no_phase_prescribes_is_an_error(data: Path) -> None:
    """The open-chain knee extension (Powers 2014) had doses for phases 3 and 4 and was in no
    phase: every strength exercise is prescribed somewhere, or listed as library-only with why."""
    protocol = data / "protocol.toml"
    text = protocol.read_text(encoding="utf-8")
    protocol.write_text(text.replace('"knee-extension-90-45", ', ""), encoding="utf-8")
    with pytest.raises(ContentError, match="'knee-extension-90-45' is in no phase"):
        loader.load_catalogue(data)
    _edit(protocol, "library_only = { ", 'library_only = { "knee-extension-90-45" = "Optional.", ')
    loader.load_catalogue(data)  # listed with why: accepted
    _edit(protocol, '"box-squat", ', '"box-squat", "knee-extension-90-45", ')
    with pytest.raises(ContentError, match="not library-only") as err:
        loader.load_catalogue(data)
    assert err.value.place == "$.library_only.knee-extension-90-45"


def test_the_open_chain_knee_extension_is_prescribed_in_phases_3_and_4(
    catalogue: Catalogue,
) -> None:
    phases = [p.number for p in catalogue.protocol.phase if "knee-extension-90-45" in p.exercises]
    assert phases == [3, 4]


def test_a_wrong_type_and_a_bad_toml_file_are_errors(data: Path) -> None:
    _edit(data / "protocol.toml", "green_max_pain = 2", 'green_max_pain = "two"')
    with pytest.raises(ContentError, match=r"\$\.settings\.green_max_pain"):
        loader.load_catalogue(data)
    _edit(data / "protocol.toml", 'green_max_pain = "two"', "green_max_pain = 2")
    (data / "sources.toml").write_text("[[source]\n", encoding="utf-8")
    with pytest.raises(ContentError, match="TOML syntax"):
        loader.load_catalogue(data)


def test_an_unknown_source_is_an_error(data: Path) -> None:
    _edit(data / "rules" / "engine.toml", 'sources = ["', 'sources = ["no-such-paper", "')
    with pytest.raises(ContentError, match="no-such-paper"):
        loader.load_catalogue(data)


def test_every_article_rule_s1_to_s88_is_in_the_catalogue(catalogue: Catalogue) -> None:
    covered = {s for rule in catalogue.rules.values() for s in rule.articles}
    assert {f"S{n}" for n in range(1, 89)} <= covered


def test_every_rule_that_departs_from_a_source_says_why(catalogue: Catalogue) -> None:
    for rule in catalogue.rules.values():
        if rule.stance != "follows" or rule.conflicts:
            assert rule.why.strip(), rule.id


def _emitted_rule_ids() -> set[str]:
    """Every rule id the engine can emit: string literals passed as a Reason or Finding rule."""
    ids: set[str] = set()
    for path in ENGINE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+){2,}", node.value)
            ):
                ids.add(node.value)
    return ids


def test_every_rule_the_engine_emits_has_words_and_a_source(catalogue: Catalogue) -> None:
    conditions = {
        "patellofemoral-pain",
        "iliotibial-band-syndrome",
        "patellar-tendinopathy",
        "osgood-schlatter",
        "sinding-larsen-johansson",
        "slipped-upper-femoral-epiphysis",
        "pes-anserine-bursitis",
        "posterior-knee-problem",
        "referred-hip-pain",
        "knee-osteoarthritis",
        "extensor-mechanism-rupture",
        "deep-vein-thrombosis",
        "neurovascular-injury",
        "fracture-or-dislocation",
        "ligament-or-bone-injury",
        "bone-or-cartilage-bruise",
        "adolescent-knee-pain",
        "infection-or-illness",
        "needs-assessment",
        "walk-run",
        "building",
    }
    emitted = _emitted_rule_ids() - conditions
    missing = sorted(i for i in emitted if i not in catalogue.rules)
    assert not missing
    for status in ("programme-stopped", "programme-referred"):
        assert status in catalogue.rules


def test_docs_rules_md_is_current(catalogue: Catalogue) -> None:
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == render(catalogue), "run: uv run python scripts/generate_rules_doc.py"


def test_unverified_numbers_are_settings_and_say_so(catalogue: Catalogue) -> None:
    notes = catalogue.protocol.settings.notes
    assert any("[M]" in n for n in notes.values())


def test_no_rule_text_tells_a_day_it_cannot_know(catalogue: Catalogue) -> None:
    """A rule's words are shown on any day they apply, so they never say what happened
    yesterday or will tomorrow (Today once said "You ran yesterday" to a runner who had run
    that morning): the day's own facts go in the reason's detail, built from its dates."""
    for rule in catalogue.rules.values():
        words = rule.text.lower()
        for phrase in ("yesterday", "tomorrow"):
            assert phrase not in words, (rule.id, phrase)
