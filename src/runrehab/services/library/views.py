"""Use cases of the reference library: exercises, knowledge, FAQ, glossary, rules.

The library is the content itself: an exercise, a guide, a question or a rule is answered as
the content's own record (``exercise_view``, ``knowledge_view``, ``rules_view``: the documents
of the API and ``runrehab exercises/explain/rules --json``), with its sources named. The lists
(``library_view``, ``knowledge_index``) are views of their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgspec

from runrehab.content.loader import Catalogue
from runrehab.content.schema import Exercise
from runrehab.engine.values import Reason
from runrehab.services.reasons import ReasonBook, ReasonView

AVOID_RULE = "avoid-list-temporary"


@dataclass(frozen=True, slots=True)
class SourceRef:
    """A source as the library names it."""

    id: str
    short: str
    title: str


@dataclass(frozen=True, slots=True)
class ExerciseRow:
    id: str
    name: str
    category: str
    focus: str
    equipment: tuple[str, ...]
    at_home: tuple[str, ...]
    phases: tuple[int, ...]
    """The phases whose doses name it."""
    loaded: bool


@dataclass(frozen=True, slots=True)
class AvoidRow:
    """What to leave out for now, why, when it comes back, and what to do instead."""

    id: str
    name: str
    phases: tuple[int, ...]
    why: str
    return_when: str
    alternatives: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LibraryView:
    """Every exercise with its phases, and what to leave out for now with its rule."""

    exercises: tuple[ExerciseRow, ...]
    avoid: tuple[AvoidRow, ...]
    avoid_rule: ReasonView
    """The rule that says the list is for now."""
    phases: dict[int, str]
    """Each phase's name, by number."""


@dataclass(frozen=True, slots=True)
class TopicRow:
    id: str
    title: str
    summary: str


@dataclass(frozen=True, slots=True)
class QuestionRow:
    id: str
    question: str


@dataclass(frozen=True, slots=True)
class TermRow:
    id: str
    term: str


@dataclass(frozen=True, slots=True)
class KnowledgeIndex:
    """The guides, the questions and the glossary's terms."""

    topics: tuple[TopicRow, ...]
    faq: tuple[QuestionRow, ...]
    glossary: tuple[TermRow, ...]


@dataclass(frozen=True, slots=True)
class RulesView:
    rules: tuple[dict[str, Any], ...]
    """Each rule as the content holds it, with ``source``: its sources, cited."""


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("-", " ").replace("’", "'").split())


def _key(text: str) -> str:
    """Words without case, hyphens or a plural "s": "Step-ups" and "step-up" match."""
    return " ".join(w[:-1] if w.endswith("s") and len(w) > 2 else w for w in _norm(text).split())


def find_exercise(catalogue: Catalogue, query: str) -> Exercise | None:
    """By id, name or alias, ignoring case, hyphens and plurals."""
    wanted = _key(query)
    for exercise in catalogue.exercises.values():
        if any(_key(n) == wanted for n in (exercise.id, exercise.name, *exercise.aliases)):
            return exercise
    return None


def library_view(catalogue: Catalogue) -> LibraryView:
    rows = tuple(
        ExerciseRow(
            e.id,
            e.name,
            e.category,
            e.focus,
            tuple(e.equipment),
            tuple(e.at_home),
            tuple(sorted({d.phase for d in e.doses})),
            e.loaded,
        )
        for e in sorted(catalogue.exercises.values(), key=lambda e: e.id)
    )
    avoid = tuple(
        AvoidRow(
            a.id, a.name, tuple(a.avoid_in_phases), a.why, a.return_when, tuple(a.alternatives)
        )
        for a in catalogue.avoid
    )
    rule = ReasonView(**_book(catalogue).describe(Reason(AVOID_RULE)))
    phases = {p.number: p.name for p in catalogue.protocol.phase}
    return LibraryView(rows, avoid, rule, phases)


def _book(catalogue: Catalogue) -> ReasonBook:
    return ReasonBook(catalogue.rules, catalogue.sources)


def exercise_view(catalogue: Catalogue, query: str) -> dict[str, Any] | None:
    """An exercise in full, found by id, name or alias (``find_exercise``), as the content
    holds it, with its sources named and the pain guide every exercise keeps to."""
    exercise = find_exercise(catalogue, query)
    if exercise is None:
        return None
    view: dict[str, Any] = msgspec.to_builtins(exercise)
    view["sources"] = source_docs(catalogue, exercise.sources)
    view["pain_guide"] = catalogue.protocol.exercise_pain_guide
    return view


def sources_of(catalogue: Catalogue, ids: list[str]) -> tuple[SourceRef, ...]:
    found = (catalogue.sources[i] for i in ids)
    return tuple(SourceRef(s.id, s.short, s.title) for s in found)


def source_docs(catalogue: Catalogue, ids: list[str]) -> list[dict[str, str]]:
    """The sources of a content document, as its JSON names them."""
    return [{"id": s.id, "short": s.short, "title": s.title} for s in sources_of(catalogue, ids)]


def knowledge_index(catalogue: Catalogue) -> KnowledgeIndex:
    k = catalogue.knowledge
    return KnowledgeIndex(
        tuple(TopicRow(t.id, t.title, t.summary) for t in k.topic),
        tuple(QuestionRow(f.id, f.question) for f in k.faq),
        tuple(TermRow(g.id, g.term) for g in k.glossary),
    )


def knowledge_view(catalogue: Catalogue, query: str) -> dict[str, Any] | None:
    """A topic, an FAQ or a glossary term, found by id, title or alias, as the content holds
    it (``kind`` says which), with its sources named and a topic's rules in words."""
    wanted = _norm(query)
    k = catalogue.knowledge
    for topic in k.topic:
        if wanted in (_norm(topic.id), _norm(topic.title)):
            book = _book(catalogue)
            return {
                "kind": "topic",
                **msgspec.to_builtins(topic),
                "sources": source_docs(catalogue, topic.sources),
                "rules": [book.describe(Reason(rule)) for rule in topic.rules],
            }
    for faq in k.faq:
        if wanted in (_norm(faq.id), _norm(faq.question)):
            return {
                "kind": "faq",
                **msgspec.to_builtins(faq),
                "sources": source_docs(catalogue, faq.sources),
            }
    for term in k.glossary:
        if wanted in {_norm(x) for x in (term.id, term.term, *term.aliases)}:
            return {
                "kind": "glossary",
                **msgspec.to_builtins(term),
                "sources": source_docs(catalogue, term.sources),
            }
    return None


def rules_view(catalogue: Catalogue, rule_id: str | None = None) -> RulesView | None:
    """Every rule, or the one ``rule_id`` (None when there is no such rule)."""
    rules = list(catalogue.rules.values())
    if rule_id is not None:
        rules = [r for r in rules if r.id == rule_id]
        if not rules:
            return None
    rows = []
    for rule in rules:
        row: dict[str, Any] = msgspec.to_builtins(rule)
        row["source"] = "; ".join(catalogue.sources[s].short for s in rule.sources)
        rows.append(row)
    return RulesView(tuple(rows))
