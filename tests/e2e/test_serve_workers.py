"""``runrehab serve --workers N``: several web processes on one port and one journal; a runner
signed up through one is known to all (every request below may reach either)."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from tests.e2e.test_serve_cli import _served

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
ASSESSMENT = json.loads((ROOT / "examples" / "runner-rest-and-rebuild.json").read_text())


def test_several_workers_serve_one_journal(tmp_path: Path) -> None:
    with _served(tmp_path / "served.db", "--workers", "2") as base:
        made = httpx.post(
            f"{base}/api/v1/accounts",
            json={"email": "bo@example.com", "password": "two workers 2026", "timezone": "UTC"},
            timeout=30,
        )
        assert made.status_code == 201, made.text
        auth = {"Authorization": f"Bearer {made.json()['token']}"}
        started = httpx.post(f"{base}/api/v1/assessment", json=ASSESSMENT, headers=auth)
        assert started.status_code < 300, started.text
        with httpx.Client(base_url=base, headers=auth, timeout=30) as client:
            answers = [client.get("/api/v1/today") for _ in range(12)]
        assert {a.status_code for a in answers} == {200}
        assert len({a.json()["programme"]["id"] for a in answers}) == 1


def test_workers_must_be_at_least_one(tmp_path: Path) -> None:
    from tests.e2e.test_cli import run

    refused = run("--db", str(tmp_path / "j.db"), "serve", "--workers", "0")
    assert refused.returncode == 2
    assert "--workers" in refused.stderr
