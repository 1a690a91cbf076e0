"""The knee check's questions as content (``data/intake.toml``): their strict schema, loading
and the checks that tie the questions together.

The file holds the steps of the intake assessment as the web wizard asks them, every question
with its words, kind, bounds and options, and the blocks of questions that only apply after an
earlier answer. It is decoded as strictly as the other data files (an unknown key, a missing
field or a wrong type names the file and the place), its texts rendered from the protocol's
settings, and then checked: unique steps and answers, options where a kind has them and only
there, bounds where a number needs them, blocks that name an earlier choice and its options,
and the warning-sign steps first. Whether each answer is a field of the assessment contract is
checked by ``tests/unit/content/test_intake_questions.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from msgspec import Meta, field

from runrehab.content import locale
from runrehab.content.loader import DATA, decode, placeholder_values
from runrehab.content.schema import Id, Strict, Text
from runrehab.errors import ContentError

FILE = "intake.toml"
MAX_OPTIONS = 12
"""No question offers more options than this (a form sending more values is cut short)."""

Kind = Literal["int", "number", "scale", "choice", "multi", "flags", "date"]
WITH_OPTIONS: frozenset[str] = frozenset({"choice", "multi", "flags"})
WITH_BOUNDS: frozenset[str] = frozenset({"int", "number"})

AnswerPath = Annotated[str, Meta(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$", max_length=80)]
"""A field of the assessment contract, as a dotted path (``history.injury.mechanism``)."""
QuestionName = Annotated[
    str, Meta(pattern=r"^([a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*|[a-z0-9]+(-[a-z0-9]+)*)$")
]
"""An answer's path, or the name of a group of tick boxes (``signs-now``)."""
OptionValue = Annotated[str, Meta(pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)*$", max_length=80)]
"""A choice's value (``twisting``), or the path a tick box answers (``signs.hot``)."""


class Option(Strict, frozen=True, kw_only=True):
    value: OptionValue
    label: Text


class Question(Strict, frozen=True, kw_only=True):
    """One question: ``name`` is the form field and the contract path of its answer; for
    ``flags`` (tick any that apply) it only names the group, and each option's value is the
    path of its true-or-false answer."""

    name: QuestionName
    kind: Kind
    label: Text
    hint: str = ""
    options: tuple[Option, ...] = ()
    required: bool = False
    low: float | None = None
    high: float | None = None
    above_low: bool = False
    """The lowest allowed value is ``low`` itself (false) or anything above it (true)."""
    unit: str = ""
    block: Id | None = None
    """The block this question belongs to: it only applies after an earlier answer."""


class Step(Strict, frozen=True, kw_only=True):
    key: Id
    title: Text
    intro: Text
    warning_signs: bool = False
    """A step of red-flag questions: a red flag found on it stops the intake at once."""
    question: Annotated[list[Question], Meta(min_length=1)]


class Block(Strict, frozen=True, kw_only=True):
    """Questions that apply once the choice ``when`` is answered with one of ``values``."""

    when: AnswerPath
    values: Annotated[list[OptionValue], Meta(min_length=1)]


class IntakeFile(Strict, frozen=True, kw_only=True):
    block: dict[Id, Block] = field(default_factory=dict)
    step: Annotated[list[Step], Meta(min_length=1)]


def load_intake(data: Path = DATA, values: Mapping[str, str] | None = None) -> IntakeFile:
    """``data/intake.toml``, decoded strictly, its texts rendered from the settings, checked."""
    values = values if values is not None else placeholder_values(data)
    path = data / FILE
    intake = decode(path, IntakeFile, values)
    for place, problem in _problems(intake):
        raise ContentError(_name(path), place, problem)
    return intake


def _name(path: Path) -> str:
    """The file as a content error names it (as ``loader`` does)."""
    try:
        return str(path.relative_to(DATA.parent))
    except ValueError:
        return str(path)


def require_asked(intake: IntakeFile, names: Iterable[str]) -> None:
    """A ``ContentError`` unless every question of ``names`` is asked: the code that reads the
    answers names these."""
    asked = {q.name for step in intake.step for q in step.question}
    for name in names:
        if name not in asked:
            raise ContentError(_name(DATA / FILE), "$.step", f"the code reads {name!r}: ask it")


def shipped_intake(language: str | None = None) -> IntakeFile:
    """The knee check shipped with RunRehab in ``language`` (default: the current one,
    ``content.locale``), loaded once per process and language."""
    return _shipped_intake(language or locale.current())


@cache
def _shipped_intake(language: str) -> IntakeFile:
    return load_intake(locale.data_folder(language))


# --- the checks -----------------------------------------------------------------------------


def _problems(intake: IntakeFile) -> Iterator[tuple[str, str]]:
    """(place, problem) of what the schema alone cannot say; the first one is reported."""
    yield from _order(intake)
    seen_steps: set[str] = set()
    seen_names: set[str] = set()
    choices: dict[str, Question] = {}
    for i, step in enumerate(intake.step):
        if step.key in seen_steps:
            yield f"$.step[{i}].key", f"duplicate step {step.key!r}"
        seen_steps.add(step.key)
        for j, question in enumerate(step.question):
            at = f"$.step[{i}].question[{j}]"
            yield from _question(question, at)
            for name in (question.name, *_answers(question)):
                if name in seen_names:
                    yield at, f"{name!r} is asked twice"
                seen_names.add(name)
            if question.block is not None:
                yield from _block(intake, question.block, choices, f"{at}.block")
            if question.kind == "choice":
                choices[question.name] = question


def _order(intake: IntakeFile) -> Iterator[tuple[str, str]]:
    """The warning-sign steps come first: a red flag must stop the intake before anything
    else is asked."""
    kinds = [step.warning_signs for step in intake.step]
    if not kinds[0] or kinds != sorted(kinds, reverse=True):
        yield "$.step", "the warning-sign steps come first, before every other step"


def _answers(question: Question) -> list[str]:
    """The answer paths a ``flags`` question stands for (its options)."""
    return [o.value for o in question.options] if question.kind == "flags" else []


def _question(question: Question, at: str) -> Iterator[tuple[str, str]]:
    kind = question.kind
    values = [o.value for o in question.options]
    if kind in WITH_OPTIONS and not values:
        yield f"{at}.options", f"a {kind} question needs options"
    if kind not in WITH_OPTIONS and values:
        yield f"{at}.options", f"a {kind} question has no options"
    if kind == "choice" and len(values) < 2:
        yield f"{at}.options", "a choice needs at least two options"
    if len(values) > MAX_OPTIONS:
        yield f"{at}.options", f"at most {MAX_OPTIONS} options"
    if len(set(values)) != len(values):
        yield f"{at}.options", "an option's value is given twice"
    if kind == "flags" and any("." not in v for v in values):
        yield f"{at}.options", "a tick box's value is the path of its answer (signs.hot)"
    yield from _bounds(question, at)


def _bounds(question: Question, at: str) -> Iterator[tuple[str, str]]:
    low, high = question.low, question.high
    if question.kind not in WITH_BOUNDS:
        if low is not None or high is not None or question.above_low or question.unit:
            yield at, f"a {question.kind} question has no low, high, above_low or unit"
        return
    if low is None or high is None or low >= high:
        yield at, "a number question needs low < high"
    elif question.kind == "int" and not (low.is_integer() and high.is_integer()):
        yield at, "a whole number's bounds are whole numbers"
    if question.kind == "int" and question.above_low:
        yield f"{at}.above_low", "a whole number starts at low itself"


def _block(
    intake: IntakeFile, block_id: str, choices: Mapping[str, Question], at: str
) -> Iterator[tuple[str, str]]:
    block = intake.block.get(block_id)
    if block is None:
        yield at, f"unknown block {block_id!r}"
        return
    asked = choices.get(block.when)
    if asked is None:
        yield at, f"block {block_id!r} waits for {block.when!r}, not a choice asked before it"
        return
    options = {o.value for o in asked.options}
    if not set(block.values) <= options:
        yield at, f"block {block_id!r} waits for values {block.when!r} does not offer"
