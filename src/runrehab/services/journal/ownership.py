"""Use cases of data ownership: everything about a person out, back in, or gone."""

from __future__ import annotations

import uuid
from datetime import date

from runrehab.errors import InvalidDocument, JournalError, Problem
from runrehab.services.journal.programme import resolve_person
from runrehab.services.ports import Clock, UnitOfWork
from runrehab.services.records import Journal, Note
from runrehab.text import text_problem

NOTE_MAX_CHARS = 4000


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
        )


def write_journal(uow: UnitOfWork, journal: Journal) -> None:
    """Store a journal read from an export, exactly as it was; all of it or nothing."""
    with uow:
        repo = uow.repo
        if repo.get_person(journal.person.id) is not None:
            raise JournalError(
                f"person {journal.person.id} is already in this database: import into an empty "
                "database, or delete that person first (runrehab delete-me)"
            )
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
        uow.commit()


def delete_person(uow: UnitOfWork, person_id: str | None = None) -> str:
    """Delete a person and all their data; returns the id deleted."""
    with uow:
        person = resolve_person(uow.repo, person_id)
        uow.repo.delete_person(person.id)
        uow.commit()
    return person.id


def add_note(
    uow: UnitOfWork,
    clock: Clock,
    day: date,
    text: str,
    author: str = "runner",
    person_id: str | None = None,
) -> Note:
    """Keep a free-text note for ``day`` (the runner's own, or a clinician's)."""
    text = text.strip()
    if not text:
        raise InvalidDocument("note", [Problem("$.text", "is empty")])
    problem = text_problem(text)
    if problem is not None:
        raise InvalidDocument("note", [Problem("$.text", problem)])
    if len(text) > NOTE_MAX_CHARS:
        raise InvalidDocument(
            "note", [Problem("$.text", f"is longer than {NOTE_MAX_CHARS} characters")]
        )
    with uow:
        person = resolve_person(uow.repo, person_id)
        note = Note(uuid.uuid4().hex, person.id, day, author, text, clock.now())
        uow.repo.add_note(note)
        uow.commit()
    return note
