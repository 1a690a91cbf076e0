"""The traceability table: for each article rule S1–S88 of the evidence digest, what RunRehab
did with it (used, replaced or rejected, and why), the product rules that carry it out, and the
fast tests that make each of those rules fire.

The tests are read from their ``@pytest.mark.fires`` markers (``tests/traceability_plugin.py``,
which also checks, as each test runs, that the rule really fired) into the packaged
``content/data/traceability.toml``; ``docs/traceability.md`` and the library page
``/library/traceability`` are rendered from it and the rules catalogue. A test keeps both files
current; regenerate them with ``uv run python scripts/generate_traceability.py``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from runrehab.content.loader import Catalogue
from runrehab.content.schema import Rule
from runrehab.content.words import Words, shipped_words

STANCES = {"follows": "used", "adapts": "used", "replaces": "replaced", "rejects": "rejected"}
"""An article rule's stance as the table shows it: followed or adapted rules are used."""
SHOWN = ("used", "replaced", "rejected")


def is_article_rule(rule: Rule) -> bool:
    """An entry of articles.toml: ``s<number>-…`` with its S-number."""
    return bool(re.fullmatch(r"s\d+-.*", rule.id)) and bool(rule.articles)


def article_rules(catalogue: Catalogue) -> list[Rule]:
    """S1–S88 in order."""
    found = [r for r in catalogue.rules.values() if is_article_rule(r)]
    return sorted(found, key=lambda r: int(r.articles[0][1:]))


def traceability_view(
    catalogue: Catalogue, firing: Mapping[str, Sequence[str]] | None = None
) -> dict[str, Any]:
    """Rows of the table and its counts; ``firing`` defaults to the packaged data."""
    tests = catalogue.firing_tests if firing is None else firing
    rows: list[dict[str, Any]] = []
    first: dict[str, str] = {}  # product rule -> the article rule its tests are first listed at
    for rule in article_rules(catalogue):
        carried = [catalogue.rules[i] for i in rule.implemented_by]
        for r in carried:
            first.setdefault(r.id, rule.articles[0])
        rows.append(
            {
                "article": rule.articles[0],
                "id": rule.id,
                "title": rule.title,
                "verdict": rule.verdict,
                "stance": STANCES[rule.stance],
                "stance_detail": rule.stance,
                "why": rule.why or rule.text,
                "rules": [
                    {
                        "id": r.id,
                        "title": r.title,
                        "tests": list(tests.get(r.id, ())),
                        "first_listed": first[r.id],
                    }
                    for r in carried
                ],
            }
        )
    implementing = {r["id"] for row in rows for r in row["rules"]}
    return {
        "rows": rows,
        "counts": {s: sum(row["stance"] == s for row in rows) for s in SHOWN},
        "product_rules": len(implementing),
        "product_rules_with_tests": sum(bool(tests.get(i)) for i in implementing),
        "tests": len({t for i in implementing for t in tests.get(i, ())}),
    }


def summary(view: Mapping[str, Any], words: Words) -> str:
    """The table's counts in a sentence (the page's and the doc's)."""
    counts = view["counts"]
    return words.say(
        "library.traceability_doc.summary",
        rows=len(view["rows"]),
        used=counts["used"],
        replaced=counts["replaced"],
        rejected=counts["rejected"],
        product=view["product_rules"],
        with_tests=view["product_rules_with_tests"],
        tests=view["tests"],
    )


def render(
    catalogue: Catalogue,
    firing: Mapping[str, Sequence[str]] | None = None,
    words: Words | None = None,
) -> str:
    """``docs/traceability.md``, in ``words`` (the shipped words by default)."""
    words = shipped_words() if words is None else words

    def say(key: str, **values: object) -> str:
        return words.say(f"library.traceability_doc.{key}", **values)

    view = traceability_view(catalogue, firing)
    lines = [f"# {say('title')}", "", say("intro"), "", summary(view, words)]
    anchors = {r.id: _anchor(f"`{r.id}` — {r.title}") for r in catalogue.rules.values()}
    for row in view["rows"]:
        lines += [
            "",
            f"## {row['article']} — {row['title']}",
            "",
            say("article_rule", link=f"[`{row['id']}`](rules.md#{anchors[row['id']]})"),
            say("verdict", verdict=row["verdict"]),
            say("stance", stance=row["stance"], detail=row["stance_detail"], why=row["why"]),
        ]
        if not row["rules"]:
            lines.append(say("no_product_rules"))
            continue
        lines.append(say("product_rules"))
        for rule in row["rules"]:
            link = f"[`{rule['id']}`](rules.md#{anchors[rule['id']]})"
            lines.append(say("product_rule", link=link, title=rule["title"]))
            lines += [f"    - `{test}`" for test in rule["tests"]] or [say("no_test")]
    return "\n".join(lines) + "\n"


def _anchor(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def render_data(firing: Mapping[str, Sequence[str]], words: Words | None = None) -> str:
    """``content/data/traceability.toml`` (decoded by ``schema.TraceabilityFile``)."""
    words = shipped_words() if words is None else words
    header = words.say("library.traceability_doc.data_header")
    lines = [f"# {line}" for line in header.splitlines()]
    for rule in sorted(firing):
        lines += ["", "[[firing]]", f"rule = {_string(rule)}", "tests = ["]
        lines += [f"    {_string(test)}," for test in sorted(firing[rule])]
        lines.append("]")
    return "\n".join(lines) + "\n"


def _string(text: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's."""
    return json.dumps(text, ensure_ascii=False)
