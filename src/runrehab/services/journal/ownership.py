"""Use cases of data ownership: everything about a person out, back in, or gone, and notes.

The export document's format is the adapters' (``adapters.transfer``, documented in
docs/export-format.md): the command line hands its writer and reader to these use cases, which
decide what goes out, what is checked on the way in, and what is said.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from runrehab.content.schema import Rule
from runrehab.content.words import Words, shipped_words
from runrehab.errors import InvalidDocument, JournalError, Problem
from runrehab.services.content import ProgrammeContent
from runrehab.services.journal.programme import resolve_person
from runrehab.services.movement.checks import exported_checks, restore_checks
from runrehab.services.ports import Clock, UnitOfWork
from runrehab.services.records import Journal, Note
from runrehab.text import text_problem

NOTE_MAX_CHARS = 4000

JournalWriter = Callable[[Journal, datetime], dict[str, Any]]
"""Turns a journal into the export document, stamped with when it was made."""
JournalReader = Callable[[object, Mapping[str, Rule], Collection[str]], Journal]
"""Reads an export document back, knowing the rules and the lessons there are; refuses a
damaged one (``InvalidDocument``)."""


@dataclass(frozen=True, slots=True)
class RestoredCounts:
    """What an import kept: whose journal, and how many of each record."""

    person: str
    assessments: int
    checkins: int
    decisions: int
    questionnaires: int
    notes: int
    activities: int
    lessons_read: int


@dataclass(frozen=True, slots=True)
class Restored:
    imported: RestoredCounts


@dataclass(frozen=True, slots=True)
class NoteView:
    id: str
    date: date
    text: str


@dataclass(frozen=True, slots=True)
class NoteKept:
    note: NoteView


@dataclass(frozen=True, slots=True)
class Erased:
    """The person deleted, with all their data."""

    deleted: str


def read_journal(uow: UnitOfWork, person_id: str | None = None) -> Journal:
    """Everything stored about one person."""
    with uow:
        repo = uow.repo
        person = resolve_person(repo, person_id)
        programmes = tuple(repo.programmes(person.id))
        return Journal(
            person=person,
            assessments=tuple(repo.assessments(person.id)),
            programmes=programmes,
            decisions=tuple(d for p in programmes for d in repo.decisions(p.id)),
            checkins=tuple(repo.checkins(person.id)),
            responses=tuple(repo.responses(person.id)),
            notes=tuple(repo.notes(person.id)),
            activities=tuple(repo.activities(person.id)),
            lessons_read=tuple(repo.lessons_read(person.id)),
            overrides=tuple(repo.overrides(person.id)),
            movement_checks=exported_checks(uow, person.id),
        )


def export_journal(
    uow: UnitOfWork, clock: Clock, write: JournalWriter, person_id: str | None = None
) -> dict[str, Any]:
    """Everything about the person as the export document, stamped now."""
    return write(read_journal(uow, person_id), clock.now())


def import_journal(
    uow: UnitOfWork,
    content: ProgrammeContent,
    document: object,
    read: JournalReader,
) -> Restored:
    """Restore a journal from an export document: read in full against the rules and lessons
    this RunRehab has, then stored exactly as it was, all of it or nothing."""
    lessons = {x.id for x in content.protocol.lessons}
    journal = read(document, content.book.rules, lessons)
    write_journal(uow, journal, content.words)
    return Restored(
        RestoredCounts(
            person=journal.person.id,
            assessments=len(journal.assessments),
            checkins=len(journal.checkins),
            decisions=len(journal.decisions),
            questionnaires=len(journal.responses),
            notes=len(journal.notes),
            activities=len(journal.activities),
            lessons_read=len(journal.lessons_read),
        )
    )


def write_journal(uow: UnitOfWork, journal: Journal, words: Words | None = None) -> None:
    """Store a journal read from an export, exactly as it was; all of it or nothing. A person
    already in the database is refused (``words``: the shipped ones unless given)."""
    with uow:
        repo = uow.repo
        if repo.get_person(journal.person.id) is not None:
            said = (words or shipped_words()).say(
                "ownership.import.person_already_there", person=journal.person.id
            )
            raise JournalError(said)
        repo.add_person(journal.person)
        for a in journal.assessments:
            repo.add_assessment(a)
        for p in journal.programmes:
            repo.add_programme(p)
            mine = [d for d in journal.decisions if d.programme_id == p.id]
            repo.replace_decisions(p.id, p.started_on, mine)
        for c in journal.checkins:
            repo.put_checkin(c)
        for r in journal.responses:
            repo.put_response(r)
        for n in journal.notes:
            repo.add_note(n)
        for activity in journal.activities:
            repo.add_activity(activity)
        for read in journal.lessons_read:
            repo.mark_lesson_read(read)
        for override in journal.overrides:
            repo.add_override(override)
        restore_checks(uow, journal.movement_checks)
        uow.commit()


def delete_person(uow: UnitOfWork, person_id: str | None = None) -> Erased:
    """Delete a person and all their data."""
    with uow:
        person = resolve_person(uow.repo, person_id)
        uow.repo.delete_person(person.id)
        uow.commit()
    return Erased(person.id)


def add_note(
    uow: UnitOfWork,
    clock: Clock,
    day: date,
    text: str,
    author: str = "runner",
    person_id: str | None = None,
    words: Words | None = None,
) -> NoteKept:
    """Keep a free-text note for ``day`` (the runner's own, or a clinician's). Empty text, text
    that breaks the text rule, or too long a note is refused at ``$.text`` (``words``: the
    shipped ones unless given)."""
    text = text.strip()
    problem = _note_problem(text, words or shipped_words())
    if problem is not None:
        raise InvalidDocument("note", [Problem("$.text", problem)])
    with uow:
        person = resolve_person(uow.repo, person_id)
        note = Note(uuid.uuid4().hex, person.id, day, author, text, clock.now())
        uow.repo.add_note(note)
        uow.commit()
    return NoteKept(NoteView(note.id, note.day, note.text))


def _note_problem(text: str, words: Words) -> str | None:
    if not text:
        return words.say("ownership.note.empty")
    problem = text_problem(text)
    if problem is not None:
        return problem
    if len(text) > NOTE_MAX_CHARS:
        return words.say("ownership.note.too_long", most=NOTE_MAX_CHARS)
    return None
