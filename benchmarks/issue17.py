"""Issue 17's figures, all in one run, on SQLite and on PostgreSQL.

1. ``today`` per runner, in process (the journal benchmark: ``--runners`` runners, ``--days``
   days of check-ins each, then the day after): the whole ``today`` document (asked again, as
   a runner opens Today several times a day: kept while their journal is unchanged), the first
   one after a check-in (worked out afresh), and the decision alone (the fold to the day's
   session state);
2. the check-in write (acknowledged: committed, durable), a new day's and a replaced one;
3. ``runrehab today --json``, the whole process, on a 60-day journal, against
   ``runrehab --help`` in the same run (their ratio is the figure);
4. the Today page alone (``GET /today``) under ``--concurrency`` users, side by side with a bare
   FastAPI page that reads 12 rows from the same database and renders a Jinja template,
   served by this script itself with the same number of uvicorn workers and driven by the same
   driver in the same run (the ratio is the figure);
5. the web mix: 70 % Today, 30 % check-ins (``POST /api/v1/checkins``), same users;
6. the Progress page (charts drawn into it) and the PDF report, for a 60-day journal, one
   request at a time: the first after a check-in and asked again.

The driver is wrk (Debian's package) where it is installed: written in C, it takes far less of
the two cores from the servers than a Python client. Without it (or with ``--driver python``),
a small HTTP/1.1 client on asyncio streams (one kept-alive connection per virtual user).
PostgreSQL runs in a scratch database made for the run and dropped afterwards.

    uv run --frozen python benchmarks/issue17.py [--db sqlite|postgres|both] [--seconds 6]
        [--runners 10] [--days 100] [--workers 2] [--concurrency 16] [--cli-runs 7]
        [--skip-web] [--skip-cli] [--postgres-server postgresql://postgres@127.0.0.1:5432]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

ASSESSMENT = json.loads((ROOT / "examples" / "runner-rest-and-rebuild.json").read_text())
PASSWORD = "benchmark knee 2026"
EXERCISES = ("quad-set", "straight-leg-raise", "clamshell", "glute-bridge")
EXE = str(Path(sys.executable).parent / "runrehab")
RESULTS: list[tuple[str, str, str]] = []
"""(figure, value, goal) rows for the summary at the end."""


def note(figure: str, value: str, goal: str = "") -> None:
    RESULTS.append((figure, value, goal))
    print(f"  {figure}: {value}" + (f"   [goal {goal}]" if goal else ""), flush=True)


# --- 1 and 2: in process -----------------------------------------------------------------------


def journal(url: str, label: str, runners: int, days: int) -> None:
    from journal_throughput import START, Clock, checkin_doc
    from tests.conftest import typical_doc

    from runrehab.adapters.db.database import open_database
    from runrehab.adapters.documents import read_assessment, read_checkin
    from runrehab.services.content import shipped_content
    from runrehab.services.journal.programme import (
        record_checkin,
        require_programme,
        resolve_person,
        session_state_on,
        start_programme,
    )
    from runrehab.services.journal.today import today_view

    db = open_database(url)
    try:
        content, clock, rng = shipped_content(), Clock(), random.Random(7)
        people = [f"runner-{i:05d}" for i in range(runners)]
        doc = typical_doc()
        for person in people:
            start_programme(
                db.unit_of_work(), clock, content, doc, read_assessment(doc), START, person
            )
        writes: list[float] = []
        for offset in range(days):
            day = START + timedelta(days=offset)
            for person in people:
                document = checkin_doc(rng, day, offset > 30)
                t0 = time.perf_counter()
                record_checkin(
                    db.unit_of_work(), clock, content, document, read_checkin(document), person
                )
                writes.append(time.perf_counter() - t0)
        last = START + timedelta(days=days - 1)

        def send_again(day: date) -> list[float]:
            took = []
            for person in people:  # the day's check-in sent again, or sent late
                document = checkin_doc(rng, day, True)
                t0 = time.perf_counter()
                record_checkin(
                    db.unit_of_work(), clock, content, document, read_checkin(document), person
                )
                took.append(time.perf_counter() - t0)
            return took

        replaced = send_again(last)
        early = send_again(START + timedelta(days=days // 2))

        def timed(ask: Callable[[str], object]) -> list[float]:
            for person in people:  # once to warm this process (content, kept folds)
                ask(person)
            took = []
            for _ in range(3):
                for person in people:
                    t0 = time.perf_counter()
                    ask(person)
                    took.append(time.perf_counter() - t0)
            return took

        after = last + timedelta(days=1)

        def reader() -> Any:  # "today" only reads, as the web and the command line ask it
            return db.unit_of_work(read_only=True)

        first_after_change = []
        for _ in range(3):  # each runner's first "today" after their check-in: worked out afresh
            send_again(last)
            for person in people:
                t0 = time.perf_counter()
                today_view(reader(), content, after, person)
                first_after_change.append(time.perf_counter() - t0)
        document_after = timed(lambda p: today_view(reader(), content, after, p))
        document_same = timed(lambda p: today_view(reader(), content, last, p))

        def decision(person: str) -> object:
            with db.unit_of_work(read_only=True) as uow:
                found = resolve_person(uow.repo, person)
                programme = require_programme(uow.repo, found)
                return session_state_on(uow.repo, content, programme, after)

        decisions = timed(decision)
    finally:
        db.dispose()
    n = len(writes)
    note(f"{label}: a bare durable commit of one row (the disk's floor)", f"{commit_floor(url)} ms")
    note(
        f"{label}: check-in write, new day ({n}, {runners} runners x {days} days)",
        f"{ms(writes)} ms mean, p95 {p95(writes)} ms",
        "<= 2 ms SQLite, <= 3 ms PostgreSQL",
    )
    note(f"{label}: check-in write, replacing the last day's", f"{ms(replaced)} ms mean")
    note(
        f"{label}: check-in write, replacing day {days // 2} (refolds {days - days // 2} days)",
        f"{ms(early)} ms mean",
    )
    note(
        f"{label}: today document per runner ({days} days, the day after)",
        f"{ms(document_after)} ms mean, p95 {p95(document_after)} ms",
        "<= 1 ms",
    )
    note(
        f"{label}: today document, the first after a check-in (worked out, not kept)",
        f"{ms(first_after_change)} ms mean, p95 {p95(first_after_change)} ms",
    )
    note(
        f"{label}: today document per runner (a day with its check-in)",
        f"{ms(document_same)} ms mean, p95 {p95(document_same)} ms",
    )
    note(f"{label}: today decision alone (the fold, its reads)", f"{ms(decisions)} ms mean")


def commit_floor(url: str) -> str:
    """One row inserted and committed, as the journal commits (SQLite: WAL, synchronous=FULL;
    PostgreSQL: its defaults), many times over: what any acknowledged write costs here."""
    import sqlalchemy as sa

    from runrehab.adapters.db.database import open_database

    db = open_database(url)
    took = []
    try:
        with db.engine.connect() as conn:
            conn.execute(sa.text("CREATE TABLE bench_floor (n INTEGER)"))
            conn.commit()
            for n in range(200):
                t0 = time.perf_counter()
                conn.execute(sa.text("INSERT INTO bench_floor VALUES (:n)"), {"n": n})
                conn.commit()
                took.append(time.perf_counter() - t0)
            conn.execute(sa.text("DROP TABLE bench_floor"))
            conn.commit()
    finally:
        db.dispose()
    return ms(took)


def ms(values: list[float]) -> str:
    return f"{1000 * statistics.fmean(values):.2f}"


def p95(values: list[float]) -> str:
    return f"{1000 * statistics.quantiles(values, n=20)[-1]:.2f}"


# --- 3: the command line ------------------------------------------------------------------------


def cli(runs: int) -> None:
    from runrehab.adapters.db.database import open_database
    from runrehab.adapters.documents import read_assessment, read_checkin
    from runrehab.services.content import shipped_content
    from runrehab.services.journal.programme import record_checkin, start_programme

    start = date(2026, 9, 1)
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "journal.db")
        db = open_database(path)
        try:
            content, rng = shipped_content(), random.Random(3)
            clock = _Clock()
            start_programme(
                db.unit_of_work(), clock, content, ASSESSMENT, read_assessment(ASSESSMENT), start
            )
            for offset in range(60):
                document = web_checkin(rng, start + timedelta(days=offset))
                record_checkin(db.unit_of_work(), clock, content, document, read_checkin(document))
        finally:
            db.dispose()
        day = (start + timedelta(days=60)).isoformat()
        commands = {
            "help": [EXE, "--help"],
            "today": [EXE, "--db", path, "today", "--date", day, "--json"],
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        # as installed: Python keeps the compiled modules (here outside the tree), which
        # PYTHONDONTWRITEBYTECODE would forbid, compiling SQLAlchemy again in every process
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(Path(folder) / "pycache")
        for command in commands.values():  # warm the file cache and compile once
            subprocess.run(command, capture_output=True, check=True, env=env)
        for _ in range(runs):  # interleaved, so both see the same machine
            for name, command in commands.items():
                t0 = time.perf_counter()
                subprocess.run(command, capture_output=True, check=True, env=env)
                times[name].append(time.perf_counter() - t0)
    help_s, today_s = statistics.median(times["help"]), statistics.median(times["today"])
    note("runrehab --help, whole process (median)", f"{help_s:.3f} s")
    note(
        "runrehab today --json, 60-day journal, whole process (median)",
        f"{today_s:.3f} s = {today_s / help_s:.2f}x --help",
        "<= 1.5x --help",
    )


class _Clock:
    def now(self) -> datetime:
        return datetime.now(UTC)


def web_checkin(rng: random.Random, day: date) -> dict[str, Any]:
    pain = rng.choice((0, 1, 1, 2, 3))
    return {
        "date": day.isoformat(),
        "pain": {"now": pain, "at_rest": 0, "worst_24h": min(10, pain + rng.choice((0, 1)))},
        "this_morning_vs_usual": rng.choice(("better", "same", "same")),
        "exercises": [
            {"id": e, "sets": 3, "reps": 12, "max_pain": pain} for e in rng.sample(EXERCISES, 3)
        ],
    }


# --- 4 and 5: the web ---------------------------------------------------------------------------


@dataclass
class Load:
    seconds: dict[str, list[float]] = field(default_factory=dict)
    failed: dict[str, int] = field(default_factory=dict)
    wall: float = 0.0

    def add(self, kind: str, took: float, status: int) -> None:
        self.seconds.setdefault(kind, []).append(took)
        if status >= 400:
            self.failed[kind] = self.failed.get(kind, 0) + 1

    def every(self) -> list[float]:
        return [v for values in self.seconds.values() for v in values]

    def rate(self) -> float:
        return len(self.every()) / self.wall

    def text(self) -> str:
        every = self.every()
        parts = [f"{self.rate():.0f} req/s, p50 {_pct(every, 0.5)} ms, p95 {_pct(every, 0.95)} ms"]
        if len(self.seconds) > 1:
            parts += [
                f"{kind} p95 {_pct(values, 0.95)} ms ({len(values)})"
                for kind, values in sorted(self.seconds.items())
            ]
        failed = sum(self.failed.values())
        if failed:
            parts.append(f"{failed} FAILED")
        return "; ".join(parts)


def _pct(values: list[float], q: float) -> str:
    ordered = sorted(values)
    return f"{1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]:.1f}"


class Client:
    """One kept-alive HTTP/1.1 connection (Content-Length or chunked answers)."""

    def __init__(self, port: int, headers: dict[str, str]) -> None:
        self.port = port
        self.head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: bytes = b"") -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        extra = f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n" if body else ""
        request = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{self.head}{extra}\r\n"
        self.writer.write(request.encode() + body)
        status_line = await self.reader.readline()
        status = int(status_line.split()[1])
        length, chunked, close = 0, False, False
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding" and "chunked" in value:
                chunked = True
            elif name == "connection" and value == "close":
                close = True
        if chunked:
            while size := int((await self.reader.readline()).strip(), 16):
                await self.reader.readexactly(size + 2)
            await self.reader.readline()
        else:
            await self.reader.readexactly(length)
        if close:
            await self.close()
        return status

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer, self.reader = None, None


async def drive(
    port: int,
    tokens: list[str],
    seconds: float,
    users: int,
    pick: Callable[[random.Random], tuple[str, str, str, bytes]],
) -> Load:
    load = Load()
    began = time.perf_counter()
    until = began + seconds

    async def user(n: int) -> None:
        rng = random.Random(n)
        headers = {"Authorization": f"Bearer {tokens[n % len(tokens)]}"} if tokens else {}
        client = Client(port, headers)
        try:
            while time.perf_counter() < until:
                kind, method, path, body = pick(rng)
                t0 = time.perf_counter()
                try:
                    status = await asyncio.wait_for(client.request(method, path, body), 30)
                except (TimeoutError, ConnectionError, IndexError, ValueError):
                    status = 599  # no answer (or a broken one): a failure, on a new connection
                    await client.close()
                load.add(kind, time.perf_counter() - t0, status)
        finally:
            await client.close()

    await asyncio.gather(*(user(n) for n in range(users)))
    load.wall = time.perf_counter() - began
    return load


# wrk (Debian's package), when it is on the machine: a driver written in C, which takes far less
# of the two cores from the servers than any Python client can. Each request of a thread takes
# the next runner's token; wrk's own histogram gives the percentiles, its counts the failures.
WRK_SCRIPT = """
local tokens = {%(tokens)s}
local bodies = {%(bodies)s}
local share, path = %(share)s, "%(path)s"
local n = 0
math.randomseed(%(seed)s)
function request()
  n = n + 1
  local headers = {}
  if #tokens > 0 then headers["Authorization"] = "Bearer " .. tokens[n %% #tokens + 1] end
  if math.random() < share then
    headers["Content-Type"] = "application/json"
    return wrk.format("POST", "/api/v1/checkins", headers, bodies[n %% #bodies + 1])
  end
  return wrk.format("GET", path, headers)
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\\nRESULT {"requests": %%d, "us": %%d, "p50": %%d, "p95": %%d, "failed": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""


@dataclass
class WrkLoad:
    """What wrk measured: requests, seconds, percentiles (seconds) and failures."""

    requests: int
    wall: float
    p50: float
    p95: float
    failed: int

    def rate(self) -> float:
        return self.requests / self.wall

    def text(self) -> str:
        text = f"{self.rate():.0f} req/s, p50 {1000 * self.p50:.1f} ms"
        text += f", p95 {1000 * self.p95:.1f} ms"
        return text + (f"; {self.failed} FAILED" if self.failed else "")


def wrk_drive(
    port: int, tokens: list[str], seconds: float, users: int, path: str, share: float = 0.0
) -> WrkLoad:
    """``users`` kept-alive connections for ``seconds``: GET ``path``, and a ``share`` of
    check-ins (the day's own, posted again: a replaced check-in, as a runner corrects one)."""
    rng = random.Random(17)
    day = datetime.now(UTC).date()
    bodies = [json.dumps(json.dumps(web_checkin(rng, day))) for _ in range(64)]
    script = WRK_SCRIPT % {
        "tokens": ", ".join(json.dumps(t) for t in tokens),
        "bodies": ", ".join(bodies),
        "share": share,
        "path": path,
        "seed": 17,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script)
    try:
        # wrk takes whole seconds
        command = ["wrk", "-t2", f"-c{users}", f"-d{max(1, round(seconds))}s", "-s", lua.name]
        command.append(f"http://127.0.0.1:{port}{path}")
        ran = subprocess.run(command, capture_output=True, text=True)
        if ran.returncode != 0 or "RESULT " not in ran.stdout:
            raise SystemExit(f"wrk failed: {ran.stderr or ran.stdout}")
        out = ran.stdout
    finally:
        os.unlink(lua.name)
    found = json.loads(out.split("RESULT ", 1)[1].splitlines()[0])
    seconds_of = {k: found[k] / 1e6 for k in ("us", "p50", "p95")}  # wrk counts microseconds
    return WrkLoad(
        found["requests"], seconds_of["us"], seconds_of["p50"], seconds_of["p95"], found["failed"]
    )


def today_only(_rng: random.Random) -> tuple[str, str, str, bytes]:
    return "today", "GET", "/today", b""


def bare_only(_rng: random.Random) -> tuple[str, str, str, bytes]:
    return "bare", "GET", "/bare", b""


def mix(rng: random.Random) -> tuple[str, str, str, bytes]:
    if rng.random() < 0.3:
        body = json.dumps(web_checkin(rng, datetime.now(UTC).date())).encode()
        return "check-in", "POST", "/api/v1/checkins", body
    return "today", "GET", "/today", b""


def web(database: str, label: str, args: argparse.Namespace) -> None:
    import httpx

    env = {**os.environ, "RUNREHAB_TZ": "UTC", "RUNREHAB_REMINDERS": "0"}
    app_port, bare_port = _free_port(), _free_port()
    app = _start(
        [EXE, "--db", database, "serve", "--port", str(app_port), "--workers", str(args.workers)],
        app_port,
        env,
    )
    bare = None
    try:
        tokens = []
        with httpx.Client(base_url=f"http://127.0.0.1:{app_port}", timeout=60) as client:
            for i in range(args.runners):
                made = client.post(
                    "/api/v1/accounts",
                    json={
                        "email": f"runner{i}@example.com",
                        "password": PASSWORD,
                        "timezone": "UTC",
                    },
                )
                made.raise_for_status()
                token = made.json()["token"]
                client.cookies.clear()
                auth = {"Authorization": f"Bearer {token}"}
                client.post("/api/v1/assessment", json=ASSESSMENT, headers=auth).raise_for_status()
                tokens.append(token)
        bare_command = [sys.executable, __file__, "--bare-server", database]
        bare_command += ["--port", str(bare_port), "--workers", str(args.workers)]
        bare = _start(bare_command, bare_port, env)
        users, seconds = args.concurrency, args.seconds
        warm = min(2.0, seconds / 4)
        today: Load | WrkLoad
        page: Load | WrkLoad
        both: Load | WrkLoad
        if args.driver == "wrk":
            wrk_drive(app_port, tokens, warm, users, "/today")
            wrk_drive(bare_port, [], warm, users, "/bare")
            # in turns, three rounds each, the median round of each: a neighbour's burst on a
            # shared machine falls on one round of one side, not on the ratio
            rounds: dict[str, list[WrkLoad]] = {"today": [], "bare": []}
            for _ in range(3):
                rounds["today"].append(wrk_drive(app_port, tokens, seconds, users, "/today"))
                rounds["bare"].append(wrk_drive(bare_port, [], seconds, users, "/bare"))
            today, page = (sorted(r, key=WrkLoad.rate)[1] for r in rounds.values())
            both = wrk_drive(app_port, tokens, seconds, users, "/today", share=0.3)
        else:
            asyncio.run(drive(app_port, tokens, warm, users, today_only))
            asyncio.run(drive(bare_port, [], warm, users, bare_only))
            today = asyncio.run(drive(app_port, tokens, seconds, users, today_only))
            page = asyncio.run(drive(bare_port, [], seconds, users, bare_only))
            both = asyncio.run(drive(app_port, tokens, seconds, users, mix))
    finally:
        for server in (app, bare):
            if server is not None:
                server.send_signal(signal.SIGINT)
        for server in (app, bare):
            if server is not None:
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    server.kill()
    workers = f"{args.workers} worker{'s' if args.workers > 1 else ''}"
    rounds_said = ", median of 3 rounds" if args.driver == "wrk" else ""
    note(
        f"{label}: Today page alone, {users} users, {workers}, {args.driver}{rounds_said}",
        today.text(),
    )
    note(f"{label}: bare FastAPI page (12 rows, Jinja), same driver", page.text())
    note(
        f"{label}: Today page / bare page",
        f"{today.rate() / page.rate():.2f}x",
        ">= 0.8x the bare page",
    )
    note(
        f"{label}: web, {users} users, 70 % Today / 30 % check-in, {workers}",
        both.text(),
        ">= 400 req/s, p95 < 50 ms",
    )


def progress(database: str, label: str, days: int) -> None:
    """The Progress page (its charts are drawn into the page) and the physiotherapist's PDF
    report, for a runner with ``days`` days of check-ins, one request at a time: the first
    after a check-in (drawn afresh) and asked again (drawn once per change of the journal)."""
    import httpx

    from runrehab.adapters.db.database import open_database
    from runrehab.adapters.documents import read_assessment, read_checkin
    from runrehab.services.content import shipped_content
    from runrehab.services.journal.programme import record_checkin, start_programme

    env = {**os.environ, "RUNREHAB_TZ": "UTC", "RUNREHAB_REMINDERS": "0"}
    port = _free_port()
    server = _start([EXE, "--db", database, "serve", "--port", str(port)], port, env)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
            account = {"email": "progress@example.com", "password": PASSWORD, "timezone": "UTC"}
            made = client.post("/api/v1/accounts", json=account)
            made.raise_for_status()
            client.cookies.clear()
            client.headers["Authorization"] = f"Bearer {made.json()['token']}"
            person = client.get("/api/v1/account").json()["person"]
            today = datetime.now(UTC).date()
            db, rng, clock = open_database(database), random.Random(11), _Clock()
            try:  # a programme begun ``days`` ago, a check-in on each of its days
                content, first = shipped_content(), today - timedelta(days=days)
                assessed = read_assessment(ASSESSMENT)
                start_programme(
                    db.unit_of_work(), clock, content, ASSESSMENT, assessed, first, person
                )
                for offset in range(days):
                    document = web_checkin(rng, first + timedelta(days=offset))
                    checked = read_checkin(document)
                    record_checkin(db.unit_of_work(), clock, content, document, checked, person)
            finally:
                db.dispose()
            took: dict[str, list[float]] = {}
            for _ in range(3):
                sent = client.post("/api/v1/checkins", json=web_checkin(rng, today))
                sent.raise_for_status()
                for kind, path in (("page", "/progress"), ("report", "/progress/report.pdf")):
                    for when in ("first", "again", "again", "again"):
                        t0 = time.perf_counter()
                        answer = client.get(path)
                        took.setdefault(f"{kind} {when}", []).append(time.perf_counter() - t0)
                        answer.raise_for_status()
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    for kind, name, goal in (
        ("page", "Progress page", "< 0.5 s"),
        ("report", "PDF report", "< 1.5 s"),
    ):
        first, again = took[f"{kind} first"], took[f"{kind} again"]
        note(
            f"{label}: {name}, {days} days, the first after a check-in / again",
            f"{statistics.median(first):.3f} s / {statistics.median(again):.3f} s (medians)",
            goal,
        )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _start(command: list[str], port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    import httpx

    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"{command[0]} stopped: {server.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit(f"{command} did not start")


# --- the bare page ------------------------------------------------------------------------------

BARE_TEMPLATE = """<!doctype html><html lang="en"><head><title>{{ title }}</title></head><body>
<h1>{{ title }}</h1><ul>{% for row in rows %}
<li><time>{{ row.day }}</time> {{ row.what }} <strong>{{ row.pain }}</strong></li>{% endfor %}
</ul></body></html>"""


def bare_app() -> Any:
    """A FastAPI app with one page: 12 rows from the database, rendered by a Jinja template."""
    import sqlalchemy as sa
    from anyio import to_thread
    from fastapi import FastAPI
    from fastapi.responses import HTMLResponse
    from jinja2 import Environment

    from runrehab.adapters.db.database import open_database
    from runrehab.bootstrap import DEFAULT_WEB_THREADS

    db = open_database(os.environ["BARE_DATABASE"])
    template = Environment(autoescape=True).from_string(BARE_TEMPLATE)
    rows = sa.table("bench_bare", sa.column("day"), sa.column("what"), sa.column("pain"))
    query = sa.select(rows.c.day, rows.c.what, rows.c.pain).order_by(rows.c.day).limit(12)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # as RunRehab's app does (web.app): as many threads at a time as the pool has
        # connections, or PostgreSQL's extra connections are made and dropped on every request
        to_thread.current_default_thread_limiter().total_tokens = DEFAULT_WEB_THREADS
        yield

    app = FastAPI(lifespan=lifespan)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/bare", response_class=HTMLResponse)
    def page() -> str:
        with db.engine.connect() as conn:
            found = conn.execute(query).all()
        return template.render(title="Twelve days", rows=found)

    return app


def bare_server(database: str, port: int, workers: int) -> None:
    import sqlalchemy as sa
    import uvicorn

    from runrehab.adapters.db.database import open_database

    db = open_database(database)  # the journal's own tuning (WAL, pool) and its own rows
    with db.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE IF EXISTS bench_bare"))
        conn.execute(sa.text("CREATE TABLE bench_bare (day TEXT, what TEXT, pain INTEGER)"))
        conn.execute(
            sa.text("INSERT INTO bench_bare VALUES (:day, :what, :pain)"),
            [
                {"day": f"2026-12-{n:02d}", "what": "quad set, clamshell", "pain": n % 4}
                for n in range(1, 13)
            ],
        )
    db.dispose()
    os.environ["BARE_DATABASE"] = database
    uvicorn.run(
        "issue17:bare_app",
        factory=True,
        workers=workers,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        access_log=False,
        app_dir=str(ROOT / "benchmarks"),
    )


# --- PostgreSQL ---------------------------------------------------------------------------------


@contextmanager
def scratch_postgres(server: str, name: str) -> Iterator[str]:
    """A fresh database for the run, dropped afterwards."""
    import sqlalchemy as sa

    admin = sa.create_engine(
        server.replace("postgresql://", "postgresql+psycopg://") + "/postgres",
        isolation_level="AUTOCOMMIT",
    )
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            conn.execute(sa.text(f"CREATE DATABASE {name}"))
        yield f"{server}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--runners", type=int, default=10)
    parser.add_argument("--days", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=6)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cli-runs", type=int, default=7)
    parser.add_argument(
        "--driver",
        choices=("wrk", "python"),
        default="wrk" if shutil.which("wrk") else "python",
        help="the web load's driver: wrk (Debian's package) when installed, else this script's",
    )
    parser.add_argument("--skip-web", action="store_true")
    parser.add_argument("--skip-cli", action="store_true")
    parser.add_argument("--skip-journal", action="store_true")
    parser.add_argument("--postgres-server", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--bare-server", metavar="DATABASE", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare_server:
        bare_server(args.bare_server, args.port, args.workers)
        return
    began = time.perf_counter()
    kinds = ("sqlite", "postgres") if args.db == "both" else (args.db,)
    for kind in kinds:
        label = "SQLite" if kind == "sqlite" else "PostgreSQL"
        print(f"{label}:", flush=True)
        for part in ("journal", "web"):
            if getattr(args, f"skip_{part}"):
                continue
            with _database(kind, args.postgres_server, part) as url:
                if part == "journal":
                    journal(url, label, args.runners, args.days)
                else:
                    web(url, label, args)
        if not args.skip_web:
            with _database(kind, args.postgres_server, "progress") as url:
                progress(url, label, 60)
    if not args.skip_cli:
        print("Command line:", flush=True)
        cli(args.cli_runs)
    print(f"\nIssue 17's figures ({time.perf_counter() - began:.0f} s, {os.cpu_count()} cores):")
    width = max(len(f) for f, _, _ in RESULTS)
    for figure, value, goal in RESULTS:
        print(f"{figure:{width}}  {value}" + (f"   [goal {goal}]" if goal else ""))


@contextmanager
def _database(kind: str, server: str, part: str) -> Iterator[str]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield str(Path(folder) / f"{part}.db")
    else:
        with scratch_postgres(server, f"runrehab_issue17_{part}_{os.getpid()}") as url:
            yield url


if __name__ == "__main__":
    main()
