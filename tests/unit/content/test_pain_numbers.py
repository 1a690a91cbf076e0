"""Every pain threshold a runner reads is rendered from the one setting the engine uses: a
catalogue built with other settings states the other numbers, and none of the old ones; a
second pain line or an unknown placeholder is a content error. (That no text types a pain
number instead is ``test_pain_number_scans``.)
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from runrehab.content import loader
from runrehab.content.placeholders import pain_numbers, render
from runrehab.engine.protocol import Settings, TriageSettings
from runrehab.errors import ContentError
from tests.conftest import data_copy, edit_once

# --- the rendered texts state the settings' numbers -----------------------------------------


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return data_copy(tmp_path)


_edit = edit_once


@pytest.fixture(scope="module")
def retuned(tmp_path_factory: pytest.TempPathFactory) -> loader.Catalogue:
    """The catalogue with a GREEN ceiling of 1/10, AMBER up to 4/10 (RED above, where a run and
    an exercise stop) and a day's worst pain RED above 7/10."""
    data = data_copy(tmp_path_factory.mktemp("retuned"))
    protocol = data / "protocol.toml"
    _edit(protocol, "\ngreen_max_pain = 2 ", "\ngreen_max_pain = 1 ")
    _edit(protocol, "\namber_max_pain = 3 ", "\namber_max_pain = 4 ")
    _edit(protocol, "\nstop_exercise_pain_above = 3 ", "\nstop_exercise_pain_above = 4 ")
    _edit(protocol, "\nstop_run_pain_above = 3 ", "\nstop_run_pain_above = 4 ")
    _edit(protocol, "\nday_worst_pain_red_above = 5 ", "\nday_worst_pain_red_above = 7 ")
    return loader.load_catalogue(data)


def _topic_page(catalogue: loader.Catalogue, topic_id: str) -> tuple[str, str]:
    topic = next(t for t in catalogue.knowledge.topic if t.id == topic_id)
    return topic.summary, " ".join([topic.summary, *topic.body])


def test_the_traffic_light_page_states_the_settings(retuned: loader.Catalogue) -> None:
    summary, page = _topic_page(retuned, "pain-monitoring")
    assert "0–1 is green" in summary and "2–4 is amber" in summary
    assert "Green, 0–1/10" in page and "Amber, 2–4/10" in page and "Red, above 4/10" in page
    assert "went above 7/10" in page  # the day's worst pain
    assert "if the pain reaches 2/10, ease off" in page
    assert "stop that exercise if it goes above 4/10" in page
    assert "stop and walk home if the pain goes above 4/10" in page
    assert "0–2" not in page and "3/10" not in page and "5/10" not in page


def test_the_shipped_traffic_light_is_one_pain_model() -> None:
    """GREEN up to 2, AMBER 3 (one number, written as one), RED above 3: where a run and an
    exercise stop; a day's worst pain RED above 5; the next morning judges the session."""
    summary, page = _topic_page(loader.load_catalogue(), "pain-monitoring")
    assert "0–2 is green" in summary and "3 is amber" in summary and "above 3 is red" in summary
    assert "Amber, 3/10: hold" in page and "Red, above 3/10: step back" in page
    assert "3–3" not in page and "3–5" not in page
    assert "stop that exercise if it goes above 3/10" in page
    assert "stop and walk home if the pain goes above 3/10" in page
    assert "went above 5/10" in page and "next morning" in page


def test_an_exercise_states_the_settings(retuned: loader.Catalogue) -> None:
    box_squat = retuned.exercises["box-squat"]
    assert "Keep knee discomfort at 1/10 or less; if it reaches 2/10, raise the seat." in (
        box_squat.cues
    )
    assert box_squat.stop_when[0] == "Knee pain rises above 4/10, or rises from set to set."
    texts = " ".join([*box_squat.cues, *box_squat.stop_when])
    assert "3/10" not in texts and "2–3" not in texts


def _pain_lines(texts: list[str]) -> list[str]:
    return [text for text in texts if "/10" in text]


def test_every_exercise_states_the_one_exercise_pain_model() -> None:
    """Aim at most GREEN, ease off at AMBER's first number, stop above the exercise stop line,
    judge by the next morning: the one guide shown with every exercise says all four, and each
    exercise's own pain cues and stop lines use only those placeholders, never another line
    (the run's, the day's worst, the RED ceiling)."""
    guide = tomllib.loads((loader.DATA / "protocol.toml").read_text())["exercise_pain_guide"]
    for part in ("{green_max_pain}/10", "{amber_min_pain}/10", "{stop_exercise_pain_above}/10"):
        assert part in guide
    assert "next morning" in guide
    wrong = []
    for path in sorted((loader.DATA / "exercises").glob("*.toml")):
        parsed = tomllib.loads(path.read_text(encoding="utf-8"))
        cues = _pain_lines(parsed.get("cues", []))
        stops = _pain_lines(parsed.get("stop_when", []))
        for cue in cues:
            if "{green_max_pain}/10" not in cue:
                wrong.append(f"{path.name} cue {cue!r}: aim at {{green_max_pain}}")
        for stop in stops:
            if "{stop_exercise_pain_above}/10" not in stop:
                wrong.append(f"{path.name} stop_when {stop!r}: stop above the exercise line")
        for text in (*cues, *stops):
            for other in (
                "{amber_max_pain}",
                "{stop_run_pain_above}",
                "{day_worst_pain_red_above}",
            ):
                if other in text:
                    wrong.append(f"{path.name} {text!r} names {other}")
    assert not wrong, "\n".join(wrong)


def test_the_exercise_guide_renders_from_the_settings(retuned: loader.Catalogue) -> None:
    guide = retuned.protocol.exercise_pain_guide
    assert guide.startswith("Aim for 1/10 or less. At 2/10, ease off")
    assert "goes above 4/10" in guide and "3/10" not in guide


@pytest.mark.parametrize(
    ("setting", "value", "place"),
    [
        ("amber_max_pain", 5, "$.settings.stop_run_pain_above"),  # the stop lines not moved
        ("stop_exercise_pain_above", 5, "$.settings.stop_exercise_pain_above"),
        ("stop_run_pain_above", 2, "$.settings.stop_run_pain_above"),
        ("amber_max_pain", 2, "$.settings.amber_max_pain"),  # no AMBER zone left
        ("day_worst_pain_red_above", 2, "$.settings.day_worst_pain_red_above"),
    ],
)
def test_a_second_pain_line_is_a_content_error(
    data: Path, setting: str, value: int, place: str
) -> None:
    protocol = data / "protocol.toml"
    text = protocol.read_text(encoding="utf-8")
    old = re.search(rf"\n{setting} = \d+ ", text)
    assert old is not None
    _edit(protocol, old.group(0), f"\n{setting} = {value} ")
    with pytest.raises(ContentError) as err:
        loader.load_catalogue(data)
    assert err.value.place == place


def test_the_landing_page_states_the_settings(retuned: loader.Catalogue) -> None:
    from runrehab.web.rendering import templates

    pain = pain_numbers(*loader.engine_settings(retuned.protocol))
    page = templates.env.get_template("landing.html").render(
        pain=pain, signed_in=False, active="home", csrf_token="", csrf_input=""
    )
    assert "Pain up to 1 out of 10" in page and "2–4 holds you where you are" in page
    assert "up to 2 out of 10" not in page and "3 to 5" not in page


def test_the_shipped_numbers_are_the_settings() -> None:
    settings, triage = Settings(), TriageSettings()
    values = pain_numbers(settings, triage)
    assert values["green_max_pain"] == "2" and values["amber_min_pain"] == "3"
    assert values["stop_exercise_pain_above"] == values["stop_run_pain_above"] == "3"
    assert values["rest_pain_refer_above"] == "6" and values["rest_pain_full_run_max"] == "1"
    shipped = loader.engine_settings(loader.load_protocol_file())
    assert shipped == (settings, triage)  # the engine's defaults are the shipped file's numbers


@pytest.mark.parametrize("text", ["above {green_max_pain_typo}/10", "a stray } brace", "{quote:}"])
def test_an_unknown_placeholder_is_a_content_error_naming_file_and_field(
    data: Path, text: str
) -> None:
    _edit(
        data / "exercises" / "box-squat.toml",
        '"Knee pain rises above {stop_exercise_pain_above}/10, or rises from set to set."',
        f'"{text}"',
    )
    with pytest.raises(ContentError) as err:
        loader.load_catalogue(data)
    assert err.value.file.endswith("exercises/box-squat.toml")
    assert err.value.place == "$.stop_when[0]"


def test_a_quotation_renders_as_its_text() -> None:
    assert render("Article 000 stops at {quote:3/10}.", {}) == "Article 000 stops at 3/10."
    assert render("no braces, 3 × 10", {}) == "no braces, 3 × 10"
