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
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from runrehab.adapters.db.database import Database, open_database
from runrehab.adapters.mail import SmtpMailer, SmtpSettings
from runrehab.adapters.passwords import Argon2Passwords
from runrehab.content import cache
from runrehab.errors import DatabaseError
from runrehab.services.accounts.account import PasswordHasher
from runrehab.services.content import ProgrammeContent, shipped_content
from runrehab.services.ports import Clock

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
    )


def _switch(text: str | None) -> bool | None:
    if not text:
        return None
    return text.strip().lower() not in {"0", "off", "no", "false"}


def _smtp(env: Mapping[str, str]) -> SmtpSettings | None:
    host = env.get("RUNREHAB_SMTP_HOST")
    if not host:
        return None
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
    settings = environment() if settings is None else settings
    configure_process(settings)
    return Runtime(
        db=database_named(database),
        clock=clock or SystemClock(),
        content=shipped_content(),
        passwords=passwords or Argon2Passwords(),
        settings=settings,
    )


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
    daemon thread) when ``RUNREHAB_REMINDERS`` says so, or, unset, when e-mail is set up; the
    function that stops it."""
    from runrehab.adapters import push
    from runrehab.services.reminders.sending import send_due_reminders
    from runrehab.services.reminders.settings import push_key

    private, _public = push_key(built.db.unit_of_work(), built.clock, push.new_keys)
    settings = built.settings
    enabled = settings.reminders if settings.reminders is not None else settings.smtp is not None
    stop = threading.Event()
    if not enabled:
        return stop.set
    mailer = None if settings.smtp is None else SmtpMailer(settings.smtp)
    sender = (
        settings.smtp.sender if settings.smtp and settings.smtp.sender else "runrehab@localhost"
    )
    pusher = push.WebPusher(private, f"mailto:{sender}")

    def loop() -> None:
        while not stop.is_set():
            try:
                send_due_reminders(
                    built.db.unit_of_work, built.content, built.clock, mailer, pusher
                )
            except Exception:  # a failed pass is logged; the next one tries again
                logging.getLogger(__name__).exception("the reminder sender failed")
            stop.wait(every)

    thread = threading.Thread(target=loop, name="runrehab-reminders", daemon=True)
    thread.start()

    def stop_sending() -> None:
        stop.set()
        thread.join(timeout=5)  # a pass under way finishes; a hung mail server is not awaited

    return stop_sending
