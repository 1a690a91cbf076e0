"""Exercise doses and their step-wise progression (digest 14(d)).

The starting dose comes from the protocol data (article 000's values, adjusted by the digest).
Each dose step adds reps (by ``dose_reps_step``) or hold time (by ``dose_hold_step_seconds``) up
to the exercise's ceiling; past the ceiling the runner is offered the exercise's progression
instead (ACSM 2009: progress one variable at a time).
"""

from __future__ import annotations

from dataclasses import dataclass

from runrehab.engine.protocol import Dose, Exercise, Settings

DEFAULT_MAX_REPS = 20
DEFAULT_MAX_HOLD_SECONDS = 60


@dataclass(frozen=True, slots=True)
class Target:
    """What one exercise asks for today."""

    sets: int
    reps: int | None
    hold_seconds: int | None
    minutes: int | None
    per_side: bool
    rest_seconds: int
    tempo: str
    at_ceiling: bool


def target(exercise: Exercise, phase: int, level: int, settings: Settings) -> Target | None:
    """The exercise's dose in ``phase`` at dose step ``level`` (0 = the starting dose)."""
    dose = exercise.dose_for(phase)
    if dose is None:
        return None
    reps, hold, at_ceiling = _stepped(dose, exercise, max(0, level), settings)
    return Target(
        dose.sets,
        reps,
        hold,
        dose.minutes,
        dose.per_side,
        dose.rest_seconds,
        dose.tempo,
        at_ceiling,
    )


def _stepped(
    dose: Dose, exercise: Exercise, level: int, settings: Settings
) -> tuple[int | None, int | None, bool]:
    """Holds progress first when an exercise has one (isometrics), otherwise reps."""
    if dose.hold_seconds is not None and dose.reps is None:
        ceiling = max(dose.hold_seconds, exercise.max_hold_seconds or DEFAULT_MAX_HOLD_SECONDS)
        hold = min(ceiling, dose.hold_seconds + level * settings.dose_hold_step_seconds)
        return None, hold, hold >= ceiling
    if dose.reps is not None:
        ceiling = max(dose.reps, exercise.max_reps or DEFAULT_MAX_REPS)
        reps = min(ceiling, dose.reps + level * settings.dose_reps_step)
        return reps, dose.hold_seconds, reps >= ceiling
    return None, dose.hold_seconds, True


def estimated_minutes(t: Target) -> float:
    """Rough time an exercise takes: about 4 s a rep (plus any hold), rests between sets."""
    if t.minutes is not None:
        return float(t.minutes)
    sides = 2 if t.per_side else 1
    work = t.reps * (4 + (t.hold_seconds or 0)) if t.reps is not None else t.hold_seconds or 30
    seconds = t.sets * work * sides + max(0, t.sets - 1) * t.rest_seconds
    return round(seconds / 60, 1)
