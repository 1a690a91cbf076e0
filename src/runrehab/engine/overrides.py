"""What a runner's physiotherapist set: inputs to the fold and to the day's session, never edits
of their output.

An override is dated: it applies from ``day`` until the day it was undone (``until``, not
included). Those that move the runner (a phase, a rung, a release from a referral) act once, on
their day, before the day's checks, so the safety rules (a warning sign, a RED day, two AMBER
sessions) still judge the day from the place the physiotherapist chose. Those that last (a hold,
an extra wait, a dose, an exercise added or removed, a run's length) act on every day they are
active. Nothing here lifts a stop for a red flag: only a new assessment does that.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from runrehab.engine.dosing import Target
from runrehab.engine.session import Prescription, RunPlan, Session
from runrehab.engine.values import Reason


class OverrideKind(StrEnum):
    HOLD_PHASE = "hold_phase"
    """No moving on (a phase, a rung) while it lasts; the steps back for pain still apply."""
    SET_PHASE = "set_phase"
    SET_RUNG = "set_rung"
    WAIT_DAYS = "wait_days"
    """The runner's own "wait N more days" before running starts (``ready_to_run_wait_days``)."""
    RELEASE_HOLD = "release_hold"
    """A referral ends: the programme goes on from ``phase`` (and ``rung``)."""
    DOSE = "dose"
    ADD_EXERCISE = "add_exercise"
    REMOVE_EXERCISE = "remove_exercise"
    RUN_MINUTES = "run_minutes"
    """The length of the day's run, when the day has one: it never makes a run of a day the
    pain rules keep free of running."""


ONE_SHOT = frozenset({OverrideKind.SET_PHASE, OverrideKind.SET_RUNG, OverrideKind.RELEASE_HOLD})
"""The overrides that act once, on their day; the others act on every day they are active."""

RULES = {kind: f"clinic-{kind.value.replace('_', '-')}" for kind in OverrideKind}
"""The rule each override shows as: its words and source live in the rules catalogue."""


@dataclass(frozen=True, slots=True)
class Override:
    id: str
    kind: OverrideKind
    day: date
    reason: str
    """The physiotherapist's own words: shown to the runner with the rule's."""
    until: date | None = None
    phase: int | None = None
    rung: int | None = None
    days: int | None = None
    exercise: str | None = None
    name: str | None = None
    """The added exercise's name (a clinic's own exercise is not in the protocol)."""
    sets: int | None = None
    reps: int | None = None
    hold_seconds: int | None = None
    minutes: int | None = None

    def active_on(self, day: date) -> bool:
        return self.day <= day and (self.until is None or day < self.until)

    @property
    def reason_value(self) -> Reason:
        return Reason(RULES[self.kind], self.reason)


VALUES = ("phase", "rung", "days", "exercise", "name", "sets", "reps", "hold_seconds", "minutes")
"""The names of an override's values (besides its kind, day, reason and end): every store and
view of an override reads them by these names."""


def values_of(o: Override) -> dict[str, object]:
    """The values the override was given (those left out are not there)."""
    return {k: getattr(o, k) for k in VALUES if getattr(o, k) is not None}


Overrides = tuple[Override, ...]
NO_OVERRIDES: Overrides = ()


def active(overrides: Iterable[Override], day: date) -> list[Override]:
    """The overrides in force on ``day``, oldest first (a later one of a kind wins)."""
    return sorted((o for o in overrides if o.active_on(day)), key=lambda o: o.day)


def acting_on(overrides: Iterable[Override], day: date) -> list[Override]:
    """The one-shot overrides dated ``day`` that were not undone that same day."""
    return [o for o in active(overrides, day) if o.kind in ONE_SHOT and o.day == day]


def changes_of_the_day(overrides: Iterable[Override], day: date) -> list[Reason]:
    """The physiotherapist's changes that start on ``day`` (those that did not end the same
    day) and those undone on it, as the decision history records them."""
    found = []
    for o in overrides:
        if o.day == day and o.active_on(day):
            found.append(o.reason_value)
        elif o.until == day and o.day < day:
            found.append(Reason(UNDONE, f"{RULES[o.kind]}: {o.reason}"))
    return found


UNDONE = "clinic-undone"
"""The rule an undone override shows as, on the day it was undone."""


def released_on(overrides: Iterable[Override], day: date) -> date | None:
    """The day a clinician last released a referral, up to ``day`` (one undone on its own
    day never acted)."""
    days = [
        o.day
        for o in overrides
        if o.kind is OverrideKind.RELEASE_HOLD and o.day <= day and o.active_on(o.day)
    ]
    return max(days) if days else None


def holding(overrides: Iterable[Override], day: date) -> Override | None:
    """The hold in force on ``day``, if any."""
    held = [o for o in active(overrides, day) if o.kind is OverrideKind.HOLD_PHASE]
    return held[-1] if held else None


def waiting(overrides: Iterable[Override], day: date) -> Override | None:
    """The runner's own extra wait before running in force on ``day``, when one is set."""
    waits = [o for o in active(overrides, day) if o.kind is OverrideKind.WAIT_DAYS]
    return waits[-1] if waits else None


# --- the day's session ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SessionChanges:
    """What the overrides in force change in a day's exercises and run."""

    removed: frozenset[str] = frozenset()
    doses: tuple[Override, ...] = ()
    added: tuple[Override, ...] = ()
    run_minutes: Override | None = None
    reasons: tuple[Reason, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.removed or self.doses or self.added or self.run_minutes)


def session_changes(overrides: Sequence[Override], day: date) -> SessionChanges:
    now = active(overrides, day)
    removed = [o for o in now if o.kind is OverrideKind.REMOVE_EXERCISE]
    doses = _last_per_exercise(o for o in now if o.kind is OverrideKind.DOSE)
    added = _last_per_exercise(o for o in now if o.kind is OverrideKind.ADD_EXERCISE)
    runs = [o for o in now if o.kind is OverrideKind.RUN_MINUTES]
    gone = frozenset(o.exercise for o in removed if o.exercise)
    added = tuple(o for o in added if o.exercise not in gone)
    run = runs[-1] if runs else None
    chosen = [*removed, *doses, *added, *([run] if run else [])]
    return SessionChanges(
        gone, doses, added, run, tuple(o.reason_value for o in sorted(chosen, key=_by_day))
    )


def _last_per_exercise(overrides: Iterable[Override]) -> tuple[Override, ...]:
    latest: dict[str | None, Override] = {}
    for o in overrides:
        latest[o.exercise] = o
    return tuple(latest.values())


def _by_day(o: Override) -> date:
    return o.day


def dosed(base: Target, change: Override) -> Target:
    """``base`` with the physiotherapist's sets, repetitions and hold, where they gave them."""
    return replace(
        base,
        sets=change.sets if change.sets is not None else base.sets,
        reps=change.reps if change.reps is not None else base.reps,
        hold_seconds=change.hold_seconds if change.hold_seconds is not None else base.hold_seconds,
        at_ceiling=True,
    )


def added_target(change: Override) -> Target:
    """The dose of an exercise the physiotherapist added."""
    return Target(
        sets=change.sets or 1,
        reps=change.reps,
        hold_seconds=change.hold_seconds,
        minutes=None,
        per_side=False,
        rest_seconds=60,
        tempo="",
        at_ceiling=True,
    )


def changed_session(session: Session, overrides: Sequence[Override]) -> Session:
    """``session`` as the physiotherapist changed it: exercises removed, doses set, their own
    exercises added on training days, the run's length set on a day that has a run."""
    changes = session_changes(overrides, session.date)
    if changes.empty:
        return session
    doses = {o.exercise: o for o in changes.doses}

    def kept(items: tuple[Prescription, ...]) -> tuple[Prescription, ...]:
        return tuple(
            replace(p, target=dosed(p.target, doses[p.exercise])) if p.exercise in doses else p
            for p in items
            if p.exercise not in changes.removed
        )

    exercises = kept(session.exercises)
    if session.training_day:
        have = {p.exercise for p in exercises}
        exercises += tuple(
            Prescription(o.exercise, o.name or o.exercise, added_target(o))
            for o in changes.added
            if o.exercise and o.exercise not in have
        )
    run = session.run
    if run is not None and changes.run_minutes is not None and changes.run_minutes.minutes:
        run = _run_of(run, changes.run_minutes.minutes)
    return replace(
        session,
        warm_up=kept(session.warm_up),
        exercises=exercises,
        after_run=kept(session.after_run),
        run=run,
        reasons=(*session.reasons, *changes.reasons),
    )


def _run_of(run: RunPlan, minutes: int) -> RunPlan:
    if run.kind == "walk_run":
        return run  # the ladder's rung sets a walk/run session (``SET_RUNG``)
    return replace(run, total_minutes=minutes, distance_km=None)
