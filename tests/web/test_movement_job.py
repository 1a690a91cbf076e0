"""A movement check's analysis is a job of the app's job queue (``services.jobs``): with a
queue a worker runs (``RUNREHAB_JOB_QUEUE=postgres``), the web process only queues the check
with its video attached, and the worker's handler analyses it; run again after its worker was
killed it is analysed afresh and stored once; a worker killed under it too often fails it
saying so, storing nothing. The fake analyser stands in for MediaPipe: no video is decoded."""

from __future__ import annotations

import shutil
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import anyio
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from runrehab import bootstrap
from runrehab.adapters.db.tables import movement_frames
from runrehab.services.jobs import Job, JobHandlers, Payload
from runrehab.services.movement.checks import (
    MAX_ATTEMPTS,
    MOVEMENT_JOB,
    MovementWorker,
    movement_handler,
    queues_nothing,
)
from runrehab.services.movement.records import CheckStatus, MovementCheck
from runrehab.web.movement_uploads import movement_lifespan
from tests.movement_fakes import FakeAnalyser, fake_probe, install
from tests.web.conftest import Browser
from tests.web.test_movement import done_check


class SharedFolderQueue:
    """What ``PostgresQueue`` does for a web process, in memory: the video moved to the shared
    upload folder, the job kept for a worker."""

    def __init__(self, uploads: Path) -> None:
        self.uploads = uploads
        self.jobs: list[Job] = []

    def enqueue(self, kind: str, payload: Payload, *, key: str | None = None) -> None:
        self.jobs.append(Job(kind, payload))

    def attach(self, key: str, folder: Path) -> Path:
        self.uploads.mkdir(exist_ok=True)
        target = self.uploads / key
        shutil.move(str(folder), target)
        return target


def workers_queue(client: TestClient, uploads: Path) -> SharedFolderQueue:
    """The app as ``create_app`` builds it with ``RUNREHAB_JOB_QUEUE=postgres``: its jobs go to
    a queue, and it runs none itself."""
    queue = SharedFolderQueue(uploads)
    state: Any = client.app.state  # type: ignore[attr-defined]
    state.parts.jobs = queue
    state.own_jobs = None
    return queue


def worker_process(client: TestClient, analyser: FakeAnalyser) -> JobHandlers:
    """``runrehab worker``'s handlers, on the app's database, with a fake analyser."""
    parts: Any = client.app.state.parts  # type: ignore[attr-defined]
    handlers = JobHandlers()
    worker = MovementWorker(
        new_uow=parts.db.unit_of_work,
        clock=parts.clock,
        words=parts.content.words,
        probe=fake_probe,
        analyse=analyser,
        submit=queues_nothing,
    )
    handlers.register(MOVEMENT_JOB, movement_handler(worker))
    return handlers


def stored(client: TestClient, check_id: str) -> tuple[MovementCheck, int]:
    db = client.app.state.parts.db  # type: ignore[attr-defined]
    with db.unit_of_work() as uow:
        check = uow.movement.find(check_id)
    with db.engine.connect() as connection:
        frames = connection.execute(
            select(func.count())
            .select_from(movement_frames)
            .where(movement_frames.c.check_id == check_id)
        ).scalar_one()
    assert check is not None
    return check, int(frames)


def set_processing(client: TestClient, check_id: str) -> None:
    """What a worker killed half-way through the analysis leaves: the check processing."""
    db = client.app.state.parts.db  # type: ignore[attr-defined]
    with db.unit_of_work() as uow:
        uow.movement.update(check_id, status=CheckStatus.PROCESSING, progress=40)
        uow.commit()


def queued_check(
    client: TestClient, runner: Browser, tmp_path: Path
) -> tuple[SharedFolderQueue, str, Job]:
    """A check uploaded to a web process beside ``runrehab worker``: the queue, the check's
    id and its one job, waiting."""
    install(client.app)
    queue = workers_queue(client, tmp_path / "uploads")
    check_id = done_check(runner)
    (job,) = queue.jobs
    return queue, check_id, job


def test_with_a_worker_the_web_only_queues_and_the_worker_analyses_once(
    client: TestClient, runner: Browser, tmp_path: Path
) -> None:
    web = FakeAnalyser(reps=3)
    install(client.app, web)
    queue = workers_queue(client, tmp_path / "uploads")
    check_id = done_check(runner)
    (job,) = queue.jobs
    assert job.kind == MOVEMENT_JOB and job.payload["check"] == check_id
    video = Path(job.payload["path"])
    assert video.is_file() and video.parent == tmp_path / "uploads" / check_id
    assert stored(client, check_id)[0].status is CheckStatus.QUEUED
    assert web.asked == []  # the web process analysed nothing

    analyser = FakeAnalyser(reps=3)
    worker = worker_process(client, analyser)
    set_processing(client, check_id)  # a first worker was killed under it
    worker.run(Job(job.kind, job.payload, attempt=1))  # the queue runs it again
    worker.run(Job(job.kind, job.payload, attempt=2))  # ... and delivers it once more
    check, frames = stored(client, check_id)
    assert (check.status, check.progress, frames) == (CheckStatus.DONE, 100, 3)
    assert len(analyser.asked) == 1
    assert not video.parent.exists()  # the video deleted once analysed
    page = runner.api("GET", f"/api/v1/movement-checks/{check_id}").json()
    assert page["status"] == "done"


def test_a_check_whose_worker_keeps_dying_fails_saying_so_and_stores_nothing(
    client: TestClient, runner: Browser, tmp_path: Path
) -> None:
    _queue, check_id, job = queued_check(client, runner, tmp_path)
    analyser = FakeAnalyser()
    set_processing(client, check_id)
    worker_process(client, analyser).run(Job(job.kind, job.payload, attempt=MAX_ATTEMPTS))
    check, frames = stored(client, check_id)
    assert (check.status, frames, analyser.asked) == (CheckStatus.FAILED, 0, [])
    assert check.reason is not None and f"stopped {MAX_ATTEMPTS} times" in check.reason
    assert not Path(job.payload["path"]).parent.exists()


def test_the_worker_process_runs_movement_checks_and_fails_one_whose_video_is_elsewhere(
    client: TestClient, runner: Browser, tmp_path: Path
) -> None:
    queue, check_id, job = queued_check(client, runner, tmp_path)
    shutil.rmtree(Path(job.payload["path"]).parent)  # uploaded to another host's folder
    parts: Any = client.app.state.parts  # type: ignore[attr-defined]
    built = bootstrap.runtime(parts.config.database, clock=parts.clock)
    try:
        handlers, _every = bootstrap.worker_handlers(built, queue)
        handlers.run(job)
    finally:
        built.dispose()
    check, frames = stored(client, check_id)
    assert (check.status, frames) == (CheckStatus.FAILED, 0)
    assert check.reason is not None and "could not find it" in check.reason


def run_apart(function: Callable[[], Awaitable[None]]) -> None:
    """``anyio.run`` in a thread of its own: a browser test run before this one in the same
    test process leaves Playwright's event loop marked as running in this thread."""
    with ThreadPoolExecutor(1) as pool:
        pool.submit(anyio.run, function).result()


def test_only_a_process_that_runs_its_own_checks_fails_the_unfinished_at_start(
    client: TestClient, runner: Browser, tmp_path: Path
) -> None:
    install(client.app)
    workers_queue(client, tmp_path / "uploads")
    check_id = done_check(runner)
    app: Any = client.app
    own = app.state.own_jobs

    async def start_and_stop() -> None:
        async with movement_lifespan(app):
            pass

    run_apart(start_and_stop)  # a web process beside ``runrehab worker``: the check waits
    assert stored(client, check_id)[0].status is CheckStatus.QUEUED
    app.state.own_jobs = own or JobHandlers()
    run_apart(start_and_stop)  # the process that ran it: it died with it
    check = stored(client, check_id)[0]
    assert check.status is CheckStatus.FAILED and check.reason is not None


def test_on_postgresql_a_check_uploaded_to_the_web_waits_in_the_queue_for_the_worker(
    postgres_url: str, clock: Any, monkeypatch: Any, tmp_path: Path
) -> None:
    """``RUNREHAB_JOB_QUEUE=postgres``: the real queue (procrastinate) holds the check's job,
    its video in the shared upload folder; the web process analyses nothing, and the check
    it left waiting is not failed when a web process starts."""
    import json

    import psycopg

    from runrehab.adapters.passwords import fast_passwords
    from runrehab.adapters.queue.postgres import conninfo
    from runrehab.web.app import create_app
    from runrehab.web.config import WebConfig
    from tests.web.conftest import sign_up

    monkeypatch.setenv("RUNREHAB_JOB_QUEUE", "postgres")
    monkeypatch.setenv("RUNREHAB_UPLOAD_DIR", str(tmp_path / "uploads"))
    config = WebConfig(
        database=postgres_url,
        clock=clock,
        passwords=fast_passwords(),
        default_timezone="Europe/London",
    )
    web = FakeAnalyser()
    with TestClient(create_app(config), base_url="http://127.0.0.1") as client:
        install(client.app, web)
        check_id = done_check(sign_up(client))
        info = conninfo(client.app.state.parts.db.engine.url)  # type: ignore[attr-defined]
    with psycopg.connect(info) as connection:
        rows = connection.execute("SELECT args FROM procrastinate_jobs").fetchall()
    ((args,),) = rows
    args = args if isinstance(args, dict) else json.loads(args)
    assert (args["kind"], args["payload"]["check"]) == (MOVEMENT_JOB, check_id)
    assert Path(args["payload"]["path"]).parent == tmp_path / "uploads" / check_id
    assert Path(args["payload"]["path"]).is_file() and web.asked == []

    with TestClient(create_app(config), base_url="http://127.0.0.1") as again:  # another start
        install(again.app)
        assert stored(again, check_id)[0].status is CheckStatus.QUEUED
        analyser = FakeAnalyser(reps=2)
        worker_process(again, analyser).run(Job(args["kind"], args["payload"]))
        check, frames = stored(again, check_id)
    assert (check.status, frames, len(analyser.asked)) == (CheckStatus.DONE, 2, 1)
