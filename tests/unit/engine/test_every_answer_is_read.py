"""Every answer a runner gives is read by a rule, or listed in the content as informational.

The fields come from the schema files themselves (``contracts/*.schema.json``), not from a hand
list. A field is *read* when changing its answer changes a decision of the engine (the triage,
the pathway, the programme's days, the usual load; for a check-in the day's decision and the
next days' plan) in at least one of a few typical situations. Then:

- a field read by no rule must be listed in ``content/data/answers.toml`` with why it is asked;
- a field listed there must really change nothing (the list cannot hide a rule).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

import pytest

from runrehab.adapters.documents import read_assessment, read_checkin, schema
from runrehab.content import loader
from runrehab.engine.assessment import Preferences
from runrehab.engine.day import plan_day
from runrehab.engine.load import LoadContext, LoadSettings, RunEntry, baseline, pain_began
from runrehab.engine.pathway import PathwayChoice, choose_pathway
from runrehab.engine.progression import replay, start_state
from runrehab.engine.projection import project
from runrehab.engine.session import RunHistory, Session
from runrehab.engine.state import ProgrammeState
from runrehab.engine.triage import triage
from runrehab.engine.values import PathwayId
from runrehab.errors import InvalidDocument
from tests.conftest import MODIFIED_RUNNER, typical_doc

Doc = dict[str, Any]
PROTOCOL = loader.protocol()
DAY = date(2026, 12, 7)


# --- the fields of a schema, and answers to try in each ----------------------------------------


def leaves(node: Doc, root: Doc, path: str = "") -> Iterator[tuple[str, Doc]]:
    """Every answerable field of a schema as (dotted path, schema node); ``[]`` marks an array
    of objects (``exercises[].id``)."""
    if "$ref" in node:
        target: Any = root
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    if "oneOf" in node:  # "run": null or an object
        node = next(n for n in node["oneOf"] if n.get("type") == "object")
    if node.get("type") == "object":
        for name, child in node["properties"].items():
            yield from leaves(child, root, f"{path}.{name}" if path else name)
    elif node.get("type") == "array" and node.get("items", {}).get("type") == "object":
        yield from leaves(node["items"], root, f"{path}[]")
    else:
        yield path, node


def answers_to_try(node: Doc) -> list[Any]:
    if "const" in node:
        return [node["const"]]
    if "enum" in node:
        return list(node["enum"])
    kind = node.get("type")
    if kind == "boolean":
        return [True, False]
    if kind == "array":
        options = node["items"]["enum"]
        return [[o] for o in options] + [options]
    if kind in ("integer", "number"):
        low = node.get("minimum", node.get("exclusiveMinimum", 0) + 1)
        high = node.get("maximum", 100)
        points = {low, high, *(low + (high - low) * f for f in (0.01, 0.05, 0.2, 0.5))}
        return sorted(int(p) if kind == "integer" else round(p, 1) for p in points)
    if node.get("format") == "date":
        return [(DAY + timedelta(days=d)).isoformat() for d in (-1, 0, 1, 30)]
    return ["w1", "step-down", "x"]


def with_answer(doc: Doc, path: str, value: Any) -> Doc:
    """``doc`` with ``path`` set to ``value``; ``a[].b`` sets ``b`` in every element of ``a``."""
    doc = copy.deepcopy(doc)

    def put(node: Any, parts: list[str]) -> None:
        head, rest = parts[0], parts[1:]
        if head.endswith("[]"):
            for element in node.get(head[:-2], []):
                put(element, rest)
        elif not rest:
            node[head] = value
        else:
            put(node.setdefault(head, {}), rest)

    put(doc, path.split("."))
    return doc


# --- what the engine decides from an assessment ------------------------------------------------

# a watch history whose runs grow longer over the year, so each window has its own usual week
WATCH_HISTORY = tuple(
    RunEntry(DAY - timedelta(days=d), 60.0 - d / 10, 10.0 - d / 60, "watch", activity_id=f"h{d}")
    for d in range(3, 400, 3)
)


def _summary(s: Session) -> tuple[Any, ...]:
    return (
        s.phase,
        s.training_day,
        s.strength_day,
        tuple((p.exercise, p.target) for p in s.exercises),
        s.run,
        s.cross_training and (s.cross_training.exercise, s.cross_training.target),
        tuple(r.rule for r in s.reasons),
    )


def assessment_decisions(doc: Doc) -> Iterator[Any]:
    """The engine's decisions from an assessment, cheapest first."""
    a = read_assessment(doc)
    result = triage(a, PROTOCOL.triage)
    yield result.disposition, result.rules, result.likely_condition, result.differentials
    choice = choose_pathway(a, PROTOCOL.settings)
    yield choice.pathway, choice.start_phase, tuple(r.rule for r in choice.reasons)
    running = a.running
    yield baseline(
        WATCH_HISTORY,
        pain_began(a, DAY),
        LoadSettings(),
        None if running is None else running.weekly_km_before_pain,
        None if running is None else running.runs_per_week_before_pain,
    )
    yield tuple(_summary(s) for s in project(a, choice, PROTOCOL, DAY, 1).days)


ASSESSMENT_SITUATIONS: dict[str, Doc] = {
    "typical": typical_doc(),
    "modified runner": MODIFIED_RUNNER,
    "twisted knee": typical_doc(**{"history.injury": {"mechanism": "twisting"}}),
    "swollen after a twist": typical_doc(
        **{"history.injury": {"mechanism": "twisting"}, "signs.swelling": "mild"}
    ),
}


# --- what the engine decides from a check-in ---------------------------------------------------


def _day(day: date, **parts: Any) -> Doc:
    return {
        "date": day.isoformat(),
        "pain": {"now": 0, "at_rest": 0, "worst_24h": 0},
        "this_morning_vs_usual": "same",
        **parts,
    }


def _ex(exercise: str, sets: int, reps: int | None = None, hold: int | None = None) -> Doc:
    entry: Doc = {"id": exercise, "sets": sets, "max_pain": 0}
    if reps is not None:
        entry["reps"] = reps
    if hold is not None:
        entry["hold_seconds"] = hold
    return entry


PHASE_2 = [
    _ex("clamshell", 3, 15),
    _ex("side-lying-hip-abduction", 3, 12),
    _ex("glute-bridge", 3, 15, 3),
    _ex("quad-set", 3, 10, 5),
]
PHASE_3_LOW_LOAD = [
    _ex("side-plank", 3, hold=20),
    _ex("clamshell", 3, 15),
    _ex("glute-bridge", 3, 15),
]
PHASE_3_TESTS = [_ex("step-down", 3, 10), _ex("single-leg-squat", 1, 10)]
WALK = {"kind": "walking", "minutes": 30, "max_pain": 0}
RUN = {"minutes": 24, "max_pain": 0, "settled_within_minutes": 0, "distance_km": 3.0}


@dataclass(frozen=True)
class Situation:
    """A runner part-way through the programme: the state before ``history`` and the check-in
    whose answers vary (``day``), the watch runs, and what the intake said of their running."""

    state: ProgrammeState
    history: tuple[Doc, ...]
    day: Doc
    watch: tuple[RunEntry, ...] = ()
    runs: RunHistory = field(default_factory=RunHistory)


def _from(state: ProgrammeState, first: date) -> ProgrammeState:
    """``state`` folded through the day before ``first``, last moved on when its phase began."""
    return replace(
        state, evaluated_through=first - timedelta(days=1), last_moved_on=state.phase_started
    )


def checkin_decisions(situation: Situation, doc: Doc) -> Iterator[Any]:
    """The decisions of the day, then the plan of that day and the next two."""
    checkins = sorted(
        [read_checkin(d) for d in situation.history] + [read_checkin(doc)], key=lambda c: c.date
    )
    through = checkins[-1].date
    state, decisions = replay(situation.state, checkins, PROTOCOL, through)
    yield tuple(
        (
            d.action,
            tuple(r.rule for r in d.reasons),
            d.colour,
            d.disposition,
            d.state.phase,
            d.state.rung,
            d.state.dose_level,
            d.state.status,
            d.state.hold_running_until,
        )
        for d in decisions
    )
    for ahead in (0, 1, 2):
        plan = plan_day(
            state,
            checkins,
            Preferences(),
            situation.runs,
            PROTOCOL,
            through + timedelta(days=ahead),
            situation.watch,
            LoadContext() if situation.watch else None,
        )
        assert plan.session is not None
        yield (
            plan.run.answer,
            tuple(r.rule for r in plan.run.reasons),
            _summary(plan.session),
            tuple(r.rule for r in plan.warnings),
            plan.unreported_runs,
        )


def _phase_state(
    pathway: PathwayId, phase: int, days_in_phase: int, **changes: Any
) -> ProgrammeState:
    choice = PathwayChoice(pathway, phase, ())
    state = start_state(choice, DAY - timedelta(days=40), PROTOCOL)
    return replace(state, phase_started=DAY - timedelta(days=days_in_phase), **changes)


YESTERDAY, TWO_DAYS_AGO = DAY - timedelta(days=1), DAY - timedelta(days=2)
CHECKIN_SITUATIONS: dict[str, Situation] = {
    # two complete GREEN foundation sessions pass the phase-2 gate
    "foundation sessions": Situation(
        _from(_phase_state(PathwayId.REST_AND_REBUILD, 2, 8), YESTERDAY),
        (_day(YESTERDAY, exercises=PHASE_2),),
        _day(DAY, exercises=PHASE_2, cross_training=[{**WALK, "minutes": 20}]),
    ),
    # the readiness tests logged, then the 30-minute brisk walk passes the phase-3 gate
    "readiness tests": Situation(
        _from(_phase_state(PathwayId.REST_AND_REBUILD, 3, 8), TWO_DAYS_AGO),
        (_day(TWO_DAYS_AGO, exercises=PHASE_3_TESTS),),
        _day(DAY, cross_training=[WALK]),
    ),
    # two complete GREEN sessions with held exercises raise the dose a step
    "held exercises": Situation(
        _from(_phase_state(PathwayId.REST_AND_REBUILD, 3, 3), YESTERDAY),
        (_day(YESTERDAY, exercises=PHASE_3_LOW_LOAD),),
        _day(DAY, exercises=PHASE_3_LOW_LOAD),
    ),
    # a second GREEN walk/run session climbs the rung
    "walk/run": Situation(
        _from(
            _phase_state(
                PathwayId.REST_AND_REBUILD, 4, 6, rung=1, rung_started=DAY - timedelta(days=6)
            ),
            TWO_DAYS_AGO,
        ),
        (_day(TWO_DAYS_AGO, run=RUN),),
        _day(DAY, run=RUN),
    ),
    # modified running: the run's minutes and km set the longest-run cap of the next run; a
    # watch run of the day before is waiting for its report
    "modified running": Situation(
        _from(_phase_state(PathwayId.MODIFIED_RUNNING, 2, 4), DAY),
        (),
        _day(DAY, run={**RUN, "minutes": 30, "distance_km": 5.0}),
        (RunEntry(YESTERDAY, 10.0, 2.0, "watch", activity_id="w1", pain_reported=False),),
        RunHistory(typical_run_km=10.0),
    ),
}


# --- the test ------------------------------------------------------------------------------------

Decisions = Callable[[Doc], Iterator[Any]]


def _changes_a_decision(decisions: Decisions, base: Doc, path: str, node: Doc) -> bool:
    """True when some answer to ``path`` changes one of the decisions ``decisions`` yields."""
    before = list(decisions(base))
    for value in answers_to_try(node):
        changed = with_answer(base, path, value)
        if changed == base:
            continue
        try:
            after = decisions(changed)
            for old in before:
                if next(after) != old:
                    return True
        except InvalidDocument:  # an answer this situation cannot take (an injury flag alone)
            continue
    return False


def _assessment_read(path: str, node: Doc) -> bool:
    return any(
        _changes_a_decision(assessment_decisions, doc, path, node)
        for doc in ASSESSMENT_SITUATIONS.values()
    )


def _checkin_read(path: str, node: Doc) -> bool:
    for situation in CHECKIN_SITUATIONS.values():

        def decisions(doc: Doc, situation: Situation = situation) -> Iterator[Any]:
            return checkin_decisions(situation, doc)

        if _changes_a_decision(decisions, situation.day, path, node):
            return True
    return False


READ = {"assessment": _assessment_read, "checkin": _checkin_read}
FIELDS = [
    (kind, path, node)
    for kind in ("assessment", "checkin")
    for path, node in leaves(schema(kind), schema(kind))
]
INFORMATIONAL = {(a.document, a.field): a.why for a in loader.answers().informational}


def test_the_fields_come_from_both_schemas() -> None:
    assert len([f for f in FIELDS if f[0] == "assessment"]) > 50
    assert ("checkin", "exercises[].max_pain") in {(k, p) for k, p, _ in FIELDS}
    assert ("checkin", "run.activity_id") in {(k, p) for k, p, _ in FIELDS}


def test_every_informational_answer_names_a_field_of_its_schema() -> None:
    fields = {(kind, path) for kind, path, _ in FIELDS}
    for entry in loader.answers().informational:
        assert (entry.document, entry.field) in fields, entry.field
        assert len(entry.why) > 40, entry.field  # a reason, not a label


def test_every_situation_is_valid_and_decides_something() -> None:
    for doc in ASSESSMENT_SITUATIONS.values():
        list(assessment_decisions(doc))
    for situation in CHECKIN_SITUATIONS.values():
        list(checkin_decisions(situation, situation.day))


@pytest.mark.parametrize(("kind", "path", "node"), FIELDS, ids=[f"{k}:{p}" for k, p, _ in FIELDS])
def test_every_answer_is_read_by_a_rule_or_listed_as_informational(
    kind: str, path: str, node: Doc
) -> None:
    read = READ[kind](path, node)
    listed = (kind, path) in INFORMATIONAL
    if not read:
        assert listed, (
            f"{kind} field {path!r} changes no decision: make a rule read it, or list it in "
            "content/data/answers.toml as informational, with why it is asked"
        )
    else:
        assert not listed, (
            f"{kind} field {path!r} is listed as informational but changes a decision: "
            "remove it from content/data/answers.toml"
        )
