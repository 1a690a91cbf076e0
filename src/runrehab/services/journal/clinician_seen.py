"""A referral that can end: a runner without a clinic tells RunRehab that a physiotherapist or
doctor has seen their knee, and what they advised.

A referred programme (status "referred") holds until a clinician has assessed the knee; one
stopped for a warning sign ("stopped") restarts only with a new knee check. Either way the
runner first keeps what the clinician advised, as a journal note (``AUTHOR`` marks it: it
shows in the history and the report), then takes the knee check again (``NEXT``), whose
answers start a new programme fitted to the knee as it is now. The note itself changes no
programme: the new assessment does."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date

from runrehab.content import locale
from runrehab.content.words import Words
from runrehab.errors import RunRehabError
from runrehab.services.ports import Clock, UnitOfWork
from runrehab.services.records import Note
from runrehab.text import text_problem

AUTHOR = "clinician-seen"
"""The note's author: the runner's record of a clinician's advice."""
ADVICE_MAX = 2000
EARLIEST = date(2000, 1, 1)
NEXT = "/start/new"
"""The knee check, begun afresh whatever stands (a red flag's instruction included)."""
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class ClinicianSeenRefused(RunRehabError, ValueError):
    """What the runner sent cannot be kept (the web: 400, or the form again); ``field`` names
    the field at fault."""

    def __init__(self, message: str, field: str) -> None:
        self.field = field
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class ClinicianSeenPage:
    """The page's form: what it is for, for this runner's programme as it stands."""

    status: str | None
    """The current programme's status (active, referred, stopped), None without one."""
    text: str
    today: date
    advice_max: int


@dataclass(frozen=True, slots=True)
class SeenNote:
    id: str
    date: date
    author: str
    text: str


@dataclass(frozen=True, slots=True)
class ClinicianSeen:
    """Kept: the note, what stands, and where to go next (the knee check)."""

    note: SeenNote
    status: str | None
    text: str
    next: str


def clinician_seen_page(
    uow: UnitOfWork, words: Words, person_id: str, today: date
) -> ClinicianSeenPage:
    status = _status(uow, person_id)
    return ClinicianSeenPage(status, _explained(words, status), today, ADVICE_MAX)


def clinician_seen(
    uow: UnitOfWork,
    clock: Clock,
    words: Words,
    person_id: str,
    day: str | None,
    advice: str,
    today: date,
) -> ClinicianSeen:
    """Keep the runner's note that a clinician saw their knee on ``day`` (None: ``today``;
    not after it) and advised ``advice`` (1 to ``ADVICE_MAX`` characters).
    ``ClinicianSeenRefused`` naming the field at fault, nothing kept then."""
    seen = _day(words, day, today)
    text = advice.strip()
    problem = text_problem(text)
    if problem is not None:
        raise ClinicianSeenRefused(
            words.say("clinic_care.seen.bad_text", problem=problem), "advice"
        )
    if not text or len(text) > ADVICE_MAX:
        raise ClinicianSeenRefused(words.say("clinic_care.seen.advice", max=ADVICE_MAX), "advice")
    said = words.say("clinic_care.seen.note", day=locale.day_text(seen, True), advice=text)
    with uow:
        programme = uow.repo.current_programme(person_id)
        note = Note(uuid.uuid4().hex, person_id, seen, AUTHOR, said, clock.now())
        uow.repo.add_note(note)
        uow.commit()
    status = programme.state.status.value if programme is not None else None
    return ClinicianSeen(
        SeenNote(note.id, note.day, note.author, note.text),
        status,
        words.say("clinic_care.seen.done"),
        NEXT,
    )


def _status(uow: UnitOfWork, person_id: str) -> str | None:
    with uow:
        programme = uow.repo.current_programme(person_id)
    return programme.state.status.value if programme is not None else None


def _explained(words: Words, status: str | None) -> str:
    key = status if status in ("referred", "stopped") else "other"
    return words.say(f"clinic_care.seen.{key}")


def _day(words: Words, given: str | None, today: date) -> date:
    if given is None:
        return today
    text = given.strip()
    try:
        day = date.fromisoformat(text) if _ISO_DAY.fullmatch(text) else None
    except ValueError:
        day = None
    if day is None:
        said = words.say("clinic_care.day.not_a_date", text=given[:40])
        raise ClinicianSeenRefused(said, "day")
    if day > today:
        said = words.say("clinic_care.day.future", day=day.isoformat(), today=today.isoformat())
        raise ClinicianSeenRefused(said, "day")
    if day < EARLIEST:
        said = words.say("clinic_care.day.too_early", earliest=EARLIEST.isoformat())
        raise ClinicianSeenRefused(said, "day")
    return day
