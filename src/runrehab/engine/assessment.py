"""The intake assessment as the engine sees it: frozen values mirroring assessment-v1.

Field names and enum values are those of ``contracts/assessment.schema.json``; a test keeps the
two in agreement. A boolean the person left out means "no", as the contract says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNSPECIFIED = "unspecified"


class Location(StrEnum):
    AROUND_KNEECAP = "around_kneecap"
    BEHIND_KNEECAP = "behind_kneecap"
    BELOW_KNEECAP = "below_kneecap"
    TIBIAL_TUBERCLE = "tibial_tubercle"
    OUTER_KNEE = "outer_knee"
    INNER_KNEE = "inner_knee"
    INNER_JOINT_LINE = "inner_joint_line"
    BACK_OF_KNEE = "back_of_knee"


class Provocation(StrEnum):
    RUNNING = "running"
    STAIRS_DOWN = "stairs_down"
    STAIRS_UP = "stairs_up"
    SQUATTING = "squatting"
    PROLONGED_SITTING = "prolonged_sitting"
    KNEELING = "kneeling"
    JUMPING = "jumping"
    DOWNHILL_RUNNING = "downhill_running"
    WALKING = "walking"
    CYCLING = "cycling"


class Trend(StrEnum):
    IMPROVING = "improving"
    UNCHANGED = "unchanged"
    WORSENING = "worsening"


class Onset(StrEnum):
    GRADUAL = "gradual"
    SUDDEN = "sudden"


class Mechanism(StrEnum):
    FALL_OR_DIRECT_BLOW = "fall_or_direct_blow"
    TWISTING = "twisting"
    LANDING = "landing"
    OTHER = "other"


class Swelling(StrEnum):
    NONE = "none"
    MILD = "mild"
    MARKED = "marked"


class Equipment(StrEnum):
    RESISTANCE_BAND = "resistance_band"
    STEP = "step"
    WALL = "wall"
    BOX_OR_CHAIR = "box_or_chair"
    FOAM_ROLLER = "foam_roller"
    MASSAGE_BALL = "massage_ball"
    GYM = "gym"
    POOL = "pool"
    BIKE = "bike"
    ELLIPTICAL = "elliptical"


class Weekday(StrEnum):
    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"

    @classmethod
    def of(cls, day: date) -> Weekday:
        return list(cls)[day.weekday()]


# PFP is felt around or behind the kneecap (CPG 2019; Crossley 2016).
PATELLOFEMORAL_LOCATIONS = frozenset({Location.AROUND_KNEECAP, Location.BEHIND_KNEECAP})
# Activities that load a bent knee and so provoke PFP (Crossley 2016 part 1; CPG 2019).
PATELLOFEMORAL_PROVOCATIONS = frozenset(
    {
        Provocation.RUNNING,
        Provocation.STAIRS_DOWN,
        Provocation.STAIRS_UP,
        Provocation.SQUATTING,
        Provocation.PROLONGED_SITTING,
        Provocation.KNEELING,
        Provocation.JUMPING,
        Provocation.DOWNHILL_RUNNING,
    }
)


@dataclass(frozen=True, slots=True)
class Pain:
    now: int
    at_rest: int
    worst_last_week: int
    location: frozenset[Location]
    provoked_by: frozenset[Provocation] = frozenset()
    wakes_at_night: bool = False
    constant_not_eased_by_rest: bool = False


@dataclass(frozen=True, slots=True)
class GoalRace:
    date: date
    distance_km: float | None = None


@dataclass(frozen=True, slots=True)
class Running:
    currently_running: bool = False
    pain_during_run: int | None = None
    pain_rises_during_run: bool = False
    pain_settles_within_24h: bool = False
    changes_stride_when_running: bool = False
    weekly_km_before_pain: float | None = None
    longest_run_km_last_30_days: float | None = None
    runs_per_week_before_pain: int | None = None
    recent_increase_in_load: bool = False
    goal_race: GoalRace | None = None


@dataclass(frozen=True, slots=True)
class Injury:
    mechanism: Mechanism
    heard_pop: bool = False
    swelling_within_2_hours: bool = False
    cannot_walk_4_steps: bool = False
    cannot_bend_to_90_degrees: bool = False
    cannot_straighten_or_lift_straight_leg: bool = False
    tender_kneecap_or_bony_point: bool = False
    kneecap_dislocated: bool = False


@dataclass(frozen=True, slots=True)
class History:
    symptom_weeks: float
    trend: Trend
    onset: Onset
    weeks_following_programme: float | None = None
    injury: Injury | None = None
    cancer_history: bool = False
    immunocompromised_or_diabetic: bool = False
    recent_knee_injection_or_surgery: bool = False


@dataclass(frozen=True, slots=True)
class Signs:
    """The warning signs of assessment-v1. A check-in asks about a subset of them (checkin-v1's
    ``signs``); the others stay at "no" there. ``engine.red_flags`` reads both the same way."""

    swelling: Swelling = Swelling.NONE
    hot: bool = False
    red: bool = False
    fever_or_unwell: bool = False
    locked: bool = False
    catching: bool = False
    giving_way: bool = False
    limp: bool = False
    deformity: bool = False
    foot_numb_cold_or_pale: bool = False
    calf_pain_or_swelling: bool = False
    breathless_or_chest_pain: bool = False
    hip_groin_or_thigh_pain: bool = False
    unexplained_weight_loss: bool = False
    hard_lump_near_knee: bool = False
    morning_stiffness_minutes: float | None = None


NO_SIGNS = Signs()
"""No warning sign at all: a check-in that reports none."""


@dataclass(frozen=True, slots=True)
class Preferences:
    """Equipment at hand, training days (empty: any day) and minutes per session (None: no cap)."""

    equipment: frozenset[Equipment] = frozenset()
    training_days: frozenset[Weekday] = frozenset()
    minutes_per_session: int | None = None

    def trains_on(self, day: date) -> bool:
        """Whether ``day`` is one of the runner's training days (every day when none is set)."""
        return not self.training_days or Weekday.of(day) in self.training_days


@dataclass(frozen=True, slots=True)
class Assessment:
    age: int
    side: Side
    pain: Pain
    history: History
    signs: Signs
    sex: Sex | None = None
    running: Running | None = None
    preferences: Preferences = field(default_factory=Preferences)
