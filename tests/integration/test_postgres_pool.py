"""A pooled PostgreSQL connection the server dropped (a restart, a proxy's timeout) is replaced
before a unit of work gets it: the next request works (``database._ping_when_idle``)."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from runrehab.adapters.db import database
from runrehab.adapters.db.database import open_database
from runrehab.errors import DatabaseError


def test_a_connection_the_server_dropped_is_replaced(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database, "IDLE_BEFORE_PING_S", 0.0)  # every connection is tried
    db = open_database(postgres_url)
    try:
        with db.engine.connect() as conn:
            pid = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
        admin = create_engine(database.database_url(postgres_url), poolclass=NullPool)
        with admin.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        admin.dispose()
        with db.unit_of_work(read_only=True) as uow:
            assert uow.repo.people() == []
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT pg_backend_pid()")).scalar_one() != pid
    finally:
        db.dispose()


def test_a_connection_just_returned_is_handed_out_untried(postgres_url: str) -> None:
    """A busy server pays no round trip per unit of work: a connection back in the pool for
    less than ``IDLE_BEFORE_PING_S`` is used as it is (were it dropped meanwhile, that one
    unit of work fails, cleanly, and the pool starts afresh)."""
    db = open_database(postgres_url)
    try:
        with db.engine.connect() as conn:
            pid = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
        admin = create_engine(database.database_url(postgres_url), poolclass=NullPool)
        with admin.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        admin.dispose()
        with pytest.raises(DatabaseError), db.unit_of_work(read_only=True) as uow:
            uow.repo.people()
        with db.unit_of_work(read_only=True) as uow:
            assert uow.repo.people() == []
    finally:
        db.dispose()
