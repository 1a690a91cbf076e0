"""What a clinician does for a patient, and what the runner sees of it: overrides with
reasons, the message thread, and the runner's clinic panel on Today.

An override is an input to the engine's fold (``engine.overrides``): adding or undoing one
refolds the programme from its day, so Today, Plan, the calendar and the report all show the
change. Every override carries the clinician's reason and shows to the runner as "your
physiotherapist ..." with it; undoing ends it from the day it is undone, and the history
keeps both."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from runrehab.content import locale
from runrehab.content.words import Words
from runrehab.engine.overrides import ONE_SHOT, RULES, Override, OverrideKind, values_of
from runrehab.engine.state import Status
from runrehab.services.clinic.access import (
    ClinicError,
    Clinician,
    NotFound,
    audit,
    log_read,
    require_patient,
)
from runrehab.services.clinic.ports import ClinicUnitOfWork
from runrehab.services.clinic.records import LIMITS, Message, Sender
from runrehab.services.content import ProgrammeContent
from runrehab.services.journal.kept import KeptViews
from runrehab.services.journal.programme import refold, resolve_person
from runrehab.services.journal.today import TodayPage, today_page
from runrehab.services.ports import Clock
from runrehab.services.records import StoredOverride
from runrehab.text import text_problem

REASON_MAX = 500
MESSAGE_MAX = 4000
NEEDS: Mapping[OverrideKind, tuple[str, ...]] = {
    OverrideKind.HOLD_PHASE: (),
    OverrideKind.SET_PHASE: ("phase",),
    OverrideKind.SET_RUNG: ("rung",),
    OverrideKind.WAIT_DAYS: ("days",),
    OverrideKind.RELEASE_HOLD: ("phase",),
    OverrideKind.DOSE: ("exercise",),
    OverrideKind.ADD_EXERCISE: ("exercise",),
    OverrideKind.REMOVE_EXERCISE: ("exercise",),
    OverrideKind.RUN_MINUTES: ("minutes",),
}
"""What each kind must be given; the other fields it may take are set to None."""
MAY = {
    OverrideKind.RELEASE_HOLD: ("phase", "rung"),
    OverrideKind.DOSE: ("exercise", "sets", "reps", "hold_seconds"),
    OverrideKind.ADD_EXERCISE: ("exercise", "sets", "reps", "hold_seconds"),
}


@dataclass(frozen=True, slots=True)
class OverrideRow:
    id: str
    kind: str
    rule: str
    title: str
    text: str
    source: str
    reason: str
    day: str
    author: str
    active: bool
    until: str | None
    undone_by: str | None
    fields: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Overrides:
    overrides: tuple[OverrideRow, ...]


@dataclass(frozen=True, slots=True)
class MessageRow:
    id: str
    sender: str
    author: str
    text: str
    sent_at: str
    read: bool
    when: str = ""
    """When it was sent, in the reader's time zone, in words."""


@dataclass(frozen=True, slots=True)
class Thread:
    clinic: str
    messages: tuple[MessageRow, ...]
    unread: int


@dataclass(frozen=True, slots=True)
class ClinicPanel:
    """What the runner's Today shows of their clinic: the physiotherapist's changes in force,
    with their reasons, and the latest message from the clinic."""

    clinic: str
    overrides: tuple[OverrideRow, ...]
    latest: MessageRow | None
    unread: int


# --- overrides --------------------------------------------------------------------------------


def set_override(
    uow: ClinicUnitOfWork,
    clock: Clock,
    content: ProgrammeContent,
    who: Clinician,
    person_id: str,
    fields: Mapping[str, Any],
    today: date,
) -> OverrideRow:
    """Check and keep one override from ``fields`` (kind, reason and the kind's values),
    dated ``today``, and refold the programme. ``ClinicError`` naming the field at fault."""
    words = content.words
    with uow:
        require_patient(uow.clinic, who, person_id, words)
        programme = uow.repo.current_programme(person_id)
        if programme is None:
            raise ClinicError(words.say("clinic.override.no_programme"), "kind")
        override = _checked(uow, content, who, fields, today, programme.state.status)
        stored = StoredOverride(
            person_id, who.clinic_id, override, who.account_id, who.name, clock.now()
        )
        uow.repo.add_override(stored)
        refold(uow.repo, content, programme, max(today, programme.started_on))
        audit(
            uow.clinic, who, person_id, "write", f"override_set:{override.kind.value}", clock.now()
        )
        uow.commit()
    return override_row(stored, content, today)


def undo_override(
    uow: ClinicUnitOfWork,
    clock: Clock,
    content: ProgrammeContent,
    who: Clinician,
    person_id: str,
    override_id: str,
    today: date,
) -> Overrides:
    """End an override in force from ``today`` on and refold; ``NotFound`` otherwise."""
    words = content.words
    with uow:
        require_patient(uow.clinic, who, person_id, words)
        if not uow.repo.undo_override(person_id, override_id, today, clock.now(), who.name):
            raise NotFound(words.say("clinic.override.unknown"))
        programme = uow.repo.current_programme(person_id)
        if programme is not None:
            refold(uow.repo, content, programme, max(today, programme.started_on))
        audit(uow.clinic, who, person_id, "write", "override_undone", clock.now())
        uow.commit()
        rows = [override_row(o, content, today) for o in uow.repo.overrides(person_id)]
    return Overrides(tuple(rows))


def overrides_of(
    uow: ClinicUnitOfWork,
    clock: Clock,
    content: ProgrammeContent,
    who: Clinician,
    person_id: str,
    today: date,
) -> Overrides:
    with uow:
        require_patient(uow.clinic, who, person_id, content.words)
        rows = [override_row(o, content, today) for o in uow.repo.overrides(person_id)]
    log_read(uow, who, person_id, "overrides", clock.now())
    return Overrides(tuple(rows))


def _checked(
    uow: ClinicUnitOfWork,
    content: ProgrammeContent,
    who: Clinician,
    fields: Mapping[str, Any],
    today: date,
    status: Status,
) -> Override:
    words = content.words
    kind = _kind(words, fields.get("kind"))
    reason = _reason(words, fields.get("reason"))
    values: dict[str, Any] = {}
    for name in MAY.get(kind, NEEDS[kind]):
        value = fields.get(name)
        if value is None or value == "":
            if name in NEEDS[kind]:
                raise ClinicError(words.say("clinic.override.missing", field=name), name)
            continue
        values[name] = _value(uow, content, who, name, value)
    if kind is OverrideKind.RELEASE_HOLD and status is not Status.REFERRED:
        key = "clinic.override.stopped" if status is Status.STOPPED else "clinic.override.not_held"
        raise ClinicError(words.say(key), "kind")
    if kind is OverrideKind.SET_RUNG and values["rung"] not in {
        r.number for r in content.protocol.rungs
    }:
        raise ClinicError(words.say("clinic.override.rung", n=len(content.protocol.rungs)), "rung")
    if kind is OverrideKind.ADD_EXERCISE:
        values["name"] = _exercise_name(uow, content, who, values["exercise"])
    return Override(uuid.uuid4().hex, kind, today, reason, **values)


def _kind(words: Words, given: object) -> OverrideKind:
    try:
        return OverrideKind(str(given))
    except ValueError:
        kinds = ", ".join(k.value for k in OverrideKind)
        raise ClinicError(words.say("clinic.override.kind", kinds=kinds), "kind") from None


def _reason(words: Words, given: object) -> str:
    text = " ".join(str(given or "").split())
    if not text or len(text) > REASON_MAX or text_problem(text) is not None:
        raise ClinicError(words.say("clinic.override.reason", max=REASON_MAX), "reason")
    return text


def _value(
    uow: ClinicUnitOfWork, content: ProgrammeContent, who: Clinician, name: str, value: object
) -> object:
    words = content.words
    if name == "exercise":
        text = str(value).strip()
        _exercise_name(uow, content, who, text)
        return text
    try:
        number = int(str(value))
    except ValueError:
        number = None
    low, high = LIMITS[name]
    if number is None or isinstance(value, bool) or not low <= number <= high:
        raise ClinicError(words.say("clinic.override.number", field=name, low=low, high=high), name)
    return number


def _exercise_name(
    uow: ClinicUnitOfWork, content: ProgrammeContent, who: Clinician, ex: str
) -> str:
    built_in = content.protocol.exercises.get(ex)
    if built_in is not None:
        return built_in.name
    own = uow.clinic.exercise(who.clinic_id, ex) if len(ex) <= 64 else None
    if own is None:
        raise ClinicError(
            content.words.say("clinic.override.exercise", exercise=repr(ex[:64])), "exercise"
        )
    return own.name


def override_row(stored: StoredOverride, content: ProgrammeContent, today: date) -> OverrideRow:
    o = stored.override
    rule = content.book.rules[RULES[o.kind]]
    fields = values_of(o)
    return OverrideRow(
        id=o.id,
        kind=o.kind.value,
        rule=rule.id,
        title=rule.title,
        text=rule.text,
        source=content.book.citation(rule),
        reason=o.reason,
        day=o.day.isoformat(),
        author=stored.author_name,
        active=o.active_on(today) and (o.kind not in ONE_SHOT or o.day == today),
        until=o.until.isoformat() if o.until else None,
        undone_by=stored.undone_by,
        fields=fields,
    )


# --- messages ---------------------------------------------------------------------------------


def send_message(
    uow: ClinicUnitOfWork,
    clock: Clock,
    words: Words,
    person_id: str,
    text: str,
    who: Clinician | None = None,
    runner_name: str = "",
) -> MessageRow:
    """A message in the runner's thread with their clinic: from ``who`` (a clinician of it)
    or, without, from the runner. ``NotFound`` when the runner has no clinic."""
    body = _message_text(words, text)
    now = clock.now()
    with uow:
        if who is not None:
            require_patient(uow.clinic, who, person_id, words)
            clinic_id, sender, author_id, author = (
                who.clinic_id,
                Sender.CLINICIAN,
                who.account_id,
                who.name,
            )
        else:
            member = uow.clinic.membership(person_id)
            if member is None:
                raise NotFound(words.say("clinic.no_clinic"))
            clinic_id, sender, author_id, author = (
                member.clinic_id,
                Sender.RUNNER,
                person_id,
                runner_name,
            )
        message = Message(
            uuid.uuid4().hex, person_id, clinic_id, sender, author_id, author, body, now
        )
        uow.clinic.add_message(message)
        if who is not None:
            audit(uow.clinic, who, person_id, "write", "message_sent", now)
        uow.commit()
    return message_row(message, words)


def _message_text(words: Words, text: str) -> str:
    body = text.strip()
    if not body or len(body) > MESSAGE_MAX or text_problem(body) is not None:
        raise ClinicError(words.say("clinic.message.invalid", max=MESSAGE_MAX), "text")
    return body


def thread(
    uow: ClinicUnitOfWork,
    clock: Clock,
    words: Words,
    person_id: str,
    who: Clinician | None = None,
    zone: str = "UTC",
) -> Thread:
    """The runner's thread with their clinic, read by ``who`` (or the runner): what the
    other side sent is marked read."""
    now = clock.now()
    with uow:
        if who is not None:
            require_patient(uow.clinic, who, person_id, words)
            clinic_id = who.clinic_id
        else:
            member = uow.clinic.membership(person_id)
            if member is None:
                raise NotFound(words.say("clinic.no_clinic"))
            clinic_id = member.clinic_id
        reader = Sender.CLINICIAN if who is not None else Sender.RUNNER
        before = uow.clinic.messages(person_id, clinic_id)
        unread = sum(1 for m in before if m.sender is not reader and m.read_at is None)
        uow.clinic.mark_read(person_id, clinic_id, reader, now)
        if who is not None:
            audit(uow.clinic, who, person_id, "read", "messages", now)
        clinic = uow.clinic.get_clinic(clinic_id)
        uow.commit()
    rows = tuple(message_row(m, words, zone) for m in before)
    return Thread(clinic.name if clinic else "", rows, unread)


def message_row(m: Message, words: Words, zone: str = "UTC") -> MessageRow:
    return MessageRow(
        m.id,
        m.sender.value,
        m.author_name or words.say("clinic.you"),
        m.text,
        m.sent_at.isoformat(),
        m.read_at is not None,
        local_text(m.sent_at, zone),
    )


def local_text(moment: datetime, zone: str) -> str:
    """``Tue 1 Dec, 08:00``: a moment as its reader reads it, in their own time zone."""
    local = moment.astimezone(ZoneInfo(zone))
    return f"{locale.day_text(local.date())}, {local:%H:%M}"


# --- the runner's side ------------------------------------------------------------------------


def clinic_panel(
    uow: ClinicUnitOfWork, content: ProgrammeContent, person_id: str, today: date
) -> ClinicPanel | None:
    """Inside an open unit of work: the runner's clinic on Today, None without one."""
    member = uow.clinic.membership(person_id)
    stored = uow.repo.overrides(person_id)
    in_force = [override_row(o, content, today) for o in stored if o.override.active_on(today)]
    if member is None and not in_force:
        return None
    clinic = uow.clinic.get_clinic(member.clinic_id) if member else None
    messages = uow.clinic.messages(person_id, member.clinic_id) if member else []
    theirs = [m for m in messages if m.sender is Sender.CLINICIAN]
    latest = message_row(theirs[-1], content.words) if theirs else None
    unread = sum(1 for m in theirs if m.read_at is None)
    return ClinicPanel(clinic.name if clinic else "", tuple(in_force), latest, unread)


PAGES: KeptViews[TodayPage] = KeptViews()
"""Today pages with their clinic panels, kept while the runner's journal is unchanged: the
clinic's rows the panel reads revise the runner too (migration 0012), so a page kept under
the runner's revision is the page read afresh."""


def clinic_today_page(
    uow: ClinicUnitOfWork, content: ProgrammeContent, person_id: str, day: date, today: date
) -> TodayPage:
    """The Today page of ``day`` (``journal.today.today_page``) with the runner's clinic."""
    with uow:  # one trip: the page and its panel read one state of the journal
        person = resolve_person(uow.repo, person_id, content.words)
        kept = PAGES.get(person, day, content)
        if kept is not None and kept.today == today:
            return kept
        page = today_page(uow.repo, content, person_id, day, today, person)
        found = replace(page, clinic=clinic_panel(uow, content, person_id, day))
    PAGES.put(person, day, content, found)
    return found
