"""A clinician's clinical notes on a patient (subjective, objective, assessment, plan), private
to the clinic.

The runner never reads a note: what they see is the audit log's entry that one was written
(``clinical_note``), on My clinic. Each note is dated the day it is about: not after the
clinician's today, not before ``EARLIEST``."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from runrehab.content.words import Words
from runrehab.services.clinic.access import ClinicError, Clinician, audit, require_patient
from runrehab.services.clinic.ports import ClinicUnitOfWork
from runrehab.services.clinic.records import ClinicalNote
from runrehab.services.ports import Clock
from runrehab.text import text_problem

NOTE_FIELDS = ("subjective", "objective", "assessment", "plan")
NOTE_MAX = 4000
EARLIEST = date(2000, 1, 1)
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True, slots=True)
class NoteRow:
    id: str
    day: date
    author: str
    subjective: str
    objective: str
    assessment: str
    plan: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ClinicalNotes:
    """A patient's notes, newest first."""

    patient_id: str
    notes: tuple[NoteRow, ...]


def add_clinical_note(
    uow: ClinicUnitOfWork,
    clock: Clock,
    words: Words,
    who: Clinician,
    person_id: str,
    fields: Mapping[str, object],
    today: date,
) -> NoteRow:
    """Keep a note on ``person_id`` from ``fields`` (day, subjective, objective, assessment,
    plan): ``NotFound`` for a runner not of ``who``'s clinic, ``ClinicError`` naming the field
    at fault, nothing kept then."""
    now = clock.now()
    with uow:
        require_patient(uow.clinic, who, person_id, words)
        day = past_day(words, fields.get("day"), today, "day")
        texts = {name: _note_text(words, name, fields.get(name)) for name in NOTE_FIELDS}
        if not any(texts.values()):
            raise ClinicError(words.say("clinic_care.note.empty"), NOTE_FIELDS[0])
        note = ClinicalNote(
            id=uuid.uuid4().hex,
            person_id=person_id,
            clinic_id=who.clinic_id,
            author_id=who.account_id,
            author_name=who.name,
            day=day,
            created_at=now,
            **texts,
        )
        uow.clinic.add_clinical_note(note)
        audit(uow.clinic, who, person_id, "write", "clinical_note", now)
        uow.commit()
    return note_row(note)


def clinical_notes_of(
    uow: ClinicUnitOfWork, clock: Clock, words: Words, who: Clinician, person_id: str
) -> ClinicalNotes:
    """The clinic's notes on ``person_id``, newest first (the reading is logged)."""
    with uow:
        require_patient(uow.clinic, who, person_id, words)
        notes = uow.clinic.clinical_notes(person_id, who.clinic_id)
        audit(uow.clinic, who, person_id, "read", "clinical_notes", clock.now())
        uow.commit()
    rows = sorted((note_row(n) for n in notes), key=lambda r: (r.day, r.created_at), reverse=True)
    return ClinicalNotes(person_id, tuple(rows))


def past_day(words: Words, given: object, today: date, field: str) -> date:
    """``given`` (``YYYY-MM-DD``; None: ``today``) as a day from ``EARLIEST`` to ``today``;
    else ``ClinicError`` on ``field``."""
    if given is None:
        return today
    day = given if isinstance(given, date) else _iso_day(str(given))
    if day is None:
        said = words.say("clinic_care.day.not_a_date", text=str(given)[:40])
        raise ClinicError(said, field)
    if day > today:
        said = words.say("clinic_care.day.future", day=day.isoformat(), today=today.isoformat())
        raise ClinicError(said, field)
    if day < EARLIEST:
        raise ClinicError(words.say("clinic_care.day.too_early", earliest=EARLIEST), field)
    return day


def _iso_day(text: str) -> date | None:
    cleaned = text.strip()
    if not _ISO_DAY.fullmatch(cleaned):
        return None
    try:
        return date.fromisoformat(cleaned)
    except ValueError:  # 2026-02-30
        return None


def _note_text(words: Words, name: str, given: object) -> str:
    text = "" if given is None else str(given).strip()
    if len(text) > NOTE_MAX:
        raise ClinicError(words.say("clinic_care.note.too_long", field=name, max=NOTE_MAX), name)
    problem = text_problem(text)
    if problem is not None:
        raise ClinicError(words.say("clinic_care.note.bad_text", field=name, problem=problem), name)
    return text


def note_row(n: ClinicalNote) -> NoteRow:
    return NoteRow(
        n.id,
        n.day,
        n.author_name,
        n.subjective,
        n.objective,
        n.assessment,
        n.plan,
        n.created_at,
    )
