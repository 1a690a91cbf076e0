"""Bulk import of a generated Strava-style export, against fitdecode's bare decoding.

Generates an export zip of N activities (default 1,000: `activities.csv` beside
`activities/<id>.fit.gz`, runs of 20-70 minutes recorded every 2 s, a few rides and walks),
then measures:

1. bare decoding: gunzip each member and walk every frame with fitdecode, in one process
   (nothing else: no samples kept, no metrics);
2. `runrehab --db <fresh> import export.zip --json --progress`, the whole command with its
   progress bar on stderr, in its default worker processes and again with one process
   (RUNREHAB_IMPORT_WORKERS=1).

Prints activities per second, MB per second (compressed zip and decoded FIT bytes) and the
ratio of the import's wall time to bare decoding's. Issue 4 asks that the import add little on
top of decoding.

    uv run python benchmarks/watch_import.py [--activities 1000]
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import fitdecode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.watchfiles import fit_run, strava_export_zip  # noqa: E402

EXE = shutil.which("runrehab") or str(Path(sys.executable).parent / "runrehab")


def generate(folder: Path, count: int) -> Path:
    """A Strava-style export of ``count`` activities, one a day back from 2026-11-01."""
    activities = []
    first = datetime(2026, 11, 1, 6, 30, tzinfo=UTC)
    for i in range(count):
        start = first - timedelta(days=i, minutes=i % 50)
        kind = i % 20
        if kind == 0:
            data = fit_run(start, 60, step_s=2, sport="cycling", speed_mps=7.5, strides_per_min=85)
            label = "Ride"
        elif kind == 1:
            data = fit_run(start, 40, step_s=2, sport="walking", speed_mps=1.4, strides_per_min=55)
            label = "Walk"
        else:
            minutes = 20 + (i * 7) % 51
            data = fit_run(start, minutes, step_s=2, speed_mps=2.6 + (i % 9) / 10)
            label = "Run"
        activities.append((f"activities/{1000000 + i}.fit.gz", data, label))
    return strava_export_zip(folder / "export.zip", activities)


def bare_decode(export: Path, check_crc: bool) -> tuple[float, int, int]:
    """Seconds to gunzip and walk every frame of every FIT member; decoded bytes; records.
    The import reads without the CRC check (structure errors are still caught), so it is
    compared with both."""
    crc = fitdecode.CrcCheck.RAISE if check_crc else fitdecode.CrcCheck.DISABLED
    records = 0
    decoded = 0
    began = time.perf_counter()
    with zipfile.ZipFile(export) as archive:
        for name in archive.namelist():
            if not name.endswith(".fit.gz"):
                continue
            raw = gzip.decompress(archive.read(name))
            decoded += len(raw)
            with fitdecode.FitReader(io.BytesIO(raw), check_crc=crc) as reader:
                for frame in reader:
                    if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "record":
                        records += 1
    return time.perf_counter() - began, decoded, records


def run_import(export: Path, workers: str | None) -> tuple[float, dict[str, object]]:
    with tempfile.TemporaryDirectory() as scratch:
        env = dict(os.environ)
        if workers is not None:
            env["RUNREHAB_IMPORT_WORKERS"] = workers
        db = Path(scratch) / "journal.db"
        command = [EXE, "--db", str(db), "import", str(export), "--json", "--progress"]
        began = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        seconds = time.perf_counter() - began
    if done.returncode != 0:
        sys.exit(f"import failed ({done.returncode}): {done.stderr[-2000:]}")
    return seconds, json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        began = time.perf_counter()
        export = generate(Path(scratch), args.activities)
        made = time.perf_counter() - began
        zip_mb = export.stat().st_size / 1e6
        print(f"export: {args.activities} activities, {zip_mb:.1f} MB zip ({made:.1f} s to make)")
        timings = {}
        for check_crc in (True, False):
            bare, decoded, records = bare_decode(export, check_crc)
            timings[check_crc] = bare
            fit_mb = decoded / 1e6
            print(
                f"bare fitdecode, 1 process, CRC {'checked' if check_crc else 'not checked'}: "
                f"{bare:.1f} s  ({records / bare:,.0f} records/s, "
                f"{args.activities / bare:.1f} activities/s, {fit_mb / bare:.2f} MB/s decoded)"
            )
        bare = timings[False]
        for workers, label in (
            (None, f"import, default workers ({os.cpu_count()} cores)"),
            ("1", "import, 1 process"),
        ):
            seconds, report = run_import(export, workers)
            imported = len(report["imported"])  # type: ignore[arg-type]
            print(
                f"{label}: {seconds:.1f} s  ({args.activities / seconds:.1f} activities/s, "
                f"{zip_mb / seconds:.2f} MB/s of zip, {fit_mb / seconds:.2f} MB/s decoded FIT); "
                f"{imported} imported; {seconds / bare:.2f}x bare decoding without CRC, "
                f"{seconds / timings[True]:.2f}x with"
            )


if __name__ == "__main__":
    main()
