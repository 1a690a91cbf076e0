"""Use cases of the runner's journal: start a programme, check in, and fold the days.

The stored programme state is always the engine's fold of the check-ins through
``state.evaluated_through``. A check-in for a later day folds on from there; one for a day
already folded (a replacement, or a late report) refolds from that day, with the states of the
days before it as this process last folded them (``folds``; from the programme's first day when
it has none), so the state never depends on the order in which reports arrived. Days without a
report are folded as days without a report: nothing is invented for them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from runrehab.content.words import Words, shipped_words
from runrehab.engine.assessment import Assessment
from runrehab.engine.checkin import Checkin
from runrehab.engine.outcomes import FearScreen, KujalaScore, Outcomes, WeeklyPain
from runrehab.engine.overrides import NO_OVERRIDES, Override, acting_on
from runrehab.engine.pathway import choose_pathway
from runrehab.engine.progression import session_state, start_state, step_day
from runrehab.engine.questionnaire import FEAR_OF_MOVEMENT
from runrehab.engine.red_flags import Background
from runrehab.engine.state import Action, Decision, ProgrammeState, Status
from runrehab.engine.triage import TriageResult, triage
from runrehab.engine.values import Disposition
from runrehab.errors import InvalidDocument, JournalError, Problem
from runrehab.services.content import ProgrammeContent
from runrehab.services.journal import folds
from runrehab.services.journal.days import DayNotAllowed, NoProgrammeYet, check_day, day_text
from runrehab.services.ports import Clock, Repository, UnitOfWork
from runrehab.services.records import (
    DecisionRecord,
    Document,
    Person,
    Programme,
    QuestionnaireResponse,
    StoredAssessment,
    StoredCheckin,
)


@dataclass(frozen=True, slots=True)
class Started:
    person: Person
    assessment: StoredAssessment
    programme: Programme
    triage: TriageResult


@dataclass(frozen=True, slots=True)
class CheckedIn:
    stored: StoredCheckin
    replaced: bool
    programme: Programme
    decision: DecisionRecord | None


# --- people -----------------------------------------------------------------------------------


def resolve_person(repo: Repository, person_id: str | None, words: Words | None = None) -> Person:
    """The person named, or the journal's only person (the command line names none)."""
    said = words or shipped_words()
    if person_id is not None:
        person = repo.get_person(person_id)
        if person is None:
            raise JournalError(said.say("journal.person.unknown", person=repr(person_id)))
        return person
    people = repo.people()
    if not people:
        raise JournalError(said.say("journal.person.empty"))
    if len(people) > 1:
        raise JournalError(said.say("journal.person.several", n=len(people)))
    return people[0]


def person_for_new_data(repo: Repository, clock: Clock, person_id: str | None) -> Person:
    """The person named or the journal's only one; created when the journal is empty or the
    named person is new (starting a programme, or bringing in watch history first)."""
    if person_id is None and not repo.people():
        person = Person(uuid.uuid4().hex, "", clock.now())
        repo.add_person(person)
        return person
    if person_id is not None and repo.get_person(person_id) is None:
        person = Person(person_id, "", clock.now())
        repo.add_person(person)
        return person
    return resolve_person(repo, person_id)


# --- start ------------------------------------------------------------------------------------


def start_programme(
    uow: UnitOfWork,
    clock: Clock,
    content: ProgrammeContent,
    document: Document,
    assessment: Assessment,
    day: date,
    person_id: str | None = None,
) -> Started:
    """Keep the assessment (a new version), triage it, and start a programme on ``day``.

    A red flag starts a stopped programme, and a see-a-clinician answer a referred one, so that
    "today" always says what to do; a previous programme ends the day the new one starts."""
    with uow:
        repo = uow.repo
        person = person_for_new_data(repo, clock, person_id)
        result = triage(assessment, content.settings[1])
        version = len(repo.assessments(person.id)) + 1
        stored = StoredAssessment(
            person.id, version, day, document, assessment, result.disposition, clock.now()
        )
        repo.add_assessment(stored)
        current = repo.current_programme(person.id)
        if current is not None:
            repo.end_programme(current.id, day)
        programme = _new_programme(person, stored, result, content, day)
        repo.add_programme(programme)
        repo.replace_decisions(programme.id, day, [_intake_decision(programme, result)])
        uow.commit()
    return Started(person, stored, programme, result)


def _new_programme(
    person: Person,
    stored: StoredAssessment,
    result: TriageResult,
    content: ProgrammeContent,
    day: date,
) -> Programme:
    choice = choose_pathway(stored.assessment, content.settings[0])
    first = start_state(choice, day, content.protocol, Background.of(stored.assessment))
    if result.disposition.severity >= Disposition.URGENT.severity:
        first = replace(first, status=Status.STOPPED)
    elif result.disposition is Disposition.SEE_CLINICIAN:
        first = replace(first, status=Status.REFERRED)
    return Programme(uuid.uuid4().hex, person.id, stored.version, day, first, first)


def _intake_decision(programme: Programme, result: TriageResult) -> DecisionRecord:
    action = {
        Disposition.EMERGENCY: Action.STOP,
        Disposition.URGENT: Action.STOP,
        Disposition.SEE_CLINICIAN: Action.REFER,
        Disposition.SELF_MANAGE: Action.CONTINUE,
    }[result.disposition]
    red_flag = result.disposition.severity >= Disposition.URGENT.severity
    reasons = result.leading_reasons if red_flag else result.reasons
    s = programme.start
    return DecisionRecord(
        programme.id, programme.started_on, action, result.disposition, s.phase, s.rung, reasons
    )


# --- check-in ---------------------------------------------------------------------------------


def record_checkin(
    uow: UnitOfWork,
    clock: Clock,
    content: ProgrammeContent,
    document: Document,
    checkin: Checkin,
    person_id: str | None = None,
    today: date | None = None,
) -> CheckedIn:
    """Store a day's check-in (replacing one for the same day) and fold it into the programme.

    ``today`` is the runner's own day (the web's in their time zone, the command line's the
    computer's): a check-in for a later day is refused. Without it (a journal set up for a
    test) only the programme's own days are checked. Nothing is written when the check-in is
    refused: every check happens before the first write, and all writes share one transaction."""
    with uow:
        repo = uow.repo
        person = resolve_person(repo, person_id, content.words)
        programme = require_programme(repo, person, content.words)
        done = record_in(repo, clock, content, document, checkin, programme, today)
        uow.commit()
    return done


def record_in(
    repo: Repository,
    clock: Clock,
    content: ProgrammeContent,
    document: Document,
    checkin: Checkin,
    programme: Programme,
    today: date | None,
) -> CheckedIn:
    """``record_checkin`` inside a transaction the caller opened (and commits)."""

    def day_exercises() -> list[str]:
        """The ids of the day's planned exercises, for the message of an unknown one."""
        from runrehab.services.journal.day_plan import plan_for_day
        from runrehab.services.journal.today import session_of

        try:
            planned = plan_for_day(repo, content, programme, checkin.date)
        except JournalError:
            return []
        session, _run_today = session_of(planned.plan, content.words)
        return [e["id"] for e in session.get("exercises", [])]

    check_checkin(checkin, programme, content, today, day_exercises)
    person_id = programme.person_id
    previous = repo.get_checkin(person_id, checkin.date)
    revision = 1 if previous is None else previous.revision + 1
    stored = StoredCheckin(person_id, checkin.date, document, checkin, clock.now(), revision)
    repo.put_checkin(stored)
    programme, kept = refold(repo, content, programme, checkin.date)
    decision = next((d for d in reversed(kept) if d.day == checkin.date), None)
    return CheckedIn(stored, previous is not None, programme, decision)


class BeforeProgramme(JournalError):
    """A day before the programme's first was asked for: nothing is planned or recorded then,
    so no view shows a phase, a session or a week for it (the web and the command line answer
    with this message instead: ``journal.day.before_start``, as ``days.check_day`` says it)."""

    def __init__(self, programme: Programme, day: date, words: Words | None = None) -> None:
        said = words or shipped_words()
        super().__init__(
            said.say(
                "journal.day.before_start",
                day=day_text(day, True),
                started=day_text(programme.started_on, True),
            )
        )
        self.starts_on = programme.started_on


def require_started(programme: Programme, day: date, words: Words | None = None) -> None:
    """``BeforeProgramme`` for a ``day`` before ``programme`` began: the one check every dated
    view (today, the check-in to fill in, the summary, the report, the load plan) goes through."""
    if day < programme.started_on:
        raise BeforeProgramme(programme, day, words)


REACH_YEARS = 10
"""How far after its start a programme is planned: a day asked for later is refused, never
folded (each day between is a step of the fold: a day centuries ahead would hold a process
for minutes). Ten years of steps take a few tens of milliseconds."""


def require_within_reach(programme: Programme, day: date, words: Words | None = None) -> None:
    """``DayNotAllowed`` for a ``day`` more than ``REACH_YEARS`` after ``programme`` began:
    both folds of the journal to a day (``fold_for_session``, ``fold_for_day``) check it."""
    last = programme.started_on + timedelta(days=round(365.25 * REACH_YEARS))
    if day > last:
        said = words or shipped_words()
        raise DayNotAllowed(
            said.say(
                "journal.day.too_far",
                day=day_text(day, True),
                years=REACH_YEARS,
                started=day_text(programme.started_on, True),
            )
        )


def require_programme(repo: Repository, person: Person, words: Words | None = None) -> Programme:
    """The person's current programme; ``NoProgrammeYet`` saying what to do when there is none."""
    programme = repo.current_programme(person.id)
    if programme is None:
        raise NoProgrammeYet((words or shipped_words()).say("journal.day.no_programme"))
    return programme


def __getattr__(name: str) -> Any:
    """``NO_PROGRAMME``, the words without a programme, for callers that do not ask the words
    yet (``require_programme`` raises them)."""
    if name == "NO_PROGRAMME":
        return shipped_words().say("journal.day.no_programme")
    raise AttributeError(name)


def check_checkin(
    checkin: Checkin,
    programme: Programme,
    content: ProgrammeContent,
    today: date | None,
    day_exercises: Callable[[], Sequence[str]] | None = None,
) -> None:
    """Every check of a check-in beyond its contract, for the web, the API and the command line
    alike: its day (not after ``today``, not before the programme: ``days.check_day``, in the
    same words as every other day asked for) and its exercises (the programme's own; an
    unknown one is told the valid ids: ``day_exercises``, the day's, else all of them).
    ``InvalidDocument`` naming each problem's place otherwise."""
    problems: list[Problem] = []
    words = content.words
    try:
        check_day(words, checkin.date, today or checkin.date, programme.started_on)
    except DayNotAllowed as err:
        problems.append(Problem("$.date", str(err)))
        day_exercises = None  # a day refused is never planned (it may lie centuries ahead)
    known = content.protocol.exercises
    for i, log in enumerate(checkin.exercises):
        if log.id not in known:
            listed = ", ".join((day_exercises and day_exercises()) or sorted(known))
            said = words.say("checkin.problem.unknown_exercise", exercise=repr(log.id))
            said = words.say("checkin.problem.valid_exercises", problem=said, known=listed)
            problems.append(Problem(f"$.exercises[{i}].id", said))
    if problems:
        raise InvalidDocument(CHECKIN, problems)


CHECKIN = "check-in"
"""The kind of document a check-in is, as its problems name it."""


# --- folding the days -------------------------------------------------------------------------


def outcomes_of(responses: Sequence[QuestionnaireResponse]) -> Outcomes:
    """The engine's view of the questionnaire answers."""
    kujala = tuple(
        KujalaScore(r.day, round(r.score)) for r in responses if r.instrument == "kujala"
    )
    weekly = tuple(
        WeeklyPain(r.day, int(r.answers["usual"]), int(r.answers["worst"]))
        for r in responses
        if r.instrument == "weekly_pain"
    )
    fear = tuple(
        FearScreen(r.day, round(r.score)) for r in responses if r.instrument == FEAR_OF_MOVEMENT
    )
    return Outcomes(
        tuple(sorted(kujala, key=lambda k: k.date)),
        tuple(sorted(weekly, key=lambda w: w.date)),
        tuple(sorted(fear, key=lambda f: f.date)),
    )


def refold(
    repo: Repository, content: ProgrammeContent, programme: Programme, changed: date
) -> tuple[Programme, list[DecisionRecord]]:
    """Fold the programme through ``changed`` (or further, where it was already folded)
    after a report for ``changed`` arrived; store the new state and the days' decisions, and
    return them (those from the first day that changed on)."""
    checkins = [s.checkin for s in programme_checkins(repo, programme)]
    outcomes = outcomes_of(repo.responses(programme.person_id))
    overrides = overrides_of(repo, programme.person_id)
    state, decisions, from_day = folds.refold_after(
        content.protocol, programme, checkins, outcomes, overrides, changed
    )
    reported = {c.date for c in checkins}
    kept = [decision_record(programme.id, d) for d in decisions if _worth_keeping(d, reported)]
    if from_day == programme.started_on:
        kept = [_intake_of(repo, programme), *kept]
    repo.replace_decisions(programme.id, from_day, kept)
    repo.save_state(programme.id, state)
    return replace(programme, state=state), kept


def _intake_of(repo: Repository, programme: Programme) -> DecisionRecord:
    """The decision taken at intake, which a refold from the first day keeps in first place."""
    return repo.decisions(programme.id)[0]


def _worth_keeping(decision: Decision, reported: set[date]) -> bool:
    day = decision.state.evaluated_through
    return day in reported or decision.action is not Action.CONTINUE or bool(decision.reasons)


def decision_record(programme_id: str, d: Decision) -> DecisionRecord:
    """The stored form of an engine decision (dated by the day it folded)."""
    day = d.state.evaluated_through
    assert day is not None  # step_day always sets it
    return DecisionRecord(
        programme_id, day, d.action, d.disposition, d.state.phase, d.state.rung, d.reasons, d.colour
    )


def state_on(
    repo: Repository, content: ProgrammeContent, programme: Programme, day: date
) -> tuple[ProgrammeState, list[Decision]]:
    """The state to plan ``day`` from, without storing anything: folded through ``day`` when
    it has a check-in, otherwise through the day before."""
    checkins = [s.checkin for s in programme_checkins(repo, programme)]
    outcomes = outcomes_of(repo.responses(programme.person_id))
    overrides = overrides_of(repo, programme.person_id)
    return fold_for_day(content, programme, checkins, outcomes, day, overrides)


def session_state_on(
    repo: Repository, content: ProgrammeContent, programme: Programme, day: date
) -> tuple[ProgrammeState, list[Decision]]:
    """The state ``day``'s session is planned from (``progression.session_state``), and the
    decisions folded in memory to reach it, today's included."""
    checkins = [s.checkin for s in programme_checkins(repo, programme)]
    outcomes = outcomes_of(repo.responses(programme.person_id))
    overrides = overrides_of(repo, programme.person_id)
    return fold_for_session(content, programme, checkins, outcomes, day, overrides)


def fold_for_session(
    content: ProgrammeContent,
    programme: Programme,
    checkins: Sequence[Checkin],
    outcomes: Outcomes,
    day: date,
    overrides: Sequence[Override] = NO_OVERRIDES,
) -> tuple[ProgrammeState, list[Decision]]:
    """``session_state_on`` for callers that have already read the check-ins and outcomes: the
    state through the day before, and the day's own decision when it has a check-in or when
    the physiotherapist moved the runner that day (their change shows in the day's session)."""
    reported = any(c.date == day for c in checkins)
    if not reported and not acting_on(overrides, day):
        return fold_for_day(content, programme, checkins, outcomes, day, overrides)
    require_within_reach(programme, day, content.words)
    # the days before ``day`` read nothing dated ``day``: the same fold with or without its
    # check-in, which the kept fold holds already
    before, folded = _folded(
        content, programme, checkins, outcomes, day - timedelta(days=1), overrides
    )
    if day < programme.started_on:
        return before, folded
    todays = step_day(before, checkins, content.protocol, day, outcomes, overrides)
    return session_state(before, todays), [*folded, todays]


def fold_for_day(
    content: ProgrammeContent,
    programme: Programme,
    checkins: Sequence[Checkin],
    outcomes: Outcomes,
    day: date,
    overrides: Sequence[Override] = NO_OVERRIDES,
) -> tuple[ProgrammeState, list[Decision]]:
    """``state_on`` for callers that have already read the check-ins and outcomes."""
    require_within_reach(programme, day, content.words)
    through = day if any(c.date == day for c in checkins) else day - timedelta(days=1)
    return _folded(content, programme, checkins, outcomes, through, overrides)


def _folded(
    content: ProgrammeContent,
    programme: Programme,
    checkins: Sequence[Checkin],
    outcomes: Outcomes,
    through: date,
    overrides: Sequence[Override],
) -> tuple[ProgrammeState, list[Decision]]:
    """The state through ``through`` and the days folded in memory to reach it: those after
    the stored state when it is not later than ``through``, otherwise every day from the
    first (kept from the last fold where the inputs did not change)."""
    if through < programme.started_on:
        return programme.start, []
    done = programme.state.evaluated_through
    protocol = content.protocol
    if done is not None and done <= through:
        return folds.fold_from_stored(protocol, programme, checkins, outcomes, overrides, through)
    fold = folds.fold_from_start(protocol, programme, checkins, outcomes, overrides, through)
    state = fold.state_through(through)
    assert state is not None  # folded through ``through`` at least
    return state, fold.between(programme.started_on, through)


def programme_checkins(repo: Repository, programme: Programme) -> list[StoredCheckin]:
    """The check-ins the programme folds: from its first day on, but a check-in of that first
    day sent before the programme's knee check, which belongs to the programme before (the
    runner referred by this morning's check-in who sees a clinician and takes a new knee
    check the same day starts afresh; the knee check asked the same warning signs again)."""
    stored = repo.checkins(programme.person_id, programme.started_on)
    versions = repo.assessments(programme.person_id)
    if not stored or stored[0].checkin.date != programme.started_on or not versions:
        return stored
    assessed = versions[programme.assessment_version - 1].recorded_at
    return [
        s
        for s in stored
        if not (s.checkin.date == programme.started_on and s.recorded_at < assessed)
    ]


def overrides_of(repo: Repository, person_id: str) -> tuple[Override, ...]:
    """What the person's physiotherapists set, as the fold reads it."""
    return tuple(s.override for s in repo.overrides(person_id))
