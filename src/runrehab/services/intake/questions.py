"""The intake assessment's questions, as the content asks them, and the answers read into its
document.

The steps and their questions are content (``data/intake.toml``, :mod:`runrehab.content.intake`):
every field of the assessment contract (``contracts/assessment.schema.json``), one topic per
step, the warning signs first: step 1 holds every answer an *emergency* rule reads (and the
injury questions), step 2 every other answer an *urgent* rule reads, so a red flag stops the
intake as soon as it is answered and nothing asked later can make it more urgent
(``tests/web/test_onboarding.py`` checks this against the triage rules).

Answers arrive as form fields named by their contract path (``pain.now``); each step is checked
on its own, with a message per question (the words of ``intake.answer``), and
``build_document`` turns checked answers into the contract's document. Nothing here decides
anything clinical: the triage does that.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from runrehab.content import intake as content
from runrehab.content import locale
from runrehab.content.intake import MAX_OPTIONS, Kind
from runrehab.content.words import Words
from runrehab.services.records import Document

Answers = Mapping[str, Sequence[str]]
"""Raw answers by form field name: every value sent for it (checkbox groups send several)."""

NO_INJURY = "none"
MAX_VALUE_CHARS = 40
MAX_VALUES = MAX_OPTIONS
"""No question has more options than this: a form sending more is cut short, not echoed."""

# The answers this module reads by name (their checks and document need them together).
INJURY = "history.injury.mechanism"
INJURY_SIGNS = "injury-signs"
RUNNING_NOW = "running.currently_running"
RUN_PAIN = "running.pain_during_run"
RACE_DATE = "running.goal_race.date"
RACE_DISTANCE = "running.goal_race.distance_km"
STAND_INS: dict[str, list[str]] = {
    "side": ["both"],
    "pain.now": ["0"],
    "pain.at_rest": ["0"],
    "pain.worst_last_week": ["0"],
    "pain.location": ["around_kneecap"],
    "history.symptom_weeks": ["1"],
    "history.onset": ["gradual"],
    "history.trend": ["unchanged"],
}
"""Neutral answers to the later steps' required questions, for a triage after the warning-sign
steps only: no emergency or urgent rule reads them (see the module docstring)."""
READ_BY_NAME = (INJURY, INJURY_SIGNS, RUNNING_NOW, RUN_PAIN, RACE_DATE, RACE_DISTANCE, *STAND_INS)


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True, slots=True)
class ShownWhen:
    """The earlier answer that makes a block of questions apply (the page may fold it away
    until then)."""

    question: str
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Question:
    """One question. ``name`` is the form field and its contract path; for ``flags`` (tick any
    that apply) it only names the group, and each option's value is the path of its boolean."""

    name: str
    kind: Kind
    label: str
    hint: str
    options: tuple[Option, ...]
    required: bool
    low: float | None
    high: float | None
    above_low: bool
    """The lowest allowed value is ``low`` itself (False) or anything above it (True)."""
    unit: str
    shown_when: ShownWhen | None

    @property
    def field_names(self) -> tuple[str, ...]:
        if self.kind == "flags":
            return tuple(o.value for o in self.options)
        return (self.name,)

    @property
    def dom_id(self) -> str:
        return "q-" + self.name.replace(".", "-").replace("_", "-")


@dataclass(frozen=True, slots=True)
class Step:
    key: str
    title: str
    intro: str
    questions: tuple[Question, ...]
    warning_signs: bool

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(n for q in self.questions for n in q.field_names)


class Refused(ValueError):
    """An answer that cannot be taken, named by its words (``intake.answer.<key>``)."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values

    def said(self, words: Words) -> str:
        return words.say(f"intake.answer.{self.key}", **self.values)


# --- the questions, from content --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Questions:
    """The intake's steps, and what reads and checks their answers."""

    steps: tuple[Step, ...]
    by_name: Mapping[str, Question]
    field_names: frozenset[str]

    def step_of(self, name: str) -> Step:
        """The step that asks the answer ``name`` (a form field)."""
        return next(s for s in self.steps if name in s.field_names)

    def known_answers(self, raw: Answers) -> dict[str, list[str]]:
        """Only the answers to questions RunRehab asks, without empty values: anything else in
        a form (tampered, or from an older page) is dropped here, never stored or sent back."""
        return {
            name: [v.strip() for v in values if v.strip()][:MAX_VALUES]
            for name, values in raw.items()
            if name in self.field_names and any(v.strip() for v in values)
        }

    def check_step(self, step: Step, answers: Answers, words: Words) -> dict[str, str]:
        """The problems of one step's answers, by question name (empty: the step is fine)."""
        errors: dict[str, str] = {}
        for question in step.questions:
            problem = _check_question(question, answers)
            if problem is not None:
                errors[question.name] = problem.said(words)
        for name, problem in self._cross_checks(step, answers).items():
            errors.setdefault(name, problem.said(words))
        return errors

    def first_unfinished(self, answers: Answers, words: Words) -> tuple[int, dict[str, str]] | None:
        """The index of the first step whose answers are not right, with its problems."""
        for index, step in enumerate(self.steps):
            errors = self.check_step(step, answers, words)
            if errors:
                return index, errors
        return None

    def _cross_checks(self, step: Step, answers: Answers) -> dict[str, Refused]:
        """Answers that only make sense together."""
        asked = {q.name for q in step.questions}
        errors: dict[str, Refused] = {}
        if {INJURY, INJURY_SIGNS} <= asked:
            no_injury = list(answers.get(INJURY, [])) == [NO_INJURY]
            injury_signs = self.by_name[INJURY_SIGNS].field_names
            if no_injury and any(n in answers for n in injury_signs):
                # never drop a warning sign silently: ask which answer is right
                errors[INJURY_SIGNS] = Refused("injury_signs_without_injury")
        if {RUNNING_NOW, RUN_PAIN} <= asked:
            running = list(answers.get(RUNNING_NOW, [])) == ["yes"]
            if running and RUN_PAIN not in answers:
                errors[RUN_PAIN] = Refused("run_pain")
        race_without_date = RACE_DISTANCE in answers and RACE_DATE not in answers
        if {RACE_DATE, RACE_DISTANCE} <= asked and race_without_date:
            errors[RACE_DATE] = Refused("race_date")
        return errors

    # --- the document ---------------------------------------------------------------------

    def build_document(self, answers: Answers) -> Document:
        """The assessment document of answers that pass ``check_step`` for every step.

        Ticked boxes become ``true``; an unticked one is left out, which the contract reads as
        "no". Optional questions left empty are left out, never filled in."""
        doc: Document = {"schema_version": 1}
        for q in self.by_name.values():
            _put_answer(doc, q, answers)
        pain = doc.setdefault("pain", {})
        pain.setdefault("provoked_by", [])  # required by the contract, and may be empty
        _tidy_injury(doc)
        return doc

    def warning_signs_document(self, answers: Answers) -> Document:
        """A document to run the triage on after the warning-sign steps only: the questions
        of the later steps are given neutral stand-ins (``STAND_INS``); this document is never
        stored or shown."""
        asked = {n: v for n, v in answers.items() if self.step_of(n).warning_signs}
        return self.build_document({**STAND_INS, **asked})

    # --- plain words for the clinician ----------------------------------------------------

    def label_of(self, name: str, value: str) -> str:
        """The words a question's option was shown with (for a choice)."""
        q = self.by_name.get(name)
        found = (o.label for o in q.options if o.value == value) if q else iter(())
        return next(found, value)

    def facts(self, document: Mapping[str, Any], words: Words) -> list[str]:
        """The main answers of an assessment document, in words a clinician reads at a glance."""
        pain = document.get("pain", {})
        history = document.get("history", {})
        lines = [
            self._who(document, words),
            words.say(
                "intake.tell.weeks",
                weeks=f"{history.get('symptom_weeks', 0):g}",
                onset=self._lower("history.onset", history.get("onset", "")),
                trend=self._lower("history.trend", history.get("trend", "")),
            ),
            words.say(
                "intake.tell.pain",
                now=pain.get("now"),
                rest=pain.get("at_rest"),
                worst=pain.get("worst_last_week"),
            ),
            words.say("intake.tell.where", places=self._listed("pain.location", pain)),
        ]
        if pain.get("provoked_by"):
            things = self._listed("pain.provoked_by", pain)
            lines.append(words.say("intake.tell.provoked", things=things))
        lines.append(_running_fact(document.get("running"), words))
        return lines

    def _who(self, document: Mapping[str, Any], words: Words) -> str:
        age, side = document.get("age"), document.get("side")
        if side == "both":
            return words.say("intake.tell.age_both", age=age)
        return words.say("intake.tell.age_side", age=age, side=self._lower("side", side))

    def _lower(self, name: str, value: Any) -> str:
        return self.label_of(name, str(value)).lower()

    def _listed(self, name: str, part: Mapping[str, Any]) -> str:
        """The options ticked for ``name`` (a list of ``part``), in their words, lower case."""
        values: Iterable[str] = part.get(name.rpartition(".")[2], [])
        return ", ".join(self._lower(name, v) for v in values)


def questions_of(intake: content.IntakeFile) -> Questions:
    """The questions of the intake's content (a ``ContentError`` when it does not ask an
    answer this module reads by name)."""
    content.require_asked(intake, READ_BY_NAME)
    steps = tuple(_step(s, intake.block) for s in intake.step)
    by_name = {q.name: q for s in steps for q in s.questions}
    fields = frozenset(n for s in steps for n in s.field_names)
    return Questions(steps, by_name, fields)


def intake_questions(language: str | None = None) -> Questions:
    """The questions shipped with RunRehab in ``language`` (default: the current one),
    loaded once per process and language."""
    return _intake_questions(language or locale.current())


@cache
def _intake_questions(language: str) -> Questions:
    return questions_of(content.shipped_intake(language))


def _step(step: content.Step, blocks: Mapping[str, content.Block]) -> Step:
    return Step(
        step.key,
        step.title,
        step.intro,
        tuple(_question(q, blocks) for q in step.question),
        step.warning_signs,
    )


def _question(q: content.Question, blocks: Mapping[str, content.Block]) -> Question:
    block = blocks[q.block] if q.block is not None else None
    return Question(
        name=q.name,
        kind=q.kind,
        label=q.label,
        hint=q.hint,
        options=tuple(Option(o.value, o.label) for o in q.options),
        required=q.required,
        low=q.low,
        high=q.high,
        above_low=q.above_low,
        unit=q.unit,
        shown_when=None if block is None else ShownWhen(block.when, tuple(block.values)),
    )


# --- reading one answer -----------------------------------------------------------------------


def _check_question(q: Question, answers: Answers) -> Refused | None:
    if q.kind == "flags":
        wrong = [n for n in q.field_names if list(answers.get(n, ["yes"])) != ["yes"]]
        return Refused("ticks") if wrong else None
    values = answers.get(q.name, [])
    if not values:
        return _missing(q) if q.required else None
    if q.kind != "multi" and len(values) > 1:
        return Refused("one_only")
    try:
        for value in values:
            parse(q, value)
    except Refused as refused:
        return refused
    if q.kind == "multi" and len(set(values)) != len(values):
        return Refused("each_once")
    return None


def _missing(q: Question) -> Refused:
    if q.kind == "multi":
        return Refused("tick_one")
    if q.kind in ("choice", "scale"):
        return Refused("choose_one")
    return Refused("missing")


def parse(q: Question, raw: str) -> Any:
    """The value of one answer, in the contract's type; ``Refused`` says what is wrong."""
    if len(raw) > MAX_VALUE_CHARS:
        raise Refused("too_long")
    if q.kind in ("choice", "multi"):
        if raw not in {o.value for o in q.options}:
            raise Refused("not_an_option")
        return raw
    if q.kind == "date":
        try:
            return date.fromisoformat(raw).isoformat()
        except ValueError:
            raise Refused("not_a_date") from None
    if q.kind == "scale":
        return _whole(raw, 0, 10, Refused("not_on_scale"))
    low, high = q.low or 0, q.high or 0
    if q.kind == "int":
        return _whole(raw, low, high, Refused("whole", low=f"{low:g}", high=f"{high:g}"))
    return _number(q, raw, low, high)


def _whole(raw: str, low: float, high: float, refused: Refused) -> int:
    if not raw.removeprefix("-").isdecimal():
        raise refused
    value = int(raw)
    if not low <= value <= high:
        raise refused
    return value


def _number(q: Question, raw: str, low: float, high: float) -> float | int:
    key = ("number_above" if q.above_low else "number_from") + ("_unit" if q.unit else "")
    bounds: dict[str, object] = {"low": f"{low:g}", "high": f"{high:g}"}
    refused = Refused(key, **bounds, **({"unit": q.unit} if q.unit else {}))
    try:
        value = float(raw.replace(",", "."))  # "4,5" is how half of Europe writes 4.5
    except ValueError:
        raise refused from None
    too_low = value <= low if q.above_low else value < low
    if not math.isfinite(value) or too_low or value > high:
        raise refused
    return int(value) if value.is_integer() else value


# --- writing the document ---------------------------------------------------------------------


def _put_answer(doc: Document, q: Question, answers: Answers) -> None:
    if q.kind == "flags":
        for name in q.field_names:
            if name in answers:
                _put(doc, name, True)
        return
    values = answers.get(q.name)
    if not values:
        return
    if q.kind == "multi":
        _put(doc, q.name, [parse(q, v) for v in values])
    elif q.name == RUNNING_NOW:
        _put(doc, q.name, values[0] == "yes")
    else:
        _put(doc, q.name, parse(q, values[0]))


def _put(doc: Document, path: str, value: Any) -> None:
    *parents, leaf = path.split(".")
    node = doc
    for part in parents:
        node = node.setdefault(part, {})
    node[leaf] = value


def _tidy_injury(doc: Document) -> None:
    history = doc.get("history", {})
    injury = history.get("injury")
    if injury is not None and injury.get("mechanism") in (None, NO_INJURY):
        del history["injury"]  # "no injury" is said by leaving the injury out


def _running_fact(running: Mapping[str, Any] | None, words: Words) -> str:
    if not running or not running.get("currently_running"):
        return words.say("intake.tell.not_running")
    pain = running.get("pain_during_run")
    km = running.get("weekly_km_before_pain")
    if pain is not None and km is not None:
        return words.say("intake.tell.running_pain_km", pain=pain, km=f"{km:g}")
    if pain is not None:
        return words.say("intake.tell.running_pain", pain=pain)
    if km is not None:
        return words.say("intake.tell.running_km", km=f"{km:g}")
    return words.say("intake.tell.running")
