"""Use cases that read the journal: "what do I do today?" (the API's and the command line's
document, and the Today page), and the history.

Reading never writes: "today" folds the days since the last check-in in memory only, so asking
about a date never changes what a later check-in decides.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from typing import Any

from runrehab.content.schema import Exercise
from runrehab.content.words import Words
from runrehab.engine.checkin import Checkin
from runrehab.engine.day import DayPlan
from runrehab.engine.outcomes import Outcomes
from runrehab.engine.questionnaire import due_questionnaires
from runrehab.engine.state import Action, Decision, Status
from runrehab.engine.values import Disposition, PathwayId, Reason
from runrehab.services.activities.load_view import CadenceTargetView, cadence_target_view
from runrehab.services.content import ProgrammeContent
from runrehab.services.intake.triage import headline, until_seen
from runrehab.services.journal.day_plan import PlannedDay, plan_for_day
from runrehab.services.journal.days import day_text
from runrehab.services.journal.described import (
    DecisionView,
    PhaseView,
    StoredDecision,
    decision_view,
    described,
    phase_view,
    stored_decision,
)
from runrehab.services.journal.kept import KeptViews
from runrehab.services.journal.lessons import DayEducation, day_reading
from runrehab.services.journal.programme import decision_record, require_programme, resolve_person
from runrehab.services.journal.questionnaires import PromptView, day_prompts
from runrehab.services.journal.readiness_checks import (
    CheckinTemplate,
    ReadinessAsk,
    ReadinessCheck,
    checkin_template,
    readiness_asks,
    readiness_view,
)
from runrehab.services.journal.session_view import NO_SESSION, SessionDoc, session_view
from runrehab.services.ports import Repository, UnitOfWork
from runrehab.services.reasons import ReasonView
from runrehab.services.records import DecisionRecord, Person, Programme, StoredCheckin
from runrehab.services.views import jsonable

MISSING_DAYS_ASKED = 7
SCHEMA_VERSION = 1


# --- the views --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RunAnswer:
    """ "Can I run today?": ``kind`` (yes, reduced, done, done_then_no, not_a_run_day, no),
    its words for a badge, the badge's style and the headline that says it in full."""

    kind: str
    words: str
    style: str
    headline: str


@dataclass(frozen=True, slots=True)
class ProgrammeView:
    id: str
    status: Status
    pathway: PathwayId
    started: date
    day: int
    """The programme's day: 1 on the day it started."""
    phase_started: date
    rung: int | None
    dose_level: int
    hold_running_until: date | None


@dataclass(frozen=True, slots=True)
class DaysAsk:
    """A report that is missing for ``dates``: a check-in (``checkin``) or a watch run to add
    to one (``run_report``). Asked for, never invented."""

    kind: str
    dates: tuple[date, ...]
    text: str


@dataclass(frozen=True, slots=True)
class ReadingAsk:
    kind: str
    lessons: tuple[str, ...]
    dates: tuple[date, ...]
    text: str


@dataclass(frozen=True, slots=True)
class QuestionnaireAsk:
    kind: str
    instrument: str
    dates: tuple[date, ...]
    text: str
    name: str = field(default="", metadata={"json": None})
    baseline: bool = field(default=False, metadata={"json": None})
    """The runner's starting score (the page says so)."""


Ask = DaysAsk | ReadingAsk | QuestionnaireAsk | ReadinessAsk


@dataclass(frozen=True, slots=True)
class TodayBase:
    """What every day says: the contract's ``today`` fields, the answer with its reasons, the
    programme and what is still to report. A stopped programme's day says only this
    (``StoppedToday``); any other day says more (``TodayView``)."""

    schema_version: int
    date: date
    disposition: Disposition
    phase: PhaseView
    run_today: str
    """The contract's answer: yes, reduced or no (no run planned is "no")."""
    session: SessionDoc
    run_answer: RunAnswer
    reasons: tuple[ReasonView, ...]
    headline: str
    meanwhile: tuple[str, ...]
    exercise_pain_guide: str
    """The one pain guide of every exercise, rendered from the settings the engine uses."""
    programme: ProgrammeView
    status_decision: StoredDecision | None
    """The decision that stopped or referred the programme, while it is."""
    asks: tuple[Ask, ...]


@dataclass(frozen=True, slots=True)
class StoppedToday(TodayBase):
    """A day of a stopped programme: where to go, and why; nothing to do."""


@dataclass(frozen=True, slots=True)
class TodayView(TodayBase):
    """A day of an active (or referred) programme: what to do, and what to watch for."""

    warnings: tuple[ReasonView, ...]
    cadence: CadenceTargetView | None
    prompts: tuple[PromptView, ...]
    """Prompts to get help: they never change the day's decision."""
    readiness_checks: tuple[ReadinessCheck, ...]
    checkin_template: CheckinTemplate
    education: DayEducation


DayView = TodayView | StoppedToday


# --- the use cases ----------------------------------------------------------------------------


DAYS: KeptViews[DayView] = KeptViews()
"""The days worked out by this process, kept while the person's journal is unchanged."""


def day_view(
    uow: UnitOfWork, content: ProgrammeContent, day: date, person_id: str | None = None
) -> DayView:
    """What to do on ``day``: the contract's ``today`` document, and more for people."""
    with uow:
        return day_view_in(uow.repo, content, day, person_id)


def day_view_in(
    repo: Repository,
    content: ProgrammeContent,
    day: date,
    person_id: str | None = None,
    person: Person | None = None,
) -> DayView:
    """``day_view`` inside an open unit of work that has written nothing yet (``person``: the
    runner, already read in it). A day already worked out from the same journal rows
    (``Person.data_version``) is not worked out again."""
    if person is None:
        person = resolve_person(repo, person_id, content.words)
    kept = DAYS.get(person, day, content)
    if kept is not None:
        return kept
    view = _today(repo, content, require_programme(repo, person, content.words), day)
    DAYS.put(person, day, content, view)
    return view


def today_view(
    uow: UnitOfWork, content: ProgrammeContent, day: date, person_id: str | None = None
) -> dict[str, Any]:
    """``day_view`` as its JSON document, for the callers that read it as one."""
    document: dict[str, Any] = jsonable(day_view(uow, content, day, person_id))
    return document


def _today(repo: Repository, content: ProgrammeContent, programme: Programme, day: date) -> DayView:
    planned = plan_for_day(repo, content, programme, day)
    base = _base(repo, content, programme, planned)
    if base.programme.status is Status.STOPPED:
        return StoppedToday(**_parts(base))
    return _planned(content, programme, planned, base)


def _parts(view: TodayBase) -> dict[str, Any]:
    """The values of ``TodayBase``'s fields, by name (not copied)."""
    return {f.name: getattr(view, f.name) for f in fields(TodayBase)}


def _base(
    repo: Repository, content: ProgrammeContent, programme: Programme, planned: PlannedDay
) -> TodayBase:
    plan, words = planned.plan, content.words
    answer = day_answer(repo, content, programme, planned)
    session, run_today = session_of(plan, words)
    return TodayBase(
        schema_version=SCHEMA_VERSION,
        date=plan.date,
        disposition=answer.disposition,
        phase=phase_view(content, plan.state.phase),
        run_today=run_today,
        session=session,
        run_answer=answer.run,
        reasons=answer.reasons,
        headline=answer.headline,
        meanwhile=until_seen(words, answer.disposition),
        exercise_pain_guide=content.catalogue.protocol.exercise_pain_guide,
        programme=_programme(programme, plan),
        status_decision=None if answer.status is None else stored_decision(answer.status),
        asks=_checkin_asks(programme, plan.date, planned.checkins, words),
    )


def session_of(plan: DayPlan, words: Words) -> tuple[SessionDoc, str]:
    """The day's session as a document, and the contract's answer to "run today?" (no run
    planned is "no")."""
    session = NO_SESSION if plan.session is None else session_view(plan.session, words)
    run_today = "no" if session["run"] is None else plan.run.answer.value
    return session, run_today


@dataclass(frozen=True, slots=True)
class DayAnswer:
    """The day's one answer: can I run, the headline, why, and the decision that stopped or
    referred the programme (whose disposition is then the day's)."""

    disposition: Disposition
    run: RunAnswer
    headline: str
    reasons: tuple[ReasonView, ...]
    status: DecisionRecord | None


def day_answer(
    repo: Repository, content: ProgrammeContent, programme: Programme, planned: PlannedDay
) -> DayAnswer:
    """The answer of a planned day, as Today and a check-in's answer both say it."""
    plan, state, words = planned.plan, planned.plan.state, content.words
    status = None
    if state.status is not Status.ACTIVE:
        status = _status_decision(repo, programme, planned.folded)
    disposition = plan.disposition if status is None else status.disposition
    answer = run_answer(plan, disposition, words)
    return DayAnswer(
        disposition,
        answer,
        _headline(plan, disposition, answer, words),
        described(content, _reasons(plan, state.status, status)),
        status,
    )


def _planned(
    content: ProgrammeContent, programme: Programme, planned: PlannedDay, base: TodayBase
) -> TodayView:
    """The rest of an active or referred day: warnings, the step rate, prompts to get help,
    the readiness checks (each with its result, how to do it and how to report it; those still
    to do are asked for), the day's check-in to fill in, and the day's reading."""
    plan, day, words = planned.plan, planned.plan.date, content.words
    checks = readiness_view(plan, planned.checkins, content)
    template = checkin_template(base.session, base.run_today, day)
    lessons = () if plan.session is None else plan.session.reading
    reading = day_reading(lessons, planned.lessons_read, day, content)
    session = base.session.copy()
    session["reading"] = list(reading.items)
    asks = (
        *base.asks,
        *_unreported_runs(plan, programme, day, words),
        *_questionnaires_due(content, programme, planned.outcomes, day),
        *readiness_asks(checks, day, words),
        *_late_reading(reading.items, day, words),
    )
    return TodayView(
        **{**_parts(base), "session": session, "asks": asks},
        warnings=described(content, plan.warnings),
        cadence=cadence_target_view(plan.cadence, content),
        prompts=day_prompts(content, programme.started_on, planned.outcomes, day),
        readiness_checks=checks,
        checkin_template=template,
        education=reading.education,
    )


def _programme(programme: Programme, plan: DayPlan) -> ProgrammeView:
    s = plan.state
    return ProgrammeView(
        id=programme.id,
        status=s.status,
        pathway=s.pathway,
        started=programme.started_on,
        day=(plan.date - programme.started_on).days + 1,
        phase_started=s.phase_started,
        rung=s.rung or None,
        dose_level=s.dose_level,
        hold_running_until=s.hold_running_until,
    )


def _reasons(plan: DayPlan, status: Status, stop: DecisionRecord | None) -> list[Reason]:
    reasons: list[Reason] = []
    if status is not Status.ACTIVE and stop is not None:
        reasons.extend(stop.reasons)  # what stopped or referred the programme comes first
    reasons.extend(plan.run.reasons)
    if plan.session is not None:
        reasons.extend(plan.session.reasons)
    return reasons  # never empty: every run answer carries its reasons


# --- can I run? -------------------------------------------------------------------------------

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

RUN_STYLES = {
    "yes": "go",
    "reduced": "caution",
    "done": "go",
    "done_then_no": "stop",
    "not_a_run_day": "neutral",
    "no": "stop",
}
"""The style of each run answer's badge (``today.run.<kind>`` has its words)."""


def run_answer(plan: DayPlan, disposition: Disposition, words: Words) -> RunAnswer:
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
    return RunAnswer(
        kind,
        words.say(f"today.run.{kind}.words"),
        RUN_STYLES[kind],
        words.say(f"today.run.{kind}.headline"),
    )


def _headline(plan: DayPlan, disposition: Disposition, answer: RunAnswer, words: Words) -> str:
    if disposition is not Disposition.SELF_MANAGE:
        return headline(words, disposition)
    if answer.kind in ("yes", "reduced", "done", "done_then_no"):
        return answer.headline
    session = plan.session
    if session is not None and session.kind == "rest":
        # reading is not training: still a rest day for the knee
        return words.say("today.rest.reading" if session.reading else "today.rest.nothing")
    return words.say(f"today.run.{answer.kind}.with_exercises")


def _status_decision(
    repo: Repository, programme: Programme, folded: list[Decision]
) -> DecisionRecord | None:
    """The decision that stopped or referred the programme, if it has been."""
    for d in reversed(folded):
        if d.action in (Action.STOP, Action.REFER):
            return decision_record(programme.id, d)
    stored = [d for d in repo.decisions(programme.id) if d.action in (Action.STOP, Action.REFER)]
    return stored[-1] if stored else None


# --- what is still to report ------------------------------------------------------------------


def _checkin_asks(
    programme: Programme, day: date, checkins: list[Checkin], words: Words
) -> tuple[DaysAsk, ...]:
    """Check-ins that are missing: asked for, never invented."""
    reported = {c.date for c in checkins}
    asks = []
    first = max(programme.started_on, day - timedelta(days=MISSING_DAYS_ASKED))
    missing = [
        first + timedelta(days=i)
        for i in range((day - first).days)
        if first + timedelta(days=i) not in reported
    ]
    if missing:
        listed = ", ".join(d.isoformat() for d in missing)
        asks.append(
            DaysAsk("checkin", tuple(missing), words.say("today.ask.missed_days", days=listed))
        )
    if day not in reported:
        asks.append(DaysAsk("checkin", (day,), words.say("today.ask.checkin_today")))
    return tuple(asks)


def _unreported_runs(
    plan: DayPlan, programme: Programme, day: date, words: Words
) -> tuple[DaysAsk, ...]:
    """Watch runs of the last week that no check-in reports (by its day or by naming the
    activity): their pain decides the next run."""
    first = max(programme.started_on, day - timedelta(days=MISSING_DAYS_ASKED))
    days = tuple(sorted({d for d in plan.unreported_runs if first <= d}))
    if not days:
        return ()
    listed = ", ".join(d.isoformat() for d in days)
    return (DaysAsk("run_report", days, words.say("today.ask.run_report", days=listed)),)


def _questionnaires_due(
    content: ProgrammeContent, programme: Programme, outcomes: Outcomes, day: date
) -> tuple[QuestionnaireAsk, ...]:
    due = due_questionnaires(programme.started_on, outcomes, day, content.protocol.settings)
    names, words = content.instruments, content.words
    asks = []
    for d in due:
        name = names[d.instrument].name
        key = "today.ask.questionnaire_baseline" if d.baseline else "today.ask.questionnaire"
        text = words.say(key, name=name, instrument=d.instrument, day=day.isoformat())
        asks.append(QuestionnaireAsk("questionnaire", d.instrument, (day,), text, name, d.baseline))
    return tuple(asks)


def _late_reading(items: Sequence[Any], day: date, words: Words) -> tuple[ReadingAsk, ...]:
    """The lessons carried over from an earlier day and still unread, asked for."""
    late = [x for x in items if x.carried and not x.read]
    if not late:
        return ()
    listed = "; ".join(
        words.say("today.ask.reading_lesson", title=x.title, lesson=x.id) for x in late
    )
    text = words.say("today.ask.reading", lessons=listed)
    return (ReadingAsk("reading", tuple(x.id for x in late), (day,), text),)


# --- the Today page -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PageAsk:
    """One of the day's asks as the Today page links it: ``kind`` says where the link leads
    (``checkin``: the check-in of ``day``, or today's when None; ``questionnaire``: the page
    of the questionnaire ``target``; ``section``: the part of the page whose id is
    ``target``)."""

    kind: str
    text: str
    day: date | None = None
    target: str = ""


@dataclass(frozen=True, slots=True)
class TodayPage:
    """The Today page of a day: its view, the asks as links, the exercises' guides, and the
    days either side to go to."""

    view: DayView
    today: date
    """The runner's own today."""
    previous: date | None
    next: date | None
    links: tuple[PageAsk, ...]
    guides: Mapping[str, Exercise]
    """How to do each exercise of the day, by its id."""
    clinic: Any = None
    """The runner's clinic on the page (``services.clinic.care.ClinicPanel``): their
    physiotherapist's changes in force and latest message; None without a clinic."""

    @property
    def is_today(self) -> bool:
        return self.view.date == self.today

    @property
    def red_flag(self) -> bool:
        """A stopped programme stopped by a red flag (an emergency, or a doctor today)."""
        stop = self.view.status_decision
        disposition = Disposition.URGENT if stop is None else stop.disposition
        return disposition.severity >= Disposition.URGENT.severity


def today_page(
    repo: Repository,
    content: ProgrammeContent,
    person_id: str,
    day: date,
    today: date,
    person: Person | None = None,
) -> TodayPage:
    """The Today page of ``day``, for a runner whose own day is ``today``, inside an open unit
    of work (the clinic's page adds its panel in the same one)."""
    view = day_view_in(repo, content, day, person_id, person)
    started = view.programme.started
    session = view.session
    shown = [*session.get("exercises", []), *session.get("after_run", [])]
    catalogue = content.catalogue.exercises
    return TodayPage(
        view=view,
        today=today,
        previous=day - timedelta(days=1) if day > started else None,
        next=day + timedelta(days=1) if day < today else None,
        links=page_asks(view, today, content.words),
        guides={e["id"]: catalogue[e["id"]] for e in shown if e["id"] in catalogue},
    )


def page_asks(view: DayView, today: date, words: Words) -> tuple[PageAsk, ...]:
    """The view's asks as links a person can follow (the view's own text names commands),
    the questionnaires last."""
    links: list[PageAsk] = []
    for ask in view.asks:
        if isinstance(ask, DaysAsk) and ask.kind == "checkin":
            links.extend(_checkin_link(d, today, words) for d in ask.dates)
        elif isinstance(ask, DaysAsk):
            links.extend(
                PageAsk("checkin", words.say("today.link.run_report", day=day_text(d)), d)
                for d in ask.dates
            )
        elif isinstance(ask, ReadinessAsk) and isinstance(view, TodayView):
            check = next(c for c in view.readiness_checks if c.id == ask.gate)
            text = words.say("today.link.readiness", when=check.when, test=check.text)
            links.append(PageAsk("section", text, target=f"test-{check.id}"))
        elif isinstance(ask, ReadingAsk):
            titles = {r.id: r.title for r in view.session.get("reading", [])}
            links.extend(
                PageAsk(
                    "section",
                    words.say("today.link.reading", title=titles.get(i, i)),
                    target=f"lesson-{i}",
                )
                for i in ask.lessons
            )
    for ask in view.asks:
        if isinstance(ask, QuestionnaireAsk):
            key = (
                "today.link.questionnaire_baseline" if ask.baseline else "today.link.questionnaire"
            )
            links.append(
                PageAsk("questionnaire", words.say(key, name=ask.name), target=ask.instrument)
            )
    return tuple(links)


def _checkin_link(day: date, today: date, words: Words) -> PageAsk:
    if day == today:
        return PageAsk("checkin", words.say("today.ask.checkin_today"))
    return PageAsk("checkin", words.say("today.link.missed_day", day=day_text(day)), day)


# --- the history --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AssessmentEntry:
    version: int
    date: date
    disposition: Disposition


@dataclass(frozen=True, slots=True)
class ProgrammeEntry:
    id: str
    assessment_version: int
    started: date
    ended: date | None
    status: Status
    phase: PhaseView
    decisions: tuple[DecisionView, ...]


@dataclass(frozen=True, slots=True)
class CheckinEntry:
    """A stored check-in: its day, its revision (2 once replaced), when it was recorded, and
    the document as it was sent."""

    date: date
    revision: int
    recorded_at: datetime
    checkin: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class ResponseEntry:
    instrument: str
    date: date
    score: float
    answers: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class NoteEntry:
    date: date
    author: str
    text: str


@dataclass(frozen=True, slots=True)
class HistoryView:
    """Every assessment, programme (with its decisions), check-in, questionnaire and note, in
    date order."""

    schema_version: int
    person: str
    assessments: tuple[AssessmentEntry, ...]
    programmes: tuple[ProgrammeEntry, ...]
    checkins: tuple[CheckinEntry, ...]
    questionnaires: tuple[ResponseEntry, ...]
    notes: tuple[NoteEntry, ...]


def history_of(
    uow: UnitOfWork, content: ProgrammeContent, person_id: str | None = None
) -> HistoryView:
    """Every assessment, check-in, questionnaire and decision, in date order."""
    with uow:
        repo = uow.repo
        person = resolve_person(repo, person_id, content.words)
        return HistoryView(
            schema_version=SCHEMA_VERSION,
            person=person.id,
            assessments=tuple(
                AssessmentEntry(a.version, a.recorded_on, a.disposition)
                for a in repo.assessments(person.id)
            ),
            programmes=tuple(
                _programme_entry(repo, content, p) for p in repo.programmes(person.id)
            ),
            checkins=tuple(checkin_entry(c) for c in repo.checkins(person.id)),
            questionnaires=tuple(
                ResponseEntry(r.instrument, r.day, r.score, r.answers)
                for r in repo.responses(person.id)
            ),
            notes=tuple(NoteEntry(n.day, n.author, n.text) for n in repo.notes(person.id)),
        )


def history_view(
    uow: UnitOfWork, content: ProgrammeContent, person_id: str | None = None
) -> dict[str, Any]:
    """``history_of`` as its JSON document, for the callers that read it as one."""
    document: dict[str, Any] = jsonable(history_of(uow, content, person_id))
    return document


def checkin_entry(c: StoredCheckin) -> CheckinEntry:
    """A stored check-in (``records.StoredCheckin``) as the history lists it."""
    return CheckinEntry(c.day, c.revision, c.recorded_at, c.document)


def _programme_entry(repo: Repository, content: ProgrammeContent, p: Programme) -> ProgrammeEntry:
    return ProgrammeEntry(
        id=p.id,
        assessment_version=p.assessment_version,
        started=p.started_on,
        ended=p.ended_on,
        status=p.state.status,
        phase=phase_view(content, p.state.phase),
        decisions=tuple(decision_view(content, d) for d in repo.decisions(p.id)),
    )
