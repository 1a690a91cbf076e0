"""The clinic's bulk export for its record system: every patient's FHIR R4 Bundle, one per
line (NDJSON, the file format of FHIR Bulk Data's ``$export``), made in the background.

An admin starts an export (``start_export``): a row, queued, and a job of kind
``FHIR_EXPORT_JOB`` on the app's ``JobQueue`` (``services.jobs``), which a thread of the web
process runs (SQLite), or ``runrehab worker`` (PostgreSQL). The job (``export_handler``) writes
the line of each patient of the clinic, in the order of their ids, each in a transaction of its
own together with the export's ``done`` and the audit entry that tells the runner the clinic
exported their record. So a worker killed half-way leaves the export running with exactly the
lines stored so far, and the queue's next run goes on from the first patient without one: no
patient is stored, counted or logged twice. After ``MAX_ATTEMPTS`` runs the export is failed
saying why, and its lines are deleted with it: only a finished export can be downloaded.

A patient whose bundle cannot be made gets an ``OperationOutcome`` line in the export's error
file instead (as Bulk Data reports errors), so one bad record does not cost the clinic the rest.

Each line belongs to its person in the database too (a cascading foreign key): a runner who
erases their data takes their line out of every export. An export is kept ``KEEP_DAYS`` days;
starting another deletes the older ones.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol

from runrehab.content.words import Words
from runrehab.errors import RunRehabError
from runrehab.services.clinic.access import Clinician, NotFound, audit
from runrehab.services.clinic.care import local_text
from runrehab.services.clinic.patient import fhir_messages
from runrehab.services.clinic.ports import ClinicUnitOfWork
from runrehab.services.clinic.records import Role
from runrehab.services.content import ProgrammeContent
from runrehab.services.jobs import Handler, Job, JobQueue, QueueClosed
from runrehab.services.ports import Clock
from runrehab.services.progress.fhir_export import FhirWriter, fhir_for_person

log = logging.getLogger("runrehab.clinic.exports")

FHIR_EXPORT_JOB = "clinic.fhir-export"
"""The job queue's kind for making an export; its payload: ``export`` (the export's id)."""
MAX_ATTEMPTS = 3
"""Runs of one export before it is given up: a worker killed twice is bad luck, three times
is something in the clinic's records."""
KEEP_DAYS = 7
"""Days an export is kept: long enough to fetch it, short enough that copies of every
patient's record do not pile up on the server."""
BUNDLE = "Bundle"
OUTCOME = "OperationOutcome"
KINDS = (BUNDLE, OUTCOME)
"""The FHIR resource type of each of an export's two files: the patients' bundles, and one
``OperationOutcome`` per patient whose record could not be exported."""
PAGE_LINES = 50
"""Lines read from the database at a time while a file is downloaded."""


class ExportNotReady(RunRehabError, LookupError):
    """The export is still being made, or failed: it has no files (the web: 409)."""


class ExportStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


UNFINISHED = frozenset({ExportStatus.QUEUED, ExportStatus.RUNNING})


@dataclass(frozen=True, slots=True)
class ClinicExport:
    """An export as stored: who asked (an admin: their account, name and address, for the
    audit entries the job writes), in which language, and how far it got."""

    id: str
    clinic_id: str
    requested_by: str
    requested_name: str
    address: str
    language: str
    status: ExportStatus
    created_at: datetime
    total: int = 0
    """The clinic's patients when the job last started."""
    done: int = 0
    """The patients with a line stored."""
    bundles: int = 0
    """Lines of each kind (counted when read)."""
    errors: int = 0
    message: str | None = None
    finished_at: datetime | None = None

    @property
    def finished(self) -> bool:
        return self.status not in UNFINISHED


class ExportStore(Protocol):
    def add(self, export: ClinicExport) -> None: ...
    def get(self, clinic_id: str, export_id: str) -> ClinicExport | None: ...
    def find(self, export_id: str) -> ClinicExport | None:
        """The export by its id alone (the job's lookup; the job holds no clinic)."""
        ...

    def recent(self, clinic_id: str, since: datetime) -> list[ClinicExport]:
        """The clinic's exports started at ``since`` or later, newest first."""
        ...

    def start(self, export_id: str, total: int) -> None:
        """Mark the export running, with ``total`` patients to go through."""
        ...

    def exported(self, export_id: str) -> set[str]:
        """The people who have a line in the export."""
        ...

    def add_line(self, export_id: str, person_id: str, kind: str, line: str) -> None:
        """Store a person's line after the export's last, and count it in ``done``."""
        ...

    def lines(self, export_id: str, kind: str, after: int, limit: int) -> list[tuple[int, str]]:
        """Up to ``limit`` lines of ``kind`` past position ``after``: (position, line)."""
        ...

    def finish(
        self, export_id: str, status: ExportStatus, at: datetime, message: str | None = None
    ) -> bool:
        """End an unfinished export with ``status``; a failed one loses its lines. Whether it
        was unfinished (and so is ended now)."""
        ...

    def unfinished(self) -> list[ClinicExport]:
        """Every clinic's exports queued or running."""
        ...

    def delete_before(self, clinic_id: str, before: datetime) -> int:
        """Delete the clinic's exports started before ``before``; how many."""
        ...


class ExportUnitOfWork(ClinicUnitOfWork, Protocol):
    """The clinic's unit of work, with the exports (the SQL one)."""

    exports: ExportStore


# --- what the admin sees ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExportFile:
    """One file of a finished export, as Bulk Data's manifest lists it."""

    type: str
    """The FHIR resource type of every line."""
    url: str
    count: int


@dataclass(frozen=True, slots=True)
class ExportView:
    id: str
    status: str
    status_text: str
    """Where it is, in words ("Exporting: 3 of 12 patients")."""
    requested_by: str
    created_at: str
    when: str
    """``created_at`` in the reader's time zone, in words."""
    total: int
    done: int
    finished: bool
    finished_at: str | None
    message: str | None
    output: tuple[ExportFile, ...]
    """The bundles' file, once done (Bulk Data's ``output``)."""
    error: tuple[ExportFile, ...]
    """The file of the records that could not be exported, once done, when there were any."""
    kept_until: str
    """When it is deleted, in words."""


@dataclass(frozen=True, slots=True)
class ExportsPage:
    exports: tuple[ExportView, ...]
    keep_days: int
    busy: bool
    """An export is queued or running (the page looks again shortly)."""


@dataclass(frozen=True, slots=True)
class ExportFileLines:
    """A finished export's file, to be streamed: its name and its lines, read in pages."""

    name: str
    lines: Iterator[str]


def export_url(export_id: str, kind: str) -> str:
    return f"/api/v1/clinic/exports/{export_id}/{kind}.ndjson"


def start_export(
    uow: ExportUnitOfWork,
    clock: Clock,
    words: Words,
    who: Clinician,
    queue: JobQueue,
    language: str,
    zone: str = "UTC",
) -> ExportView:
    """A new export of every patient of ``who``'s clinic, queued (admins only: ``NotFound``
    for anyone else). While one is queued or running, that one is answered and no other is
    started. Exports older than ``KEEP_DAYS`` are deleted first."""
    _require_admin(who, words)
    now, oldest = clock.now(), _oldest_kept(clock)
    with uow:
        uow.exports.delete_before(who.clinic_id, oldest)
        waiting = [e for e in uow.exports.recent(who.clinic_id, oldest) if not e.finished]
        if waiting:
            uow.commit()
            return export_view(waiting[0], words, zone)
        export = ClinicExport(
            id=uuid.uuid4().hex,
            clinic_id=who.clinic_id,
            requested_by=who.account_id,
            requested_name=who.name,
            address=who.address,
            language=language,
            status=ExportStatus.QUEUED,
            created_at=now,
        )
        uow.exports.add(export)
        audit(uow.clinic, who, None, "write", "fhir_bulk_started", now)
        uow.commit()
    try:
        queue.enqueue(FHIR_EXPORT_JOB, {"export": export.id}, key=export.id)
    except QueueClosed:  # the server is shutting down
        message = words.say("clinic.export.server_stopping")
        export = _end(uow, clock, export, ExportStatus.FAILED, message)
    return export_view(export, words, zone)


def exports_page(
    uow: ExportUnitOfWork, clock: Clock, words: Words, who: Clinician, zone: str = "UTC"
) -> ExportsPage:
    """The clinic's exports of the last ``KEEP_DAYS`` days, newest first (admins only)."""
    _require_admin(who, words)
    with uow:
        found = uow.exports.recent(who.clinic_id, _oldest_kept(clock))
    views = tuple(export_view(e, words, zone) for e in found)
    return ExportsPage(views, KEEP_DAYS, any(not v.finished for v in views))


def one_export(
    uow: ExportUnitOfWork,
    clock: Clock,
    words: Words,
    who: Clinician,
    export_id: str,
    zone: str = "UTC",
) -> ExportView:
    """One of the clinic's exports (``NotFound`` when it is not, or no longer, there)."""
    return export_view(_kept(uow, clock, words, who, export_id), words, zone)


def export_file(
    uow: ExportUnitOfWork,
    read: Callable[[], ExportUnitOfWork],
    clock: Clock,
    words: Words,
    who: Clinician,
    export_id: str,
    kind: str,
) -> ExportFileLines:
    """A finished export's file of ``kind`` (``KINDS``), its lines read (``read``: a new
    reading unit of work) as they are sent: ``NotFound`` for any other export or kind,
    ``ExportNotReady`` while it is being made or when it failed. Logged in the clinic's
    log."""
    export = _kept(uow, clock, words, who, export_id)
    if kind not in KINDS:
        raise NotFound(words.say("clinic.export.unknown", days=KEEP_DAYS))
    if export.status is not ExportStatus.DONE:
        raise ExportNotReady(words.say("clinic.export.not_ready"))
    with uow:
        audit(uow.clinic, who, None, "read", "fhir_bulk_download", clock.now())
        uow.commit()
    name = f"runrehab-{kind}-{export.created_at:%Y%m%d-%H%M}.ndjson"
    return ExportFileLines(name, _lines(read, export.id, kind))


def export_view(export: ClinicExport, words: Words, zone: str) -> ExportView:
    done = export.status is ExportStatus.DONE
    output = (ExportFile(BUNDLE, export_url(export.id, BUNDLE), export.bundles),) if done else ()
    error = (
        (ExportFile(OUTCOME, export_url(export.id, OUTCOME), export.errors),)
        if done and export.errors
        else ()
    )
    return ExportView(
        id=export.id,
        status=export.status.value,
        status_text=_status_text(export, words),
        requested_by=export.requested_name,
        created_at=export.created_at.isoformat(),
        when=local_text(export.created_at, zone),
        total=export.total,
        done=export.done,
        finished=export.finished,
        finished_at=None if export.finished_at is None else export.finished_at.isoformat(),
        message=export.message,
        output=output,
        error=error,
        kept_until=local_text(export.created_at + timedelta(days=KEEP_DAYS), zone),
    )


def _status_text(export: ClinicExport, words: Words) -> str:
    key = f"clinic.export.status.{export.status.value}"
    if export.status is ExportStatus.RUNNING:
        return words.say(key, done=export.done, total=export.total)
    return words.say(key)


def _require_admin(who: Clinician, words: Words) -> None:
    if not who.is_admin:
        raise NotFound(words.say("clinic.not_found"))


def _oldest_kept(clock: Clock) -> datetime:
    return clock.now() - timedelta(days=KEEP_DAYS)


def _kept(
    uow: ExportUnitOfWork, clock: Clock, words: Words, who: Clinician, export_id: str
) -> ClinicExport:
    _require_admin(who, words)
    with uow:
        export = uow.exports.get(who.clinic_id, export_id)
    if export is None or export.created_at < _oldest_kept(clock):
        raise NotFound(words.say("clinic.export.unknown", days=KEEP_DAYS))
    return export


def _lines(read: Callable[[], ExportUnitOfWork], export_id: str, kind: str) -> Iterator[str]:
    """The file's lines, a page at a time, each page in a short read of its own (a large
    clinic's file is never held whole, nor a transaction open while the client reads)."""
    after = -1
    while True:
        with read() as uow:
            page = uow.exports.lines(export_id, kind, after, PAGE_LINES)
        yield from (line + "\n" for _, line in page)
        if len(page) < PAGE_LINES:
            return
        after = page[-1][0]


# --- the job ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExportWorker:
    """What makes an export: a new unit of work for each transaction, the clock, the content
    in the export's language (its words: the plan's phase, the doses), and the FHIR writer
    (an adapter's)."""

    new_uow: Callable[[], ExportUnitOfWork]
    clock: Clock
    content: Callable[[str], ProgrammeContent]
    write: FhirWriter


def export_handler(worker: ExportWorker) -> Handler:
    """The job queue's handler of ``FHIR_EXPORT_JOB``. Idempotent: a finished export (a job
    delivered again) is left as it is; a running one (its worker was killed) goes on from the
    first patient without a line; after ``MAX_ATTEMPTS`` runs it is failed saying why."""

    def handle(job: Job) -> None:
        with worker.new_uow() as uow:
            export = uow.exports.find(str(job.payload["export"]))
        if export is None or export.finished:
            return
        content = worker.content(export.language)
        if job.attempt >= MAX_ATTEMPTS:
            message = content.words.say("clinic.export.gave_up", n=job.attempt)
            _end(worker.new_uow(), worker.clock, export, ExportStatus.FAILED, message)
            return
        try:
            _make(worker, content, export)
        except Exception:
            log.exception("FHIR export %s failed", export.id)
            message = content.words.say("clinic.export.went_wrong")
            _end(worker.new_uow(), worker.clock, export, ExportStatus.FAILED, message)
            return
        _end(worker.new_uow(), worker.clock, export, ExportStatus.DONE)

    return handle


def fail_unfinished(worker: ExportWorker) -> int:
    """End as failed, saying so in its own language, every export left queued or running by
    a process that ran them itself and stopped (a web process on SQLite, at its start): no
    one else will finish them, and a waiting export holds back the clinic's next. How many."""
    with worker.new_uow() as uow:
        left = uow.exports.unfinished()
    for export in left:
        message = worker.content(export.language).words.say("clinic.export.server_stopped")
        _end(worker.new_uow(), worker.clock, export, ExportStatus.FAILED, message)
    return len(left)


def _make(worker: ExportWorker, content: ProgrammeContent, export: ClinicExport) -> None:
    """Store a line for every patient of the clinic who has none yet."""
    with worker.new_uow() as uow:
        patients = sorted(m.person_id for m in uow.clinic.members(export.clinic_id))
        uow.exports.start(export.id, len(patients))
        uow.commit()
        already = uow.exports.exported(export.id)
    who = _requester(export)
    for person_id in patients:
        if person_id not in already:
            _export_one(worker, content, export, who, person_id)


def _export_one(
    worker: ExportWorker,
    content: ProgrammeContent,
    export: ClinicExport,
    who: Clinician,
    person_id: str,
) -> None:
    """The patient's line and the audit entry that says so, in one transaction. A record
    that cannot be exported is an ``OperationOutcome`` line instead."""
    now = worker.clock.now()
    uow = worker.new_uow()
    with uow:
        member = uow.clinic.membership(person_id)
        messages = fhir_messages(uow.clinic, person_id, export.clinic_id)
    if member is None or member.clinic_id != export.clinic_id:
        return  # left the clinic (or erased their data) since the job began: not theirs now
    try:
        document = fhir_for_person(uow, content, person_id, messages, now, worker.write)
        kind, line = BUNDLE, _json(document)
    except Exception as err:  # this record alone: the rest of the clinic is still exported
        log.exception(
            "FHIR export %s: the record of %s could not be exported", export.id, person_id
        )
        kind, line = OUTCOME, _json(_outcome(content.words, person_id, err))
    with uow:
        uow.exports.add_line(export.id, person_id, kind, line)
        audit(uow.clinic, who, person_id, "read", "fhir_bulk_export", now)
        uow.commit()


def _outcome(words: Words, person_id: str, err: Exception) -> dict[str, Any]:
    """Bulk Data's error line: an ``OperationOutcome`` naming the patient."""
    return {
        "resourceType": OUTCOME,
        "issue": [
            {
                "severity": "error",
                "code": "exception",
                "diagnostics": words.say("clinic.export.record_failed", why=type(err).__name__),
                "expression": [f"Patient/{person_id}"],
            }
        ],
    }


def _requester(export: ClinicExport) -> Clinician:
    """The admin who asked, as the audit entries name them."""
    return Clinician(
        export.requested_by, "", export.clinic_id, Role.ADMIN, export.requested_name, export.address
    )


def _end(
    uow: ExportUnitOfWork,
    clock: Clock,
    export: ClinicExport,
    status: ExportStatus,
    message: str | None = None,
) -> ClinicExport:
    at = clock.now()
    with uow:
        uow.exports.finish(export.id, status, at, message)
        uow.commit()
    return replace(export, status=status, message=message, finished_at=at)


def _json(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))
