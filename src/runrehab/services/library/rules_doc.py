"""Render docs/rules.md from the rules catalogue: every rule, its id, its source, and which way
the product went where the sources disagree. A test keeps the committed file current;
regenerate it with ``uv run python scripts/generate_rules_doc.py``."""

from __future__ import annotations

from runrehab.content.loader import Catalogue
from runrehab.content.schema import Rule

AREAS = ("triage", "pathway", "readiness", "progression", "dose", "load", "session", "content")
STANCE = {
    "follows": "follows",
    "adapts": "adapts",
    "replaces": "replaces",
    "rejects": "rejects",
    "adds": "adds (product rule)",
}


def render(catalogue: Catalogue) -> str:
    rules = list(catalogue.rules.values())
    product = [r for r in rules if not r.id.startswith("s") or not r.id[1].isdigit()]
    articles = sorted((r for r in rules if r not in product), key=lambda r: int(r.articles[0][1:]))
    lines = [
        "# RunRehab's clinical rules",
        "",
        "Generated from `src/runrehab/content/data/rules/` by `scripts/generate_rules_doc.py`;",
        "a test fails when this file and the data disagree. Every decision the product shows names",
        "one of these ids. Numbers marked **[M]** are unverified in the evidence digest: they are",
        "settings in `protocol.toml`, not constants.",
        "",
        f"{len(product)} product rules (the reconciled rules of the digest's section 14 and the",
        f"product's own) and {len(articles)} article rules (S1–S88 of the digest, each with what",
        "the product does with it).",
        "",
        "## Where the sources disagree",
        "",
    ]
    lines += _conflicts(rules)
    for area in AREAS:
        chosen = [r for r in product if r.area == area]
        if chosen:
            lines += ["", f"## {area.capitalize()} rules", ""]
            lines += [block for r in chosen for block in _rule(r, catalogue)]
    lines += ["", "## The articles' rules (S1–S88)", ""]
    lines += [block for r in articles for block in _rule(r, catalogue)]
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


def _rule(rule: Rule, catalogue: Catalogue) -> list[str]:
    source = "; ".join(catalogue.sources[s].short for s in rule.sources)
    evidence = f"{rule.verdict}; the product {STANCE[rule.stance]}" + (
        " · numbers unverified **[M]**" if rule.unverified_numbers else ""
    )
    fields = [
        ("Source", source),
        ("Digest", ", ".join(rule.digest)),
        ("Article rules", ", ".join(rule.articles)),
        ("Disposition", rule.disposition or ""),
        ("Evidence", evidence),
        ("Conflicts settled", ", ".join(rule.conflicts)),
        ("Carried out by", ", ".join(f"`{i}`" for i in rule.implemented_by)),
        ("Why", rule.why),
    ]
    listed = [f"- {label}: {value}" for label, value in fields if value]
    return [f"### `{rule.id}` — {rule.title}", "", rule.text, "", *listed, ""]
