"""The protocol as the engine consumes it: phases, gates, the walk/run ladder, exercises, settings.

These are plain frozen values. ``runrehab.content`` builds them from the data files; the engine
never reads a file. Code here says what each kind of gate *means*; the data says which gates a
phase has and with which numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from runrehab.engine.education import Lesson
from runrehab.engine.values import PathwayId


@dataclass(frozen=True, slots=True)
class Settings:
    """Tunable thresholds. Pain is on the 0-10 numeric rating scale; see the protocol file for
    the source of each number and which are unverified ([M] in the evidence digest)."""

    green_max_pain: int = 2
    amber_max_pain: int = 3  # RED above: the session zones of running and of exercise
    day_worst_pain_red_above: int = 5  # [M] a day's worst pain above this is RED
    settle_minutes_green: int = 60
    modified_running_max_pain: int = 3
    stop_run_pain_above: int = 3
    stop_exercise_pain_above: int = 3  # an exercise stops above this; eased off above GREEN
    rest_pain_no_run_above: int = 3
    rest_pain_reduced_from: int = 2
    hours_between_runs_in_return_phase: int = 40
    sessions_to_climb_rung: int = 2
    days_without_running_before_step_down: int = 7
    red_days_window: int = 14
    red_days_for_referral: int = 3
    stall_weeks_before_referral: int = 6
    longest_run_cap_ratio: float = 1.1
    modified_running_distance_ratio: float = 0.5
    cadence_increase_min_percent: int = 5
    cadence_increase_max_percent: int = 10
    ready_to_run_wait_days: int = 0
    assumed_easy_pace_min_per_km: float = 6.5
    dose_reps_step: int = 2
    dose_hold_step_seconds: int = 5
    loaded_strength_sessions_per_week: int = 3
    hold_hours_after_red: int = 48
    kujala_mic: int = 10
    worst_pain_mic: int = 2
    no_improvement_weeks: int = 6
    adherence_threshold: float = 0.8
    kujala_every_days: int = 14
    weekly_pain_every_days: int = 7
    shortest_cross_training_minutes: int = 10  # [M] shorter than this, cross-training is left out
    fear_screen_high_from: int = 8  # [M] a fear-of-movement score (0-12) from this is high
    fear_screen_again_days: int = 42  # [M] the screen again 6 weeks after the last answer
    clinic_quiet_days: int = 4  # product rule: the dashboard flags a runner this long silent


@dataclass(frozen=True, slots=True)
class TriageSettings:
    """Thresholds of the triage rules (digest 14(a)); ages in years, pain 0-10."""

    ottawa_age: int = 55
    adolescent_hip_max_age: int = 16
    clinician_confirms_below_age: int = 16
    osteoarthritis_min_age: int = 45
    osteoarthritis_max_stiffness_minutes: int = 30
    rest_pain_refer_above: int = 6
    worsening_weeks_on_programme: int = 2
    no_improvement_weeks: int = 6


# --- gates: what must hold before a phase is left -----------------------------------------


@dataclass(frozen=True, slots=True)
class MinDays:
    id: str
    days: int


@dataclass(frozen=True, slots=True)
class WorstPainAtMost:
    id: str
    threshold: int
    days: int


@dataclass(frozen=True, slots=True)
class GreenSessions:
    """The listed exercises done at their full dose, GREEN, in N consecutive sessions."""

    id: str
    sessions: int
    exercises: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ExerciseTest:
    id: str
    exercise: str
    sets: int
    reps: int
    max_pain: int


@dataclass(frozen=True, slots=True)
class WalkTest:
    id: str
    minutes: int
    max_pain: int


@dataclass(frozen=True, slots=True)
class LadderComplete:
    id: str


Gate = MinDays | WorstPainAtMost | GreenSessions | ExerciseTest | WalkTest | LadderComplete


@dataclass(frozen=True, slots=True)
class Phase:
    number: int
    id: str
    name: str
    running: str  # "none" | "modified" | "walk_run" | "building"
    exercises: tuple[str, ...]
    daily_exercises: tuple[str, ...] = ()
    gates: tuple[Gate, ...] = ()
    stall_days: int | None = None
    stall_rule: str | None = None
    rule: str = ""


@dataclass(frozen=True, slots=True)
class Pathway:
    id: PathwayId
    phases: tuple[int, ...]
    rule: str
    not_before_day: Mapping[int, int] = field(default_factory=dict)
    """Phase number -> the earliest programme day (1 = start day) it may begin: the timeline."""

    def next_phase(self, phase: int) -> int | None:
        later = [p for p in self.phases if p > phase]
        return later[0] if later else None

    def previous_phase(self, phase: int) -> int | None:
        earlier = [p for p in self.phases if p < phase]
        return earlier[-1] if earlier else None


@dataclass(frozen=True, slots=True)
class Rung:
    """A rung of the walk/run ladder: ``repeats`` x (run, walk). A rung without walking is
    continuous running of ``run_minutes`` x ``repeats``."""

    id: str
    number: int
    run_minutes: int
    walk_minutes: int
    repeats: int
    optional: bool = False
    article_total_minutes: int | None = None

    @property
    def total_minutes(self) -> int:
        """Computed, never copied: the article's own totals are wrong for two of its rungs."""
        return self.repeats * (self.run_minutes + self.walk_minutes)

    @property
    def continuous(self) -> bool:
        return self.walk_minutes == 0


@dataclass(frozen=True, slots=True)
class Dose:
    phase: int
    sets: int
    reps: int | None = None
    hold_seconds: int | None = None
    minutes: int | None = None
    per_side: bool = False
    rest_seconds: int = 60
    tempo: str = ""
    frequency: str = "alternate_days"


@dataclass(frozen=True, slots=True)
class Exercise:
    id: str
    name: str
    category: str
    equipment: frozenset[str]
    loaded: bool
    knee_load: str
    priority: int
    doses: tuple[Dose, ...]
    substitutes: tuple[str, ...] = ()
    max_reps: int | None = None
    max_hold_seconds: int | None = None
    progression: str | None = None
    regression: str | None = None

    def dose_for(self, phase: int) -> Dose | None:
        """The dose of ``phase``, or of the nearest earlier phase that has one."""
        for candidate in sorted(self.doses, key=lambda d: -d.phase):
            if candidate.phase <= phase:
                return candidate
        return None


@dataclass(frozen=True, slots=True)
class AfterRunItem:
    exercise: str
    sets: int
    reps: int | None = None
    hold_seconds: int | None = None
    per_side: bool = False
    rule: str = ""


@dataclass(frozen=True, slots=True)
class Protocol:
    id: str
    version: int
    settings: Settings
    triage: TriageSettings
    phases: tuple[Phase, ...]
    pathways: tuple[Pathway, ...]
    rungs: tuple[Rung, ...]
    exercises: Mapping[str, Exercise]
    after_run: tuple[AfterRunItem, ...] = ()
    warm_up: tuple[str, ...] = ()
    lessons: tuple[Lesson, ...] = ()
    """The core lessons of week 1 (``education.reading_for``)."""

    def phase(self, number: int) -> Phase:
        return next(p for p in self.phases if p.number == number)

    def pathway(self, pathway_id: PathwayId) -> Pathway:
        return next(p for p in self.pathways if p.id == pathway_id)

    def rung(self, number: int) -> Rung:
        return next(r for r in self.rungs if r.number == number)

    def running_mode(self, pathway: PathwayId, phase: int) -> str:
        """How the runner runs in ``phase``: modified running keeps running (at reduced volume)
        through the strength phases that the rest-and-rebuild pathway spends without running."""
        mode = self.phase(phase).running
        if pathway is PathwayId.MODIFIED_RUNNING and mode == "none":
            return "modified"
        return mode
