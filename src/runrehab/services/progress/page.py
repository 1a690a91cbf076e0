"""The progress room's use cases: the page (the week in words, the charts with their texts, the
decisions so far) and the week in words on its own (the API's summary).

A week is asked for by any of its days; only the weeks of the programme so far may be asked
for, and a bad one is refused the same way on the page and in the API (``BadWeek``). Nothing
is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date, timedelta
from typing import Any

from runrehab.content import locale
from runrehab.content.words import Words
from runrehab.errors import JournalError, RunRehabError
from runrehab.services.activities.load_view import load_view
from runrehab.services.content import ProgrammeContent
from runrehab.services.journal.described import described
from runrehab.services.journal.programme import resolve_person
from runrehab.services.ports import Repository, UnitOfWork
from runrehab.services.progress.chart_series import ChartSeries, progress_series
from runrehab.services.progress.figures import (
    STATUS_RULES,
    Progress,
    WeekSummary,
    monday_of,
    progress_data,
    week_summary,
)
from runrehab.services.progress.headline import Headline, headline
from runrehab.services.progress.revision import journal_revision
from runrehab.services.reasons import ReasonView
from runrehab.services.views import jsonable

CHART_NAMES = ("pain", "adherence", "running", "kujala", "load")
"""The progress charts: drawn from the progress (the first four) or from the running load."""
LOAD_WEEKS = 12
DECISIONS_SHOWN = 15  # the newest; the report and the export hold every one
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class BadWeek(RunRehabError, ValueError):
    """The week asked for is not a date, or not a week of the programme so far; the message
    says which weeks may be asked for (the web answers 400 about the ``week`` field)."""


# --- the views ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WeekPage(WeekSummary):
    """The week in words with the weeks before and after it that may be asked for."""

    previous_week: date | None
    next_week: date | None


@dataclass(frozen=True, slots=True)
class ChartShown:
    name: str
    text: str
    """What the chart shows and which way it goes: its text alternative."""
    series: ChartSeries | None = None
    """The chart's figures and words, to draw it."""


@dataclass(frozen=True, slots=True)
class DecisionShown:
    """A decision worth reading in the runner's history, with its reasons in words."""

    day: date
    words: str
    phase: int
    rung: int
    reasons: tuple[ReasonView, ...]


@dataclass(frozen=True, slots=True)
class ProgressPage:
    """The progress page; ``progress`` is None for a runner without a programme yet, who still
    has their data to download and their account to delete."""

    progress: Progress | None
    checked_in: bool = False
    week: WeekPage | None = None
    charts: tuple[ChartShown, ...] = ()
    decisions: tuple[DecisionShown, ...] = ()
    headline: Headline | None = None
    """The picture at the top: pain's way, the phase, the streak."""
    revision: str = ""
    """The journal's revision (``journal_revision``): what a drawing of it is kept by."""


# --- the use cases ------------------------------------------------------------------------------


def progress_page(
    uow: UnitOfWork,
    content: ProgrammeContent,
    person_id: str,
    today: date,
    week: str | None,
    unit: str = "km",
) -> ProgressPage:
    """The page of ``today``, showing the week of ``week`` (any of its days; this week when
    None or empty), distances in ``unit``; ``BadWeek`` for a week that may not be asked
    for."""
    revision = journal_revision(uow, person_id, today)
    with uow:
        if not uow.repo.programmes(person_id):
            return ProgressPage(None)
        progress = progress_data(uow.repo, content, person_id, today)
        shown = week_page(progress, week, blank=True)
        decisions = _decisions(uow.repo, content, person_id, DECISIONS_SHOWN)
    load = jsonable(load_view(uow, content, today, LOAD_WEEKS, person_id))
    texts = chart_texts(progress) | {"load": load_text(content.words, load)}
    series = progress_series(progress, load, unit)
    phases = [(p.number, p.name) for p in content.protocol.phases]
    return ProgressPage(
        progress,
        any(d.checked_in for d in progress.days),
        shown,
        tuple(ChartShown(name, texts[name], series[name]) for name in CHART_NAMES),
        decisions,
        headline(progress, phases),
        revision,
    )


def week_in_words(
    uow: UnitOfWork, content: ProgrammeContent, person_id: str, today: date, week: str | None
) -> WeekPage:
    """The week of ``week`` (this week when None) through ``today``, with the weeks before
    and after it; ``BadWeek`` for a week that may not be asked for, a JournalError without a
    programme."""
    with uow:
        progress = progress_through(uow.repo, content, person_id, today)
    return week_page(progress, week, blank=False)


def week_through(
    uow: UnitOfWork, content: ProgrammeContent, person_id: str | None, day: date
) -> WeekSummary:
    """The week of ``day``, as reported through ``day`` (``runrehab summary``)."""
    with uow:
        progress = progress_through(uow.repo, content, person_id, day)
    return week_summary(progress, day)


def progress_through(
    repo: Repository, content: ProgrammeContent, person_id: str | None, day: date
) -> Progress:
    """The progress through ``day`` of the runner (None: the journal's only one); a
    JournalError (409) without a programme, ``BeforeProgramme`` for a day before it."""
    person = require_programme(repo, content, person_id)
    return progress_data(repo, content, person, day)


def require_programme(repo: Repository, content: ProgrammeContent, person_id: str | None) -> str:
    """The runner's id (None: the journal's only one), when they have had a programme; else
    a JournalError (409: not the pages' way to the knee check, since the page of a runner
    without a programme still has their data to download)."""
    person = resolve_person(repo, person_id).id
    if not repo.programmes(person):
        raise JournalError(content.words.say("journal.day.no_programme"))
    return person


# --- the week -----------------------------------------------------------------------------------


def week_page(progress: Progress, text: str | None, blank: bool) -> WeekPage:
    """The week asked for, with the weeks before and after it; ``blank``: an empty ``text``
    (a page's empty field) is this week too."""
    week = _week(progress, text, blank)
    summary = week_summary(progress, week)
    first, this = monday_of(progress.programme.started_on), monday_of(progress.through)
    return WeekPage(
        **{f.name: getattr(summary, f.name) for f in fields(WeekSummary)},
        previous_week=week - timedelta(days=7) if week > first else None,
        next_week=week + timedelta(days=7) if week < this else None,
    )


def _week(progress: Progress, text: str | None, blank: bool) -> date:
    """The Monday of the week asked for, between the programme's first week and this one."""
    words = progress.words
    if text is None or (blank and text == ""):
        return monday_of(progress.through)
    day = _iso_day(text)
    if day is None:
        raise BadWeek(words.say("progress.bad_week.not_a_date", text=repr(text)))
    first, last = monday_of(progress.programme.started_on), monday_of(progress.through)
    if not first <= monday_of(day) <= last:
        raise BadWeek(
            words.say(
                "progress.bad_week.out_of_range",
                first=locale.day_text(first, True),
                last=locale.day_text(last, True),
            )
        )
    return monday_of(day)


def _iso_day(text: str) -> date | None:
    """``text`` as a day when it is written ``YYYY-MM-DD`` (spaces around forgiven) and is
    one, else None: as the web reads a day (``web.query.iso_day``)."""
    cleaned = text.strip()
    if not _ISO_DAY.fullmatch(cleaned):
        return None
    try:
        return date.fromisoformat(cleaned)
    except ValueError:  # 2026-02-30
        return None


# --- the decisions ------------------------------------------------------------------------------


def _decisions(
    repo: Repository, content: ProgrammeContent, person_id: str, limit: int
) -> tuple[DecisionShown, ...]:
    """The decisions worth reading, newest first: every change, and every day with a reason,
    except the daily reminder that a programme is on hold (kept once)."""
    rows: list[DecisionShown] = []
    for programme in repo.programmes(person_id):
        reminded = False
        for d in repo.decisions(programme.id):
            reasons = described(content, d.reasons)
            rules = {r.rule for r in reasons}
            carry_on = d.action.value == "continue"
            reminder = carry_on and bool(rules) and rules <= STATUS_RULES
            if (carry_on and not rules) or (reminder and reminded):
                continue
            reminded = reminded or reminder
            words = content.words.say(f"progress.decided.{d.action.value}")
            rows.append(DecisionShown(d.day, words, d.phase, d.rung, reasons))
    rows.sort(key=lambda d: d.day, reverse=True)
    return tuple(rows[:limit])


# --- the charts in words ------------------------------------------------------------------------


def chart_texts(progress: Progress) -> dict[str, str]:
    """Each progress chart's text alternative, by chart: what it shows, which way it goes."""
    return {
        "pain": _pain_text(progress),
        "adherence": _adherence_text(progress),
        "running": _running_text(progress),
        "kujala": _kujala_text(progress),
    }


def _pain_text(progress: Progress) -> str:
    words = progress.words
    reported = [d for d in progress.days if d.pain_worst is not None]
    if not reported:
        return words.say("progress.chart_text.pain_none")
    first, last = reported[0], reported[-1]
    phases = ", ".join(dict.fromkeys(s.name for s in progress.phases))
    if len(reported) == 1:
        return words.say(
            "progress.chart_text.pain_one",
            worst=first.pain_worst,
            day=locale.day_text(first.day),
            phases=phases or progress.programme.phase_name,
        )
    return words.say(
        "progress.chart_text.pain",
        checkins=len(reported),
        first=first.pain_worst,
        first_day=locale.day_text(first.day),
        last=last.pain_worst,
        last_day=locale.day_text(last.day),
        highest=max(d.pain_worst or 0 for d in reported),
        phases=", ".join(dict.fromkeys(s.name for s in progress.phases))
        or progress.programme.phase_name,
    )


def _adherence_text(progress: Progress) -> str:
    weeks = progress.weeks
    if not weeks:
        return progress.words.say("progress.chart_text.adherence_none")
    latest = weeks[-1]
    return progress.words.say(
        "progress.chart_text.adherence",
        week=locale.day_text(latest.week_start),
        checked=latest.days_checked_in,
        days=latest.days_in_programme,
        trained=latest.days_trained,
        all_checked=sum(w.days_checked_in for w in weeks),
        all_days=sum(w.days_in_programme for w in weeks),
    )


def _running_text(progress: Progress) -> str:
    words = progress.words
    runs = sum(w.runs for w in progress.weeks)
    if not runs:
        return words.say("progress.chart_text.running_none")
    latest = progress.weeks[-1]
    return words.say(
        "progress.chart_text.running",
        runs=words.say_count("common.count.run", runs),
        minutes=f"{sum(w.run_minutes for w in progress.weeks):g}",
        latest_runs=words.say_count("common.count.run", latest.runs),
        latest_minutes=f"{latest.run_minutes:g}",
        week=locale.day_text(latest.week_start),
    )


def _kujala_text(progress: Progress) -> str:
    words = progress.words
    rows = progress.kujala
    if not rows:
        return words.say("progress.chart_text.kujala_none")
    first, last = rows[0], rows[-1]
    if len(rows) == 1:
        return words.say(
            "progress.chart_text.kujala_baseline",
            score=f"{first.score:g}",
            day=locale.day_text(first.day),
        )
    verdict = "matters" if last.meaningful else "not_yet"
    return words.say(
        "progress.chart_text.kujala",
        first=f"{first.score:g}",
        first_day=locale.day_text(first.day),
        last=f"{last.score:g}",
        last_day=locale.day_text(last.day),
        change=f"{last.change:+g}",
        mic=progress.kujala_mic,
        verdict=words.say(f"progress.chart_text.kujala_{verdict}"),
    )


def load_text(words: Words, load: dict[str, Any]) -> str:
    """The running-load chart's text alternative, from the ``load`` view's document."""
    weeks = load["weeks"]
    runs = sum(w["runs"] for w in weeks)
    cross = sum(w["cross_training_minutes"] for w in weeks)
    if not runs and not cross:
        return words.say("progress.chart_text.load_none")
    latest = weeks[-1]
    return words.say(
        "progress.chart_text.load",
        weeks=len(weeks),
        runs=runs,
        minutes=f"{sum(w['run_minutes'] for w in weeks):g}",
        km=f"{sum(w['run_km'] for w in weeks):g}",
        cross=f"{cross:g}",
        latest_runs=latest["runs"],
        latest_minutes=f"{latest['run_minutes']:g}",
    )
