"""Turn the engine's reasons into words: the rule's text and the citation of its sources."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from runrehab.content.schema import Rule, Source
from runrehab.content.words import Words
from runrehab.engine.values import Reason
from runrehab.services.details import detail_text


@dataclass(frozen=True, slots=True)
class ReasonView:
    """A reason as people read it: the rule's id, title and words, the citation of its
    sources, and the day's detail. Every view that shows a reason shows this one."""

    rule: str
    title: str
    text: str
    source: str
    detail: str


@dataclass(frozen=True, slots=True)
class ReasonBook:
    """The rules catalogue and the sources it cites, and the words a reason's facts are said
    in (``services.details``; None: the engine's English detail)."""

    rules: Mapping[str, Rule]
    sources: Mapping[str, Source]
    words: Words | None = None

    def detail(self, reason: Reason) -> str:
        """The reason's facts in the book's language."""
        if self.words is None:
            return reason.detail
        return detail_text(self.words, reason.detail, reason.said)

    def citation(self, rule: Rule) -> str:
        return "; ".join(self.sources[s].short for s in rule.sources)

    def describe(self, reason: Reason) -> dict[str, Any]:
        """``{"rule", "text", "source", "detail"}``; an unknown id is a bug the tests catch."""
        rule = self.rules[reason.rule]
        return {
            "rule": rule.id,
            "title": rule.title,
            "text": rule.text,
            "source": self.citation(rule),
            "detail": self.detail(reason),
        }

    def view(self, reason: Reason) -> ReasonView:
        """``reason`` in words (``describe``), as a view."""
        rule = self.rules[reason.rule]
        return ReasonView(rule.id, rule.title, rule.text, self.citation(rule), self.detail(reason))

    def views(self, reasons: Iterable[Reason]) -> tuple[ReasonView, ...]:
        """``reasons`` in words, each (rule, detail) once, in their order."""
        seen: set[tuple[str, str]] = set()
        found = []
        for reason in reasons:
            if (reason.rule, reason.detail) not in seen:
                seen.add((reason.rule, reason.detail))
                found.append(self.view(reason))
        return tuple(found)

    def describe_all(self, reasons: Iterable[Reason]) -> list[dict[str, Any]]:
        seen: set[tuple[str, str]] = set()
        described = []
        for reason in reasons:
            key = (reason.rule, reason.detail)
            if key not in seen:
                seen.add(key)
                described.append(self.describe(reason))
        return described
