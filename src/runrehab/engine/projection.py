"""A dated projection of the whole programme, assuming every gate is passed on its earliest day.

The projection drives the real engine: each day it builds the session, pretends the runner did
it exactly as prescribed with no pain, and folds that day into the state with ``step_day``. So
the projected calendar can never move faster than the gates and the protocol's timeline allow.
It is a projection, not a promise, and says so.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from runrehab.engine.assessment import Assessment, Preferences
from runrehab.engine.checkin import (
    Checkin,
    CheckinPain,
    CrossTraining,
    CrossTrainingKind,
    ExerciseLog,
    Morning,
    RunLog,
)
from runrehab.engine.day import plan_day
from runrehab.engine.load import LoadContext, LoadSettings, RunEntry, baseline, pain_began
from runrehab.engine.outcomes import NO_OUTCOMES, Outcomes
from runrehab.engine.overrides import NO_OVERRIDES, Override
from runrehab.engine.pathway import PathwayChoice
from runrehab.engine.progression import session_state, start_state, step_day
from runrehab.engine.protocol import Protocol, Settings
from runrehab.engine.red_flags import Background
from runrehab.engine.session import RunHistory, Session
from runrehab.engine.state import ProgrammeState


@dataclass(frozen=True, slots=True)
class PhaseSpan:
    phase: int
    start: date
    end: date


@dataclass(frozen=True, slots=True)
class Projection:
    start: date
    days: tuple[Session, ...]
    phases: tuple[PhaseSpan, ...]
    first_run: date | None
    assumptions: tuple[str, ...] = ()


def projection_assumptions(settings: Settings) -> tuple[str, ...]:
    """What a projection takes for granted, its pain number the GREEN ceiling of ``settings``."""
    return (
        "every gate is passed on the earliest day it can be",
        f"every session is done in full with pain at most {settings.green_max_pain}/10 and a "
        "good next morning",
        "no flare-ups; a real programme moves at the pace of your knee",
    )


def run_history(assessment: Assessment) -> RunHistory:
    """What the intake tells of the runner's running before the pain."""
    r = assessment.running
    if r is None:
        return RunHistory()
    typical = None
    if r.weekly_km_before_pain and r.runs_per_week_before_pain:
        typical = r.weekly_km_before_pain / r.runs_per_week_before_pain
    return RunHistory(typical, r.longest_run_km_last_30_days or None, None)


def project(
    assessment: Assessment,
    choice: PathwayChoice,
    protocol: Protocol,
    start: date,
    weeks: int,
    load_settings: LoadSettings | None = None,
) -> Projection:
    """Project ``weeks`` weeks of the programme from ``start``: the same day plan as Today
    (``project_from``), with the usual load the intake reports, the projected runner checking
    in every morning, the first included."""
    state = start_state(choice, start, protocol, Background.of(assessment))
    settings = load_settings or LoadSettings()
    running = assessment.running
    usual = baseline(
        (),
        pain_began(assessment, start),
        settings,
        None if running is None else running.weekly_km_before_pain,
        None if running is None else running.runs_per_week_before_pain,
    )
    sessions = list(
        project_from(
            state,
            (),
            assessment.preferences,
            run_history(assessment),
            protocol,
            start,
            weeks * 7,
            load=LoadContext(usual, settings),
            first_morning=True,
        )
    )
    return Projection(
        start,
        tuple(sessions),
        _spans(sessions),
        _first_run(sessions),
        projection_assumptions(protocol.settings),
    )


def project_from(
    state: ProgrammeState,
    history: Sequence[Checkin],
    preferences: Preferences,
    base: RunHistory,
    protocol: Protocol,
    start: date,
    days: int,
    outcomes: Outcomes = NO_OUTCOMES,
    watch_runs: Sequence[RunEntry] = (),
    load: LoadContext | None = None,
    first_morning: bool = False,
    lessons_read: Collection[str] = frozenset(),
    overrides: Sequence[Override] = NO_OVERRIDES,
) -> tuple[Session, ...]:
    """The sessions of the ``days`` days from ``start`` for a runner already part-way through
    the programme: ``state`` is folded through the day before ``start`` (or through ``start``
    when ``history`` holds its check-in), ``history`` the real check-ins, ``watch_runs`` and
    ``load`` the runner's watch runs and usual load, as Today plans with them. The first day
    is shown as Today shows it before the check-in, unless ``first_morning``. ``lessons_read``:
    the lessons read before ``start``; each lesson listed on a day is taken as read that day;
    ``overrides``: what the runner's physiotherapist set, as Today plans with it.

    Each day is planned with ``plan_day``, as the ``today`` answer is, then taken as done in
    full without pain, so the sessions can never move faster than the gates allow. A stopped
    programme has no sessions: the projection ends there."""
    checkins = sorted((c for c in history if c.date <= start), key=lambda c: c.date)
    sessions: list[Session] = []
    read = frozenset(lessons_read)
    for offset in range(days):
        day = start + timedelta(days=offset)
        reported = any(c.date == day for c in checkins)
        # the projected runner checks in every morning from tomorrow; today is shown as Today
        # shows it (until the runner checks in, a shorter run), and a real report stands
        morning = [] if reported or (offset == 0 and not first_morning) else [_morning(day)]
        # as Today: a morning's check-in is folded before the day is planned (what holds the
        # runner back applies at once, a move forward from the next day); the day's full report
        # then replaces it
        planned_from = state
        if morning:
            todays = step_day(state, [*checkins, *morning], protocol, day, outcomes, overrides)
            planned_from = session_state(state, todays)
        session = plan_day(
            planned_from,
            [*checkins, *morning],
            preferences,
            base,
            protocol,
            day,
            watch_runs,
            load,
            lessons_read=read,
            overrides=overrides,
        ).session
        if session is None:
            break
        sessions.append(session)
        read |= {r.lesson.id for r in session.reading}
        if reported:  # the state already holds this day
            continue
        checkins.append(_perfect_day(session, protocol))
        if state.evaluated_through == day:  # a physiotherapist's move folded it already
            continue
        state = step_day(state, checkins, protocol, day, outcomes, overrides).state
    return tuple(sessions)


def _morning(day: date) -> Checkin:
    return Checkin(day, CheckinPain(0, 0, 0), Morning.SAME)


def _perfect_day(session: Session, protocol: Protocol) -> Checkin:
    """The check-in of a runner who did exactly what was prescribed, without pain."""
    logs = tuple(
        ExerciseLog(p.exercise, p.target.sets, p.target.reps, p.target.hold_seconds, 0)
        for p in session.exercises
    )
    run = None
    if session.run is not None:
        # reported as the day's check-in to fill in reports it: the minutes of running (the
        # walking breaks left out), no distance
        run = RunLog(float(session.run.running_minutes), 0, None, False, 0.0)
    cross: tuple[CrossTraining, ...] = ()
    if session.cross_training is not None:
        kind = session.cross_training.exercise.replace("-", "_")
        known = {k.value for k in CrossTrainingKind}
        minutes = float(session.cross_training.target.minutes or 30)
        cross = (CrossTraining(CrossTrainingKind(kind if kind in known else "other"), minutes, 0),)
    return Checkin(
        session.date,
        CheckinPain(0, 0, 0),
        Morning.SAME,
        exercises=logs,
        run=run,
        cross_training=cross,
    )


def _spans(sessions: list[Session]) -> tuple[PhaseSpan, ...]:
    spans: list[PhaseSpan] = []
    for s in sessions:
        if spans and spans[-1].phase == s.phase:
            spans[-1] = PhaseSpan(s.phase, spans[-1].start, s.date)
        else:
            spans.append(PhaseSpan(s.phase, s.date, s.date))
    return tuple(spans)


def _first_run(sessions: list[Session]) -> date | None:
    return next((s.date for s in sessions if s.run is not None), None)
