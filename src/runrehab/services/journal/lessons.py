"""Use cases of the week-1 lessons: mark one as read, and what has been read, for the views.

Which lesson is on which day is the engine's (``engine.education``, through the day's
session); this module only stores the runner's "read" and counts it, as the exercises are
counted: the lessons of the day read that day, and the lessons read so far of all of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from runrehab.content.words import Words
from runrehab.engine.education import Lesson, Reading
from runrehab.errors import JournalError
from runrehab.services.content import ProgrammeContent
from runrehab.services.journal.asked_day import AskedDay, asked_day
from runrehab.services.journal.described import describe
from runrehab.services.journal.programme import require_programme, require_started, resolve_person
from runrehab.services.ports import Clock, UnitOfWork
from runrehab.services.reasons import ReasonView
from runrehab.services.records import LessonRead


class UnknownLesson(JournalError, LookupError):
    """No lesson has that id: the message names it and the lessons there are (the web answers
    404, the command line exits 2)."""


@dataclass(frozen=True, slots=True)
class LessonView:
    id: str
    topic: str
    """The knowledge page to read."""
    title: str
    minutes: int
    rule: str


@dataclass(frozen=True, slots=True)
class EducationView:
    """How many of the lessons were read by a day: "Education: 3 of 4 read"."""

    read: int
    of: int
    text: str


@dataclass(frozen=True, slots=True)
class LessonMarked:
    """A lesson marked read: the day it was first read (``already_read`` when that was before
    this request), and how many are read now."""

    schema_version: int
    lesson: LessonView
    date: date
    already_read: bool
    education: EducationView


@dataclass(frozen=True, slots=True)
class LessonCounts:
    """The day's lessons read that day and planned, as the day's exercises are counted."""

    done: int
    planned: int


@dataclass(frozen=True, slots=True)
class DayEducation:
    """``EducationView`` with the day's own count."""

    read: int
    of: int
    text: str
    today: LessonCounts


@dataclass(frozen=True, slots=True)
class ReadingItem:
    """One of the day's lessons: the page to read, the day it was due (``carried`` when that
    was an earlier day and it is still unread), whether it was read that day, and its reason
    (the rule's words and sources, one tap away)."""

    id: str
    topic: str
    title: str
    minutes: int
    due: date
    carried: bool
    rule: str
    read: bool
    reason: ReasonView


@dataclass(frozen=True, slots=True)
class DayReading:
    """The day's lessons and the count of what is read."""

    day: date
    items: tuple[ReadingItem, ...]
    education: DayEducation


def lesson_of(content: ProgrammeContent, lesson_id: str) -> Lesson:
    """The lesson ``lesson_id``; ``UnknownLesson`` naming it, and the lessons there are."""
    found = next((x for x in content.protocol.lessons if x.id == lesson_id), None)
    if found is None:
        known = ", ".join(x.id for x in content.protocol.lessons)
        said = content.words.say(
            "lessons.refused.unknown", lesson=repr(lesson_id[:80]), known=known
        )
        raise UnknownLesson(said)
    return found


def mark_read(
    uow: UnitOfWork,
    clock: Clock,
    content: ProgrammeContent,
    lesson_id: str,
    day: date,
    person_id: str | None = None,
) -> LessonMarked:
    """Keep that the runner read ``lesson_id`` on ``day`` (a day of their programme). Marking a
    lesson read again changes nothing: the first day stands and ``already_read`` says so."""
    lesson = lesson_of(content, lesson_id)
    with uow:
        repo = uow.repo
        person = resolve_person(repo, person_id)
        require_started(require_programme(repo, person), day)
        already = any(r.lesson_id == lesson.id for r in repo.lessons_read(person.id))
        kept = repo.mark_lesson_read(LessonRead(person.id, lesson.id, day, clock.now()))
        uow.commit()
        reads = repo.lessons_read(person.id)
    return LessonMarked(
        schema_version=1,
        lesson=lesson_view(lesson),
        date=kept.day,
        already_read=already,
        education=education_of(content, reads, day),
    )


def mark_read_asked(
    uow: UnitOfWork,
    clock: Clock,
    content: ProgrammeContent,
    lesson_id: str,
    asked: AskedDay,
    person_id: str,
) -> LessonMarked:
    """``mark_read`` on the day ``asked`` names, checked as every programme day is
    (``asked_day``). An unknown lesson is refused first."""
    lesson_of(content, lesson_id)
    day = asked_day(uow, content.words, person_id, asked).day
    return mark_read(uow, clock, content, lesson_id, day, person_id)


def lesson_view(lesson: Lesson) -> LessonView:
    return LessonView(lesson.id, lesson.topic, lesson.title, lesson.minutes, lesson.rule)


def read_before(reads: Iterable[LessonRead], day: date) -> frozenset[str]:
    """The ids of the lessons read before ``day``: what the day's plan leaves off its list."""
    return frozenset(r.lesson_id for r in reads if r.day < day)


def mark_session(session: dict[str, Any], reads: Sequence[LessonRead]) -> None:
    """Mark each lesson of a session document (``session_view``) read or not on its day."""
    on_day = {r.lesson_id for r in reads if r.day.isoformat() == session.get("date")}
    for item in session.get("reading", []):
        item["read"] = item["id"] in on_day


def day_reading(
    reading: Sequence[Reading],
    reads: Sequence[LessonRead],
    day: date,
    content: ProgrammeContent,
) -> DayReading:
    """The day's lessons for people, each with whether it was read that day and its reason,
    and the count of those read: that day's, and so far of all of them."""
    on_day = {r.lesson_id for r in reads if r.day == day}
    items = tuple(
        ReadingItem(
            id=r.lesson.id,
            topic=r.lesson.topic,
            title=r.lesson.title,
            minutes=r.lesson.minutes,
            due=r.due,
            carried=r.carried,
            rule=r.lesson.rule,
            read=r.lesson.id in on_day,
            reason=describe(content, r.reason),
        )
        for r in reading
    )
    so_far = education_of(content, reads, day)
    counts = LessonCounts(sum(1 for x in items if x.read), len(items))
    return DayReading(day, items, DayEducation(so_far.read, so_far.of, so_far.text, counts))


def education_of(
    content: ProgrammeContent, reads: Sequence[LessonRead], day: date
) -> EducationView:
    """How many of the lessons were read by ``day``: "Education: 3 of 4 read"."""
    return _education(content.protocol.lessons, reads, day, content.words)


def _education(
    lessons: Sequence[Lesson], reads: Sequence[LessonRead], day: date, words: Words
) -> EducationView:
    known = {x.id for x in lessons}
    done = {r.lesson_id for r in reads if r.day <= day and r.lesson_id in known}
    text = words.say("lessons.education.count", read=len(done), of=len(lessons))
    return EducationView(len(done), len(lessons), text)
