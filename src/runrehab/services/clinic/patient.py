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
    local_text,
    message_row,
    override_row,
    thread,
)
from runrehab.services.clinic.exercises import ExerciseRow, exercise_row
from runrehab.services.clinic.notes import NoteRow, note_row
from runrehab.services.clinic.ports import ClinicStore, ClinicUnitOfWork
from runrehab.services.clinic.records import AuditEntry, Sender
from runrehab.services.clinic.sessions import SessionRow, session_row
from runrehab.services.content import ProgrammeContent
from runrehab.services.journal.programme import resolve_person
from runrehab.services.ports import Clock
from runrehab.services.progress.downloads import ChartView, ReportView, chart_view, report_view
from runrehab.services.progress.fhir_export import FhirMessage, FhirWriter, fhir_for_person
from runrehab.services.progress.figures import Progress
from runrehab.services.progress.page import chart_texts, progress_through

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
    charts: tuple[tuple[str, str], ...] = ()
    """The charts to show, by name, each with its text alternative."""
    notes: tuple[NoteRow, ...] = ()
    """The clinic's private notes on the runner, newest first."""
    sessions: tuple[SessionRow, ...] = ()
    """The virtual sessions proposed, in the clinician's time zone."""
    clinic_exercises: tuple[tuple[str, str], ...] = ()
    """The clinic's own exercises (id, name), to prescribe."""
    video_link: str = ""


@dataclass(frozen=True, slots=True)
class AuditRow:
    at: str
    who: str
    action: str
    what: str
    address: str
    patient: str | None = None
    when: str = ""
    """``at`` in the reader's time zone, in words."""


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
    zone: str = "UTC",
) -> PatientPage:
    """The patient's page for ``who``, times in ``zone`` (the clinician's)."""
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
        overrides = tuple(override_row(o, content, today) for o in uow.repo.overrides(person_id))
        messages = tuple(
            message_row(m, words, zone) for m in uow.clinic.messages(person_id, who.clinic_id)
        )
        notes = sorted(
            (note_row(n) for n in uow.clinic.clinical_notes(person_id, who.clinic_id)),
            key=lambda r: (r.day, r.created_at),
            reverse=True,
        )
        sessions = tuple(
            session_row(v, words, zone) for v in uow.clinic.sessions(person_id, who.clinic_id)
        )
        own = tuple((e.id, e.name) for e in uow.clinic.exercises(who.clinic_id))
        clinic = uow.clinic.get_clinic(who.clinic_id)
    log_read(uow, who, person_id, "patient_page", clock.now())
    charts: tuple[tuple[str, str], ...] = ()
    if progress is not None:
        texts = chart_texts(progress)
        charts = tuple((name, texts[name]) for name in PATIENT_CHARTS if _drawn(progress, name))
    return PatientPage(
        person_id,
        person.name,
        progress,
        overrides,
        messages,
        today,
        charts,
        tuple(notes),
        sessions,
        own,
        clinic.video_link if clinic else "",
    )


PATIENT_CHARTS = ("pain", "running", "kujala")


def _drawn(progress: Progress, name: str) -> bool:
    """A chart with something to show: no empty frame on a page a clinician reads in a minute."""
    if name == "pain":
        return any(d.pain_worst is not None for d in progress.days)
    if name == "running":
        return any(w.runs for w in progress.weeks)
    return bool(progress.kujala)


def patient_chart(
    uow: ClinicUnitOfWork,
    clock: Clock,
    content: ProgrammeContent,
    who: Clinician,
    person_id: str,
    today: date,
    name: str,
) -> ChartView:
    """One chart of the patient's page (``UnknownChart`` for a name that is none)."""
    with uow:
        require_patient(uow.clinic, who, person_id, content.words)
        programme = uow.repo.current_programme(person_id)
    if programme is None:
        raise NotFound(content.words.say("clinic.override.no_programme"))
    view = chart_view(uow, content, person_id, max(today, programme.started_on), name)
    log_read(uow, who, person_id, "charts", clock.now())
    return view


def my_clinic(uow: ClinicUnitOfWork, words: Words, person_id: str, zone: str = "UTC") -> MyClinic:
    with uow:
        member = uow.clinic.membership(person_id)
        clinic = uow.clinic.get_clinic(member.clinic_id) if member else None
        looked = tuple(
            _audit_row(e, words, None, zone)
            for e in uow.clinic.audit_of_person(person_id)[:AUDIT_SHOWN]
        )
    return MyClinic(
        clinic.name if clinic else None,
        member.joined_at.isoformat() if member else None,
        looked,
    )


def clinic_log(uow: ClinicUnitOfWork, words: Words, who: Clinician, zone: str = "UTC") -> ClinicLog:
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
            _audit_row(e, words, names.get(e.person_id, "") if e.person_id else None, zone)
            for e in entries
        ),
    )


def _audit_row(
    e: AuditEntry, words: Words, patient: str | None = None, zone: str = "UTC"
) -> AuditRow:
    what = what_words(e.what, words)
    when = local_text(e.at, zone)
    return AuditRow(e.at.isoformat(), e.actor_name, e.action, what, e.address, patient, when)


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
    """My clinic: the clinic, the thread with it (read on opening), the virtual sessions in
    the runner's time zone, the clinic's own exercises, who looked at my data."""

    mine: MyClinic
    thread: Thread | None
    sessions: tuple[SessionRow, ...] = ()
    exercises: tuple[ExerciseRow, ...] = ()


def runner_clinic_page(
    uow: ClinicUnitOfWork, clock: Clock, words: Words, person_id: str, zone: str = "UTC"
) -> RunnerClinicPage:
    mine = my_clinic(uow, words, person_id, zone)
    if mine.clinic is None:
        return RunnerClinicPage(mine, None)
    talk = thread(uow, clock, words, person_id, zone=zone)
    with uow:
        member = uow.clinic.membership(person_id)
        found = uow.clinic.sessions(person_id, member.clinic_id) if member else []
        own = uow.clinic.exercises(member.clinic_id) if member else []
    rows = tuple(session_row(v, words, zone) for v in found)
    return RunnerClinicPage(mine, talk, rows, tuple(exercise_row(e) for e in own))


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
        messages = fhir_messages(uow.clinic, person_id, who.clinic_id)
    log_read(uow, who, person_id, "fhir_export", clock.now())
    return fhir_for_person(uow, content, person_id, messages, clock.now(), write)


def fhir_messages(store: ClinicStore, person_id: str, clinic_id: str) -> list[FhirMessage]:
    """The clinic's messages with the runner, as their FHIR bundle keeps them."""
    return [
        FhirMessage(m.id, m.sent_at, m.sender is Sender.CLINICIAN, m.author_name, m.text)
        for m in store.messages(person_id, clinic_id)
    ]


def patient_report(
    uow: ClinicUnitOfWork,
    clock: Clock,
    content: ProgrammeContent,
    who: Clinician,
    person_id: str,
    today: date,
) -> ReportView:
    """The physio report of the patient (the clinic's printout), the same the runner takes:
    through ``today``, with the coming week."""
    with uow:
        require_patient(uow.clinic, who, person_id, content.words)
        programme = uow.repo.current_programme(person_id)
    if programme is None:
        raise NotFound(content.words.say("clinic.override.no_programme"))
    view = report_view(uow, content, person_id, max(today, programme.started_on))
    log_read(uow, who, person_id, "report", clock.now())
    return view
