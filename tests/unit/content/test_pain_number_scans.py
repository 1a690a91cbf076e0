"""No pain threshold is typed into what a runner reads (``test_pain_numbers``: each is rendered
from the one setting the engine uses).

A pain number typed into prose ("stop if pain rises above 3/10") drifts from the engine's
number the day the setting changes, and the product then contradicts itself. So every text
field of every content file, every web template and every string of ``src/runrehab`` is
scanned for pain numbers: each must be a placeholder (``{green_max_pain}``) or a marked
quotation of a source (``{quote:3/10}``); see :mod:`runrehab.content.placeholders`.

These scans read texts, not the product's code paths: they run untraced, beside the covered
core tests (``scripts/test``, UNTRACED), where the tracer made them two to three times slower.
"""

from __future__ import annotations

import ast
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from runrehab.content import loader
from runrehab.content.placeholders import PLACEHOLDER, QUOTE
from tests.conftest import toml_strings

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


NOT_PROSE = {"traceability.toml": "generated: the ids of the tests that make each rule fire"}


def content_texts() -> Iterator[tuple[str, str, str]]:
    for path in sorted(loader.DATA.rglob("*.toml")):
        if path.name in NOT_PROSE:
            continue
        parsed = tomllib.loads(path.read_text(encoding="utf-8"))
        for place, text in toml_strings(parsed):
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
