"""The composition root: the one place that reads the environment and builds the adapters.

The command line and the web app are both put together here: ``environment()`` reads every
setting RunRehab takes from the process environment (and nothing else in RunRehab reads it),
``configure_process`` applies the ones that are process-wide, and ``runtime`` opens the
database and builds the clock, the content and the password hasher that the use cases are
handed through their ports. Tests build a ``Runtime`` with a fake clock and fast hashing.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from runrehab.adapters.db.database import Database, open_database
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


def environment(env: Mapping[str, str] | None = None) -> Environment:
    """The settings of ``env`` (the process environment by default); a malformed number is
    left at its default rather than stopping the program."""
    env = os.environ if env is None else env
    return Environment(
        web_threads=_positive(env.get("RUNREHAB_WEB_THREADS")) or DEFAULT_WEB_THREADS,
        import_workers=_positive(env.get("RUNREHAB_IMPORT_WORKERS")),
        time_zone=env.get("TZ") or None,
        cache_home=Path(env["XDG_CACHE_HOME"]) if env.get("XDG_CACHE_HOME") else None,
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
