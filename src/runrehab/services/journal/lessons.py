"""Use cases of the week-1 lessons: mark one as read, and what has been read, for the views.

Which lesson is on which day is the engine's (``engine.education``, through the day's
session); this module only stores the runner's "read" and counts it, as the exercises are
counted: the lessons of the day read that day, and the lessons read so far of all of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from runrehab.engine.education import Lesson, Reading
from runrehab.errors import JournalError
from runrehab.services.content import ProgrammeContent
from runrehab.services.journal.programme import require_programme, require_started, resolve_person
from runrehab.services.journal.session_view import reading_view
from runrehab.services.ports import Clock, UnitOfWork
from runrehab.services.records import LessonRead


class UnknownLesson(JournalError, LookupError):
    """No lesson has that id: the message names it and the lessons there are (the web answers
    404, the command line exits 2)."""


def lesson_of(content: ProgrammeContent, lesson_id: str) -> Lesson:
    """The lesson ``lesson_id``; ``UnknownLesson`` naming it, and the lessons there are."""
    found = next((x for x in content.protocol.lessons if x.id == lesson_id), None)
    if found is None:
        known = ", ".join(x.id for x in content.protocol.lessons)
        raise UnknownLesson(f"there is no lesson {lesson_id[:80]!r}: the lessons are {known}")
    return found


def mark_read(
    uow: UnitOfWork,
    clock: Clock,
    content: ProgrammeContent,
    lesson_id: str,
    day: date,
    person_id: str | None = None,
) -> dict[str, Any]:
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
    return {
        "schema_version": 1,
        "lesson": lesson_view(lesson),
        "date": kept.day.isoformat(),
        "already_read": already,
        "education": education_view(content.protocol.lessons, reads, day),
    }


def lesson_view(lesson: Lesson) -> dict[str, Any]:
    return {
        "id": lesson.id,
        "topic": lesson.topic,
        "title": lesson.title,
        "minutes": lesson.minutes,
        "rule": lesson.rule,
    }


def read_before(reads: Iterable[LessonRead], day: date) -> frozenset[str]:
    """The ids of the lessons read before ``day``: what the day's plan leaves off its list."""
    return frozenset(r.lesson_id for r in reads if r.day < day)


def mark_session(session: dict[str, Any], reads: Sequence[LessonRead]) -> None:
    """Mark each lesson of a session document (``session_view``) read or not on its day."""
    on_day = {r.lesson_id for r in reads if r.day.isoformat() == session.get("date")}
    for item in session.get("reading", []):
        item["read"] = item["id"] in on_day


def reading_items(
    reading: Sequence[Reading],
    reads: Sequence[LessonRead],
    day: date,
    content: ProgrammeContent,
) -> list[dict[str, Any]]:
    """The day's lessons for people: each with whether it was read that day and its reason
    (the rule's words and sources, one tap away)."""
    on_day = {r.lesson_id for r in reads if r.day == day}
    return [
        {
            **reading_view(r),
            "read": r.lesson.id in on_day,
            "reason": content.book.describe(r.reason),
        }
        for r in reading
    ]


def education_view(
    lessons: Sequence[Lesson], reads: Sequence[LessonRead], day: date
) -> dict[str, Any]:
    """How many of the lessons were read by ``day``: "Education: 3 of 4 read"."""
    known = {x.id for x in lessons}
    done = {r.lesson_id for r in reads if r.day <= day and r.lesson_id in known}
    return {
        "read": len(done),
        "of": len(lessons),
        "text": f"Education: {len(done)} of {len(lessons)} read",
    }


def day_counts(items: Sequence[dict[str, Any]]) -> dict[str, int]:
    """The day's lessons done and planned, as the day's exercises are counted."""
    return {"done": sum(1 for x in items if x["read"]), "planned": len(items)}
