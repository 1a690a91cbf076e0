"""The exercise library covers everything the five articles name, with complete content."""

from __future__ import annotations

import pytest

from runrehab.content.loader import Catalogue
from runrehab.services.library.views import find_exercise

# Every exercise, stretch, drill and cross-training option the articles name, in their words,
# and the library entry it must be found as.
NAMED_IN_ARTICLES: list[tuple[str, str, str]] = [
    ("000", "Clamshells", "clamshell"),
    ("000", "Side-lying Hip Abduction", "side-lying-hip-abduction"),
    ("000", "Glute Bridges", "glute-bridge"),
    ("000", "Wall Sit", "wall-sit"),
    ("000", "Step-downs", "step-down"),
    ("000", "Foam roll your IT band", "foam-roll-it-band"),
    ("000", "Hip flexor stretch", "hip-flexor-stretch"),
    ("001", "Box Squats", "box-squat"),
    ("001", "Crab Walks", "lateral-band-walk"),
    ("001", "Banded Glute Activation Bridges", "banded-glute-bridge"),
    ("001", "swimming", "swimming"),
    ("001", "walking", "walking"),
    ("003", "Straight Leg Raises", "straight-leg-raise"),
    ("003", "Wall Sits", "wall-sit"),
    ("003", "Step-Ups", "step-up"),
    ("003", "Step-ups on a low platform", "step-up"),
    ("003", "Quadriceps Stretch", "quadriceps-stretch"),
    ("003", "Hamstring Stretch", "hamstring-stretch"),
    ("003", "Calf Stretch", "calf-stretch"),
    ("003", "IT Band Stretch", "it-band-stretch"),
    ("003", "Roll the IT band", "foam-roll-it-band"),
    ("003", "Roll the quads", "foam-roll-quadriceps"),
    ("003", "Roll the hamstrings", "foam-roll-hamstrings"),
    ("003", "Use a ball to release glute tightness", "glute-ball-release"),
    ("003", "Lateral Band Walks", "lateral-band-walk"),
    ("003", "Monster Walks", "monster-walk"),
    ("003", "Band Squats", "band-squat"),
    ("003", "Controlled squats to a chair", "box-squat"),
    ("003", "Swimming", "swimming"),
    ("003", "Water running", "water-running"),
    ("003", "Cycling", "cycling"),
    ("003", "Elliptical", "elliptical"),
    ("004", "wall sits", "wall-sit"),
    ("004", "step-ups", "step-up"),
    ("004", "terminal knee extensions", "terminal-knee-extension"),
    ("004", "clamshells", "clamshell"),
    ("004", "lateral band walks", "lateral-band-walk"),
    ("004", "single-leg squats", "single-leg-squat"),
    ("evidence", "quadriceps sets", "quad-set"),
    ("evidence", "terminal knee extension", "terminal-knee-extension"),
    ("evidence", "shallow squat", "shallow-squat"),
    ("evidence", "leg press", "leg-press"),
    ("evidence", "single-leg squat", "single-leg-squat"),
]


@pytest.mark.parametrize(
    ("article", "words", "expected"),
    NAMED_IN_ARTICLES,
    ids=[f"{a}:{w}" for a, w, _ in NAMED_IN_ARTICLES],
)
def test_every_named_exercise_is_in_the_library_with_complete_content(
    catalogue: Catalogue, article: str, words: str, expected: str
) -> None:
    exercise = find_exercise(catalogue, words)
    assert exercise is not None, f"{words!r} (article {article}) is not in the library"
    assert exercise.id == expected
    for field in ("name", "starting_position"):
        assert getattr(exercise, field).strip()
    for field in ("muscles", "steps", "cues", "common_mistakes", "stop_when", "doses", "sources"):
        assert getattr(exercise, field), f"{exercise.id} has no {field}"
    assert len(exercise.steps) >= 2
    assert exercise.progression.how and exercise.regression.how
    for dose in exercise.doses:
        assert dose.reps or dose.hold_seconds or dose.minutes, (
            f"{exercise.id}: a dose with no amount"
        )
    if article != "evidence":
        assert article in exercise.named_in


def test_the_library_has_at_least_35_entries_of_every_kind(catalogue: Catalogue) -> None:
    exercises = catalogue.exercises.values()
    assert len(catalogue.exercises) >= 35
    kinds = {e.category for e in exercises}
    assert {
        "strength",
        "activation",
        "stretch",
        "foam_rolling",
        "mobility",
        "cross_training",
    } <= kinds
    assert any(e.focus == "core" for e in exercises)  # article 002's core group


def test_everything_needing_equipment_has_a_substitute_without_it(catalogue: Catalogue) -> None:
    for exercise in catalogue.exercises.values():
        if exercise.equipment:
            assert exercise.substitutes, exercise.id
            assert any(
                not catalogue.exercises[s].equipment
                or set(catalogue.exercises[s].equipment) != set(exercise.equipment)
                for s in exercise.substitutes
            ), exercise.id


def test_every_avoided_movement_has_a_safe_alternative(catalogue: Catalogue) -> None:
    names = {a.id for a in catalogue.avoid}
    assert {"deep-squat", "lunge", "jump-squat", "box-jump", "downhill-running"} <= names
    for entry in catalogue.avoid:
        assert entry.alternatives and entry.return_when


def test_knowledge_covers_what_the_issue_asks_for(catalogue: Catalogue) -> None:
    k = catalogue.knowledge
    topics = {t.id for t in k.topic}
    assert {
        "what-is-runners-knee",
        "symptoms",
        "causes",
        "myths",
        "when-to-see-a-clinician",
        "red-flags",
    } <= topics
    faq = {f.id for f in k.faq}
    assert {
        "brace-or-strap",
        "taping",
        "footwear",
        "can-i-run",
        "how-long",
        "surgery",
        "cross-training",
        "cadence",
    } <= faq
    causes = next(t for t in k.topic if t.id == "causes")
    assert causes.caveats, "the causes page must carry the evidence's caveats"
    assert len(k.glossary) >= 30
