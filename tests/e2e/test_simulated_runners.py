"""Simulated runners living the programme day by day, through the services and through the
command line on a real SQLite journal. Each asserts what a physiotherapist would check."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest

from runrehab.content import loader
from runrehab.engine.values import PathwayId
from tests.conftest import typical_doc
from tests.e2e.conftest import EVERY_DRIVER
from tests.simulation import Doc, Driver, Simulation, done_as_prescribed, faithful

START = date(2026, 12, 7)


def started(driver: Driver, **changes: object) -> Simulation:
    answer = driver.start(typical_doc(**changes), START)
    assert answer["disposition"] == "self_manage"
    return Simulation(driver, START)


@pytest.mark.parametrize("driver", EVERY_DRIVER, indirect=True)
def test_a_good_recovery_climbs_the_phases_no_faster_than_the_gates_allow(driver: Driver) -> None:
    sim = started(driver)
    sim.live(70, faithful(pain=0))
    entries = sim.phase_entries()
    assert sorted(entries) == [1, 2, 3, 4, 5], entries
    protocol = loader.protocol()
    timeline = protocol.pathway(PathwayId.REST_AND_REBUILD).not_before_day
    for phase, first_day in entries.items():
        programme_day = (first_day - START).days + 1
        assert programme_day >= timeline.get(phase, 1), (phase, programme_day)
    # every phase lasts at least its minimum (phase 1: 3 days; phases 2 and 3: 7 days)
    assert (entries[2] - entries[1]).days >= 3
    assert (entries[3] - entries[2]).days >= 7
    assert (entries[4] - entries[3]).days >= 7
    # no run before the walk/run phase, and every rung climbed after two runs at it
    assert all(d >= entries[4] for d in sim.run_days())
    rungs = [d.plan["programme"]["rung"] for d in sim.days if d.plan["phase"]["number"] == 4]
    for rung in set(rungs):
        runs_at = [
            d
            for d in sim.days
            if d.plan["programme"]["rung"] == rung and d.report and "run" in d.report
        ]
        assert len(runs_at) >= 2, rung


def test_return_to_run_never_puts_runs_on_consecutive_days(driver: Driver) -> None:
    sim = started(driver)
    sim.live(60, faithful(pain=0))
    in_phase_4 = {d.date for d in sim.days if d.plan["phase"]["number"] == 4}
    planned = [
        d.date for d in sim.days if d.plan["session"]["run"] is not None and d.date in in_phase_4
    ]
    assert len(planned) >= 6
    for a, b in itertools.pairwise(planned):
        assert (b - a).days >= 2, (a, b)


def test_a_run_on_a_rest_day_moves_the_next_run_back_a_day(driver: Driver) -> None:
    sim = started(driver)
    for _ in range(60):  # live faithfully until a walk/run rest day in phase 4
        day = sim.start + timedelta(days=len(sim.days))
        plan = driver.today(day)
        if plan["phase"]["number"] == 4 and plan["session"]["run"] is None and sim.run_days():
            break
        sim.live(1, faithful(pain=0))
    else:
        pytest.fail("no rest day in the walk/run phase within 60 days")
    # the runner runs anyway, without pain: the next day must still be a day off running
    own = done_as_prescribed(plan)
    own["run"] = {"minutes": 20, "max_pain": 0, "settled_within_minutes": 0}
    driver.checkin(own)
    nxt = driver.today(day + timedelta(days=1))
    assert nxt["run_today"] == "no"
    assert nxt["session"]["run"] is None
    assert "n6-every-other-day" in {r["rule"] for r in nxt["reasons"]}


def test_a_painful_worsening_run_means_no_run_next_day_and_a_step_back(driver: Driver) -> None:
    sim = started(driver)
    # live faithfully until a walk/run at rung 2 or above is planned
    for _ in range(70):
        day = sim.start + timedelta(days=len(sim.days))
        plan = driver.today(day)
        rung = plan["programme"]["rung"] or 0
        if plan["phase"]["number"] == 4 and plan["session"]["run"] is not None and rung >= 2:
            break
        sim.live(1, faithful(pain=0))
    else:
        pytest.fail("no run at rung 2 or above was planned")
    before = (plan["phase"]["number"], plan["programme"]["rung"])
    bad = done_as_prescribed(plan, pain=2, run_pain=6)
    bad["run"]["pain_rose_during"] = True
    bad["run"]["settled_within_minutes"] = 24 * 60
    bad["this_morning_vs_usual"] = "same"
    driver.checkin(bad)
    nxt = driver.today(day + timedelta(days=1))
    assert nxt["run_today"] == "no"
    assert nxt["session"]["run"] is None
    after = (nxt["phase"]["number"], nxt["programme"]["rung"] or 0)
    assert after < before, (before, after)
    rules = {r["rule"] for r in nxt["reasons"]}
    assert rules & {"n3-last-run-red", "n7-hold-after-red-day", "n4-not-settled-next-morning"}, (
        rules
    )


def test_a_red_flag_mid_programme_stops_it_with_the_right_advice(driver: Driver) -> None:
    sim = started(driver)
    sim.live(10, faithful(pain=1))
    day = START + timedelta(days=10)
    plan = driver.today(day)
    report: Doc = {
        **done_as_prescribed(plan, pain=5),
        "signs": {"swelling": "marked", "hot": True, "fever_or_unwell": True},
    }
    driver.checkin(report)
    for later in (day, day + timedelta(days=1), day + timedelta(days=5)):
        stopped = driver.today(later)
        assert stopped["disposition"] == "emergency"
        assert stopped["run_today"] == "no"
        assert stopped["session"]["exercises"] == []
        rules = [r["rule"] for r in stopped["reasons"]]
        assert rules[0].startswith("e"), rules  # the emergency rule comes first
        assert "emergency" in stopped["headline"].lower()


STUCK_KUJALA = {
    "limp": "no",
    "support": "yes_without_pain",
    "walking": "as_far_as_i_like",
    "stairs": "pain_down_and_up",
    "squatting": "hurts_every_time",
    "running": "slight_pain_from_start",
    "jumping": "hurts_every_time",
    "sitting": "always_hurts",
    "pain": "severe_at_times",
    "swelling": "after_hard_effort",
    "kneecap_movements": "no",
    "thigh_wasting": "no",
    "bending": "yes",
}


def test_a_runner_without_improvement_for_six_weeks_is_sent_to_a_clinician(
    driver: Driver,
) -> None:
    sim = started(driver)
    first = driver.questionnaire("kujala", START, STUCK_KUJALA)
    driver.questionnaire("weekly_pain", START, {"usual": 3, "worst": 5})
    sim.live(42, faithful(pain=1))
    assert all(d.plan["disposition"] == "self_manage" for d in sim.days)
    week_6 = START + timedelta(days=42)
    later = driver.questionnaire("kujala", week_6, {**STUCK_KUJALA, "jumping": "slightly_hard"})
    assert 0 < later["score"] - first["score"] < 10  # better, but less than the 10-point MIC
    driver.questionnaire("weekly_pain", week_6, {"usual": 3, "worst": 5})
    plan = driver.today(week_6 + timedelta(days=1))
    assert plan["disposition"] == "see_clinician"
    assert plan["run_today"] == "no"
    assert plan["reasons"][0]["rule"] == "r7-no-improvement-6-weeks"
    assert "Kujala" in plan["reasons"][0]["detail"]


def test_a_runner_who_improves_meaningfully_is_not_referred_at_six_weeks(driver: Driver) -> None:
    sim = started(driver)
    driver.questionnaire("kujala", START, STUCK_KUJALA)
    driver.questionnaire("weekly_pain", START, {"usual": 3, "worst": 5})
    sim.live(42, faithful(pain=1))
    week_6 = START + timedelta(days=42)
    better = {
        **STUCK_KUJALA,
        "stairs": "no_trouble",
        "running": "no_trouble",
        "pain": "slight_now_and_then",
    }
    driver.questionnaire("kujala", week_6, better)
    driver.questionnaire("weekly_pain", week_6, {"usual": 1, "worst": 2})
    assert driver.today(week_6 + timedelta(days=1))["disposition"] == "self_manage"
