"""``runrehab serve`` as the contract states it: the web app, the API, /openapi.json and
/healthz on the address given; without a database it refuses with exit 2."""

from __future__ import annotations

import socket
import subprocess
import time
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


def test_serve_answers_health_openapi_and_pages(tmp_path: Path) -> None:
    port = _free_port()
    db = tmp_path / "served.db"
    command = [EXE, "--db", str(db), "serve", "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                health = httpx.get(f"{base}/healthz", timeout=1)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.1)
        assert health.json() == {"status": "ok", "database": "ok"}
        spec = httpx.get(f"{base}/openapi.json").json()
        assert any(path.startswith("/api/v1/") for path in spec["paths"])
        assert httpx.get(f"{base}/signup").status_code == 200
        assert db.exists()
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=15)
    assert f"serving on http://127.0.0.1:{port}/" in errors


def test_serve_needs_a_database() -> None:
    answer = run("serve", "--port", "8001")
    assert answer.returncode == 2
    assert "serve needs a database" in answer.stderr
