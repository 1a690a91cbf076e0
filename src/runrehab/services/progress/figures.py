"""A runner's progress, assembled from the journal for the report, the charts and the calendar.

Pure data: nothing here draws or renders (the exporters in ``runrehab.adapters.exports`` do).
Every figure is what the runner reported; a day without a check-in stays a missing day, and a
week without data says so, so that nothing in a report to a clinician is invented.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from statistics import mean
from typing import Any

from runrehab.content import locale
from runrehab.content.words import Words
from runrehab.engine.assessment import Assessment
from runrehab.engine.checkin import Checkin, ExerciseLog
from runrehab.engine.fear_screen import is_high
from runrehab.engine.pathway import choose_pathway
from runrehab.engine.projection import project_from, run_history
from runrehab.engine.questionnaire import FEAR_OF_MOVEMENT, trained
from runrehab.engine.state import ProgrammeState
from runrehab.engine.triage import triage
from runrehab.engine.values import Disposition
from runrehab.errors import JournalError
from runrehab.services.content import ProgrammeContent
from runrehab.services.intake.triage import HEADLINES
from runrehab.services.journal.day_plan import runner_load
from runrehab.services.journal.hold import Hold, HoldDoc, hold_of
from runrehab.services.journal.lessons import mark_session, read_before
from runrehab.services.journal.programme import (
    BeforeProgramme,
    outcomes_of,
    overrides_of,
    programme_checkins,
    require_started,
    resolve_person,
    session_state_on,
    state_on,
)
from runrehab.services.journal.questionnaires import due_by_day
from runrehab.services.journal.session_view import session_view
from runrehab.services.ports import Repository
from runrehab.services.records import (
    DecisionRecord,
    Programme,
    QuestionnaireResponse,
    StoredAssessment,
    StoredCheckin,
)
from runrehab.services.views import jsonable

# A change in mean worst pain smaller than this is day-to-day noise, not a trend (the same
# source puts the minimal important change in pain at about 2 points; 1 point flags a drift).
PAIN_TREND_POINTS = 1.0
# the reason every day carries while a programme is stopped or referred: news only once
STATUS_RULES = frozenset({"programme-stopped", "programme-referred"})
# the decisions that send the runner to a clinician: a warning sign, or a red flag
HELD_ACTIONS = frozenset({"refer", "stop"})


# --- values ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AssessmentRow:
    version: int
    recorded_on: date
    disposition: str


@dataclass(frozen=True, slots=True)
class TriageRow:
    """The latest assessment's triage and pathway, with the reasons in words."""

    version: int
    recorded_on: date
    disposition: str
    headline: str
    reasons: tuple[dict[str, Any], ...]
    pathway: str | None
    pathway_reasons: tuple[dict[str, Any], ...]
    intake: tuple[tuple[str, str], ...] = ()
    """What the runner told at intake that no rule reads (``content/data/answers.toml``) but
    a clinician wants to see, as (label, answer) rows."""


@dataclass(frozen=True, slots=True)
class NoteRow:
    day: date
    author: str
    text: str


@dataclass(frozen=True, slots=True)
class ProgrammeRow:
    started_on: date
    ended_on: date | None
    pathway: str
    phase: int
    phase_name: str
    phase_goal: str
    rung: int
    status: str
    evaluated_through: date | None


@dataclass(frozen=True, slots=True)
class DayRow:
    """One programme day. Without a check-in every reported field is None (missing)."""

    day: date
    phase: int
    checked_in: bool
    pain_now: int | None = None
    pain_at_rest: int | None = None
    pain_worst: int | None = None
    colour: str | None = None
    exercises_logged: bool | None = None
    trained: bool | None = None
    """Exercises, a run or cross-training logged: what adherence counts."""
    run_minutes: float | None = None
    run_km: float | None = None


@dataclass(frozen=True, slots=True)
class PhaseSpan:
    """A contiguous span of days spent in one phase: a chart's band, a timeline's row."""

    phase: int
    name: str
    start: date
    end: date


@dataclass(frozen=True, slots=True)
class WeekRow:
    """An ISO week (from Monday), counting only its days within the programme and ``through``."""

    week_start: date
    days_in_programme: int
    days_checked_in: int
    days_trained: int
    adherence: float
    runs: int
    run_minutes: float
    run_km: float | None
    """None when there were runs but none reported a distance."""
    mean_worst_pain: float | None
    max_worst_pain: int | None


@dataclass(frozen=True, slots=True)
class KujalaRow:
    day: date
    score: float
    change: float
    """From the baseline, the first score."""
    meaningful: bool
    """A gain of at least the protocol's ``kujala_mic`` points."""


@dataclass(frozen=True, slots=True)
class WeeklyPainRow:
    day: date
    usual: int
    worst: int


@dataclass(frozen=True, slots=True)
class FearScreenRow:
    """A fear-of-movement screen (RunRehab's own worry check, [M]): 0-12, higher is more
    worry; ``high`` at or above ``Settings.fear_screen_high_from``."""

    day: date
    score: int
    high: bool
    of: int = 12
    """The screen's highest score."""


@dataclass(frozen=True, slots=True)
class DecisionRow:
    day: date
    action: str
    disposition: str
    phase: int
    phase_name: str
    rung: int
    colour: str | None
    reasons: tuple[dict[str, Any], ...]
    warnings: tuple[str, ...] = ()
    """The reasons' rules that are warning signs or red flags (triage rules), by id."""


@dataclass(frozen=True, slots=True)
class IntakeFacts:
    """Who the runner is, as the latest assessment has it: the report's first line."""

    recorded_on: date
    age: int
    side: str
    symptom_weeks: float
    """At the assessment (``recorded_on``)."""
    pain_worst: int
    """The worst pain of the week before the assessment (0-10)."""
    weekly_km: float | None = None
    """The usual running before the pain: km a week, runs a week, the longest recent run."""
    runs_per_week: int | None = None
    longest_run_km: float | None = None
    running: bool | None = None
    """Running at the assessment; None when the running questions were not answered."""


@dataclass(frozen=True, slots=True)
class ExerciseRow:
    """An exercise as the check-ins logged it: the latest dose and the pain during it."""

    id: str
    name: str
    days: int
    """Days it was logged with at least one set."""
    last_day: date
    sets: int
    """The latest logged dose: sets of ``reps`` or of ``hold_seconds``."""
    reps: int | None
    hold_seconds: int | None
    last_pain: int | None
    """The pain during it (0-10) at the latest log, and the highest of every log."""
    max_pain: int | None
    max_pain_day: date | None


@dataclass(frozen=True, slots=True)
class LessonRow:
    """A week-1 lesson: the day it was due and the day it was read (None: not yet)."""

    id: str
    title: str
    due: date
    read_on: date | None


@dataclass(frozen=True, slots=True)
class Progress:
    person_id: str
    person_name: str
    through: date
    assessments: tuple[AssessmentRow, ...]
    triage: TriageRow | None
    programme: ProgrammeRow
    days: tuple[DayRow, ...]
    phases: tuple[PhaseSpan, ...]
    weeks: tuple[WeekRow, ...]
    kujala: tuple[KujalaRow, ...]
    weekly_pain: tuple[WeeklyPainRow, ...]
    decisions: tuple[DecisionRow, ...]
    notes: tuple[NoteRow, ...] = ()
    """The runner's words: check-in notes and journal notes, in date order."""
    hold: HoldDoc | None = None
    """The hold the programme is in through ``through`` (``Hold.view``), or None when active:
    the phase timeline shows it after the phases, since when and by which rule."""
    lessons: tuple[LessonRow, ...] = ()
    """The week-1 lessons, with when each was read up to ``through``."""
    fear_screens: tuple[FearScreenRow, ...] = ()
    """The fear-of-movement screens of the programme, in date order."""
    fear_high_from: int = 8
    """The screen's score counted as high (``Settings.fear_screen_high_from``)."""
    intake: IntakeFacts | None = None
    """The latest assessment's facts about the runner (None: no assessment through ``through``)."""
    exercises: tuple[ExerciseRow, ...] = ()
    """Every exercise logged up to ``through``, the latest logged first."""

    kujala_mic: int = field(kw_only=True)
    """The Kujala gain that matters (``Settings.kujala_mic``): the rows and every view of it."""
    words: Words = field(kw_only=True, repr=False, compare=False)
    """The product's wording, for the week in words, the charts and the report."""

    @property
    def timeline(self) -> list[dict[str, Any]]:
        return [
            {"phase": s.phase, "name": s.name, "from": s.start, "to": s.end} for s in self.phases
        ]


# --- assembly -------------------------------------------------------------------------------


def progress_data(
    repo: Repository, content: ProgrammeContent, person_id: str, through: date
) -> Progress:
    """Everything a progress report shows for one person, as reported up to ``through``;
    ``BeforeProgramme`` when ``through`` is before the programme began."""
    person = resolve_person(repo, person_id)
    programme = _programme_of(repo, content.words, person_id)
    require_started(programme, through)
    assessments = [a for a in repo.assessments(person_id) if a.recorded_on <= through]
    decisions = [d for d in repo.decisions(programme.id) if d.day <= through]
    checkins = {c.day: c for c in programme_checkins(repo, programme)}
    days = _days(programme, decisions, checkins, through)
    responses = [r for r in repo.responses(person_id) if r.day <= through]
    state, folded = state_on(repo, content, programme, through)
    hold = hold_of(repo, programme, state, folded)
    return Progress(
        person.id,
        person.name,
        through,
        tuple(AssessmentRow(a.version, a.recorded_on, a.disposition.value) for a in assessments),
        _triage(assessments[-1], content) if assessments else None,
        _programme_row(programme, state, content),
        days,
        _before_hold(_spans(days, content), hold),
        _weeks(days),
        _kujala(responses, content.protocol.settings.kujala_mic),
        _weekly_pain(responses),
        tuple(_decision_row(d, content) for d in decisions),
        _notes(repo, person_id, checkins.values(), through),
        None if hold is None else hold.view(content),
        _lessons(repo, content, programme, person_id, through),
        _fear_screens(responses, programme, content),
        content.protocol.settings.fear_screen_high_from,
        _intake_facts(assessments[-1]) if assessments else None,
        _exercises([c for d, c in checkins.items() if d <= through], content),
        kujala_mic=content.protocol.settings.kujala_mic,
        words=content.words,
    )


def _lessons(
    repo: Repository,
    content: ProgrammeContent,
    programme: Programme,
    person_id: str,
    through: date,
) -> tuple[LessonRow, ...]:
    read = {r.lesson_id: r.day for r in repo.lessons_read(person_id) if r.day <= through}
    return tuple(
        LessonRow(x.id, x.title, programme.started_on + timedelta(days=x.day - 1), read.get(x.id))
        for x in content.protocol.lessons
    )


def _notes(
    repo: Repository, person_id: str, checkins: Iterable[StoredCheckin], through: date
) -> tuple[NoteRow, ...]:
    rows = [NoteRow(c.day, "check-in", c.checkin.notes) for c in checkins if c.checkin.notes]
    rows += [NoteRow(n.day, n.author, n.text) for n in repo.notes(person_id)]
    return tuple(sorted((r for r in rows if r.day <= through), key=lambda r: r.day))


def _intake_facts(stored: StoredAssessment) -> IntakeFacts:
    a = stored.assessment
    facts = IntakeFacts(
        stored.recorded_on, a.age, a.side.value, a.history.symptom_weeks, a.pain.worst_last_week
    )
    r = a.running
    if r is None:
        return facts
    return replace(
        facts,
        weekly_km=r.weekly_km_before_pain,
        runs_per_week=r.runs_per_week_before_pain,
        longest_run_km=r.longest_run_km_last_30_days,
        running=r.currently_running,
    )


def _exercises(
    checkins: Sequence[StoredCheckin], content: ProgrammeContent
) -> tuple[ExerciseRow, ...]:
    """Each exercise logged with a set or more, from its logs in date order."""
    logs: dict[str, list[tuple[date, ExerciseLog]]] = {}
    for stored in sorted(checkins, key=lambda c: c.day):
        for e in stored.checkin.exercises:
            if e.sets > 0:
                logs.setdefault(e.id, []).append((stored.day, e))
    names = content.catalogue.exercises
    rows = [_exercise_row(i, names[i].name if i in names else i, x) for i, x in logs.items()]
    return tuple(sorted(rows, key=lambda r: (-r.last_day.toordinal(), r.name)))


def _exercise_row(exercise: str, name: str, logs: list[tuple[date, ExerciseLog]]) -> ExerciseRow:
    day, last = logs[-1]
    pained = [(e.max_pain, d) for d, e in logs if e.max_pain is not None]
    worst = max(pained, key=lambda p: (p[0], p[1])) if pained else None
    return ExerciseRow(
        exercise,
        name,
        len({d for d, _ in logs}),
        day,
        last.sets,
        last.reps,
        last.hold_seconds,
        last.max_pain,
        None if worst is None else worst[0],
        None if worst is None else worst[1],
    )


def _intake(a: Assessment, words: Words) -> tuple[tuple[str, str], ...]:
    """The intake answers a clinician reads that no rule decides on."""
    h, p = a.history, a.pain

    def say(key: str, **values: object) -> str:
        return words.say(f"progress.intake.{key}", **values)

    rows = [
        (say("knee"), a.side.value),
        (say("sex"), a.sex.value if a.sex else say("sex_not_given")),
        (say("pain"), say("pain_answer", now=p.now, at_rest=p.at_rest, worst=p.worst_last_week)),
        (
            say("symptoms"),
            say(
                "symptoms_answer",
                weeks=f"{h.symptom_weeks:g}",
                trend=h.trend.value,
                onset=h.onset.value,
            ),
        ),
    ]
    running = a.running
    if running is not None:
        rows.append((say("jump"), say("yes" if running.recent_increase_in_load else "no")))
        race = running.goal_race
        if race is not None:
            answer = race.date.isoformat()
            if race.distance_km:
                answer = say("race_answer", day=answer, km=f"{race.distance_km:g}")
            rows.append((say("race"), answer))
    return tuple(rows)


def _programme_of(repo: Repository, words: Words, person_id: str) -> Programme:
    """The current programme, or the last one when every programme has ended."""
    programme = repo.current_programme(person_id)
    if programme is None:
        programmes = repo.programmes(person_id)
        if not programmes:
            raise JournalError(words.say("journal.day.no_programme"))
        programme = programmes[-1]
    return programme


def _triage(stored: StoredAssessment, content: ProgrammeContent) -> TriageRow:
    result = triage(stored.assessment, content.settings[1])
    red_flag = result.disposition.severity >= Disposition.URGENT.severity
    shown = result.leading_reasons if red_flag else result.reasons
    pathway: str | None = None
    pathway_reasons: list[dict[str, Any]] = []
    if result.programme_allowed:
        choice = choose_pathway(stored.assessment, content.settings[0])
        pathway, pathway_reasons = choice.pathway.value, content.book.describe_all(choice.reasons)
    return TriageRow(
        stored.version,
        stored.recorded_on,
        result.disposition.value,
        HEADLINES[result.disposition],
        tuple(content.book.describe_all(shown)),
        pathway,
        tuple(pathway_reasons),
        _intake(stored.assessment, content.words),
    )


def _programme_row(p: Programme, s: ProgrammeState, content: ProgrammeContent) -> ProgrammeRow:
    """Where the runner stands on ``through`` (``s``, folded as for planning that day), which
    for an earlier report is not where they stand now."""
    return ProgrammeRow(
        p.started_on,
        p.ended_on,
        s.pathway.value,
        s.phase,
        content.phase_name(s.phase),
        next(x.goal for x in content.catalogue.protocol.phase if x.number == s.phase),
        s.rung,
        s.status.value,
        s.evaluated_through,
    )


def _days(
    programme: Programme,
    decisions: Sequence[DecisionRecord],
    checkins: dict[date, StoredCheckin],
    through: date,
) -> tuple[DayRow, ...]:
    last = through if programme.ended_on is None else min(through, programme.ended_on)
    colours = {d.day: d.colour.value for d in decisions if d.colour is not None}
    phases = _phase_by_day(programme, decisions)
    rows = []
    day = programme.started_on
    while day <= last:
        stored = checkins.get(day)
        phase = phases(day)
        if stored is None:
            rows.append(DayRow(day, phase, False))
        else:
            rows.append(_day_row(stored.checkin, phase, colours.get(day)))
        day += timedelta(days=1)
    return tuple(rows)


def _phase_by_day(
    programme: Programme, decisions: Sequence[DecisionRecord]
) -> Callable[[date], int]:
    """A day's phase: the start phase, then each decision's phase from the day after it."""
    changes = sorted(((d.day + timedelta(days=1), d.phase) for d in decisions), key=lambda c: c[0])

    def phase(day: date) -> int:
        current = programme.start.phase
        for since, number in changes:
            if since > day:
                break
            current = number
        return current

    return phase


def _day_row(c: Checkin, phase: int, colour: str | None) -> DayRow:
    run = c.run
    return DayRow(
        c.date,
        phase,
        True,
        c.pain.now,
        c.pain.at_rest,
        c.pain.worst,
        colour,
        any(e.sets > 0 for e in c.exercises),
        trained(c),
        None if run is None else run.minutes,
        None if run is None else run.distance_km,
    )


def _before_hold(spans: tuple[PhaseSpan, ...], hold: Hold | None) -> tuple[PhaseSpan, ...]:
    """The phases up to the day before the hold began: from then on the timeline shows the
    hold (``Progress.hold``), not the phase the programme is frozen in."""
    if hold is None:
        return spans
    last = hold.since - timedelta(days=1)
    return tuple(replace(s, end=min(s.end, last)) for s in spans if s.start <= last)


def _spans(days: Sequence[DayRow], content: ProgrammeContent) -> tuple[PhaseSpan, ...]:
    spans: list[PhaseSpan] = []
    for d in days:
        if spans and spans[-1].phase == d.phase:
            spans[-1] = PhaseSpan(d.phase, spans[-1].name, spans[-1].start, d.day)
        else:
            spans.append(PhaseSpan(d.phase, content.phase_name(d.phase), d.day, d.day))
    return tuple(spans)


def without_open_day(progress: Progress) -> Progress:
    """The progress without its last day while that day has no check-in yet: the report's own
    day is not over, so it is neither missed nor counted in adherence. Unchanged otherwise."""
    days = progress.days
    if not days or days[-1].day != progress.through or days[-1].checked_in:
        return progress
    kept = days[:-1]
    last = progress.through - timedelta(days=1)
    spans = tuple(replace(s, end=min(s.end, last)) for s in progress.phases if s.start <= last)
    return replace(progress, days=kept, phases=spans, weeks=_weeks(kept))


def flare_days(progress: Progress) -> tuple[date, ...]:
    """The flares: RED days, but for those a warning sign made RED (``warning_days``)."""
    warned = {d.day for d in warning_days(progress)}
    return tuple(d.day for d in progress.days if d.colour == "red" and d.day not in warned)


def referral_days(progress: Progress) -> tuple[date, ...]:
    """The days a decision sent the runner to a clinician (refer) or stopped the programme."""
    return tuple(d.day for d in progress.decisions if d.action in HELD_ACTIONS)


def warning_days(progress: Progress) -> tuple[DecisionRow, ...]:
    """The check-ins' decisions on a warning sign or a red flag: a day judged (a traffic
    light) on which a triage rule sent the runner to a clinician or further."""
    return tuple(
        d
        for d in progress.decisions
        if d.colour is not None and d.warnings and d.disposition != Disposition.SELF_MANAGE.value
    )


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _weeks(days: Sequence[DayRow]) -> tuple[WeekRow, ...]:
    by_week: dict[date, list[DayRow]] = {}
    for d in days:
        by_week.setdefault(monday_of(d.day), []).append(d)
    return tuple(_week_row(start, rows) for start, rows in by_week.items())


def _week_row(start: date, rows: list[DayRow]) -> WeekRow:
    reported = [r for r in rows if r.checked_in]
    worst = [r.pain_worst for r in reported if r.pain_worst is not None]
    runs = [r for r in reported if r.run_minutes is not None]
    distances = [r.run_km for r in runs if r.run_km is not None]
    exercised = sum(1 for r in reported if r.trained)
    return WeekRow(
        start,
        len(rows),
        len(reported),
        exercised,
        exercised / len(rows),
        len(runs),
        sum((r.run_minutes or 0.0 for r in runs), 0.0),
        sum(distances, 0.0) if distances or not runs else None,
        round(mean(worst), 1) if worst else None,
        max(worst) if worst else None,
    )


def _kujala(responses: Sequence[QuestionnaireResponse], mic: int) -> tuple[KujalaRow, ...]:
    scores = sorted((r for r in responses if r.instrument == "kujala"), key=lambda r: r.day)
    if not scores:
        return ()
    baseline = scores[0].score
    return tuple(
        KujalaRow(r.day, r.score, r.score - baseline, r.score - baseline >= mic) for r in scores
    )


def _fear_screens(
    responses: Sequence[QuestionnaireResponse], programme: Programme, content: ProgrammeContent
) -> tuple[FearScreenRow, ...]:
    screens = outcomes_of(responses).fear_of_movement
    s = content.protocol.settings
    top = content.catalogue.questionnaires[FEAR_OF_MOVEMENT].max_score
    return tuple(
        FearScreenRow(f.date, f.score, is_high(f.score, s), top)
        for f in screens
        if f.date >= programme.started_on
    )


def _weekly_pain(responses: Sequence[QuestionnaireResponse]) -> tuple[WeeklyPainRow, ...]:
    return tuple(
        WeeklyPainRow(w.date, w.usual, w.worst) for w in outcomes_of(responses).weekly_pain
    )


def _decision_row(d: DecisionRecord, content: ProgrammeContent) -> DecisionRow:
    return DecisionRow(
        d.day,
        d.action.value,
        d.disposition.value,
        d.phase,
        content.phase_name(d.phase),
        d.rung,
        None if d.colour is None else d.colour.value,
        tuple(content.book.describe_all(d.reasons)),
        tuple(r.rule for r in d.reasons if content.book.rules[r.rule].area == "triage"),
    )


# --- the week in words ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PainWeek:
    mean_worst: float | None
    max_worst: int | None
    previous_mean_worst: float | None
    trend: str
    """better, worse, about the same, or unknown (in the product's words)."""
    text: str


@dataclass(frozen=True, slots=True)
class RunningWeek:
    runs: int
    minutes: float
    km: float | None
    text: str


@dataclass(frozen=True, slots=True)
class PhaseChange:
    day: date
    """The first day in the new phase: the day after the decision."""
    before: int = field(metadata={"json": "from"})
    to: int
    name: str
    text: str


@dataclass(frozen=True, slots=True)
class ReasonCited:
    """A decision's reason as the week in words cites it: the rule, its title and source."""

    rule: str
    title: str
    detail: str
    source: str


@dataclass(frozen=True, slots=True)
class DecisionNews:
    day: date
    action: str
    words: str
    reasons: tuple[ReasonCited, ...]


@dataclass(frozen=True, slots=True)
class EducationWeek:
    read: int
    of: int
    still_to_read: tuple[str, ...]
    text: str


@dataclass(frozen=True, slots=True)
class FearScreenDay:
    day: date
    score: int
    high: bool


@dataclass(frozen=True, slots=True)
class FearWeek:
    screens: tuple[FearScreenDay, ...]
    high: bool
    text: str


@dataclass(frozen=True, slots=True)
class WeekSummary:
    """One week in plain words: the figures and, in ``lines``, the sentences that say them."""

    week_start: date
    week_end: date
    in_programme: bool
    days_in_programme: int
    days_checked_in: int
    missing_days: tuple[date, ...]
    adherence_percent: int | None
    pain: PainWeek
    running: RunningWeek
    phase_changes: tuple[PhaseChange, ...]
    decisions: tuple[DecisionNews, ...]
    education: EducationWeek | None
    fear_screen: FearWeek | None
    next: str
    lines: tuple[str, ...]


def week_summary(progress: Progress, week_start: date) -> WeekSummary:
    """One week in plain words, from Monday ``week_start`` (any day picks its week).

    Every figure comes from the runner's reports; a missing figure is said to be missing."""
    words = progress.words
    start = monday_of(week_start)
    end = start + timedelta(days=6)
    week = next((w for w in progress.weeks if w.week_start == start), None)
    before = next((w for w in progress.weeks if w.week_start == start - timedelta(days=7)), None)
    days = [d for d in progress.days if start <= d.day <= end]
    decisions = [d for d in progress.decisions if start <= d.day <= end]
    summary = WeekSummary(
        start,
        end,
        week is not None,
        0 if week is None else week.days_in_programme,
        0 if week is None else week.days_checked_in,
        tuple(d.day for d in days if not d.checked_in),
        None if week is None else round(week.adherence * 100),
        _pain_summary(words, week, before),
        _running_summary(words, week),
        _phase_changes(words, decisions, progress),
        tuple(_decision_news(words, d) for d in decisions if _newsworthy(d)),
        _education_summary(progress, start, end),
        _fear_summary(progress, start, end),
        _next(words, progress),
        (),
    )
    return replace(summary, lines=_lines(words, summary, week))


def weekly_summary(progress: Progress, week_start: date) -> dict[str, Any]:
    """The week in words as its JSON document: what ``runrehab summary --json`` prints of
    ``week_summary``'s view."""
    document: dict[str, Any] = jsonable(week_summary(progress, week_start))
    return document


def _pain_summary(words: Words, week: WeekRow | None, before: WeekRow | None) -> PainWeek:
    now = None if week is None else week.mean_worst_pain
    then = None if before is None else before.mean_worst_pain
    if now is None:
        trend, text = words.say("progress.trend.unknown"), words.say("progress.week.pain_none")
    elif then is None:
        trend = words.say("progress.trend.unknown")
        text = words.say("progress.week.pain_alone", now=f"{now:g}")
    else:
        trend = pain_trend(words, now - then)
        text = words.say("progress.week.pain", now=f"{now:g}", then=f"{then:g}", trend=trend)
    highest = None if week is None else week.max_worst_pain
    return PainWeek(now, highest, then, trend, text)


def _education_summary(progress: Progress, start: date, end: date) -> EducationWeek | None:
    """The week-1 lessons read by the week's end, counted as the exercises are; None in a week
    with no lesson due or read and none still to read."""
    upto = min(end, progress.through)
    lessons = progress.lessons
    read = [x for x in lessons if x.read_on is not None and x.read_on <= upto]
    due = [x for x in lessons if x.due <= upto]
    unread = [x for x in due if x not in read]
    read_in_week = [x for x in read if x.read_on is not None and start <= x.read_on]
    in_week = [x for x in lessons if start <= x.due <= end] + read_in_week
    if not due or not (in_week or unread):
        return None
    counts = {"read": len(read), "total": len(lessons)}
    if unread:
        titles = "; ".join(x.title for x in unread)
        text = progress.words.say("progress.week.education_unread", **counts, titles=titles)
    else:
        text = progress.words.say("progress.week.education", **counts)
    return EducationWeek(len(read), len(lessons), tuple(x.id for x in unread), text)


def _fear_summary(progress: Progress, start: date, end: date) -> FearWeek | None:
    """The fear-of-movement screens answered in the week, with the earlier ones to compare;
    None in a week without one."""
    words = progress.words
    in_week = [f for f in progress.fear_screens if start <= f.day <= end]
    if not in_week:
        return None
    scores = "; ".join(
        words.say(
            "progress.week.fear_score_high" if f.high else "progress.week.fear_score",
            score=f.score,
            top=f.of,
            day=locale.day_text(f.day),
        )
        for f in progress.fear_screens
        if f.day <= end
    )
    text = words.say("progress.week.fear", high_from=progress.fear_high_from, scores=scores)
    if in_week[-1].high:
        text += " " + words.say("progress.week.fear_advice")
    screens = tuple(FearScreenDay(f.day, f.score, f.high) for f in in_week)
    return FearWeek(screens, in_week[-1].high, text)


def pain_trend(words: Words, change: float) -> str:
    """A change in mean worst pain in words: better, worse (``PAIN_TREND_POINTS`` or more)
    or about the same."""
    if change <= -PAIN_TREND_POINTS:
        return words.say("progress.trend.better")
    if change >= PAIN_TREND_POINTS:
        return words.say("progress.trend.worse")
    return words.say("progress.trend.same")


def _running_summary(words: Words, week: WeekRow | None) -> RunningWeek:
    if week is None or week.runs == 0:
        return RunningWeek(0, 0.0, None, words.say("progress.week.running_none"))
    if week.run_km is None:
        km = words.say("progress.week.km_not_reported")
    else:
        km = words.say("progress.week.km", km=f"{week.run_km:g}")
    minutes = f"{week.run_minutes:g}"
    text = words.say_count("progress.week.running", week.runs, minutes=minutes, km=km)
    return RunningWeek(week.runs, week.run_minutes, week.run_km, text)


def _phase_changes(
    words: Words, decisions: Sequence[DecisionRow], progress: Progress
) -> tuple[PhaseChange, ...]:
    changes = []
    for d in decisions:
        before = _phase_on(progress, d.day)
        if before is not None and before != d.phase:
            since = d.day + timedelta(days=1)
            text = words.say(
                "progress.week.phase_change",
                day=locale.day_text(since),
                phase=d.phase,
                name=d.phase_name,
                before=before,
            )
            changes.append(PhaseChange(since, before, d.phase, d.phase_name, text))
    return tuple(changes)


def _phase_on(progress: Progress, day: date) -> int | None:
    return next((d.phase for d in progress.days if d.day == day), None)


def _newsworthy(d: DecisionRow) -> bool:
    """A change, or a reason other than the daily reminder that the programme is on hold."""
    return d.action != "continue" or any(r["rule"] not in STATUS_RULES for r in d.reasons)


def action_words(words: Words, action: str) -> str:
    """A decision's action in words for people ("move to the next phase")."""
    key = f"progress.action.{action}"
    return words.say(key) if words.has(key) else action


def _decision_news(words: Words, d: DecisionRow) -> DecisionNews:
    reasons = tuple(ReasonCited(r["rule"], r["title"], r["detail"], r["source"]) for r in d.reasons)
    return DecisionNews(d.day, d.action, action_words(words, d.action), reasons)


def _next(words: Words, progress: Progress) -> str:
    p = progress.programme
    if p.ended_on is not None:
        return words.say("progress.next.ended", day=locale.day_text(p.ended_on, True))
    if p.status == "stopped":
        return words.say("progress.next.stopped")
    if p.status == "referred":
        return words.say("progress.next.referred")
    return words.say("progress.next.active", phase=p.phase, name=p.phase_name, goal=p.phase_goal)


def _lines(words: Words, summary: WeekSummary, week: WeekRow | None) -> tuple[str, ...]:
    if week is None:
        return (words.say("progress.week.outside"), summary.next)
    missing = len(summary.missing_days)
    days = {"checked": week.days_checked_in, "days": week.days_in_programme}
    if missing:
        checked = words.say("progress.week.checked_in_missing", **days, missing=missing)
    else:
        checked = words.say("progress.week.checked_in", **days)
    lines = [
        checked,
        words.say(
            "progress.week.trained",
            trained=week.days_trained,
            days=week.days_in_programme,
            percent=summary.adherence_percent,
        ),
        summary.pain.text,
        summary.running.text,
    ]
    if summary.education is not None:
        lines.append(summary.education.text)
    if summary.fear_screen is not None:
        lines.append(summary.fear_screen.text)
    lines += [c.text for c in summary.phase_changes]
    for d in summary.decisions:
        why = "; ".join(r.title for r in d.reasons) or words.say("progress.week.no_reason")
        lines.append(
            words.say(
                "progress.week.decision",
                day=locale.day_text(d.day),
                words=d.words,
                why=why,
            )
        )
    lines.append(summary.next)
    return tuple(lines)


# --- coming sessions ------------------------------------------------------------------------


def coming_sessions(
    repo: Repository, content: ProgrammeContent, person_id: str, start: date, days: int
) -> list[dict[str, Any]]:
    """The sessions of the ``days`` days from ``start``, projected from where the runner stands
    now as if each were done in full without pain. Each is marked ``"projection": True`` and
    lists the questionnaires falling due that day (``questionnaires``), each taken as answered
    on the day it is due."""
    programme = _programme_of(repo, content.words, person_id)
    last = start + timedelta(days=days - 1)
    if last < programme.started_on:  # the whole range is before it: say so, not an empty list
        raise BeforeProgramme(programme, start)
    first = max(start, programme.started_on)  # nothing to plan before the programme starts
    days -= (first - start).days
    if programme.ended_on is not None:
        return []
    stored = next(
        a for a in repo.assessments(person_id) if a.version == programme.assessment_version
    )
    state, folded = session_state_on(repo, content, programme, first)
    hold = hold_of(repo, programme, state, folded)
    history = [s.checkin for s in programme_checkins(repo, programme)]
    outcomes = outcomes_of(repo.responses(person_id))
    load = runner_load(repo, content, person_id, stored.assessment, stored.recorded_on, first)
    reads = repo.lessons_read(person_id)
    sessions = project_from(
        state,
        history,
        stored.assessment.preferences,
        run_history(stored.assessment),
        content.protocol,
        first,
        days,
        outcomes,
        load.watch_runs,
        load.context,
        lessons_read=read_before(reads, first),
        overrides=overrides_of(repo, person_id),
    )
    due = due_by_day(
        content.catalogue.questionnaires,
        content.protocol.settings,
        programme.started_on,
        outcomes,
        first,
        len(sessions),
    )
    notice = content.words.say("plan.projection_notice")
    if hold is None:
        docs = [
            {
                "date": s.date.isoformat(),
                "projection": True,
                "notice": notice,
                "phase": {"number": s.phase, "name": content.phase_name(s.phase)},
                **session_view(s, content.words),
                "questionnaires": due.get(s.date.isoformat(), []),
            }
            for s in sessions
        ]
        for doc in docs:
            mark_session(doc, reads)
        return docs
    # on hold, the projection holds only what ``plan_day`` gives a day on hold (the gentle
    # work of phase 1 for a referral; nothing once stopped), each day labelled with the hold
    # and in the programme's phase, as Today shows it
    held = hold.view(content)
    docs = [
        {
            "date": s.date.isoformat(),
            "projection": True,
            "notice": f"{held['text']} {notice}",
            "hold": held,
            "phase": {"number": state.phase, "name": content.phase_name(state.phase)},
            **session_view(s, content.words),
            "questionnaires": due.get(s.date.isoformat(), []),
        }
        for s in sessions
    ]
    for doc in docs:
        mark_session(doc, reads)
    return docs
