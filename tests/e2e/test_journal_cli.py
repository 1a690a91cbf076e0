"""The stateful command line on real databases: refusals write nothing, exports restore
exactly, and a check-in killed at any moment never leaves half a report behind."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from runrehab.cli.main import app
from tests.conftest import typical_doc
from tests.drivers import CliDriver
from tests.e2e.conftest import LATER
from tests.simulation import Simulation, done_as_prescribed, faithful

START = date(2026, 12, 7)
TABLES = (
    "people",
    "assessments",
    "programmes",
    "decisions",
    "checkins",
    "exercise_logs",
    "runs",
    "cross_training",
    "questionnaire_responses",
    "notes",
    "lessons_read",
)


def counts(db: str) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {t: conn.execute(f"select count(*) from {t}").fetchone()[0] for t in TABLES}


@pytest.fixture
def cli(tmp_path: Path) -> CliDriver:
    driver = CliDriver(tmp_path)
    driver.start(typical_doc(), START)
    return driver


def good_checkin(day: date = START, **changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "date": day.isoformat(),
        "pain": {"now": 1, "at_rest": 0, "worst_24h": 2},
        "this_morning_vs_usual": "same",
        "exercises": [{"id": "quad-set", "sets": 3, "reps": 10, "max_pain": 1}],
    }
    doc.update(changes)
    return doc


INVALID = [
    ("$.pain.now", {"pain": {"now": 11, "at_rest": 0, "worst_24h": 2}}),
    ("$.pain.worst_24h", {"pain": {"now": 1, "at_rest": 0}}),
    ("$.date", {"date": "2026-02-30"}),
    ("$.date", {"date": "2026-11-01"}),  # before the programme started
    ("$.this_morning_vs_usual", {"this_morning_vs_usual": "awful"}),
    ("$.signs.swelling", {"signs": {"swelling": "huge"}}),
    ("$.signs.hot", {"signs": {"hot": "yes"}}),
    ("$.exercises[0].sets", {"exercises": [{"id": "quad-set", "sets": -1}]}),
    ("$.exercises[0].id", {"exercises": [{"id": "moonwalk", "sets": 3}]}),
    ("$.run.minutes", {"run": {"minutes": 0, "max_pain": 1}}),
    ("$.run.max_pain", {"run": {"minutes": 20}}),
    ("$.cross_training[0].kind", {"cross_training": [{"kind": "rowing", "minutes": 20}]}),
    ("$.colour", {"colour": "green"}),
]


@pytest.mark.parametrize(("path", "change"), INVALID, ids=[p for p, _ in INVALID])
def test_an_invalid_checkin_is_refused_naming_the_field_and_writes_nothing(
    cli: CliDriver, path: str, change: dict[str, Any]
) -> None:
    cli.checkin(good_checkin())  # something already there, so "nothing" is measured against it
    before = counts(cli.db)
    doc = good_checkin(START + timedelta(days=1))
    doc.update(change)
    result = cli.runner.invoke(
        app,
        ["--db", cli.db, "checkin", "-", "--json"],
        input=json.dumps(doc),
    )
    assert result.exit_code == 2, result.output
    assert path in result.stderr
    assert result.stdout == ""
    assert counts(cli.db) == before


def test_a_checkin_for_a_day_after_today_is_refused_as_the_web_refuses_it(
    cli: CliDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command line's today is the computer's own day: a check-in for a later day is
    refused (exit 2) in the words the web page and the API use, and nothing is written."""
    from runrehab import bootstrap

    today = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)
    monkeypatch.setattr(bootstrap.SystemClock, "now", lambda _self: today)
    cli.checkin(good_checkin())
    before = counts(cli.db)
    tomorrow = json.dumps(good_checkin(START + timedelta(days=2)))
    result = cli.runner.invoke(app, ["--db", cli.db, "checkin", "-", "--json"], input=tomorrow)
    assert result.exit_code == 2, result.output
    assert "$.date: Wed 9 Dec 2026 has not happened yet: today is Tue 8 Dec 2026." in result.stderr
    assert result.stdout == ""
    assert counts(cli.db) == before
    assert cli.checkin(good_checkin(START + timedelta(days=1)))["recorded"] is True  # today is


def test_text_that_is_not_json_is_refused_and_writes_nothing(cli: CliDriver) -> None:
    before = counts(cli.db)
    cli.call("checkin", "-", stdin="{not json", code=2)
    assert counts(cli.db) == before


def test_a_second_checkin_for_a_day_replaces_the_first(cli: CliDriver) -> None:
    cli.checkin(good_checkin())
    second = cli.checkin(good_checkin(pain={"now": 3, "at_rest": 1, "worst_24h": 4}))
    assert second["replaced"] is True
    assert second["revision"] == 2
    assert counts(cli.db)["checkins"] == 1
    assert counts(cli.db)["exercise_logs"] == 1
    history = cli.call("history", "--json")
    assert history["checkins"][0]["checkin"]["pain"]["worst_24h"] == 4


def test_stateful_commands_need_a_database(tmp_path: Path) -> None:
    driver = CliDriver(tmp_path)
    result = driver.runner.invoke(
        app,
        ["today", "--date", "2026-12-01", "--json"],
        env={"RUNREHAB_DB": ""},
    )
    assert result.exit_code == 1
    assert "--db" in result.stderr


def test_today_before_any_start_says_to_start(tmp_path: Path) -> None:
    driver = CliDriver(tmp_path)
    result = driver.runner.invoke(
        app,
        ["--db", driver.db, "today", "--date", "2026-12-01", "--json"],
    )
    assert result.exit_code == 2
    assert "runrehab start" in result.stderr


@pytest.fixture(params=["sqlite", "postgres"])
def any_cli(request: pytest.FixtureRequest, tmp_path: Path) -> CliDriver:
    driver = CliDriver(tmp_path, request.getfixturevalue(f"migrated_{request.param}_url"))
    driver.start(typical_doc(), START)
    return driver


def test_export_then_import_gives_identical_history_and_today(
    any_cli: CliDriver, tmp_path: Path
) -> None:
    cli = any_cli
    sim = Simulation(cli, START)
    sim.live(12, faithful(pain=1))
    flare = done_as_prescribed(cli.today(START + timedelta(days=12)), pain=4)
    flare["this_morning_vs_usual"] = "worse"
    cli.checkin(flare)
    cli.checkin(
        good_checkin(START + timedelta(days=3), pain={"now": 2, "at_rest": 0, "worst_24h": 3})
    )
    cli.call("note", "Physio appointment booked", "--date", START.isoformat(), "--json")
    cli.call("read", "pain-and-load", "--date", (START + timedelta(days=2)).isoformat(), "--json")
    exported = cli.call("export", "--json")
    assert exported["notes"][0]["text"] == "Physio appointment booked"
    assert [(r["lesson"], r["date"]) for r in exported["lessons_read"]] == [
        ("pain-and-load", (START + timedelta(days=2)).isoformat())
    ]
    backup = tmp_path / "backup.json"
    backup.write_text(json.dumps(exported))

    fresh = CliDriver(tmp_path / "fresh")
    (tmp_path / "fresh").mkdir()
    fresh.call("import", str(backup), "--json")
    assert fresh.call("history", "--json") == cli.call("history", "--json")
    for offset in (0, 5, 12, 13, 20, 40):
        day = START + timedelta(days=offset)
        assert fresh.today(day) == cli.today(day), day
    again = fresh.call("export", "--json")
    exported.pop("exported_at")
    again.pop("exported_at")
    assert again == exported


def test_importing_into_a_database_that_holds_the_person_is_refused(
    cli: CliDriver, tmp_path: Path
) -> None:
    backup = tmp_path / "backup.json"
    backup.write_text(json.dumps(cli.call("export", "--json")))
    before = counts(cli.db)
    cli.call("import", str(backup), code=2)
    assert counts(cli.db) == before


def test_a_damaged_export_is_refused_naming_the_place(cli: CliDriver, tmp_path: Path) -> None:
    cli.checkin(good_checkin())
    exported = cli.call("export", "--json")
    exported["checkins"][0]["document"]["pain"]["now"] = 42
    backup = tmp_path / "backup.json"
    backup.write_text(json.dumps(exported))
    fresh = CliDriver(tmp_path / "fresh")
    (tmp_path / "fresh").mkdir()
    result = fresh.runner.invoke(
        app,
        ["--db", fresh.db, "import", str(backup)],
    )
    assert result.exit_code == 2
    assert "$.checkins[0].document.pain.now" in result.stderr
    assert counts(fresh.db)["people"] == 0


def test_delete_me_removes_every_row(cli: CliDriver) -> None:
    cli.checkin(good_checkin())
    cli.call("read", "time-course", "--date", START.isoformat(), "--json")
    assert counts(cli.db)["checkins"] == 1
    assert counts(cli.db)["lessons_read"] == 1
    cli.call("delete-me", "--yes", "--json")
    assert all(n == 0 for n in counts(cli.db).values())


def test_a_lesson_marked_read_leaves_today_s_list_and_counts(cli: CliDriver) -> None:
    day2 = (START + timedelta(days=1)).isoformat()
    listed = [r["id"] for r in cli.today(START + timedelta(days=1))["session"]["reading"]]
    assert listed == ["what-is-runners-knee", "pain-and-load"]

    first = cli.call("read", "what-is-runners-knee", "--date", day2, "--json")
    again = cli.call("read", "what-is-runners-knee", "--date", START.isoformat(), "--json")

    assert (first["already_read"], first["date"]) == (False, day2)
    assert (again["already_read"], again["date"]) == (True, day2)  # the first day stands
    assert counts(cli.db)["lessons_read"] == 1
    today = cli.today(START + timedelta(days=1))
    assert [(r["id"], r["read"]) for r in today["session"]["reading"]] == [
        ("what-is-runners-knee", True),
        ("pain-and-load", False),
    ]
    assert today["education"] == {
        "read": 1,
        "of": 4,
        "text": "Education: 1 of 4 read",
        "today": {"done": 1, "planned": 2},
    }
    later = cli.today(START + timedelta(days=2))
    assert [r["id"] for r in later["session"]["reading"]] == ["pain-and-load", "time-course"]


def test_the_today_and_read_commands_in_words(cli: CliDriver) -> None:
    words = cli.runner.invoke(app, ["--db", cli.db, "today", "--date", START.isoformat()])
    flat = " ".join(words.output.split())
    assert "Read: What is runner's knee? · 4 min" in flat
    assert "runrehab read what-is-runners-knee" in flat
    said = cli.runner.invoke(
        app, ["--db", cli.db, "read", "what-is-runners-knee", "--date", START.isoformat()]
    )
    assert said.exit_code == 0
    assert "What is runner's knee?: read on" in said.output
    assert "Education: 1 of 4 read" in said.output
    words = cli.runner.invoke(app, ["--db", cli.db, "today", "--date", START.isoformat()])
    assert "Read ✓" in words.output


def test_an_unknown_lesson_is_refused_naming_it(cli: CliDriver) -> None:
    result = cli.runner.invoke(
        app, ["--db", cli.db, "read", "moon-walking", "--date", "2026-12-08"]
    )
    assert result.exit_code == 2
    assert "there is no lesson 'moon-walking'" in result.stderr
    assert "what-is-runners-knee" in result.stderr  # and which there are
    assert "Traceback" not in result.output
    assert counts(cli.db)["lessons_read"] == 0


def test_today_as_json_loads_only_what_it_needs(cli: CliDriver) -> None:
    """Rich (for people), argon2, mail and Alembic (an up-to-date journal) cost a script's
    ``today --json`` time for nothing: none is imported."""
    script = (
        "import sys\n"
        "from runrehab.main import run\n"
        f"sys.argv = ['runrehab', '--db', {cli.db!r}, 'today', '--date', '2026-12-08', '--json']\n"
        "try:\n"
        "    run()\n"
        "except SystemExit as done:\n"
        "    assert not done.code, done.code\n"
        "loaded = {'rich', 'argon2', 'smtplib', 'alembic'} & set(sys.modules)\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["date"] == "2026-12-08"


# --- killed mid-check-in ----------------------------------------------------------------------


CLOCKED_RUNREHAB = (
    "import datetime, runpy\n"
    "import runrehab.bootstrap as b\n"
    f"later = datetime.datetime.fromisoformat({LATER.isoformat()!r})\n"
    "b.SystemClock.now = lambda _self: later\n"
    "runpy.run_module('runrehab', run_name='__main__')\n"
)


def _runrehab() -> list[str]:
    """``python -m runrehab`` on the clock of ``conftest.LATER``: the runner's today after every
    day this test reports (the command line refuses a check-in for a later day)."""
    return [sys.executable, "-c", CLOCKED_RUNREHAB]


@pytest.mark.e2e
def test_a_checkin_killed_at_any_moment_loses_nothing_acknowledged_and_leaves_nothing_partial(
    tmp_path: Path,
) -> None:
    db = str(tmp_path / "journal.db")
    env = {**os.environ, "RUNREHAB_DB": db}
    start = subprocess.run(
        [*_runrehab(), "start", "-", "--date", START.isoformat(), "--json"],
        input=json.dumps(typical_doc()),
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert start.returncode == 0, start.stderr
    rng = random.Random(20261121)
    acknowledged: list[str] = []
    killed = 0
    lifetime = 1.0  # measured on the rounds left to finish, so the kills land inside a run
    for i in range(24):
        doc = good_checkin(
            START + timedelta(days=i),
            run={"minutes": 10 + i, "max_pain": 1},
            cross_training=[{"kind": "cycling", "minutes": 20}],
        )
        doc_file = tmp_path / f"checkin-{i}.json"
        doc_file.write_text(json.dumps(doc))
        began = time.monotonic()
        proc = subprocess.Popen(
            [*_runrehab(), "checkin", str(doc_file), "--json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        if i % 3 == 0:  # every third check-in runs to the end: acknowledged
            out, _ = proc.communicate()
            lifetime = time.monotonic() - began
        else:
            time.sleep(rng.uniform(0.0, 1.1 * lifetime))
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                killed += 1
            out, _ = proc.communicate()
        if proc.returncode == 0 and out:
            acknowledged.append(json.loads(out)["date"])
    assert killed >= 3 and len(acknowledged) >= 8, (killed, acknowledged)
    with sqlite3.connect(db) as conn:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
        stored = {d for (d,) in conn.execute("select day from checkins")}
        stored_days = {str(d)[:10] for d in stored}
        assert set(acknowledged) <= stored_days
        (through,) = conn.execute("select evaluated_through from programmes").fetchone()
        assert str(through)[:10] == max(stored_days)  # state and check-ins moved together
        rows = conn.execute(
            "select c.id, c.document, "
            "(select count(*) from exercise_logs e where e.checkin_id = c.id), "
            "(select count(*) from runs r where r.checkin_id = c.id), "
            "(select count(*) from cross_training x where x.checkin_id = c.id) from checkins c"
        ).fetchall()
    for _, document, exercises, runs, cross in rows:
        doc = json.loads(document)
        assert (exercises, runs, cross) == (len(doc["exercises"]), 1, 1)
    # and the journal still answers, folded through the last stored check-in
    history = subprocess.run(
        [*_runrehab(), "history", "--json"], capture_output=True, text=True, env=env, check=False
    )
    assert history.returncode == 0, history.stderr
    assert len(json.loads(history.stdout)["checkins"]) == len(rows)


def test_a_note_is_kept_shown_in_history_and_an_empty_one_refused(cli: CliDriver) -> None:
    cli.call("note", "Stairs at work were fine today", "--date", "2026-12-08", "--json")
    history = cli.call("history", "--json")
    assert history["notes"] == [
        {"date": "2026-12-08", "author": "runner", "text": "Stairs at work were fine today"}
    ]
    before = counts(cli.db)
    result = cli.runner.invoke(app, ["--db", cli.db, "note", "   ", "--date", "2026-12-08"])
    assert result.exit_code == 2
    assert "$.text" in result.stderr
    assert counts(cli.db) == before


def test_text_that_is_not_text_is_refused_naming_its_place(cli: CliDriver) -> None:
    """A control character or a lone surrogate (as JSON allows, or from bytes that were not
    UTF-8 on the command line) is refused with exit 2 and its place, and nothing is kept."""
    before = counts(cli.db)
    for bad in ("a\x00b", "bell\x07", "half \udc80 a character"):
        result = cli.runner.invoke(app, ["--db", cli.db, "note", bad, "--date", "2026-12-08"])
        assert result.exit_code == 2, result.output
        assert "$.text" in result.stderr
    template = cli.call("checkin", "--template", "--date", "2026-12-08")
    body = json.dumps({**template, "notes": "x"}).replace('"notes": "x"', '"notes": "a\\ud800"')
    refused = cli.runner.invoke(app, ["--db", cli.db, "checkin", "-"], input=body)
    assert refused.exit_code == 2
    assert "$.notes" in refused.stderr and "lone surrogate" in refused.stderr
    assert counts(cli.db) == before
