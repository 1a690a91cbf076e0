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
    for name, command in COMMANDS.items():
        times = measure(command, runs)
        median, worst = statistics.median(times), max(times)
        verdict = "ok" if median < TARGET else ("—" if "plan" in name else "SLOW")
        print(f"{name:40} {median:8.3f} {worst:8.3f}  {verdict}")


if __name__ == "__main__":
    main()
