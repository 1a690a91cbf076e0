"""A day worked out once is handed out again only while the runner's journal is unchanged.

The database revises a person (``people.revision``, migration 0011) whenever a row of
``tables.REVISED`` for them is added, changed or deleted, whoever writes it; ``today`` keeps
what it worked out under that revision (``services.journal.kept``). Three things make that
safe, each tested here on SQLite and PostgreSQL:

- every table the day is worked out from is revised (read off the statements ``today`` runs,
  so a table read tomorrow that is not revised fails this test);
- every change to such a table, of any kind and by any path, revises its person only;
- after any sequence of changes, the kept day equals the day worked out afresh.
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from runrehab.adapters.db import tables
from runrehab.adapters.db.database import Database, open_database
from runrehab.adapters.documents import read_assessment, read_checkin
from runrehab.content import locale
from runrehab.engine.overrides import Override, OverrideKind
from runrehab.services.clinic import care
from runrehab.services.clinic.care import clinic_today_page
from runrehab.services.content import shipped_content
from runrehab.services.journal import folds
from runrehab.services.journal.programme import record_checkin, start_programme
from runrehab.services.journal.today import DAYS, day_view, today_view
from runrehab.services.records import (
    LessonRead,
    QuestionnaireResponse,
    StoredOverride,
)
from tests.conftest import typical_doc
from tests.fakes import FixedClock
from tests.integration.conftest import needs_postgres
from tests.integration.test_repository import _web_rows, activity
from tests.unit.services.test_incremental_refold import document as checkin

START = date(2026, 3, 2)
CONTENT = shipped_content()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=needs_postgres)])
def database(request: pytest.FixtureRequest) -> Iterator[Database]:
    with open_database(request.getfixturevalue(f"migrated_{request.param}_url")) as db:
        yield db


def started(db: Database, person: str, clock: FixedClock, days: int = 0) -> None:
    doc = typical_doc()
    start_programme(db.unit_of_work(), clock, CONTENT, doc, read_assessment(doc), START, person)
    rng = random.Random(person)
    for n in range(days):
        sent = checkin(rng, START + timedelta(days=n))
        record_checkin(db.unit_of_work(), clock, CONTENT, sent, read_checkin(sent), person)


def version(db: Database, person: str) -> str | None:
    with db.unit_of_work(read_only=True) as uow:
        found = uow.repo.get_person(person)
        assert found is not None
        return found.data_version


# --- every table the day is worked out from is revised ------------------------------------------


def test_every_table_the_day_reads_is_revised(database: Database) -> None:
    """A runner with every kind of row a day can be planned from (a watch run, a lesson read,
    a questionnaire, a physiotherapist's change), referred by a knee that gave way (a day of
    a programme on hold reads the decision that put it there)."""
    clock = FixedClock()
    started(database, "ana", clock, days=3)
    _web_rows(database, "ana")  # a clinic of theirs, with a change in it
    with database.unit_of_work() as uow:
        uow.repo.add_activity(activity("run-1", START + timedelta(days=1), pid="ana"))
        uow.repo.mark_lesson_read(LessonRead("ana", "pain-guide", START, clock.now()))
        uow.repo.put_response(
            QuestionnaireResponse("ana", "kujala", START, {"limp": "none"}, 70.0, clock.now())
        )
        uow.commit()
    gave_way = {
        **checkin(random.Random(1), START + timedelta(days=3)),
        "signs": {"giving_way": True},
    }
    record_checkin(database.unit_of_work(), clock, CONTENT, gave_way, read_checkin(gave_way), "ana")
    read: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        read.append(statement)

    DAYS.clear()
    care.PAGES.clear()
    sa.event.listen(database.engine, "before_cursor_execute", record)
    try:
        day_view(database.unit_of_work(read_only=True), CONTENT, START + timedelta(days=4), "ana")
        # the Today page: the day and the clinic panel (a clinic's name: its own trigger)
        day = START + timedelta(days=4)
        clinic_today_page(database.unit_of_work(read_only=True), CONTENT, "ana", day, day)
    finally:
        sa.event.remove(database.engine, "before_cursor_execute", record)
    named = {
        name.lower()
        for statement in read
        for name in re.findall(r"\b(?:FROM|JOIN)\s+([A-Za-z_]+)", statement, re.IGNORECASE)
    }
    # the recorder saw the day's reads, those of a programme on hold too
    assert {"checkins", "programmes", "activities", "decisions", "clinic_messages"} <= named
    assert named - {"people", "clinics"} <= set(tables.REVISED)


def test_every_revised_table_has_its_triggers(database: Database) -> None:
    with database.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            found = conn.execute(
                sa.text("SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
            ).all()
            events = {
                (table, event)
                for table, sql in found
                for event in ("INSERT", "UPDATE", "DELETE")
                if f"AFTER {event} ON {table}" in sql
            }
        else:
            found = conn.execute(
                sa.text(
                    "SELECT event_object_table, event_manipulation"
                    " FROM information_schema.triggers WHERE trigger_name LIKE 'revise_%'"
                )
            ).all()
            events = {(table, event) for table, event in found}
    for table in tables.REVISED:
        for event in ("INSERT", "UPDATE", "DELETE"):
            assert (table, event) in events, f"{table} is not revised on {event}"


# --- every change revises its person, and only them ----------------------------------------------


def test_each_change_to_a_revised_table_revises_its_person_only(database: Database) -> None:
    clock = FixedClock()
    started(database, "ana", clock, days=2)
    started(database, "ben", clock, days=2)
    _web_rows(database, "ana")  # an account, a clinic of theirs and an override in it
    with database.unit_of_work() as uow:
        uow.repo.add_activity(activity("run-1", START, pid="ana"))
        uow.repo.mark_lesson_read(LessonRead("ana", "pain-guide", START, clock.now()))
        uow.repo.put_response(
            QuestionnaireResponse("ana", "kujala", START, {"limp": "none"}, 70.0, clock.now())
        )
        uow.commit()
    for table in reversed(tables.REVISED):  # decisions before their programmes
        owner = "programme_id IN (SELECT id FROM programmes WHERE person_id = 'ana')"
        mine = owner if table == "decisions" else "person_id = 'ana'"
        column = "day" if table == "decisions" else "person_id"
        for change in (
            f"UPDATE {table} SET {column} = {column} WHERE {mine}",
            f"DELETE FROM {table} WHERE {mine}",
        ):
            before = {p: version(database, p) for p in ("ana", "ben")}
            with database.engine.begin() as conn:
                if conn.dialect.name == "sqlite":
                    conn.exec_driver_sql("PRAGMA foreign_keys = OFF")  # rows left behind
                assert conn.execute(sa.text(change)).rowcount > 0, change
            assert version(database, "ana") != before["ana"], change
            assert version(database, "ben") == before["ben"], change


def test_a_clinic_renamed_or_deleted_revises_its_runners_only(database: Database) -> None:
    clock = FixedClock()
    started(database, "ana", clock, days=1)
    started(database, "ben", clock, days=1)
    _web_rows(database, "ana")  # ana is a runner of her own clinic; ben of none
    for change in (
        "UPDATE clinics SET name = 'Knee Clinic' WHERE id = 'clinic-ana'",
        "DELETE FROM clinics WHERE id = 'clinic-ana'",
    ):
        before = {p: version(database, p) for p in ("ana", "ben")}
        with database.engine.begin() as conn:
            assert conn.execute(sa.text(change)).rowcount == 1, change
        assert version(database, "ana") != before["ana"], change
        assert version(database, "ben") == before["ben"], change


def test_writing_nothing_keeps_the_revision(database: Database) -> None:
    clock = FixedClock()
    started(database, "ana", clock, days=2)
    before = version(database, "ana")
    day_view(database.unit_of_work(), CONTENT, START + timedelta(days=2), "ana")
    with database.unit_of_work() as uow:
        uow.repo.add_activity(activity("run-1", START, pid="ana"))
        # rolled back: not committed
    assert version(database, "ana") == before


def test_a_person_made_again_does_not_start_at_a_kept_revision(database: Database) -> None:
    clock = FixedClock()
    started(database, "ana", clock)
    first = version(database, "ana")
    with database.unit_of_work() as uow:
        uow.repo.delete_person("ana")
        uow.commit()
    started(database, "ana", clock)
    assert version(database, "ana") != first


# --- the kept day is the day worked out afresh -------------------------------------------------

Change = Callable[[Database, FixedClock, random.Random, str], None]


def _checkin(day: int) -> Change:
    def change(db: Database, clock: FixedClock, rng: random.Random, pid: str) -> None:
        sent = checkin(rng, START + timedelta(days=day))
        record_checkin(db.unit_of_work(), clock, CONTENT, sent, read_checkin(sent), pid)

    return change


def _write(action: Callable[[Any, FixedClock, random.Random, str], None]) -> Change:
    def change(db: Database, clock: FixedClock, rng: random.Random, pid: str) -> None:
        with db.unit_of_work() as uow:
            action(uow, clock, rng, pid)
            uow.commit()

    return change


def _override(uow: Any, clock: FixedClock, rng: random.Random, pid: str) -> None:
    kind = rng.choice((OverrideKind.HOLD_PHASE, OverrideKind.RUN_MINUTES))
    day = START + timedelta(days=rng.randrange(8))
    minutes = 10 if kind is OverrideKind.RUN_MINUTES else None
    found = Override(f"o-{pid}-{rng.random()}", kind, day, "physio's words", minutes=minutes)
    uow.repo.add_override(
        StoredOverride(pid, f"clinic-{pid}", found, f"acct-{pid}", "Physio", clock.now())
    )


def _undo_overrides(uow: Any, clock: FixedClock, _rng: random.Random, pid: str) -> None:
    for stored in uow.repo.overrides(pid):
        if stored.undone_at is None:
            until = START + timedelta(days=4)
            uow.repo.undo_override(pid, stored.override.id, until, clock.now(), f"acct-{pid}")


def _response(uow: Any, clock: FixedClock, rng: random.Random, pid: str) -> None:
    day = START + timedelta(days=rng.randrange(8))
    answers = {"limp": "none"}
    uow.repo.put_response(
        QuestionnaireResponse(pid, "kujala", day, answers, rng.choice((55.0, 80.0)), clock.now())
    )


def _lesson(uow: Any, clock: FixedClock, rng: random.Random, pid: str) -> None:
    lesson = rng.choice(sorted(x.id for x in CONTENT.protocol.lessons))
    day = START + timedelta(days=rng.randrange(8))
    uow.repo.mark_lesson_read(LessonRead(pid, lesson, day, clock.now()))


def _watch_run(uow: Any, _clock: FixedClock, rng: random.Random, pid: str) -> None:
    day = START + timedelta(days=rng.randrange(8))
    uow.repo.add_activity(activity(f"run-{rng.randrange(10**9)}", day, pid=pid))


CHANGES: dict[str, Change] = {
    **{f"checkin day {d}": _checkin(d) for d in range(8)},
    "an override": _write(_override),
    "overrides undone": _write(_undo_overrides),
    "a questionnaire": _write(_response),
    "a lesson read": _write(_lesson),
    "a watch run": _write(_watch_run),
}


def _fresh(db: Database, day: date, pid: str) -> dict[str, Any]:
    DAYS.clear()
    folds.FOLDS.clear()
    return today_view(db.unit_of_work(read_only=True), CONTENT, day, pid)


RUNNERS = itertools.count()


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    changes=st.lists(st.sampled_from(sorted(CHANGES)), min_size=1, max_size=6),
    seed=st.integers(0, 2**16),
)
def test_the_kept_day_is_the_day_worked_out_afresh(
    database: Database, changes: list[str], seed: int
) -> None:
    pid = f"runner-{next(RUNNERS)}"  # a new runner for each example
    clock, rng = FixedClock(datetime(2026, 3, 10, 8, tzinfo=UTC)), random.Random(seed)
    started(database, pid, clock, days=3)
    _web_rows(database, pid)
    days = [START + timedelta(days=n) for n in (3, 8)]
    for name in changes:
        for day in days:  # kept from before the change
            today_view(database.unit_of_work(read_only=True), CONTENT, day, pid)
        CHANGES[name](database, clock, rng, pid)
        clock.advance(minutes=5)
        for day in days:
            kept = today_view(database.unit_of_work(read_only=True), CONTENT, day, pid)
            assert kept == _fresh(database, day, pid), f"{name}, then today on {day}"


def test_a_day_kept_in_one_unit_or_language_is_not_handed_out_in_another(
    database: Database,
) -> None:
    clock = FixedClock()
    started(database, "ana", clock, days=3)
    with database.unit_of_work() as uow:
        uow.repo.add_activity(activity("run-1", START + timedelta(days=1), pid="ana"))
        uow.commit()
    day = START + timedelta(days=3)
    said: dict[tuple[str, str], dict[str, Any]] = {}
    for language, units in (("en", "km"), ("en", "mi"), ("de", "km"), ("en", "km")):
        with locale.using(language, units):
            kept = today_view(database.unit_of_work(read_only=True), CONTENT, day, "ana")
            assert kept == _fresh(database, day, "ana"), (language, units)
            said[(language, units)] = kept
    assert said[("en", "km")] != said[("en", "mi")]  # the day says a distance
    assert said[("en", "km")] != said[("de", "km")]
