"""Render docs/rules.md from the rules catalogue: every rule, its id, its source, and which way
the product went where the sources disagree. A test keeps the committed file current;
regenerate it with ``uv run python scripts/generate_rules_doc.py``."""

from __future__ import annotations

from runrehab.content.loader import Catalogue
from runrehab.content.schema import Rule
from runrehab.content.words import Words, shipped_words

AREAS = (
    "triage",
    "pathway",
    "readiness",
    "progression",
    "dose",
    "load",
    "session",
    "clinic",
    "content",
)


def render(catalogue: Catalogue, words: Words | None = None) -> str:
    """``docs/rules.md``, in ``words`` (the shipped words by default)."""
    words = shipped_words() if words is None else words

    def say(key: str, **values: object) -> str:
        return words.say(f"library.rules_doc.{key}", **values)

    rules = list(catalogue.rules.values())
    product = [r for r in rules if not r.id.startswith("s") or not r.id[1].isdigit()]
    articles = sorted((r for r in rules if r not in product), key=lambda r: int(r.articles[0][1:]))
    lines = [
        f"# {say('title')}",
        "",
        say("intro"),
        "",
        say("counts", product=len(product), articles=len(articles)),
        "",
        f"## {say('conflicts')}",
        "",
    ]
    lines += _conflicts(rules)
    for area in AREAS:
        chosen = [r for r in product if r.area == area]
        if chosen:
            lines += ["", f"## {say('area', area=area.capitalize())}", ""]
            lines += [block for r in chosen for block in _rule(r, catalogue, words)]
    lines += ["", f"## {say('articles')}", ""]
    lines += [block for r in articles for block in _rule(r, catalogue, words)]
    return "\n".join(lines).rstrip() + "\n"


def _conflicts(rules: list[Rule]) -> list[str]:
    by_conflict: dict[str, list[Rule]] = {}
    for rule in rules:
        for c in rule.conflicts:
            by_conflict.setdefault(c, []).append(rule)
    lines = []
    for c in sorted(by_conflict, key=lambda x: int(x[1:])):
        named = ", ".join(f"`{r.id}`" for r in by_conflict[c])
        lines.append(f"- **{c}**: {named}")
    return lines


def _rule(rule: Rule, catalogue: Catalogue, words: Words) -> list[str]:
    def say(key: str, **values: object) -> str:
        return words.say(f"library.rules_doc.{key}", **values)

    source = "; ".join(catalogue.sources[s].short for s in rule.sources)
    evidence = say(
        "evidence_unverified" if rule.unverified_numbers else "evidence",
        verdict=rule.verdict,
        stance=say(f"stance.{rule.stance}"),
    )
    fields = [
        ("source", source),
        ("digest", ", ".join(rule.digest)),
        ("article_rules", ", ".join(rule.articles)),
        ("disposition", rule.disposition or ""),
        ("evidence", evidence),
        ("conflicts_settled", ", ".join(rule.conflicts)),
        ("carried_out_by", ", ".join(f"`{i}`" for i in rule.implemented_by)),
        ("why", rule.why),
    ]
    listed = [f"- {say(f'field.{label}')}: {value}" for label, value in fields if value]
    return [f"### `{rule.id}` — {rule.title}", "", rule.text, "", *listed, ""]
