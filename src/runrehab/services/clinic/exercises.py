"""The clinic's own exercises: cards with the fields of a built-in one (name, what it is for,
how to do it step by step, cues, a starting dose of sets and reps or a hold), with a picture or
a short video of the clinic's, kept in the database and served by RunRehab itself.

A clinic exercise's id starts with ``ID_PREFIX``, which no built-in id does, so a clinician
can prescribe it (``care.set_override``, ``add_exercise``) and it never stands for a built-in
one. It shows only to the clinic's clinicians and its patients: for anyone else it does not
exist. A file is taken for what its first bytes say it is, never for its name or the type
the browser gave it."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from runrehab.content.words import Words
from runrehab.services.clinic.access import ClinicError, Clinician, NotFound, audit
from runrehab.services.clinic.ports import ClinicUnitOfWork
from runrehab.services.clinic.records import LIMITS, ClinicExercise
from runrehab.services.ports import Clock
from runrehab.text import text_problem

ID_PREFIX = "clinic-"
NAME_MAX = 80
PURPOSE_MAX = 500
LINE_MAX = 300
STEPS = (2, 12)
"""A built-in card has at least two steps (``content.schema.Exercise``)."""
CUES = (1, 8)
MB = 1024 * 1024
PICTURE_MAX = 2 * MB
VIDEO_MAX = 20 * MB
PICTURES = ("image/png", "image/jpeg", "image/webp")
VIDEOS = ("video/mp4", "video/webm")
MEDIA_TYPES = PICTURES + VIDEOS
_MP4_BRANDS = frozenset(
    {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ", b"dash"}
)


@dataclass(frozen=True, slots=True)
class ExerciseRow:
    id: str
    name: str
    purpose: str
    how: tuple[str, ...]
    cues: tuple[str, ...]
    sets: int
    reps: int | None
    hold_seconds: int | None
    media_type: str | None
    media: str | None
    """Where RunRehab serves the picture or video (None without one)."""
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ClinicExercises:
    clinic: str
    exercises: tuple[ExerciseRow, ...]


@dataclass(frozen=True, slots=True)
class ExerciseMedia:
    media_type: str
    data: bytes


def add_clinic_exercise(
    uow: ClinicUnitOfWork,
    clock: Clock,
    words: Words,
    who: Clinician,
    fields: Mapping[str, Sequence[str]],
    media: bytes | None,
) -> ExerciseRow:
    """A new exercise in ``who``'s clinic's library from the form's ``fields`` (each field's
    values: ``how`` and ``cues`` may be given several times, a value of several lines is a
    line each) and ``media`` (the file's bytes, or None). ``ClinicError`` naming the field at
    fault, nothing kept then."""
    card = _card(words, fields)
    media_type, data = _media(words, media)
    now = clock.now()
    exercise = ClinicExercise(
        id=ID_PREFIX + uuid.uuid4().hex,
        clinic_id=who.clinic_id,
        name=card.name,
        purpose=card.purpose,
        how=card.how,
        cues=card.cues,
        sets=card.sets,
        reps=card.reps,
        hold_seconds=card.hold_seconds,
        created_by=who.account_id,
        created_at=now,
        media_type=media_type,
        media=data,
    )
    with uow:
        uow.clinic.add_exercise(exercise)
        audit(uow.clinic, who, None, "write", "clinic_exercise", now)
        uow.commit()
    return exercise_row(exercise)


def clinic_exercises(
    uow: ClinicUnitOfWork, words: Words, account_id: str, person_id: str
) -> ClinicExercises:
    """The clinic's library, for its clinicians and its patients (``NotFound`` for anyone
    else)."""
    with uow:
        clinic_id = _clinic_of(uow, words, account_id, person_id)
        clinic = uow.clinic.get_clinic(clinic_id)
        found = uow.clinic.exercises(clinic_id)
    return ClinicExercises(clinic.name if clinic else "", tuple(exercise_row(e) for e in found))


def clinic_exercise(
    uow: ClinicUnitOfWork, words: Words, account_id: str, person_id: str, exercise_id: str
) -> ExerciseRow:
    with uow:
        return exercise_row(_exercise(uow, words, account_id, person_id, exercise_id))


def clinic_exercise_media(
    uow: ClinicUnitOfWork, words: Words, account_id: str, person_id: str, exercise_id: str
) -> ExerciseMedia:
    """The exercise's picture or video, with its type; ``NotFound`` without one."""
    with uow:
        found = _exercise(uow, words, account_id, person_id, exercise_id)
    if found.media is None or found.media_type not in MEDIA_TYPES:
        raise NotFound(words.say("clinic_care.exercise.no_media"))
    return ExerciseMedia(found.media_type, found.media)


def media_type_of(data: bytes) -> str | None:
    """What ``data``'s first bytes say it is, of ``MEDIA_TYPES``; None for anything else."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[4:8] == b"ftyp" and data[8:12] in _MP4_BRANDS:
        return "video/mp4"
    if data.startswith(b"\x1a\x45\xdf\xa3") and b"webm" in data[:64]:
        return "video/webm"
    return None


def size_words(words: Words, size: int) -> str:
    """A size as a person reads it: 2 MB, 3.4 MB, 512 KB."""
    if size >= MB:
        return words.say("runs.size.megabytes", n=f"{size / MB:.1f}".removesuffix(".0"))
    return words.say("runs.size.kilobytes", n=max(1, round(size / 1024)))


# --- the card ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Card:
    name: str
    purpose: str
    how: tuple[str, ...]
    cues: tuple[str, ...]
    sets: int
    reps: int | None
    hold_seconds: int | None


def _card(words: Words, fields: Mapping[str, Sequence[str]]) -> _Card:
    name = " ".join(_last(fields, "name").split())
    _check_text(words, "name", name)
    if not name or len(name) > NAME_MAX:
        raise ClinicError(words.say("clinic_care.exercise.name", max=NAME_MAX), "name")
    purpose = _last(fields, "purpose").strip()
    _check_text(words, "purpose", purpose)
    if not purpose or len(purpose) > PURPOSE_MAX:
        said = words.say("clinic_care.exercise.purpose", max=PURPOSE_MAX)
        raise ClinicError(said, "purpose")
    how = _lines(words, fields, "how", STEPS)
    cues = _lines(words, fields, "cues", CUES)
    sets = _number(words, fields, "sets")
    reps = _number(words, fields, "reps")
    hold = _number(words, fields, "hold_seconds")
    if (reps is None) == (hold is None):
        raise ClinicError(words.say("clinic_care.exercise.dose"), "reps")
    if sets is None:
        low, high = LIMITS["sets"]
        said = words.say("clinic_care.exercise.number", field="sets", low=low, high=high)
        raise ClinicError(said, "sets")
    return _Card(name, purpose, how, cues, sets, reps, hold)


def _last(fields: Mapping[str, Sequence[str]], name: str) -> str:
    values = fields.get(name) or ()
    return values[-1] if values else ""


def _check_text(words: Words, field: str, text: str) -> None:
    problem = text_problem(text)
    if problem is not None:
        said = words.say("clinic_care.exercise.bad_text", field=field, problem=problem)
        raise ClinicError(said, field)


def _lines(
    words: Words, fields: Mapping[str, Sequence[str]], name: str, count: tuple[int, int]
) -> tuple[str, ...]:
    found: list[str] = []
    for value in fields.get(name) or ():
        _check_text(words, name, value)
        found += [" ".join(line.split()) for line in value.splitlines() if line.strip()]
    low, high = count
    if not low <= len(found) <= high or any(len(line) > LINE_MAX for line in found):
        said = words.say(f"clinic_care.exercise.{name}", low=low, high=high, max=LINE_MAX)
        raise ClinicError(said, name)
    return tuple(found)


def _number(words: Words, fields: Mapping[str, Sequence[str]], name: str) -> int | None:
    text = _last(fields, name).strip()
    if not text:
        return None
    low, high = LIMITS[name]
    number = int(text) if text.isascii() and text.isdigit() and len(text) <= 6 else None
    if number is None or not low <= number <= high:
        said = words.say("clinic_care.exercise.number", field=name, low=low, high=high)
        raise ClinicError(said, name)
    return number


def _media(words: Words, data: bytes | None) -> tuple[str | None, bytes | None]:
    if not data:
        return None, None
    kind = media_type_of(data)
    if kind is None:
        raise ClinicError(words.say("clinic_care.exercise.media_kind"), "media")
    if kind in PICTURES and len(data) > PICTURE_MAX:
        said = words.say(
            "clinic_care.exercise.picture_too_large",
            size=size_words(words, len(data)),
            max=size_words(words, PICTURE_MAX),
        )
        raise ClinicError(said, "media")
    if kind in VIDEOS and len(data) > VIDEO_MAX:
        said = words.say(
            "clinic_care.exercise.video_too_large",
            size=size_words(words, len(data)),
            max=size_words(words, VIDEO_MAX),
        )
        raise ClinicError(said, "media")
    return kind, data


# --- who sees it ------------------------------------------------------------------------------


def _clinic_of(uow: ClinicUnitOfWork, words: Words, account_id: str, person_id: str) -> str:
    """The clinic whose library the caller sees: theirs as a clinician, or as a patient."""
    staff = uow.clinic.staff_member(account_id)
    if staff is not None:
        return staff.clinic_id
    member = uow.clinic.membership(person_id)
    if member is None:
        raise NotFound(words.say("clinic.not_found"))
    return member.clinic_id


def _exercise(
    uow: ClinicUnitOfWork, words: Words, account_id: str, person_id: str, exercise_id: str
) -> ClinicExercise:
    clinic_id = _clinic_of(uow, words, account_id, person_id)
    found = None
    if exercise_id.startswith(ID_PREFIX) and len(exercise_id) <= 64:
        found = uow.clinic.exercise(clinic_id, exercise_id)
    if found is None:
        raise NotFound(words.say("clinic_care.exercise.unknown"))
    return found


def exercise_row(e: ClinicExercise) -> ExerciseRow:
    media = f"/api/v1/clinic/exercises/{e.id}/media" if e.media_type else None
    return ExerciseRow(
        id=e.id,
        name=e.name,
        purpose=e.purpose,
        how=e.how,
        cues=e.cues,
        sets=e.sets,
        reps=e.reps,
        hold_seconds=e.hold_seconds,
        media_type=e.media_type,
        media=media,
        created_at=e.created_at,
    )
