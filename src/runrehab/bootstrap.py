"""The composition root: builds the adapters the entry points (command line, web) use.

Only this module and the entry points know which database and clock are in play; the services
see them through their ports.
"""

from __future__ import annotations

from datetime import UTC, datetime

from runrehab.adapters.db.database import Database, open_database
from runrehab.errors import DatabaseError


class SystemClock:
    """The wall clock, in UTC: used only to stamp when a report was received."""

    def now(self) -> datetime:
        return datetime.now(UTC)


def database(db: str | None) -> Database:
    """Open (creating and migrating when needed) the journal database named by ``--db``."""
    if not db:
        raise DatabaseError("no database given: pass --db PATH or set RUNREHAB_DB")
    return open_database(db)
