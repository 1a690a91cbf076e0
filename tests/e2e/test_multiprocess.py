"""Issue 17: two ``runrehab serve`` processes and ``runrehab worker`` on one PostgreSQL
database, as ``deploy/`` runs them (``RUNREHAB_JOB_QUEUE=postgres``, a shared upload folder,
JSON logs).

A session opened on one server works on the other (its cookie, its CSRF token and its Bearer
token); the log-in throttle counts failures sent to both; an import uploaded to one is
finished by the worker and seen on the other; a worker killed (SIGKILL) half-way through an
import leaves the job to another worker, which finishes it where the killed one's last batch
ended: every run stored once, the report listing each once; a clinic's FHIR export started on
one is made by the worker and downloaded from the other. Every line the servers log is
JSON and carries its request's id. Skipped without ``RUNREHAB_TEST_DATABASE_URL``; the
database's schema (the queue's tables with it) is dropped afterwards.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.test_cli import EXE, run
from tests.servers import START_S, free_ports, wait_until_serving
from tests.watchfiles import fit_run

pytestmark = pytest.mark.e2e

START = datetime(2026, 3, 1, 7, 0, tzinfo=UTC)
EMAIL = "two-servers@example.com"
PASSWORD = "knee-rehab-2026"
STALLED_AFTER_S = 2
KILLED_FILES = 40
"""Enough 30-minute runs that measuring them takes seconds on two processes (about 0.1 s a
file), well past the first progress batch (written after 0.5 s): the kill lands part-way."""


@contextmanager
def _process(
    command: list[str], env: dict[str, str], log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """A ``runrehab`` process, its standard error in ``log``; stopped with SIGINT at the end
    (as systemd's KillSignal does) unless the test killed it."""
    with log.open("ab") as errors:
        process = subprocess.Popen([EXE, *command], env=env, stderr=errors)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextmanager
def _servers(database: str, env: dict[str, str], *logs: Path) -> Iterator[list[str]]:
    """``runrehab serve`` on free ports, one a log, started at once (as a deployment starts
    them: either may be the first to set up a new database), once each answers /healthz:
    their base URLs."""
    with ExitStack() as stack:
        started = []
        for port, log in zip(free_ports(len(logs)), logs, strict=True):
            command = ["--db", database, "serve", "--host", "127.0.0.1", "--port", str(port)]
            server = stack.enter_context(_process(command, env, log))
            started.append((f"http://127.0.0.1:{port}", server, log))
        deadline = time.monotonic() + START_S * len(logs)  # together: the starts share cores
        for base, server, log in started:
            wait_until_serving(base, server, deadline, log.read_text)
        yield [base for base, _, _ in started]


def _worker(database: str, env: dict[str, str], log: Path) -> Any:
    command = ["--db", database, "worker", "--stalled-after", str(STALLED_AFTER_S)]
    return _process(command, env, log)


def _runs(files: int, first_day: int) -> list[tuple[str, bytes]]:
    return [
        (
            f"run{first_day + i:03d}.fit",
            fit_run(START + timedelta(days=first_day + i), 30, step_s=1),
        )
        for i in range(files)
    ]


def _upload(http: httpx.Client, files: list[tuple[str, bytes]]) -> str:
    parts = [("files", (name, data, "application/octet-stream")) for name, data in files]
    answer = http.post("/api/v1/activities", files=parts)
    assert answer.status_code == 202, answer.text
    job_id: str = answer.json()["job_id"]
    return job_id


def _job(http: httpx.Client, job_id: str) -> dict[str, Any]:
    answer = http.get(f"/api/v1/imports/{job_id}")
    assert answer.status_code == 200, answer.text
    job: dict[str, Any] = answer.json()
    return job


def _finished(http: httpx.Client, job_id: str, timeout_s: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while not (job := _job(http, job_id))["finished"]:
        assert time.monotonic() < deadline, job
        time.sleep(0.1)
    return job


def _activities(http: httpx.Client) -> list[dict[str, Any]]:
    answer = http.get("/api/v1/activities")
    assert answer.status_code == 200, answer.text
    found: list[dict[str, Any]] = answer.json()["activities"]
    return found


def _failures(url: str, key: str) -> int:
    """The log-in throttle's count for ``key``, as the database holds it."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    from runrehab.adapters.db.database import database_url

    engine = create_engine(database_url(url), poolclass=NullPool)
    try:
        with engine.connect() as conn:
            query = text("SELECT failures FROM throttle WHERE key = :key")
            return int(conn.execute(query, {"key": key}).scalar_one())
    finally:
        engine.dispose()


def _log_lines(log: Path) -> list[dict[str, Any]]:
    """The JSON lines of a log (uvicorn's own few start-up lines are not ours)."""
    lines = []
    for line in log.read_text().splitlines():
        if line.startswith("{"):
            lines.append(json.loads(line))
    return lines


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs Linux")
def test_two_servers_and_a_worker_share_sessions_throttle_jobs_and_survive_a_killed_worker(
    postgres_url: str, tmp_path: Path
) -> None:
    temp = Path(tempfile.mkdtemp(prefix="rr-"))  # short: a socket's path has to fit in 108 bytes
    env = {
        **os.environ,
        "TMPDIR": str(temp),
        "RUNREHAB_JOB_QUEUE": "postgres",
        "RUNREHAB_UPLOAD_DIR": str(tmp_path / "uploads"),
        "RUNREHAB_LOG_FORMAT": "json",
        "RUNREHAB_IMPORT_WORKERS": "2",
    }
    logs = {name: tmp_path / f"{name}.log" for name in ("a", "b", "worker", "worker2")}
    try:
        with ExitStack() as stack:
            a, b = stack.enter_context(_servers(postgres_url, env, logs["a"], logs["b"]))
            worker = stack.enter_context(_worker(postgres_url, env, logs["worker"]))
            http_a = stack.enter_context(httpx.Client(base_url=a, timeout=60))
            http_b = stack.enter_context(httpx.Client(base_url=b, timeout=60))

            # --- a session opened on A works on B: cookie, CSRF token and Bearer token
            signed = http_a.post(
                "/api/v1/accounts",
                json={"email": EMAIL, "password": PASSWORD, "timezone": "Europe/London"},
                headers={"X-Request-ID": "signup-on-a-1"},
            )
            assert signed.status_code == 201, signed.text
            assert signed.headers["x-request-id"] == "signup-on-a-1"
            session = signed.json()
            http_b.cookies.set("rr_session", http_a.cookies["rr_session"])
            assert http_b.get("/api/v1/account").json()["email"] == EMAIL
            moved = http_b.put(
                "/api/v1/account/timezone",
                json={"timezone": "Europe/Paris"},
                headers={"X-CSRF-Token": session["csrf_token"]},
            )
            assert moved.status_code == 200, moved.text
            refused = http_b.put("/api/v1/account/timezone", json={"timezone": "Europe/Paris"})
            assert refused.status_code == 403  # no CSRF token: the same rule on both
            bearer = {"Authorization": f"Bearer {session['token']}"}
            assert httpx.get(f"{a}/api/v1/account", headers=bearer).status_code == 200

            # --- the throttle counts the failures sent to both (5 free, then a wait)
            wrong = {"email": EMAIL, "password": "not-the-password"}
            for base in (a, b, a, b):
                answer = httpx.post(f"{base}/api/v1/session", json=wrong, timeout=30)
                assert answer.status_code == 400, answer.text
            assert _failures(postgres_url, f"email:{EMAIL}") == 4  # one count, both servers
            answer = httpx.post(f"{a}/api/v1/session", json=wrong, timeout=30)
            assert answer.status_code == 400, answer.text  # the 5th: now wait a second
            for _ in range(2):  # B alone sees 4 failures at most here: fewer than the 5 free
                waited = httpx.post(f"{b}/api/v1/session", json=wrong, timeout=30)
                if waited.status_code == 429:
                    break
                # a busy machine let the wait pass before B was asked: A fails once more, and
                # the wait doubles (2 s, then 4 s)
                assert waited.status_code == 400, waited.text
                again = httpx.post(f"{a}/api/v1/session", json=wrong, timeout=30)
                assert again.status_code in (400, 429), again.text
            assert waited.status_code == 429, waited.text  # B counted A's failures
            assert int(waited.headers["retry-after"]) >= 1

            # --- an import uploaded to A is finished by the worker and seen on B
            http_a.headers.update(bearer)
            http_b.cookies.clear()
            http_b.headers.update(bearer)
            job_id = _upload(http_a, _runs(3, 0))
            done = _finished(http_b, job_id, timeout_s=90)
            assert done["status"] == "done", done
            assert len(done["report"]["imported"]) == 3
            assert len(_activities(http_b)) == 3

            # --- the worker killed half-way: another finishes the job, nothing twice
            job_id = _upload(http_b, _runs(KILLED_FILES, 10))
            deadline = time.monotonic() + 90
            while (seen := _job(http_a, job_id))["done"] == 0:
                assert not seen["finished"] and time.monotonic() < deadline, seen
                time.sleep(0.02)
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)
            stopped = _job(http_a, job_id)
            assert not stopped["finished"] and 0 < stopped["done"] < KILLED_FILES, stopped
            stored_then = len(_activities(http_a))
            assert stored_then == 3 + stopped["done"]  # the job says what is stored

            with _worker(postgres_url, env, logs["worker2"]):
                finished = _finished(http_a, job_id, timeout_s=120)
                # --- a clinic's FHIR export started on B is made by the worker, read on A
                _export_through_the_worker(postgres_url, tmp_path, http_a, http_b)
            assert finished["status"] == "done", finished
            assert finished["done"] == finished["total"] == KILLED_FILES
            report = finished["report"]
            assert report["duplicates"] == [] and report["rejected"] == []
            names = [item["file"] for item in report["imported"]]
            assert sorted(names) == sorted(f"run{10 + i:03d}.fit" for i in range(KILLED_FILES))
            assert len(_activities(http_b)) == 3 + KILLED_FILES  # each run stored once
            retried = [
                line for line in _log_lines(logs["worker2"]) if "runs again" in line["message"]
            ]
            assert retried, logs["worker2"].read_text()[-2000:]

        # --- every line the servers logged is JSON, and each request's lines carry its id
        lines = _log_lines(logs["a"]) + _log_lines(logs["b"])
        access = [line for line in lines if line["logger"] == "runrehab.access"]
        assert access and all(line.get("request_id") for line in access)
        signup = [line for line in access if line["request_id"] == "signup-on-a-1"]
        assert [(s["method"], s["path"], s["status"]) for s in signup] == [
            ("POST", "/api/v1/accounts", 201)
        ]
        assert not list((tmp_path / "uploads").iterdir())  # every upload deleted once done
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def _export_through_the_worker(
    database: str, tmp_path: Path, http_a: httpx.Client, http_b: httpx.Client
) -> None:
    """The runner of ``http_a`` joins a clinic made by the command line; its admin starts the
    clinic's FHIR export on B; the worker makes it; A serves the runner's Bundle."""
    secret = tmp_path / "admin-password"
    secret.write_text(PASSWORD)
    made = run(
        "--db",
        database,
        "clinic",
        "create",
        "--name",
        "Knee Clinic",
        "--admin-email",
        "ada@clinic.test",
        "--password-file",
        str(secret),
    )
    assert made.returncode == 0, made.stderr
    signed = httpx.post(
        f"{http_b.base_url}/api/v1/session",
        json={"email": "ada@clinic.test", "password": PASSWORD},
        timeout=30,
    )
    admin = {"Authorization": f"Bearer {signed.json()['token']}"}
    code = http_b.post("/api/v1/clinic/invitations", json={"kind": "patient"}, headers=admin)
    joined = http_a.post("/api/v1/clinic/join", json={"code": code.json()["code"]})
    assert joined.status_code == 200, joined.text
    started = http_b.post("/api/v1/clinic/exports", headers=admin)
    assert started.status_code == 202, started.text
    deadline = time.monotonic() + 60
    while not (export := http_a.get(started.headers["location"], headers=admin).json())["finished"]:
        assert time.monotonic() < deadline, export
        time.sleep(0.1)
    assert export["status"] == "done", export
    lines = http_a.get(export["output"][0]["url"], headers=admin).text.splitlines()
    person = http_a.get("/api/v1/account").json()["person"]
    (bundle,) = [json.loads(line) for line in lines]
    resources = [e["resource"] for e in bundle["entry"]]
    assert [r["id"] for r in resources if r["resourceType"] == "Patient"] == [person]


def test_the_worker_needs_postgresql_and_says_so(tmp_path: Path) -> None:
    for args in (["worker"], ["--db", str(tmp_path / "journal.db"), "worker"]):
        answer = run(*args)
        assert answer.returncode == 2, answer
        assert "worker needs a PostgreSQL database" in answer.stderr
        assert "Traceback" not in answer.stderr
