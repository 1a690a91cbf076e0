"""Use case: a dated projection of the whole programme from an intake assessment."""

from __future__ import annotations

from datetime import date
from typing import Any

from runrehab.content.loader import Catalogue, engine_load_settings
from runrehab.engine.assessment import Assessment
from runrehab.engine.outcomes import NO_OUTCOMES
from runrehab.engine.pathway import choose_pathway
from runrehab.engine.projection import project
from runrehab.engine.protocol import Protocol
from runrehab.engine.triage import triage
from runrehab.engine.values import Disposition, Reason
from runrehab.services.intake.triage import HEADLINES
from runrehab.services.journal.questionnaires import due_by_day
from runrehab.services.journal.session_view import session_view
from runrehab.services.reasons import ReasonBook

NOTICE = (
    "This is a projection, not a promise: it assumes every gate is passed on its earliest "
    "day. Your knee sets the real pace, and the daily check-in moves you on or holds you."
)


def plan_view(
    assessment: Assessment, start: date, weeks: int, protocol: Protocol, catalogue: Catalogue
) -> dict[str, Any]:
    book = ReasonBook(catalogue.rules, catalogue.sources)
    result = triage(assessment, protocol.triage)
    view: dict[str, Any] = {
        "schema_version": 1,
        "projection": True,
        "notice": NOTICE,
        "start": start.isoformat(),
        "weeks": weeks,
        "disposition": result.disposition.value,
        "programme_allowed": result.programme_allowed,
        "headline": HEADLINES[result.disposition],
        "reasons": book.describe_all(result.reasons),
        "ladder": ladder_view(protocol),
        "ladder_rule": book.describe(ladder_reason(protocol)),
        "pathway": None,
        "phases": [],
        "first_run": None,
        "days": [],
        "assumptions": [],
    }
    if result.disposition is not Disposition.SELF_MANAGE:
        return view
    choice = choose_pathway(assessment, protocol.settings)
    load, _ = engine_load_settings(catalogue.protocol)
    projected = project(assessment, choice, protocol, start, weeks, load)
    names = {p.number: p.name for p in catalogue.protocol.phase}
    days = len(projected.days)
    due = due_by_day(catalogue.questionnaires, protocol.settings, start, NO_OUTCOMES, start, days)
    view.update(
        pathway={"id": choice.pathway.value, "reasons": book.describe_all(choice.reasons)},
        phases=[
            {
                "number": s.phase,
                "name": names[s.phase],
                "start": s.start.isoformat(),
                "end": s.end.isoformat(),
            }
            for s in projected.phases
        ],
        first_run=None if projected.first_run is None else projected.first_run.isoformat(),
        days=[
            {
                "date": s.date.isoformat(),
                "phase": {"number": s.phase, "name": names[s.phase]},
                **session_view(s),
                "questionnaires": due.get(s.date.isoformat(), []),
            }
            for s in projected.days
        ],
        assumptions=list(projected.assumptions),
    )
    return view


def ladder_reason(protocol: Protocol) -> Reason:
    """Why the ladder's times are computed: the rungs whose printed total was wrong."""
    wrong = [
        f"rung {r.number}: {r.total_minutes} minutes, not the article's {r.article_total_minutes}"
        for r in protocol.rungs
        if r.article_total_minutes is not None and r.article_total_minutes != r.total_minutes
    ]
    return Reason("ladder-totals-computed", "; ".join(wrong))


def ladder_view(protocol: Protocol) -> list[dict[str, Any]]:
    """The walk/run ladder with computed totals, and where the article's own total was wrong."""
    rows = []
    for rung in protocol.rungs:
        row: dict[str, Any] = {
            "rung": rung.number,
            "run_minutes": rung.run_minutes,
            "walk_minutes": rung.walk_minutes,
            "repeats": rung.repeats,
            "total_minutes": rung.total_minutes,
            "optional": rung.optional,
        }
        if rung.article_total_minutes is not None:
            row["article_total_minutes"] = rung.article_total_minutes
            row["article_total_correct"] = rung.article_total_minutes == rung.total_minutes
        rows.append(row)
    return rows
