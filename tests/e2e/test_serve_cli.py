"""``runrehab serve`` as the contract states it: the web app, the API, /openapi.json and
/healthz on the address given; without a database it refuses with exit 2."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.e2e.test_cli import EXE, run
from tests.servers import START_S, free_port, wait_until_serving

pytestmark = pytest.mark.e2e


@contextmanager
def _served(db: Path, *options: str) -> Iterator[str]:
    """``runrehab serve`` on a free port: its base URL while it runs; what it printed is
    checked to name that address."""
    port = free_port()
    command = [EXE, "--db", str(db), "serve", "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen([*command, *options], stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        silent = f"no answer on port {port}"  # (what it printed is read once it stops)
        wait_until_serving(base, server, time.monotonic() + START_S, lambda: silent)
        yield base
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=15)
    assert f"serving on http://127.0.0.1:{port}/" in errors


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """One plain ``runrehab serve`` (one process, a new journal) and its journal's path, for
    the tests below: starting a server is most of what each costs, and they do not disturb
    each other (the one only reads; the other's failed log-ins are the only ones it counts, and
    nothing else it asks is throttled). What it printed is checked when it stops."""
    db = tmp_path_factory.mktemp("serve") / "served.db"
    with _served(db) as base:
        yield base, db


def test_serve_answers_health_openapi_and_pages(served: tuple[str, Path]) -> None:
    base, db = served
    health = httpx.get(f"{base}/healthz")
    assert health.json() == {"status": "ok", "database": "ok"}
    spec = httpx.get(f"{base}/openapi.json").json()
    assert any(path.startswith("/api/v1/") for path in spec["paths"])
    assert httpx.get(f"{base}/signup").status_code == 200
    assert db.exists()


def test_a_local_caller_cannot_choose_its_address_with_forwarded_for(
    served: tuple[str, Path],
) -> None:
    """Issue 13, finding 3: the server believes no X-Forwarded-For unless
    ``RUNREHAB_TRUSTED_PROXIES`` names the proxy, so rotating it from 127.0.0.1 does not
    escape the per-address throttle."""
    base, _db = served
    with httpx.Client(base_url=base) as caller:

        def log_in(n: int) -> tuple[int, float, float]:
            """A wrong log-in claiming 192.0.2.n: its status, when it was sent and answered."""
            sent = time.monotonic()
            status = caller.post(
                "/api/v1/session",
                json={"email": f"nobody{n}@example.com", "password": "wrong-guess-1"},
                headers={"X-Forwarded-For": f"192.0.2.{n}"},
            ).status_code
            return status, sent, time.monotonic()

        tried = [log_in(n) for n in range(21)]
        # the 20th failure makes the address wait 1 s from when that log-in began: a machine
        # so busy that checking its password took that long lets the 21st through (checked
        # below), which fails too and doubles the wait (2 s, then 4 s)
        while tried[-1][0] == 400 and len(tried) < 24:
            tried.append(log_in(len(tried)))
    answers = [status for status, _, _ in tried]
    assert answers[:20] == [400] * 20
    assert answers[-1] == 429, answers
    for i in range(20, len(tried) - 1):  # each let through: its address's wait had passed
        waited = tried[i][2] - tried[i - 1][1]
        assert answers[i] == 400 and waited >= 2 ** (i - 20), (i, waited, answers)


def test_serve_refuses_a_proxy_setting_that_is_not_an_address(tmp_path: Path) -> None:
    answer = run("--db", str(tmp_path / "x.db"), "serve", "--trusted-proxies", "localhost")
    assert answer.returncode == 2
    assert "'localhost' is not an IP address or network" in answer.stderr


def test_serve_needs_a_database() -> None:
    answer = run("serve", "--port", "8001")
    assert answer.returncode == 2
    assert "serve needs a database" in answer.stderr
