"""Marking a lesson read from Today's "Mark as read" button, answered with the day's reading
section (the lesson now read, the counts moved on), so the page swaps in just that section.

Apart from ``lessons`` because the section needs the day's plan (``day_plan``), which itself
asks ``lessons`` which lessons were read before the day.
"""

from __future__ import annotations

from runrehab.services.content import ProgrammeContent
from runrehab.services.journal.asked_day import AskedDay
from runrehab.services.journal.day_plan import plan_for_day
from runrehab.services.journal.lessons import DayReading, day_reading, mark_read_asked
from runrehab.services.journal.programme import require_programme, resolve_person
from runrehab.services.ports import Clock, UnitOfWork


def mark_read_on_today(
    uow: UnitOfWork,
    clock: Clock,
    content: ProgrammeContent,
    lesson_id: str,
    asked: AskedDay,
    person_id: str,
) -> DayReading:
    """Mark the lesson read on the form's day (``mark_read_asked``), then the reading
    section of the day it was first read, which is the day the page shows."""
    marked = mark_read_asked(uow, clock, content, lesson_id, asked, person_id)
    with uow:
        repo = uow.repo
        programme = require_programme(repo, resolve_person(repo, person_id))
        planned = plan_for_day(repo, content, programme, marked.date)
    session = planned.plan.session
    reading = () if session is None else session.reading
    return day_reading(reading, planned.lessons_read, marked.date, content)
