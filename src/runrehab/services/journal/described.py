"""The parts of the journal's views that several views share: reasons in words
(``services.reasons.ReasonView``), a programme's phase, and a stored decision, each a frozen
dataclass that ``services.views.jsonable`` turns into the same JSON the documents have always
had."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from runrehab.engine.state import Action
from runrehab.engine.values import Colour, Disposition, Reason
from runrehab.services.content import ProgrammeContent
from runrehab.services.reasons import ReasonView
from runrehab.services.records import DecisionRecord


def described(content: ProgrammeContent, reasons: Iterable[Reason]) -> tuple[ReasonView, ...]:
    """``reasons`` in words, each (rule, detail) once, in their order."""
    return content.book.views(reasons)


def describe(content: ProgrammeContent, reason: Reason) -> ReasonView:
    return content.book.view(reason)


@dataclass(frozen=True, slots=True)
class PhaseView:
    number: int
    name: str


def phase_view(content: ProgrammeContent, number: int) -> PhaseView:
    return PhaseView(number, content.phase_name(number))


@dataclass(frozen=True, slots=True)
class RuleDetail:
    """A stored reason: the rule and the day's detail (``codec.reasons_to_json``)."""

    rule: str
    detail: str


@dataclass(frozen=True, slots=True)
class DecisionFacts:
    """What a day's decision was (``codec.decision_to_json`` without its reasons)."""

    date: date
    action: Action
    disposition: Disposition
    colour: Colour | None
    phase: int
    rung: int


@dataclass(frozen=True, slots=True)
class StoredDecision(DecisionFacts):
    """A decision as it is stored: its reasons by rule and detail."""

    reasons: tuple[RuleDetail, ...]


@dataclass(frozen=True, slots=True)
class DecisionView(DecisionFacts):
    """A decision with its reasons in words, as the history and a check-in's answer show it."""

    reasons: tuple[ReasonView, ...]


def stored_decision(d: DecisionRecord) -> StoredDecision:
    details = tuple(RuleDetail(r.rule, r.detail) for r in d.reasons)
    return StoredDecision(d.day, d.action, d.disposition, d.colour, d.phase, d.rung, details)


def decision_view(content: ProgrammeContent, d: DecisionRecord) -> DecisionView:
    reasons = described(content, d.reasons)
    return DecisionView(d.day, d.action, d.disposition, d.colour, d.phase, d.rung, reasons)
