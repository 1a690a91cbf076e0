"""A session as a document: the contract's ``session`` shape, and more for people.

The session is a JSON document whose keys come and go with the prescription (``reps`` or
``hold_seconds``, ``instead_of`` for a substitute, ``readiness_test`` for a gate's test): typed
dictionaries keep each key absent where the document has none, as the contract and the
templates (``e.reps is defined``) read it.
"""

from __future__ import annotations

from typing import Any, NotRequired, Required, TypedDict

from runrehab.content.words import Words, shipped_words
from runrehab.engine.education import Reading
from runrehab.engine.session import Prescription, RunPlan, Session


class PrescriptionDoc(TypedDict):
    """An exercise as prescribed: the dose, and what it stands for."""

    id: str
    name: str
    sets: int
    reps: NotRequired[int]
    hold_seconds: NotRequired[int]
    minutes: NotRequired[float]
    per_side: bool
    rest_seconds: int
    tempo: str | None
    loaded: bool
    estimated_minutes: float
    instead_of: NotRequired[str]
    readiness_test: NotRequired[str]
    """The gate id: report the highest pain during it."""


class RunDoc(TypedDict):
    """A run: walk/run intervals or a continuous run, with its limits."""

    kind: str
    run_minutes: NotRequired[float]
    walk_minutes: NotRequired[float]
    repeats: NotRequired[int]
    total_minutes: float
    distance_km: NotRequired[float]
    rung: NotRequired[int]
    limits: list[str]


class ReadingDoc(TypedDict):
    """A lesson to read: the knowledge page (``topic``), its title and minutes, the day it was
    due and whether it is carried over from an earlier day, still unread."""

    id: str
    topic: str
    title: str
    minutes: int
    due: str
    carried: bool
    rule: str


class SessionDoc(TypedDict, total=False):
    """A day's session. A day without one (a stopped programme) is only
    ``{"exercises": [], "run": None}``."""

    kind: str
    day_words: str
    training_day: bool
    strength_day: bool
    warm_up: list[PrescriptionDoc]
    exercises: Required[list[PrescriptionDoc]]
    run: Required[RunDoc | None]
    after_run: list[PrescriptionDoc]
    cross_training: PrescriptionDoc | None
    estimated_minutes: float
    reading: list[Any]
    """The lessons (``ReadingDoc``); Today adds whether each was read, and why it is there."""


NO_SESSION: SessionDoc = {"exercises": [], "run": None}


def prescription_view(p: Prescription) -> PrescriptionDoc:
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
    return view  # type: ignore[return-value]  # built key by key, in the document's order


def run_view(run: RunPlan | None) -> RunDoc | None:
    if run is None:
        return None
    view: dict[str, Any] = {"kind": run.kind}
    if run.kind == "walk_run":
        view.update(
            run_minutes=run.run_minutes,
            walk_minutes=run.walk_minutes,
            repeats=run.repeats,
        )
    view["total_minutes"] = run.total_minutes
    if run.distance_km is not None:
        view["distance_km"] = run.distance_km
    if run.rung is not None:
        view["rung"] = run.rung
    view["limits"] = list(run.limits)
    return view  # type: ignore[return-value]  # built key by key, in the document's order


def running_minutes(run: RunDoc) -> int:
    """The minutes of running a ``run_view`` holds, the walking breaks left out: what a
    check-in's ``run.minutes`` reports (a walk/run session of 8 × (1 + 2) is 8 minutes)."""
    if run["kind"] == "walk_run":
        return int(run.get("run_minutes", 0) * run.get("repeats", 0))
    return int(run["total_minutes"])


def session_view(s: Session, words: Words | None = None) -> SessionDoc:
    """The session as a document; ``day_words`` says what the day is (``today.day_kind``:
    a day with a few minutes of daily exercises is never called a rest day)."""
    said = words or shipped_words()
    return {
        "kind": s.kind,
        "day_words": said.say(f"today.day_kind.{s.kind}"),
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


def reading_view(r: Reading) -> ReadingDoc:
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


def __getattr__(name: str) -> Any:
    """``DAY_WORDS``, what a day is by its kind, for callers that do not ask the words yet."""
    if name == "DAY_WORDS":
        return shipped_words().under("today.day_kind")
    raise AttributeError(name)
