"""Every pain threshold a runner reads is rendered from the one setting the engine uses.

A pain number typed into prose ("stop if pain rises above 3/10") drifts from the engine's
number the day the setting changes, and the product then contradicts itself. So every text
field of every content file, every web template and every string of ``src/runrehab`` is
scanned for pain numbers: each must be a placeholder (``{green_max_pain}``) or a marked
quotation of a source (``{quote:3/10}``); see :mod:`runrehab.content.placeholders`. And a
catalogue built with other settings must state the other numbers, and none of the old ones.
"""

from __future__ import annotations

import ast
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from runrehab.content import loader
from runrehab.content.placeholders import PLACEHOLDER, QUOTE, pain_numbers, render
from runrehab.engine.protocol import Settings, TriageSettings
from runrehab.errors import ContentError
from tests.conftest import data_copy, edit_once

SRC = Path(loader.__file__).resolve().parents[1]
TEMPLATES = SRC / "web" / "templates"

# --- finding pain numbers in a text --------------------------------------------------------

_N = r"(?:10|\d)(?![\d.,]\d|\d)"  # a whole number of the 0-10 scale
_RANGE = rf"{_N}(?:\s*(?:–|—|-|to)\s*{_N})?"
_UNIT = re.compile(  # what follows a number that is not a pain score, after "6, 4–6 and 4–8"
    r"(?:\s*(?:,|and|or)\s*\d+(?:\s*[–-]\s*\d+)?)*\s*"
    r"(?:%|°|×|x\b|\*|degrees?|weeks?|days?|hours?|h\b|hrs?|minutes?|mins?|seconds?|secs?|s\b|"
    r"sets?|reps?|repetitions?|times?|km|m\b|metres?|meters?|miles?|steps?|months?|years?|"
    r"points?|rungs?|sessions?|check-?ins?|cm|kg|in a row|each|per|consecutive|nights?|"
    r"mornings?|runs?|exercises?|phases?|questions?|items?|runners?|people|studies|trials?|"
    r"or more (?:days|weeks|sessions)|more (?:days|weeks|sessions)|red days?|green|amber|"
    r"breaths?|counts?|seconds?|squats?|step-?downs?|step-?ups?|bridges?|legs?|sides?|"
    r"hold|holds|kg|lbs?|beats?|spm|bpm|cycles?)",
    re.IGNORECASE,
)
_NOT_AFTER = re.compile(  # "phase 4", "R7", "3 × 10", "§/10": not a pain number
    r"(?:(?:\b(?:phases?|rungs?|weeks?|days?|steps?|sections?|articles?|items?|sets?|age[sd]?|"
    r"level|grade|version|page|table|figure|question|part|chapter)|[×x*#§/])\s*|\b[A-Z]|"
    r"\d[.,:])$",
)
_EFFORT = r"(?!\s*(?:effort|exertion))"  # "7 out of 10 effort" rates effort, not pain
_ALWAYS = [
    re.compile(rf"(?<![\d/.,]){_RANGE}\s*/\s*10(?![\d/]){_EFFORT}"),
    re.compile(
        r"\b(?:\d{1,2}|zero|one|two|three|four|five|six|seven|eight|nine|ten)\s+out\s+of\s+"
        rf"(?:10|ten)\b{_EFFORT}",
        re.IGNORECASE,
    ),
]
_PAIN_WORDS = re.compile(
    r"\b(?:pain\w*|discomfort|hurts?|hurting|ache|aching|sore\w*|nrs|green|amber|red|zone)\b",
    re.IGNORECASE,
)
_IN_PAIN_SENTENCE = [
    # "above 3", "at most 2", "up to 3", "pain 3", "<= 2", "3 to 5"
    re.compile(
        r"(?:[≤≥<>]=?|\b(?:above|over|below|under|past|beyond|exceeds?|exceeding|up to|at most|"
        r"at least|more than|less than|higher than|lower than|reaches|reach|at|of|is|from|"
        r"between|pain|discomfort|hurts?))\s*(?P<n>" + _RANGE + r")",
        re.IGNORECASE,
    ),
    # "3 or less", "2 and under"
    re.compile(
        rf"\b(?P<n>{_N})\s+(?:or|and)\s+(?:less|lower|below|under|more|above|higher|over)\b",
        re.IGNORECASE,
    ),
    # a bare range of the scale: "0–2", "3 to 5"
    re.compile(rf"\b(?P<n>{_N}\s*(?:–|—|-|to)\s*{_N})", re.IGNORECASE),
]
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_SCALE_ENDS = re.compile(r"^\D*(?:10|0)(?:\D+(?:10|0))?\D*$")  # "0 to 10", "from 0": the scale
_MARK = "§"


def _unmarked(text: str) -> str:
    """``text`` with every placeholder and marked quotation taken out."""
    return PLACEHOLDER.sub(_MARK, text)


def pain_numbers_in(text: str) -> list[str]:
    """The pain numbers typed into ``text`` that are neither placeholders nor quotations."""
    text = _unmarked(text)
    found = [m.group(0) for pattern in _ALWAYS for m in pattern.finditer(text)]
    for sentence in _SENTENCE.split(text):
        if not _PAIN_WORDS.search(sentence):
            continue
        for pattern in _IN_PAIN_SENTENCE:
            for m in pattern.finditer(sentence):
                start, end = m.span("n")
                if _UNIT.match(sentence, end) or _NOT_AFTER.search(sentence[:start]):
                    continue
                if _SCALE_ENDS.match(m.group("n")):
                    continue
                found.append(m.group(0).strip())
    return found


@pytest.mark.parametrize(
    ("text", "hits"),
    [
        ("stop if pain rises above 3/10", True),
        ("keep discomfort at 2–3/10", True),
        ("Pain up to 3 out of 10 is fine", True),
        ("Green, 0-2: carry on when the pain settles", True),
        ("pain 3 or less that settles", True),
        ("pain of 3 to 5 makes the day amber", True),
        ("rest pain ≤1", True),
        ("GREEN: 2 or less; AMBER: 3 to 5", True),
        ("Rate pain from 0 (no pain) to 10 (the worst)", False),
        ("the knee hurts: R7 and S23 apply", False),
        ("keep it at most {green_max_pain}/10 pain", False),
        ("Article 000 moves runners on at {quote:3/10}", False),
        ("Green, 0–{green_max_pain}/10: carry on", False),
        ("3 × 10 each leg, pain-free", False),
        ("step-downs 3 sets of 10 each leg in the green zone", False),
        ("pain that lasts more than 2 weeks", False),
        ("settled within 24 hours, pain back to baseline", False),
        ("pain in phases 1–3 for 6 weeks", False),
        ("pain lasting 6, 4–6 and 4–8 weeks", False),
        ("pain started on 1/10/2026", False),
        ("a pain-free run of 30 minutes, 10 % more a week", False),
        ("knee bend 0–45° without pain", False),
        ("pain at rest {rest_pain_refer_above}/10, Kujala above 90", False),
    ],
)
def test_the_scanner_finds_pain_numbers_and_nothing_else(text: str, hits: bool) -> None:
    assert bool(pain_numbers_in(text)) is hits, pain_numbers_in(text)


# --- where people read texts ---------------------------------------------------------------


def _strings(value: Any, place: str = "$") -> Iterator[tuple[str, str]]:
    """Every string of a parsed TOML file, walked generically, with its place."""
    if isinstance(value, str):
        yield place, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{place}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{place}[{index}]")


NOT_PROSE = {"traceability.toml": "generated: the ids of the tests that make each rule fire"}


def content_texts() -> Iterator[tuple[str, str, str]]:
    for path in sorted(loader.DATA.rglob("*.toml")):
        if path.name in NOT_PROSE:
            continue
        parsed = tomllib.loads(path.read_text(encoding="utf-8"))
        for place, text in _strings(parsed):
            yield str(path.relative_to(SRC)), place, text


_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_TAG = re.compile(r"<[^>]*>")


def template_texts() -> Iterator[tuple[str, str, str]]:
    for path in sorted(TEMPLATES.rglob("*.html")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, 1):
            text = _TAG.sub(" ", _JINJA.sub(_MARK, line))
            yield str(path.relative_to(SRC)), f"line {number}", text


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of string statements (docstrings, attribute docstrings): never shown."""
    return {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }


def source_texts() -> Iterator[tuple[str, str, str]]:
    """Every string literal of ``src/runrehab`` but docstrings; an f-string's parts joined."""
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                skip.update(id(v) for v in node.values)
                text = "".join(
                    str(v.value) if isinstance(v, ast.Constant) else _MARK for v in node.values
                )
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                if id(node) in skip:
                    continue
                text = node.value
            else:
                continue
            yield str(path.relative_to(SRC)), f"line {node.lineno}", text


def _typed(texts: Iterator[tuple[str, str, str]]) -> list[str]:
    return [
        f"{file} {place}: {sorted(set(numbers))} in {text!r}"
        for file, place, text in texts
        if (numbers := pain_numbers_in(text))
    ]


def test_the_scans_read_what_people_read() -> None:
    """The walkers reach the texts: a broken walk would find nothing and pass."""
    content = {(file, place): text for file, place, text in content_texts()}
    assert content["content/data/exercises/box-squat.toml", "$.stop_when[0]"].startswith(
        "Knee pain rises above {stop_exercise_pain_above}/10"
    )
    assert any(p.startswith("$.phase[0].goal") for f, p in content if f.endswith("protocol.toml"))
    templates = [text for _, _, text in template_texts()]
    assert any("Keep it at §/10 pain or less." in text for text in templates)
    sources = [text for _, _, text in source_texts()]
    assert any("stop if pain goes above §/10 or keeps rising" in text for text in sources)
    assert not any("Tunable thresholds." in text for text in sources)  # a docstring: not shown


def test_no_content_text_types_a_pain_number() -> None:
    typed = _typed(content_texts())
    assert not typed, "use a {placeholder} or a {quote:...}:\n" + "\n".join(typed)


def test_no_template_types_a_pain_number() -> None:
    typed = _typed(template_texts())
    assert not typed, "pass the number in from the settings:\n" + "\n".join(typed)


def test_no_python_string_types_a_pain_number() -> None:
    typed = _typed(source_texts())
    assert not typed, "format the number from the settings:\n" + "\n".join(typed)


# --- quotations say who said it ------------------------------------------------------------

_WHO = re.compile(
    r"\b(?:articles?|00[0-4]|research|stud(?:y|ies)|trials?|model|guidelines?|digest|"
    r"section|evidence|education|sources?|Crossley|Silbernagel|Esculier|TREK|"
    # the same in German (content/data/locales/de)
    r"Artikels?|Artikeln|Forschung|Studien?|Leitlinien?|Evidenz\w*|Quellen?|Abschnitt\w*)\b",
    re.IGNORECASE,
)
SPEAKS_FOR_SOURCES = {
    # a source's own entry: its title and detail say what the source says
    "content/data/sources.toml": re.compile(r"\$\.source\[\d+\]\.(?:title|detail)$"),
    # an article rule's title names the article's rule; its text says what RunRehab does
    "content/data/rules/articles.toml": re.compile(r"\$\.rule\[\d+\]\.title$"),
}


def test_a_quotation_says_whose_number_it_is() -> None:
    """``{quote:3/10}`` is a source's number, never RunRehab's: the sentence names the source."""
    unattributed = []
    for file, place, text in content_texts():
        # a translation speaks for the same sources as the English file it mirrors
        allowed = SPEAKS_FOR_SOURCES.get(re.sub(r"/locales/[a-z]{2}/", "/", file))
        if allowed is not None and allowed.match(place):
            continue
        for sentence in _SENTENCE.split(text):
            if "{" + QUOTE in sentence and not _WHO.search(sentence):
                unattributed.append(f"{file} {place}: {sentence!r}")
    assert not unattributed, "name the source of each quoted number:\n" + "\n".join(unattributed)


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
