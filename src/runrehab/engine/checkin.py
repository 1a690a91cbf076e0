"""A daily check-in as the engine sees it: frozen values mirroring checkin-v1."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from runrehab.engine.assessment import NO_SIGNS, Signs


class Morning(StrEnum):
    """How the knee felt on waking compared with the usual morning (the 24-hour response)."""

    BETTER = "better"
    SAME = "same"
    WORSE = "worse"


class CrossTrainingKind(StrEnum):
    WALKING = "walking"
    CYCLING = "cycling"
    SWIMMING = "swimming"
    WATER_RUNNING = "water_running"
    ELLIPTICAL = "elliptical"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class CheckinPain:
    now: int
    at_rest: int
    worst_24h: int

    @property
    def worst(self) -> int:
        """The worst pain of the last 24 hours. The pain now is part of those 24 hours, so a
        report whose "now" is higher than its "worst" is read at the higher of the two."""
        return max(self.now, self.worst_24h)


@dataclass(frozen=True, slots=True)
class ExerciseLog:
    id: str
    sets: int
    reps: int | None = None
    hold_seconds: int | None = None
    max_pain: int | None = None


@dataclass(frozen=True, slots=True)
class RunLog:
    minutes: float
    max_pain: int
    distance_km: float | None = None
    pain_rose_during: bool = False
    settled_within_minutes: float | None = None
    changed_stride: bool = False
    activity_id: str | None = None


@dataclass(frozen=True, slots=True)
class CrossTraining:
    kind: CrossTrainingKind
    minutes: float
    max_pain: int | None = None


@dataclass(frozen=True, slots=True)
class Checkin:
    date: date
    pain: CheckinPain
    this_morning_vs_usual: Morning | None = None
    signs: Signs = NO_SIGNS
    exercises: tuple[ExerciseLog, ...] = ()
    run: RunLog | None = None
    cross_training: tuple[CrossTraining, ...] = ()
    notes: str = ""

    @property
    def had_session(self) -> bool:
        """True when the day held exercise or running that the traffic light can judge."""
        return bool(self.exercises) or self.run is not None
