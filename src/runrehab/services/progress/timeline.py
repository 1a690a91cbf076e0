"""The phase timeline of the plan: the five phases with each gate's criteria in words, and where
the runner stands (the current phase, its days, which of its criteria are met so far, judged by
the engine's own gate checks).

Nothing here decides anything: the engine's gates do; this only arranges what they say.
Nothing is written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from runrehab.content import locale
from runrehab.content.schema import Phase as PhaseText
from runrehab.content.words import Words
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
from runrehab.services.details import detail_text
from runrehab.services.intake.preview import ladder_reason, ladder_view
from runrehab.services.journal.described import PhaseView, describe, described, phase_view
from runrehab.services.journal.programme import state_on
from runrehab.services.ports import Repository
from runrehab.services.progress.figures import PhaseSpan, progress_data
from runrehab.services.reasons import ReasonView
from runrehab.services.records import DecisionRecord, Programme
from runrehab.services.views import jsonable

# --- the view -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PathwayShown:
    id: str
    name: str
    summary: str
    running: str
    reason: ReasonView
    """The pathway's rule in words, with its source."""


@dataclass(frozen=True, slots=True)
class Standing:
    """Where the runner stands on the timeline's day."""

    started: date
    day: int
    """The programme day (1 on the first)."""
    status: str
    status_words: str
    pathway: PathwayShown
    phase: PhaseView
    phase_started: date
    days_in_phase: int
    rung: int | None


@dataclass(frozen=True, slots=True)
class Lived:
    """The first and last day spent in a phase so far."""

    since: date = field(metadata={"json": "from"})
    to: date


@dataclass(frozen=True, slots=True)
class Earliest:
    """The pathway's earliest programme day for a phase still ahead."""

    day: int
    on: date = field(metadata={"json": "date"})
    reason: ReasonView


@dataclass(frozen=True, slots=True)
class Criterion:
    """A gate of a phase in words; judged (``met``, ``status``, ``day``, ``detail``) only for
    the current phase, and for a phase done (met, passed)."""

    id: str
    kind: str
    text: str
    readiness_test: bool
    met: bool | None = None
    status: str | None = None
    day: date | None = None
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class PhaseShown:
    number: int
    id: str
    name: str
    goal: str
    summary: str
    duration: str
    state: str
    """done, current, ahead or not_on_pathway."""
    lived: Lived | None
    earliest: Earliest | None
    criteria: tuple[Criterion, ...]
    rule: ReasonView
    safety_net: ReasonView | None
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PhaseTimeline:
    on: date = field(metadata={"json": "date"})
    programme: Standing
    status_reasons: tuple[ReasonView, ...]
    phases: tuple[PhaseShown, ...]
    ladder: tuple[dict[str, Any], ...]
    """The walk/run ladder's rungs (``intake.preview.ladder_view``), the runner's marked."""
    ladder_rule: ReasonView


# --- the use case -------------------------------------------------------------------------------


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
) -> PhaseTimeline:
    """The five phases with their gates, and where the runner stands on ``day``.

    Each phase says whether it is done, current, ahead or not on the runner's pathway; the
    current phase's criteria carry ``met`` and the engine's facts (``detail``). JournalError
    when the person has no programme."""
    programme = repo.current_programme(person_id)
    if programme is None:
        raise JournalError(content.words.say("journal.day.no_programme"))
    on = max(day, programme.started_on)
    state, folded = state_on(repo, content, programme, on)
    spans = progress_data(repo, content, person_id, on).phases
    standing = _Standing(programme, state, folded, spans, on)
    in_phase = [
        s.checkin
        for s in repo.checkins(person_id, state.phase_started)
        if state.phase_started <= s.day <= on
    ]
    phases = content.catalogue.protocol.phase
    return PhaseTimeline(
        on,
        _programme(standing, content),
        _status_reasons(repo, standing, content),
        tuple(_phase(p, standing, content, in_phase) for p in phases),
        _ladder(content, state),
        describe(content, ladder_reason(content.protocol)),
    )


def _ladder(content: ProgrammeContent, state: ProgrammeState) -> tuple[dict[str, Any], ...]:
    """The ladder's rungs as the intake's preview shows them, the runner's own marked."""
    rows = [jsonable(row) for row in ladder_view(content.protocol)]
    return tuple({**r, "current": state.phase == 4 and r["rung"] == state.rung} for r in rows)


def _programme(standing: _Standing, content: ProgrammeContent) -> Standing:
    state, programme = standing.state, standing.programme
    pathway = next(p for p in content.catalogue.protocol.pathway if p.id == state.pathway.value)
    return Standing(
        programme.started_on,
        (standing.day - programme.started_on).days + 1,
        state.status.value,
        content.words.say(f"plan.status.{state.status.value}"),
        PathwayShown(
            pathway.id,
            pathway.name,
            pathway.summary,
            pathway.running,
            describe(content, Reason(pathway.rule)),
        ),
        phase_view(content, state.phase),
        state.phase_started,
        state.days_in_phase(standing.day),
        state.rung or None,
    )


def _status_reasons(
    repo: Repository, standing: _Standing, content: ProgrammeContent
) -> tuple[ReasonView, ...]:
    """Why a stopped or referred programme is on hold: the reasons of the decision that
    stopped or referred it (folded today, or stored), and the rule that keeps it so."""
    state = standing.state
    if state.status is Status.ACTIVE:
        return ()
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
    return described(content, reasons)


def _phase(
    text: PhaseText, standing: _Standing, content: ProgrammeContent, in_phase: list[Checkin]
) -> PhaseShown:
    protocol, state, words = content.protocol, standing.state, content.words
    pathway = protocol.pathway(state.pathway)
    where = _where(text.number, state.phase, pathway.phases)
    engine_phase = protocol.phase(text.number)
    criteria = [_criterion(g, protocol, words) for g in engine_phase.gates]
    if where == "current":
        criteria = [
            _judged(c, g, standing, protocol, in_phase, words)
            for c, g in zip(criteria, engine_phase.gates, strict=True)
        ]
    elif where == "done":
        passed = words.say("plan.criterion.passed")
        criteria = [replace(c, met=True, status="met", detail=passed) for c in criteria]
    return PhaseShown(
        text.number,
        text.id,
        text.name,
        text.goal,
        text.summary,
        text.article_duration,
        where,
        _lived(text.number, standing),
        _earliest(text.number, standing, pathway.not_before_day, content),
        tuple(criteria),
        describe(content, Reason(text.rule)),
        _safety_net(engine_phase.stall_rule, engine_phase.number, content),
        tuple(content.book.sources[s].short for s in text.sources),
    )


def _where(number: int, current: int, on_pathway: Sequence[int]) -> str:
    if number == current:
        return "current"
    if number not in on_pathway:
        return "not_on_pathway"
    return "done" if number < current else "ahead"


def _lived(number: int, standing: _Standing) -> Lived | None:
    """The first and last day spent in the phase so far (the current phase: since it began)."""
    if number == standing.state.phase:
        return Lived(standing.state.phase_started, standing.day)
    spans = [s for s in standing.spans if s.phase == number]
    if not spans:
        return None
    return Lived(spans[0].start, spans[-1].end)


def _earliest(
    number: int, standing: _Standing, not_before: Mapping[int, int], content: ProgrammeContent
) -> Earliest | None:
    """The pathway's earliest programme day for a phase still ahead (the protocol's timeline)."""
    day_number = not_before.get(number)
    if day_number is None or number <= standing.state.phase:
        return None
    on = standing.programme.started_on + timedelta(days=day_number - 1)
    return Earliest(day_number, on, describe(content, Reason("timeline-not-before-day")))


def _safety_net(rule: str | None, number: int, content: ProgrammeContent) -> ReasonView | None:
    """The referral that catches a runner stuck in an early phase."""
    if rule is not None:
        return describe(content, Reason(rule))
    if number <= 3:
        return describe(content, Reason("prog-stall-6-weeks"))
    return None


def _criterion(gate: Gate, protocol: Protocol, words: Words) -> Criterion:
    return Criterion(gate.id, _KINDS[type(gate)], _words(gate, protocol, words), is_test(gate))


_KINDS: dict[type, str] = {
    MinDays: "min_days",
    WorstPainAtMost: "worst_pain_at_most",
    GreenSessions: "green_sessions",
    ExerciseTest: "exercise_test",
    WalkTest: "walk_test",
    LadderComplete: "ladder_complete",
}


def _words(gate: Gate, protocol: Protocol, words: Words) -> str:
    """A gate as the runner reads it."""
    if isinstance(gate, MinDays):
        return words.say("plan.gate.min_days", days=gate.days)
    if isinstance(gate, WorstPainAtMost):
        return words.say("plan.gate.worst_pain", threshold=gate.threshold, days=gate.days)
    if isinstance(gate, GreenSessions):
        names = _names(gate.exercises, protocol, words)
        return words.say("plan.gate.green_sessions", names=names, sessions=gate.sessions)
    if isinstance(gate, ExerciseTest):
        name = protocol.exercises[gate.exercise].name
        return words.say(
            "plan.gate.exercise_test",
            name=name,
            sets=gate.sets,
            reps=gate.reps,
            max_pain=gate.max_pain,
        )
    if isinstance(gate, WalkTest):
        return words.say("plan.gate.walk_test", minutes=gate.minutes, max_pain=gate.max_pain)
    return words.say(
        "plan.gate.ladder_complete",
        sessions=protocol.settings.sessions_to_climb_rung,
        minutes=protocol.rungs[-1].total_minutes,
    )


def _names(ids: Sequence[str], protocol: Protocol, words: Words) -> str:
    names = [protocol.exercises[i].name for i in ids]
    if len(names) == 1:
        return names[0]
    return words.say("plan.gate.names", first=", ".join(names[:-1]), last=names[-1])


def _judged(
    criterion: Criterion,
    gate: Gate,
    standing: _Standing,
    protocol: Protocol,
    in_phase: list[Checkin],
    words: Words,
) -> Criterion:
    """The engine's own check of the gate on the day: met (on which day, with the facts), not
    yet, or failed (a readiness test tried: the last try's day and why)."""
    state = standing.state
    if isinstance(gate, LadderComplete):
        last = protocol.rungs[-1].number
        detail = words.say("plan.criterion.on_rung", rung=state.rung, last=last)
        return replace(criterion, met=False, status="not_yet", detail=detail)
    result = evaluate_gate(gate, state, in_phase, protocol, standing.day)
    detail = detail_text(words, result.detail, result.said)
    if isinstance(gate, WorstPainAtMost):
        detail = _pain_facts(gate, in_phase, standing.day, state.phase_started, words)
    elif isinstance(gate, GreenSessions) and not result.met:
        detail = ""  # the engine's words only repeat the criterion
    return replace(
        criterion,
        met=result.met,
        status=result.status.value,
        day=result.day,
        detail=detail or None,
    )


def _pain_facts(
    gate: WorstPainAtMost, in_phase: list[Checkin], day: date, phase_started: date, words: Words
) -> str:
    """The worst pain reported on each day the gate looks at, a missing day said so."""
    worst = {c.date: c.pain.worst for c in in_phase}

    def fact(d: date) -> str:
        if d < phase_started:
            return words.say("plan.criterion.before_phase")
        if d in worst:
            return words.say("plan.criterion.worst", pain=worst[d])
        return words.say("plan.criterion.no_checkin")

    days = [day - timedelta(days=n) for n in reversed(range(gate.days))]
    return "; ".join(f"{locale.day_text(d)}: {fact(d)}" for d in days)
