"""How long `runrehab --help` and a `runrehab triage` answer take, start to finish.

Target (issue 2): each under 0.3 s on the project's 2-core machine. Prints the median and the
worst of N runs of each command, measured as wall time of the whole process.

    uv run python benchmarks/cli_latency.py [--runs 15]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXE = shutil.which("runrehab") or str(Path(sys.executable).parent / "runrehab")
EXAMPLE = ROOT / "examples" / "runner-rest-and-rebuild.json"
COMMANDS = {
    "runrehab --help": [EXE, "--help"],
    "runrehab triage FILE --json": [EXE, "triage", str(EXAMPLE), "--json"],
    "runrehab triage FILE (tables)": [EXE, "triage", str(EXAMPLE)],
    "runrehab plan FILE --weeks 8 --json": [
        EXE,
        "plan",
        str(EXAMPLE),
        "--start",
        "2026-12-01",
        "--weeks",
        "8",
        "--json",
    ],
}
TARGET = 0.3
JOURNAL_TARGET = 1.0  # stateful commands open the database: SQLAlchemy's import alone is ~0.2 s
CHECKIN = ROOT / "examples" / "checkin-good-day.json"


def journal_commands(db: str) -> dict[str, list[str]]:
    """Commands on a journal that holds a started programme (made by this function)."""
    start = [EXE, "--db", db, "start", str(EXAMPLE), "--date", "2026-12-01", "--json"]
    subprocess.run(start, capture_output=True, check=True)
    return {
        "runrehab today --json (SQLite)": [
            EXE,
            "--db",
            db,
            "today",
            "--date",
            "2026-12-02",
            "--json",
        ],
        "runrehab checkin FILE --json (SQLite)": [
            EXE,
            "--db",
            db,
            "checkin",
            str(CHECKIN),
            "--json",
        ],
    }


def measure(command: list[str], runs: int) -> list[float]:
    subprocess.run(command, capture_output=True, check=True)  # warm the file cache once
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    print(f"{'command':40} {'median':>8} {'worst':>8}  target {TARGET:.1f} s")
    with tempfile.TemporaryDirectory() as folder:
        commands = {**COMMANDS, **journal_commands(str(Path(folder) / "journal.db"))}
        for name, command in commands.items():
            times = measure(command, runs)
            median, worst = statistics.median(times), max(times)
            target = JOURNAL_TARGET if "SQLite" in name else TARGET
            verdict = "ok" if median < target else ("—" if "plan" in name else "SLOW")
            print(f"{name:40} {median:8.3f} {worst:8.3f}  {verdict} (target {target:.1f} s)")


if __name__ == "__main__":
    main()
