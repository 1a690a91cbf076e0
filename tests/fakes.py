"""In-memory fakes of the service ports (no mocks): the same behaviour as the SQL adapter,
which the repository contract tests check on both."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, date, datetime, timedelta
from types import TracebackType
from typing import Self

from runrehab.engine.state import ProgrammeState
from runrehab.services.records import (
    DecisionRecord,
    LessonRead,
    Note,
    Person,
    Programme,
    QuestionnaireResponse,
    StoredActivity,
    StoredAssessment,
    StoredCheckin,
    StoredOverride,
)


@dataclass
class FixedClock:
    """A clock that moves only when told to."""

    current: datetime = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


@dataclass
class _Tables:
    people: dict[str, Person] = field(default_factory=dict)
    assessments: list[StoredAssessment] = field(default_factory=list)
    programmes: dict[str, Programme] = field(default_factory=dict)
    decisions: list[DecisionRecord] = field(default_factory=list)
    checkins: dict[tuple[str, date], StoredCheckin] = field(default_factory=dict)
    responses: dict[tuple[str, str, date], QuestionnaireResponse] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    activities: list[StoredActivity] = field(default_factory=list)
    lessons_read: dict[tuple[str, str], LessonRead] = field(default_factory=dict)
    overrides: list[StoredOverride] = field(default_factory=list)


def _snapshot(tables: _Tables) -> _Tables:
    """A copy of every table (its list or dict), sharing the rows: a row is a frozen record,
    replaced, never changed, so copying the tables is enough to keep or restore them (a deep
    copy of every row was most of a simulated runner's time)."""
    return _Tables(**{f.name: copy.copy(getattr(tables, f.name)) for f in fields(tables)})


class FakeRepository:
    def __init__(self) -> None:
        self.t = _Tables()

    def add_person(self, person: Person) -> None:
        assert person.id not in self.t.people
        self.t.people[person.id] = person

    def get_person(self, person_id: str) -> Person | None:
        return self.t.people.get(person_id)

    def people(self) -> list[Person]:
        return sorted(self.t.people.values(), key=lambda p: (p.created_at, p.id))

    def delete_person(self, person_id: str) -> bool:
        if person_id not in self.t.people:
            return False
        t = self.t
        del t.people[person_id]
        gone = {p.id for p in t.programmes.values() if p.person_id == person_id}
        t.assessments = [a for a in t.assessments if a.person_id != person_id]
        t.programmes = {k: p for k, p in t.programmes.items() if k not in gone}
        t.decisions = [d for d in t.decisions if d.programme_id not in gone]
        t.checkins = {k: c for k, c in t.checkins.items() if k[0] != person_id}
        t.responses = {k: r for k, r in t.responses.items() if k[0] != person_id}
        t.notes = [n for n in t.notes if n.person_id != person_id]
        t.activities = [a for a in t.activities if a.person_id != person_id]
        t.lessons_read = {k: r for k, r in t.lessons_read.items() if k[0] != person_id}
        t.overrides = [o for o in t.overrides if o.person_id != person_id]
        return True

    def add_assessment(self, stored: StoredAssessment) -> None:
        self.t.assessments.append(stored)

    def assessments(self, person_id: str) -> list[StoredAssessment]:
        found = [a for a in self.t.assessments if a.person_id == person_id]
        return sorted(found, key=lambda a: a.version)

    def add_programme(self, programme: Programme) -> None:
        self.t.programmes[programme.id] = programme

    def programmes(self, person_id: str) -> list[Programme]:
        found = [p for p in self.t.programmes.values() if p.person_id == person_id]
        return sorted(found, key=lambda p: (p.started_on, p.assessment_version))

    def current_programme(self, person_id: str) -> Programme | None:
        open_ = [p for p in self.programmes(person_id) if p.ended_on is None]
        return open_[-1] if open_ else None

    def save_state(self, programme_id: str, state: ProgrammeState) -> None:
        p = self.t.programmes[programme_id]
        self.t.programmes[programme_id] = replace(p, state=state)

    def end_programme(self, programme_id: str, day: date) -> None:
        p = self.t.programmes[programme_id]
        self.t.programmes[programme_id] = replace(p, ended_on=day)

    def replace_decisions(
        self, programme_id: str, from_day: date, decisions: Sequence[DecisionRecord]
    ) -> None:
        self.t.decisions = [
            d for d in self.t.decisions if d.programme_id != programme_id or d.day < from_day
        ]
        self.t.decisions.extend(decisions)

    def decisions(self, programme_id: str) -> list[DecisionRecord]:
        found = [d for d in self.t.decisions if d.programme_id == programme_id]
        return sorted(found, key=lambda d: d.day)  # stable: insertion order within a day

    def put_checkin(self, stored: StoredCheckin) -> None:
        self.t.checkins[(stored.person_id, stored.day)] = stored

    def get_checkin(self, person_id: str, day: date) -> StoredCheckin | None:
        return self.t.checkins.get((person_id, day))

    def checkins(self, person_id: str, since: date | None = None) -> list[StoredCheckin]:
        found = [
            c
            for (pid, day), c in self.t.checkins.items()
            if pid == person_id and (since is None or day >= since)
        ]
        return sorted(found, key=lambda c: c.day)

    def put_response(self, response: QuestionnaireResponse) -> None:
        key = (response.person_id, response.instrument, response.day)
        self.t.responses[key] = response

    def responses(
        self, person_id: str, instrument: str | None = None
    ) -> list[QuestionnaireResponse]:
        found = [
            r
            for (pid, inst, _), r in self.t.responses.items()
            if pid == person_id and (instrument is None or inst == instrument)
        ]
        return sorted(found, key=lambda r: (r.day, r.instrument))

    def add_note(self, note: Note) -> None:
        self.t.notes.append(note)

    def notes(self, person_id: str) -> list[Note]:
        found = [n for n in self.t.notes if n.person_id == person_id]
        return sorted(found, key=lambda n: (n.day, n.created_at))

    def add_activity(self, activity: StoredActivity) -> None:
        taken = {(a.person_id, a.content_hash, a.leg) for a in self.t.activities}
        assert (activity.person_id, activity.content_hash, activity.leg) not in taken
        assert activity.id not in {a.id for a in self.t.activities}
        self.t.activities.append(activity)

    def get_activity(self, person_id: str, activity_id: str) -> StoredActivity | None:
        return next(
            (a for a in self.t.activities if a.person_id == person_id and a.id == activity_id),
            None,
        )

    def activities(self, person_id: str, since: date | None = None) -> list[StoredActivity]:
        found = [
            a
            for a in self.t.activities
            if a.person_id == person_id and (since is None or a.local_date >= since)
        ]
        return sorted(found, key=lambda a: (a.start, a.leg))

    def mark_lesson_read(self, read: LessonRead) -> LessonRead:
        assert read.person_id in self.t.people  # the foreign key
        return self.t.lessons_read.setdefault((read.person_id, read.lesson_id), read)

    def lessons_read(self, person_id: str) -> list[LessonRead]:
        found = [r for (pid, _), r in self.t.lessons_read.items() if pid == person_id]
        return sorted(found, key=lambda r: (r.day, r.lesson_id))

    def add_override(self, stored: StoredOverride) -> None:
        assert stored.person_id in self.t.people  # the foreign key
        self.t.overrides.append(stored)

    def overrides(self, person_id: str) -> list[StoredOverride]:
        return [o for o in self.t.overrides if o.person_id == person_id]

    def undo_override(
        self, person_id: str, override_id: str, until: date, at: datetime, by: str
    ) -> bool:
        for i, o in enumerate(self.t.overrides):
            if o.person_id == person_id and o.override.id == override_id and o.undone_at is None:
                undone = replace(o.override, until=until)
                self.t.overrides[i] = replace(o, override=undone, undone_at=at, undone_by=by)
                return True
        return False


class FakeUnitOfWork:
    """Commits by keeping the working copy; rolls back by restoring the last committed one."""

    def __init__(self) -> None:
        self.repo = FakeRepository()
        self._committed = _snapshot(self.repo.t)
        self.commits = 0

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()

    def commit(self) -> None:
        if self.repo.t != self._committed:  # comparing is far cheaper than copying
            self._committed = _snapshot(self.repo.t)
        self.commits += 1

    def rollback(self) -> None:
        if self.repo.t != self._committed:  # a read-only unit of work has nothing to undo
            self.repo.t = _snapshot(self._committed)
