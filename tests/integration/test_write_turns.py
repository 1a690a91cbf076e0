"""SQLite's writers take turns (``adapters.db.write_turns``): a writer waits for the one before
it and goes on as soon as that one's unit of work closes, whichever thread or process it is
in; readers never wait; a turn is given back however its unit of work ends, a killed
process's included; and waiting is bounded, so a stuck writer is reported, not waited on."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from runrehab.adapters.db import database as database_module
from runrehab.adapters.db import tables
from runrehab.adapters.db.database import Database, open_database
from runrehab.adapters.db.write_turns import WriteTurns
from runrehab.errors import DatabaseError
from runrehab.services.records import Person

WHEN = datetime(2026, 12, 1, tzinfo=UTC)

HOLDER = """
import sys
from runrehab.adapters.db.write_turns import WriteTurns
turns = WriteTurns(sys.argv[1], 5.0)
assert turns.take()
print("held", flush=True)
sys.stdin.readline()
"""


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    found = open_database(str(tmp_path / "journal.db"))
    yield found
    found.dispose()


def _write(db: Database, name: str) -> None:
    """One writing unit of work: a person added (its first statement takes the turn)."""
    with db.unit_of_work() as uow:
        uow.repo.add_person(Person(name, name, WHEN))
        uow.commit()


def _people(db: Database) -> set[str]:
    with db.engine.connect() as conn:
        return set(conn.execute(sa.select(tables.people.c.id)).scalars())


def test_a_writer_waits_for_the_one_before_and_goes_on_when_its_unit_of_work_closes(
    db: Database,
) -> None:
    done = threading.Event()
    with db.unit_of_work() as first:
        first.repo.add_person(Person("ana", "Ana", WHEN))  # the turn is this unit of work's now

        def second_writer() -> None:
            _write(db, "bo")
            done.set()

        second = threading.Thread(target=second_writer)
        second.start()
        assert not done.wait(0.3), "the second writer went on while the first held its turn"
        first.commit()
        # committed, but the unit of work is still open: its turn is still held
        assert not done.wait(0.2)
    assert done.wait(2), "the second writer was not woken when the first closed"
    second.join()
    assert _people(db) == {"ana", "bo"}


def test_a_reader_never_waits_for_a_writers_turn(db: Database) -> None:
    _write(db, "ana")
    with db.unit_of_work() as writer:
        writer.repo.add_person(Person("bo", "Bo", WHEN))
        started = time.perf_counter()
        with db.unit_of_work(read_only=True) as reader:
            assert reader.repo.get_person("ana") is not None
        assert time.perf_counter() - started < 1
        writer.commit()


def test_a_unit_of_work_that_commits_and_writes_again_keeps_its_one_turn(db: Database) -> None:
    with db.unit_of_work() as uow:
        uow.repo.add_person(Person("ana", "Ana", WHEN))
        uow.commit()
        uow.repo.add_person(
            Person("bo", "Bo", WHEN)
        )  # a new transaction, the same turn: no waiting on itself
        uow.commit()
    _write(db, "cy")  # and it was given back
    assert _people(db) == {"ana", "bo", "cy"}


def test_a_failed_unit_of_work_gives_its_turn_back(db: Database) -> None:
    with pytest.raises(RuntimeError), db.unit_of_work() as uow:
        uow.repo.add_person(Person("ana", "Ana", WHEN))
        raise RuntimeError("a refused check-in, half-way")
    started = time.perf_counter()
    _write(db, "bo")
    assert time.perf_counter() - started < 1
    assert _people(db) == {"bo"}  # nothing of the failed one was kept


@contextmanager
def _holder(database: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process that takes the turn and holds it until a line comes on its stdin."""
    with subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(database)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as held:
        try:
            assert held.stdout is not None and held.stdout.readline().strip() == "held"
            yield held
        finally:
            held.kill()


def test_turns_are_taken_across_processes_and_a_killed_holders_is_given_back(
    tmp_path: Path,
) -> None:
    database = tmp_path / "journal.db"
    turns = WriteTurns(str(database), 0.3)
    with _holder(database) as holder:
        started = time.perf_counter()
        assert not turns.take(), "another process holds the turn: this one must not get it"
        assert time.perf_counter() - started >= 0.3  # it waited, as long as it may, no longer
        holder.kill()
        holder.wait()
        assert turns.take(), "the kernel gives a killed process's turn back"
        turns.give_back()
    turns.close()


def test_a_writer_past_the_wait_is_told_the_database_is_locked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 200)  # SQLite's wait and the turn's
    database = tmp_path / "journal.db"
    db = open_database(str(database))
    # a stuck writer elsewhere: it holds the turn and SQLite's lock, as a writing unit of work
    locker = sa.create_engine(f"sqlite:///{database}", isolation_level=None)
    try:
        with _holder(database) as holder, locker.connect() as conn:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            started = time.perf_counter()
            with pytest.raises(DatabaseError, match="locked"):
                _write(db, "ana")
            assert time.perf_counter() - started < 3  # both waits bounded, then the message
            conn.exec_driver_sql("ROLLBACK")
            holder.communicate("\n", timeout=5)
        _write(db, "bo")  # the lock and the turn are free again: writing goes on
        assert _people(db) == {"bo"}
    finally:
        locker.dispose()
        db.dispose()


def test_without_a_file_for_the_turns_a_writer_still_writes(tmp_path: Path) -> None:
    """A folder where the turns' file cannot be made (read-only, say): SQLite's own lock."""
    turns = WriteTurns(str(tmp_path / "no-such-folder" / "journal.db"), 3.0)
    started = time.perf_counter()
    assert not turns.take()  # no turn, at once (not after the wait), and nothing held
    assert time.perf_counter() - started < 1
    assert not turns.take()
