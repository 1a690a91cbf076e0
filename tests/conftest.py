"""Shared test fixtures: the shipped protocol, a typical assessment to vary, and journal
databases: a fresh SQLite file per test, and a fresh PostgreSQL schema per test when
``RUNREHAB_TEST_DATABASE_URL`` names a server.

Each PostgreSQL test gets a schema of its own (``CREATE SCHEMA``, then every connection of the
journal's URL carries ``options=-csearch_path=<schema>``), dropped with everything in it when the
test ends, so tests never see each other's rows and the server is left as it was found.

A test that needs a journal already at the latest revision, not an empty database, takes
``migrated_sqlite_url`` or ``migrated_postgres_url``: a copy of a file migrated once, or a schema
migrated once per test process and emptied of every row after each test (migrating a schema
costs PostgreSQL most of a second; emptying it, a few milliseconds). The migrations themselves
are tested on empty databases (``sqlite_url``, ``postgres_url``)."""

from __future__ import annotations

import copy
import gc
import os
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.pool import NullPool

from runrehab.adapters.db import migrations
from runrehab.adapters.db.database import database_url, open_database
from runrehab.adapters.documents import read_assessment
from runrehab.content import loader
from runrehab.engine.assessment import Assessment
from runrehab.engine.protocol import Protocol

pytest_plugins = ["tests.traceability_plugin"]  # the fires marker, verified as tests run

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

TYPICAL: dict[str, Any] = {
    "age": 34,
    "side": "right",
    "pain": {
        "now": 3,
        "at_rest": 1,
        "worst_last_week": 6,
        "location": ["around_kneecap", "behind_kneecap"],
        "provoked_by": ["running", "stairs_down", "squatting", "prolonged_sitting"],
    },
    "running": {
        "currently_running": True,
        "pain_during_run": 5,
        "pain_rises_during_run": True,
        "pain_settles_within_24h": True,
        "weekly_km_before_pain": 30,
        "longest_run_km_last_30_days": 12,
        "runs_per_week_before_pain": 3,
    },
    "history": {"symptom_weeks": 4, "trend": "unchanged", "onset": "gradual"},
    "signs": {"swelling": "none"},
}


def typical_doc(**changes: Any) -> dict[str, Any]:
    """The typical assessment with dotted-path changes: typical_doc(**{"signs.hot": True})."""
    doc = copy.deepcopy(TYPICAL)
    for dotted, value in changes.items():
        node = doc
        *parents, leaf = dotted.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        if value is None:
            node.pop(leaf, None)
        else:
            node[leaf] = value
    return doc


MODIFIED_RUNNER: dict[str, Any] = {
    "age": 41,
    "side": "left",
    "pain": {
        "now": 1,
        "at_rest": 0,
        "worst_last_week": 3,
        "location": ["around_kneecap"],
        "provoked_by": ["running", "stairs_down"],
    },
    "running": {
        "currently_running": True,
        "pain_during_run": 2,
        "pain_settles_within_24h": True,
        "weekly_km_before_pain": 40,
        "longest_run_km_last_30_days": 16,
        "runs_per_week_before_pain": 4,
    },
    "history": {"symptom_weeks": 3, "trend": "unchanged", "onset": "gradual"},
    "signs": {"swelling": "none"},
}
"""A mild case that self-manages on the modified-running pathway."""


def data_copy(folder: Path) -> Path:
    """A copy of the shipped content data in ``folder``, to edit and load."""
    target = folder / "data"
    shutil.copytree(loader.DATA, target)
    return target


def edit_once(path: Path, old: str, new: str) -> None:
    """Replace the one ``old`` in the file at ``path`` by ``new``."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def toml_strings(value: object, place: str = "$") -> Iterator[tuple[str, str]]:
    """Every string of a parsed TOML file, walked generically, with its place
    (``$.exercise[2].cues[0]``)."""
    if isinstance(value, str):
        yield place, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from toml_strings(item, f"{place}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from toml_strings(item, f"{place}[{index}]")


def typical(**changes: Any) -> Assessment:
    return read_assessment(typical_doc(**changes))


@pytest.fixture(scope="session")
def protocol() -> Protocol:
    return loader.protocol()


@pytest.fixture(scope="session")
def catalogue() -> loader.Catalogue:
    return loader.catalogue()


POSTGRES_URL = os.environ.get("RUNREHAB_TEST_DATABASE_URL", "")
needs_postgres = pytest.mark.skipif(
    not POSTGRES_URL, reason="set RUNREHAB_TEST_DATABASE_URL to test against PostgreSQL"
)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return str(tmp_path / "journal.db")


@pytest.fixture(scope="session")
def _migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite journal migrated to the latest revision, for each test process."""
    path = tmp_path_factory.mktemp("template") / "journal.db"
    open_database(str(path)).dispose()
    return path


@pytest.fixture
def migrated_sqlite_url(_migrated_sqlite: Path, tmp_path: Path) -> str:
    """A new SQLite journal already at the latest revision: a copy of one migrated once, in
    place of migrating a fresh file for every test (the migrations have tests of their own)."""
    target = tmp_path / "journal.db"
    with sqlite3.connect(_migrated_sqlite) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    source.close()
    copy.close()
    return str(target)


def _new_schema(server: Engine) -> str:
    """A new, empty schema of the server, named for tests."""
    schema = f"runrehab_test_{uuid.uuid4().hex[:16]}"
    with server.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    return schema


def _schema_url(schema: str) -> str:
    """The journal's URL whose connections all work in ``schema``."""
    url = database_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


class MigratedSchemas:
    """This test process's PostgreSQL schemas at the latest revision: each handed to one test at
    a time, then emptied (every row deleted, sequences restarted) and handed to the next. A schema a
    test left at another revision, or that cannot be emptied, is dropped instead."""

    def __init__(self) -> None:
        self._server = create_engine(database_url(POSTGRES_URL), poolclass=NullPool)
        self._free: list[str] = []
        self._made: list[str] = []

    def take(self) -> str:
        if self._free:
            return self._free.pop()
        schema = _new_schema(self._server)
        self._made.append(schema)
        open_database(_schema_url(schema)).dispose()
        return schema

    def give_back(self, schema: str) -> None:
        try:
            with self._server.begin() as conn:
                # a test that left a transaction open would make the deletes wait for ever
                conn.execute(text("SET LOCAL lock_timeout = '5s'"))
                found = conn.execute(
                    text(f'SELECT version_num FROM "{schema}".alembic_version')
                ).scalars()
                if list(found) != [migrations.HEAD]:
                    raise LookupError(f"{schema} is no longer at the latest revision")
                tables = conn.execute(
                    text(
                        "SELECT quote_ident(table_name) FROM information_schema.tables "
                        "WHERE table_schema = :schema AND table_type = 'BASE TABLE' "
                        "AND table_name <> 'alembic_version'"
                    ),
                    {"schema": schema},
                ).scalars()
                # DELETE, not TRUNCATE: a TRUNCATE makes every table's files anew (half a
                # second for the journal's tables); with the foreign keys' and revisions'
                # triggers off for this transaction, the order of the deletes does not matter
                conn.execute(text("SET LOCAL session_replication_role = replica"))
                for name in list(tables):
                    conn.execute(text(f'DELETE FROM "{schema}".{name}'))
                sequences = conn.execute(
                    text(
                        "SELECT quote_ident(sequence_name) FROM information_schema.sequences "
                        "WHERE sequence_schema = :schema"
                    ),
                    {"schema": schema},
                ).scalars()
                for name in list(sequences):
                    conn.execute(text(f'ALTER SEQUENCE "{schema}".{name} RESTART'))
        except Exception:  # whatever went wrong, this schema is not reused
            self._drop(schema)
            return
        self._free.append(schema)

    def close(self) -> None:
        for schema in list(self._made):
            self._drop(schema)
        self._server.dispose()

    def _drop(self, schema: str) -> None:
        if schema in self._made:
            self._made.remove(schema)
            with self._server.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))


@pytest.fixture(scope="session")
def _migrated_schemas() -> Iterator[MigratedSchemas]:
    if not POSTGRES_URL:
        pytest.skip("RUNREHAB_TEST_DATABASE_URL is not set")
    schemas = MigratedSchemas()
    try:
        yield schemas
    finally:
        schemas.close()


@pytest.fixture
def migrated_postgres_url(_migrated_schemas: MigratedSchemas) -> Iterator[str]:
    """A PostgreSQL schema at the latest revision, with no rows in it (see the module's doc)."""
    schema = _migrated_schemas.take()
    try:
        yield _schema_url(schema)
    finally:
        _migrated_schemas.give_back(schema)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A URL whose connections all work in a new, empty schema that is dropped afterwards."""
    if not POSTGRES_URL:
        pytest.skip("RUNREHAB_TEST_DATABASE_URL is not set")
    server = create_engine(database_url(POSTGRES_URL), poolclass=NullPool)
    schema = _new_schema(server)
    try:
        yield _schema_url(schema)
    finally:
        with server.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        server.dispose()


@pytest.fixture(autouse=True)
def _collected_after() -> Iterator[None]:
    """After each test and its fixtures' teardown (this fixture is set up before them, so torn
    down after them), a full collection, then whatever outlives it is moved out of the
    collector's reach (``gc.freeze``, as ``runrehab serve`` does once started:
    ``runrehab.web.app.settle``):
    - a connection the test left open (an app built but never started or shut down, an engine
      never disposed) is reported by that test (psycopg's ResourceWarning, an error here), not
      by whichever later test on the same worker the collector happened to run in;
    - what stays (the modules a test imported first, the caches) is not walked again by every
      later collection: unfrozen, the collector's full passes grew with the heap to a sixth of
      a web test worker's time."""
    yield
    gc.collect()
    gc.freeze()
