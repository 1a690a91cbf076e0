"""A clinic's people: creating a clinic with its admin, inviting clinicians and runners,
joining and leaving.

An invitation is a random code shown once (as a code and a link); only its SHA-256 is kept, it
lasts ``INVITATION_DAYS`` and is used once. A runner sees, before accepting, exactly what the
clinic will see; leaving ends the clinic's access at once (the clinic's own records of the
care it gave, its notes and messages, stay with the clinic only as long as the runner's
account lasts: deleting oneself deletes them too)."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from runrehab.content.words import Words
from runrehab.services.accounts.account import (
    Account,
    AccountTools,
    check_name,
    sign_up,
    token_hash,
)
from runrehab.services.accounts.views import SessionView
from runrehab.services.clinic.access import ClinicError, Clinician, NotFound, audit
from runrehab.services.clinic.ports import ClinicUnitOfWork
from runrehab.services.clinic.records import (
    Clinic,
    Invitation,
    InvitationKind,
    Membership,
    Role,
    StaffMember,
)
from runrehab.services.ports import Clock

INVITATION_DAYS = 14
CLINIC_NAME_MAX = 120


@dataclass(frozen=True, slots=True)
class ClinicCreated:
    clinic_id: str
    name: str
    admin_email: str


@dataclass(frozen=True, slots=True)
class InvitationView:
    """An invitation just made: the code and link are shown this once."""

    code: str
    url: str
    expires: str
    kind: str


@dataclass(frozen=True, slots=True)
class JoinPreview:
    """What a runner reads before joining: the clinic, and what it will see and do."""

    clinic: str
    sees: tuple[str, ...]
    never: tuple[str, ...]
    code: str


@dataclass(frozen=True, slots=True)
class Joined:
    clinic_id: str
    clinic: str
    joined_at: str


@dataclass(frozen=True, slots=True)
class Left:
    left: bool
    clinic: str


def create_clinic(
    uow: ClinicUnitOfWork,
    tools: AccountTools,
    name: str,
    admin_email: str,
    password: str,
    admin_name: str = "",
    timezone: str = "UTC",
) -> ClinicCreated:
    """A new clinic and its admin's account (an admin is a clinician too)."""
    words = tools.words
    shown = _clinic_name(tools, name)
    clinic = Clinic(uuid.uuid4().hex, shown, tools.clock.now())

    def as_admin(account: Account) -> None:
        uow.clinic.add_clinic(clinic)
        staff = StaffMember(
            account.id, clinic.id, Role.ADMIN, account_name(admin_name, account), clinic.created_at
        )
        uow.clinic.add_staff(staff)

    sign_up(uow, tools, admin_email, password, timezone, check_name(words, admin_name), as_admin)
    return ClinicCreated(clinic.id, shown, admin_email.strip().lower())


def account_name(name: str, account: Account) -> str:
    return " ".join(name.split()) or account.email


def _clinic_name(tools: AccountTools, name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned or not cleaned.isprintable() or len(cleaned) > CLINIC_NAME_MAX:
        raise ClinicError(tools.words.say("clinic.name_invalid", max=CLINIC_NAME_MAX), "name")
    return cleaned


def invite(
    uow: ClinicUnitOfWork, clock: Clock, words: Words, who: Clinician, kind: InvitationKind
) -> InvitationView:
    """A new invitation of ``kind``: a clinician's only by an admin (``NotFound`` otherwise,
    as for any route a person may not use)."""
    if kind is InvitationKind.CLINICIAN and not who.is_admin:
        raise NotFound(words.say("clinic.not_found"))
    code = secrets.token_urlsafe(12)
    now = clock.now()
    expires = now + timedelta(days=INVITATION_DAYS)
    with uow:
        uow.clinic.add_invitation(
            Invitation(token_hash(code), who.clinic_id, kind, who.account_id, now, expires)
        )
        audit(uow.clinic, who, None, "write", f"invitation:{kind.value}", now)
        uow.commit()
    page = "/clinic/join" if kind is InvitationKind.PATIENT else "/clinic/staff/join"
    return InvitationView(code, f"{page}?code={code}", expires.isoformat(), kind.value)


def _usable(
    uow: ClinicUnitOfWork, clock: Clock, words: Words, code: str, kind: InvitationKind
) -> Invitation:
    """The invitation of ``code``; one unknown, of another kind, used or expired is refused
    in the same words (``ClinicError`` on the code: the form says it, the API answers 400)."""
    found = None
    if code and len(code) <= 64:
        found = uow.clinic.invitation(token_hash(code.strip()))
    if (
        found is None
        or found.kind is not kind
        or found.used_at is not None
        or found.expires_at <= clock.now()
    ):
        raise ClinicError(words.say("clinic.invitation.unusable", days=INVITATION_DAYS), "code")
    return found


def join_preview(uow: ClinicUnitOfWork, clock: Clock, words: Words, code: str) -> JoinPreview:
    """What the runner reads before joining with ``code``."""
    with uow:
        invitation = _usable(uow, clock, words, code, InvitationKind.PATIENT)
        clinic = uow.clinic.get_clinic(invitation.clinic_id)
    assert clinic is not None  # the invitation's foreign key
    return JoinPreview(
        clinic.name,
        tuple(words.say(f"clinic.join.sees.{k}") for k in SEES),
        tuple(words.say(f"clinic.join.never.{k}") for k in NEVER),
        code,
    )


SEES = ("assessment", "checkins", "runs", "questionnaires", "notes", "messages", "decisions")
NEVER = ("password", "others", "after_leaving")


def join_clinic(
    uow: ClinicUnitOfWork, clock: Clock, words: Words, person_id: str, code: str
) -> Joined:
    """The runner joins the clinic of ``code``; refused while they belong to another (leave it
    first) and for a clinician's own account."""
    now = clock.now()
    with uow:
        invitation = _usable(uow, clock, words, code, InvitationKind.PATIENT)
        clinic = uow.clinic.get_clinic(invitation.clinic_id)
        assert clinic is not None  # the invitation's foreign key
        if uow.clinic.membership(person_id) is not None:
            raise ClinicError(words.say("clinic.join.already"), "code")
        uow.clinic.add_membership(Membership(person_id, clinic.id, now))
        uow.clinic.use_invitation(invitation.code_hash, now)
        uow.commit()
    return Joined(clinic.id, clinic.name, now.isoformat())


def join_staff(
    uow: ClinicUnitOfWork,
    tools: AccountTools,
    code: str,
    email: str,
    password: str,
    timezone: str,
    name: str,
) -> SessionView:
    """A clinician invited by an admin makes their account and joins the clinic."""
    now = tools.clock.now()
    with uow:
        invitation = _usable(uow, tools.clock, tools.words, code, InvitationKind.CLINICIAN)

    def as_clinician(account: Account) -> None:
        _usable(uow, tools.clock, tools.words, code, InvitationKind.CLINICIAN)  # not used since
        member = StaffMember(
            account.id, invitation.clinic_id, Role.CLINICIAN, account_name(name, account), now
        )
        uow.clinic.add_staff(member)
        uow.clinic.use_invitation(invitation.code_hash, now)

    return sign_up(uow, tools, email, password, timezone, name, as_clinician)


def leave_clinic(uow: ClinicUnitOfWork, person_id: str) -> Left:
    """The runner leaves their clinic: its access ends at once."""
    with uow:
        current = uow.clinic.membership(person_id)
        clinic = None if current is None else uow.clinic.get_clinic(current.clinic_id)
        left = uow.clinic.end_membership(person_id)
        uow.commit()
    return Left(left, clinic.name if clinic else "")
