"""The strict schema of RunRehab's protocol data files.

Every data file under ``content/data`` is decoded into these structures. Decoding is strict:
an unknown key, a missing field or a value of the wrong type is an error that names the file and
the place (``$.phase[1].gates[0].days``). Cross-references (an exercise id named by a phase, a
source id named by a rule) are checked afterwards by :mod:`runrehab.content.loader`.

msgspec rather than pydantic: the command line must answer in under 0.3 s and pydantic alone
takes longer than that to import on a 2-core machine (see ``benchmarks/cli_latency.py``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from msgspec import Meta, Struct

Id = Annotated[str, Meta(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
Text = Annotated[str, Meta(min_length=1)]
PhaseNumber = Annotated[int, Meta(ge=1, le=5)]
Pain = Annotated[int, Meta(ge=0, le=10)]
Positive = Annotated[int, Meta(ge=1)]
NonNegative = Annotated[int, Meta(ge=0)]

Equipment = Literal[
    "resistance_band",
    "foam_roller",
    "massage_ball",
    "gym",
    "pool",
    "bike",
    "elliptical",
]
"""Gear a runner may not have: an exercise that needs it is swapped for a substitute."""
AtHome = Literal["wall", "step", "box_or_chair"]
"""What every home has (a wall, a step of the stairs, a chair): never a reason to swap an
exercise away. The contract lets a runner tick them; the programme assumes them."""
Category = Literal[
    "strength",
    "activation",
    "stretch",
    "foam_rolling",
    "mobility",
    "cross_training",
    "warm_up",
    "balance",
]
Focus = Literal[
    "hip", "knee", "hip_and_knee", "core", "calf", "ankle", "hamstring", "whole_leg", "cardio"
]
KneeLoad = Literal["low", "moderate", "high"]
Frequency = Literal["daily", "alternate_days", "after_runs", "as_needed"]
Verdict = Literal["supported", "partly", "silent", "contradicted", "product"]
Stance = Literal["follows", "adapts", "replaces", "rejects", "adds"]


class Strict(Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    """Base: unknown keys are errors, values are immutable."""


# --- sources -------------------------------------------------------------------------------


class Source(Strict, frozen=True, kw_only=True):
    """A citable source: one of the five articles, the digest, or a paper the digest names."""

    id: Id
    short: Text
    title: Text
    detail: str = ""


class SourcesFile(Strict, frozen=True, kw_only=True):
    source: list[Source]


# --- rules ---------------------------------------------------------------------------------


class Rule(Strict, frozen=True, kw_only=True):
    """One clinical rule with a stable id, its words for the runner, and where it comes from.

    ``articles`` are the S-numbers of the digest that the rule takes up; ``conflicts`` the
    C-numbers it settles; ``stance`` says what the product does with the article rule (follows it,
    adapts it, replaces it with a reconciled rule, rejects it, or adds a rule of its own).
    """

    id: Id
    area: Literal[
        "triage",
        "pathway",
        "readiness",
        "progression",
        "dose",
        "load",
        "session",
        "content",
        "clinic",
    ]
    title: Text
    text: Text
    sources: Annotated[list[Id], Meta(min_length=1)]
    digest: list[str] = []
    articles: list[str] = []
    conflicts: list[str] = []
    verdict: Verdict = "product"
    stance: Stance = "follows"
    why: str = ""
    disposition: Literal["emergency", "urgent", "see_clinician", "self_manage"] | None = None
    unverified_numbers: bool = False
    implemented_by: list[Id] = []


class RulesFile(Strict, frozen=True, kw_only=True):
    rule: list[Rule]


# --- exercises -----------------------------------------------------------------------------


class Dose(Strict, frozen=True, kw_only=True):
    """The starting dose of an exercise in one phase."""

    phase: PhaseNumber
    sets: Positive
    reps: Positive | None = None
    hold_seconds: Positive | None = None
    minutes: Positive | None = None
    per_side: bool = False
    rest_seconds: NonNegative = 60
    tempo: str = ""
    frequency: Frequency = "alternate_days"
    note: str = ""


class Link(Strict, frozen=True, kw_only=True):
    """A progression or regression: in words, and optionally the exercise it leads to."""

    how: Text
    exercise: Id | None = None


class Illustration(Strict, frozen=True, kw_only=True):
    """The alt text of an exercise's picture (``static/illustrations/<id>.svg``): the start
    and the end position, in plain words."""

    start: Text
    end: Text


class Exercise(Strict, frozen=True, kw_only=True):
    id: Id
    name: Text
    aliases: list[str] = []
    category: Category
    focus: Focus
    muscles: Annotated[list[str], Meta(min_length=1)]
    equipment: list[Equipment] = []
    at_home: list[AtHome] = []
    loaded: bool
    knee_load: KneeLoad
    priority: Annotated[int, Meta(ge=1, le=3)]
    starting_position: Text
    steps: Annotated[list[Text], Meta(min_length=2)]
    cues: Annotated[list[Text], Meta(min_length=1)]
    common_mistakes: Annotated[list[Text], Meta(min_length=1)]
    stop_when: Annotated[list[Text], Meta(min_length=1)]
    doses: Annotated[list[Dose], Meta(min_length=1)]
    progression: Link
    regression: Link
    substitutes: list[Id] = []
    max_reps: Positive | None = None
    max_hold_seconds: Positive | None = None
    named_in: list[str] = []
    sources: Annotated[list[Id], Meta(min_length=1)]
    illustration: Illustration | None = None
    """Optional in the schema; the content tests require it of every shipped exercise."""


# --- protocol: phases, pathways, ladder ----------------------------------------------------


class MinDaysGate(Strict, frozen=True, kw_only=True, tag="min_days", tag_field="kind"):
    id: Id
    days: Positive


class WorstPainGate(Strict, frozen=True, kw_only=True, tag="worst_pain_at_most", tag_field="kind"):
    """Worst pain of the last 24 h at most ``threshold`` on ``days`` consecutive check-ins."""

    id: Id
    threshold: Pain
    days: Positive


class GreenSessionsGate(Strict, frozen=True, kw_only=True, tag="green_sessions", tag_field="kind"):
    """The listed exercises done at their dose, GREEN, in N consecutive sessions."""

    id: Id
    sessions: Positive
    exercises: Annotated[list[Id], Meta(min_length=1)]


class ExerciseTestGate(Strict, frozen=True, kw_only=True, tag="exercise_test", tag_field="kind"):
    """A performance test read from a check-in's exercise log: sets x reps at GREEN pain."""

    id: Id
    exercise: Id
    sets: Positive
    reps: Positive
    max_pain: Pain


class WalkTestGate(Strict, frozen=True, kw_only=True, tag="walk_test", tag_field="kind"):
    """A brisk walk of at least N minutes, GREEN, without a limp."""

    id: Id
    minutes: Positive
    max_pain: Pain


class LadderCompleteGate(
    Strict, frozen=True, kw_only=True, tag="ladder_complete", tag_field="kind"
):
    id: Id


Gate = (
    MinDaysGate
    | WorstPainGate
    | GreenSessionsGate
    | ExerciseTestGate
    | WalkTestGate
    | LadderCompleteGate
)


class Phase(Strict, frozen=True, kw_only=True):
    number: PhaseNumber
    id: Id
    name: Text
    article_name: Text
    article_duration: Text
    goal: Text
    summary: Text
    running: Literal["none", "modified", "walk_run", "building"]
    allowed: list[Text]
    avoided: list[Text]
    exercises: list[Id]
    daily_exercises: list[Id] = []
    gates: list[Gate] = []
    stall_days: Positive | None = None
    stall_rule: Id | None = None
    rule: Id
    sources: Annotated[list[Id], Meta(min_length=1)]


class PhaseStart(Strict, frozen=True, kw_only=True):
    """The protocol's own timeline: ``phase`` may not start before programme day ``day``."""

    phase: PhaseNumber
    day: Positive
    source_week: str = ""


class Pathway(Strict, frozen=True, kw_only=True):
    id: Literal["rest_and_rebuild", "modified_running"]
    name: Text
    summary: Text
    phases: Annotated[list[PhaseNumber], Meta(min_length=1)]
    rule: Id
    entry: list[Text]
    running: Text
    timeline: list[PhaseStart] = []


class Rung(Strict, frozen=True, kw_only=True):
    """One rung of the walk/run ladder. Its total is computed, never written down."""

    id: Id
    number: Positive
    run_minutes: Positive
    walk_minutes: NonNegative
    repeats: Positive
    optional: bool = False
    article_week: str = ""
    article_total_minutes: Positive | None = None


class AfterRunItem(Strict, frozen=True, kw_only=True):
    exercise: Id
    sets: Positive
    reps: Positive | None = None
    hold_seconds: Positive | None = None
    per_side: bool = False
    rule: Id


class Settings(Strict, frozen=True, kw_only=True):
    """Tunable numbers. Those tagged unverified in the digest are marked [M] in ``notes``."""

    green_max_pain: Pain
    amber_max_pain: Pain
    day_worst_pain_red_above: Pain
    settle_minutes_green: Positive
    modified_running_max_pain: Pain
    stop_run_pain_above: Pain
    stop_exercise_pain_above: Pain
    rest_pain_no_run_above: Pain
    rest_pain_reduced_from: Pain
    hours_between_runs_in_return_phase: Positive
    sessions_to_climb_rung: Positive
    days_without_running_before_step_down: Positive
    red_days_window: Positive
    red_days_for_referral: Positive
    stall_weeks_before_referral: Positive
    longest_run_cap_ratio: Annotated[float, Meta(gt=1.0, le=2.0)]
    modified_running_distance_ratio: Annotated[float, Meta(gt=0.0, lt=1.0)]
    cadence_increase_min_percent: Positive
    cadence_increase_max_percent: Positive
    ready_to_run_wait_days: NonNegative
    assumed_easy_pace_min_per_km: Annotated[float, Meta(gt=3.0, lt=15.0)]
    dose_reps_step: Positive
    dose_hold_step_seconds: Positive
    loaded_strength_sessions_per_week: Positive
    hold_hours_after_red: Positive
    kujala_mic: Annotated[int, Meta(ge=1, le=100)]
    worst_pain_mic: Annotated[int, Meta(ge=1, le=10)]
    no_improvement_weeks: Positive
    adherence_threshold: Annotated[float, Meta(gt=0.0, le=1.0)]
    kujala_every_days: Positive
    weekly_pain_every_days: Positive
    shortest_cross_training_minutes: Positive
    fear_screen_high_from: Positive
    fear_screen_again_days: Positive
    clinic_quiet_days: Positive
    notes: dict[str, str] = {}


class TriageSettings(Strict, frozen=True, kw_only=True):
    """Thresholds of the triage rules (digest 14(a)); ages in years, pain 0-10."""

    ottawa_age: Positive
    adolescent_hip_max_age: Positive
    clinician_confirms_below_age: Positive
    osteoarthritis_min_age: Positive
    osteoarthritis_max_stiffness_minutes: Positive
    rest_pain_refer_above: Pain
    worsening_weeks_on_programme: Positive
    no_improvement_weeks: Positive


Ratio = Annotated[float, Meta(gt=0.0, le=1.0)]


class LoadSettings(Strict, frozen=True, kw_only=True):
    """Running-load numbers (digest §7, 14(c) P5); see runrehab.engine.load.LoadSettings."""

    longest_run_window_days: Positive
    baseline_weeks: Positive
    rebuild_start_ratio: Ratio
    rebuild_weekly_step_ratio: Ratio
    pain_free_weeks_before_hills_or_speed: NonNegative
    hilly_climb_m_per_km: Annotated[float, Meta(gt=0.0, le=200.0)]
    hilly_downhill_share: Ratio
    default_runs_per_week: Annotated[int, Meta(ge=1, le=7)]
    recent_days: Positive
    no_history_run_minutes: Annotated[float, Meta(gt=0.0, le=180.0)]
    notes: dict[str, str] = {}


class MetricsSettings(Strict, frozen=True, kw_only=True):
    """How an activity is measured; see runrehab.engine.metrics.MetricsSettings."""

    moving_min_speed_mps: Annotated[float, Meta(gt=0.0, lt=3.0)]
    pause_gap_s: Annotated[float, Meta(gt=0.0, le=600.0)]
    downhill_grade: Annotated[float, Meta(gt=-0.5, lt=0.0)]
    grade_window_m: Annotated[float, Meta(gt=0.0, le=1000.0)]
    elevation_threshold_m: Annotated[float, Meta(ge=0.0, le=50.0)]
    speed_smoothing_s: Annotated[float, Meta(gt=0.0, le=600.0)]
    speed_work_ratio: Annotated[float, Meta(gt=1.0, le=3.0)]
    speed_work_min_s: Annotated[float, Meta(gt=0.0, le=3600.0)]
    speed_work_min_efforts: Positive
    speed_work_recovery_ratio: Annotated[float, Meta(gt=0.5, le=3.0)]
    walk_max_speed_mps: Annotated[float, Meta(gt=0.0, lt=5.0)]
    walk_max_cadence_spm: Annotated[float, Meta(gt=0.0, lt=250.0)]
    interval_min_s: Annotated[float, Meta(gt=0.0, le=600.0)]
    cadence_bucket_spm: Annotated[int, Meta(ge=1, le=50)]
    notes: dict[str, str] = {}


class ProtocolFile(Strict, frozen=True, kw_only=True):
    id: Id
    version: Positive
    name: Text
    settings: Settings
    triage: TriageSettings
    load: LoadSettings
    metrics: MetricsSettings
    phase: Annotated[list[Phase], Meta(min_length=5, max_length=5)]
    pathway: Annotated[list[Pathway], Meta(min_length=2, max_length=2)]
    rung: Annotated[list[Rung], Meta(min_length=1)]
    after_run: list[AfterRunItem]
    warm_up: list[Id]
    exercise_pain_guide: Text
    library_only: dict[Id, Text] = {}


# --- what to avoid -------------------------------------------------------------------------


class Avoid(Strict, frozen=True, kw_only=True):
    id: Id
    name: Text
    aliases: list[str] = []
    why: Text
    avoid_in_phases: Annotated[list[PhaseNumber], Meta(min_length=1)]
    return_when: Text
    alternatives: Annotated[list[Id], Meta(min_length=1)]
    named_in: list[str] = []
    sources: Annotated[list[Id], Meta(min_length=1)]


class AvoidFile(Strict, frozen=True, kw_only=True):
    avoid: list[Avoid]


# --- knowledge -----------------------------------------------------------------------------


class Topic(Strict, frozen=True, kw_only=True):
    id: Id
    title: Text
    summary: Text
    body: Annotated[list[Text], Meta(min_length=1)]
    caveats: list[Text] = []
    sources: Annotated[list[Id], Meta(min_length=1)]
    rules: list[Id] = []
    """The product rules this page states, shown on it as "Rules behind this page"."""


class Faq(Strict, frozen=True, kw_only=True):
    id: Id
    question: Text
    answer: Annotated[list[Text], Meta(min_length=1)]
    topics: list[str] = []
    sources: Annotated[list[Id], Meta(min_length=1)]


class GlossaryTerm(Strict, frozen=True, kw_only=True):
    id: Id
    term: Text
    aliases: list[str] = []
    definition: Text
    related: list[Id] = []
    sources: Annotated[list[Id], Meta(min_length=1)]


class KnowledgeFile(Strict, frozen=True, kw_only=True):
    topic: Annotated[list[Topic], Meta(min_length=1)]
    faq: Annotated[list[Faq], Meta(min_length=1)]
    glossary: Annotated[list[GlossaryTerm], Meta(min_length=1)]


# --- education -----------------------------------------------------------------------------


class Lesson(Strict, frozen=True, kw_only=True):
    """A core lesson of week 1: the knowledge page ``topic`` to read on programme day ``day``
    (1 = the start day), in about ``minutes`` minutes; ``rule`` puts it on the plan."""

    id: Id
    topic: Id
    day: Annotated[int, Meta(ge=1, le=7)]
    minutes: Annotated[int, Meta(ge=1, le=30)]
    rule: Id
    sources: Annotated[list[Id], Meta(min_length=1)]


class EducationFile(Strict, frozen=True, kw_only=True):
    """``education.toml``: the lessons scheduled in week 1."""

    lesson: Annotated[list[Lesson], Meta(min_length=1)]


# --- traceability ---------------------------------------------------------------------------


class Firing(Strict, frozen=True, kw_only=True):
    """A product rule and the fast tests (pytest node ids) that make it fire."""

    rule: Id
    tests: Annotated[list[Text], Meta(min_length=1)]


class TraceabilityFile(Strict, frozen=True, kw_only=True):
    """``traceability.toml``: generated by ``scripts/generate_traceability.py`` from the tests'
    ``fires`` markers; never edited by hand."""

    firing: list[Firing] = []


# --- questionnaires ------------------------------------------------------------------------

Key = Annotated[str, Meta(pattern=r"^[a-z0-9]+(_[a-z0-9]+)*$", max_length=40)]
"""An answer key (questionnaire, item, option): snake_case, as it appears in answer documents."""


class Option(Strict, frozen=True, kw_only=True):
    """One answer to a choice item, worth ``points``."""

    id: Key
    label: Text
    points: NonNegative
    note: str = ""


class ChoiceItem(Strict, frozen=True, kw_only=True, tag="choice", tag_field="kind"):
    """A question answered by picking one option; the item is worth at most ``max_points``."""

    id: Key
    question: Text
    max_points: Positive
    options: Annotated[list[Option], Meta(min_length=2)]
    note: str = ""


class ScaleItem(Strict, frozen=True, kw_only=True, tag="scale", tag_field="kind"):
    """A question answered by a whole number from ``low`` to ``high`` (pain: 0-10)."""

    id: Key
    question: Text
    low: NonNegative = 0
    high: Positive = 10
    low_label: Text
    high_label: Text
    note: str = ""


class Questionnaire(Strict, frozen=True, kw_only=True):
    """An outcome questionnaire. A choice questionnaire scores the sum of its options' points
    (0 to ``max_score``, which its items' maxima must sum to); a scale questionnaire scores the
    value of its ``score_item``."""

    id: Key
    name: Text
    intro: Text
    recall: Text
    item: Annotated[list[ChoiceItem | ScaleItem], Meta(min_length=1)]
    score_item: Key | None = None
    max_score: Positive = 100
    sources: Annotated[list[Id], Meta(min_length=1)]
    licence_note: str = ""
    note: str = ""


class QuestionnairesFile(Strict, frozen=True, kw_only=True):
    questionnaire: Annotated[list[Questionnaire], Meta(min_length=1)]


# --- the answers of the public contract ----------------------------------------------------

Document = Literal["assessment", "checkin"]
FieldPath = Annotated[str, Meta(pattern=r"^[a-z_]+(\[\])?(\.[a-z_0-9]+(\[\])?)*$")]
"""A field of a contract document: dotted names, ``[]`` after an array (``exercises[].id``)."""


class InformationalAnswer(Strict, frozen=True, kw_only=True):
    """An answer that no rule reads, and why: what it is for instead."""

    document: Document
    field: FieldPath
    why: Text


class WarningSignAnswer(Strict, frozen=True, kw_only=True):
    """An answer outside ``signs`` that is a warning sign when it has ``value``: on its own it
    must send the person at least to a clinician (the ``signs`` fields all are, by the schema)."""

    document: Document
    field: FieldPath
    value: bool | str
    why: Text


class AnswersFile(Strict, frozen=True, kw_only=True):
    informational: list[InformationalAnswer]
    warning_sign: list[WarningSignAnswer]


# --- the movement check (movement.toml) ------------------------------------------------------

Share = Annotated[float, Meta(gt=0.0, lt=1.0)]
Degrees = Annotated[float, Meta(gt=0.0, le=90.0)]
Seconds = Annotated[float, Meta(gt=0.0, le=120.0)]


class MovementSettings(Strict, frozen=True, kw_only=True):
    """How a clip is measured; see runrehab.engine.movement.MovementSettings."""

    min_visibility: Share
    edge_margin: Annotated[float, Meta(ge=0.0, le=0.2)]
    max_leg_ratio: Annotated[float, Meta(gt=1.0, le=5.0)]
    max_jump: Annotated[float, Meta(gt=0.0, le=5.0)]
    good_share: Share
    fair_share: Share
    front_width_ratio: Share
    min_view_span_s: Seconds
    max_gap_s: Seconds
    smoothing_s: Seconds
    reference_window_s: Seconds
    rep_depth_min: Share
    rep_exit_ratio: Share
    rep_return_share: Share
    rep_edge_share: Share
    rep_relative_min: Share
    rep_min_s: Seconds
    rep_max_s: Seconds
    fppa_concern_deg: Degrees
    fppa_max_deg: Degrees
    side_difference_deg: Degrees
    pelvic_drop_concern_deg: Degrees
    lowering_min_s: Seconds
    notes: dict[str, str] = {}


class VideoLimits(Strict, frozen=True, kw_only=True):
    """What a clip may be, and when it shows nobody or only part of a person."""

    max_seconds: Annotated[float, Meta(gt=0.0, le=600.0)]
    max_bytes: Annotated[int, Meta(ge=1_000_000, le=2_000_000_000)]
    max_short_side: Annotated[int, Meta(ge=128, le=1080)]
    model_complexity: Annotated[int, Meta(ge=0, le=2)]
    max_fps: Annotated[float, Meta(gt=0, le=240)] = 15.0
    nobody_below: Share
    partly_below: Share
    notes: dict[str, str] = {}


class MovementFile(Strict, frozen=True, kw_only=True):
    settings: MovementSettings
    limits: VideoLimits
