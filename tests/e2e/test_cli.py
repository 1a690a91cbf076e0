"""The command line, run as a person or a script would run it: the installed ``runrehab``."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, typical_doc

EXE = shutil.which("runrehab") or str(Path(sys.executable).parent / "runrehab")
EXAMPLES = ROOT / "examples"


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [EXE, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"PATH": str(Path(EXE).parent), "COLUMNS": "100"},
    )


def json_of(result: subprocess.CompletedProcess[str]) -> Any:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)  # exactly one JSON document on stdout


def test_help_lists_the_commands() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in ("triage", "plan", "exercises", "explain", "rules"):
        assert command in result.stdout


def test_triage_json_has_the_contract_fields() -> None:
    view = json_of(run("triage", str(EXAMPLES / "runner-rest-and-rebuild.json"), "--json"))
    assert view["disposition"] == "self_manage"
    assert view["programme_allowed"] is True
    assert view["reasons"] and all({"rule", "text", "source"} <= set(r) for r in view["reasons"])
    assert view["pathway"]["id"] == "rest_and_rebuild"
    assert view["pathway"]["start_phase"]["number"] == 1


def test_triage_reads_stdin_and_says_emergency() -> None:
    doc = (EXAMPLES / "red-flag-hot-swollen-knee.json").read_text()
    view = json_of(run("triage", "-", "--json", stdin=doc))
    assert view["disposition"] == "emergency"
    assert view["programme_allowed"] is False
    assert [r["rule"] for r in view["reasons"]] == ["e2-possible-joint-infection"]


def test_the_emergency_screen_shows_only_the_instruction() -> None:
    result = run("triage", str(EXAMPLES / "red-flag-hot-swollen-knee.json"))
    assert result.returncode == 0
    assert "emergency department now" in result.stdout
    assert "Your pathway" not in result.stdout and "Conditions considered" not in result.stdout


def test_modified_running_example_keeps_running() -> None:
    view = json_of(run("triage", str(EXAMPLES / "runner-modified-running.json"), "--json"))
    assert view["pathway"]["id"] == "modified_running"


@pytest.mark.parametrize(
    ("doc", "path"),
    [
        (typical_doc(**{"pain.now": 12}), "$.pain.now"),
        (typical_doc(**{"signs.colour": "red"}), "$.signs.colour"),
        (typical_doc(**{"history": None}), "$.history"),
    ],
)
def test_an_invalid_document_exits_2_naming_the_field(doc: dict[str, Any], path: str) -> None:
    result = run("triage", "-", "--json", stdin=json.dumps(doc))
    assert result.returncode == 2
    assert result.stdout == ""
    assert path in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("stdin", ["", "not json", "[1, 2]", "null", '{"age": 30}'])
def test_garbage_exits_2_without_a_traceback(stdin: str) -> None:
    result = run("triage", "-", "--json", stdin=stdin)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and result.stderr.startswith("runrehab:")


def test_a_missing_file_exits_2() -> None:
    result = run("triage", "/no/such/file.json", "--json")
    assert result.returncode == 2
    assert "cannot read" in result.stderr


def test_plan_is_a_marked_projection_starting_running_in_week_4() -> None:
    view = json_of(
        run(
            "plan",
            str(EXAMPLES / "runner-rest-and-rebuild.json"),
            "--start",
            "2026-12-01",
            "--weeks",
            "8",
            "--json",
        )
    )
    assert view["projection"] is True
    assert view["first_run"] >= "2026-12-22"
    assert len(view["days"]) == 56
    first = next(d for d in view["days"] if d["run"])
    assert first["run"] == {
        "kind": "walk_run",
        "run_minutes": 1,
        "walk_minutes": 2,
        "repeats": 8,
        "total_minutes": 24,
        "rung": 1,
        "limits": first["run"]["limits"],
    }
    for day in view["days"]:
        for exercise in day["exercises"]:
            assert {"id", "name", "sets", "per_side"} <= set(exercise)


def test_the_example_runner_rebuilds_from_half_the_usual_week() -> None:
    """Issue 12's example: a runner of 30 km a week in 3 runs starts phase 5 with a run no
    longer than 110 % of the 30 continuous minutes before it, and a first week of about half
    the usual 30 km, in no more than the usual 3 runs."""
    example = str(EXAMPLES / "runner-rest-and-rebuild.json")
    view = json_of(run("plan", example, "--start", "2026-01-05", "--weeks", "10", "--json"))
    runs = [d for d in view["days"] if d["run"]]
    rebuild = [d for d in runs if d["phase"]["number"] == 5]
    assert rebuild, "phase 5 starts within ten weeks"
    before = [d for d in runs if d["date"] < rebuild[0]["date"]]
    last_ladder = before[-1]["run"]
    assert last_ladder["kind"] == "continuous" and last_ladder["total_minutes"] == 30
    assert rebuild[0]["run"]["total_minutes"] <= 33
    first = date.fromisoformat(rebuild[0]["date"])
    week = [d for d in rebuild if date.fromisoformat(d["date"]) < first + timedelta(days=7)]
    km = sum(d["run"]["distance_km"] for d in week)
    assert 13.5 <= km <= 16.5, km  # half of 30 km, give or take a tenth
    assert len(week) <= 3


def test_plan_lists_the_week_one_lessons_on_their_days() -> None:
    example = str(EXAMPLES / "runner-rest-and-rebuild.json")
    view = json_of(run("plan", example, "--start", "2026-12-01", "--weeks", "2", "--json"))
    listed = [(d["date"], r["id"], r["minutes"]) for d in view["days"] for r in d["reading"]]
    assert listed == [
        ("2026-12-01", "what-is-runners-knee", 4),
        ("2026-12-02", "pain-and-load", 4),
        ("2026-12-03", "time-course", 3),
        ("2026-12-04", "pain-is-not-damage", 3),
    ]
    words = run("plan", example, "--start", "2026-12-01", "--weeks", "1")
    assert words.returncode == 0
    assert "Read" in words.stdout and "Pain is not" in words.stdout


def test_plan_for_a_red_flag_projects_nothing() -> None:
    view = json_of(
        run(
            "plan",
            str(EXAMPLES / "red-flag-hot-swollen-knee.json"),
            "--start",
            "2026-12-01",
            "--json",
        )
    )
    assert view["disposition"] == "emergency"
    assert view["days"] == []


@pytest.mark.parametrize("start", ["2026-13-01", "tomorrow", "2026-1-1"])
def test_plan_rejects_a_bad_start_date(start: str) -> None:
    result = run("plan", str(EXAMPLES / "runner-rest-and-rebuild.json"), "--start", start)
    assert result.returncode == 2
    assert "--start" in result.stderr


def test_exercises_list_and_one_exercise() -> None:
    listing = json_of(run("exercises", "--json"))
    assert len(listing["exercises"]) >= 35
    one = json_of(run("exercises", "Crab walks", "--json"))
    assert one["id"] == "lateral-band-walk"
    assert one["steps"] and one["doses"] and one["sources"]
    text = run("exercises", "clamshell")
    assert text.returncode == 0 and "Clamshell" in text.stdout
    assert run("exercises", "moonwalk").returncode == 2


def test_explain_topics_faq_and_glossary() -> None:
    index = json_of(run("explain", "--json"))
    assert index["topics"] and index["faq"] and index["glossary"]
    assert json_of(run("explain", "can-i-run", "--json"))["kind"] == "faq"
    assert json_of(run("explain", "what-is-runners-knee", "--json"))["kind"] == "topic"
    assert json_of(run("explain", "PFPS", "--json"))["kind"] == "glossary"
    assert run("explain", "zebra").returncode == 2
    assert run("explain", "red-flags").returncode == 0


def test_rules_lists_every_rule_with_a_source() -> None:
    view = json_of(run("rules", "--json"))
    assert len(view["rules"]) > 150
    assert all(r["source"] for r in view["rules"])
    one = json_of(run("rules", "ladder-totals-computed", "--json"))
    assert one["rules"][0]["id"] == "ladder-totals-computed"
    assert run("rules").returncode == 0


def test_usage_errors_exit_2() -> None:
    assert run("triage").returncode == 2
    assert run("frobnicate").returncode == 2
