"""What the clinic keeps: clinics and their clinicians, invitations, the runners who joined,
the physiotherapist's overrides, messages, virtual sessions, clinical notes, the audit log and
the clinic's own exercises. Plain values; the SQL adapter stores them, the fakes keep them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

LIMITS = {
    "phase": (1, 5),
    "days": (0, 60),
    "sets": (1, 10),
    "reps": (1, 100),
    "hold_seconds": (1, 600),
    "minutes": (1, 180),
    "rung": (1, 20),
}
"""The bounds of a physiotherapist's numbers (an override's, a clinic exercise's dose): the
use cases check them, and the API's and the export's schemas state them."""


class Role(StrEnum):
    ADMIN = "admin"
    """A clinician who also runs the clinic: invites clinicians, reads the clinic's log."""
    CLINICIAN = "clinician"


class InvitationKind(StrEnum):
    CLINICIAN = "clinician"
    PATIENT = "patient"


@dataclass(frozen=True, slots=True)
class Clinic:
    id: str
    name: str
    created_at: datetime
    video_link: str = ""
    """The clinic's video-call address for virtual sessions (RunRehab hosts no video)."""


@dataclass(frozen=True, slots=True)
class StaffMember:
    account_id: str
    clinic_id: str
    role: Role
    name: str
    joined_at: datetime


@dataclass(frozen=True, slots=True)
class Invitation:
    code_hash: str
    """Only a SHA-256 of the code is kept: a copy of the database lets no one join."""
    clinic_id: str
    kind: InvitationKind
    created_by: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Membership:
    person_id: str
    clinic_id: str
    joined_at: datetime


class Sender(StrEnum):
    RUNNER = "runner"
    CLINICIAN = "clinician"


@dataclass(frozen=True, slots=True)
class Message:
    id: str
    person_id: str
    clinic_id: str
    sender: Sender
    author_id: str
    author_name: str
    text: str
    sent_at: datetime
    read_at: datetime | None = None
    """When the other side first read it."""


class SessionStatus(StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class VirtualSession:
    id: str
    person_id: str
    clinic_id: str
    proposed_by: str
    clinician_name: str
    starts_at: datetime
    minutes: int
    status: SessionStatus
    video_link: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ClinicalNote:
    """A clinician's note (subjective, objective, assessment, plan) on a day: private to the
    clinic; the runner sees that a note was written, never what it says."""

    id: str
    person_id: str
    clinic_id: str
    author_id: str
    author_name: str
    day: date
    subjective: str
    objective: str
    assessment: str
    plan: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class AuditEntry:
    person_id: str | None
    clinic_id: str
    actor_id: str
    actor_name: str
    at: datetime
    action: str
    """"read" or "write"."""
    what: str
    """What was read or written, in a few words (the page or the operation)."""
    address: str
    """Where from: the client's address as the server saw it."""


@dataclass(frozen=True, slots=True)
class ClinicExercise:
    """An exercise of the clinic's own library: the fields of a built-in exercise's card, with
    a picture or a short video of the clinic's own."""

    id: str
    clinic_id: str
    name: str
    purpose: str
    how: tuple[str, ...]
    cues: tuple[str, ...]
    sets: int
    reps: int | None
    hold_seconds: int | None
    created_by: str
    created_at: datetime
    media_type: str | None = None
    media: bytes | None = None
