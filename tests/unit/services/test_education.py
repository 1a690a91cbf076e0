"""Marking the week-1 lessons read, on the in-memory journal: idempotent, unknown ids named,
counted in Today, the coming sessions and the week in words, and kept by export and import."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from runrehab.adapters.documents import read_assessment
from runrehab.adapters.transfer import journal_from_json, journal_to_json
from runrehab.errors import InvalidDocument
from runrehab.services.content import ProgrammeContent, shipped_content
from runrehab.services.journal.lessons import UnknownLesson, mark_read
from runrehab.services.journal.ownership import read_journal, write_journal
from runrehab.services.journal.programme import BeforeProgramme, start_programme
from runrehab.services.journal.today import today_view
from runrehab.services.progress.figures import coming_sessions, progress_data, weekly_summary
from runrehab.services.views import jsonable
from tests.conftest import typical_doc
from tests.fakes import FakeUnitOfWork, FixedClock

MONDAY = date(2026, 3, 2)


class Journal:
    def __init__(self) -> None:
        self.uow = FakeUnitOfWork()
        self.clock = FixedClock()
        self.content: ProgrammeContent = shipped_content()
        doc = typical_doc()
        started = start_programme(
            self.uow, self.clock, self.content, doc, read_assessment(doc), MONDAY
        )
        self.person = started.person.id

    def read(self, lesson: str, day: date) -> dict[str, object]:
        marked: dict[str, object] = jsonable(
            mark_read(self.uow, self.clock, self.content, lesson, day)
        )
        return marked

    def today(self, day: date) -> dict[str, Any]:
        return today_view(self.uow, self.content, day)


def day(n: int) -> date:
    return MONDAY + timedelta(days=n - 1)


@pytest.fixture
def journal() -> Journal:
    return Journal()


def test_marking_a_lesson_read_twice_keeps_the_first_day(journal: Journal) -> None:
    first = journal.read("pain-and-load", day(2))
    journal.clock.advance(days=1)
    again = journal.read("pain-and-load", day(3))

    assert (first["already_read"], first["date"]) == (False, day(2).isoformat())
    assert (again["already_read"], again["date"]) == (True, day(2).isoformat())
    assert [(r.lesson_id, r.day) for r in journal.uow.repo.lessons_read(journal.person)] == [
        ("pain-and-load", day(2))
    ]
    assert again["education"] == {"read": 1, "of": 4, "text": "Education: 1 of 4 read"}


def test_an_unknown_lesson_is_refused_naming_it_and_nothing_is_kept(journal: Journal) -> None:
    with pytest.raises(UnknownLesson, match=r"no lesson 'moon-walk'.*what-is-runners-knee"):
        journal.read("moon-walk", day(1))
    with pytest.raises(BeforeProgramme):
        journal.read("time-course", day(0))
    assert journal.uow.repo.lessons_read(journal.person) == []


def test_today_counts_the_lessons_like_exercises(journal: Journal) -> None:
    before = journal.today(day(3))
    items = before["session"]["reading"]
    assert [(x["id"], x["carried"], x["read"]) for x in items] == [
        ("what-is-runners-knee", True, False),
        ("pain-and-load", True, False),
        ("time-course", False, False),
    ]
    assert items[0]["reason"]["rule"] == "education-week-one"
    assert "Esculier" in items[0]["reason"]["source"]
    late = [a for a in before["asks"] if a["kind"] == "reading"]
    assert late[0]["lessons"] == ["what-is-runners-knee", "pain-and-load"]

    journal.read("what-is-runners-knee", day(3))
    after = journal.today(day(3))

    assert after["education"] == {
        "read": 1,
        "of": 4,
        "text": "Education: 1 of 4 read",
        "today": {"done": 1, "planned": 3},
    }
    next_day = journal.today(day(4))["session"]["reading"]
    assert [x["id"] for x in next_day] == ["pain-and-load", "time-course", "pain-is-not-damage"]


def test_reading_leaves_the_day_s_answer_and_session_alone(journal: Journal) -> None:
    unread = journal.today(day(2))
    journal.read("what-is-runners-knee", day(1))
    journal.read("pain-and-load", day(2))
    read = journal.today(day(2))
    for key in ("run_answer", "reasons", "disposition", "phase", "programme"):
        assert read[key] == unread[key], key
    for part in ("exercises", "run", "warm_up", "cross_training", "estimated_minutes"):
        assert read["session"][part] == unread["session"][part], part


def test_the_coming_sessions_leave_out_what_was_read_and_mark_today_s(journal: Journal) -> None:
    journal.read("what-is-runners-knee", day(1))
    journal.read("pain-and-load", day(2))
    sessions = coming_sessions(journal.uow.repo, journal.content, journal.person, day(2), 4)
    listed = [[(r["id"], r["read"]) for r in s["reading"]] for s in sessions]
    assert listed == [
        [("pain-and-load", True)],
        [("time-course", False)],
        [("pain-is-not-damage", False)],
        [],
    ]


def test_the_week_in_words_counts_the_lessons_read(journal: Journal) -> None:
    journal.read("what-is-runners-knee", day(1))
    journal.read("time-course", day(3))
    progress = progress_data(journal.uow.repo, journal.content, journal.person, day(6))
    summary = weekly_summary(progress, day(1))
    assert summary["education"]["read"] == 2
    assert (
        "Education: 2 of 4 read. Still to read: Pain monitoring: the traffic light; "
        "Pain is not damage" in summary["lines"]
    )
    journal.read("pain-and-load", day(10))
    journal.read("pain-is-not-damage", day(10))
    later = progress_data(journal.uow.repo, journal.content, journal.person, day(20))
    assert "Education: 4 of 4 read." in weekly_summary(later, day(8))["lines"]
    assert weekly_summary(later, day(15))["education"] is None  # all read in an earlier week


def test_export_and_import_keep_the_lessons_read(journal: Journal) -> None:
    journal.read("pain-and-load", day(2))
    exported = journal_to_json(read_journal(journal.uow), journal.clock.now())
    assert exported["lessons_read"] == [
        {
            "lesson": "pain-and-load",
            "date": day(2).isoformat(),
            "recorded_at": journal.clock.now().isoformat(),
        }
    ]
    lessons = {x.id for x in journal.content.protocol.lessons}
    back = journal_from_json(exported, journal.content.book.rules, lessons)
    fresh = FakeUnitOfWork()
    write_journal(fresh, back)
    assert fresh.repo.lessons_read(journal.person) == journal.uow.repo.lessons_read(journal.person)

    damaged = {**exported, "lessons_read": exported["lessons_read"] * 2}
    with pytest.raises(InvalidDocument, match=r"lessons_read\[1\]\.lesson.*twice"):
        journal_from_json(damaged, journal.content.book.rules, lessons)
    unknown = {**exported, "lessons_read": [{**exported["lessons_read"][0], "lesson": "nope"}]}
    with pytest.raises(InvalidDocument, match="'nope' is not a RunRehab lesson"):
        journal_from_json(unknown, journal.content.book.rules, lessons)
    older = {k: v for k, v in exported.items() if k != "lessons_read"}
    assert journal_from_json(older, journal.content.book.rules, lessons).lessons_read == ()
