"""The German content (``data/locales/de``) against the English it mirrors: the same files, the
same shape (keys, list lengths, numbers and booleans, placeholders), each file as strictly
checked as the English, loaded once per language; ``scripts/check_translation.py`` as a test."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from runrehab.content import intake, loader, locale
from runrehab.content import schema as s
from runrehab.content.words import load_words, shipped_words
from runrehab.errors import ContentError
from tests.languages import complete_tree

GERMAN = locale.DATA / "locales" / "de"
BRACES = re.compile(r"\{([a-z_][a-z0-9_:-]*)\}")
DOLLAR = re.compile(r"\$(?:\{([a-z_][a-z0-9_]*)\}|([a-z_][a-z0-9_]*))")
FREE_LENGTH = frozenset({"aliases"})
"""Search terms: a language has as many as it has words for."""


def english_files() -> list[Path]:
    return sorted(
        p.relative_to(locale.DATA)
        for p in locale.DATA.rglob("*.toml")
        if p.relative_to(locale.DATA).parts[0] != "locales" and p.name not in locale.ENGLISH_ONLY
    )


def translated() -> list[Path]:
    return [rel for rel in english_files() if (GERMAN / rel).exists()]


def placeholders(text: str) -> tuple[set[str], set[str]]:
    return set(BRACES.findall(text)), {a or b for a, b in DOLLAR.findall(text)}


def differences(en: Any, de: Any, where: str) -> list[str]:
    """Where ``de`` is not shaped like ``en`` (the rules of ``check_translation.py``)."""
    if type(en) is not type(de):
        return [f"{where}: {type(en).__name__} in English, {type(de).__name__} here"]
    if isinstance(en, dict):
        found = [f"{where}.{k}: missing" for k in en.keys() - de.keys()]
        found += [f"{where}.{k}: not in the English file" for k in de.keys() - en.keys()]
        for key in en.keys() & de.keys():
            found += differences(en[key], de[key], f"{where}.{key}")
        return found
    if isinstance(en, list):
        if where.rsplit(".", 1)[-1] in FREE_LENGTH:
            return []
        if len(en) != len(de):
            return [f"{where}: {len(en)} items in English, {len(de)} here"]
        return [
            p
            for i, (a, b) in enumerate(zip(en, de, strict=True))
            for p in differences(a, b, f"{where}[{i}]")
        ]
    if isinstance(en, str):
        same = placeholders(en) == placeholders(de)
        return [] if same else [f"{where}: placeholders {placeholders(en)} != {placeholders(de)}"]
    return [] if en == de else [f"{where}: {en!r} in English, {de!r} here"]


def parsed(path: Path) -> Any:
    return tomllib.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("rel", translated(), ids=str)
def test_a_german_file_has_the_english_files_shape(rel: Path) -> None:
    assert differences(parsed(locale.DATA / rel), parsed(GERMAN / rel), str(rel)) == []


SCHEMAS: dict[str, type[Any]] = {
    "protocol.toml": s.ProtocolFile,
    "avoid.toml": s.AvoidFile,
    "knowledge.toml": s.KnowledgeFile,
    "education.toml": s.EducationFile,
    "questionnaires.toml": s.QuestionnairesFile,
    "answers.toml": s.AnswersFile,
    "movement.toml": s.MovementFile,
    "intake.toml": intake.IntakeFile,
}


def schema_of(rel: Path) -> type[Any] | None:
    if rel.parts[0] == "exercises":
        return s.Exercise
    if rel.parts[0] == "rules":
        return s.RulesFile
    return SCHEMAS.get(str(rel))


@pytest.mark.parametrize("rel", [r for r in translated() if r.parts[0] != "words"], ids=str)
def test_a_german_file_passes_the_english_schema(rel: Path) -> None:
    kind = schema_of(rel)
    assert kind is not None, f"{rel}: no schema known to this test"
    loader.decode(GERMAN / rel, kind, loader.placeholder_values())


def test_the_german_words_have_every_english_key_and_load_strictly() -> None:
    values = loader.placeholder_values()
    english = load_words(locale.DATA / "words", values)
    present = {p.stem for p in (GERMAN / "words").glob("*.toml")}
    german = load_words(GERMAN / "words", values)
    expected = {k for k in english.texts if k.split(".")[0] in present}
    assert set(german.texts) == expected


def test_the_german_content_is_complete_and_loads_as_strictly_as_the_english() -> None:
    assert locale.missing_files(GERMAN) == []
    german = loader.load_catalogue(GERMAN)
    english = loader.catalogue("en")
    assert german.rules.keys() == english.rules.keys()
    assert german.exercises.keys() == english.exercises.keys()
    assert german.sources is not english.sources and german.sources == english.sources
    assert locale.ready("de")


def test_a_translation_missing_a_file_is_refused(tmp_path: Path) -> None:
    tree = complete_tree(tmp_path / "locales" / "de")
    (tree / "exercises" / "step-down.toml").unlink()
    with pytest.raises(ContentError, match=r"exercises/step-down\.toml.*not translated"):
        loader.load_catalogue(tree)


def test_a_translated_id_or_enum_is_refused_as_in_english(tmp_path: Path) -> None:
    tree = complete_tree(tmp_path / "locales" / "de")
    step_down = tree / "exercises" / "step-down.toml"
    text = step_down.read_text(encoding="utf-8")
    step_down.write_text(text.replace('category = "strength"', 'category = "Kraft"'), "utf-8")
    with pytest.raises(ContentError, match="category"):
        loader.load_catalogue(tree)
    step_down.write_text(text.replace('id = "step-down"', 'id = "stufe-runter"'), "utf-8")
    with pytest.raises(ContentError, match="differs from the file name"):
        loader.load_catalogue(tree)


def test_the_bibliography_and_traceability_are_read_in_english(tmp_path: Path) -> None:
    tree = complete_tree(tmp_path / "locales" / "de")
    assert not (tree / "sources.toml").exists()
    found = loader.load_catalogue(tree)
    assert found.sources == loader.catalogue("en").sources
    assert found.firing_tests == loader.catalogue("en").firing_tests


def test_words_and_content_are_loaded_once_per_language() -> None:
    assert shipped_words("en") is shipped_words("en")
    assert loader.catalogue("en") is loader.catalogue("en")
    with locale.using("en"):
        assert shipped_words() is shipped_words("en")


def test_the_current_language_is_english_unless_set() -> None:
    assert locale.current() == "en"
    with locale.using("de", "mi"):
        assert (locale.current(), locale.units()) == ("de", "mi")
        with locale.using("xx"):
            assert locale.current() == "en"
    assert (locale.current(), locale.units()) == ("en", "km")


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("de-DE,de;q=0.9,en;q=0.8", "de"),
        ("en-GB,en;q=0.9,de;q=0.8", "en"),
        ("fr-FR,fr;q=0.9,de;q=0.5", "de"),
        ("fr", "en"),
        ("", "en"),
        (None, "en"),
        ("de;q=0.1,en;q=0.2", "en"),
        ("de;q=nonsense", "en"),
    ],
)
def test_a_visitor_gets_the_first_language_of_their_browser_that_runrehab_speaks(
    header: str | None, language: str
) -> None:
    assert locale.from_accept_language(header) == language


def test_a_day_is_written_one_way_per_language() -> None:
    from datetime import date

    day = date(2026, 12, 2)
    assert locale.day_text(day, language="en") == "Wed 2 Dec"
    assert locale.day_text(day, True, language="en") == "Wed 2 Dec 2026"
    assert locale.day_text(day, language="de") == "Mi., 2. Dez."
    assert locale.day_text(day, True, language="de") == "Mi., 2. Dez. 2026"


def test_the_check_translation_script_agrees_with_this_test() -> None:
    """The script's own rules are this module's: one of them changing alone is a drift."""
    script = (locale.DATA.parents[3] / "scripts" / "check_translation.py").read_text()
    assert 'FREE_LENGTH = frozenset({"aliases"})' in script


def test_the_engines_english_details_are_the_english_words() -> None:
    """The engine says its details in English (``engine.said.ENGLISH``) for its ``detail``
    strings; the words file's English must be the same texts, key for key."""
    from runrehab.engine.said import ENGLISH

    english = shipped_words("en").under("details")
    assert {k: v for k, v in english.items() if k != "and"} == dict(ENGLISH)


def test_a_detail_is_said_in_the_readers_language() -> None:
    from datetime import date

    from runrehab.engine.said import english, said
    from runrehab.services.details import detail_text

    why = said("pain_above", pain=5, limit=3)
    facts = said(
        "gate_walk_failed", minutes=30.0, what=said("walk"), day=date(2026, 12, 8), why=why
    )
    assert english(facts) == "30-minute walk on Tue 8 Dec: at pain 5/10, above 3/10"
    assert detail_text(shipped_words("en"), english(facts), facts) == english(facts)
    with locale.using("de"):
        german = detail_text(shipped_words("de"), english(facts), facts)
    assert german == "30 Minuten gehen am Di., 8. Dez.: bei Schmerz 5/10, über 3/10"
    assert detail_text(shipped_words("en"), "stored before", None) == "stored before"
