"""A session as a document: the contract's ``session`` shape, and more for people."""

from __future__ import annotations

from typing import Any

from runrehab.engine.education import Reading
from runrehab.engine.session import Prescription, RunPlan, Session


def prescription_view(p: Prescription) -> dict[str, Any]:
    t = p.target
    view: dict[str, Any] = {"id": p.exercise, "name": p.name, "sets": t.sets}
    for key, value in (("reps", t.reps), ("hold_seconds", t.hold_seconds), ("minutes", t.minutes)):
        if value is not None:
            view[key] = value
    view.update(
        per_side=t.per_side,
        rest_seconds=t.rest_seconds,
        tempo=t.tempo,
        loaded=p.loaded,
        estimated_minutes=p.minutes,
    )
    if p.substitute_for:
        view["instead_of"] = p.substitute_for
    if p.test:
        view["readiness_test"] = p.test  # the gate id: report the highest pain during it
    return view


def run_view(run: RunPlan | None) -> dict[str, Any] | None:
    if run is None:
        return None
    if run.kind == "walk_run":
        view: dict[str, Any] = {
            "kind": "walk_run",
            "run_minutes": run.run_minutes,
            "walk_minutes": run.walk_minutes,
            "repeats": run.repeats,
            "total_minutes": run.total_minutes,
        }
    else:
        view = {"kind": "continuous", "total_minutes": run.total_minutes}
    if run.distance_km is not None:
        view["distance_km"] = run.distance_km
    if run.rung is not None:
        view["rung"] = run.rung
    view["limits"] = list(run.limits)
    return view


DAY_WORDS = {
    "training": "training day",
    "daily": "not a training day: daily exercises only",
    "rest": "rest day",
}
"""What a day is, in the words every view uses (``Session.kind``): a day with a few minutes
of daily exercises is never called a rest day."""


def running_minutes(run: dict[str, Any]) -> int:
    """The minutes of running a ``run_view`` holds, the walking breaks left out: what a
    check-in's ``run.minutes`` reports (a walk/run session of 8 × (1 + 2) is 8 minutes)."""
    if run["kind"] == "walk_run":
        return int(run["run_minutes"] * run["repeats"])
    return int(run["total_minutes"])


def session_view(s: Session) -> dict[str, Any]:
    return {
        "kind": s.kind,
        "day_words": DAY_WORDS[s.kind],
        "training_day": s.training_day,
        "strength_day": s.strength_day,
        "warm_up": [prescription_view(p) for p in s.warm_up],
        "exercises": [prescription_view(p) for p in s.exercises],
        "run": run_view(s.run),
        "after_run": [prescription_view(p) for p in s.after_run],
        "cross_training": None if s.cross_training is None else prescription_view(s.cross_training),
        "estimated_minutes": s.estimated_minutes,
        "reading": [reading_view(r) for r in s.reading],
    }


def reading_view(r: Reading) -> dict[str, Any]:
    """A lesson to read: the knowledge page (``topic``), its title and minutes, the day it was
    due and whether it is carried over from an earlier day, still unread."""
    lesson = r.lesson
    return {
        "id": lesson.id,
        "topic": lesson.topic,
        "title": lesson.title,
        "minutes": lesson.minutes,
        "due": r.due.isoformat(),
        "carried": r.carried,
        "rule": lesson.rule,
    }
