"""Runners who do exactly what ``today`` says, cross-training and readiness tests included, and
report it in the check-in ``today`` gives them to fill in, reach the walk/run phase and the
maintain phase on the earliest days the protocol allows, whatever their days, minutes or
equipment; and every day fits their minutes, or says which part cannot be cut.

Through the services, and through the real command line on SQLite and on PostgreSQL. The
earliest days are worked out here from the protocol's own numbers (the timeline, the minimum
days, the readiness tests, two GREEN runs a rung at least 40 hours apart on the runner's
training days), never from the planner."""

from __future__ import annotations

import itertools
import json
import math
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from runrehab.cli.main import app
from runrehab.content import loader
from runrehab.engine.protocol import ExerciseTest, MinDays, WalkTest
from runrehab.engine.values import PathwayId
from tests.conftest import typical_doc
from tests.drivers import CliDriver
from tests.e2e.conftest import EVERY_DRIVER
from tests.simulation import Day, Driver, Simulation, as_today_says

START = date(2026, 12, 7)  # a Monday
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PROFILES: dict[str, dict[str, Any]] = {
    "every-day-with-kit": {
        "preferences.equipment": ["resistance_band", "bike", "pool", "foam_roller"],
    },
    "30-minutes": {"preferences.minutes_per_session": 30},
    "mon-wed-fri": {"preferences.training_days": ["mon", "wed", "fri"]},
    "no-equipment": {"preferences.equipment": []},
}


# --- the earliest days, from the protocol alone -----------------------------------------------


def _min_days(phase: int) -> int:
    gates = loader.protocol().phase(phase).gates
    return max((g.days for g in gates if isinstance(g, MinDays)), default=1)


def _trains(d: date, days: list[str] | None) -> bool:
    return not days or WEEKDAYS[d.weekday()] in days


def _nth_training_day(since: date, n: int, days: list[str] | None) -> date:
    d, seen = since, 0
    while True:
        if _trains(d, days):
            seen += 1
            if seen == n:
                return d
        d += timedelta(days=1)


def earliest_entries(days: list[str] | None) -> dict[int, date]:
    """The first day of each phase for a runner whose every day is GREEN and who does each
    session and test on the first training day that can hold it."""
    protocol = loader.protocol()
    not_before = protocol.pathway(PathwayId.REST_AND_REBUILD).not_before_day
    entries = {1: START}

    def programme_day(n: int) -> date:
        return START + timedelta(days=n - 1)

    def after(phase: int, ready: date) -> date:
        """The day after the last of: the phase's minimum days, the day it was ready."""
        served = entries[phase] + timedelta(days=_min_days(phase) - 1)
        return max(served, ready) + timedelta(days=1)

    # phase 1: calm days are reported every day, so only its minimum and the timeline count
    entries[2] = max(after(1, START), programme_day(not_before[2]))
    # phase 2: two full sessions in a row, on training days
    sessions = _nth_training_day(entries[2], 2, days)
    entries[3] = max(after(2, sessions), programme_day(not_before[3]))
    # phase 3: the loaded exercise tests and the walk (on a day without loaded work): at most
    # two training days; the exercise tests need one, the walk another
    tests = [g for g in protocol.phase(3).gates if isinstance(g, ExerciseTest | WalkTest)]
    assert {type(g) for g in tests} == {ExerciseTest, WalkTest}
    tested = _nth_training_day(entries[3], 2, days)
    entries[4] = max(after(3, tested), programme_day(not_before[4]))
    # phase 4: two GREEN runs at each rung, runs at least 40 hours apart, on training days
    s = protocol.settings
    runs_needed = s.sessions_to_climb_rung * len(protocol.rungs)
    gap = timedelta(days=math.ceil(s.hours_between_runs_in_return_phase / 24))
    # ...and no seven days with more runs than the usual week (3 for the typical runner)
    usual = typical_doc()["running"]["runs_per_week_before_pain"]
    runs: list[date] = []
    d = entries[4]
    while len(runs) < runs_needed:
        week = [r for r in runs if d - timedelta(days=6) <= r < d]
        if _trains(d, days) and (not runs or d - runs[-1] >= gap) and len(week) < usual:
            runs.append(d)
        d += timedelta(days=1)
    entries[5] = runs[-1] + timedelta(days=1)
    return entries


def test_the_earliest_days_worked_out_from_the_protocol() -> None:
    every_day = {p: (d - START).days + 1 for p, d in earliest_entries(None).items()}
    # fourteen runs (two a rung) from day 22, every other day but never more than the
    # usual 3 in seven days: on Mon/Wed/Fri the same
    assert every_day == {1: 1, 2: 6, 3: 15, 4: 22, 5: 53}
    three_days = earliest_entries(["mon", "wed", "fri"])
    assert (three_days[5] - START).days + 1 == 53


# --- the runners ------------------------------------------------------------------------------


def _live_until_phase_5(driver: Driver, changes: dict[str, Any], limit: int) -> Simulation:
    answer = driver.start(typical_doc(**changes), START)
    assert answer["disposition"] == "self_manage"
    sim = Simulation(driver, START)
    habit = as_today_says(pain=0)
    while len(sim.days) < limit:
        sim.live(1, habit)
        if sim.days[-1].plan["phase"]["number"] == 5:
            break
    return sim


def _fits_or_says_why(d: Day, minutes: int | None) -> None:
    session = d.plan["session"]
    if minutes is None or session["estimated_minutes"] <= minutes:
        return
    why = [
        r["detail"]
        for r in d.plan["reasons"]
        if r["rule"] == "session-time-budget-tight" and "cannot be left out" in r["detail"]
    ]
    assert why, (d.date, session["estimated_minutes"], d.plan["reasons"])
    assert f"more than your {minutes}" in why[0]
    assert any(part in why[0] for part in ("run", "readiness test", "check asks for", "warm-up")), (
        why[0]
    )


@pytest.mark.parametrize(
    ("profile", "driver"),
    [(profile, kind) for profile in PROFILES for kind in EVERY_DRIVER[:2]]
    + [("every-day-with-kit", "cli-postgres")],  # every session kind, on PostgreSQL too
    indirect=["driver"],
)
def test_a_runner_who_does_what_today_says_moves_on_at_the_earliest_days(
    driver: Driver, profile: str
) -> None:
    changes = PROFILES[profile]
    days = changes.get("preferences.training_days")
    minutes = changes.get("preferences.minutes_per_session")
    expected = earliest_entries(days)
    sim = _live_until_phase_5(driver, changes, (expected[5] - START).days + 1)
    entries = sim.phase_entries()
    assert entries == expected, {p: (d - START).days + 1 for p, d in entries.items()}
    for d in sim.days:
        _fits_or_says_why(d, minutes)
        session = d.plan["session"]
        if session["cross_training"] is not None:
            assert d.report is not None and d.report["cross_training"], d.date  # reported too
    # every readiness test was given, as one, in phase 3, and reported with its pain
    phase_3 = [d for d in sim.days if d.plan["phase"]["number"] == 3]
    given = {
        e["readiness_test"]
        for d in phase_3
        for e in [*d.plan["session"]["exercises"], d.plan["session"]["cross_training"] or {}]
        if "readiness_test" in e
    }
    assert given == {"p3-step-downs", "p3-brisk-walk", "p3-single-leg-squats"}
    walk_days = [
        d for d in phase_3 if (d.plan["session"]["cross_training"] or {}).get("readiness_test")
    ]
    for d in walk_days:  # on a day without loaded work, never shortened
        assert not any(e["loaded"] for e in d.plan["session"]["exercises"])
        assert d.plan["session"]["cross_training"]["minutes"] == 30
    # loaded work never on two days in a row
    loaded = [d.date for d in sim.days if any(e["loaded"] for e in d.plan["session"]["exercises"])]
    assert all((b - a).days >= 2 for a, b in itertools.pairwise(loaded))


def test_today_lists_the_readiness_checks_and_the_cli_gives_the_check_in_to_fill_in(
    tmp_path: Path,
) -> None:
    cli = CliDriver(tmp_path)
    _live_until_phase_5(cli, {}, 14)  # phase 2 to its last day
    day_15 = START + timedelta(days=14)
    view = cli.today(day_15)
    assert view["phase"]["number"] == 3
    checks = {c["id"]: c for c in view["readiness_checks"]}
    assert set(checks) == {"p3-step-downs", "p3-brisk-walk", "p3-single-leg-squats"}
    step_downs = checks["p3-step-downs"]
    assert step_downs["status"] == "not_yet" and step_downs["today"]
    assert step_downs["report"] == {
        "exercises": [{"id": "step-down", "sets": 3, "reps": 10, "max_pain": None}]
    }
    assert step_downs["how"][-1].startswith("Do 3 sets of 10 each side")
    walk = checks["p3-brisk-walk"]
    assert not walk["today"] and "without loaded" in walk["when"]
    asked = [a for a in view["asks"] if a["kind"] == "readiness_check"]
    assert {a["gate"] for a in asked} == set(checks)
    # the check-in to fill in: the command prints what today's JSON holds
    template = cli.call("checkin", "--template", "--date", day_15.isoformat())
    assert template == view["checkin_template"]
    logged = {e["id"]: e for e in template["exercises"]}
    assert logged["step-down"]["sets"] >= 3 and logged["step-down"]["max_pain"] is None
    # sent with its blanks, it is refused and names the blank
    refused = cli.runner.invoke(
        app,
        ["--db", cli.db, "checkin", "-"],
        input=json.dumps(template),
    )
    assert refused.exit_code == 2 and "$.pain.now" in refused.output
    # the readable answer shows the checks, how to do them and how to report them
    readable = cli.runner.invoke(
        app,
        ["--db", cli.db, "today", "--date", day_15.isoformat()],
    )
    assert readable.exit_code == 0
    text = readable.output
    assert "Readiness checks before running" in text and "(readiness test)" in text
    assert "How to report it" in text and "checkin --template" in text
    # a painful try shows as failed, with its day and why
    painful = json.loads(json.dumps(template))
    for e in painful["exercises"]:
        e["max_pain"] = 3 if e["id"] == "step-down" else 0  # AMBER: fails the test, no step back
    painful["pain"] = {"now": 1, "at_rest": 0, "worst_24h": 2}
    painful["this_morning_vs_usual"] = "same"
    painful["signs"] = {"swelling": "none", "limp": False, "giving_way": False}
    cli.checkin(painful)
    after = {c["id"]: c for c in cli.today(day_15)["readiness_checks"]}
    assert after["p3-step-downs"]["status"] == "failed"
    assert after["p3-step-downs"]["day"] == day_15.isoformat()
    assert "on Mon 21 Dec: at pain 3/10" in after["p3-step-downs"]["detail"]
    assert after["p3-single-leg-squats"]["status"] == "met"
