"""Today's session: warm-up, exercises with doses, the run, the after-run routine, cross-training.

The builder substitutes for missing equipment, keeps loaded strength work off consecutive days
(digest 14(d): three times a week on non-consecutive days), gives the readiness tests of the
phase while they are still to do (the step-down and single-leg-squat doses at least the test's,
on a strength day; the brisk walk at its full minutes as the cross-training of a day without
loaded work), and fits the person's time budget by dropping the least important parts first,
never what a gate or a readiness test depends on. Every choice it makes leaves a reason.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from runrehab.engine.assessment import Preferences, Weekday
from runrehab.engine.dosing import Target, estimated_minutes, target
from runrehab.engine.education import Reading, reading_for
from runrehab.engine.gates import GateResult, TestGate
from runrehab.engine.protocol import Exercise, ExerciseTest, GreenSessions, Protocol, WalkTest
from runrehab.engine.readiness import RunDecision
from runrehab.engine.rebuild import PlannedRun
from runrehab.engine.said import Km, said
from runrehab.engine.state import ProgrammeState
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
    test: str | None = None
    """The id of the readiness test (a phase gate) that this prescription is: do it as given
    and report its highest pain in the check-in."""

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

    @property
    def running_minutes(self) -> int:
        """The minutes of running, the walking breaks left out: what a check-in reports as
        ``run.minutes``, and what the single-run cap measures."""
        if self.kind == "walk_run" and self.run_minutes is not None and self.repeats:
            return self.run_minutes * self.repeats
        return self.total_minutes


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
    """The phase-5 run from the runner's own load (``rebuild.rebuild_run``), when known."""
    readiness: tuple[GateResult, ...] | None = None
    """The phase's readiness tests judged on the check-ins before today
    (``gates.readiness_checks``); None when not known, and then no test is given as such."""
    lessons_read: frozenset[str] = frozenset()
    """The ids of the lessons read before today: the others due by today are still to read."""


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
    reading: tuple[Reading, ...] = ()
    """The core lessons to read today (``education.reading_for``): not training, so no part of
    ``kind`` or ``estimated_minutes``, and never dropped to fit the time budget."""

    @property
    def kind(self) -> str:
        """What the day is, in one word every view uses: "training" (a training day),
        "daily" (not a training day, but the phase's short daily exercises) or "rest"
        (nothing at all)."""
        if self.training_day:
            return "training"
        return "daily" if self.exercises or self.warm_up else "rest"

    @property
    def tests(self) -> tuple[Prescription, ...]:
        """Today's readiness tests: the prescriptions marked as one."""
        cross = (self.cross_training,) if self.cross_training is not None else ()
        return tuple(p for p in (*self.exercises, *cross) if p.test is not None)

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
    training_day = prefs.trains_on(today)
    if not training_day:
        weekday = said(f"weekday_{Weekday.of(today).value}")
        reasons.append(Reason.of("session-rest-day", said("not_a_training_day", day=weekday)))
    due = _tests_due(inputs)
    walk = next((g for g in due if isinstance(g, WalkTest)), None)
    run = _run(inputs, protocol, reasons) if training_day else None
    strength_day = training_day and _strength_allowed(inputs, protocol, reasons)
    if strength_day and run is not None:
        # loaded strength work goes on the days between runs, so the knee gets a lighter day
        strength_day = False
        reasons.append(Reason("session-strength-between-runs"))
    if strength_day and walk is not None and _walk_day_instead(inputs, due, walk):
        strength_day = False
        reasons.append(
            Reason.of("session-readiness-walk-day", said("walk_day", minutes=walk.minutes))
        )
    exercises = _exercises(inputs, protocol, training_day, strength_day, reasons)
    if strength_day:
        exercises = _with_tests(exercises, due, inputs, protocol, reasons)
    ran_today = any(r.rule == "run-done-today" for r in inputs.run_decision.reasons)
    loaded_today = any(p.loaded for p in exercises)
    # the day's run is the day's cardio: no cross-training on top of it
    cross = (
        None
        if run or ran_today
        else _cross_training(inputs, protocol, training_day, walk, loaded_today, reasons)
    )
    warm_up = _warm_up(inputs, protocol) if (exercises or run) and training_day else ()
    if warm_up:
        facts = said("warm_up", name=warm_up[0].name, minutes=WARM_UP_MINUTES)
        reasons.append(Reason.of("session-warm-up", facts))
    if exercises and state.dose_level == 0:
        reasons.append(Reason.of("dose-start-values", said("starting_doses", phase=state.phase)))
    after = _after_run(inputs, protocol) if run else ()
    if after:
        reasons.append(Reason("session-after-run-routine"))
    fitted = _fit_budget(
        Parts(tuple(exercises), warm_up, after, run, cross),
        _gate_exercises(protocol, state.phase),
        prefs,
        protocol.settings.shortest_cross_training_minutes,
        reasons,
    )
    if after and not fitted.after_run:  # the whole routine left out to fit the minutes
        reasons[:] = [r for r in reasons if r.rule != "session-after-run-routine"]
    exercises, warm_up, after, cross = (
        list(fitted.exercises),
        fitted.warm_up,
        fitted.after_run,
        fitted.cross,
    )
    return Session(
        today,
        state.phase,
        training_day,
        strength_day,
        warm_up,
        tuple(exercises),
        run,
        after,
        cross,
        tuple(reasons),
        reading_for(protocol.lessons, state.programme_started, today, inputs.lessons_read),
    )


# --- strength -------------------------------------------------------------------------------


def _strength_allowed(inputs: SessionInputs, protocol: Protocol, reasons: list[Reason]) -> bool:
    today = inputs.today
    yesterday = today - timedelta(days=1)
    flare = next(
        (r for r in inputs.run_decision.reasons if r.rule == "n2-limp-swelling-or-giving-way"), None
    )
    if flare is not None:  # a limp, swelling or giving way today: gentle work only
        reasons.append(Reason(flare.rule, flare.detail, flare.said))
        return False
    if yesterday in inputs.loaded_days:
        reasons.append(Reason.of("session-no-consecutive-loaded-days", said("loaded_yesterday")))
        return False
    week = [d for d in inputs.loaded_days if today - timedelta(days=6) <= d < today]
    limit = protocol.settings.loaded_strength_sessions_per_week
    if len(week) >= limit:
        reasons.append(
            Reason.of("dose-loaded-alternate-days", said("loaded_this_week", sessions=len(week)))
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
        # a substitute stands in for the exercise: it is as important as that one, no more
        priority = max(exercise.priority, protocol.exercises[exercise_id].priority)
        chosen.append(
            Prescription(exercise.id, exercise.name, dose, original, exercise.loaded, priority)
        )
    return chosen


# --- readiness tests ------------------------------------------------------------------------


def _tests_due(inputs: SessionInputs) -> tuple[TestGate, ...]:
    """The phase's readiness tests not met yet (none when the results are not known)."""
    results = inputs.readiness or ()
    return tuple(
        r.gate for r in results if not r.met and isinstance(r.gate, ExerciseTest | WalkTest)
    )


def _walk_day_instead(inputs: SessionInputs, due: Sequence[TestGate], walk: WalkTest) -> bool:
    """Whether a day that could hold loaded work is better spent on the readiness walk: when
    the exercise tests are met (they need a loaded day) and the walk has not been tried since
    the last loaded session. A runner whose every training day could be loaded (three days a
    week) still gets a fresh-legged day for the walk, and loaded work alternates with it."""
    if any(isinstance(g, ExerciseTest) for g in due):
        return False
    before = [d for d in inputs.loaded_days if d < inputs.today]
    if not before:
        return True
    result = next((r for r in inputs.readiness or () if r.gate == walk), None)
    tried = None if result is None else result.day
    return tried is None or tried < max(before)


def _with_tests(
    chosen: list[Prescription],
    due: Sequence[TestGate],
    inputs: SessionInputs,
    protocol: Protocol,
    reasons: list[Reason],
) -> list[Prescription]:
    """On a strength day, each exercise test still to do at no less than the test's sets and
    reps, marked as the test (added when the phase's list does not hold it)."""
    out = list(chosen)
    have = {e.value for e in inputs.preferences.equipment}
    for gate in due:
        if not isinstance(gate, ExerciseTest):
            continue
        exercise = protocol.exercises.get(gate.exercise)
        if exercise is None or not exercise.equipment <= have:
            continue
        at = next((i for i, p in enumerate(out) if p.exercise == gate.exercise), None)
        if at is None:
            dose = target(exercise, inputs.state.phase, inputs.state.dose_level, protocol.settings)
            base = dose or Target(gate.sets, gate.reps, None, None, True, 60, "", False)
            out.append(Prescription(exercise.id, exercise.name, base, None, exercise.loaded, 1))
            at = len(out) - 1
        p = out[at]
        wanted = replace(
            p.target,
            sets=max(p.target.sets, gate.sets),
            reps=max(p.target.reps or 0, gate.reps),
        )
        out[at] = replace(p, target=wanted, priority=1, test=gate.id)
        key = "test_report_sides" if wanted.per_side else "test_report"
        facts = said(key, name=exercise.name, sets=wanted.sets, reps=wanted.reps)
        reasons.append(Reason.of("session-readiness-test", facts))
    return out


def _gate_exercises(protocol: Protocol, phase: int) -> frozenset[str]:
    """The exercises a gate of the phase checks at full dose, with their substitutes: the
    time budget never drops them."""
    ids: set[str] = set()
    for gate in protocol.phase(phase).gates:
        if isinstance(gate, GreenSessions):
            for exercise_id in gate.exercises:
                ids.add(exercise_id)
                ids.update(protocol.exercises[exercise_id].substitutes)
    return frozenset(ids)


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
                Reason.of(
                    "session-equipment-substitution",
                    said("instead_of", substitute=substitute.name, exercise=exercise.name),
                )
            )
            return substitute
    reasons.append(
        Reason.of(
            "session-equipment-substitution",
            said(
                "left_out_needs",
                name=exercise.name,
                gear=tuple(said(f"gear_{g}") for g in sorted(exercise.equipment)),
            ),
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
        reasons.append(Reason.of("session-reduced-run", said("rung_down", rung=rung.number)))
    elif reduced:
        repeats = max(1, math.ceil(rung.repeats * 2 / 3))
        facts = said("repeats_today", repeats=repeats, total=rung.repeats)
        reasons.append(Reason.of("session-reduced-run", facts))
    if rung.continuous:
        minutes = rung.run_minutes * repeats
        _, cap = _run_caps(inputs, protocol)
        if minutes > round(cap):
            # a continuous rung is a continuous run: never 10 % past the longest of the last
            # 30 days, as when a flare steps a runner back from phase 5 to the ladder's top
            minutes = max(1, round(cap))
            reasons.append(
                Reason.of("load-longest-run-cap", said("capped_minutes", minutes=minutes))
            )
        return RunPlan("continuous", minutes, rung=rung.number, limits=limits)
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
        facts = said("capped_minutes", minutes=f"{cap_minutes:.0f}")
        reasons.append(Reason.of("load-longest-run-cap", facts))
    if km is not None and cap_km is not None and km > cap_km:
        km = cap_km
        minutes = min(minutes, km * pace)
        facts = said("capped_distance", distance=Km(cap_km))
        reasons.append(Reason.of("load-longest-run-cap", facts))
    if reduced:
        minutes *= 0.75
        km = None if km is None else km * 0.75
        reasons.append(Reason.of("session-reduced-run", said("quarter_shorter")))
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
        reasons.append(Reason.of("session-reduced-run", said("quarter_shorter")))
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
    inputs: SessionInputs,
    protocol: Protocol,
    training_day: bool,
    walk: WalkTest | None,
    loaded_today: bool,
    reasons: list[Reason],
) -> Prescription | None:
    if not training_day:
        return None
    if walk is not None and not loaded_today:
        return _walk_test(inputs, protocol, walk, reasons)
    have = {e.value for e in inputs.preferences.equipment}
    phase = inputs.state.phase
    order: tuple[str, ...] = CROSS_TRAINING_ORDER
    if any(isinstance(g, WalkTest) for g in protocol.phase(phase).gates):
        order = ("walking", *CROSS_TRAINING_ORDER)  # the brisk-walk readiness test
    if walk is not None:
        # the readiness walk waits for a day without loaded work, on fresh legs
        order = tuple(x for x in order if x != "walking")
        reasons.append(Reason.of("session-readiness-walk-day", said("walk_waits")))
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


def _walk_test(
    inputs: SessionInputs, protocol: Protocol, walk: WalkTest, reasons: list[Reason]
) -> Prescription:
    """The brisk-walk readiness test as the day's cross-training, at its full minutes."""
    exercise = protocol.exercises.get("walking")
    dose = None if exercise is None else target(exercise, inputs.state.phase, 0, protocol.settings)
    base = dose or Target(1, None, None, walk.minutes, False, 0, "brisk", False)
    wanted = replace(base, minutes=max(base.minutes or 0, walk.minutes))
    name = "Walking" if exercise is None else exercise.name
    reasons.append(Reason("session-cross-training", name))
    reasons.append(
        Reason.of("session-readiness-test", said("walk_test_report", minutes=wanted.minutes))
    )
    return Prescription("walking", name, wanted, None, False, 1, test=walk.id)


# --- time budget ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Parts:
    """A session's parts as the time budget sees them."""

    exercises: tuple[Prescription, ...]
    warm_up: tuple[Prescription, ...]
    after_run: tuple[Prescription, ...]
    run: RunPlan | None
    cross: Prescription | None

    @property
    def minutes(self) -> float:
        parts = (*self.warm_up, *self.exercises, *self.after_run)
        cross = self.cross.minutes if self.cross else 0
        return sum(p.minutes for p in parts) + (self.run.total_minutes if self.run else 0) + cross

    def needs_warm_up(self) -> bool:
        """A run or loaded work is never started cold."""
        return self.run is not None or any(p.loaded for p in self.exercises)


def _fit_budget(
    parts: Parts, core: frozenset[str], prefs: Preferences, shortest: int, reasons: list[Reason]
) -> Parts:
    """Fit the session to the runner's minutes. Kept whatever the budget: the run, a readiness
    test (exercise or walk), the exercises a gate of the phase checks (``core``), and the
    warm-up before a run or loaded work. The rest goes, least important first: the optional
    cross-training (shortened first), the priority-3 exercises, the after-run routine, the
    priority-2 exercises, then the other priority-1 exercises (light ones before loaded ones),
    and the warm-up of a day left without a run or loaded work. Whatever fits again afterwards,
    most important first, comes back. What still does not fit is said, with what it is."""
    budget = prefs.minutes_per_session
    if budget is None:
        return parts
    cross = parts.cross
    optional_cross = cross if cross is not None and cross.test is None else None
    kept = replace(parts, cross=None if optional_cross else cross)

    def protected(p: Prescription) -> bool:
        return p.test is not None or p.exercise in core or (p.substitute_for or "") in core

    droppable = [
        *[p for p in reversed(kept.exercises) if p.priority >= 3 and not protected(p)],
        *reversed(kept.after_run),
        *[p for p in reversed(kept.exercises) if p.priority == 2 and not protected(p)],
        *[
            p
            for p in reversed(kept.exercises)
            if p.priority <= 1 and not p.loaded and not protected(p)
        ],
        *[p for p in reversed(kept.exercises) if p.priority <= 1 and p.loaded and not protected(p)],
    ]
    dropped: list[Prescription] = []
    for p in droppable:
        if kept.minutes <= budget:
            break
        kept = _without(kept, p)
        dropped.append(p)
    if kept.minutes > budget and kept.warm_up and not kept.needs_warm_up():
        dropped.append(kept.warm_up[0])
        kept = replace(kept, warm_up=())
    for p in list(reversed(dropped)):  # most important first: back in if it fits now
        trial = _with(kept, p, parts)
        if trial.minutes <= budget:
            kept = trial
            dropped.remove(p)
    if kept.warm_up:  # back with loaded work that fits again
        dropped = [p for p in dropped if p not in parts.warm_up]
    for p in dropped:
        rule = "session-time-budget" if p in parts.exercises and p.priority >= 2 else ""
        text = said("left_out_to_fit", name=p.name, budget=budget)
        if p in parts.warm_up:
            text = said("no_warm_up_to_fit", budget=budget)
            reasons[:] = [r for r in reasons if r.rule != "session-warm-up"]
        elif p in parts.after_run:
            text = said("after_run_left_out", name=p.name.lower(), budget=budget)
        reasons.append(Reason.of(rule or "session-time-budget-tight", text))
    if optional_cross is not None:
        spare = budget - kept.minutes
        shortened = optional_cross if optional_cross.minutes <= spare else None
        if shortened is None:
            shortened = _shortened(optional_cross, spare, budget, shortest, reasons)
        kept = replace(kept, cross=shortened)
    total = kept.minutes
    if total > budget:
        reasons.append(Reason("session-time-budget-tight", _too_long(kept, core, total, budget)))
    return kept


def _without(parts: Parts, p: Prescription) -> Parts:
    if p in parts.after_run:
        return replace(parts, after_run=tuple(x for x in parts.after_run if x != p))
    return replace(parts, exercises=tuple(x for x in parts.exercises if x != p))


def _with(parts: Parts, p: Prescription, whole: Parts) -> Parts:
    """``parts`` with ``p`` back in its place (and the warm-up, when ``p`` is loaded work)."""
    if p in whole.warm_up:
        return replace(parts, warm_up=whole.warm_up)
    if p in whole.after_run:
        back = tuple(x for x in whole.after_run if x in parts.after_run or x == p)
        return replace(parts, after_run=back)
    back = tuple(x for x in whole.exercises if x in parts.exercises or x == p)
    warm_up = whole.warm_up if p.loaded else parts.warm_up
    return replace(parts, exercises=back, warm_up=warm_up)


def _too_long(kept: Parts, core: frozenset[str], total: float, budget: int) -> str:
    """What keeps a session over the runner's minutes, in words."""
    what: list[str] = []
    if kept.run is not None:
        what.append(f"the {kept.run.total_minutes}-minute run")
    if kept.cross is not None and kept.cross.test is not None:
        what.append(f"the {kept.cross.minutes:g}-minute brisk walk (your readiness test)")
    tests = [p.name for p in kept.exercises if p.test is not None]
    if tests:
        what.append(f"{_and(tests)} (your readiness test{'s' if len(tests) > 1 else ''})")
    gated = [p.name for p in kept.exercises if p.test is None and p.exercise in core]
    gated += [p.name for p in kept.exercises if p.test is None and (p.substitute_for or "") in core]
    if gated:
        what.append(f"{_and(gated)} at today's dose (what this phase's check asks for)")
    if kept.warm_up:
        what.append(f"the {kept.warm_up[0].minutes:g}-minute warm-up")
    others = [
        p.name
        for p in kept.exercises
        if p.test is None and p.exercise not in core and (p.substitute_for or "") not in core
    ]
    if others:
        what.append(_and(others))
    return (
        f"about {math.ceil(total)} minutes, more than your {budget}: {_and(what)} cannot be "
        "left out or shortened; split the session in two if you need to"
    )


def _and(names: Sequence[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _shortened(
    cross: Prescription, spare: float, budget: int, shortest: int, reasons: list[Reason]
) -> Prescription | None:
    minutes = math.floor(spare)
    if minutes < shortest:
        reasons.append(
            Reason.of(
                "session-time-budget", said("left_out_to_fit", name=cross.name, budget=budget)
            )
        )
        return None
    facts = said("shortened_to", name=cross.name, minutes=minutes)
    reasons.append(Reason.of("session-time-budget", facts))
    return replace(cross, target=replace(cross.target, minutes=minutes))
