"""Virtual sessions: a clinician proposes a time, the runner accepts or declines, and both
download the invitation (an ``.ics`` file) with the clinic's video-call link.

RunRehab hosts no video: the clinic's admin sets the clinic's own video-call address
(``set_video_link``), and each session keeps the one it was proposed with. A time is one
instant (kept in UTC), proposed as a date and time with its offset, or as a date and a time of
day in the clinician's own time zone; each person reads it in their own account's zone."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from runrehab.content import locale
from runrehab.content.words import Words
from runrehab.services.clinic.access import (
    ClinicError,
    Clinician,
    NotFound,
    audit,
    require_patient,
)
from runrehab.services.clinic.notes import past_day
from runrehab.services.clinic.ports import ClinicUnitOfWork
from runrehab.services.clinic.records import SessionStatus, VirtualSession
from runrehab.services.ports import Clock
from runrehab.text import text_problem

MINUTES = (15, 120)
AHEAD_DAYS = 365
LINK_MAX = 500
_TIME = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])(:00)?")
_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?")


@dataclass(frozen=True, slots=True)
class ClinicSettings:
    clinic: str
    video_link: str


@dataclass(frozen=True, slots=True)
class SessionRow:
    """A session as one person reads it: ``local_start`` and ``when`` in their zone."""

    id: str
    status: str
    starts_at: datetime
    """UTC."""
    ends_at: datetime
    local_start: str
    """The start in the reader's time zone, ISO 8601 with its offset."""
    when: str
    minutes: int
    clinician: str
    video_link: str
    timezone: str
    invite: str
    """Where to download the invitation (.ics)."""


@dataclass(frozen=True, slots=True)
class PatientSessions:
    patient_id: str
    timezone: str
    sessions: tuple[SessionRow, ...]


@dataclass(frozen=True, slots=True)
class MySessions:
    clinic: str
    timezone: str
    sessions: tuple[SessionRow, ...]


@dataclass(frozen=True, slots=True)
class Invite:
    """What an invitation file says, in words already: the writer only lays it out."""

    uid: str
    starts_at: datetime
    ends_at: datetime
    summary: str
    description: str
    video_link: str
    status: SessionStatus
    calendar: str


@dataclass(frozen=True, slots=True)
class InviteFile:
    name: str
    data: bytes


class InviteWriter(Protocol):
    """Turns an invitation into an iCalendar file, stamped ``now``."""

    def __call__(self, invite: Invite, *, now: datetime) -> bytes: ...


# --- the clinic's link ------------------------------------------------------------------------


def set_video_link(
    uow: ClinicUnitOfWork, clock: Clock, words: Words, who: Clinician, link: str
) -> ClinicSettings:
    """An admin sets the clinic's video-call link (``NotFound`` for anyone else)."""
    if not who.is_admin:
        raise NotFound(words.say("clinic.not_found"))
    checked = video_link(words, link)
    with uow:
        uow.clinic.set_video_link(who.clinic_id, checked)
        clinic = uow.clinic.get_clinic(who.clinic_id)
        audit(uow.clinic, who, None, "write", "clinic_settings", clock.now())
        uow.commit()
    return ClinicSettings(clinic.name if clinic else "", checked)


def video_link(words: Words, given: str) -> str:
    """``given`` as an https address of at most ``LINK_MAX`` characters; ``ClinicError``."""
    link = given.strip()
    parts = None
    if 0 < len(link) <= LINK_MAX and text_problem(link) is None and link.isprintable():
        try:
            parts = urlsplit(link)
            parts.port  # noqa: B018 - a port that is not a number raises here
        except ValueError:
            parts = None
    if (
        parts is None
        or parts.scheme.lower() != "https"
        or not parts.hostname
        or any(c.isspace() for c in link)
    ):
        raise ClinicError(words.say("clinic_care.settings.link", max=LINK_MAX), "video_link")
    return link


# --- the clinician's side ---------------------------------------------------------------------


def propose_session(
    uow: ClinicUnitOfWork,
    clock: Clock,
    words: Words,
    who: Clinician,
    person_id: str,
    fields: Mapping[str, object],
    zone: str,
) -> SessionRow:
    """Propose a session to ``person_id`` at the time of ``fields`` (``starts_at``, or
    ``date`` and ``time`` in ``zone``, the clinician's) for ``minutes``, with the clinic's
    video-call link. ``NotFound`` for a runner not of the clinic, ``ClinicError`` naming the
    field at fault; nothing kept then."""
    now = clock.now()
    with uow:
        require_patient(uow.clinic, who, person_id, words)
        starts_at = _starts_at(words, fields, ZoneInfo(zone), now)
        minutes = _minutes(words, fields.get("minutes"))
        clinic = uow.clinic.get_clinic(who.clinic_id)
        if clinic is None or not clinic.video_link:
            raise ClinicError(words.say("clinic_care.session.no_link"), "video_link")
        session = VirtualSession(
            id=uuid.uuid4().hex,
            person_id=person_id,
            clinic_id=who.clinic_id,
            proposed_by=who.account_id,
            clinician_name=who.name,
            starts_at=starts_at,
            minutes=minutes,
            status=SessionStatus.PROPOSED,
            video_link=clinic.video_link,
            created_at=now,
        )
        uow.clinic.add_session(session)
        audit(uow.clinic, who, person_id, "write", "session_proposed", now)
        uow.commit()
    return session_row(session, words, zone)


def sessions_of(
    uow: ClinicUnitOfWork, clock: Clock, words: Words, who: Clinician, person_id: str, zone: str
) -> PatientSessions:
    """The patient's sessions with the clinic, each read in ``zone`` (the clinician's)."""
    with uow:
        require_patient(uow.clinic, who, person_id, words)
        found = uow.clinic.sessions(person_id, who.clinic_id)
        audit(uow.clinic, who, person_id, "read", "sessions", clock.now())
        uow.commit()
    return PatientSessions(person_id, zone, tuple(session_row(s, words, zone) for s in found))


# --- the runner's side ------------------------------------------------------------------------


def my_sessions(uow: ClinicUnitOfWork, words: Words, person_id: str, zone: str) -> MySessions:
    """The runner's sessions with their clinic, in ``zone``; ``NotFound`` without a clinic."""
    with uow:
        member = uow.clinic.membership(person_id)
        if member is None:
            raise NotFound(words.say("clinic.no_clinic"))
        clinic = uow.clinic.get_clinic(member.clinic_id)
        found = uow.clinic.sessions(person_id, member.clinic_id)
    rows = tuple(session_row(s, words, zone) for s in found)
    return MySessions(clinic.name if clinic else "", zone, rows)


def answer_session(
    uow: ClinicUnitOfWork,
    clock: Clock,
    words: Words,
    person_id: str,
    session_id: str,
    accept: bool,
    zone: str,
) -> SessionRow:
    """The runner accepts (or declines) a session of their clinic still to come; they may
    change their mind until it starts. ``NotFound`` for a session not theirs."""
    now = clock.now()
    with uow:
        member = uow.clinic.membership(person_id)
        session = uow.clinic.session(session_id) if len(session_id) <= 64 else None
        if (
            member is None
            or session is None
            or session.person_id != person_id
            or session.clinic_id != member.clinic_id
        ):
            raise NotFound(words.say("clinic_care.session.unknown"))
        if session.status is SessionStatus.CANCELLED:
            raise ClinicError(words.say("clinic_care.session.cancelled"), "session_id")
        if session.starts_at <= now:
            raise ClinicError(words.say("clinic_care.session.passed"), "session_id")
        status = SessionStatus.ACCEPTED if accept else SessionStatus.DECLINED
        uow.clinic.set_session_status(session.id, status)
        uow.commit()
    return session_row(_with_status(session, status), words, zone)


# --- the invitation ---------------------------------------------------------------------------


def session_invite(
    uow: ClinicUnitOfWork,
    clock: Clock,
    words: Words,
    account_id: str,
    person_id: str,
    address: str,
    session_id: str,
    zone: str,
    write: InviteWriter,
) -> InviteFile:
    """The invitation file of a session, for its runner or a clinician of its clinic (while
    the runner is their patient: the reading is logged); ``NotFound`` for anyone else."""
    now = clock.now()
    with uow:
        session = uow.clinic.session(session_id) if len(session_id) <= 64 else None
        if session is None:
            raise NotFound(words.say("clinic_care.session.unknown"))
        if session.person_id != person_id:
            member = uow.clinic.staff_member(account_id)
            if member is None or member.clinic_id != session.clinic_id:
                raise NotFound(words.say("clinic_care.session.unknown"))
            who = Clinician(
                member.account_id, person_id, member.clinic_id, member.role, member.name, address
            )
            require_patient(uow.clinic, who, session.person_id, words)
            audit(uow.clinic, who, session.person_id, "read", "session_invite", now)
        clinic = uow.clinic.get_clinic(session.clinic_id)
        uow.commit()
    row = session_row(session, words, zone)
    clinic_name = clinic.name if clinic else ""
    invite = Invite(
        uid=f"{session.id}@runrehab",
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        summary=words.say(
            "clinic_care.session.summary", clinician=session.clinician_name, clinic=clinic_name
        ),
        description=words.say(
            "clinic_care.session.description",
            clinician=session.clinician_name,
            clinic=clinic_name,
            minutes=session.minutes,
            when=row.when,
            link=session.video_link,
            status=words.say(f"clinic_care.session.status.{session.status.value}"),
        ),
        video_link=session.video_link,
        status=session.status,
        calendar=words.say("clinic_care.session.calendar"),
    )
    name = f"runrehab-session-{row.local_start[:10]}.ics"
    return InviteFile(name, write(invite, now=now))


# --- reading a time ---------------------------------------------------------------------------


def session_row(session: VirtualSession, words: Words, zone: str) -> SessionRow:
    here = ZoneInfo(zone)
    starts = session.starts_at.astimezone(UTC)
    ends = starts + timedelta(minutes=session.minutes)
    local, local_end = starts.astimezone(here), ends.astimezone(here)
    when = words.say(
        "clinic_care.session.when",
        day=locale.day_text(local.date(), True),
        start=f"{local:%H:%M}",
        end=f"{local_end:%H:%M}",
        zone=zone,
    )
    return SessionRow(
        id=session.id,
        status=session.status.value,
        starts_at=starts,
        ends_at=ends,
        local_start=local.isoformat(),
        when=when,
        minutes=session.minutes,
        clinician=session.clinician_name,
        video_link=session.video_link,
        timezone=zone,
        invite=f"/api/v1/clinic/sessions/{session.id}.ics",
    )


def _starts_at(
    words: Words, fields: Mapping[str, object], here: ZoneInfo, now: datetime
) -> datetime:
    """The start given (None: a field left out; anything else is read, "" included)."""
    given = fields.get("starts_at")
    day_text, time_text = fields.get("date"), fields.get("time")
    local = day_text is not None or time_text is not None
    if given is not None and local:
        raise ClinicError(words.say("clinic_care.session.when_both"), "starts_at")
    if given is not None:
        starts = _instant(words, str(given))
    elif day_text is not None and time_text is not None:
        starts = _local_instant(words, str(day_text), str(time_text), here, now)
    else:
        field = "starts_at" if not local else ("date" if day_text is None else "time")
        raise ClinicError(words.say("clinic_care.session.when_missing"), field)
    field = "starts_at" if given is not None else "date"
    if starts <= now:
        when = starts.astimezone(here).strftime("%Y-%m-%d %H:%M")
        raise ClinicError(words.say("clinic_care.session.past", when=when), field)
    if starts > now + timedelta(days=AHEAD_DAYS):
        raise ClinicError(words.say("clinic_care.session.too_far", days=AHEAD_DAYS), field)
    return starts


def _instant(words: Words, text: str) -> datetime:
    cleaned = text.strip()
    if _DATETIME.match(cleaned) is not None and len(cleaned) <= 40:
        try:
            found = datetime.fromisoformat(cleaned)
            if found.utcoffset() is not None:
                return found.astimezone(UTC)
        except (ValueError, OverflowError):
            pass
    said = words.say("clinic_care.session.starts_at", text=text[:40])
    raise ClinicError(said, "starts_at")


def _local_instant(
    words: Words, day_text: str, time_text: str, here: ZoneInfo, now: datetime
) -> datetime:
    day = past_day(words, day_text, date.max, "date")
    if day > now.date() + timedelta(days=AHEAD_DAYS + 1):
        raise ClinicError(words.say("clinic_care.session.too_far", days=AHEAD_DAYS), "date")
    matched = _TIME.fullmatch(time_text.strip())
    if matched is None:
        said = words.say("clinic_care.session.time", text=time_text[:40])
        raise ClinicError(said, "time")
    wall = datetime.combine(day, time(int(matched[1]), int(matched[2])))
    local = wall.replace(tzinfo=here)
    if local.astimezone(UTC).astimezone(here).replace(tzinfo=None) != wall:
        said = words.say(
            "clinic_care.session.no_such_time",
            day=day.isoformat(),
            time=f"{wall:%H:%M}",
            zone=str(here),
        )
        raise ClinicError(said, "time")
    return local.astimezone(UTC)


def _minutes(words: Words, given: object) -> int:
    low, high = MINUTES
    number = None
    if not isinstance(given, bool):
        try:
            number = int(str(given))
        except ValueError:
            number = None
    if number is None or not low <= number <= high:
        raise ClinicError(words.say("clinic_care.session.minutes", low=low, high=high), "minutes")
    return number


def _with_status(session: VirtualSession, status: SessionStatus) -> VirtualSession:
    return replace(session, status=status)
