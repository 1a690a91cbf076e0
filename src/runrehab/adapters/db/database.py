"""Opening the journal database: a file path or URL in, a ready (migrated) ``Database`` out.

Everything that can go wrong while opening (an unreadable URL, a missing folder, a file that is
not a database, a journal written by a newer RunRehab, a server that cannot be reached) comes
out as a ``DatabaseError`` that says what, so the command line never prints a traceback.

SQLite is tuned for a journal that must not lose an acknowledged check-in: write-ahead logging
with ``synchronous=FULL`` survives the process being killed (or the machine losing power), and
each unit of work begins ``IMMEDIATE``, taking the write lock up front, so two processes that
read then write (a check-in's revision number) cannot interleave.
"""

from __future__ import annotations

import secrets
import sqlite3
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from sqlalchemy import Connection, Engine, create_engine, event, inspect, select, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DisconnectionError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from runrehab.adapters.db import migrations
from runrehab.adapters.db.tables import people
from runrehab.adapters.db.unit_of_work import TURN, SqlUnitOfWork
from runrehab.adapters.db.write_turns import Turn, WriteTurns
from runrehab.errors import DatabaseError

SQLITE = "sqlite+pysqlite"
POSTGRES = "postgresql+psycopg"
_POSTGRES_NAMES = {"postgres", "postgresql", POSTGRES}
_SQLITE_NAMES = {"sqlite", SQLITE}
BUSY_TIMEOUT_MS = 5000
READ_ONLY = {"runrehab_read_only": True}
"""Execution options for a connection that only reads: on SQLite it begins DEFERRED, so it
waits for no writer (units of work, which read then write, begin IMMEDIATE)."""
_MIGRATION_LOCK = 7_202_612
"""A PostgreSQL advisory lock id, so two processes opening a new journal migrate it once."""


class Database:
    """An open, migrated journal: hands out units of work. ``dispose()`` when done."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.turns = _write_turns(engine.url)
        self.token = secrets.token_hex(8)
        """Tells this database's people apart from another's in a person's ``data_version``
        (one process may open several, as the tests do)."""

    @property
    def url(self) -> str:
        """The database URL for messages, with any password masked."""
        return self.engine.url.render_as_string(hide_password=True)

    def unit_of_work(self, read_only: bool = False) -> SqlUnitOfWork:
        """A unit of work; ``read_only`` ones take no write lock up front (SQLite), so many
        pages can be read while a check-in is written. Writing in one is a bug."""
        turn = None if read_only or self.turns is None else Turn(self.turns)
        return SqlUnitOfWork(self.engine, read_only, self.token, turn)

    def is_empty(self) -> bool:
        """True when the journal holds no people (an import may only go into an empty one)."""
        with self.engine.connect().execution_options(**READ_ONLY) as conn:
            return conn.execute(select(people.c.id).limit(1)).first() is None

    def ping(self) -> bool:
        """True when the database answers a trivial query (the web app's health check)."""
        try:
            with self.engine.connect().execution_options(**READ_ONLY) as conn:
                conn.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return False
        return True

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
        if self.turns is not None:
            self.turns.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.dispose()


def open_database(url_or_path: str) -> Database:
    """Open the journal at ``url_or_path`` (a file path, ``sqlite:///PATH`` or
    ``postgresql://...``), creating it or bringing its schema up to date when needed."""
    url = database_url(url_or_path)
    engine = _engine(url)
    try:
        _ensure_schema(engine, url)
    except BaseException:
        engine.dispose()
        raise
    return Database(engine)


# --- URLs -------------------------------------------------------------------------------------


def database_url(url_or_path: str) -> URL:
    """The SQLAlchemy URL for a path or URL; PostgreSQL URLs get the psycopg driver."""
    if not url_or_path.strip():
        raise DatabaseError("no database given: pass a file path or a postgresql:// URL")
    if "://" not in url_or_path:
        return _sqlite_file(Path(url_or_path).expanduser())
    try:
        url = make_url(url_or_path)
    except (ArgumentError, ValueError) as err:
        raise DatabaseError(f"cannot read the database URL: {err}") from None
    if url.drivername in _POSTGRES_NAMES:
        return url.set(drivername=POSTGRES)
    if url.drivername in _SQLITE_NAMES:
        return _sqlite_file(Path(url.database)) if url.database else url.set(drivername=SQLITE)
    raise DatabaseError(
        f"unsupported database URL scheme {url.drivername!r}: "
        "give a file path, sqlite:///PATH or postgresql://USER@HOST/DATABASE"
    )


def _sqlite_file(path: Path) -> URL:
    """A SQLite URL for ``path``, whose folder must exist (a typo should not create folders)."""
    if path.is_dir():
        raise DatabaseError(f"{path} is a folder: give the path of a database file")
    if not path.parent.is_dir():
        raise DatabaseError(f"cannot create the database {path}: no folder {path.parent}")
    return URL.create(SQLITE, database=str(path))


def _display(url: URL) -> str:
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    return url.render_as_string(hide_password=True)


# --- engines ----------------------------------------------------------------------------------


def _engine(url: URL, *, foreign_keys: bool = True, **options: Any) -> Engine:
    """An engine for ``url``; SQLite connections get the journal's settings (``foreign_keys``
    is off only for migrations)."""
    if url.get_backend_name() == "sqlite":
        engine = create_engine(url, **options)
        event.listen(engine, "connect", _sqlite_pragmas(foreign_keys))
        event.listen(engine, "begin", _begin)
        return engine
    try:
        engine = create_engine(url, **options)
    except ImportError:
        raise DatabaseError(
            "PostgreSQL needs the psycopg driver: install runrehab[postgres]"
        ) from None
    event.listen(engine, "checkin", _returned)
    event.listen(engine, "checkout", _ping_when_idle)
    return engine


IDLE_BEFORE_PING_S = 10.0
"""A pooled PostgreSQL connection idle longer than this is tried (``SELECT 1``) before it is
handed out, and replaced if the server dropped it (a restart, a proxy's timeout); one returned
more recently has just worked, so a busy server does not pay a round trip per unit of work."""


def _returned(_dbapi_connection: Any, record: Any) -> None:
    record.info["returned_at"] = time.monotonic()


def _ping_when_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    returned = record.info.get("returned_at")
    if returned is not None and time.monotonic() - returned < IDLE_BEFORE_PING_S:
        return
    try:
        with closing(dbapi_connection.cursor()) as cursor:
            cursor.execute("SELECT 1")
        dbapi_connection.rollback()  # the driver began a transaction for it
    except Exception as err:  # any failure: the pool makes a new connection and tries again
        raise DisconnectionError(str(err)) from err


def _sqlite_pragmas(foreign_keys: bool) -> Callable[[sqlite3.Connection, object], None]:
    """Set on every new SQLite connection: durability, waiting for locks, integrity."""

    def on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (_begin)
        try:
            with closing(dbapi_connection.cursor()) as cursor:
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=FULL")
                cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
                cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
                # a deleted row's bytes are overwritten, not left in free pages (erasure)
                cursor.execute("PRAGMA secure_delete=ON")
        except BaseException:
            dbapi_connection.close()  # not a database: the pool will never see it to close it
            raise

    return on_connect


def _begin(conn: Connection) -> None:
    options = conn.get_execution_options()
    if options.get("runrehab_read_only", False):
        conn.exec_driver_sql("BEGIN DEFERRED")
        return
    turn = options.get(TURN)
    if isinstance(turn, Turn):
        turn.take()  # the writers' queue (write_turns): SQLite's lock is then free at once
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def _write_turns(url: URL) -> WriteTurns | None:
    """The writers' turns of a SQLite file (``write_turns``); None for PostgreSQL, whose
    writers wait on rows, not on the whole database, and for a database in memory."""
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return WriteTurns(url.database, BUSY_TIMEOUT_MS / 1000)


# --- schema -----------------------------------------------------------------------------------


def _ensure_schema(engine: Engine, url: URL) -> None:
    """Migrate the database to ``migrations.HEAD`` unless it is there already."""
    where = _display(url)
    try:
        with engine.connect().execution_options(**READ_ONLY) as conn:
            revision = _revision(conn, where)
        if revision != migrations.HEAD:
            _check_known(revision, where)
            _migrate(url)
    except (SQLAlchemyError, sqlite3.Error) as err:
        raise DatabaseError(f"cannot open the journal database {where}: {_cause(err)}") from err


def _revision(conn: Connection, where: str) -> str | None:
    """The schema revision recorded in the database; None for a new, empty database."""
    inspector = inspect(conn)
    if not inspector.has_table("alembic_version"):
        if inspector.get_table_names():
            raise DatabaseError(
                f"{where} holds tables but is not a RunRehab journal: give another database"
            )
        return None
    found = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    if len(found) != 1:
        raise DatabaseError(f"{where} has {len(found)} schema versions: it is not ours")
    return str(found[0])


def _check_known(revision: str | None, where: str) -> None:
    if revision is not None and not migrations.is_known(revision):
        raise DatabaseError(
            f"{where} is at schema revision {revision!r}, which this RunRehab does not know: "
            "it was written by a newer release; upgrade RunRehab to open it"
        )


def _migrate(url: URL) -> None:
    """Run the migrations in one transaction, on a connection of their own. On SQLite that
    connection has foreign keys off, as SQLite requires for rebuilding tables (batch mode),
    and the keys are checked before the transaction commits."""
    engine = _engine(url, foreign_keys=False, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _MIGRATION_LOCK})
            migrations.upgrade(conn)
            if conn.dialect.name == "sqlite":
                _check_foreign_keys(conn)
    finally:
        engine.dispose()


def _check_foreign_keys(conn: Connection) -> None:
    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise DatabaseError(f"the migration broke {len(broken)} foreign keys: rolled back")


def _cause(err: BaseException) -> str:
    """The database's own words for ``err``, without SQLAlchemy's statement and links."""
    orig = getattr(err, "orig", None)
    return str(orig if orig is not None else err).strip().splitlines()[0]
