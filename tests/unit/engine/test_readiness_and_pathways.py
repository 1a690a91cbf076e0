""" "Can I run today?" (14(b)), the pathway choice, and the day's traffic light."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from runrehab.engine.assessment import Signs, Swelling
from runrehab.engine.checkin import Checkin, CheckinPain, ExerciseLog, Morning, RunLog
from runrehab.engine.pathway import choose_pathway
from runrehab.engine.protocol import Settings
from runrehab.engine.readiness import ReadinessInputs, can_run_today, inputs_from_checkins
from runrehab.engine.traffic_light import colour_of, red_signs
from runrehab.engine.values import Colour, Disposition, PathwayId, RunToday
from tests.conftest import typical
from tests.traceability_plugin import fires_each

TODAY = date(2026, 12, 10)
S = Settings()
GOOD_RUN = RunLog(24, 1, settled_within_minutes=20)


def ready(**kw: Any) -> ReadinessInputs:
    values: dict[str, Any] = {
        "today": TODAY,
        "disposition": Disposition.SELF_MANAGE,
        "pathway": PathwayId.REST_AND_REBUILD,
        "running_mode": "walk_run",
        "pain_at_rest": 0,
        "morning": Morning.SAME,
        "last_run": GOOD_RUN,
        "last_run_date": TODAY - timedelta(days=2),
    }
    values.update(kw)
    return ReadinessInputs(**values)


def rules(i: ReadinessInputs) -> set[str]:
    return {r.rule for r in can_run_today(i, S).reasons}


@pytest.mark.fires("y-green-light", "run-stop-if-pain-above-3", "load-longest-run-cap")
def test_a_green_runner_may_run_within_limits() -> None:
    decision = can_run_today(ready(), S)
    assert decision.answer is RunToday.YES
    assert {"y-green-light", "run-stop-if-pain-above-3", "load-longest-run-cap"} <= rules(ready())


@pytest.mark.parametrize(
    ("changes", "rule"),
    fires_each(
        [
            ({"disposition": Disposition.SEE_CLINICIAN}, "n1-not-self-managing"),
            ({"running_mode": "none"}, "n1-no-running-in-this-phase"),
            ({"signs": Signs(limp=True)}, "n2-limp-swelling-or-giving-way"),
            ({"signs": Signs(swelling=Swelling.MILD)}, "n2-limp-swelling-or-giving-way"),
            (
                {"last_run": replace(GOOD_RUN, changed_stride=True)},
                "n2-limp-swelling-or-giving-way",
            ),
            ({"last_run": replace(GOOD_RUN, max_pain=4)}, "n3-last-run-too-painful"),
            ({"last_run": replace(GOOD_RUN, pain_rose_during=True)}, "n3-last-run-too-painful"),
            ({"morning": Morning.WORSE}, "n4-not-settled-by-morning"),
            (
                {"last_run": replace(GOOD_RUN, settled_within_minutes=1500)},
                "n4-not-settled-by-morning",
            ),
            ({"pain_at_rest": 4}, "n5-rest-pain-too-high"),
            ({"last_run_date": TODAY - timedelta(days=1)}, "n6-every-other-day"),
            ({"hold_running_until": TODAY + timedelta(days=1)}, "n7-hold-after-red-day"),
        ]
    ),
)
def test_each_no_rule(changes: dict[str, Any], rule: str) -> None:
    i = ready(**changes)
    assert can_run_today(i, S).answer is RunToday.NO
    assert rule in rules(i)


@pytest.mark.parametrize(
    ("changes", "rule"),
    fires_each(
        [
            ({"last_run": replace(GOOD_RUN, max_pain=3)}, "d1-amber-last-run"),
            ({"last_run": replace(GOOD_RUN, settled_within_minutes=90)}, "d2-slow-to-settle"),
            ({"last_run": replace(GOOD_RUN, settled_within_minutes=None)}, "d2-slow-to-settle"),
            ({"pain_at_rest": 2}, "d3-rest-pain-raised"),
            ({"pain_at_rest": None}, "d4-no-report-today"),
            ({"morning": None}, "d4-no-report-today"),
            ({"running_mode": "modified"}, "modified-running-limits"),
        ]
    ),
)
def test_each_reduced_rule(changes: dict[str, Any], rule: str) -> None:
    i = ready(**changes)
    assert can_run_today(i, S).answer is RunToday.REDUCED
    assert rule in rules(i)


@pytest.mark.parametrize(
    ("mode", "rule"),
    fires_each(
        [
            ("walk_run", "n6-every-other-day"),
            ("modified", "modified-running-alternate-days"),
            ("building", "rebuild-alternate-days"),
        ]
    ),
)
def test_runs_go_on_alternate_days_in_every_running_mode(mode: str, rule: str) -> None:
    yesterday = ready(running_mode=mode, last_run_date=TODAY - timedelta(days=1))
    assert can_run_today(yesterday, S).answer is RunToday.NO
    assert rule in rules(yesterday)
    two_days = ready(running_mode=mode, last_run_date=TODAY - timedelta(days=2))
    assert rule not in rules(two_days)


def test_a_run_more_than_a_week_ago_no_longer_counts() -> None:
    old = ready(last_run=replace(GOOD_RUN, max_pain=7), last_run_date=TODAY - timedelta(days=9))
    assert can_run_today(old, S).answer is RunToday.YES


def test_inputs_are_gathered_from_check_ins() -> None:
    history = [
        Checkin(TODAY - timedelta(days=2), CheckinPain(1, 0, 1), run=GOOD_RUN),
        Checkin(TODAY, CheckinPain(2, 2, 2), Morning.BETTER),
    ]
    i = inputs_from_checkins(
        TODAY, Disposition.SELF_MANAGE, PathwayId.REST_AND_REBUILD, "walk_run", history
    )
    assert (i.pain_at_rest, i.morning, i.last_run, i.last_run_date) == (
        2,
        Morning.BETTER,
        GOOD_RUN,
        TODAY - timedelta(days=2),
    )


# --- pathways ----------------------------------------------------------------------------


def test_mild_stable_running_pain_keeps_running() -> None:
    choice = choose_pathway(
        typical(**{"running.pain_during_run": 3, "running.pain_rises_during_run": False}), S
    )
    assert choice.pathway is PathwayId.MODIFIED_RUNNING
    assert choice.start_phase == 2


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"running": None}, "not running at present"),
        ({"running.currently_running": False}, "not running at present"),
        ({"running.pain_during_run": None}, "running pain not given"),
        ({"running.pain_during_run": 4}, "above 3/10"),
        ({"running.pain_rises_during_run": True}, "rises during the run"),
        ({"running.pain_settles_within_24h": None}, "does not settle within 24 hours"),
        ({"running.changes_stride_when_running": True}, "changes your stride"),
        ({"signs.limp": True}, "limping"),
        ({"pain.at_rest": 4}, "pain at rest 4/10"),
    ],
)
def test_anything_doubtful_means_rest_and_rebuild(changes: dict[str, Any], words: str) -> None:
    base = {"running.pain_during_run": 2, "running.pain_rises_during_run": False}
    choice = choose_pathway(typical(**{**base, **changes}), S)
    assert choice.pathway is PathwayId.REST_AND_REBUILD
    assert choice.start_phase == 1
    assert words in choice.reasons[0].detail


# --- the traffic light ---------------------------------------------------------------------


def day(**kw: Any) -> Checkin:
    values: dict[str, Any] = {
        "date": TODAY,
        "pain": CheckinPain(1, 0, 1),
        "this_morning_vs_usual": Morning.SAME,
        "exercises": (ExerciseLog("clamshell", 3, 15, None, 1),),
    }
    values.update(kw)
    return Checkin(**values)


@pytest.mark.parametrize(
    ("changes", "colour"),
    [
        ({}, Colour.GREEN),
        ({"exercises": (ExerciseLog("clamshell", 3, 15, None, 3),)}, Colour.AMBER),
        # one pain model: 3/10 is AMBER, 4/10 RED, for an exercise and for a run alike
        ({"exercises": (ExerciseLog("clamshell", 3, 15, None, 4),)}, Colour.RED),
        ({"run": RunLog(20, 3, settled_within_minutes=5)}, Colour.AMBER),
        ({"run": RunLog(20, 4, settled_within_minutes=5)}, Colour.RED),
        # a day's worst pain from any cause is RED only above its own [M] line (5/10)
        ({"pain": CheckinPain(2, 1, 5)}, Colour.GREEN),
        ({"run": RunLog(20, 1, settled_within_minutes=90)}, Colour.AMBER),
        ({"run": RunLog(20, 1)}, Colour.AMBER),
        ({"exercises": (ExerciseLog("clamshell", 3, 15, None, 6),)}, Colour.RED),
        ({"pain": CheckinPain(2, 1, 6)}, Colour.RED),
        ({"run": RunLog(20, 2, pain_rose_during=True, settled_within_minutes=5)}, Colour.RED),
        ({"run": RunLog(20, 2, changed_stride=True, settled_within_minutes=5)}, Colour.RED),
        ({"this_morning_vs_usual": Morning.WORSE}, Colour.RED),
        ({"signs": Signs(limp=True)}, Colour.RED),
        ({"signs": Signs(swelling=Swelling.MILD)}, Colour.RED),
        ({"signs": Signs(giving_way=True)}, Colour.RED),
        ({"exercises": ()}, None),
    ],
)
def test_the_traffic_light(changes: dict[str, Any], colour: Colour | None) -> None:
    assert colour_of(day(**changes), S) is colour


def test_red_signs_are_named() -> None:
    assert red_signs(day(signs=Signs(limp=True, giving_way=True)), S) == [
        "a limp",
        "the knee gave way",
    ]
