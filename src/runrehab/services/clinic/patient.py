"""The patient's page for a clinician, and the runner's own view of their clinic: membership,
"who looked at my data", and the admin's log of the clinic."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from runrehab.content.words import Words
from runrehab.services.clinic.access import Clinician, NotFound, log_read, require_patient
from runrehab.services.clinic.care import (
    MessageRow,
    OverrideRow,
    Thread,
    _message_row,
    _row,
    thread,
)
from runrehab.services.clinic.ports import ClinicUnitOfWork
from runrehab.services.clinic.records import AuditEntry, Sender
from runrehab.services.content import ProgrammeContent
from runrehab.services.journal.programme import resolve_person
from runrehab.services.ports import Clock
from runrehab.services.progress.fhir_export import FhirMessage, FhirWriter, fhir_for_person
from runrehab.services.progress.figures import Progress
from runrehab.services.progress.page import progress_through

AUDIT_SHOWN = 200


@dataclass(frozen=True, slots=True)
class PatientPage:
    id: str
    name: str
    progress: Progress | None
    """None while the runner has no programme yet (joined before their assessment)."""
    overrides: tuple[OverrideRow, ...]
    messages: tuple[MessageRow, ...]
    today: date


@dataclass(frozen=True, slots=True)
class AuditRow:
    at: str
    who: str
    action: str
    what: str
    address: str
    patient: str | None = None


@dataclass(frozen=True, slots=True)
class MyClinic:
    """The runner's own page of their clinic: which one, since when, who looked at their data."""

    clinic: str | None
    joined_at: str | None
    looked: tuple[AuditRow, ...]


@dataclass(frozen=True, slots=True)
class ClinicLog:
    clinic: str
    entries: tuple[AuditRow, ...]


def patient_page(
    uow: ClinicUnitOfWork,
    clock: Clock,
    content: ProgrammeContent,
    who: Clinician,
    person_id: str,
    today: date,
) -> PatientPage:
    words = content.words
    with uow:
        require_patient(uow.clinic, who, person_id, words)
        person = resolve_person(uow.repo, person_id, words)
        programme = uow.repo.current_programme(person_id)
        progress = None
        if programme is not None:
            progress = progress_through(
                uow.repo, content, person_id, max(today, programme.started_on)
            )
        overrides = tuple(_row(o, words, content, today) for o in uow.repo.overrides(person_id))
        messages = tuple(
            _message_row(m, words) for m in uow.clinic.messages(person_id, who.clinic_id)
        )
    log_read(uow, who, person_id, "patient_page", clock.now())
    return PatientPage(person_id, person.name, progress, overrides, messages, today)


def my_clinic(uow: ClinicUnitOfWork, words: Words, person_id: str) -> MyClinic:
    with uow:
        member = uow.clinic.membership(person_id)
        clinic = uow.clinic.get_clinic(member.clinic_id) if member else None
        looked = tuple(
            _audit_row(e, words) for e in uow.clinic.audit_of_person(person_id)[:AUDIT_SHOWN]
        )
    return MyClinic(
        clinic.name if clinic else None,
        member.joined_at.isoformat() if member else None,
        looked,
    )


def clinic_log(uow: ClinicUnitOfWork, words: Words, who: Clinician) -> ClinicLog:
    """The clinic's audit log, newest first: for its admins only (``NotFound`` otherwise)."""
    if not who.is_admin:
        raise NotFound(words.say("clinic.not_found"))
    with uow:
        clinic = uow.clinic.get_clinic(who.clinic_id)
        entries = uow.clinic.audit_of_clinic(who.clinic_id, AUDIT_SHOWN)
        names = {p.id: p.name for p in uow.repo.people()} if entries else {}
    return ClinicLog(
        clinic.name if clinic else "",
        tuple(
            _audit_row(e, words, names.get(e.person_id, "") if e.person_id else None)
            for e in entries
        ),
    )


def _audit_row(e: AuditEntry, words: Words, patient: str | None = None) -> AuditRow:
    return AuditRow(
        e.at.isoformat(), e.actor_name, e.action, what_words(e.what, words), e.address, patient
    )


def what_words(what: str, words: Words) -> str:
    """An audit entry's ``what`` (a code such as ``patient_page`` or ``override_set:dose``)
    in words; a code without words shows as it is."""
    code, _, detail = what.partition(":")
    key = f"clinic.audit.{code}"
    if not words.has(key):
        return what
    return words.say(key, detail=detail) if detail else words.say(key)


@dataclass(frozen=True, slots=True)
class RunnerClinicPage:
    """My clinic: the clinic, the thread with it (read on opening), who looked at my data."""

    mine: MyClinic
    thread: Thread | None


def runner_clinic_page(
    uow: ClinicUnitOfWork, clock: Clock, words: Words, person_id: str
) -> RunnerClinicPage:
    mine = my_clinic(uow, words, person_id)
    talk = thread(uow, clock, words, person_id) if mine.clinic is not None else None
    return RunnerClinicPage(mine, talk)


def patient_fhir(
    uow: ClinicUnitOfWork,
    clock: Clock,
    content: ProgrammeContent,
    who: Clinician,
    person_id: str,
    write: FhirWriter,
) -> dict[str, Any]:
    """The patient's FHIR R4 bundle for their clinician, with the clinic's messages as
    Communications; logged like every read."""
    with uow:
        require_patient(uow.clinic, who, person_id, content.words)
        messages = [
            FhirMessage(m.id, m.sent_at, m.sender is Sender.CLINICIAN, m.author_name, m.text)
            for m in uow.clinic.messages(person_id, who.clinic_id)
        ]
    log_read(uow, who, person_id, "fhir_export", clock.now())
    return fhir_for_person(uow, content, person_id, messages, clock.now(), write)
