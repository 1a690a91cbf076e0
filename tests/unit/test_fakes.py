"""The in-memory unit of work keeps and restores its tables by copying the tables, not their
rows (``tests.fakes._snapshot``): sound only while every row is a frozen record."""

from __future__ import annotations

import dataclasses
import typing
from datetime import UTC, datetime

from runrehab.services.records import Note, Person
from tests.fakes import FakeUnitOfWork, _Tables


def test_every_row_the_fake_keeps_is_a_frozen_record() -> None:
    hints = typing.get_type_hints(_Tables)
    for table in dataclasses.fields(_Tables):
        row = typing.get_args(hints[table.name])[-1]  # a dict's value, a list's item
        assert dataclasses.is_dataclass(row), (table.name, row)
        assert vars(row)["__dataclass_params__"].frozen, (table.name, row)


def test_a_rollback_restores_the_tables_and_a_commit_keeps_them() -> None:
    uow = FakeUnitOfWork()
    at = datetime(2026, 12, 1, tzinfo=UTC)
    uow.repo.add_person(Person("p1", "Ann", at))
    uow.commit()
    uow.repo.add_note(Note("n1", "p1", at.date(), "physio", "kept", at))
    uow.repo.add_person(Person("p2", "Bob", at))
    uow.rollback()
    assert [p.id for p in uow.repo.people()] == ["p1"] and uow.repo.notes("p1") == []
    uow.repo.add_note(Note("n1", "p1", at.date(), "physio", "kept", at))
    uow.commit()
    uow.repo.add_person(Person("p3", "Cy", at))
    uow.rollback()
    assert [p.id for p in uow.repo.people()] == ["p1"]
    assert [n.text for n in uow.repo.notes("p1")] == ["kept"]
