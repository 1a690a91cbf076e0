"""Issue 13, finding 5: ``runrehab serve`` killed (SIGKILL) half-way through a bulk import.

The server that starts next on the same database marks the job interrupted; the job then
reports exactly the activities stored before the kill (``done`` and the report, written in the
same transactions as the activities), and uploading the same files again finishes the import,
with the kept ones reported as already here. What the killed server left in the temporary
folder (its upload, its workers' folder) is deleted when the next one starts, and its worker
processes end on their own; a server that stops normally leaves nothing behind.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.test_cli import EXE
from tests.servers import START_S, free_port, wait_until_serving
from tests.watchfiles import fit_run

pytestmark = pytest.mark.e2e

FILES = 40
"""Enough 30-minute runs that measuring them takes seconds on two workers (about 0.1 s a
file), well past the first progress batch (written after 0.5 s): the kill lands part-way."""
START = datetime(2026, 3, 1, 7, 0, tzinfo=UTC)
SCRATCH_PREFIX = "runrehab-tmp-"


@pytest.fixture
def database(migrated_sqlite_url: str) -> str:
    """Once, on SQLite: ``test_multiprocess.py`` kills a worker mid-import on PostgreSQL. A
    journal migrated already (``serve`` migrating a new one is ``test_serve_cli.py``'s)."""
    return migrated_sqlite_url


@contextmanager
def _server(database: str, env: dict[str, str], log: Path) -> Iterator[tuple[str, Any]]:
    """``runrehab serve`` on a free port: its base URL and process while it runs; stopped
    with Ctrl+C (SIGINT) at the end unless the test killed it."""
    port = free_port()
    command = [EXE, "--db", database, "serve", "--host", "127.0.0.1", "--port", str(port)]
    with log.open("a") as errors:
        server = subprocess.Popen(command, env=env, stderr=errors)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_serving(base, server, time.monotonic() + START_S, log.read_text)
        yield base, server
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGINT)
        server.wait(timeout=30)


def _descendants(marker: str) -> list[int]:
    """The processes whose environment carries ``marker`` (this test's TMPDIR): the servers
    it started and everything they started (workers, the forkserver)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if marker.encode() in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


def _all_gone(marker: str, timeout_s: float = 10) -> list[int]:
    end = time.monotonic() + timeout_s
    while (left := _descendants(marker)) and time.monotonic() < end:
        time.sleep(0.1)
    return left


def _upload(http: httpx.Client, files: list[tuple[str, bytes]]) -> str:
    parts = [("files", (name, data, "application/octet-stream")) for name, data in files]
    answer = http.post("/api/v1/activities", files=parts)
    assert answer.status_code == 202, answer.text
    job_id: str = answer.json()["job_id"]
    return job_id


def _job(http: httpx.Client, job_id: str) -> dict[str, Any]:
    job: dict[str, Any] = http.get(f"/api/v1/imports/{job_id}").json()
    return job


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs Linux's /proc")
def test_a_server_killed_mid_import_reports_what_it_kept_and_the_upload_again_finishes(
    database: str, tmp_path: Path
) -> None:
    temp = Path(tempfile.mkdtemp(prefix="rr-"))  # short: a socket's path has to fit in 108 bytes
    marker = f"TMPDIR={temp}"
    env = {**os.environ, "TMPDIR": str(temp), "RUNREHAB_IMPORT_WORKERS": "2"}
    log = tmp_path / "server.log"
    files = [
        (f"run{i:03d}.fit", fit_run(START + timedelta(days=i), 30, step_s=1)) for i in range(FILES)
    ]
    names = [name for name, _ in files]
    try:
        # --- the first server: sign up, upload, kill it once the import has kept something
        with _server(database, env, log) as (base, server):
            signed = httpx.post(
                f"{base}/api/v1/accounts",
                json={
                    "email": "killed@example.com",
                    "password": "knee-rehab-2026",
                    "timezone": "Europe/London",
                },
                timeout=30,
            )
            assert signed.status_code == 201, signed.text
            bearer = {"Authorization": f"Bearer {signed.json()['token']}"}
            with httpx.Client(base_url=base, headers=bearer, timeout=60) as http:
                job_id = _upload(http, files)
                deadline = time.monotonic() + 60
                while (seen := _job(http, job_id))["done"] == 0 and not seen["finished"]:
                    assert time.monotonic() < deadline, seen
                    time.sleep(0.02)
            os.kill(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
        assert not seen["finished"], seen  # still running when killed
        [left] = [p for p in temp.iterdir() if p.name.startswith(SCRATCH_PREFIX)]
        assert any(p.name.startswith("upload-") for p in left.iterdir())  # the upload's copy
        assert any((left / "workers").iterdir())  # the workers' forkserver socket
        assert _all_gone(marker) == []  # its workers ended once it was gone

        # --- the next server: the job says what was kept; the same upload finishes it
        with _server(database, env, log) as (base, _server_process):
            assert not left.exists()  # its start removed what the killed server left
            with httpx.Client(base_url=base, headers=bearer, timeout=60) as http:
                stopped = _job(http, job_id)
                stored = http.get("/api/v1/activities").json()["activities"]
                assert stopped["status"] == "interrupted"
                kept = stopped["report"]["imported"]
                assert 0 < len(stored) < FILES
                assert sorted(i["activity_id"] for i in kept) == sorted(
                    a["activity_id"] for a in stored
                )
                assert [i["file"] for i in kept] == names[: len(stored)]
                assert stopped["done"] == len(stored)  # one activity a file
                assert f"after {len(stored)} of {FILES} files" in stopped["message"]
                assert "Upload the same files again to finish" in stopped["message"]

                again = _upload(http, files)
                deadline = time.monotonic() + 120
                while not (finished := _job(http, again))["finished"]:
                    assert time.monotonic() < deadline, finished
                    time.sleep(0.1)
                assert finished["status"] == "done", finished
                report = finished["report"]
                assert [i["file"] for i in report["imported"]] == names[len(stored) :]
                assert [d["file"] for d in report["duplicates"]] == names[: len(stored)]
                assert report["rejected"] == []
                assert len(http.get("/api/v1/activities").json()["activities"]) == FILES
                [own] = [p for p in temp.iterdir() if p.name.startswith(SCRATCH_PREFIX)]
                assert not any(p.name.startswith("upload-") for p in own.iterdir())  # job done
        assert not own.exists()  # stopped normally: its scratch folder went with it
        assert _all_gone(marker) == []
    finally:
        for pid in _descendants(marker):  # only ever this test's own processes
            os.kill(pid, signal.SIGKILL)
        shutil.rmtree(temp, ignore_errors=True)
