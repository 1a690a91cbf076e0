"""Use cases of the reference library: exercises, knowledge, FAQ, glossary, rules."""

from __future__ import annotations

from typing import Any

import msgspec

from runrehab.content.loader import Catalogue
from runrehab.content.schema import Exercise
from runrehab.engine.values import Reason
from runrehab.services.reasons import ReasonBook

AVOID_RULE = "avoid-list-temporary"


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


def library_view(catalogue: Catalogue) -> dict[str, Any]:
    phases = {p.number: p.name for p in catalogue.protocol.phase}
    rows = [
        {
            "id": e.id,
            "name": e.name,
            "category": e.category,
            "focus": e.focus,
            "equipment": e.equipment,
            "at_home": e.at_home,
            "phases": sorted({d.phase for d in e.doses}),
            "loaded": e.loaded,
        }
        for e in sorted(catalogue.exercises.values(), key=lambda e: e.id)
    ]
    avoid = [
        {
            "id": a.id,
            "name": a.name,
            "phases": a.avoid_in_phases,
            "why": a.why,
            "return_when": a.return_when,
            "alternatives": a.alternatives,
        }
        for a in catalogue.avoid
    ]
    rule = _book(catalogue).describe(Reason(AVOID_RULE))
    return {"exercises": rows, "avoid": avoid, "avoid_rule": rule, "phases": phases}


def _book(catalogue: Catalogue) -> ReasonBook:
    return ReasonBook(catalogue.rules, catalogue.sources)


def exercise_view(catalogue: Catalogue, query: str) -> dict[str, Any] | None:
    exercise = find_exercise(catalogue, query)
    if exercise is None:
        return None
    view: dict[str, Any] = msgspec.to_builtins(exercise)
    view["sources"] = [_source(catalogue, s) for s in exercise.sources]
    view["pain_guide"] = catalogue.protocol.exercise_pain_guide
    return view


def _source(catalogue: Catalogue, source_id: str) -> dict[str, str]:
    s = catalogue.sources[source_id]
    return {"id": s.id, "short": s.short, "title": s.title}


def knowledge_index(catalogue: Catalogue) -> dict[str, Any]:
    k = catalogue.knowledge
    return {
        "topics": [{"id": t.id, "title": t.title, "summary": t.summary} for t in k.topic],
        "faq": [{"id": f.id, "question": f.question} for f in k.faq],
        "glossary": [{"id": g.id, "term": g.term} for g in k.glossary],
    }


def knowledge_view(catalogue: Catalogue, query: str) -> dict[str, Any] | None:
    """A topic, an FAQ or a glossary term, found by id, title or alias."""
    wanted = _norm(query)
    k = catalogue.knowledge
    for topic in k.topic:
        if wanted in (_norm(topic.id), _norm(topic.title)):
            book = _book(catalogue)
            return {
                "kind": "topic",
                **msgspec.to_builtins(topic),
                "sources": _sources(catalogue, topic.sources),
                "rules": [book.describe(Reason(rule)) for rule in topic.rules],
            }
    for faq in k.faq:
        if wanted in (_norm(faq.id), _norm(faq.question)):
            return {
                "kind": "faq",
                **msgspec.to_builtins(faq),
                "sources": _sources(catalogue, faq.sources),
            }
    for term in k.glossary:
        if wanted in {_norm(x) for x in (term.id, term.term, *term.aliases)}:
            return {
                "kind": "glossary",
                **msgspec.to_builtins(term),
                "sources": _sources(catalogue, term.sources),
            }
    return None


def _sources(catalogue: Catalogue, ids: list[str]) -> list[dict[str, str]]:
    return [_source(catalogue, s) for s in ids]


def rules_view(catalogue: Catalogue, rule_id: str | None = None) -> dict[str, Any] | None:
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
    return {"rules": rows}
