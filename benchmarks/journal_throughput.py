"""Journal throughput: record check-ins for many simulated runners, then answer "today" for all.

Issue 3 asks for 100,000 check-ins from 1,000 runners, on SQLite and on PostgreSQL. Each
check-in is one use case call in its own transaction (validated, stored with its exercise, run
and cross-training rows, folded into the programme, decisions stored), exactly as the command
line does it minus process start-up. Days are interleaved (every runner checks in on day 1,
then day 2, ...) as in real life. Prints the time per check-in and per "today".

    uv run python benchmarks/journal_throughput.py [--runners 1000] [--days 100]
        [--db sqlite|postgres|both] [--postgres-url postgresql://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import typical_doc  # noqa: E402

from runrehab.adapters.db.database import Database, open_database  # noqa: E402
from runrehab.adapters.documents import read_assessment, read_checkin  # noqa: E402
from runrehab.services.content import shipped_content  # noqa: E402
from runrehab.services.journal.programme import record_checkin, start_programme  # noqa: E402
from runrehab.services.journal.today import today_view  # noqa: E402

START = date(2026, 1, 5)
EXERCISES = ("quad-set", "straight-leg-raise", "clamshell", "glute-bridge")


class Clock:
    def now(self) -> datetime:
        return datetime.now(UTC)


def checkin_doc(rng: random.Random, day: date, phase_runs: bool) -> dict[str, Any]:
    pain = rng.choice((0, 0, 1, 1, 2, 3))
    doc: dict[str, Any] = {
        "date": day.isoformat(),
        "pain": {"now": pain, "at_rest": 0, "worst_24h": min(10, pain + rng.choice((0, 1)))},
        "this_morning_vs_usual": rng.choice(("better", "same", "same")),
        "exercises": [
            {"id": e, "sets": 3, "reps": 12, "max_pain": pain} for e in rng.sample(EXERCISES, 3)
        ],
    }
    if phase_runs and rng.random() < 0.4:
        doc["run"] = {"minutes": rng.choice((20, 24, 30)), "max_pain": pain, "distance_km": 3.5}
    if rng.random() < 0.2:
        doc["cross_training"] = [{"kind": "cycling", "minutes": 30}]
    return doc


def bench(db: Database, runners: int, days: int) -> dict[str, float]:
    content, clock, rng = shipped_content(), Clock(), random.Random(7)
    people = [f"runner-{i:05d}" for i in range(runners)]
    doc = typical_doc()
    for person in people:
        start_programme(db.unit_of_work(), clock, content, doc, read_assessment(doc), START, person)
    timings: list[float] = []
    began = time.perf_counter()
    for offset in range(days):
        day = START + timedelta(days=offset)
        for person in people:
            document = checkin_doc(rng, day, offset > 30)
            t0 = time.perf_counter()
            record_checkin(
                db.unit_of_work(), clock, content, document, read_checkin(document), person
            )
            timings.append(time.perf_counter() - t0)
    checkin_total = time.perf_counter() - began
    last = START + timedelta(days=days)
    today_times = []
    for person in people:
        t0 = time.perf_counter()
        today_view(db.unit_of_work(), content, last, person)
        today_times.append(time.perf_counter() - t0)
    return {
        "checkins": len(timings),
        "checkin_total_s": checkin_total,
        "checkin_mean_ms": 1000 * statistics.fmean(timings),
        "checkin_p95_ms": 1000 * statistics.quantiles(timings, n=20)[-1],
        "today_total_s": sum(today_times),
        "today_mean_ms": 1000 * statistics.fmean(today_times),
        "today_p95_ms": 1000 * statistics.quantiles(today_times, n=20)[-1],
    }


def report(name: str, r: dict[str, float]) -> None:
    print(
        f"{name}: {int(r['checkins'])} check-ins in {r['checkin_total_s']:.1f} s — "
        f"{r['checkin_mean_ms']:.2f} ms per check-in (p95 {r['checkin_p95_ms']:.2f} ms); "
        f"today for every runner in {r['today_total_s']:.1f} s — "
        f"{r['today_mean_ms']:.2f} ms per today (p95 {r['today_p95_ms']:.2f} ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runners", type=int, default=1000)
    parser.add_argument("--days", type=int, default=100)
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument(
        "--postgres-server",
        default="postgresql://postgres@127.0.0.1:5432",
        help="a server where a scratch database runrehab_bench may be created and dropped",
    )
    args = parser.parse_args()
    if args.db in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as folder:
            db = open_database(str(Path(folder) / "bench.db"))
            try:
                report("SQLite", bench(db, args.runners, args.days))
            finally:
                db.dispose()
    if args.db in ("postgres", "both"):
        with scratch_postgres(args.postgres_server) as url:
            db = open_database(url)
            try:
                report("PostgreSQL", bench(db, args.runners, args.days))
            finally:
                db.dispose()


@contextmanager
def scratch_postgres(server: str) -> Iterator[str]:
    """A fresh database for the run, dropped afterwards."""
    import sqlalchemy as sa

    admin = sa.create_engine(
        server.replace("postgresql://", "postgresql+psycopg://") + "/postgres",
        isolation_level="AUTOCOMMIT",
    )
    try:
        with admin.connect() as conn:
            conn.execute(sa.text("DROP DATABASE IF EXISTS runrehab_bench"))
            conn.execute(sa.text("CREATE DATABASE runrehab_bench"))
        yield server + "/runrehab_bench"
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text("DROP DATABASE IF EXISTS runrehab_bench WITH (FORCE)"))
        admin.dispose()


if __name__ == "__main__":
    main()
