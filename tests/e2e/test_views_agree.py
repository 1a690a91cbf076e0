"""The product never contradicts itself: a month of days for several runners, and on every day
what Today, the check-in's answer, the plan's projection, the calendar, the web pages and the
command line say about running, rest and time agrees with the engine's decision for that day
and with the runner's stated minutes.

The runners differ in pathway, training days, time budget and how their knee responds (a
flare, a referral). Each day the runner reads Today in the morning, reports the day as their
habit says, and reads the answer; every view is checked against the same invariants:

- a run is offered exactly when the answer is not "no", and the words, the headline and the
  reasons shown all say the same thing (no "shorter run" reason under a "no", no "no" reason
  under a "yes");
- every date a reason tells ("last run on …", "the next run can be on …") is the real one;
- a day with exercises is never called a rest day, and no day is longer than the runner's
  minutes unless a reason says why;
- the projection (Plan, calendar, report) starts from the same session as Today.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from runrehab.adapters.documents import read_assessment, read_checkin
from runrehab.adapters.exports.sessions import title
from runrehab.engine.values import PathwayId
from runrehab.services.activities.load_view import load_view
from runrehab.services.journal.checkin import checkin_view
from runrehab.services.journal.programme import record_checkin, start_programme
from runrehab.services.journal.session_view import session_view
from runrehab.services.journal.today import today_view
from runrehab.services.progress.figures import coming_sessions
from runrehab.services.views import jsonable
from tests.conftest import ROOT, typical_doc
from tests.drivers import CliDriver, ServiceDriver
from tests.simulation import done_as_prescribed

Doc = dict[str, Any]
START = date(2026, 12, 7)  # a Monday
DAYS = 30
MODIFIED = json.loads((ROOT / "examples" / "runner-modified-running.json").read_text())

NO_RULES = re.compile(
    r"^(n[1-7]-|run-done-today$|modified-running-alternate-days$|"
    r"rebuild-alternate-days$|session-rest-day$|load-usual-runs-per-week$|programme-)"
)
REDUCED_OR_YES_RULES = re.compile(r"^(d[1-5]-|y-green-light$)")
ISO = r"(\d{4}-\d{2}-\d{2})"


# --- the runners ---------------------------------------------------------------------------------

Habit = Callable[[int, Doc], Doc]
"""Given the programme day (1-based) and the morning's Today view, the day's check-in."""


def faithful(_n: int, plan: Doc) -> Doc:
    return done_as_prescribed(plan)


def flares(_n: int, plan: Doc) -> Doc:
    """Mostly faithful; an amber run on day 5, a red day on day 9, a slow morning on day 12."""
    doc = done_as_prescribed(plan, run_pain=4 if _n == 5 else None)
    if _n == 9:
        doc["pain"] = {"now": 3, "at_rest": 2, "worst_24h": 6}
    if _n == 12:
        doc["this_morning_vs_usual"] = "worse"
    return doc


def gives_way(_n: int, plan: Doc) -> Doc:
    doc = done_as_prescribed(plan)
    if _n == 8:
        doc["signs"] = {"giving_way": True}
    return doc


def skips_weekends(_n: int, plan: Doc) -> Doc:
    """Reports every day, but does nothing on Saturdays and Sundays."""
    day = date.fromisoformat(plan["date"])
    if day.weekday() >= 5:
        return {
            "date": plan["date"],
            "pain": {"now": 1, "at_rest": 0, "worst_24h": 1},
            "this_morning_vs_usual": "same",
        }
    return done_as_prescribed(plan)


@dataclass(frozen=True)
class Runner:
    assessment: Doc
    habit: Habit


def _with(doc: Doc, **preferences: Any) -> Doc:
    doc = copy.deepcopy(doc)
    doc["preferences"] = preferences
    return doc


RUNNERS = {
    "rest and rebuild": Runner(typical_doc(), faithful),
    "modified running": Runner(MODIFIED, faithful),
    "three days, 30 minutes": Runner(
        _with(typical_doc(), training_days=["mon", "wed", "fri"], minutes_per_session=30),
        faithful,
    ),
    "modified, 40 minutes, flares": Runner(_with(MODIFIED, minutes_per_session=40), flares),
    "referred after giving way": Runner(typical_doc(), gives_way),
    "weekdays only, no equipment": Runner(
        _with(typical_doc(), training_days=["mon", "tue", "wed", "thu", "fri"], equipment=[]),
        skips_weekends,
    ),
}


# --- the invariants ------------------------------------------------------------------------------


def _runs_reported(checkins: list[Doc], through: date) -> list[date]:
    return sorted(
        date.fromisoformat(c["date"])
        for c in checkins
        if c.get("run") and date.fromisoformat(c["date"]) <= through
    )


def check_today(view: Doc, checkins: list[Doc], minutes: int | None) -> None:
    """What one Today view says agrees with itself and with the runner's reports."""
    day = date.fromisoformat(view["date"])
    where = f"{view['date']} (phase {view['phase']['number']})"
    session, answer = view["session"], view["run_answer"]
    has_run = session["run"] is not None
    # a run is offered exactly when the answer is not "no"
    assert (view["run_today"] != "no") == has_run, where
    no_kinds = {"done", "done_then_no", "not_a_run_day", "no"}
    assert answer["kind"] in ({"yes", "reduced"} if has_run else no_kinds), where
    if has_run:
        assert answer["kind"] == view["run_today"], where
    # the headline says what the answer says
    headline = view["headline"].lower()
    if view["disposition"] == "self_manage":
        if view["run_today"] == "no":
            assert "can run" not in headline and "shorter" not in headline, (where, headline)
        else:
            assert ("can run" if view["run_today"] == "yes" else "shorter") in headline, where
    # the reasons shown agree with the answer
    rules = [r["rule"] for r in view["reasons"]]
    if view["run_today"] == "no":
        assert not [r for r in rules if REDUCED_OR_YES_RULES.match(r)], (where, rules)
        assert [r for r in rules if NO_RULES.match(r)], (where, rules)
    else:
        assert not [r for r in rules if NO_RULES.match(r)], (where, rules)
    # a runner who has run today is told so, never "no run today"
    runs = _runs_reported(checkins, day)
    if runs and runs[-1] == day and not has_run:
        assert answer["kind"] in ("done", "done_then_no"), (where, answer)
        assert "run-done-today" in [r["rule"] for r in view["reasons"]], where
    # every date a reason tells is the real one
    for r in view["reasons"]:
        for told in re.findall(rf"(?:last run on|ran on) {ISO}", r["detail"]):
            assert runs and told == runs[-1].isoformat(), (where, r["detail"], runs[-1:])
        for told in re.findall(rf"next run can be on {ISO}", r["detail"]):
            assert date.fromisoformat(told) > day, (where, r["detail"])
    # what a day is called, and how long it is
    check_session(session, view["reasons"], minutes, where)


def check_session(session: Doc, reasons: list[Doc], minutes: int | None, where: str) -> None:
    busy = bool(session["exercises"] or session["run"] or session["cross_training"])
    if busy:  # a day with something to do is never called a rest day
        assert session["kind"] != "rest" and "rest day" not in session["day_words"], where
    if not session["training_day"]:
        assert session["kind"] == ("daily" if busy else "rest"), where
    if minutes is not None and session["estimated_minutes"] > minutes + 0.5:
        told = [r for r in reasons if r["rule"] == "session-time-budget"]
        assert told, (where, session["estimated_minutes"], minutes)


def check_projection_starts_from_today(projected: list[Doc], view: Doc) -> None:
    """Plan, the calendar and the report project from the same session as Today, in the same
    phase; on hold, every projected day says so (with the rule) and holds no run."""
    status = view["programme"]["status"]
    if status == "stopped":
        assert not projected
        return
    first = projected[0]
    assert first["date"] == view["date"]
    for key in ("exercises", "run", "cross_training", "kind"):
        assert first[key] == view["session"][key], (view["date"], key)
    assert first["phase"]["number"] == view["phase"]["number"], view["date"]
    for s in projected:
        if status == "active":
            assert "hold" not in s, s["date"]
            continue
        assert s["phase"]["number"] == view["phase"]["number"], (s["date"], view["date"])
        assert s["hold"]["status"] == status and s["hold"]["rule"], s["date"]
        assert s["run"] is None, s["date"]
        assert s["notice"].startswith(s["hold"]["text"]), s["date"]
        assert title(s).startswith("Knee programme: on hold"), title(s)


def check_load(load: Doc, view: Doc, sent: list[Doc], protocol: Any) -> None:
    """The load page says there is no running exactly when the programme gives none where it
    stands (a phase without running, a hold), and counts the cross-training the check-ins
    report (no watch files here)."""
    state = view["programme"]
    runs_in_phase = (
        protocol.running_mode(PathwayId(state["pathway"]), view["phase"]["number"]) != "none"
    )
    paused = state["status"] != "active" or not runs_in_phase
    assert (load["no_running"] is not None) == paused, (view["date"], load["no_running"])
    if paused:
        assert load["single_run_cap"]["applies"] == "once_running_resumes"
    day = date.fromisoformat(view["date"])
    monday = day - timedelta(days=day.weekday())
    reported = sum(
        c["minutes"]
        for doc in sent
        if monday <= date.fromisoformat(doc["date"]) <= day
        for c in doc.get("cross_training", [])
    )
    assert load["weeks"][-1]["cross_training_minutes"] == pytest.approx(reported), view["date"]


def check_answer(answer: Doc, after: Doc, next_morning: Doc | None) -> None:
    """The check-in's answer and Today after it come from the same decision: what holds the
    runner back shows at once, the phase moved on to is tomorrow's (the day's session, already
    given and reported, stays the day's)."""
    if answer["decision"] is None:
        return
    assert answer["programme"]["status"] == after["programme"]["status"]
    if answer["decision"]["action"] in ("advance", "climb", "continue"):
        assert after["phase"]["number"] <= answer["programme"]["phase"]["number"]
    else:
        assert answer["programme"]["phase"]["number"] == after["phase"]["number"]
    if next_morning is not None:
        assert answer["programme"]["phase"]["number"] == next_morning["phase"]["number"]
    if after["programme"]["status"] == "active":
        assert answer["decision"]["disposition"] == "self_manage"


# --- living the month through the services -------------------------------------------------------


def live(runner: Runner) -> Iterator[tuple[Doc, Doc, Doc, list[Doc]]]:
    """Each day: the morning's Today, the check-in sent, Today after it, the reports so far."""
    driver = ServiceDriver()
    doc = runner.assessment
    start_programme(driver.uow, driver.clock, driver.content, doc, read_assessment(doc), START)
    sent: list[Doc] = []
    answered: tuple[Doc, Doc] | None = None  # yesterday's answer, and Today after it
    for offset in range(DAYS):
        day = START + timedelta(days=offset)
        morning = today_view(driver.uow, driver.content, day)
        if answered is not None:
            check_answer(*answered, morning)
        projected = coming_sessions(driver.uow.repo, driver.content, _person(driver), day, 3)
        check_projection_starts_from_today(projected, morning)
        report = runner.habit(offset + 1, morning)
        sent.append(report)
        driver.clock.advance(days=1)
        done = record_checkin(
            driver.uow, driver.clock, driver.content, report, read_checkin(report)
        )
        after = today_view(driver.uow, driver.content, day)
        answered = (jsonable(checkin_view(done, driver.content)), after)
        check_answer(*answered, None)
        load = load_view(driver.uow, driver.content, day)
        check_load(load, after, sent, driver.content.protocol)
        yield morning, report, after, list(sent)


def _person(driver: ServiceDriver) -> str:
    with driver.uow:
        return driver.uow.repo.people()[0].id


@pytest.mark.parametrize("name", sorted(RUNNERS))
def test_a_month_of_today_agrees_with_itself_and_the_engine(name: str) -> None:
    runner = RUNNERS[name]
    minutes = runner.assessment.get("preferences", {}).get("minutes_per_session")
    statuses = set()
    for morning, _report, after, sent in live(runner):
        check_today(morning, sent[:-1], minutes)
        check_today(after, sent, minutes)
        statuses.add(after["programme"]["status"])
    if name == "referred after giving way":
        assert statuses == {"active", "referred"}


# --- the same through the command line and the web -----------------------------------------------


def test_the_command_line_says_what_the_services_say(tmp_path: Path) -> None:
    """A fortnight of the modified runner through the real command line: its readable Today
    names the same answer and headline as its JSON, which agrees with itself."""
    cli = CliDriver(tmp_path)
    cli.start(MODIFIED, START)
    sent: list[Doc] = []
    for offset in range(14):
        day = START + timedelta(days=offset)
        view = cli.today(day)
        check_today(view, sent, None)
        text = cli.runner.invoke(_app(), ["--db", cli.db, "today", "--date", day.isoformat()])
        assert text.exit_code == 0
        flat = " ".join(text.stdout.split())
        assert view["run_answer"]["words"] in flat, (day, flat[:300])
        report = flares(offset + 1, view)
        cli.checkin(report)
        sent.append(report)
        check_today(cli.today(day), sent, None)


def _app() -> Any:
    from runrehab.cli.main import app

    return app


# --- no view shows a day before the programme ----------------------------------------------------

# commands whose --date is not a day of the programme to show: the start's date *is* the first
# day, and a note is the runner's own words, kept for any day
NOT_A_PROGRAMME_DAY = {"start", "note"}


def _dated_commands(folder: Path) -> dict[str, list[str]]:
    """Every command of the real command line with a ``--date``, read from the app, each with
    what else it needs to run (files for ``--out``, ``--template`` for the check-in)."""
    import click
    import typer

    found: dict[str, list[str]] = {}
    for name, command in typer.main.get_command(_app()).commands.items():  # type: ignore[attr-defined]
        options = {o for p in command.params if isinstance(p, click.Option) for o in p.opts}
        if "--date" in options and name not in NOT_A_PROGRAMME_DAY:
            out = str(folder / f"{name}.html") if name == "report" else "-"
            extra = ["--out", out] if "--out" in options else []
            extra += ["what-is-runners-knee"] if name == "read" else []  # the lesson to mark
            found[name] = extra + (["--template"] if "--template" in options else [])
    return found


def test_no_dated_command_shows_a_day_before_the_programme(tmp_path: Path) -> None:
    """A day before the programme's first has no phase, no session, no week and no report: each
    dated command says so and names the first day (exit 2), or, for the load, whose runs
    predate the programme, says there is no running yet and why."""
    cli = CliDriver(tmp_path)
    cli.start(typical_doc(), START)
    before = (START - timedelta(days=40)).isoformat()
    commands = _dated_commands(tmp_path)
    assert {"today", "checkin", "summary", "report", "calendar", "load"} <= set(commands)
    for name, extra in commands.items():
        for json_flag in ([], ["--json"]):
            args = ["--db", cli.db, name, "--date", before, *extra, *json_flag]
            if json_flag and name in ("report", "calendar", "checkin"):
                continue
            result = cli.runner.invoke(_app(), args)
            flat = " ".join(result.output.split())
            assert "day -" not in flat and "phase 1" not in flat.lower(), (name, flat[:200])
            if name == "load":
                assert result.exit_code == 0, (name, flat)
                assert "Mon 7 Dec 2026" in flat and "nothing is planned before then" in flat
                continue
            assert result.exit_code == 2, (name, result.exit_code, flat[:200])
            assert "before your programme started (Mon 7 Dec 2026)" in flat, (name, flat)
    assert not (tmp_path / "report.html").exists()  # nothing half-written


# --- one planner: the stateless plan is what Today prescribes ------------------------------------


@pytest.mark.parametrize("name", ["rest and rebuild", "modified running", "three days, 30 minutes"])
def test_the_plan_is_what_today_prescribes_to_a_runner_who_follows_it(name: str) -> None:
    """`runrehab plan` (the projection from an assessment) and Today are one planner: a runner
    who does each day exactly what Today says, without pain, is prescribed every day what the
    plan showed for that day, the phase-5 rebuild included."""
    from runrehab.engine.pathway import choose_pathway
    from runrehab.engine.projection import project

    runner = RUNNERS[name]
    driver = ServiceDriver()
    doc = runner.assessment
    assessment = read_assessment(doc)
    protocol = driver.content.protocol
    weeks = 10
    planned = project(
        assessment,
        choose_pathway(assessment, protocol.settings),
        protocol,
        START,
        weeks,
        driver.content.load,
    ).days
    start_programme(driver.uow, driver.clock, driver.content, doc, assessment, START)
    for session in planned:
        day = session.date
        # the morning's check-in first (Today offers a shorter run until then), then the day
        morning = {
            "date": day.isoformat(),
            "pain": {"now": 0, "at_rest": 0, "worst_24h": 0},
            "this_morning_vs_usual": "same",
        }
        record_checkin(driver.uow, driver.clock, driver.content, morning, read_checkin(morning))
        view = today_view(driver.uow, driver.content, day)
        checked = done_as_prescribed(view)
        shown = {k: view["session"][k] for k in ("exercises", "run", "cross_training")}
        expected = {k: session_view(session)[k] for k in ("exercises", "run", "cross_training")}
        assert (view["phase"]["number"], shown) == (session.phase, expected), day
        driver.clock.advance(days=1)
        record_checkin(driver.uow, driver.clock, driver.content, checked, read_checkin(checked))
    assert planned[-1].phase == 5  # the rebuild was compared too
