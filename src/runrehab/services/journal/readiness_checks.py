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

from collections.abc import Sequence
from datetime import date
from typing import Any

from runrehab.engine.checkin import Checkin, CrossTrainingKind
from runrehab.engine.day import DayPlan
from runrehab.engine.gates import GateResult, readiness_checks
from runrehab.engine.protocol import ExerciseTest, Protocol, WalkTest
from runrehab.engine.session import Prescription
from runrehab.engine.state import Status
from runrehab.engine.values import Reason
from runrehab.services.content import ProgrammeContent
from runrehab.services.journal.session_view import running_minutes

RESULT_RULE = "readiness-check-results"
PAIN_TO_FILL = "the highest pain during it, 0 (none) to 10 (the worst)"


def readiness_view(
    plan: DayPlan, checkins: Sequence[Checkin], content: ProgrammeContent
) -> list[dict[str, Any]]:
    """The phase's readiness tests on the plan's day, judged on the check-ins up to and
    including that day (so a test reported today shows as met)."""
    state = plan.state
    if state.status is not Status.ACTIVE or plan.session is None:
        return []
    day = plan.date
    results = readiness_checks(state, [c for c in checkins if c.date <= day], content.protocol, day)
    planned = {p.test: p for p in plan.session.tests if p.test is not None}
    return [_check(r, planned.get(r.id), state.phase, content) for r in results]


def _check(
    result: GateResult, planned: Prescription | None, phase: int, content: ProgrammeContent
) -> dict[str, Any]:
    gate = result.gate
    view: dict[str, Any] = {
        "id": gate.id,
        "kind": "walk_test" if isinstance(gate, WalkTest) else "exercise_test",
        "status": result.status.value,
        "day": None if result.day is None else result.day.isoformat(),
        "detail": result.detail,
        "today": planned is not None,
    }
    if isinstance(gate, WalkTest):
        view.update(_walk(gate, planned, content))
    else:
        assert isinstance(gate, ExerciseTest)
        view.update(_exercise(gate, planned, phase, content))
    view["when"] = _when(view, result)
    view["reason"] = content.book.describe(Reason(RESULT_RULE))
    return view


def _per_side(protocol: Protocol, exercise_id: str, phase: int) -> bool:
    exercise = protocol.exercises.get(exercise_id)
    dose = None if exercise is None else exercise.dose_for(phase)
    return dose is not None and dose.per_side


def _exercise(
    gate: ExerciseTest, planned: Prescription | None, phase: int, content: ProgrammeContent
) -> dict[str, Any]:
    guide = content.catalogue.exercises.get(gate.exercise)
    name = guide.name if guide is not None else gate.exercise
    side = " each side" if _per_side(content.protocol, gate.exercise, phase) else ""
    sets = planned.target.sets if planned else gate.sets
    reps = (planned.target.reps or gate.reps) if planned else gate.reps
    entry = {"id": gate.exercise, "sets": sets, "reps": reps, "max_pain": None}
    how = list(guide.steps) if guide is not None else []
    how.append(
        f"Do {sets} sets of {reps}{side}, with the rests Today gives. Note the highest knee "
        "pain during any set: that is the number to report."
    )
    return {
        "name": name,
        "text": f"{name}: {gate.sets} × {gate.reps}{side} at pain {gate.max_pain}/10 or less.",
        "how": how,
        "report": {"exercises": [entry]},
        "report_text": (
            f'In that day\'s check-in, under "exercises": {{"id": "{gate.exercise}", '
            f'"sets": {sets}, "reps": {reps}, "max_pain": …}} with "max_pain" {PAIN_TO_FILL}.'
        ),
    }


def _walk(
    gate: WalkTest, planned: Prescription | None, content: ProgrammeContent
) -> dict[str, Any]:
    guide = content.catalogue.exercises.get("walking")
    minutes = (planned.target.minutes or gate.minutes) if planned else gate.minutes
    entry = {"kind": CrossTrainingKind.WALKING.value, "minutes": minutes, "max_pain": None}
    how = [
        f"Walk briskly for {minutes} minutes without stopping, on a flat route: slightly out of "
        "breath but still able to talk.",
        *(guide.steps[2:] if guide is not None else []),
        "Note the highest knee pain during the walk, and whether you limped at any point.",
    ]
    return {
        "name": "Brisk walk",
        "text": (
            f"A {gate.minutes}-minute brisk walk at pain {gate.max_pain}/10 or less, "
            "without a limp."
        ),
        "how": how,
        "report": {"cross_training": [entry], "signs": {"limp": None}},
        "report_text": (
            'In that day\'s check-in, under "cross_training": {"kind": "walking", '
            f'"minutes": {minutes}, "max_pain": …}} with "max_pain" {PAIN_TO_FILL}; and '
            '"signs": {"limp": true} if you limped.'
        ),
    }


def _when(view: dict[str, Any], result: GateResult) -> str | None:
    """When the test is planned, in words (None once it is met)."""
    if result.met:
        return None
    if view["today"]:
        return "today"
    if view["kind"] == "walk_test":
        return "on your next training day without loaded strength work"
    return "on your next strength day"


def readiness_asks(checks: Sequence[dict[str, Any]], day: date) -> list[dict[str, Any]]:
    """Today's asks for the readiness tests still to do: what, when, how to report it."""
    asks = []
    for c in checks:
        if c["status"] == "met":
            continue
        tried = ""
        if c["status"] == "failed":
            tried = f" Not passed yet ({c['detail']})."
        asks.append(
            {
                "kind": "readiness_check",
                "gate": c["id"],
                "dates": [day.isoformat()] if c["today"] else [],
                "text": f"Readiness check still to do, {c['when']}: {c['text']}{tried} "
                + c["report_text"],
            }
        )
    return asks


def checkin_template(view: dict[str, Any]) -> dict[str, Any]:
    """The day's check-in document to fill in: every ``null`` is an answer of the runner's
    (pain 0-10, the morning, the signs), the rest is the day's session as planned, readiness
    tests included. Sent with a ``null`` left in, it is refused and the path named."""
    session = view["session"]
    doc: dict[str, Any] = {
        "schema_version": 1,
        "date": view["date"],
        "pain": {"now": None, "at_rest": None, "worst_24h": None},
        "this_morning_vs_usual": None,
        "signs": {"swelling": None, "limp": None, "giving_way": None},
    }
    exercises = []
    for e in session.get("exercises", []):
        entry: dict[str, Any] = {"id": e["id"], "sets": e["sets"]}
        for key in ("reps", "hold_seconds"):
            if key in e:
                entry[key] = e[key]
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
    if run is not None and view["run_today"] != "no":
        doc["run"] = {
            "minutes": running_minutes(run),
            "max_pain": None,
            "settled_within_minutes": None,
        }
    return doc
