"""Simulated runners: a driver that lives the programme day by day, and the runners' habits.

The same scenarios run against the services with in-memory fakes (fast) and through the real
command line on SQLite (``tests/e2e/test_simulated_runners.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Protocol

from runrehab.services.journal.session_view import running_minutes

Doc = dict[str, Any]


class Driver(Protocol):
    def start(self, assessment: Doc, day: date) -> Doc: ...
    def checkin(self, document: Doc) -> Doc: ...
    def today(self, day: date) -> Doc: ...
    def questionnaire(self, instrument: str, day: date, answers: Doc) -> Doc: ...


@dataclass
class Day:
    """What happened on one simulated day: the plan, and the check-in sent."""

    date: date
    plan: Doc
    report: Doc | None


def done_as_prescribed(plan: Doc, pain: int = 0, run_pain: int | None = None) -> Doc:
    """The check-in of a runner who did exactly today's session."""
    session = plan["session"]
    exercises = [
        {
            "id": e["id"],
            "sets": e["sets"],
            **({"reps": e["reps"]} if "reps" in e else {}),
            **({"hold_seconds": e["hold_seconds"]} if "hold_seconds" in e else {}),
            "max_pain": pain,
        }
        for e in session["exercises"]
    ]
    doc: Doc = {
        "date": plan["date"],
        "pain": {"now": pain, "at_rest": 0, "worst_24h": pain},
        "this_morning_vs_usual": "same",
        "exercises": exercises,
    }
    cross = session.get("cross_training")
    if cross is not None:
        kind = cross["id"].replace("-", "_")
        known = {"walking", "cycling", "swimming", "water_running", "elliptical"}
        minutes = cross.get("minutes") or 30
        doc["cross_training"] = [
            {"kind": kind if kind in known else "other", "minutes": minutes, "max_pain": pain}
        ]
    run = session.get("run")
    if run is not None and plan["run_today"] != "no":
        doc["run"] = {
            "minutes": running_minutes(run),
            "max_pain": pain if run_pain is None else run_pain,
            "settled_within_minutes": 0,
        }
    return doc


Habit = Callable[[int, Doc], Doc | None]
"""Given the programme day (1-based) and today's plan, the check-in to send (None: skip)."""


def faithful(pain: int = 0) -> Habit:
    return lambda _n, plan: done_as_prescribed(plan, pain)


def filled_in(template: Doc, pain: int = 0) -> Doc:
    """The day's check-in to fill in (``today``'s ``checkin_template``: the session as
    planned, readiness tests included), filled in by a runner whose knee felt ``pain`` at
    most, the same as usual in the morning, without any sign."""
    answers: dict[str, Any] = {
        "now": pain,
        "at_rest": 0,
        "worst_24h": pain,
        "max_pain": pain,
        "settled_within_minutes": 0,
        "this_morning_vs_usual": "same",
        "swelling": "none",
    }

    def fill(value: Any) -> Any:
        if isinstance(value, dict):
            return {
                k: fill(v) if v is not None else answers.get(k, False) for k, v in value.items()
            }
        if isinstance(value, list):
            return [fill(v) for v in value]
        return value

    filled: Doc = fill(template)
    return filled


def as_today_says(pain: int = 0) -> Habit:
    """A runner who does exactly what ``today`` says, cross-training and readiness tests
    included, and reports it in the check-in ``today`` gives to fill in."""
    return lambda _n, plan: filled_in(plan["checkin_template"], pain)


@dataclass
class Simulation:
    driver: Driver
    start: date
    days: list[Day] = field(default_factory=list)

    def live(self, n_days: int, habit: Habit) -> list[Day]:
        lived = []
        for offset in range(len(self.days), len(self.days) + n_days):
            day = self.start + timedelta(days=offset)
            plan = self.driver.today(day)
            report = habit(offset + 1, plan)
            if report is not None:
                self.driver.checkin(report)
            lived.append(Day(day, plan, report))
        self.days.extend(lived)
        return lived

    def phase_entries(self) -> dict[int, date]:
        """The first day each phase was planned."""
        entries: dict[int, date] = {}
        for d in self.days:
            entries.setdefault(d.plan["phase"]["number"], d.date)
        return entries

    def run_days(self) -> list[date]:
        return [d.date for d in self.days if d.report is not None and "run" in d.report]
