"""The readiness checks before running, as people read them, and the check-in to fill in.

``readiness_view``: each readiness test of the runner's phase (step-downs, the brisk walk,
single-leg squats: the protocol's ``exercise_test`` and ``walk_test`` gates) with the engine's
judgement (met on which day, not yet, or failed on which day and why), when it is planned, how
to do it (the exercise's own steps from the content) and how to report it (the exact check-in
fields). ``readiness_asks`` turns those still to do into Today's asks. ``checkin_template``
is the day's check-in document to fill in: today's session, tests included, with ``null``
wherever the runner's own answer goes (a document with a ``null`` left in is refused).

Nothing here decides anything: ``engine.gates`` judges the tests and ``engine.session`` plans
them; this only says what they say.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import NotRequired, TypedDict

from runrehab.content.words import Words
from runrehab.engine.checkin import Checkin, CrossTrainingKind
from runrehab.engine.day import DayPlan
from runrehab.engine.gates import GateResult, GateStatus, readiness_checks
from runrehab.engine.protocol import ExerciseTest, Protocol, WalkTest
from runrehab.engine.session import Prescription
from runrehab.engine.state import Status
from runrehab.engine.values import Reason
from runrehab.services.content import ProgrammeContent
from runrehab.services.details import detail_text
from runrehab.services.journal.described import describe
from runrehab.services.journal.session_view import SessionDoc, running_minutes
from runrehab.services.reasons import ReasonView

RESULT_RULE = "readiness-check-results"
TO_FILL = "…"
"""Where the runner's own number goes in a report's example."""


@dataclass(frozen=True, slots=True)
class TestDose:
    """A test's dose as the day gives it: the exercise's sets and reps, or the walk's minutes
    (the check-in form offers them, to be ticked once done)."""

    exercise: str | None = None
    sets: int | None = None
    reps: int | None = None
    minutes: float | None = None


@dataclass(frozen=True, slots=True)
class ReadinessCheck:
    """One readiness test: its judgement, when it is planned, how to do and report it."""

    id: str
    kind: str
    """``exercise_test`` or ``walk_test``."""
    status: GateStatus
    day: date | None
    detail: str
    today: bool
    """Planned in the day's session."""
    name: str
    text: str
    how: tuple[str, ...]
    report: dict[str, object]
    """The part of a check-in that reports it, ``None`` where the runner's answer goes."""
    report_text: str
    when: str | None
    reason: ReasonView
    dose: TestDose = field(default_factory=TestDose, metadata={"json": None})

    @property
    def walk(self) -> bool:
        return self.kind == "walk_test"


@dataclass(frozen=True, slots=True)
class ReadinessAsk:
    """Today's ask for a readiness test still to do (``dates``: today, when it is planned)."""

    kind: str
    gate: str
    dates: tuple[date, ...]
    text: str


def readiness_view(
    plan: DayPlan, checkins: Sequence[Checkin], content: ProgrammeContent
) -> tuple[ReadinessCheck, ...]:
    """The phase's readiness tests on the plan's day, judged on the check-ins up to and
    including that day (so a test reported today shows as met)."""
    state = plan.state
    if state.status is not Status.ACTIVE or plan.session is None:
        return ()
    day = plan.date
    results = readiness_checks(state, [c for c in checkins if c.date <= day], content.protocol, day)
    planned = {p.test: p for p in plan.session.tests if p.test is not None}
    return tuple(_check(r, planned.get(r.id), state.phase, content) for r in results)


@dataclass(frozen=True, slots=True)
class _Told:
    """What a test says of itself: its name and text, how to do it and how to report it."""

    name: str
    text: str
    how: tuple[str, ...]
    report: dict[str, object]
    report_text: str
    dose: TestDose


def _check(
    result: GateResult, planned: Prescription | None, phase: int, content: ProgrammeContent
) -> ReadinessCheck:
    gate = result.gate
    if isinstance(gate, WalkTest):
        told = _walk(gate, planned, content)
    else:
        assert isinstance(gate, ExerciseTest)
        told = _exercise(gate, planned, phase, content)
    kind = "walk_test" if isinstance(gate, WalkTest) else "exercise_test"
    return ReadinessCheck(
        id=gate.id,
        kind=kind,
        status=result.status,
        day=result.day,
        detail=detail_text(content.words, result.detail, result.said),
        today=planned is not None,
        name=told.name,
        text=told.text,
        how=told.how,
        report=told.report,
        report_text=told.report_text,
        when=_when(kind, planned is not None, result, content.words),
        reason=describe(content, Reason(RESULT_RULE)),
        dose=told.dose,
    )


def _per_side(protocol: Protocol, exercise_id: str, phase: int) -> bool:
    exercise = protocol.exercises.get(exercise_id)
    dose = None if exercise is None else exercise.dose_for(phase)
    return dose is not None and dose.per_side


def _exercise(
    gate: ExerciseTest, planned: Prescription | None, phase: int, content: ProgrammeContent
) -> _Told:
    words = content.words
    guide = content.catalogue.exercises.get(gate.exercise)
    name = guide.name if guide is not None else gate.exercise
    side = "_each_side" if _per_side(content.protocol, gate.exercise, phase) else ""
    sets = planned.target.sets if planned else gate.sets
    reps = (planned.target.reps or gate.reps) if planned else gate.reps
    entry = {"id": gate.exercise, "sets": sets, "reps": reps}
    how = (*(guide.steps if guide is not None else ()),)
    how += (words.say(f"today.readiness.exercise.how{side}", sets=sets, reps=reps),)
    text = words.say(
        f"today.readiness.exercise.text{side}",
        name=name,
        sets=gate.sets,
        reps=gate.reps,
        max_pain=gate.max_pain,
    )
    return _Told(
        name,
        text,
        how,
        {"exercises": [{**entry, "max_pain": None}]},
        words.say("today.readiness.exercise.report", entry=_to_fill(entry)),
        TestDose(gate.exercise, sets, reps),
    )


def _walk(gate: WalkTest, planned: Prescription | None, content: ProgrammeContent) -> _Told:
    words = content.words
    guide = content.catalogue.exercises.get("walking")
    minutes = (planned.target.minutes or gate.minutes) if planned else gate.minutes
    entry = {"kind": CrossTrainingKind.WALKING.value, "minutes": minutes}
    how = (
        words.say("today.readiness.walk.how_first", minutes=minutes),
        *(guide.steps[2:] if guide is not None else ()),
        words.say("today.readiness.walk.how_last"),
    )
    text = words.say("today.readiness.walk.text", minutes=gate.minutes, max_pain=gate.max_pain)
    report_text = words.say(
        "today.readiness.walk.report",
        entry=_to_fill(entry),
        limp=json.dumps({"limp": True}),
    )
    return _Told(
        words.say("today.readiness.walk.name"),
        text,
        how,
        {"cross_training": [{**entry, "max_pain": None}], "signs": {"limp": None}},
        report_text,
        TestDose(minutes=minutes),
    )


def _to_fill(entry: dict[str, object]) -> str:
    """A report's entry as JSON, its ``max_pain`` still to fill in: ``{"id": …, "max_pain": …}``."""
    return json.dumps(entry, ensure_ascii=False)[:-1] + f', "max_pain": {TO_FILL}}}'


def _when(kind: str, today: bool, result: GateResult, words: Words) -> str | None:
    """When the test is planned, in words (None once it is met)."""
    if result.met:
        return None
    if today:
        return words.say("today.readiness.when.today")
    return words.say(f"today.readiness.when.{'walk' if kind == 'walk_test' else 'exercise'}")


def readiness_asks(
    checks: Sequence[ReadinessCheck], day: date, words: Words
) -> tuple[ReadinessAsk, ...]:
    """Today's asks for the readiness tests still to do: what, when, how to report it."""
    asks = []
    for c in checks:
        if c.status is GateStatus.MET:
            continue
        if c.status is GateStatus.FAILED:
            text = words.say(
                "today.ask.readiness_failed",
                when=c.when,
                test=c.text,
                detail=c.detail,
                report=c.report_text,
            )
        else:
            text = words.say("today.ask.readiness", when=c.when, test=c.text, report=c.report_text)
        asks.append(ReadinessAsk("readiness_check", c.id, (day,) if c.today else (), text))
    return tuple(asks)


class CheckinTemplate(TypedDict):
    """The day's check-in document to fill in: every ``None`` is an answer of the runner's."""

    schema_version: int
    date: str
    pain: dict[str, None]
    this_morning_vs_usual: None
    signs: dict[str, None]
    exercises: NotRequired[list[dict[str, object]]]
    cross_training: NotRequired[list[dict[str, object]]]
    run: NotRequired[dict[str, object]]


def checkin_template(session: SessionDoc, run_today: str, day: date) -> CheckinTemplate:
    """The day's check-in document to fill in: every ``null`` is an answer of the runner's
    (pain 0-10, the morning, the signs), the rest is the day's session as planned, readiness
    tests included. Sent with a ``null`` left in, it is refused and the path named."""
    doc: CheckinTemplate = {
        "schema_version": 1,
        "date": day.isoformat(),
        "pain": {"now": None, "at_rest": None, "worst_24h": None},
        "this_morning_vs_usual": None,
        "signs": {"swelling": None, "limp": None, "giving_way": None},
    }
    exercises = []
    for e in session.get("exercises", []):
        entry: dict[str, object] = {"id": e["id"], "sets": e["sets"]}
        if "reps" in e:
            entry["reps"] = e["reps"]
        if "hold_seconds" in e:
            entry["hold_seconds"] = e["hold_seconds"]
        entry["max_pain"] = None
        exercises.append(entry)
    if exercises:
        doc["exercises"] = exercises
    cross = session.get("cross_training")
    if cross is not None:
        kind = cross["id"].replace("-", "_")
        known = {k.value for k in CrossTrainingKind}
        doc["cross_training"] = [
            {
                "kind": kind if kind in known else CrossTrainingKind.OTHER.value,
                "minutes": cross.get("minutes") or cross["estimated_minutes"],
                "max_pain": None,
            }
        ]
    run = session.get("run")
    if run is not None and run_today != "no":
        doc["run"] = {
            "minutes": running_minutes(run),
            "max_pain": None,
            "settled_within_minutes": None,
        }
    return doc
