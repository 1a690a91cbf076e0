"""The command line as a runner at a terminal uses it: the installed ``runrehab`` answering
questions for a check-in on a pseudo-terminal, today without ``--date``, the whole dose, plain
help in 80 columns, and the valid exercise ids when a check-in names an unknown one."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, typical_doc

EXE = shutil.which("runrehab") or str(Path(sys.executable).parent / "runrehab")
EXAMPLES = ROOT / "examples"
ENV = {"PATH": str(Path(EXE).parent), "COLUMNS": "80", "RUNREHAB_TZ": "UTC", "TERM": "dumb"}


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [EXE, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=ENV,
    )


def json_of(result: subprocess.CompletedProcess[str]) -> Any:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def today() -> str:
    return datetime.now(UTC).date().isoformat()


def days_ago(n: int) -> str:
    return (datetime.now(UTC).date() - timedelta(days=n)).isoformat()


_STARTED = tempfile.TemporaryDirectory(prefix="runrehab-started-")  # removed at exit


def started(tmp_path: Path, example: str = "runner-rest-and-rebuild.json") -> str:
    """A journal in ``tmp_path`` that the real ``runrehab start`` began from ``example`` three
    days ago: started once per test process, then copied (each start is a whole process)."""
    template = Path(_STARTED.name) / example / "journal.db"
    if not template.exists():
        template.parent.mkdir(exist_ok=True)
        start = ("start", str(EXAMPLES / example), "--date", days_ago(3), "--json")
        result = run("--db", str(template), *start)
        assert result.returncode == 0, result.stderr
    for file in template.parent.iterdir():  # the database and any write-ahead log beside it
        shutil.copyfile(file, tmp_path / file.name)
    return str(tmp_path / "journal.db")


class Terminal:
    """``runrehab`` on a pseudo-terminal: wait for a question, type an answer."""

    def __init__(self, *args: str) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: the real executable, its stdin a terminal
            os.execve(EXE, [EXE, *args], ENV)
        self.seen = ""

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return True
        try:
            chunk = os.read(self.fd, 4096)
        except OSError:  # the program ended
            return False
        if not chunk:
            return False
        self.seen += chunk.decode(errors="replace").replace("\r\n", "\n")
        return True

    def expect(self, text: str, timeout: float = 30) -> None:
        """Wait until ``text`` has appeared since the last answer."""
        deadline = time.monotonic() + timeout
        while text not in self.seen:
            assert time.monotonic() < deadline, f"never asked {text!r}:\n{self.seen}"
            assert self._read(0.2) or text in self.seen, f"ended before {text!r}:\n{self.seen}"

    def answer(self, question: str, typed: str) -> None:
        self.expect(question)
        self.seen = self.seen[self.seen.index(question) + len(question) :]
        os.write(self.fd, (typed + "\r").encode())

    def finish(self, timeout: float = 30) -> tuple[int, str]:
        deadline = time.monotonic() + timeout
        while self._read(0.2):
            assert time.monotonic() < deadline, self.seen
        _, status = os.waitpid(self.pid, 0)
        os.close(self.fd)
        return os.waitstatus_to_exitcode(status), self.seen


# --- the check-in asked on a terminal ---------------------------------------------------------


def test_checkin_on_a_terminal_asks_the_questions_and_records_the_answers(
    tmp_path: Path,
) -> None:
    db = started(tmp_path)
    term = Terminal("--db", db, "checkin")
    term.answer("Pain in the knee right now?", "2")
    term.answer("Pain at rest", "11")  # out of range: asked again
    term.answer("Please type one of the numbers shown.", "1")
    term.answer("Worst pain in the last 24 hours?", "three")  # not a number: asked again
    term.answer("Please type a whole number.", "3")
    term.answer("compared with your usual morning", "2")
    term.answer("Swelling of the knee?", "1")
    term.answer("Are you limping?", "maybe")  # neither: asked again
    term.answer("Please type y or n.", "n")
    term.answer("Has the knee given way?", "n")
    term.answer("Did you do Quad set (3 × 10 reps)?", "y")
    term.answer("Highest pain during Quad set?", "1")
    term.answer("Did you do Straight-leg raise", "n")
    term.answer("Did you do Clamshell", "y")
    term.answer("Highest pain during Clamshell?", "2")
    term.answer("Did you do Glute bridge", "n")
    term.answer("Did you do walking", "y")
    term.answer("Highest pain during walking?", "0")
    term.answer("Anything to note", "Stairs felt easier.")
    code, said = term.finish()
    assert code == 0, said
    assert f"Recorded the check-in for {today()}." in said

    history = json_of(run("--db", db, "history", "--json"))
    (checkin,) = [c for c in history["checkins"] if c["date"] == today()]
    document = checkin["checkin"]
    assert document["pain"] == {"now": 2, "at_rest": 1, "worst_24h": 3}
    assert document["this_morning_vs_usual"] == "same"
    assert [e["id"] for e in document["exercises"]] == ["quad-set", "clamshell"]
    assert [e["max_pain"] for e in document["exercises"]] == [1, 2]
    assert document["cross_training"][0]["kind"] == "walking"
    assert document["notes"] == "Stairs felt easier."


def test_checkin_without_a_document_or_a_terminal_exits_2(tmp_path: Path) -> None:
    db = started(tmp_path)
    result = run("--db", db, "checkin", stdin="")
    assert result.returncode == 2
    assert "FILE, or - for stdin" in result.stderr and "Traceback" not in result.stderr


def test_a_document_on_stdin_still_records_as_before(tmp_path: Path) -> None:
    db = started(tmp_path)
    doc = json.loads((EXAMPLES / "checkin-good-day.json").read_text())
    doc["date"] = days_ago(1)
    view = json_of(run("--db", db, "checkin", "-", "--json", stdin=json.dumps(doc)))
    assert view["date"] == days_ago(1)


# --- today without --date, and the whole dose ---------------------------------------------------


def test_today_without_a_date_is_the_runners_today(tmp_path: Path) -> None:
    db = started(tmp_path)
    view = json_of(run("--db", db, "today", "--json"))
    assert view["date"] == today()
    template = json_of(run("--db", db, "checkin", "--template"))
    assert template["date"] == today()
    assert json_of(run("--db", db, "summary", "--json"))
    assert json_of(run("--db", db, "load", "--json"))["date"] == today()


def test_today_prints_the_whole_dose(tmp_path: Path) -> None:
    db = started(tmp_path)
    shown = run("--db", db, "today")
    assert shown.returncode == 0, shown.stderr
    out = shown.stdout
    assert "Warm-up: Walking, 5 min, easy" in out
    assert "10 reps each side" in out  # per side
    assert "squeeze 5 s, relax 3 s" in out  # the tempo of a quad set
    assert "rest 30 s between sets" in out
    assert "quad-set" in out  # the id a check-in reports


def test_today_prints_a_run_with_its_limits(tmp_path: Path) -> None:
    db = started(tmp_path, "runner-modified-running.json")
    out = run("--db", db, "today").stdout
    assert "min continuous" in out
    assert "stop if pain goes above 3/10" in out


def test_a_walk_run_shows_its_running_and_walking_minutes() -> None:
    from runrehab.cli.journal_render import run_text
    from runrehab.content.words import shipped_words

    run_doc: Any = {
        "kind": "walk_run",
        "run_minutes": 1,
        "walk_minutes": 2,
        "repeats": 8,
        "total_minutes": 24,
        "limits": [],
    }
    assert run_text(run_doc, shipped_words()) == "8 × (1 run / 2 walk) = 24 min"


def test_no_you_said_for_what_the_runner_did_not_say(tmp_path: Path) -> None:
    doc = typical_doc(**{"running.pain_during_run": None})
    db = str(tmp_path / "journal.db")
    start = run("--db", db, "start", "-", "--date", days_ago(3), stdin=json.dumps(doc))
    assert start.returncode == 0, start.stderr
    assert "running pain not given" in start.stdout.replace("\n", " ").replace("│", "")
    for out in (start.stdout, run("--db", db, "today").stdout):
        assert "You said" not in out


# --- help -------------------------------------------------------------------------------------

COMMANDS = [
    "start",
    "today",
    "checkin",
    "questionnaire",
    "read",
    "note",
    "import",
    "runs",
    "load",
    "movement",
    "summary",
    "history",
    "report",
    "calendar",
    "triage",
    "plan",
    "exercises",
    "explain",
    "rules",
    "export",
    "delete-me",
    "serve",
    "worker",
    "clinic",
]
RESIDUE = re.compile(r"\[/?(bold|dim|italic|red|green|yellow|blue|link)[^\]]*\]|`|\$[a-z_]")


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_has_no_markup_residue_in_80_columns(command: str) -> None:
    result = run(*([command] if command else []), "--help")
    assert result.returncode == 0, result.stderr
    assert not RESIDUE.findall(result.stdout), result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


def test_help_lists_the_commands_in_the_order_a_runner_uses_them() -> None:
    out = run("--help").stdout
    listed = re.findall(r"^│ ([a-z][a-z-]*) ", out, flags=re.MULTILINE)
    assert listed[:3] == ["start", "today", "checkin"], listed
    assert listed == [c for c in COMMANDS if c in listed]


# --- an unknown exercise ------------------------------------------------------------------------


def test_an_unknown_exercise_lists_the_days_valid_ones(tmp_path: Path) -> None:
    db = started(tmp_path)
    doc = {
        "date": days_ago(1),
        "pain": {"now": 1, "at_rest": 0, "worst_24h": 2},
        "exercises": [{"id": "clam", "sets": 2}],
    }
    result = run("--db", db, "checkin", "-", stdin=json.dumps(doc))
    assert result.returncode == 2
    assert "$.exercises[0].id" in result.stderr
    assert "'clam' is not an exercise of the programme" in result.stderr
    assert "use one of: quad-set, straight-leg-raise, clamshell, glute-bridge" in result.stderr
    assert "Traceback" not in result.stderr


# --- counts -------------------------------------------------------------------------------------


def test_counts_say_one_check_in(tmp_path: Path) -> None:
    db = started(tmp_path)
    doc = json.loads((EXAMPLES / "checkin-good-day.json").read_text())
    doc["date"] = days_ago(1)
    assert run("--db", db, "checkin", "-", stdin=json.dumps(doc)).returncode == 0
    out = run("--db", db, "history").stdout
    assert "1 check-in," in out and "1 check-ins" not in out


def test_summary_wraps_at_the_terminal_width(tmp_path: Path) -> None:
    db = started(tmp_path)
    shown = run("--db", db, "summary")
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert any(line.startswith("• ") for line in lines)
    assert max(len(line.rstrip()) for line in lines) <= 80
    assert any(line.startswith("  ") and line.strip() for line in lines)  # a wrapped bullet
