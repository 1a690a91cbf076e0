"""Jobs in a queue in PostgreSQL, run by ``runrehab worker``: ``procrastinate``.

Why procrastinate: it keeps its queue in the PostgreSQL database RunRehab already needs, so
there is no broker to run, secure and back up (Celery and RQ need Redis or RabbitMQ), a job
is queued in the database its data lives in, and ``pg_dump`` takes both. It is maintained
(3.x, typed, released several times a year), takes jobs with ``SELECT ... FOR UPDATE SKIP
LOCKED``, wakes workers with ``LISTEN/NOTIFY``, serialises jobs sharing a lock, refuses a
second waiting job with the same queueing lock, and records each worker's heartbeat, which is
how a job whose worker was killed is found (``get_stalled_jobs``) and run again here. A queue
table of our own would have to reinvent exactly this.

One procrastinate task (``TASK``) runs every kind of job: its arguments are the kind and the
payload, and the worker's ``JobHandlers`` pick the handler. A job that stalls (its worker's
heartbeat stopped for ``stalled_after_s``) is put back by ``sweep_stalled`` with one attempt
more, which the handler sees (``Job.attempt``) and may give up on. The handlers are idempotent
(``services.jobs``), so a job run again never finishes twice.

Procrastinate's schema (its tables, functions and triggers) is its own, applied from the
installed release by ``ensure_schema`` when a web process or a worker first starts on a
database without it; an upgrade of procrastinate that changes it says so in its release notes
(``docs/operations.md``).

The files a job needs (an import's upload) are moved to ``uploads``, a folder every web
process and worker can read (``RUNREHAB_UPLOAD_DIR``: on several hosts, a shared mount).
"""

from __future__ import annotations

import asyncio
import logging
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import procrastinate
import psycopg
from procrastinate.exceptions import AlreadyEnqueued
from procrastinate.job_context import JobContext
from procrastinate.schema import SchemaManager
from sqlalchemy.engine import URL

from runrehab import logs
from runrehab.services.jobs import Job, JobHandlers, Payload, QueueClosed

log = logging.getLogger("runrehab.jobs")

TASK = "runrehab.job"
"""The one procrastinate task: ``kind`` and ``payload`` are its arguments."""
QUEUE = "runrehab"
_SCHEMA_LOCK = 7_202_613
"""A PostgreSQL advisory lock id, so two processes starting on a new database apply
procrastinate's schema once (the journal's migrations take 7_202_612)."""
_KEY = re.compile(r"[A-Za-z0-9_.-]{1,100}")


def conninfo(url: URL) -> str:
    """The libpq connection string for the journal's SQLAlchemy URL (its options, such as a
    ``search_path``, kept: the queue lives in the journal's own schema)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def ensure_schema(info: str) -> bool:
    """Apply procrastinate's schema unless the database has it; whether it was applied."""
    with psycopg.connect(info, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (_SCHEMA_LOCK,))
        try:
            found = conn.execute("SELECT to_regclass('procrastinate_jobs')").fetchone()
            if found is not None and found[0] is not None:
                return False
            with conn.transaction():
                conn.execute(SchemaManager.get_schema())
            log.info("applied procrastinate's schema")
            return True
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (_SCHEMA_LOCK,))


class PostgresQueue:
    """A ``JobQueue`` that puts jobs in procrastinate's queue (for web processes: it only
    queues; ``run_worker`` runs them). ``close()`` when done."""

    def __init__(self, url: URL, uploads: Path) -> None:
        info = conninfo(url)
        ensure_schema(info)
        connector = procrastinate.SyncPsycopgConnector(conninfo=info, min_size=1, max_size=4)
        self._app = procrastinate.App(connector=connector)
        self._app.open()
        self._uploads = uploads
        self._closed = False

    def enqueue(self, kind: str, payload: Payload, *, key: str | None = None) -> None:
        if self._closed:
            raise QueueClosed(kind)
        task = self._app.configure_task(TASK, queue=QUEUE, lock=key, queueing_lock=key)
        try:
            task.defer(kind=kind, payload=payload)
        except AlreadyEnqueued:
            log.info("a %s job keyed %s is waiting already", kind, key)

    def attach(self, key: str, folder: Path) -> Path:
        if not _KEY.fullmatch(key):
            raise ValueError(f"not a job key: {key!r}")
        self._uploads.mkdir(parents=True, exist_ok=True, mode=0o700)
        target = self._uploads / key
        shutil.move(str(folder), target)  # a rename on the same disk
        return target

    @property
    def uploads(self) -> Path:
        """Where the files handed to jobs wait."""
        return self._uploads

    def close(self) -> None:
        self._closed = True
        self._app.close()


@dataclass(frozen=True, slots=True)
class WorkerSettings:
    """``concurrency``: jobs run at once (each in a thread). ``stalled_after_s``: a worker
    whose heartbeat is older is taken for dead, and its jobs are run again (it beats three
    times as often). ``every``: kinds of job run on a schedule, with their cron lines (a sixth
    field is seconds)."""

    concurrency: int = 1
    stalled_after_s: float = 30.0
    name: str | None = None
    every: Sequence[tuple[str, str]] = ()


def run_worker(url: URL, handlers: JobHandlers, settings: WorkerSettings) -> None:
    """Run the queue's jobs until SIGINT or SIGTERM (the jobs under way finish first)."""
    info = conninfo(url)
    ensure_schema(info)
    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=info))
    _register(app, handlers, settings.every)
    asyncio.run(_work(app, settings))


def _register(
    app: procrastinate.App, handlers: JobHandlers, every: Sequence[tuple[str, str]]
) -> None:
    @app.task(name=TASK, queue=QUEUE, pass_context=True)
    def run(context: JobContext, kind: str, payload: Payload) -> None:
        job = context.job
        with logs.bound(job=str(job.id)):
            log.info("job %s (%s) starts, attempt %d", job.id, kind, job.attempts + 1)
            handlers.run(Job(kind, payload, attempt=job.attempts))
            log.info("job %s (%s) ends", job.id, kind)

    for kind, cron in every:
        handlers.handler(kind)  # UnknownJob at start, not each minute

        def tick(timestamp: int, kind: str = kind) -> None:
            handlers.run(Job(kind, {"at": timestamp}))

        task = app.task(name=f"runrehab.every.{kind}", queue=QUEUE, queueing_lock=kind)(tick)
        app.periodic(cron=cron, periodic_id=kind)(task)


async def _work(app: procrastinate.App, settings: WorkerSettings) -> None:
    async with app.open_async():
        sweeper = asyncio.create_task(_sweep_forever(app, settings.stalled_after_s))
        try:
            await app.run_worker_async(
                queues=[QUEUE],
                name=settings.name or "runrehab-worker",
                concurrency=settings.concurrency,
                update_heartbeat_interval=settings.stalled_after_s / 3,
                stalled_worker_timeout=settings.stalled_after_s,
                # new jobs wake the worker at once (LISTEN/NOTIFY); one put back by a sweep
                # is found by polling
                fetch_job_polling_interval=min(5.0, settings.stalled_after_s / 3),
            )
        finally:
            sweeper.cancel()


async def _sweep_forever(app: procrastinate.App, stalled_after_s: float) -> None:
    while True:
        await asyncio.sleep(max(0.5, stalled_after_s / 3))
        try:
            await sweep_stalled(app, stalled_after_s)
        except Exception:  # the database is away for a moment: the next sweep tries again
            log.exception("could not look for the jobs of stopped workers")


async def sweep_stalled(app: procrastinate.App, stalled_after_s: float) -> int:
    """Put back the jobs of workers whose heartbeat stopped ``stalled_after_s`` ago, to be
    run again (one attempt more); how many."""
    stalled = await app.job_manager.get_stalled_jobs(
        queue=QUEUE, seconds_since_heartbeat=stalled_after_s
    )
    again = 0
    for job in stalled:
        try:
            await app.job_manager.retry_job(job)
        except Exception:  # another worker's sweep put it back first
            log.info("job %s was put back already", job.id)
            continue
        log.warning(
            "job %s (%s) was left by a stopped worker: it runs again", job.id, job.task_name
        )
        again += 1
    return again
