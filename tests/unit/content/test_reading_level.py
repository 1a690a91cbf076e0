"""The runner-facing words read at about a 12-year-old's level (Flesch–Kincaid grade 7 or less).

A small, dependency-free Flesch–Kincaid grade: sentences end at ``.``, ``!`` or ``?``;
syllables are counted as vowel groups (a silent final ``e`` dropped, at least one a word).
Placeholders (``{setting}``, ``$name``) read as a one-syllable number. The measure is the median
grade over every piece of text that reaches a runner: the engine rules' ``text``, the words of
Today, the plan and the knee check, and each exercise's steps and cues. The rules' texts (what
the "Why?" drawers say) keep a median of grade 10 or less, and no piece goes above grade 16.
"""

from __future__ import annotations

import re
import statistics
import tomllib

from tests.conftest import ROOT, toml_strings

DATA = ROOT / "src" / "runrehab" / "content" / "data"
WORDS_FILES = ("today", "plan", "intake")
MEDIAN_GRADE_AT_MOST = 7.0
# the rules' texts (what the "Why?" drawers say) run longer; they too stay readable
RULES_MEDIAN_GRADE_AT_MOST = 10.0
ANY_GRADE_AT_MOST = 16.0

_PLACEHOLDER = re.compile(r"\{[a-z0-9_:<>=.–-]+\}|\$[a-z_][a-z0-9_]*")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*|\d+(?:[.,]\d+)*")
_VOWEL_GROUP = re.compile(r"[aeiouy]+")


def syllables(word: str) -> int:
    """Vowel groups in ``word`` (a silent final e left out), at least one."""
    w = word.lower()
    if w[0].isdigit():
        return 1
    w = re.sub(r"['’]s$", "", w)
    count = len(_VOWEL_GROUP.findall(w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    return max(count, 1)


def grade(text: str) -> float:
    """The Flesch–Kincaid grade level of ``text``."""
    plain = _PLACEHOLDER.sub("5", text)
    words = _WORD.findall(plain)
    if not words:
        return 0.0
    sentences = max(len([s for s in _SENTENCE_END.split(plain) if _WORD.search(s)]), 1)
    syl = sum(syllables(w) for w in words)
    return 0.39 * len(words) / sentences + 11.8 * syl / len(words) - 15.59


def runner_texts() -> list[tuple[str, str]]:
    """(where, text) for every piece of runner-facing content measured."""
    out: list[tuple[str, str]] = []
    rules = tomllib.loads((DATA / "rules" / "engine.toml").read_text(encoding="utf-8"))
    out += [(f"rules/engine.toml {r['id']}.text", r["text"]) for r in rules["rule"]]
    for name in WORDS_FILES:
        words = tomllib.loads((DATA / "words" / f"{name}.toml").read_text(encoding="utf-8"))
        out += list(toml_strings(words, f"words/{name}.toml "))
    for path in sorted((DATA / "exercises").glob("*.toml")):
        ex = tomllib.loads(path.read_text(encoding="utf-8"))
        for field in ("steps", "cues"):
            out += [
                (f"exercises/{path.name} {field}[{i}]", t) for i, t in enumerate(ex.get(field, []))
            ]
    # words of a few letters (a badge, a label) say nothing about reading level
    return [(w, t) for w, t in out if len(_WORD.findall(t)) >= 4]


def test_the_grade_function_reads_plain_and_hard_words_apart() -> None:
    assert syllables("knee") == 1 and syllables("exercise") == 3 and syllables("table") == 2
    assert grade("Rest today. Walk a bit. Do your exercises.") < 4
    hard = (
        "Patellofemoral pain is characterised by diffuse retropatellar discomfort "
        "exacerbated by activities increasing patellofemoral joint reaction forces."
    )
    assert grade(hard) > 14


def test_runner_facing_content_reads_at_about_a_12_year_olds_level() -> None:
    texts = runner_texts()
    assert len(texts) > 200
    graded = sorted(((grade(t), w, t) for w, t in texts), reverse=True)
    median = statistics.median(g for g, _, _ in graded)
    worst = "\n".join(f"  {g:5.1f}  {w}: {t[:100]}" for g, w, t in graded[:15])
    assert median <= MEDIAN_GRADE_AT_MOST, (
        f"median Flesch–Kincaid grade {median:.1f} > {MEDIAN_GRADE_AT_MOST}; worst 15:\n{worst}"
    )
    rules = statistics.median(g for g, w, _ in graded if w.startswith("rules/"))
    assert rules <= RULES_MEDIAN_GRADE_AT_MOST, (
        f"the rules' median grade {rules:.1f} > {RULES_MEDIAN_GRADE_AT_MOST}; worst 15:\n{worst}"
    )
    assert graded[0][0] <= ANY_GRADE_AT_MOST, f"a text above grade {ANY_GRADE_AT_MOST}:\n{worst}"
