"""Use case: a dated projection of the whole programme from an intake assessment.

The answer is a ``PlanView``; ``jsonable`` makes it the document of ``runrehab plan --json``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Required, TypedDict

from runrehab.content.loader import Catalogue, engine_load_settings
from runrehab.content.words import Words, shipped_words
from runrehab.engine.assessment import Assessment
from runrehab.engine.outcomes import NO_OUTCOMES
from runrehab.engine.pathway import choose_pathway
from runrehab.engine.projection import Projection, project
from runrehab.engine.protocol import Protocol
from runrehab.engine.triage import triage
from runrehab.engine.values import Disposition, Reason
from runrehab.services.intake.triage import headline, reason_of, reasons_of
from runrehab.services.journal.questionnaires import due_by_day
from runrehab.services.journal.session_view import SessionDoc, session_view
from runrehab.services.reasons import ReasonBook, ReasonView
from runrehab.services.views import jsonable

SCHEMA_VERSION = 1
LadderRow = dict[str, int | bool]
"""A rung of the walk/run ladder; the article's total only where the article gave one."""


class PhaseDoc(TypedDict):
    number: int
    name: str


class PlanDay(SessionDoc, total=False):
    """A projected day: its date and phase, the day's session as ``session_view`` shows it
    (its keys side by side with the date's), and the questionnaires falling due."""

    date: Required[str]
    phase: Required[PhaseDoc]
    questionnaires: Required[list[dict[str, str]]]


@dataclass(frozen=True, slots=True)
class PlanPathway:
    id: str
    reasons: tuple[ReasonView, ...]


@dataclass(frozen=True, slots=True)
class PhaseDates:
    """A phase at the earliest: from the day it could start to the day before the next."""

    number: int
    name: str
    start: date
    end: date


@dataclass(frozen=True, slots=True)
class PlanView:
    """The programme projected from an assessment, as if every gate were passed on time; for
    anything but self-management, only the triage's answer and nothing projected."""

    schema_version: int
    projection: bool
    notice: str
    start: date
    weeks: int
    disposition: Disposition
    programme_allowed: bool
    headline: str
    reasons: tuple[ReasonView, ...]
    ladder: tuple[LadderRow, ...]
    ladder_rule: ReasonView
    pathway: PlanPathway | None
    phases: tuple[PhaseDates, ...]
    first_run: date | None
    days: tuple[PlanDay, ...]
    assumptions: tuple[str, ...]

    @property
    def first_week(self) -> tuple[PlanDay, ...]:
        return self.days[:7]


def plan_projection(
    assessment: Assessment,
    start: date,
    weeks: int,
    protocol: Protocol,
    catalogue: Catalogue,
    words: Words,
) -> PlanView:
    book = ReasonBook(catalogue.rules, catalogue.sources, words)
    result = triage(assessment, protocol.triage)
    plan = PlanView(
        schema_version=SCHEMA_VERSION,
        projection=True,
        notice=words.say("intake.plan.notice"),
        start=start,
        weeks=weeks,
        disposition=result.disposition,
        programme_allowed=result.programme_allowed,
        headline=headline(words, result.disposition),
        reasons=reasons_of(book, result.reasons),
        ladder=tuple(ladder_view(protocol)),
        ladder_rule=reason_of(book, ladder_reason(protocol, words)),
        pathway=None,
        phases=(),
        first_run=None,
        days=(),
        assumptions=(),
    )
    if result.disposition is not Disposition.SELF_MANAGE:
        return plan
    return _projected(plan, assessment, protocol, catalogue, book, words)


def _projected(
    plan: PlanView,
    assessment: Assessment,
    protocol: Protocol,
    catalogue: Catalogue,
    book: ReasonBook,
    words: Words,
) -> PlanView:
    choice = choose_pathway(assessment, protocol.settings)
    load, _ = engine_load_settings(catalogue.protocol)
    projected = project(assessment, choice, protocol, plan.start, plan.weeks, load)
    names = {p.number: p.name for p in catalogue.protocol.phase}
    return replace(
        plan,
        pathway=PlanPathway(choice.pathway.value, reasons_of(book, choice.reasons)),
        phases=tuple(PhaseDates(s.phase, names[s.phase], s.start, s.end) for s in projected.phases),
        first_run=projected.first_run,
        days=_days(projected, plan.start, protocol, catalogue, names, words),
        assumptions=tuple(projected.assumptions),
    )


def _days(
    projected: Projection,
    start: date,
    protocol: Protocol,
    catalogue: Catalogue,
    names: dict[int, str],
    words: Words,
) -> tuple[PlanDay, ...]:
    count = len(projected.days)
    settings = protocol.settings
    due = due_by_day(catalogue.questionnaires, settings, start, NO_OUTCOMES, start, count)
    return tuple(
        {
            "date": s.date.isoformat(),
            "phase": {"number": s.phase, "name": names[s.phase]},
            **session_view(s, words),
            "questionnaires": due.get(s.date.isoformat(), []),
        }
        for s in projected.days
    )


def ladder_reason(protocol: Protocol, words: Words | None = None) -> Reason:
    """Why the ladder's times are computed: the rungs whose printed total was wrong (in the
    shipped words when none are given)."""
    words = words or shipped_words()
    wrong = [
        words.say(
            "intake.plan.ladder_wrong",
            rung=r.number,
            total=r.total_minutes,
            article=r.article_total_minutes,
        )
        for r in protocol.rungs
        if r.article_total_minutes is not None and r.article_total_minutes != r.total_minutes
    ]
    return Reason("ladder-totals-computed", "; ".join(wrong))


def ladder_view(protocol: Protocol) -> list[LadderRow]:
    """The walk/run ladder with computed totals, and where the article's own total was wrong."""
    rows = []
    for rung in protocol.rungs:
        row: LadderRow = {
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


def plan_view(
    assessment: Assessment, start: date, weeks: int, protocol: Protocol, catalogue: Catalogue
) -> dict[str, Any]:
    """The projection as its JSON document, in the shipped words (for callers that read the
    document; ``plan_projection`` gives the typed view)."""
    document: dict[str, Any] = jsonable(
        plan_projection(assessment, start, weeks, protocol, catalogue, shipped_words())
    )
    return document
