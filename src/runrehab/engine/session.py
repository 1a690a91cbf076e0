"""Today's session: warm-up, exercises with doses, the run, the after-run routine, cross-training.

The builder substitutes for missing equipment, keeps loaded strength work off consecutive days
(digest 14(d): three times a week on non-consecutive days), and fits the person's time budget
by dropping the least important exercises first. Every choice it makes leaves a reason.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from runrehab.engine.assessment import Preferences, Weekday
from runrehab.engine.dosing import Target, estimated_minutes, target
from runrehab.engine.load import PlannedRun
from runrehab.engine.progression import ProgrammeState
from runrehab.engine.protocol import Exercise, Protocol, WalkTest
from runrehab.engine.readiness import RunDecision
from runrehab.engine.values import PathwayId, Reason, RunToday

WARM_UP_MINUTES = 5
SHORTENING_RULES = frozenset(
    {
        "d1-amber-last-run",
        "d2-slow-to-settle",
        "d3-rest-pain-raised",
        "d4-no-report-today",
        "d5-run-not-reported",
    }
)
CROSS_TRAINING_ORDER = ("swimming", "water-running", "elliptical", "cycling", "walking")


@dataclass(frozen=True, slots=True)
class Prescription:
    exercise: str
    name: str
    target: Target
    substitute_for: str | None = None
    loaded: bool = False
    priority: int = 2

    @property
    def minutes(self) -> float:
        return estimated_minutes(self.target)


@dataclass(frozen=True, slots=True)
class RunPlan:
    """A walk/run session or a continuous run; totals are always computed."""

    kind: str
    total_minutes: int
    run_minutes: int | None = None
    walk_minutes: int | None = None
    repeats: int | None = None
    distance_km: float | None = None
    rung: int | None = None
    limits: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RunHistory:
    """What the run prescription needs to know of the runner's running.

    ``typical_run_km``: a usual run before the pain (weekly km / runs per week);
    ``longest_km_30d`` / ``longest_minutes_30d``: the longest run of the previous 30 days.
    """

    typical_run_km: float | None = None
    longest_km_30d: float | None = None
    longest_minutes_30d: float | None = None


@dataclass(frozen=True, slots=True)
class SessionInputs:
    state: ProgrammeState
    today: date
    run_decision: RunDecision
    preferences: Preferences = field(default_factory=Preferences)
    loaded_days: tuple[date, ...] = ()
    """Days on which loaded strength work was done (from the journal)."""
    runs: RunHistory = field(default_factory=RunHistory)
    rebuild: PlannedRun | None = None
    """The phase-5 run from the runner's own load (``load.rebuild_run``), when known."""


@dataclass(frozen=True, slots=True)
class Session:
    date: date
    phase: int
    training_day: bool
    strength_day: bool
    warm_up: tuple[Prescription, ...]
    exercises: tuple[Prescription, ...]
    run: RunPlan | None
    after_run: tuple[Prescription, ...]
    cross_training: Prescription | None
    reasons: tuple[Reason, ...]

    @property
    def estimated_minutes(self) -> float:
        parts = [p.minutes for p in (*self.warm_up, *self.exercises, *self.after_run)]
        run = self.run.total_minutes if self.run else 0
        cross = self.cross_training.minutes if self.cross_training else 0
        return round(sum(parts) + run + cross, 1)


def build_session(inputs: SessionInputs, protocol: Protocol) -> Session:
    """Today's session for the runner's state and preferences."""
    state, today, prefs = inputs.state, inputs.today, inputs.preferences
    reasons: list[Reason] = []
    training_day = not prefs.training_days or Weekday.of(today) in prefs.training_days
    if not training_day:
        reasons.append(
            Reason("session-rest-day", f"{Weekday.of(today).value} is not a training day")
        )
    run = _run(inputs, protocol, reasons) if training_day else None
    strength_day = training_day and _strength_allowed(inputs, protocol, reasons)
    if strength_day and run is not None:
        # loaded strength work goes on the days between runs, so the knee gets a lighter day
        strength_day = False
        reasons.append(Reason("session-strength-between-runs"))
    exercises = _exercises(inputs, protocol, training_day, strength_day, reasons)
    cross = None if run else _cross_training(inputs, protocol, training_day, reasons)
    warm_up = _warm_up(inputs, protocol) if (exercises or run) and training_day else ()
    after = _after_run(inputs, protocol) if run else ()
    if after:
        reasons.append(Reason("session-after-run-routine"))
    fitted, cross = _fit_budget(exercises, warm_up, after, run, cross, prefs, reasons)
    return Session(
        today,
        state.phase,
        training_day,
        strength_day,
        warm_up,
        fitted,
        run,
        after,
        cross,
        tuple(reasons),
    )


# --- strength -------------------------------------------------------------------------------


def _strength_allowed(inputs: SessionInputs, protocol: Protocol, reasons: list[Reason]) -> bool:
    today = inputs.today
    yesterday = today - timedelta(days=1)
    flare = next(
        (r for r in inputs.run_decision.reasons if r.rule == "n2-limp-swelling-or-giving-way"), None
    )
    if flare is not None:  # a limp, swelling or giving way today: gentle work only
        reasons.append(Reason(flare.rule, flare.detail))
        return False
    if yesterday in inputs.loaded_days:
        reasons.append(
            Reason("session-no-consecutive-loaded-days", "loaded work was done yesterday")
        )
        return False
    week = [d for d in inputs.loaded_days if today - timedelta(days=6) <= d < today]
    limit = protocol.settings.loaded_strength_sessions_per_week
    if len(week) >= limit:
        reasons.append(
            Reason(
                "dose-loaded-alternate-days",
                f"{len(week)} loaded sessions in the last 7 days already",
            )
        )
        return False
    return True


def _exercises(
    inputs: SessionInputs,
    protocol: Protocol,
    training_day: bool,
    strength_day: bool,
    reasons: list[Reason],
) -> list[Prescription]:
    """The phase's exercises; on a rest day only its daily low-load ones."""
    phase = protocol.phase(inputs.state.phase)
    ids = phase.exercises if training_day else phase.daily_exercises
    chosen: list[Prescription] = []
    for exercise_id in ids:
        exercise = _available(protocol.exercises[exercise_id], inputs, protocol, chosen, reasons)
        if exercise is None:
            continue
        dose = target(exercise, phase.number, inputs.state.dose_level, protocol.settings)
        if dose is None or (exercise.loaded and not strength_day):
            continue
        if (
            not strength_day
            and exercise_id not in phase.daily_exercises  # the phase says: every day
            and exercise.dose_for(phase.number) is not None
            and _frequency(exercise, phase.number) not in ("daily", "after_runs")
        ):
            continue
        original = None if exercise.id == exercise_id else exercise_id
        chosen.append(
            Prescription(
                exercise.id, exercise.name, dose, original, exercise.loaded, exercise.priority
            )
        )
    return chosen


def _frequency(exercise: Exercise, phase: int) -> str:
    dose = exercise.dose_for(phase)
    return dose.frequency if dose else "as_needed"


def _available(
    exercise: Exercise,
    inputs: SessionInputs,
    protocol: Protocol,
    chosen: Sequence[Prescription],
    reasons: list[Reason],
) -> Exercise | None:
    """The exercise, or its first substitute whose equipment the runner has."""
    have = {e.value for e in inputs.preferences.equipment}
    if exercise.equipment <= have:
        return exercise
    taken = {p.exercise for p in chosen}
    for substitute_id in exercise.substitutes:
        substitute = protocol.exercises[substitute_id]
        if substitute.equipment <= have and substitute_id not in taken:
            reasons.append(
                Reason(
                    "session-equipment-substitution",
                    f"{substitute.name} instead of {exercise.name}",
                )
            )
            return substitute
    reasons.append(
        Reason(
            "session-equipment-substitution",
            f"{exercise.name} left out: needs {', '.join(sorted(exercise.equipment))}",
        )
    )
    return None


def _warm_up(inputs: SessionInputs, protocol: Protocol) -> tuple[Prescription, ...]:
    have = {e.value for e in inputs.preferences.equipment}
    for exercise_id in protocol.warm_up:
        exercise = protocol.exercises[exercise_id]
        allowed = exercise.dose_for(inputs.state.phase) is not None
        if exercise.equipment <= have and allowed:
            dose = Target(1, None, None, WARM_UP_MINUTES, False, 0, "easy", True)
            return (Prescription(exercise.id, exercise.name, dose, None, False, 1),)
    return ()


# --- running --------------------------------------------------------------------------------


def _run(inputs: SessionInputs, protocol: Protocol, reasons: list[Reason]) -> RunPlan | None:
    decision = inputs.run_decision
    if decision.answer is RunToday.NO:
        return None
    phase = protocol.phase(inputs.state.phase)
    mode = protocol.running_mode(inputs.state.pathway, phase.number)
    # the modified pathway is itself the reduction; shorten further only for a d-rule (14(b))
    reduced = decision.answer is RunToday.REDUCED and any(
        r.rule in SHORTENING_RULES for r in decision.reasons
    )
    s = protocol.settings
    limits = (
        f"stop if pain goes above {s.stop_run_pain_above}/10 or keeps rising",
        "flat route, easy pace, no speed work",
        f"step rate {s.cadence_increase_min_percent}–{s.cadence_increase_max_percent} % "
        "above your usual",
    )
    if mode == "walk_run":
        return _walk_run(inputs, protocol, reduced, limits, reasons)
    if mode == "building" and inputs.rebuild is not None:
        return _rebuild(inputs.rebuild, reduced, limits, reasons)
    if mode in ("modified", "building"):
        return _continuous(inputs, protocol, reduced, limits, reasons)
    return None


def _walk_run(
    inputs: SessionInputs,
    protocol: Protocol,
    reduced: bool,
    limits: tuple[str, ...],
    reasons: list[Reason],
) -> RunPlan:
    rung = protocol.rung(inputs.state.rung or protocol.rungs[0].number)
    repeats = rung.repeats
    if reduced and rung.number > protocol.rungs[0].number:
        rung = protocol.rung(rung.number - 1)
        repeats = rung.repeats
        reasons.append(Reason("session-reduced-run", f"one rung down today: rung {rung.number}"))
    elif reduced:
        repeats = max(1, math.ceil(rung.repeats * 2 / 3))
        reasons.append(Reason("session-reduced-run", f"{repeats} of {rung.repeats} repeats today"))
    if rung.continuous:
        return RunPlan("continuous", rung.run_minutes * repeats, rung=rung.number, limits=limits)
    total = repeats * (rung.run_minutes + rung.walk_minutes)
    return RunPlan(
        "walk_run",
        total,
        rung.run_minutes,
        rung.walk_minutes,
        repeats,
        rung=rung.number,
        limits=limits,
    )


def _continuous(
    inputs: SessionInputs,
    protocol: Protocol,
    reduced: bool,
    limits: tuple[str, ...],
    reasons: list[Reason],
) -> RunPlan:
    """Modified running: half the usual distance (article 001); building: toward the usual run.
    Either way no run exceeds 110 % of the longest run of the last 30 days (Frandsen 2025)."""
    pace = protocol.settings.assumed_easy_pace_min_per_km
    km, minutes = _wanted_run(inputs, protocol)
    cap_km, cap_minutes = _run_caps(inputs, protocol)
    if minutes > cap_minutes:
        minutes = cap_minutes
        reasons.append(Reason("load-longest-run-cap", f"capped at {cap_minutes:.0f} minutes"))
    if km is not None and cap_km is not None and km > cap_km:
        km = cap_km
        minutes = min(minutes, km * pace)
        reasons.append(Reason("load-longest-run-cap", f"capped at {cap_km:.1f} km"))
    if reduced:
        minutes *= 0.75
        km = None if km is None else km * 0.75
        reasons.append(Reason("session-reduced-run", "a quarter shorter today"))
    total = max(1, math.floor(minutes))
    distance = None if km is None else _tenths_down(min(km, minutes / pace))
    return RunPlan("continuous", total, distance_km=distance, limits=limits)


def _rebuild(
    planned: PlannedRun,
    reduced: bool,
    limits: tuple[str, ...],
    reasons: list[Reason],
) -> RunPlan:
    """The rebuild's run (already within the 110 % cap), shortened on a reduced day; rounded
    down so that rounding never takes it over the cap."""
    reasons.extend(planned.reasons)
    minutes, km = planned.minutes, planned.km
    if reduced:
        minutes *= 0.75
        km = None if km is None else km * 0.75
        reasons.append(Reason("session-reduced-run", "a quarter shorter today"))
    if planned.hills_or_speed_allowed:
        limits = tuple(
            "hills or faster running: bring back one at a time" if "no speed work" in x else x
            for x in limits
        )
    total = max(1, math.floor(minutes))
    distance = None if km is None else _tenths_down(km)
    return RunPlan("continuous", total, distance_km=distance, limits=limits)


def _tenths_down(km: float) -> float:
    """Km to one decimal, rounded down (with float slack, so 4.999999 is 5.0)."""
    return math.floor(km * 10 + 1e-6) / 10


def _wanted_run(inputs: SessionInputs, protocol: Protocol) -> tuple[float | None, float]:
    """The run the pathway asks for, before any cap: (km or None, minutes)."""
    s = protocol.settings
    typical = inputs.runs.typical_run_km
    if inputs.state.pathway is PathwayId.MODIFIED_RUNNING and inputs.state.phase < 5:
        km = None if typical is None else typical * s.modified_running_distance_ratio
        return km, 20.0 if km is None else km * s.assumed_easy_pace_min_per_km
    return typical, 30.0 if typical is None else typical * s.assumed_easy_pace_min_per_km


def _run_caps(inputs: SessionInputs, protocol: Protocol) -> tuple[float | None, float]:
    """110 % of the longest run of the last 30 days, in km (when known) and minutes. With no
    run in the last 30 days to measure from, no longer than the ladder's top rung."""
    ratio = protocol.settings.longest_run_cap_ratio
    runs = inputs.runs
    cap_km = None if runs.longest_km_30d is None else runs.longest_km_30d * ratio
    if runs.longest_minutes_30d is not None:
        return cap_km, runs.longest_minutes_30d * ratio
    if inputs.state.pathway is PathwayId.MODIFIED_RUNNING and inputs.state.phase < 5:
        return cap_km, float("inf")  # still running now: the intake's longest run bounds it
    return cap_km, float(protocol.rungs[-1].total_minutes)


def _after_run(inputs: SessionInputs, protocol: Protocol) -> tuple[Prescription, ...]:
    have = {e.value for e in inputs.preferences.equipment}
    items: list[Prescription] = []
    for item in protocol.after_run:
        exercise = protocol.exercises[item.exercise]
        if not exercise.equipment <= have:
            substitutes = [protocol.exercises[s] for s in exercise.substitutes]
            exercise = next((x for x in substitutes if x.equipment <= have), exercise)
            if not exercise.equipment <= have:
                continue
        dose = Target(item.sets, item.reps, item.hold_seconds, None, item.per_side, 0, "", True)
        original = None if exercise.id == item.exercise else item.exercise
        items.append(Prescription(exercise.id, exercise.name, dose, original, False, 3))
    return tuple(items)


def _cross_training(
    inputs: SessionInputs, protocol: Protocol, training_day: bool, reasons: list[Reason]
) -> Prescription | None:
    if not training_day:
        return None
    have = {e.value for e in inputs.preferences.equipment}
    phase = inputs.state.phase
    order: tuple[str, ...] = CROSS_TRAINING_ORDER
    if any(isinstance(g, WalkTest) for g in protocol.phase(phase).gates):
        order = ("walking", *CROSS_TRAINING_ORDER)  # the brisk-walk readiness test
    for exercise_id in order:
        exercise = protocol.exercises.get(exercise_id)
        if exercise is None or not exercise.equipment <= have:
            continue
        dose = target(exercise, phase, 0, protocol.settings)
        if dose is None:
            continue
        reasons.append(Reason("session-cross-training", exercise.name))
        return Prescription(exercise.id, exercise.name, dose, None, False, 3)
    return None


# --- time budget ----------------------------------------------------------------------------


def _fit_budget(
    exercises: list[Prescription],
    warm_up: tuple[Prescription, ...],
    after: tuple[Prescription, ...],
    run: RunPlan | None,
    cross: Prescription | None,
    prefs: Preferences,
    reasons: list[Reason],
) -> tuple[tuple[Prescription, ...], Prescription | None]:
    """Fit the session to the runner's minutes: first shorten or drop the optional
    cross-training, then the least important exercises (priority 3, then 2). The run and the
    priority-1 exercises stay: the time budget never removes what the programme depends on."""
    budget = prefs.minutes_per_session
    if budget is None:
        return tuple(exercises), cross
    fixed = sum(p.minutes for p in (*warm_up, *after)) + (run.total_minutes if run else 0)
    kept = list(exercises)
    spare = budget - fixed - sum(p.minutes for p in kept)
    if cross is not None and cross.minutes > spare:
        cross = _shortened(cross, spare, budget, reasons)
    used = fixed + (cross.minutes if cross else 0)
    for priority in (3, 2):
        while used + sum(p.minutes for p in kept) > budget:
            drop = next((p for p in reversed(kept) if p.priority == priority), None)
            if drop is None:
                break
            kept.remove(drop)
            reasons.append(
                Reason("session-time-budget", f"{drop.name} left out to fit {budget} minutes")
            )
    total = used + sum(p.minutes for p in kept)
    if total > budget:
        reasons.append(
            Reason(
                "session-time-budget",
                f"about {total:.0f} minutes: the core of today's work does not fit "
                f"{budget}; do it over two short sessions if you need to",
            )
        )
    return tuple(kept), cross


def _shortened(
    cross: Prescription, spare: float, budget: int, reasons: list[Reason]
) -> Prescription | None:
    minutes = math.floor(spare)
    if minutes < 10:
        reasons.append(
            Reason("session-time-budget", f"{cross.name} left out to fit {budget} minutes")
        )
        return None
    reasons.append(Reason("session-time-budget", f"{cross.name} shortened to {minutes} minutes"))
    return replace(cross, target=replace(cross.target, minutes=minutes))
