"""``runrehab serve`` as the contract states it: the web app, the API, /openapi.json and
/healthz on the address given; without a database it refuses with exit 2."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.e2e.test_cli import EXE, run

pytestmark = pytest.mark.e2e


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def _served(db: Path, *options: str) -> Iterator[str]:
    """``runrehab serve`` on a free port: its base URL while it runs; what it printed is
    checked to name that address."""
    port = _free_port()
    command = [EXE, "--db", str(db), "serve", "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen([*command, *options], stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{base}/healthz", timeout=1)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=15)
    assert f"serving on http://127.0.0.1:{port}/" in errors


def test_serve_answers_health_openapi_and_pages(tmp_path: Path) -> None:
    db = tmp_path / "served.db"
    with _served(db) as base:
        health = httpx.get(f"{base}/healthz")
        assert health.json() == {"status": "ok", "database": "ok"}
        spec = httpx.get(f"{base}/openapi.json").json()
        assert any(path.startswith("/api/v1/") for path in spec["paths"])
        assert httpx.get(f"{base}/signup").status_code == 200
        assert db.exists()


def test_a_local_caller_cannot_choose_its_address_with_forwarded_for(tmp_path: Path) -> None:
    """Issue 13, finding 3: the server believes no X-Forwarded-For unless
    ``RUNREHAB_TRUSTED_PROXIES`` names the proxy, so rotating it from 127.0.0.1 does not
    escape the per-address throttle."""
    with _served(tmp_path / "served.db") as base, httpx.Client(base_url=base) as caller:
        answers = [
            caller.post(
                "/api/v1/session",
                json={"email": f"nobody{n}@example.com", "password": "wrong-guess-1"},
                headers={"X-Forwarded-For": f"192.0.2.{n}"},
            ).status_code
            for n in range(21)
        ]
    assert answers[:20] == [400] * 20
    assert answers[20] == 429


def test_serve_refuses_a_proxy_setting_that_is_not_an_address(tmp_path: Path) -> None:
    answer = run("--db", str(tmp_path / "x.db"), "serve", "--trusted-proxies", "localhost")
    assert answer.returncode == 2
    assert "'localhost' is not an IP address or network" in answer.stderr


def test_serve_needs_a_database() -> None:
    answer = run("serve", "--port", "8001")
    assert answer.returncode == 2
    assert "serve needs a database" in answer.stderr
