"""Use cases of the daily check-in: record one (the API's or the command line's document, or
the web form's answers), the form to fill in, the document to fill in, and the answer after it.

Every check of a check-in is here and in ``programme.check_checkin`` (its contract first, then
its day: not after the runner's today, not before the programme; its exercises), so the web
form, the API and the command line refuse the same things with the same words. Recording folds
the day into the programme in the same transaction; the answer tells the day's decision.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from runrehab.engine.checkin import Checkin
from runrehab.engine.session import Session
from runrehab.engine.state import Status
from runrehab.engine.values import Colour, Disposition
from runrehab.errors import InvalidDocument, JournalError, Problem
from runrehab.services.content import ProgrammeContent
from runrehab.services.intake.triage import headline, until_seen
from runrehab.services.journal.day_plan import plan_for_day
from runrehab.services.journal.days import DayNotAllowed, check_day, day_text
from runrehab.services.journal.described import DecisionView, PhaseView, decision_view, phase_view
from runrehab.services.journal.programme import (
    CheckedIn,
    record_in,
    require_programme,
    resolve_person,
)
from runrehab.services.journal.readiness_checks import (
    CheckinTemplate,
    checkin_template,
    readiness_view,
)
from runrehab.services.journal.session_view import running_minutes
from runrehab.services.journal.today import (
    SCHEMA_VERSION,
    CheckinEntry,
    checkin_entry,
    day_answer,
    session_of,
)
from runrehab.services.ports import Clock, Repository, UnitOfWork
from runrehab.services.reasons import ReasonView
from runrehab.services.records import DecisionRecord, Person, Programme

CheckinReader = Callable[[Any], Checkin]
"""Reads a check-in document (parsed JSON) into the engine's check-in, checking it against
the contract (``adapters.documents.read_checkin``): ``InvalidDocument`` naming each problem."""


# --- recording a check-in ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CheckinProgramme:
    status: Status
    phase: PhaseView
    rung: int | None


@dataclass(frozen=True, slots=True)
class CheckinView:
    """A recorded check-in's answer, as ``runrehab checkin --json`` prints it and the API
    returns it: the day's decision with its reasons, and the programme's state."""

    schema_version: int
    date: date
    recorded: bool
    replaced: bool
    revision: int
    decision: DecisionView | None
    headline: str | None
    programme: CheckinProgramme


def checkin_view(done: CheckedIn, content: ProgrammeContent) -> CheckinView:
    state = done.programme.state
    decision = done.decision
    return CheckinView(
        schema_version=SCHEMA_VERSION,
        date=done.stored.day,
        recorded=True,
        replaced=done.replaced,
        revision=done.stored.revision,
        decision=None if decision is None else decision_view(content, decision),
        headline=None if decision is None else headline(content.words, decision.disposition),
        programme=CheckinProgramme(
            state.status, phase_view(content, state.phase), state.rung or None
        ),
    )


def check_in(
    uow: UnitOfWork,
    clock: Clock,
    content: ProgrammeContent,
    read: CheckinReader,
    document: Any,
    today: date,
    person_id: str | None = None,
) -> CheckinView:
    """Record the check-in ``document`` (replacing the day's earlier one) for a runner whose
    own day is ``today``, and fold it into the programme. ``InvalidDocument`` naming each
    problem when the document breaks its contract or the check-in rules; nothing is written
    then."""
    # the document is checked before the transaction, so writers wait on no one's checking
    # (SQLite writes one at a time); a runner without a programme is still told so first
    try:
        checkin, refused = read(document), None
    except InvalidDocument as err:
        checkin, refused = None, err
    with uow:
        _person, programme = _programme(uow.repo, content, person_id)
        if checkin is None:
            assert refused is not None
            raise refused
        done = record_in(uow.repo, clock, content, document, checkin, programme, today)
        uow.commit()
    return checkin_view(done, content)


# --- the form ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FormExercise:
    """An exercise the form asks about: the day's dose, which a tick reports as done."""

    id: str
    name: str
    sets: int
    reps: int | None = None
    hold_seconds: int | None = None


@dataclass(frozen=True, slots=True)
class FormTest:
    """A readiness test the day's session holds (a phase gate), asked for with its own pain:
    the exercise's sets and reps, or the walk's minutes and a limp."""

    id: str
    kind: str
    """``exercise_test`` or ``walk_test``."""
    name: str
    text: str
    exercise: str | None = None
    sets: int | None = None
    reps: int | None = None
    minutes: float | None = None

    @property
    def walk(self) -> bool:
        return self.kind == "walk_test"


@dataclass(frozen=True, slots=True)
class CheckinForm:
    """The check-in form of a day: the exercises it asks about (the day's, then any others its
    stored check-in reported), the readiness tests the day's session holds (each asked about
    on its own, with its own pain), and the day's stored check-in to correct or complete."""

    day: date
    started: date
    today: date
    exercises: tuple[FormExercise, ...]
    tests: tuple[FormTest, ...]
    stored: Mapping[str, Any] | None
    run_minutes: int | None = None
    """The minutes of running the day plans (the walking breaks left out), to offer a fresh
    form as run as planned; None on a day without a run."""


def checkin_form(
    uow: UnitOfWork, content: ProgrammeContent, person_id: str, day: date, today: date
) -> CheckinForm:
    """The check-in form of ``day`` (a day of the programme, not after ``today``)."""
    with uow:
        person, programme = _programme(uow.repo, content, person_id)
        return _form(uow.repo, content, person, programme, day, today)


def _programme(
    repo: Repository, content: ProgrammeContent, person_id: str | None
) -> tuple[Person, Programme]:
    person = resolve_person(repo, person_id, content.words)
    return person, require_programme(repo, person, content.words)


def _form(
    repo: Repository,
    content: ProgrammeContent,
    person: Person,
    programme: Programme,
    day: date,
    today: date,
) -> CheckinForm:
    planned = plan_for_day(repo, content, programme, day)
    stored = repo.get_checkin(person.id, day)
    document = None if stored is None else dict(stored.document)
    tests = tuple(
        FormTest(c.id, c.kind, c.name, c.text, c.dose.exercise, c.dose.sets, c.dose.reps)
        if not c.walk
        else FormTest(c.id, c.kind, c.name, c.text, minutes=c.dose.minutes)
        for c in readiness_view(planned.plan, planned.checkins, content)
        if c.today
    )
    exercises = _form_exercises(content, planned.plan.session, tests, document)
    session, run_today = session_of(planned.plan, content.words)
    run = session.get("run")
    minutes = None if run is None or run_today == "no" else running_minutes(run) or None
    return CheckinForm(day, programme.started_on, today, exercises, tests, document, minutes)


def _form_exercises(
    content: ProgrammeContent,
    session: Session | None,
    tests: tuple[FormTest, ...],
    stored: Mapping[str, Any] | None,
) -> tuple[FormExercise, ...]:
    """The day's exercises (and after-run routine), then any others its stored check-in
    reported; a readiness test's exercise is asked about with the test, not here."""
    known = content.catalogue.exercises
    tested = {t.exercise for t in tests if t.exercise}
    found: dict[str, FormExercise] = {}
    prescribed = [] if session is None else [*session.exercises, *session.after_run]
    for p in prescribed:
        if (p.exercise in tested and p.test) or p.exercise not in known or p.exercise in found:
            continue
        t = p.target
        found[p.exercise] = FormExercise(p.exercise, p.name, t.sets, t.reps, t.hold_seconds)
    for e in (stored or {}).get("exercises", []):
        if e["id"] in known and e["id"] not in found:
            found[e["id"]] = FormExercise(
                e["id"], known[e["id"]].name, e["sets"], e.get("reps"), e.get("hold_seconds")
            )
    return tuple(found.values())


FormFiller = Callable[[CheckinForm], tuple[dict[str, Any], Mapping[str, str]]]
"""Turns a posted form into a check-in document, and names each field it could not read
(the web's form reader: it knows the form's fields, this knows the day's exercises)."""


@dataclass(frozen=True, slots=True)
class FormOutcome:
    """A posted form: the form again, with what was wrong (the form's own ``errors`` by field,
    or the check-in's ``problems`` by JSON path, and the ``document`` they are about), or the
    recorded check-in's answer."""

    form: CheckinForm
    saved: CheckinView | None = None
    errors: Mapping[str, str] | None = None
    problems: tuple[Problem, ...] = ()
    document: Mapping[str, Any] | None = None


def submit_checkin_form(
    uow: UnitOfWork,
    clock: Clock,
    content: ProgrammeContent,
    read: CheckinReader,
    fill: FormFiller,
    person_id: str,
    posted: date | None,
    today: date,
) -> FormOutcome:
    """Record the check-in a web form describes, in one transaction: the form of the day it
    names (``posted``, when it is a day one may report; else ``today``, and the check says what
    is wrong with the day), filled in by ``fill``, checked as every check-in is."""
    with uow:
        person, programme = _programme(uow.repo, content, person_id)
        day = _shown_day(content, posted, today, programme.started_on)
        form = _form(uow.repo, content, person, programme, day, today)
        document, errors = fill(form)
        if errors:
            return FormOutcome(form, errors=errors, document=document)
        try:
            done = record_in(uow.repo, clock, content, document, read(document), programme, today)
        except InvalidDocument as err:
            return FormOutcome(form, problems=err.problems, document=document)
        uow.commit()
    return FormOutcome(form, saved=checkin_view(done, content))


def _shown_day(content: ProgrammeContent, posted: date | None, today: date, started: date) -> date:
    if posted is None:
        return today
    try:
        check_day(content.words, posted, today, started)
    except DayNotAllowed:
        return today
    return posted


# --- the document to fill in --------------------------------------------------------------------


def checkin_template_of(
    uow: UnitOfWork, content: ProgrammeContent, day: date, person_id: str | None = None
) -> CheckinTemplate | None:
    """The check-in document of ``day`` to fill in (the day's session as planned, readiness
    tests included, ``None`` wherever the runner's answer goes); None while the programme is
    stopped: there is nothing to report but the knee, and a doctor to see first."""
    with uow:
        _person, programme = _programme(uow.repo, content, person_id)
        planned = plan_for_day(uow.repo, content, programme, day)
    if planned.plan.state.status is Status.STOPPED:
        return None
    session, run_today = session_of(planned.plan, content.words)
    return checkin_template(session, run_today, day)


# --- the answer ---------------------------------------------------------------------------------


class NoCheckin(JournalError, LookupError):
    """No check-in for the day asked about (the web answers 404)."""


@dataclass(frozen=True, slots=True)
class ColourWords:
    """A session's colour in words: its badge's style, its title and what it means."""

    style: str
    title: str
    text: str


COLOUR_STYLES = {Colour.GREEN: "go", Colour.AMBER: "caution", Colour.RED: "stop"}


@dataclass(frozen=True, slots=True)
class DecisionAnswer:
    """The decision a day's check-in led to, in words, with its reasons."""

    decision: DecisionView
    action_words: str
    colour: ColourWords | None
    worst_note: str | None
    """A green or amber session with a day's worst pain above the green zone: said beside the
    session's colour, so that the day is never simply called green."""
    headline: str
    meanwhile: tuple[str, ...]

    @property
    def red_flag(self) -> bool:
        return self.decision.disposition.severity >= Disposition.URGENT.severity

    @property
    def see_someone(self) -> bool:
        return self.decision.disposition is not Disposition.SELF_MANAGE


@dataclass(frozen=True, slots=True)
class RunToday:
    """ "Can I run today?" after today's check-in: the answer, its headline and first reason."""

    words: str
    style: str
    headline: str
    reason: ReasonView | None


@dataclass(frozen=True, slots=True)
class CheckinAnswer:
    """What a day's check-in told the programme, and (on the runner's today) whether to run."""

    day: date
    today: date
    decision: DecisionAnswer | None
    run: RunToday | None

    @property
    def is_today(self) -> bool:
        return self.day == self.today


def checkin_answer(
    uow: UnitOfWork, content: ProgrammeContent, person_id: str, day: date, today: date
) -> CheckinAnswer:
    """The answer to the check-in of ``day``: its decision (the fold's; the intake's, first,
    is not a check-in's) and, on ``today`` unless a red flag stopped everything, whether to
    run. ``NoCheckin`` when there is none for the day."""
    words = content.words
    with uow:
        repo = uow.repo
        person, programme = _programme(repo, content, person_id)
        stored = repo.get_checkin(person.id, day)
        if stored is None:
            raise NoCheckin(words.say("checkin.answer.none", day=day_text(day, True)))
        found = _decision_on(repo, programme, day)
        decision = None if found is None else _decision(content, found, stored.checkin)
        run = None
        if day == today and (decision is None or not decision.red_flag):
            planned = plan_for_day(repo, content, programme, day)
            answer = day_answer(repo, content, programme, planned)
            first = answer.reasons[0] if answer.reasons else None
            run = RunToday(answer.run.words, answer.run.style, answer.headline, first)
    return CheckinAnswer(day, today, decision, run)


def _decision_on(repo: Repository, programme: Programme, day: date) -> DecisionRecord | None:
    decisions = repo.decisions(programme.id)[1:]
    return next((d for d in reversed(decisions) if d.day == day), None)


def _decision(content: ProgrammeContent, found: DecisionRecord, checkin: Checkin) -> DecisionAnswer:
    words, colour = content.words, found.colour
    said = None
    if colour is not None:
        said = ColourWords(
            COLOUR_STYLES[colour],
            words.say(f"today.colour.{colour.value}.title"),
            words.say(f"today.colour.{colour.value}.text"),
        )
    return DecisionAnswer(
        decision=decision_view(content, found),
        action_words=words.say(f"today.action.{found.action.value}"),
        colour=said,
        worst_note=_worst_note(content, found, checkin),
        headline=headline(words, found.disposition),
        meanwhile=until_seen(words, found.disposition),
    )


def _worst_note(content: ProgrammeContent, found: DecisionRecord, checkin: Checkin) -> str | None:
    if found.colour is None or found.colour is Colour.RED:
        return None
    worst = checkin.pain.worst
    if worst <= content.protocol.settings.green_max_pain:
        return None
    return content.words.say("checkin.answer.worst_above_green", worst=worst)


# --- the check-ins ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CheckinList:
    """The runner's check-ins, newest first."""

    checkins: tuple[CheckinEntry, ...]


def checkins_of(
    uow: UnitOfWork, content: ProgrammeContent, person_id: str, day: date | None = None
) -> CheckinList:
    """The runner's check-ins (``day``'s only, when given), newest first."""
    with uow:
        person = resolve_person(uow.repo, person_id, content.words)
        stored = uow.repo.checkins(person.id)
    found = [checkin_entry(c) for c in stored if day is None or c.day == day]
    found.sort(key=lambda c: c.date, reverse=True)
    return CheckinList(tuple(found))
