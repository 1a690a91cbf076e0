"""Use cases that read the journal: "what do I do today?" and the history.

Reading never writes: "today" folds the days since the last check-in in memory only, so asking
about a date never changes what a later check-in decides.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from runrehab.engine.checkin import Checkin
from runrehab.engine.day import DayPlan
from runrehab.engine.outcomes import Outcomes
from runrehab.engine.questionnaire import due_questionnaires
from runrehab.engine.state import Action, Decision, Status
from runrehab.engine.values import Disposition, Reason
from runrehab.services.activities.load_view import cadence_view
from runrehab.services.codec import decision_to_json
from runrehab.services.content import ProgrammeContent
from runrehab.services.intake.triage import HEADLINES, meanwhile
from runrehab.services.journal.day_plan import plan_for_day
from runrehab.services.journal.lessons import day_counts, education_view, reading_items
from runrehab.services.journal.programme import (
    CheckedIn,
    decision_record,
    require_programme,
    resolve_person,
)
from runrehab.services.journal.questionnaires import prompts
from runrehab.services.journal.readiness_checks import (
    checkin_template,
    readiness_asks,
    readiness_view,
)
from runrehab.services.journal.session_view import session_view
from runrehab.services.ports import Repository, UnitOfWork
from runrehab.services.records import DecisionRecord, LessonRead, Programme

MISSING_DAYS_ASKED = 7


def today_view(
    uow: UnitOfWork, content: ProgrammeContent, day: date, person_id: str | None = None
) -> dict[str, Any]:
    """What to do on ``day``: the contract's ``today`` document, and more for people."""
    with uow:
        repo = uow.repo
        person = resolve_person(repo, person_id)
        return _today(repo, content, require_programme(repo, person), day)


def _today(
    repo: Repository, content: ProgrammeContent, programme: Programme, day: date
) -> dict[str, Any]:
    planned = plan_for_day(repo, content, programme, day)
    plan, checkins, outcomes = planned.plan, planned.checkins, planned.outcomes
    state, folded = plan.state, planned.folded
    status = None
    if state.status is not Status.ACTIVE:
        status = _status_decision(repo, programme, folded)
    disposition = plan.disposition
    if status is not None and state.status is not Status.ACTIVE:
        disposition = status.disposition
    view = _contract_part(plan, disposition, content)
    view["run_answer"] = run_answer(plan, disposition)
    view["reasons"] = content.book.describe_all(_reasons(plan, state.status, status))
    view.update(_more(plan, disposition, programme, status, content))
    view["asks"] = _asks(programme, day, checkins)
    if state.status is not Status.STOPPED:
        view["warnings"] = content.book.describe_all(list(plan.warnings))
        view["cadence"] = cadence_view(plan.cadence, content)
        view["asks"].extend(_unreported_runs(plan, programme, day))
        view["asks"].extend(_questionnaires_due(content, programme, outcomes, day))
        # prompts ask the runner to get help; they never change the day's decision
        view["prompts"] = prompts(content, programme.started_on, outcomes, day)
        # the readiness checks before running: each with its result, how to do it and how
        # to report it; those still to do are asked for, and the day's check-in to fill in
        # holds the session as planned, tests included
        view["readiness_checks"] = readiness_view(plan, checkins, content)
        view["asks"].extend(readiness_asks(view["readiness_checks"], day))
        view["checkin_template"] = checkin_template(view)
        _add_reading(view, plan, planned.lessons_read, content, day)
    return view


def _add_reading(
    view: dict[str, Any],
    plan: DayPlan,
    reads: Sequence[LessonRead],
    content: ProgrammeContent,
    day: date,
) -> None:
    """The week-1 lessons, counted as the exercises are: those of the day read that day, and
    those read so far of all of them; a lesson carried over from an earlier day is asked for."""
    reading = () if plan.session is None else plan.session.reading
    items = reading_items(reading, reads, day, content)
    view["session"]["reading"] = items
    view["education"] = {
        **education_view(content.protocol.lessons, reads, day),
        "today": day_counts(items),
    }
    late = [x for x in items if x["carried"] and not x["read"]]
    if late:
        view["asks"].append(
            {
                "kind": "reading",
                "lessons": [x["id"] for x in late],
                "dates": [day.isoformat()],
                "text": "Still to read: "
                + "; ".join(f"{x['title']} (runrehab read {x['id']})" for x in late),
            }
        )


def _contract_part(
    plan: DayPlan, disposition: Disposition, content: ProgrammeContent
) -> dict[str, Any]:
    session = None if plan.session is None else session_view(plan.session)
    run_today = plan.run.answer.value
    if session is None or session["run"] is None:
        run_today = "no"  # contract: no run planned means "no"
    return {
        "schema_version": 1,
        "date": plan.date.isoformat(),
        "disposition": disposition.value,
        "phase": {"number": plan.state.phase, "name": content.phase_name(plan.state.phase)},
        "run_today": run_today,
        "session": session or {"exercises": [], "run": None},
    }


def _reasons(plan: DayPlan, status: Status, stop: DecisionRecord | None) -> list[Reason]:
    reasons: list[Reason] = []
    if status is not Status.ACTIVE and stop is not None:
        reasons.extend(stop.reasons)  # what stopped or referred the programme comes first
    reasons.extend(plan.run.reasons)
    if plan.session is not None:
        reasons.extend(plan.session.reasons)
    return reasons  # never empty: every run answer carries its reasons


def _more(
    plan: DayPlan,
    disposition: Disposition,
    programme: Programme,
    status: DecisionRecord | None,
    content: ProgrammeContent,
) -> dict[str, Any]:
    s = plan.state
    return {
        "headline": _headline(plan, disposition),
        "meanwhile": meanwhile(disposition, content.pain),
        # the one pain guide of every exercise, rendered from the settings the engine uses
        "exercise_pain_guide": content.catalogue.protocol.exercise_pain_guide,
        "programme": {
            "id": programme.id,
            "status": s.status.value,
            "pathway": s.pathway.value,
            "started": programme.started_on.isoformat(),
            "day": (plan.date - programme.started_on).days + 1,
            "phase_started": s.phase_started.isoformat(),
            "rung": s.rung or None,
            "dose_level": s.dose_level,
            "hold_running_until": _iso(s.hold_running_until),
        },
        "status_decision": None if status is None else decision_to_json(status),
    }


PLANNED_REST = frozenset(
    {
        "n1-no-running-in-this-phase",
        "n6-every-other-day",
        "modified-running-alternate-days",
        "rebuild-alternate-days",
        "session-rest-day",
    }
)
"""The "no" answers that the plan gives (the phase, the spacing of runs, the training days),
as against those the knee gives (pain, a sign, a hold after a RED day, a referral)."""

RUN_ANSWERS = {
    # kind: (words, style, headline)
    "yes": ("Yes, you can run", "go", "You can run today, within the limits."),
    "reduced": ("Yes, a shorter run", "caution", "A shorter, easier run today."),
    "done": ("Today's run is done", "go", "Today's run is done: well done."),
    "done_then_no": (
        "No more running for now",
        "stop",
        "Today's run is done; no more running for now: the knee needs a break from it.",
    ),
    "not_a_run_day": ("Not a run day", "neutral", "No run today, as planned."),
    "no": ("No run today", "stop", "No running today: the knee needs a break from it."),
}


def run_answer(plan: DayPlan, disposition: Disposition) -> dict[str, str]:
    """ "Can I run today?" in words, for every view (Today, the check-in's answer, the command
    line): the day's one decision, told as a yes, a shorter run, a run already done, a day
    without a run by plan, or a no that the knee asks for."""
    rules = {r.rule for r in plan.run.reasons}
    has_run = plan.session is not None and plan.session.run is not None
    planned = rules - {"run-done-today"} <= PLANNED_REST
    if has_run:
        kind = plan.run.answer.value
    elif "run-done-today" in rules:
        kind = "done" if planned and disposition is Disposition.SELF_MANAGE else "done_then_no"
    elif planned and disposition is Disposition.SELF_MANAGE:
        kind = "not_a_run_day"
    else:
        kind = "no"
    words, style, headline = RUN_ANSWERS[kind]
    return {"kind": kind, "words": words, "style": style, "headline": headline}


def _headline(plan: DayPlan, disposition: Disposition) -> str:
    if disposition is not Disposition.SELF_MANAGE:
        return HEADLINES[disposition]
    answer = run_answer(plan, disposition)
    if answer["kind"] in ("yes", "reduced", "done", "done_then_no"):
        return answer["headline"]
    session = plan.session
    if session is not None and session.kind == "rest":
        if session.reading:  # reading is not training: still a rest day for the knee
            return "A rest day for the knee: only some reading today."
        return "A rest day: nothing to do today."
    return answer["headline"].removesuffix(".") + "; today's exercises keep the knee moving on."


def _status_decision(
    repo: Repository, programme: Programme, folded: list[Decision]
) -> DecisionRecord | None:
    """The decision that stopped or referred the programme, if it has been."""
    for d in reversed(folded):
        if d.action in (Action.STOP, Action.REFER):
            return decision_record(programme.id, d)
    stored = [d for d in repo.decisions(programme.id) if d.action in (Action.STOP, Action.REFER)]
    return stored[-1] if stored else None


def _asks(programme: Programme, day: date, checkins: list[Checkin]) -> list[dict[str, Any]]:
    """Reports that are missing: asked for, never invented."""
    reported = {c.date for c in checkins}
    asks = []
    first = max(programme.started_on, day - timedelta(days=MISSING_DAYS_ASKED))
    missing = [
        first + timedelta(days=i)
        for i in range((day - first).days)
        if first + timedelta(days=i) not in reported
    ]
    if missing:
        asks.append(
            {
                "kind": "checkin",
                "dates": [d.isoformat() for d in missing],
                "text": "No check-in for "
                + ", ".join(d.isoformat() for d in missing)
                + ". If you remember how the knee was, add them; the programme does not guess.",
            }
        )
    if day not in reported:
        asks.append(
            {
                "kind": "checkin",
                "dates": [day.isoformat()],
                "text": "Check in today: how the knee is this morning decides today's run.",
            }
        )
    return asks


def _unreported_runs(plan: DayPlan, programme: Programme, day: date) -> list[dict[str, Any]]:
    """Watch runs of the last week that no check-in reports (by its day or by naming the
    activity): their pain decides the next run."""
    first = max(programme.started_on, day - timedelta(days=MISSING_DAYS_ASKED))
    days = sorted({d for d in plan.unreported_runs if first <= d})
    if not days:
        return []
    listed = ", ".join(d.isoformat() for d in days)
    return [
        {
            "kind": "run_report",
            "dates": [d.isoformat() for d in days],
            "text": f"Your watch recorded a run on {listed}. Add it to that day's check-in "
            "(the pain during it and how long it took to settle): that decides the next run.",
        }
    ]


def _questionnaires_due(
    content: ProgrammeContent, programme: Programme, outcomes: Outcomes, day: date
) -> list[dict[str, Any]]:
    due = due_questionnaires(programme.started_on, outcomes, day, content.protocol.settings)
    names = content.instruments
    return [
        {
            "kind": "questionnaire",
            "instrument": d.instrument,
            "dates": [day.isoformat()],
            "text": f"{names[d.instrument].name} is due"
            + (" (your starting score)" if d.baseline else "")
            + f": runrehab questionnaire {d.instrument} --date {day.isoformat()}",
        }
        for d in due
    ]


def _iso(d: date | None) -> str | None:
    return None if d is None else d.isoformat()


def checkin_view(done: CheckedIn, content: ProgrammeContent) -> dict[str, Any]:
    """A recorded check-in's answer, as ``runrehab checkin --json`` prints it and the API
    returns it: the day's decision with its reasons, and the programme's state."""
    state = done.programme.state
    decision = None
    if done.decision is not None:
        decision = {
            **decision_to_json(done.decision),
            "reasons": content.book.describe_all(done.decision.reasons),
        }
    return {
        "schema_version": 1,
        "date": done.stored.day.isoformat(),
        "recorded": True,
        "replaced": done.replaced,
        "revision": done.stored.revision,
        "decision": decision,
        "headline": None if done.decision is None else HEADLINES[done.decision.disposition],
        "programme": {
            "status": state.status.value,
            "phase": {"number": state.phase, "name": content.phase_name(state.phase)},
            "rung": state.rung or None,
        },
    }


def history_view(
    uow: UnitOfWork, content: ProgrammeContent, person_id: str | None = None
) -> dict[str, Any]:
    """Every assessment, check-in, questionnaire and decision, in date order."""
    with uow:
        repo = uow.repo
        person = resolve_person(repo, person_id)
        programmes = repo.programmes(person.id)
        return {
            "schema_version": 1,
            "person": person.id,
            "assessments": [
                {
                    "version": a.version,
                    "date": a.recorded_on.isoformat(),
                    "disposition": a.disposition.value,
                }
                for a in repo.assessments(person.id)
            ],
            "programmes": [_programme_view(repo, content, p) for p in programmes],
            "checkins": [
                {
                    "date": c.day.isoformat(),
                    "revision": c.revision,
                    "recorded_at": c.recorded_at.isoformat(),
                    "checkin": c.document,
                }
                for c in repo.checkins(person.id)
            ],
            "questionnaires": [
                {
                    "instrument": r.instrument,
                    "date": r.day.isoformat(),
                    "score": r.score,
                    "answers": r.answers,
                }
                for r in repo.responses(person.id)
            ],
            "notes": [
                {"date": n.day.isoformat(), "author": n.author, "text": n.text}
                for n in repo.notes(person.id)
            ],
        }


def _programme_view(repo: Repository, content: ProgrammeContent, p: Programme) -> dict[str, Any]:
    return {
        "id": p.id,
        "assessment_version": p.assessment_version,
        "started": p.started_on.isoformat(),
        "ended": _iso(p.ended_on),
        "status": p.state.status.value,
        "phase": {"number": p.state.phase, "name": content.phase_name(p.state.phase)},
        "decisions": [
            {**decision_to_json(d), "reasons": content.book.describe_all(d.reasons)}
            for d in repo.decisions(p.id)
        ],
    }
