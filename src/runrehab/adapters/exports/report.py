"""The progress report for the runner and their physiotherapist: HTML, and PDF from it.

The HTML is self-contained (its CSS inline, the charts inline as SVG, system fonts), so it can be
mailed, opened offline, or printed; WeasyPrint turns the same HTML into the PDF.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from runrehab.adapters.exports.charts import CHARTS
from runrehab.services.content import ProgrammeContent
from runrehab.services.progress.figures import (
    STATUS_RULES,
    DecisionRow,
    Progress,
    WeekSummary,
    action_words,
)
from runrehab.services.progress.sessions import SessionWords


def report_html(
    progress: Progress,
    summary: WeekSummary,
    content: ProgrammeContent,
    sessions: Sequence[dict[str, Any]] = (),
) -> str:
    """The report as one self-contained HTML page. ``summary`` is ``week_summary``'s answer
    for the week to feature; ``sessions`` (``coming_sessions``) adds the projected days."""
    template = _environment().get_template("report.html.j2")
    return template.render(**_context(progress, summary, content, sessions))


def _context(
    progress: Progress,
    summary: WeekSummary,
    content: ProgrammeContent,
    sessions: Sequence[dict[str, Any]],
) -> dict[str, Any]:
    noted = {d.day for d in progress.decisions if _noteworthy(d)}
    status = progress.programme.status
    words = content.words

    def say(key: str, **values: object) -> str:
        return words.say(f"progress.report.{key}", **values)

    return {
        "progress": progress,
        "programme": progress.programme,
        "triage": progress.triage,
        "who": progress.person_name or say("someone", id=progress.person_id[:8]),
        "protocol_name": content.catalogue.protocol.name,
        "status_words": say(f"status.{status}")
        if words.has(f"progress.report.status.{status}")
        else status,
        "goals": {p.number: p.goal for p in content.catalogue.protocol.phase},
        "summary": summary,
        "charts": [
            {
                "svg": _inline(chart(progress, "svg")),
                "caption": say(f"caption.{name}", mic=progress.kujala_mic)
                if name == "kujala"
                else say(f"caption.{name}"),
            }
            for name, chart in CHARTS.items()
        ],
        "mic": progress.kujala_mic,
        "missing_days": [f"{d.day:%d %b}" for d in progress.days if not d.checked_in],
        "decisions": _decision_groups(progress),
        "quiet_days": sum(1 for d in progress.days if d.checked_in and d.day not in noted),
        "sessions": [{**s, "title": SessionWords(content.words).title(s)} for s in sessions],
        "hold_days": None
        if progress.hold is None
        else (progress.through - date.fromisoformat(str(progress.hold["since"]))).days + 1,
    }


def report_pdf(html: str) -> bytes:
    """The report as PDF (A4), rendered by WeasyPrint from ``report_html``'s page."""
    from weasyprint import HTML  # type: ignore[import-untyped]  # slow to import: only here

    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("runrehab.adapters.exports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,  # a missing value is a bug, not an empty cell
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(day=_day, num=_num, words=_words)
    return env


def _day(value: date | str | None) -> str:
    """A date, or an ISO date from a document, as "02 Mar 2026"."""
    if value is None:
        return "—"
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day:%d %b %Y}"


def _num(value: float | None) -> Markup | str:
    if value is None:
        return Markup('<span class="missing">—</span>')
    return f"{value:g}"


def _words(value: str) -> str:
    return value.replace("_", " ").capitalize()


_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.DOTALL)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)


def _inline(svg: bytes) -> Markup:
    """An SVG file as an element of the page: without its XML prologue and its RDF metadata
    (which names web addresses the page never needs)."""
    text = _PROLOGUE.sub("", svg.decode("utf-8"), count=1)
    return Markup(_METADATA.sub("", text, count=1))


# --- decisions --------------------------------------------------------------------------------


def _noteworthy(d: DecisionRow) -> bool:
    return d.action != "continue" or bool(d.reasons)


def _decision_groups(progress: Progress) -> list[dict[str, Any]]:
    """The decisions worth a row, a run of identical days (a referred programme's daily
    reminder) folded into one row with its first and last day."""
    groups: list[dict[str, Any]] = []
    for d in progress.decisions:
        if not _noteworthy(d):
            continue
        key = (d.action, d.phase, d.colour, tuple(r["rule"] + r["detail"] for r in d.reasons))
        last = groups[-1] if groups else None
        repeat = any(r["rule"] in STATUS_RULES for r in d.reasons)
        if last and repeat and last["key"] == key and (d.day - last["last"]).days == 1:
            last["last"] = d.day
            continue
        groups.append(
            {
                "key": key,
                "first": d.day,
                "last": d.day,
                "words": action_words(progress.words, d.action).capitalize(),
                "colour": d.colour,
                "phase": d.phase,
                "phase_name": d.phase_name,
                "reasons": d.reasons,
            }
        )
    return groups
