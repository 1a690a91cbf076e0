"""Turn the engine's reasons into words: the rule's text and the citation of its sources."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from runrehab.content.schema import Rule, Source
from runrehab.engine.values import Reason


@dataclass(frozen=True, slots=True)
class ReasonBook:
    """The rules catalogue and the sources it cites."""

    rules: Mapping[str, Rule]
    sources: Mapping[str, Source]

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
            "detail": reason.detail,
        }

    def describe_all(self, reasons: Iterable[Reason]) -> list[dict[str, Any]]:
        seen: set[tuple[str, str]] = set()
        described = []
        for reason in reasons:
            key = (reason.rule, reason.detail)
            if key not in seen:
                seen.add(key)
                described.append(self.describe(reason))
        return described
