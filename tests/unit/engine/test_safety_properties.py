"""Safety invariants, held by property tests.

- Adding a red-flag (or any see-a-clinician) answer to any valid assessment never lowers the
  disposition; an emergency answer always gives an emergency.
- More pain never gives a more permissive answer to "can I run today?".
- No sequence of check-ins with pain above the AMBER ceiling ever moves a runner on.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from runrehab.adapters.documents import read_assessment, schema
from runrehab.engine.assessment import Signs, Swelling
from runrehab.engine.checkin import Checkin, CheckinPain, ExerciseLog, Morning, RunLog
from runrehab.engine.pathway import PathwayChoice
from runrehab.engine.progression import start_state, step_day
from runrehab.engine.protocol import Settings
from runrehab.engine.readiness import ReadinessInputs, can_run_today
from runrehab.engine.state import Action
from runrehab.engine.triage import triage
from runrehab.engine.values import Disposition, PathwayId
from tests.strategies import from_schema

Doc = dict[str, Any]
ASSESSMENTS = from_schema(schema("assessment"))


def _set(path: str, value: Any) -> Callable[[Doc], None]:
    def apply(doc: Doc) -> None:
        node = doc
        *parents, leaf = path.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value

    return apply


def _injury(flag: str) -> Callable[[Doc], None]:
    def apply(doc: Doc) -> None:
        injury = doc["history"].setdefault("injury", {"mechanism": "twisting"})
        injury[flag] = True

    return apply


def _hot_red_swollen(doc: Doc) -> None:
    doc["signs"].update(
        hot=True,
        red=True,
        swelling="mild" if doc["signs"]["swelling"] == "none" else doc["signs"]["swelling"],
    )


EMERGENCY_ANSWERS = {
    "foot numb": _set("signs.foot_numb_cold_or_pale", True),
    "chest pain": _set("signs.breathless_or_chest_pain", True),
    "hot red swollen": _hot_red_swollen,
    "cannot walk 4 steps": _injury("cannot_walk_4_steps"),
    "cannot bend to 90": _injury("cannot_bend_to_90_degrees"),
    "bony tenderness": _injury("tender_kneecap_or_bony_point"),
    "cannot lift leg": _injury("cannot_straighten_or_lift_straight_leg"),
}
URGENT_ANSWERS = {
    "locked": _set("signs.locked", True),
    "marked swelling": _set("signs.swelling", "marked"),
    "calf": _set("signs.calf_pain_or_swelling", True),
    "night pain": _set("pain.wakes_at_night", True),
    "constant pain": _set("pain.constant_not_eased_by_rest", True),
    "weight loss": _set("signs.unexplained_weight_loss", True),
    "cancer": _set("history.cancer_history", True),
    "lump": _set("signs.hard_lump_near_knee", True),
    "deformity": _set("signs.deformity", True),
    "dislocation": _injury("kneecap_dislocated"),
    "swelling within 2 h": _injury("swelling_within_2_hours"),
}
CLINICIAN_ANSWERS = {
    "giving way": _set("signs.giving_way", True),
    "catching": _set("signs.catching", True),
    "limp": _set("signs.limp", True),
    "warm": _set("signs.hot", True),
    "rest pain 8": _set("pain.at_rest", 8),
    "sudden onset": _set("history.onset", "sudden"),
}
ALL = {**EMERGENCY_ANSWERS, **URGENT_ANSWERS, **CLINICIAN_ANSWERS}
FLOOR = {
    **dict.fromkeys(EMERGENCY_ANSWERS, Disposition.EMERGENCY),
    **dict.fromkeys(URGENT_ANSWERS, Disposition.URGENT),
    **dict.fromkeys(CLINICIAN_ANSWERS, Disposition.SEE_CLINICIAN),
}

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(doc=ASSESSMENTS, answer=st.sampled_from(sorted(ALL)))
def test_adding_a_red_flag_answer_never_lowers_the_disposition(doc: Doc, answer: str) -> None:
    before = triage(read_assessment(doc)).disposition
    flagged = copy.deepcopy(doc)
    ALL[answer](flagged)
    after = triage(read_assessment(flagged)).disposition
    assert after.severity >= before.severity
    assert after.severity >= FLOOR[answer].severity


# --- "can I run today?" --------------------------------------------------------------------

pain = st.integers(0, 10)
runs = st.builds(
    RunLog,
    minutes=st.floats(5, 120),
    max_pain=pain,
    pain_rose_during=st.booleans(),
    settled_within_minutes=st.none() | st.floats(0, 3000),
    changed_stride=st.booleans(),
)
readiness_inputs = st.builds(
    ReadinessInputs,
    today=st.just(date(2026, 12, 10)),
    disposition=st.sampled_from(list(Disposition)),
    pathway=st.sampled_from(list(PathwayId)),
    running_mode=st.sampled_from(["none", "modified", "walk_run", "building"]),
    pain_at_rest=st.none() | pain,
    signs=st.builds(
        Signs,
        swelling=st.sampled_from(list(Swelling)),
        limp=st.booleans(),
        giving_way=st.booleans(),
    ),
    morning=st.none() | st.sampled_from(list(Morning)),
    last_run=st.none() | runs,
    last_run_date=st.none() | st.dates(date(2026, 11, 25), date(2026, 12, 9)),
)


def _more_pain(i: ReadinessInputs, what: str, by: int) -> ReadinessInputs:
    from dataclasses import replace

    if what == "rest" and i.pain_at_rest is not None:
        return replace(i, pain_at_rest=min(10, i.pain_at_rest + by))
    if what == "run" and i.last_run is not None:
        return replace(i, last_run=replace(i.last_run, max_pain=min(10, i.last_run.max_pain + by)))
    if what == "rising" and i.last_run is not None:
        return replace(i, last_run=replace(i.last_run, pain_rose_during=True))
    if what == "settle" and i.last_run is not None:
        settled = i.last_run.settled_within_minutes
        return replace(
            i, last_run=replace(i.last_run, settled_within_minutes=(settled or 0) + by * 60)
        )
    if what == "morning":
        return replace(i, morning=Morning.WORSE)
    return i


@settings(max_examples=400, deadline=None)
@given(
    i=readiness_inputs,
    what=st.sampled_from(["rest", "run", "rising", "settle", "morning"]),
    by=st.integers(1, 10),
)
def test_more_pain_is_never_more_permissive(i: ReadinessInputs, what: str, by: int) -> None:
    s = Settings()
    before = can_run_today(i, s).answer
    after = can_run_today(_more_pain(i, what, by), s).answer
    assert after.permissiveness <= before.permissiveness


@settings(max_examples=200, deadline=None)
@given(i=readiness_inputs)
def test_running_is_never_allowed_outside_self_management(i: ReadinessInputs) -> None:
    from dataclasses import replace

    for d in (Disposition.EMERGENCY, Disposition.URGENT, Disposition.SEE_CLINICIAN):
        assert can_run_today(replace(i, disposition=d), Settings()).answer.value == "no"


# --- progression ---------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    phase=st.sampled_from([1, 2, 3, 4, 5]),
    pains=st.lists(st.integers(6, 10), min_size=1, max_size=20),
)
def test_painful_days_never_move_a_runner_on(phase: int, pains: list[int]) -> None:
    from runrehab.content import loader

    protocol = loader.protocol()
    start = date(2026, 12, 1)
    pathway = PathwayId.REST_AND_REBUILD
    state = start_state(PathwayChoice(pathway, phase, ()), start, protocol)
    history: list[Checkin] = []
    for n, worst in enumerate(pains):
        day = start + timedelta(days=n)
        history.append(
            Checkin(
                day,
                CheckinPain(worst, 2, worst),
                Morning.SAME,
                exercises=(ExerciseLog("clamshell", 3, 15, None, worst),),
                run=RunLog(20, worst, settled_within_minutes=30) if phase >= 4 else None,
            )
        )
        decision = step_day(state, history, protocol, day)
        assert decision.action not in (Action.ADVANCE, Action.CLIMB)
        assert decision.state.phase <= state.phase
        assert decision.state.dose_level <= state.dose_level
        state = decision.state
