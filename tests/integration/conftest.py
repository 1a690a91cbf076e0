"""Journal databases for the integration tests: a fresh SQLite file per test, and a fresh
PostgreSQL schema per test when ``RUNREHAB_TEST_DATABASE_URL`` names a server.

Each PostgreSQL test gets a schema of its own (``CREATE SCHEMA``, then every connection of the
journal's URL carries ``options=-csearch_path=<schema>``), dropped with everything in it when the
test ends, so tests never see each other's rows and the server is left as it was found."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from runrehab.adapters.db.database import database_url

POSTGRES_URL = os.environ.get("RUNREHAB_TEST_DATABASE_URL", "")
needs_postgres = pytest.mark.skipif(
    not POSTGRES_URL, reason="set RUNREHAB_TEST_DATABASE_URL to test against PostgreSQL"
)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return str(tmp_path / "journal.db")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A URL whose connections all work in a new, empty schema that is dropped afterwards."""
    if not POSTGRES_URL:
        pytest.skip("RUNREHAB_TEST_DATABASE_URL is not set")
    schema = f"runrehab_test_{uuid.uuid4().hex[:16]}"
    server = create_engine(database_url(POSTGRES_URL), poolclass=NullPool)
    with server.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = database_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with server.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        server.dispose()
