"""The core education of the programme's first week: which page to read on which day.

Education is part of the treatment, not a leaflet: in runners with patellofemoral pain,
education alone did as well as education with exercise or gait retraining (Esculier 2018), and
the JOSPT 2019 guideline recommends education with exercise. So each core lesson (one of the
library's knowledge pages) is scheduled on a day of week 1 and shown with the day's exercises;
a lesson not read yet stays on the days after until it is read.

Reading is not training: it changes no gate, no colour and no dose (``session.build_session``
only lists it).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from runrehab.engine.said import said
from runrehab.engine.values import Reason


@dataclass(frozen=True, slots=True)
class Lesson:
    """A core lesson: the knowledge page ``topic``, to read on programme day ``day`` (1 = the
    day the programme started), in about ``minutes`` minutes; ``rule`` says why it is there."""

    id: str
    topic: str
    title: str
    day: int
    minutes: int
    rule: str


@dataclass(frozen=True, slots=True)
class Reading:
    """A lesson on a day's session: due on ``due``; ``carried`` when it was due on an earlier
    day and is still to read."""

    lesson: Lesson
    due: date
    carried: bool
    reason: Reason


def reading_for(
    lessons: Sequence[Lesson], started: date, day: date, read: Collection[str] = ()
) -> tuple[Reading, ...]:
    """The lessons to read on ``day`` of a programme that began on ``started``: each one due on
    or before that programme day and not in ``read`` (the ids read before ``day``), in the
    order of their days.

    Example: with lessons on days 1 and 2, day 3 lists both when neither was read, and only
    the second once the first was read on day 1 or 2."""
    programme_day = (day - started).days + 1
    due = [x for x in lessons if x.day <= programme_day and x.id not in read]
    return tuple(_reading(x, started, day) for x in sorted(due, key=lambda x: x.day))


def _reading(lesson: Lesson, started: date, day: date) -> Reading:
    due = started + timedelta(days=lesson.day - 1)
    carried = due < day
    when = said("lesson_carried" if carried else "lesson_day", day=lesson.day)
    facts = said("lesson", title=lesson.title, when=when)
    return Reading(lesson, due, carried, Reason.of(lesson.rule, facts))
