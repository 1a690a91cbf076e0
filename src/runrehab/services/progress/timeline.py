"""Read-only views for the web's plan and progress pages that the other services do not give.

``phase_timeline``: the five phases with each gate's criteria in words, and where the runner
stands (the current phase, its days, which of its criteria are met so far, judged by the
engine's own gate checks). ``calendar_weeks`` groups the coming sessions by week.
``chart_texts`` and ``load_text``: a chart's trend in words, its text alternative.
``decision_history``: the decisions worth reading, newest first, with their reasons.

Nothing here decides anything: the engine's gates and the services' views do; this only
arranges what they say. Nothing is written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from runrehab.content.schema import Phase as PhaseText
from runrehab.engine.checkin import Checkin
from runrehab.engine.gates import evaluate_gate, is_test
from runrehab.engine.protocol import (
    ExerciseTest,
    Gate,
    GreenSessions,
    LadderComplete,
    MinDays,
    Protocol,
    WalkTest,
    WorstPainAtMost,
)
from runrehab.engine.state import Action, Decision, ProgrammeState, Status
from runrehab.engine.values import Reason
from runrehab.errors import JournalError
from runrehab.services.content import ProgrammeContent
from runrehab.services.intake.preview import ladder_reason, ladder_view
from runrehab.services.journal.programme import NO_PROGRAMME, state_on
from runrehab.services.ports import Repository
from runrehab.services.progress.figures import (
    STATUS_RULES,
    PhaseSpan,
    Progress,
    monday_of,
    progress_data,
)
from runrehab.services.records import DecisionRecord, Programme

# a decision's action as the runner reads it in their history
DECISION_WORDS = {
    "continue": "Carry on",
    "advance": "Moved on to the next phase",
    "climb": "Climbed a rung of the walk/run ladder",
    "hold": "Held where you were",
    "regress": "A step back",
    "refer": "See a physiotherapist or doctor",
    "stop": "Programme stopped: see a doctor",
}
STATUS_WORDS = {
    Status.ACTIVE: "Active",
    Status.STOPPED: "Stopped: see a doctor before any more exercise or running.",
    Status.REFERRED: "On hold: see a physiotherapist or doctor. Until then, only gentle "
    "phase 1 exercises and no running.",
}


# --- the phase timeline -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Standing:
    """What the timeline needs to know about the runner: their programme, the state folded to
    ``day``, the decisions that fold made, and the phase spans lived so far."""

    programme: Programme
    state: ProgrammeState
    folded: list[Decision]
    spans: tuple[PhaseSpan, ...]
    day: date


def phase_timeline(
    repo: Repository, content: ProgrammeContent, person_id: str, day: date
) -> dict[str, Any]:
    """The five phases with their gates, and where the runner stands on ``day``.

    Each phase says whether it is done, current, ahead or not on the runner's pathway; the
    current phase's criteria carry ``met`` and the engine's facts (``detail``). JournalError
    when the person has no programme."""
    programme = repo.current_programme(person_id)
    if programme is None:
        raise JournalError(NO_PROGRAMME)
    on = max(day, programme.started_on)
    state, folded = state_on(repo, content, programme, on)
    spans = progress_data(repo, content, person_id, on).phases
    standing = _Standing(programme, state, folded, spans, on)
    in_phase = [
        s.checkin
        for s in repo.checkins(person_id, state.phase_started)
        if state.phase_started <= s.day <= on
    ]
    return {
        "date": on.isoformat(),
        "programme": _programme(standing, content),
        "status_reasons": _status_reasons(repo, standing, content),
        "phases": [
            _phase(p, standing, content, in_phase) for p in content.catalogue.protocol.phase
        ],
        "ladder": [
            {**row, "current": state.phase == 4 and row["rung"] == state.rung}
            for row in ladder_view(content.protocol)
        ],
        "ladder_rule": content.book.describe(ladder_reason(content.protocol)),
    }


def _programme(standing: _Standing, content: ProgrammeContent) -> dict[str, Any]:
    state, programme = standing.state, standing.programme
    pathway = next(p for p in content.catalogue.protocol.pathway if p.id == state.pathway.value)
    return {
        "started": programme.started_on.isoformat(),
        "day": (standing.day - programme.started_on).days + 1,
        "status": state.status.value,
        "status_words": STATUS_WORDS[state.status],
        "pathway": {
            "id": pathway.id,
            "name": pathway.name,
            "summary": pathway.summary,
            "running": pathway.running,
            "reason": content.book.describe(Reason(pathway.rule)),
        },
        "phase": {"number": state.phase, "name": content.phase_name(state.phase)},
        "phase_started": state.phase_started.isoformat(),
        "days_in_phase": state.days_in_phase(standing.day),
        "rung": state.rung or None,
    }


def _status_reasons(
    repo: Repository, standing: _Standing, content: ProgrammeContent
) -> list[dict[str, Any]]:
    """Why a stopped or referred programme is on hold: the reasons of the decision that
    stopped or referred it (folded today, or stored), and the rule that keeps it so."""
    state = standing.state
    if state.status is Status.ACTIVE:
        return []
    held = (Action.STOP, Action.REFER)
    reasons: list[Reason] = []
    folded = [d for d in standing.folded if d.action in held]
    stored: list[DecisionRecord] = [
        d for d in repo.decisions(standing.programme.id) if d.action in held
    ]
    if folded:
        reasons.extend(folded[-1].reasons)
    elif stored:
        reasons.extend(stored[-1].reasons)
    reasons.append(Reason(f"programme-{state.status.value}"))
    return content.book.describe_all(reasons)


def _phase(
    text: PhaseText, standing: _Standing, content: ProgrammeContent, in_phase: list[Checkin]
) -> dict[str, Any]:
    protocol, state = content.protocol, standing.state
    pathway = protocol.pathway(state.pathway)
    where = _where(text.number, state.phase, pathway.phases)
    engine_phase = protocol.phase(text.number)
    criteria = [_criterion(g, protocol) for g in engine_phase.gates]
    if where == "current":
        criteria = [
            _judged(c, g, standing, protocol, in_phase)
            for c, g in zip(criteria, engine_phase.gates, strict=True)
        ]
    elif where == "done":
        criteria = [{**c, "met": True, "status": "met", "detail": "passed"} for c in criteria]
    return {
        "number": text.number,
        "id": text.id,
        "name": text.name,
        "goal": text.goal,
        "summary": text.summary,
        "duration": text.article_duration,
        "state": where,
        "lived": _lived(text.number, standing),
        "earliest": _earliest(text.number, standing, pathway.not_before_day, content),
        "criteria": criteria,
        "rule": content.book.describe(Reason(text.rule)),
        "safety_net": _safety_net(engine_phase.stall_rule, engine_phase.number, content),
        "sources": [content.book.sources[s].short for s in text.sources],
    }


def _where(number: int, current: int, on_pathway: Sequence[int]) -> str:
    if number == current:
        return "current"
    if number not in on_pathway:
        return "not_on_pathway"
    return "done" if number < current else "ahead"


def _lived(number: int, standing: _Standing) -> dict[str, str] | None:
    """The first and last day spent in the phase so far (the current phase: since it began)."""
    if number == standing.state.phase:
        return {"from": standing.state.phase_started.isoformat(), "to": standing.day.isoformat()}
    spans = [s for s in standing.spans if s.phase == number]
    if not spans:
        return None
    return {"from": spans[0].start.isoformat(), "to": spans[-1].end.isoformat()}


def _earliest(
    number: int, standing: _Standing, not_before: Mapping[int, int], content: ProgrammeContent
) -> dict[str, Any] | None:
    """The pathway's earliest programme day for a phase still ahead (the protocol's timeline)."""
    day_number = not_before.get(number)
    if day_number is None or number <= standing.state.phase:
        return None
    on = standing.programme.started_on + timedelta(days=day_number - 1)
    return {
        "day": day_number,
        "date": on.isoformat(),
        "reason": content.book.describe(Reason("timeline-not-before-day")),
    }


def _safety_net(rule: str | None, number: int, content: ProgrammeContent) -> dict[str, Any] | None:
    """The referral that catches a runner stuck in an early phase."""
    if rule is not None:
        return content.book.describe(Reason(rule))
    if number <= 3:
        return content.book.describe(Reason("prog-stall-6-weeks"))
    return None


def _criterion(gate: Gate, protocol: Protocol) -> dict[str, Any]:
    return {
        "id": gate.id,
        "kind": _KINDS[type(gate)],
        "text": _words(gate, protocol),
        "readiness_test": is_test(gate),
        "met": None,
        "status": None,
        "day": None,
        "detail": None,
    }


_KINDS: dict[type, str] = {
    MinDays: "min_days",
    WorstPainAtMost: "worst_pain_at_most",
    GreenSessions: "green_sessions",
    ExerciseTest: "exercise_test",
    WalkTest: "walk_test",
    LadderComplete: "ladder_complete",
}


def _words(gate: Gate, protocol: Protocol) -> str:
    """A gate as the runner reads it."""
    if isinstance(gate, MinDays):
        return f"At least {gate.days} days in this phase."
    if isinstance(gate, WorstPainAtMost):
        return (
            f"Worst pain of the day {gate.threshold}/10 or less on {gate.days} days in a row, "
            "with a check-in each day."
        )
    if isinstance(gate, GreenSessions):
        names = _names(gate.exercises, protocol)
        return f"{names} at full dose, GREEN, in {gate.sessions} sessions in a row."
    if isinstance(gate, ExerciseTest):
        name = protocol.exercises[gate.exercise].name
        return f"{name}: {gate.sets} × {gate.reps} at pain {gate.max_pain}/10 or less."
    if isinstance(gate, WalkTest):
        return (
            f"A {gate.minutes}-minute brisk walk at pain {gate.max_pain}/10 or less, "
            "without a limp."
        )
    top = protocol.rungs[-1]
    return (
        f"The walk/run ladder finished: {protocol.settings.sessions_to_climb_rung} GREEN "
        f"sessions of {top.total_minutes} minutes' continuous running."
    )


def _names(ids: Sequence[str], protocol: Protocol) -> str:
    names = [protocol.exercises[i].name for i in ids]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _judged(
    criterion: dict[str, Any],
    gate: Gate,
    standing: _Standing,
    protocol: Protocol,
    in_phase: list[Checkin],
) -> dict[str, Any]:
    """The engine's own check of the gate on the day: met (on which day, with the facts), not
    yet, or failed (a readiness test tried: the last try's day and why)."""
    state = standing.state
    if isinstance(gate, LadderComplete):
        last = protocol.rungs[-1].number
        detail = f"on rung {state.rung} of {last}"
        return {**criterion, "met": False, "status": "not_yet", "detail": detail}
    result = evaluate_gate(gate, state, in_phase, protocol, standing.day)
    detail = result.detail
    if isinstance(gate, WorstPainAtMost):
        detail = _pain_facts(gate, in_phase, standing.day, state.phase_started)
    elif isinstance(gate, GreenSessions) and not result.met:
        detail = ""  # the engine's words only repeat the criterion
    return {
        **criterion,
        "met": result.met,
        "status": result.status.value,
        "day": None if result.day is None else result.day.isoformat(),
        "detail": detail or None,
    }


def _pain_facts(
    gate: WorstPainAtMost, in_phase: list[Checkin], day: date, phase_started: date
) -> str:
    """The worst pain reported on each day the gate looks at, a missing day said so."""
    worst = {c.date: c.pain.worst for c in in_phase}

    def fact(d: date) -> str:
        if d < phase_started:
            return "before this phase"
        return f"{worst[d]}/10" if d in worst else "no check-in yet"

    days = [day - timedelta(days=n) for n in reversed(range(gate.days))]
    return "; ".join(f"{d:%a} {d.day} {d:%b}: {fact(d)}" for d in days)


# --- the calendar -------------------------------------------------------------------------


def calendar_weeks(sessions: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """``coming_sessions`` documents grouped by the week (from Monday) they fall in."""
    weeks: list[dict[str, Any]] = []
    for session in sessions:
        start = monday_of(date.fromisoformat(session["date"])).isoformat()
        if not weeks or weeks[-1]["week_start"] != start:
            weeks.append({"week_start": start, "days": []})
        weeks[-1]["days"].append(session)
    return weeks


# --- the charts in words ------------------------------------------------------------------


def chart_texts(progress: Progress) -> dict[str, str]:
    """Each progress chart's text alternative: what it shows and which way it goes."""
    return {
        "pain": _pain_text(progress),
        "adherence": _adherence_text(progress),
        "running": _running_text(progress),
        "kujala": _kujala_text(progress),
    }


def _pain_text(progress: Progress) -> str:
    reported = [d for d in progress.days if d.pain_worst is not None]
    if not reported:
        return "Knee pain by day: no check-ins yet, so there is nothing to draw."
    first, last = reported[0], reported[-1]
    highest = max(d.pain_worst or 0 for d in reported)
    phases = ", ".join(dict.fromkeys(s.name for s in progress.phases))
    return (
        f"Knee pain by day over {len(reported)} check-ins: worst pain {first.pain_worst}/10 on "
        f"{first.day:%a %d %b} and {last.pain_worst}/10 on {last.day:%a %d %b}; the highest "
        f"was {highest}/10. Phases shown: {phases}."
    )


def _adherence_text(progress: Progress) -> str:
    weeks = progress.weeks
    if not weeks:
        return "Check-ins and training per week: no programme days yet."
    latest = weeks[-1]
    days = sum(w.days_in_programme for w in weeks)
    checked = sum(w.days_checked_in for w in weeks)
    return (
        f"Check-ins and training per week: in the week from {latest.week_start:%a %d %b}, "
        f"check-ins on {latest.days_checked_in} of {latest.days_in_programme} days and "
        f"training logged on {latest.days_trained}. Over the programme: check-ins on "
        f"{checked} of {days} days."
    )


def _running_text(progress: Progress) -> str:
    runs = sum(w.runs for w in progress.weeks)
    if not runs:
        return "Running per week: no runs logged yet."
    minutes = sum(w.run_minutes for w in progress.weeks)
    latest = progress.weeks[-1]
    return (
        f"Running per week: {runs} run{'s' if runs != 1 else ''} logged, {minutes:g} minutes in "
        f"all; {latest.runs} run{'s' if latest.runs != 1 else ''} and {latest.run_minutes:g} "
        f"minutes in the week from {latest.week_start:%a %d %b}."
    )


def _kujala_text(progress: Progress) -> str:
    rows = progress.kujala
    if not rows:
        return "Kujala knee score: no questionnaire answered yet."
    first, last = rows[0], rows[-1]
    if len(rows) == 1:
        return f"Kujala knee score: {first.score:g} of 100 on {first.day:%a %d %b}, the baseline."
    verdict = "a change that matters" if last.meaningful else "not yet a change that matters"
    return (
        f"Kujala knee score (higher is better): {first.score:g} on {first.day:%a %d %b}, "
        f"{last.score:g} on {last.day:%a %d %b} ({last.change:+g} points; a gain of "
        f"{progress.kujala_mic} matters, the upper end of the 8–10 points Crossley 2004 reports, "
        f"so {verdict})."
    )


def load_text(view: dict[str, Any]) -> str:
    """The running-load chart's text alternative, from the ``load`` view."""
    weeks = view["weeks"]
    runs = sum(w["runs"] for w in weeks)
    cross = sum(w["cross_training_minutes"] for w in weeks)
    if not runs and not cross:
        return "Running load per week: no runs yet."
    minutes = sum(w["run_minutes"] for w in weeks)
    km = sum(w["run_km"] for w in weeks)
    latest = weeks[-1]
    return (
        f"Running load over the last {len(weeks)} weeks: {runs} runs, {minutes:g} minutes, "
        f"{km:g} km, and {cross:g} minutes of cross-training. The latest week: "
        f"{latest['runs']} runs, {latest['run_minutes']:g} minutes."
    )


# --- the decisions ------------------------------------------------------------------------


def decision_history(history: dict[str, Any], limit: int = 30) -> list[dict[str, Any]]:
    """The decisions worth reading from ``history_view``, newest first: every change, and
    every day with a reason, except the daily reminder that a programme is on hold (kept once)."""
    rows: list[dict[str, Any]] = []
    for programme in history["programmes"]:
        reminded = False
        for d in programme["decisions"]:
            rules = {r["rule"] for r in d["reasons"]}
            reminder = d["action"] == "continue" and bool(rules) and rules <= STATUS_RULES
            if (d["action"] == "continue" and not rules) or (reminder and reminded):
                continue
            reminded = reminded or reminder
            rows.append({**d, "words": DECISION_WORDS.get(d["action"], d["action"])})
    rows.sort(key=lambda d: d["date"], reverse=True)
    return rows[:limit]
