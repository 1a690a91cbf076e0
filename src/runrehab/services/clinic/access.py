"""Who may see a patient: a clinician of the clinic the runner belongs to, and no one else.

Every other case answers "no such patient" (the web's 404), whether the person does not
exist, belongs to another clinic, or left: a clinician learns nothing of runners who are not
theirs. Every read and write of a runner's data by a clinician is logged (``audit``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from runrehab.content.words import Words
from runrehab.errors import RunRehabError
from runrehab.services.clinic.ports import ClinicStore, ClinicUnitOfWork
from runrehab.services.clinic.records import AuditEntry, Role, StaffMember


class NotFound(RunRehabError, LookupError):
    """No such patient, session, override or exercise for this clinician (the web: 404)."""


class NotStaff(RunRehabError, LookupError):
    """The account is not a clinician of any clinic (the web: 404, no clinic route exists for
    them)."""


class ClinicError(RunRehabError, ValueError):
    """A clinic request that cannot be done as asked (the web: 400 or a form's message);
    ``field`` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        self.field = field
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class Clinician:
    """A signed-in clinician and where the request came from (for the audit log)."""

    account_id: str
    person_id: str
    clinic_id: str
    role: Role
    name: str
    address: str = ""

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN


def signed_clinician(
    uow: ClinicUnitOfWork, account_id: str, person_id: str, address: str
) -> Clinician:
    """The clinician signed in as ``account_id``; ``NotStaff`` for any other account."""
    with uow:
        member = uow.clinic.staff_member(account_id)
    if member is None:
        raise NotStaff(account_id)
    return _clinician(member, person_id, address)


def is_staff(uow: ClinicUnitOfWork, account_id: str) -> bool:
    with uow:
        return uow.clinic.staff_member(account_id) is not None


def _clinician(member: StaffMember, person_id: str, address: str) -> Clinician:
    return Clinician(
        member.account_id, person_id, member.clinic_id, member.role, member.name, address
    )


def require_patient(store: ClinicStore, who: Clinician, person_id: str, words: Words) -> None:
    """``NotFound`` unless ``person_id`` is a runner of ``who``'s clinic now."""
    member = store.membership(person_id)
    if member is None or member.clinic_id != who.clinic_id:
        raise NotFound(words.say("clinic.patient.unknown"))


def audit(
    store: ClinicStore,
    who: Clinician,
    person_id: str | None,
    action: str,
    what: str,
    at: datetime,
) -> None:
    store.log(
        AuditEntry(
            person_id, who.clinic_id, who.account_id, who.name, at, action, what, who.address
        )
    )


def log_read(
    uow: ClinicUnitOfWork, who: Clinician, person_id: str | None, what: str, at: datetime
) -> None:
    """Log a read in a transaction of its own, after the read: a page that only reads never
    holds the database's write lock while it reads (SQLite has one for everyone)."""
    with uow:
        audit(uow.clinic, who, person_id, "read", what, at)
        uow.commit()
