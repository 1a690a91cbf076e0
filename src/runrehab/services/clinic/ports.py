"""The clinic's storage port (the SQL unit of work carries one as ``clinic``; the tests' fake
keeps it in memory)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from runrehab.services.accounts.account import AccountUnitOfWork
from runrehab.services.clinic.records import (
    AuditEntry,
    Clinic,
    ClinicalNote,
    ClinicExercise,
    Invitation,
    Membership,
    Message,
    Sender,
    SessionStatus,
    StaffMember,
    VirtualSession,
)


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """What the caseload dashboard knows of one patient, read for the whole clinic at once."""

    person_id: str
    name: str
    joined_at: datetime
    status: str | None
    """The current programme's status (active, referred, stopped), None without one."""
    phase: int | None
    started_on: date | None
    last_checkin: date | None
    recent_actions: tuple[tuple[date, str, str | None], ...]
    """The RED days and steps back since the first "recent" day: (day, action, colour)."""
    weekly_worst: tuple[tuple[date, int], ...]
    """The weekly pain reports' worst pain since the first "recent" day, oldest first."""
    kujala_days: tuple[date, ...]
    """The latest day of a Kujala answer (none: never answered)."""
    weekly_days: tuple[date, ...]
    """The latest day of a weekly pain report (none: never answered)."""
    recent_runs: tuple[date, ...]
    """The days of the last two weeks with a watch run."""
    reported_run_days: tuple[date, ...]
    """The days of the last two weeks whose check-in reports a run."""
    unread: int
    """Messages from the runner the clinic has not read."""


class ClinicStore(Protocol):
    def add_clinic(self, clinic: Clinic) -> None: ...
    def get_clinic(self, clinic_id: str) -> Clinic | None: ...
    def clinics(self) -> list[Clinic]: ...

    def add_staff(self, member: StaffMember) -> None: ...
    def staff_member(self, account_id: str) -> StaffMember | None: ...
    def staff(self, clinic_id: str) -> list[StaffMember]: ...

    def add_invitation(self, invitation: Invitation) -> None: ...
    def invitation(self, code_hash: str) -> Invitation | None: ...
    def use_invitation(self, code_hash: str, at: datetime) -> None: ...

    def membership(self, person_id: str) -> Membership | None: ...
    def add_membership(self, membership: Membership) -> None: ...
    def end_membership(self, person_id: str) -> bool: ...
    def members(self, clinic_id: str) -> list[Membership]: ...
    def caseload(self, clinic_id: str, since: date) -> list[CaseFacts]:
        """Every patient of the clinic with the facts the dashboard sorts by; ``since`` is
        the first day of "recent" (decisions, runs)."""
        ...

    def add_message(self, message: Message) -> None: ...
    def messages(self, person_id: str, clinic_id: str) -> list[Message]: ...
    def mark_read(self, person_id: str, clinic_id: str, reader: Sender, at: datetime) -> None:
        """Mark read every message to ``reader`` (sent by the other side) not read yet."""
        ...

    def add_session(self, session: VirtualSession) -> None: ...
    def sessions(self, person_id: str, clinic_id: str) -> list[VirtualSession]: ...
    def set_session_status(self, session_id: str, status: SessionStatus) -> None: ...

    def add_clinical_note(self, note: ClinicalNote) -> None: ...
    def clinical_notes(self, person_id: str, clinic_id: str) -> list[ClinicalNote]: ...

    def log(self, entry: AuditEntry) -> None: ...
    def audit_of_person(self, person_id: str) -> list[AuditEntry]: ...
    def audit_of_clinic(self, clinic_id: str, limit: int) -> list[AuditEntry]: ...

    def add_exercise(self, exercise: ClinicExercise) -> None: ...
    def exercises(self, clinic_id: str) -> list[ClinicExercise]:
        """The clinic's exercises, without their media (``exercise`` has it)."""
        ...

    def exercise(self, clinic_id: str, exercise_id: str) -> ClinicExercise | None: ...

    def set_video_link(self, clinic_id: str, link: str) -> None: ...
    def session(self, session_id: str) -> VirtualSession | None:
        """One virtual session by its id, whoever's it is (the use case checks)."""
        ...


class ClinicUnitOfWork(AccountUnitOfWork, Protocol):
    """A unit of work that reaches the journal, the accounts and the clinic (the SQL one)."""

    clinic: ClinicStore

    def rollback(self) -> None: ...
