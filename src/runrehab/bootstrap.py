"""The composition root: the one place that reads the environment and builds the adapters.

The command line and the web app are both put together here: ``environment()`` reads every
setting RunRehab takes from the process environment (and nothing else in RunRehab reads it),
``configure_process`` applies the ones that are process-wide, and ``runtime`` opens the
database and builds the clock, the content and the password hasher that the use cases are
handed through their ports. Tests build a ``Runtime`` with a fake clock and fast hashing.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from runrehab.adapters.db.database import Database, open_database
from runrehab.content import cache
from runrehab.errors import DatabaseError
from runrehab.services.content import ProgrammeContent, shipped_content
from runrehab.services.jobs import Job, JobHandlers, JobQueue
from runrehab.services.ports import Clock

if TYPE_CHECKING:  # imported where used: most commands send no mail and hash no password
    from runrehab.adapters.mail import SmtpSettings
    from runrehab.adapters.queue.postgres import PostgresQueue
    from runrehab.services.accounts.account import PasswordHasher
    from runrehab.services.activities.background_import import ImportWorker
    from runrehab.services.clinic.exports import ExportWorker
    from runrehab.services.movement.analysis import PoseSource, VideoLimits

DEFAULT_WEB_THREADS = 4


class SystemClock:
    """The wall clock, in UTC: used only to stamp when a report was received."""

    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Environment:
    """What RunRehab reads from the environment (``RUNREHAB_DB`` and the serve options are read
    by the command line's own options, declared there)."""

    web_threads: int = DEFAULT_WEB_THREADS
    """``RUNREHAB_WEB_THREADS``: requests the web app works on at once."""
    import_workers: int | None = None
    """``RUNREHAB_IMPORT_WORKERS``: processes measuring a bulk import (None: one a core)."""
    time_zone: str | None = None
    """``TZ``: the zone of the runner at this computer, for watch files without one."""
    cache_home: Path | None = None
    """``XDG_CACHE_HOME``: where the parsed content is cached (None: ``~/.cache``)."""
    smtp: SmtpSettings | None = None
    """``RUNREHAB_SMTP_HOST``, ``_PORT``, ``_USER``, ``_PASSWORD``, ``_FROM``, ``_STARTTLS``
    (``0`` for off): the mail server reminders go through (None: no e-mail)."""
    reminders: bool | None = None
    """``RUNREHAB_REMINDERS`` (``1``/``0``): send reminders; None: when e-mail is set up."""
    job_queue: str = "thread"
    """``RUNREHAB_JOB_QUEUE``: ``thread`` (background work runs in the web process; one
    process) or ``postgres`` (it is queued in PostgreSQL and ``runrehab worker`` runs it; any
    number of web processes)."""
    upload_dir: Path | None = None
    """``RUNREHAB_UPLOAD_DIR``: where uploads wait for the worker (``postgres`` queue): a
    folder every web process and worker can read (None: ``runrehab-uploads`` in the cache)."""
    log_format: str = "text"
    """``RUNREHAB_LOG_FORMAT``: ``text`` (readable) or ``json`` (one object a line)."""


def environment(env: Mapping[str, str] | None = None) -> Environment:
    """The settings of ``env`` (the process environment by default); a malformed number is
    left at its default rather than stopping the program."""
    env = os.environ if env is None else env
    return Environment(
        web_threads=_positive(env.get("RUNREHAB_WEB_THREADS")) or DEFAULT_WEB_THREADS,
        import_workers=_positive(env.get("RUNREHAB_IMPORT_WORKERS")),
        time_zone=env.get("TZ") or None,
        cache_home=Path(env["XDG_CACHE_HOME"]) if env.get("XDG_CACHE_HOME") else None,
        smtp=_smtp(env),
        reminders=_switch(env.get("RUNREHAB_REMINDERS")),
        job_queue="postgres" if env.get("RUNREHAB_JOB_QUEUE") == "postgres" else "thread",
        upload_dir=Path(env["RUNREHAB_UPLOAD_DIR"]) if env.get("RUNREHAB_UPLOAD_DIR") else None,
        log_format="json" if env.get("RUNREHAB_LOG_FORMAT") == "json" else "text",
    )


def _switch(text: str | None) -> bool | None:
    if not text:
        return None
    return text.strip().lower() not in {"0", "off", "no", "false"}


def _smtp(env: Mapping[str, str]) -> SmtpSettings | None:
    host = env.get("RUNREHAB_SMTP_HOST")
    if not host:
        return None
    from runrehab.adapters.mail import SmtpSettings

    return SmtpSettings(
        host=host,
        port=_positive(env.get("RUNREHAB_SMTP_PORT")) or 587,
        user=env.get("RUNREHAB_SMTP_USER", ""),
        password=env.get("RUNREHAB_SMTP_PASSWORD", ""),
        sender=env.get("RUNREHAB_SMTP_FROM", ""),
        starttls=_switch(env.get("RUNREHAB_SMTP_STARTTLS")) is not False,
    )


def _positive(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() and int(text) > 0 else None


def configure_process(settings: Environment) -> None:
    """What holds for the whole process: where the content cache and matplotlib's own
    configuration live (matplotlib writes one, and a server's home may be read-only)."""
    base = settings.cache_home or Path.home() / ".cache"
    cache.CACHE_HOME = base
    os.environ.setdefault("MPLCONFIGDIR", str(base / "runrehab-matplotlib"))


@dataclass(frozen=True, slots=True)
class Runtime:
    """The adapters a use case is given, built once per process (or per test)."""

    db: Database
    clock: Clock
    content: ProgrammeContent
    passwords: PasswordHasher
    settings: Environment

    def dispose(self) -> None:
        self.db.dispose()


def runtime(
    database: str | None,
    *,
    clock: Clock | None = None,
    passwords: PasswordHasher | None = None,
    settings: Environment | None = None,
) -> Runtime:
    """Open (creating and migrating when needed) the journal database named by ``--db`` or a
    URL, with the real clock and argon2id unless others are given."""
    from runrehab.adapters.passwords import Argon2Passwords

    settings = environment() if settings is None else settings
    configure_process(settings)
    return Runtime(
        db=database_named(database),
        clock=clock or SystemClock(),
        content=shipped_content(),
        passwords=passwords or Argon2Passwords(),
        settings=settings,
    )


def pose_source(limits: VideoLimits | None = None) -> PoseSource:
    """The movement check's pose port: MediaPipe Pose in a worker process of its own (the
    ``video`` extra, imported only there), within ``limits`` (the shipped ones by default)."""
    from runrehab.adapters.video.pose import PoseExtractor
    from runrehab.services.movement.analysis import shipped_movement_content

    return PoseExtractor(limits or shipped_movement_content().limits)


def database_named(db: str | None) -> Database:
    """The journal database named by ``--db`` (or ``RUNREHAB_DB``): opened, and migrated."""
    if not db:
        raise DatabaseError("no database given: pass --db PATH or set RUNREHAB_DB")
    return open_database(db)


def local_zone(name: str | None, settings: Environment | None = None) -> tzinfo | None:
    """The named IANA zone, else ``TZ``'s, else this computer's; None when ``name`` itself is
    not a zone (the caller names the option at fault)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    settings = environment() if settings is None else settings
    for candidate in (name, settings.time_zone):
        if candidate:
            try:
                return ZoneInfo(candidate)
            except (ZoneInfoNotFoundError, ValueError):
                if candidate is name:
                    return None
    zone = datetime.now().astimezone().tzinfo
    assert zone is not None
    return zone


REMINDER_SECONDS = 60.0
"""How often the reminder sender looks for reminders due."""


def start_reminders(built: Runtime, every: float = REMINDER_SECONDS) -> Callable[[], None]:
    """Make the server's Web Push keys at first start, and start the reminder sender (a
    daemon thread) when ``RUNREHAB_REMINDERS`` says so, or, unset, when e-mail is set up (with
    ``RUNREHAB_JOB_QUEUE=postgres``, ``runrehab worker`` sends them instead); the function
    that stops it."""
    stop = threading.Event()
    send = reminder_sender(built)
    if send is None or built.settings.job_queue == "postgres":  # the worker sends them
        return stop.set

    def loop() -> None:
        while not stop.is_set():
            try:
                send()
            except Exception:  # a failed pass is logged; the next one tries again
                logging.getLogger(__name__).exception("the reminder sender failed")
            stop.wait(every)

    thread = threading.Thread(target=loop, name="runrehab-reminders", daemon=True)
    thread.start()

    def stop_sending() -> None:
        stop.set()
        thread.join(timeout=5)  # a pass under way finishes; a hung mail server is not awaited

    return stop_sending


def reminder_sender(built: Runtime) -> Callable[[], object] | None:
    """Make the server's Web Push keys at first start; one pass of the reminder sender, when
    ``RUNREHAB_REMINDERS`` says so, or, unset, when e-mail is set up (else None)."""
    from runrehab.adapters import push
    from runrehab.adapters.mail import SmtpMailer
    from runrehab.services.reminders.sending import send_due_reminders
    from runrehab.services.reminders.settings import push_key

    private, _public = push_key(built.db.unit_of_work(), built.clock, push.new_keys)
    settings = built.settings
    enabled = settings.reminders if settings.reminders is not None else settings.smtp is not None
    if not enabled:
        return None
    mailer = None if settings.smtp is None else SmtpMailer(settings.smtp)
    sender = (
        settings.smtp.sender if settings.smtp and settings.smtp.sender else "runrehab@localhost"
    )
    pusher = push.WebPusher(private, f"mailto:{sender}")
    unit_of_work, content, clock = built.db.unit_of_work, built.content, built.clock
    return lambda: send_due_reminders(unit_of_work, content, clock, mailer, pusher)


# --- background jobs (services.jobs) ----------------------------------------------------------


def configure_logging(settings: Environment) -> None:
    """A server's or worker's logs: text, or JSON lines (``RUNREHAB_LOG_FORMAT``)."""
    from runrehab import logs

    logs.configure(settings.log_format)


def job_queue(built: Runtime, executor: Executor, handlers: JobHandlers) -> JobQueue:
    """Where the web process's background work goes (``RUNREHAB_JOB_QUEUE``): a thread of
    its own (``executor``, running ``handlers``), or PostgreSQL's queue for ``runrehab
    worker`` (``DatabaseError`` on SQLite, which has no queue to share)."""
    from runrehab.adapters.queue.threads import ThreadQueue

    if built.settings.job_queue != "postgres":
        return ThreadQueue(executor, handlers)
    return postgres_queue(built)


def postgres_queue(built: Runtime) -> PostgresQueue:
    """The queue in the journal's PostgreSQL database, and the folder uploads wait in."""
    from runrehab.adapters.queue.postgres import PostgresQueue

    engine = built.db.engine
    if engine.dialect.name != "postgresql":
        raise DatabaseError(
            "RUNREHAB_JOB_QUEUE=postgres needs a PostgreSQL database (SQLite runs its jobs "
            "in the web process: leave RUNREHAB_JOB_QUEUE unset)"
        )
    base = built.settings.cache_home or Path.home() / ".cache"
    uploads = built.settings.upload_dir or base / "runrehab-uploads"
    return PostgresQueue(engine.url, uploads)


def worker_handlers(built: Runtime, queue: JobQueue) -> tuple[JobHandlers, list[tuple[str, str]]]:
    """What ``runrehab worker`` runs: the handler of each kind of job, and the kinds it runs
    on a schedule (kind, cron line). ``queue``: where a handler queues further work."""
    from runrehab.services.activities.background_import import IMPORT, import_handler
    from runrehab.services.clinic.exports import FHIR_EXPORT_JOB, export_handler
    from runrehab.services.reminders import sending

    handlers = JobHandlers()
    handlers.register(IMPORT, import_handler(_import_worker(built, queue)))
    _register_movement(built, handlers)
    handlers.register(FHIR_EXPORT_JOB, export_handler(export_worker(built)))
    every = []
    send = reminder_sender(built)
    if send is not None:

        def send_due(_job: Job) -> None:
            send()

        handlers.register(sending.REMINDERS, send_due)
        every.append((sending.REMINDERS, sending.EVERY))
    return handlers, every


def export_worker(built: Runtime) -> ExportWorker:
    """What makes the clinic's FHIR bulk exports (``FHIR_EXPORT_JOB``), wherever the queue
    runs them: each export in the language it was asked in, its bundles made by
    ``adapters.exports.fhir``."""
    from runrehab.adapters.exports.fhir import fhir_bundle
    from runrehab.content import locale
    from runrehab.services.clinic.exports import ExportWorker
    from runrehab.services.content import in_language

    def content(language: str) -> ProgrammeContent:
        return in_language(built.content, locale.offered(language))

    return ExportWorker(built.db.unit_of_work, built.clock, content, fhir_bundle)


def _register_movement(built: Runtime, handlers: JobHandlers) -> None:
    """The movement check's analysis (``MOVEMENT_JOB``), in the worker: MediaPipe's pose when
    the ``video`` extra is installed here, else every check failed saying so."""
    from runrehab.adapters import movement_media
    from runrehab.adapters.video.pose import video_extra_installed
    from runrehab.content import locale
    from runrehab.services.content import in_language
    from runrehab.services.movement import checks

    pose = pose_source()
    installed = video_extra_installed()

    def worker_in(language: str) -> checks.MovementWorker:
        words = in_language(built.content, locale.offered(language)).words
        return checks.MovementWorker(
            new_uow=built.db.unit_of_work,
            clock=built.clock,
            words=words,
            probe=movement_media.probe,
            analyse=movement_media.analyser(words, pose)
            if installed
            else checks.unavailable(words),
            submit=checks.queues_nothing,
        )

    handlers.register(
        checks.MOVEMENT_JOB, checks.movement_handler(worker_in(locale.DEFAULT), worker_in)
    )


def run_worker(
    built: Runtime, *, concurrency: int = 1, stalled_after_s: float = 30.0, name: str | None = None
) -> None:
    """``runrehab worker``: run the PostgreSQL queue's jobs until SIGINT or SIGTERM."""
    from runrehab.adapters.queue.postgres import WorkerSettings
    from runrehab.adapters.queue.postgres import run_worker as work

    queue = postgres_queue(built)
    try:
        handlers, every = worker_handlers(built, queue)
        _clear_left_uploads(built, queue)
        settings = WorkerSettings(concurrency, stalled_after_s, name, every)
        work(built.db.engine.url, handlers, settings)
    finally:
        queue.close()


def _clear_left_uploads(built: Runtime, queue: PostgresQueue) -> None:
    """At a worker's start: the uploads no job waits for, a day old, deleted."""
    from datetime import timedelta

    from runrehab.services.activities.background_import import clear_left_uploads

    cleared = clear_left_uploads(_import_worker(built, queue), queue.uploads, timedelta(days=1))
    if cleared:
        logging.getLogger("runrehab.jobs").info("deleted %d uploads no job waits for", cleared)


def _import_worker(built: Runtime, queue: JobQueue) -> ImportWorker:
    """What runs an import job in ``runrehab worker``."""
    from runrehab.adapters.queue.watch_scan import scanner
    from runrehab.services.activities.background_import import ImportWorker

    return ImportWorker(
        new_uow=built.db.unit_of_work,
        clock=built.clock,
        words=built.content.words,
        scan=scanner(built.content.metrics, built.settings.import_workers),
        queue=queue,
    )
