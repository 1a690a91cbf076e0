"""Web load: Today and the check-in under concurrent load, on 127.0.0.1, SQLite, for 30 s.

Starts ``runrehab serve`` as its own process on a fresh SQLite journal (one uvicorn worker,
exactly as the README runs it, or ``--workers N``), signs up ``--runners`` runners through the
API and starts each one's programme from the typical assessment, then ``--concurrency``
virtual users (an asyncio driver with httpx, in this process) loop for ``--seconds``: each
request is either the Today page (``GET /today``, the HTML a phone loads every morning) or a
check-in (``POST /api/v1/checkins``, the contract document; a second one for a day replaces
the first), in the ratio ``--checkin-share``. Prints p50/p95/p99 latency per kind and requests
per second.

    uv run python benchmarks/web_load.py [--seconds 30] [--concurrency 16] [--runners 20]
        [--checkin-share 0.3] [--workers 1]

``benchmarks/issue17.py`` gives every figure of issue 17 at once (this load among them, next to
a bare page, on SQLite and PostgreSQL).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
ASSESSMENT = json.loads((ROOT / "examples" / "runner-rest-and-rebuild.json").read_text())
PASSWORD = "benchmark knee 2026"
EXERCISES = ("quad-set", "straight-leg-raise", "clamshell", "glute-bridge")


@dataclass
class Timings:
    seconds: dict[str, list[float]] = field(default_factory=dict)
    failures: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, elapsed: float, ok: bool) -> None:
        self.seconds.setdefault(kind, []).append(elapsed)
        if not ok:
            self.failures[kind] = self.failures.get(kind, 0) + 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_server(db: Path, port: int, workers: int = 1) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "runrehab", "--db", str(db), "serve"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    env = {**os.environ, "RUNREHAB_TZ": "UTC"}
    server = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("the server did not start")


def checkin(rng: random.Random) -> dict[str, Any]:
    pain = rng.choice((0, 1, 1, 2, 3))
    return {
        "date": datetime.now(UTC).date().isoformat(),
        "pain": {"now": pain, "at_rest": 0, "worst_24h": min(10, pain + rng.choice((0, 1)))},
        "this_morning_vs_usual": rng.choice(("better", "same", "same")),
        "exercises": [
            {"id": e, "sets": 3, "reps": 12, "max_pain": pain} for e in rng.sample(EXERCISES, 3)
        ],
    }


def sign_up_runners(base: str, count: int) -> list[str]:
    tokens = []
    with httpx.Client(base_url=base, timeout=30) as client:
        for i in range(count):
            made = client.post(
                "/api/v1/accounts",
                json={"email": f"runner{i}@example.com", "password": PASSWORD, "timezone": "UTC"},
            )
            made.raise_for_status()
            token = made.json()["token"]
            auth = {"Authorization": f"Bearer {token}"}
            client.cookies.clear()
            client.post("/api/v1/assessment", json=ASSESSMENT, headers=auth).raise_for_status()
            tokens.append(token)
    return tokens


async def virtual_user(
    base: str, token: str, until: float, share: float, seed: int, timings: Timings
) -> None:
    rng = random.Random(seed)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as client:
        while time.perf_counter() < until:
            if rng.random() < share:
                kind, t0 = "check-in", time.perf_counter()
                response = await client.post("/api/v1/checkins", json=checkin(rng))
            else:
                kind, t0 = "today", time.perf_counter()
                response = await client.get("/today")
            timings.add(kind, time.perf_counter() - t0, response.status_code < 400)


async def drive(
    base: str, tokens: list[str], seconds: float, concurrency: int, share: float
) -> tuple[Timings, float]:
    timings = Timings()
    began = time.perf_counter()
    until = began + seconds
    users = [
        virtual_user(base, tokens[i % len(tokens)], until, share, i, timings)
        for i in range(concurrency)
    ]
    await asyncio.gather(*users)
    return timings, time.perf_counter() - began


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def report(timings: Timings, wall: float, concurrency: int) -> None:
    total = sum(len(v) for v in timings.seconds.values())
    print(f"{total} requests in {wall:.1f} s with {concurrency} concurrent users")
    print(f"{'':10} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'failed':>7}")
    for kind, values in sorted(timings.seconds.items()):
        print(
            f"{kind:10} {len(values):7d} {statistics.median(values) * 1000:8.1f} "
            f"{percentile(values, 0.95) * 1000:8.1f} {percentile(values, 0.99) * 1000:8.1f} "
            f"{timings.failures.get(kind, 0):7d}"
        )
    every = [v for values in timings.seconds.values() for v in values]
    print(
        f"{'all':10} {len(every):7d} {statistics.median(every) * 1000:8.1f} "
        f"{percentile(every, 0.95) * 1000:8.1f} {percentile(every, 0.99) * 1000:8.1f}"
    )
    print(f"throughput: {total / wall:.1f} requests/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--runners", type=int, default=20)
    parser.add_argument("--checkin-share", type=float, default=0.3)
    parser.add_argument("--workers", type=int, default=1, help="runrehab serve --workers N")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        port = _free_port()
        server = start_server(Path(folder) / "load.db", port, args.workers)
        base = f"http://127.0.0.1:{port}"
        try:
            tokens = sign_up_runners(base, args.runners)
            print(f"server: runrehab serve on {base}, SQLite; {len(tokens)} runners signed up")
            timings, wall = asyncio.run(
                drive(base, tokens, args.seconds, args.concurrency, args.checkin_share)
            )
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=30)
    report(timings, wall, args.concurrency)


if __name__ == "__main__":
    main()
