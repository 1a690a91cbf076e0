"""One transaction on the journal database, behind the ``UnitOfWork`` port.

``with uow:`` checks out a connection; the first statement begins the transaction, ``commit()``
makes everything written so far durable, and leaving the block rolls back whatever was not
committed, so a refused check-in or a crash half-way leaves nothing half-saved. The same unit of
work may be entered again later, as the fake's can; one that only reads may also be entered
again while it is open, and the inner blocks share the outer one's read.
"""

from __future__ import annotations

from importlib import import_module
from types import TracebackType
from typing import TYPE_CHECKING, Self

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import OperationalError

from runrehab.adapters.db.repository import SqlRepository
from runrehab.adapters.db.write_turns import Turn
from runrehab.errors import DatabaseError
from runrehab.services.ports import Repository

if TYPE_CHECKING:
    from runrehab.services.accounts.account import AccountStore
    from runrehab.services.accounts.throttle import ThrottleStore
    from runrehab.services.activities.import_jobs import JobStore
    from runrehab.services.clinic.exports import ExportStore
    from runrehab.services.clinic.ports import ClinicStore
    from runrehab.services.movement.records import MovementStore
    from runrehab.services.reminders.ports import ReminderStore

_STORES = {
    "accounts": ("runrehab.adapters.db.account_store", "SqlAccountStore"),
    "jobs": ("runrehab.adapters.db.job_store", "SqlJobStore"),
    "throttle": ("runrehab.adapters.db.throttle_store", "SqlThrottleStore"),
    "clinic": ("runrehab.adapters.db.clinic_store", "SqlClinicStore"),
    "reminders": ("runrehab.adapters.db.reminder_store", "SqlReminderStore"),
    "movement": ("runrehab.adapters.db.movement_store", "SqlMovementStore"),
    "exports": ("runrehab.adapters.db.export_store", "SqlExportStore"),
}
"""The stores besides the journal: their module and class, imported when first asked for."""


TURN = "runrehab_turn"
"""The execution option that carries a SQLite writer's ``write_turns.Turn`` to ``BEGIN``."""


class SqlUnitOfWork:
    def __init__(
        self, engine: Engine, read_only: bool = False, token: str = "", turn: Turn | None = None
    ) -> None:
        self._engine = engine
        self._read_only = read_only
        self._turn = turn
        self._depth = 0
        self._connection: Connection | None = None
        self._erased = False
        self._journal = SqlRepository(
            self._active, on_erase=self._mark_erased, writes=not read_only, token=token
        )
        self.repo: Repository = self._journal

    # The other stores are made when first asked for (most units of work use the journal
    # only), and their modules imported then: a command line answer does not pay for them.
    accounts: AccountStore
    jobs: JobStore
    throttle: ThrottleStore
    clinic: ClinicStore
    reminders: ReminderStore
    movement: MovementStore
    exports: ExportStore

    def __getattr__(self, name: str) -> object:
        made = _STORES.get(name)
        if made is None:
            raise AttributeError(name)
        module, kind = made
        store = getattr(import_module(module), kind)(self._active)
        setattr(self, name, store)  # asked again: found without coming here
        return store

    def _active(self) -> Connection:
        if self._connection is None:
            raise RuntimeError("the repository is only open inside `with uow:`")
        return self._connection

    def __enter__(self) -> Self:
        if self._connection is not None:
            if not self._read_only:
                raise RuntimeError("this unit of work is already open")
            # a reader entered again joins the read it is in: a page reads who is asking, the
            # day and the page through one connection (web.deps, one trip)
            self._depth += 1
            return self
        try:
            connection = self._engine.connect()
            if self._read_only and connection.dialect.name == "postgresql":
                # each statement reads what was committed when it began, inside a transaction
                # (READ COMMITTED, PostgreSQL's) or not: without one, a page's reads save the
                # round trips of BEGIN and ROLLBACK
                connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            elif self._read_only:
                # SQLite begins DEFERRED: readers wait for no writer (see database.READ_ONLY)
                connection = connection.execution_options(runrehab_read_only=True)
            elif self._turn is not None:
                connection = connection.execution_options(**{TURN: self._turn})
            self._connection = connection
        except OperationalError as err:
            raise DatabaseError(f"cannot reach the database: {_cause(err)}") from err
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._depth:
            self._depth -= 1
            return
        connection, self._connection = self._connection, None
        self._journal.forget()
        try:
            if connection is not None:
                connection.close()  # rolls back what was not committed
        finally:
            if self._turn is not None:
                self._turn.give_back()  # after SQLite's lock: the next writer finds it free
        if isinstance(exc, OperationalError):
            raise DatabaseError(f"the database failed: {_cause(exc)}") from exc

    def commit(self) -> None:
        connection = self._active()
        connection.commit()
        self._journal.forget()
        if self._erased:
            self._erased = False
            _erase_traces(connection)

    def _mark_erased(self) -> None:
        self._erased = True

    def rollback(self) -> None:
        self._journal.forget()
        if self._connection is not None:
            self._connection.rollback()


def _erase_traces(connection: Connection) -> None:
    """After a person is erased from SQLite: copy the overwritten pages (``secure_delete``)
    into the database file and empty the write-ahead log, which still held the old pages, so
    no copy of the erased rows is left in either file. Runs outside any transaction."""
    if connection.dialect.name != "sqlite":
        return  # PostgreSQL reuses the space after VACUUM (docs/security.md)
    raw = connection.connection.dbapi_connection
    if raw is not None:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _cause(err: OperationalError) -> str:
    return str(err.orig).strip().splitlines()[0] if err.orig is not None else str(err)
