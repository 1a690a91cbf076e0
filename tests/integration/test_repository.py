"""The repository contract: the in-memory fake and the SQL adapter (SQLite, and PostgreSQL when
``RUNREHAB_TEST_DATABASE_URL`` is set) give the same answers. Then what only a database has:
migrations that build exactly ``tables.metadata``, the SQLite settings, and clear errors."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, TypeVar, cast

import pytest
from sqlalchemy import func, select, text

from runrehab.adapters.db import migrations, tables
from runrehab.adapters.db.database import Database, database_url, open_database
from runrehab.adapters.documents import read_checkin
from runrehab.engine.activity import Sport, SportSource
from runrehab.engine.metrics import CadenceStats, Metrics, SpeedWork, WalkRunPattern
from runrehab.engine.pathway import choose_pathway
from runrehab.engine.progression import start_state
from runrehab.engine.state import Action, Status
from runrehab.engine.values import Colour, Disposition, Reason
from runrehab.errors import DatabaseError
from runrehab.services.content import shipped_content
from runrehab.services.ports import Repository, UnitOfWork
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
)
from tests.conftest import ROOT, typical, typical_doc
from tests.fakes import FakeUnitOfWork
from tests.integration.conftest import needs_postgres

T = TypeVar("T")
AT = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
DAY = date(2026, 12, 1)


# --- backends ---------------------------------------------------------------------------------


@dataclass
class Backend:
    """A place the journal lives: ``database`` is None for the in-memory fake."""

    name: str
    unit_of_work: Callable[[], UnitOfWork]
    database: Database | None = None

    def write(self, action: Callable[[Repository], object]) -> None:
        with self.unit_of_work() as uow:
            action(uow.repo)
            uow.commit()

    def read(self, query: Callable[[Repository], T]) -> T:
        with self.unit_of_work() as uow:
            return query(uow.repo)

    def rows(self) -> dict[str, int]:
        """Rows per table, straight from the database."""
        assert self.database is not None
        with self.database.engine.connect() as conn:
            return {
                name: conn.execute(select(func.count()).select_from(table)).scalar_one()
                for name, table in tables.metadata.tables.items()
            }


@pytest.fixture(params=["fake", "sqlite", pytest.param("postgres", marks=needs_postgres)])
def backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    if request.param == "fake":
        fake = FakeUnitOfWork()
        yield Backend("fake", lambda: cast(UnitOfWork, fake))
        return
    with open_database(request.getfixturevalue(f"migrated_{request.param}_url")) as db:
        yield Backend(request.param, db.unit_of_work, db)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=needs_postgres)])
def url(request: pytest.FixtureRequest) -> str:
    """The URL of a new, empty SQL database."""
    value: str = request.getfixturevalue(f"{request.param}_url")
    return value


@pytest.fixture
def database(url: str) -> Iterator[Database]:
    with open_database(url) as db:
        yield db


# --- records ----------------------------------------------------------------------------------


def person(pid: str = "ana", minutes: int = 0) -> Person:
    return Person(pid, pid.title(), AT + timedelta(minutes=minutes))


def assessment(pid: str = "ana", version: int = 1) -> StoredAssessment:
    doc = typical_doc()
    return StoredAssessment(
        pid, version, DAY, doc, typical(), Disposition.SELF_MANAGE, AT + timedelta(hours=version)
    )


def programme(pid: str = "ana", version: int = 1, started: date = DAY) -> Programme:
    content = shipped_content()
    state = start_state(choose_pathway(typical(), content.settings[0]), started, content.protocol)
    return Programme(f"{pid}-p{version}", pid, version, started, state, state)


def decision(programme_id: str, day: date, rule: str = "intake") -> DecisionRecord:
    return DecisionRecord(
        programme_id,
        day,
        Action.CONTINUE,
        Disposition.SELF_MANAGE,
        phase=2,
        rung=0,
        reasons=(Reason(rule, "a detail"), Reason("S12")),
        colour=Colour.GREEN,
    )


def checkin_doc(day: date, **fields: Any) -> dict[str, Any]:
    """A check-in document with a run, exercises and cross-training; a field given as None is
    left out."""
    doc: dict[str, Any] = {
        "date": day.isoformat(),
        "pain": {"now": 1, "at_rest": 0, "worst_24h": 2},
        "exercises": [{"id": "clamshell", "sets": 3, "reps": 15}],
        "run": {"minutes": 20, "max_pain": 1, "distance_km": 3.5, "activity_id": "strava-1"},
        "cross_training": [{"kind": "cycling", "minutes": 30}],
    }
    return {k: v for k, v in {**doc, **fields}.items() if v is not None}


def stored_checkin(day: date, pid: str = "ana", revision: int = 1, **fields: Any) -> StoredCheckin:
    doc = checkin_doc(day, **fields)
    at = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=20)
    return StoredCheckin(pid, day, doc, read_checkin(doc), at, revision)


def response(day: date, instrument: str = "kujala", score: float = 72.0) -> QuestionnaireResponse:
    return QuestionnaireResponse("ana", instrument, day, {"limp": "none", "stairs": 2}, score, AT)


def note(nid: str, day: date, created: datetime = AT, pid: str = "ana") -> Note:
    return Note(nid, pid, day, "runner", f"note {nid}", created)


def activity(
    aid: str, day: date, pid: str = "ana", leg: int = 0, sport: Sport = Sport.RUNNING
) -> StoredActivity:
    """A measured run with every figure filled in, nested values included."""
    metrics = Metrics(
        elapsed_s=1830.5,
        moving_s=1790.25,
        distance_km=5.012,
        pace_min_per_km=5.95,
        elevation_gain_m=41.0,
        elevation_loss_m=39.5,
        downhill_km=0.4,
        cadence_spm=168.25,
        cadence=CadenceStats(168.0, 160.5, 174.0, ((160, 300.0), (165, 900.5))),
        avg_hr=142.5,
        max_hr=171.0,
        speed_work=SpeedWork(3, 95.0, 3.4),
        walk_run=WalkRunPattern(8, 1.0, 2.0),
    )
    start = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=7)
    return StoredActivity(
        id=aid,
        person_id=pid,
        content_hash=f"{aid:0>64}"[-64:],
        leg=leg,
        file_name=f"{aid}.fit",
        file_format="fit",
        sport=sport,
        sport_source=SportSource.FILE,
        start=start,
        utc_offset_minutes=60,
        local_date=day,
        metrics=metrics,
        imported_at=AT,
        sub_sport="generic",
        device="garmin fr945",
    )


def each(action: Callable[[T], None], items: Iterable[T]) -> None:
    for item in items:
        action(item)


def whole_journal(repo: Repository, pid: str) -> None:
    """One of everything, for ``pid``."""
    repo.add_person(person(pid))
    repo.add_assessment(assessment(pid))
    p = programme(pid)
    repo.add_programme(p)
    repo.replace_decisions(p.id, DAY, [decision(p.id, DAY)])
    repo.put_checkin(stored_checkin(DAY + timedelta(days=1), pid))
    repo.put_response(replace(response(DAY), person_id=pid))
    repo.add_note(note(f"{pid}-n1", DAY, pid=pid))
    repo.add_activity(activity(f"{pid}-a1", DAY, pid=pid))
    repo.mark_lesson_read(lesson_read("what-is-runners-knee", DAY, pid))


def lesson_read(lesson: str, day: date, pid: str = "ana", at: datetime = AT) -> LessonRead:
    return LessonRead(pid, lesson, day, at)


# --- the contract, on every backend -----------------------------------------------------------


def test_people_come_back_equal_in_the_order_they_were_created(backend: Backend) -> None:
    people = [person("cy", 2), person("bo", 1), person("ana", 1)]
    backend.write(lambda repo: each(repo.add_person, people))

    assert backend.read(lambda repo: repo.people()) == [people[2], people[1], people[0]]
    assert backend.read(lambda repo: repo.get_person("bo")) == people[1]
    assert backend.read(lambda repo: repo.get_person("nobody")) is None


def test_times_come_back_in_utc_and_equal_to_what_was_written(backend: Backend) -> None:
    paris = datetime(2026, 12, 1, 9, 30, 15, 123456, tzinfo=timezone(timedelta(hours=1)))
    backend.write(lambda repo: repo.add_person(Person("ana", "Ana", paris)))

    back = backend.read(lambda repo: repo.get_person("ana"))

    assert back is not None
    assert back.created_at == paris
    if backend.database is not None:  # the fake keeps the object; the port's clock gives UTC
        assert back.created_at.utcoffset() == timedelta(0)


def test_assessments_come_back_equal_by_version(backend: Backend) -> None:
    first, second = assessment(version=1), assessment(version=2)
    backend.write(lambda repo: repo.add_person(person()))
    backend.write(lambda repo: each(repo.add_assessment, [second, first]))

    assert backend.read(lambda repo: repo.assessments("ana")) == [first, second]
    assert backend.read(lambda repo: repo.assessments("bo")) == []


def test_programmes_are_ordered_and_the_open_one_is_current(backend: Backend) -> None:
    older, newer = programme(version=1), programme(version=2, started=DAY + timedelta(days=9))
    backend.write(lambda repo: repo.add_person(person()))
    backend.write(lambda repo: each(repo.add_programme, [newer, older]))

    assert backend.read(lambda repo: repo.programmes("ana")) == [older, newer]
    assert backend.read(lambda repo: repo.current_programme("ana")) == newer

    backend.write(lambda repo: repo.end_programme(newer.id, date(2026, 12, 20)))
    assert backend.read(lambda repo: repo.current_programme("ana")) == older
    ended = backend.read(lambda repo: repo.programmes("ana"))[1]
    assert ended == replace(newer, ended_on=date(2026, 12, 20))

    backend.write(lambda repo: repo.end_programme(older.id, DAY))
    assert backend.read(lambda repo: repo.current_programme("ana")) is None


def test_saving_a_state_keeps_the_start_and_copies_the_dashboard_columns(
    backend: Backend,
) -> None:
    p = programme()
    moved = replace(p.state, phase=3, status=Status.REFERRED, evaluated_through=date(2026, 12, 9))
    backend.write(lambda repo: repo.add_person(person()))
    backend.write(lambda repo: repo.add_programme(p))
    backend.write(lambda repo: repo.save_state(p.id, moved))

    assert backend.read(lambda repo: repo.programmes("ana")) == [replace(p, state=moved)]
    if backend.database is not None:
        with backend.database.engine.connect() as conn:
            row = conn.execute(select(tables.programmes)).one()
        assert (row.phase, row.status, row.evaluated_through) == (3, "referred", date(2026, 12, 9))


def test_saving_the_state_of_no_programme_is_a_key_error(backend: Backend) -> None:
    with pytest.raises(KeyError):
        backend.write(lambda repo: repo.save_state("nope", programme().state))


def test_decisions_come_in_day_order_then_insertion_order(backend: Backend) -> None:
    p = programme()
    day2 = DAY + timedelta(days=1)
    later, intake, same_day = decision(p.id, day2), decision(p.id, DAY), decision(p.id, DAY, "S3")
    backend.write(lambda repo: repo.add_person(person()))
    backend.write(lambda repo: repo.add_programme(p))
    backend.write(lambda repo: repo.replace_decisions(p.id, day2, [later]))
    backend.write(lambda repo: repo.replace_decisions(p.id, date(2027, 1, 1), [intake, same_day]))

    assert backend.read(lambda repo: repo.decisions(p.id)) == [intake, same_day, later]
    assert backend.read(lambda repo: repo.decisions(p.id))[0] == intake


def test_replacing_decisions_keeps_earlier_days_and_other_programmes(backend: Backend) -> None:
    p, q = programme(version=1), programme(version=2)
    days = [DAY + timedelta(days=n) for n in range(4)]
    backend.write(lambda repo: repo.add_person(person()))
    backend.write(lambda repo: repo.add_programme(p))
    backend.write(lambda repo: repo.add_programme(q))
    backend.write(lambda repo: repo.replace_decisions(p.id, DAY, [decision(p.id, d) for d in days]))
    backend.write(lambda repo: repo.replace_decisions(q.id, DAY, [decision(q.id, DAY)]))

    fresh = [decision(p.id, days[2], "S40"), decision(p.id, days[3], "S41")]
    backend.write(lambda repo: repo.replace_decisions(p.id, days[2], fresh))

    kept = [decision(p.id, days[0]), decision(p.id, days[1])]
    assert backend.read(lambda repo: repo.decisions(p.id)) == kept + fresh
    assert backend.read(lambda repo: repo.decisions(q.id)) == [decision(q.id, DAY)]


def test_a_checkin_comes_back_equal(backend: Backend) -> None:
    stored = stored_checkin(DAY, this_morning_vs_usual="better", notes="felt fine")
    backend.write(lambda repo: repo.add_person(person()))
    backend.write(lambda repo: repo.put_checkin(stored))

    assert backend.read(lambda repo: repo.get_checkin("ana", DAY)) == stored
    assert backend.read(lambda repo: repo.get_checkin("ana", DAY + timedelta(days=1))) is None


def test_a_second_checkin_for_the_day_replaces_the_first(backend: Backend) -> None:
    first = stored_checkin(DAY)
    exercises = [{"id": "glute-bridge", "sets": 2, "reps": 10}, {"id": "wall-sit", "sets": 3}]
    second = stored_checkin(DAY, revision=2, exercises=exercises, run=None, cross_training=None)
    backend.write(lambda repo: repo.add_person(person()))
    backend.write(lambda repo: repo.put_checkin(first))
    backend.write(lambda repo: repo.put_checkin(second))

    assert backend.read(lambda repo: repo.checkins("ana")) == [second]
    if backend.database is not None:
        assert _details(backend.database) == {
            "exercise_logs": [(0, "glute-bridge", 2, 10), (1, "wall-sit", 3, None)],
            "runs": [],
            "cross_training": [],
        }


def _details(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    with db.engine.connect() as conn:
        e, r, x = tables.exercise_logs.c, tables.runs.c, tables.cross_training.c
        logs = conn.execute(select(e.position, e.exercise_id, e.sets, e.reps).order_by(e.position))
        run = conn.execute(select(r.minutes, r.distance_km, r.activity_id))
        cross = conn.execute(select(x.position, x.kind, x.minutes))
        return {
            "exercise_logs": [tuple(row) for row in logs],
            "runs": [tuple(row) for row in run],
            "cross_training": [tuple(row) for row in cross],
        }


def test_a_checkin_is_spread_into_detail_rows(database: Database) -> None:
    with database.unit_of_work() as uow:
        uow.repo.add_person(person())
        uow.repo.put_checkin(stored_checkin(DAY))
        uow.commit()

    assert _details(database) == {
        "exercise_logs": [(0, "clamshell", 3, 15)],
        "runs": [(20.0, 3.5, "strava-1")],
        "cross_training": [(0, "cycling", 30.0)],
    }


def test_checkins_since_a_day_come_in_day_order(backend: Backend) -> None:
    days = [DAY + timedelta(days=n) for n in (3, 0, 2, 1)]
    backend.write(lambda repo: each(repo.add_person, [person(), person("bo", 1)]))
    backend.write(lambda repo: each(repo.put_checkin, [stored_checkin(d) for d in days]))
    backend.write(lambda repo: repo.put_checkin(stored_checkin(DAY, "bo")))

    everything = backend.read(lambda repo: repo.checkins("ana"))
    recent = backend.read(lambda repo: repo.checkins("ana", DAY + timedelta(days=2)))

    assert [c.day for c in everything] == sorted(days)
    assert [c.day for c in recent] == sorted(days)[2:]
    assert everything[0] == stored_checkin(DAY)


def test_a_response_replaces_the_same_instrument_and_day(backend: Backend) -> None:
    day2 = DAY + timedelta(days=7)
    backend.write(lambda repo: repo.add_person(person()))
    backend.write(lambda repo: repo.put_response(response(day2, score=60.5)))
    backend.write(lambda repo: repo.put_response(response(DAY, "weekly_pain", 3)))
    backend.write(lambda repo: repo.put_response(response(DAY)))
    backend.write(lambda repo: repo.put_response(response(day2, score=80.0)))

    assert backend.read(lambda repo: repo.responses("ana")) == [
        response(DAY),
        response(DAY, "weekly_pain", 3),
        response(day2, score=80.0),
    ]
    kujala = backend.read(lambda repo: repo.responses("ana", "kujala"))
    assert kujala == [response(DAY), response(day2, score=80.0)]


def test_notes_come_in_day_then_time_then_insertion_order(backend: Backend) -> None:
    later = AT + timedelta(hours=1)
    added = [note("z", DAY), note("y", DAY - timedelta(days=1)), note("x", DAY), note("w", DAY)]
    added.append(note("v", DAY, created=later))
    backend.write(lambda repo: repo.add_person(person()))
    backend.write(lambda repo: each(repo.add_note, added[:3]))
    backend.write(lambda repo: each(repo.add_note, added[3:]))

    ids = [n.id for n in backend.read(lambda repo: repo.notes("ana"))]

    assert ids == ["y", "z", "x", "w", "v"]
    assert backend.read(lambda repo: repo.notes("ana"))[0] == added[1]


def test_deleting_a_person_removes_everything_about_them_only(backend: Backend) -> None:
    backend.write(lambda repo: whole_journal(repo, "ana"))
    backend.write(lambda repo: whole_journal(repo, "bo"))
    if backend.database is not None:
        for pid in ("ana", "bo"):
            _web_rows(backend.database, pid)
    before = backend.rows() if backend.database is not None else {}

    with backend.unit_of_work() as uow:
        assert uow.repo.delete_person("ana") is True
        assert uow.repo.delete_person("nobody") is False
        uow.commit()

    assert backend.read(_everything("ana")) == [None, [], [], [], [], [], [], [], []]
    assert backend.read(_everything("bo"))[0] == person("bo")
    assert all(backend.read(_everything("bo"))[1:])
    if backend.database is not None:
        assert all(before.values()), "every table holds rows before the delete"
        after = backend.rows()
        # a clinic's own rows (the clinic, its invitations and exercises) outlive a patient
        # or a clinician who deletes themselves; everything about the person goes
        kept = {name: after.pop(name) for name in (*CLINICS_OWN, *SERVERS_OWN)}
        assert kept == {name: before.pop(name) for name in (*CLINICS_OWN, *SERVERS_OWN)}
        assert {name: count * 2 for name, count in after.items()} == before


CLINICS_OWN = ("clinics", "clinic_invitations", "clinic_exercises", "clinic_exports")
SERVERS_OWN = ("push_keys",)  # the server's Web Push keys (one row), no one's data


def _web_rows(database: Database, pid: str) -> None:
    """An account, a session and an import job: the web app's rows hang off the person too."""
    from runrehab.services.accounts.account import Account, WebSession
    from runrehab.services.accounts.throttle import email_key, recheck_key
    from runrehab.services.activities.import_jobs import ImportJob, JobStatus

    with database.unit_of_work() as uow:
        uow.accounts.add_account(
            Account(f"acct-{pid}", f"{pid}@example.com", pid, "hash", "UTC", AT, AT)
        )
        uow.accounts.add_session(WebSession(f"token-{pid}", f"acct-{pid}", "csrf", AT, AT))
        uow.jobs.add_job(ImportJob(f"job-{pid}", pid, JobStatus.DONE, "run.fit", 1, 1, AT))
        uow.throttle.trust_device(f"device-{pid}", f"acct-{pid}", AT, AT + timedelta(days=1))
        for key in (email_key(f"{pid}@example.com"), recheck_key(f"acct-{pid}")):
            uow.throttle.count_failure(key, AT, AT - timedelta(days=1))
        _clinic_rows(uow, pid)
        _reminder_rows(uow, pid)
        _movement_rows(uow, pid)
        uow.commit()


def _movement_rows(uow: Any, pid: str) -> None:
    """A movement check with a key frame and the video the runner chose to keep."""
    from runrehab.services.movement.records import (
        CheckStatus,
        KeyFrame,
        MovementCheck,
        StoredVideo,
    )

    check = f"move-{pid}"
    uow.movement.add(
        MovementCheck(check, pid, AT, "step_down", "front", CheckStatus.DONE, 100, "a.mp4", True)
    )
    uow.movement.add_frames(check, [KeyFrame(0, 1.5, "image/png", b"\x89PNG")])
    uow.movement.keep_video(check, StoredVideo("video/mp4", b"\x00\x00\x00\x18ftyp"))


def _reminder_rows(uow: Any, pid: str) -> None:
    """The calendar feed, the reminders chosen, a push subscription and a reminder sent (and
    the server's push keys, which are no one's)."""
    from runrehab.services.reminders.ports import ReminderSettings

    r = uow.reminders
    r.set_feed(pid, f"hash-{pid}", AT)
    r.save_settings(ReminderSettings(pid, None, None, True, False), AT)
    r.add_subscription(pid, f"https://push.example/{pid}", "{}", AT)
    r.claim_sent(pid, "checkin", DAY, AT)
    r.keep_push_keys("private", "public", AT)


def _clinic_rows(uow: Any, pid: str) -> None:
    """A clinic of the person's own (they are its clinician and its patient, so that every
    clinic table holds a row about them), with each kind of row the clinic keeps."""
    from runrehab.engine.overrides import Override, OverrideKind
    from runrehab.services.clinic.exports import ClinicExport, ExportStatus
    from runrehab.services.clinic.records import (
        AuditEntry,
        Clinic,
        ClinicalNote,
        ClinicExercise,
        Invitation,
        InvitationKind,
        Membership,
        Message,
        Role,
        Sender,
        SessionStatus,
        StaffMember,
        VirtualSession,
    )
    from runrehab.services.records import StoredOverride

    clinic, account = f"clinic-{pid}", f"acct-{pid}"
    c = uow.clinic
    c.add_clinic(Clinic(clinic, f"Clinic {pid}", AT))
    c.add_staff(StaffMember(account, clinic, Role.ADMIN, pid, AT))
    c.add_invitation(Invitation(f"code-{pid}", clinic, InvitationKind.PATIENT, account, AT, AT))
    c.add_membership(Membership(pid, clinic, AT))
    c.add_message(Message(f"m-{pid}", pid, clinic, Sender.RUNNER, pid, pid, "hi", AT))
    c.add_session(
        VirtualSession(
            f"s-{pid}",
            pid,
            clinic,
            account,
            pid,
            AT,
            30,
            SessionStatus.PROPOSED,
            "https://meet.example.org",
            AT,
        )
    )
    c.add_clinical_note(
        ClinicalNote(f"n-{pid}", pid, clinic, account, pid, DAY, "s", "o", "a", "p", AT)
    )
    c.log(AuditEntry(pid, clinic, account, pid, AT, "read", "patient_page", "127.0.0.1"))
    c.add_exercise(
        ClinicExercise(
            f"clinic-{pid}",
            clinic,
            "Slide",
            "Control",
            ("a", "b"),
            ("c",),
            3,
            10,
            None,
            account,
            AT,
        )
    )
    override = Override(f"o-{pid}", OverrideKind.HOLD_PHASE, DAY, "why")
    uow.repo.add_override(StoredOverride(pid, clinic, override, account, pid, AT))
    export = ClinicExport(f"x-{pid}", clinic, account, pid, "", "en", ExportStatus.RUNNING, AT)
    uow.exports.add(export)
    uow.exports.add_line(export.id, pid, "Bundle", '{"resourceType":"Bundle"}')


def _everything(pid: str) -> Callable[[Repository], list[object]]:
    def query(repo: Repository) -> list[object]:
        return [
            repo.get_person(pid),
            repo.assessments(pid),
            repo.programmes(pid),
            repo.decisions(programme(pid).id),
            repo.checkins(pid),
            repo.responses(pid),
            repo.notes(pid),
            repo.activities(pid),
            repo.lessons_read(pid),
        ]

    return query


def test_activities_come_back_equal_in_start_order_and_since_a_day(backend: Backend) -> None:
    later, earlier = activity("a2", DAY + timedelta(days=3)), activity("a1", DAY)
    walk = replace(activity("a3", DAY + timedelta(days=5), sport=Sport.WALKING), partial="cut")
    backend.write(lambda repo: repo.add_person(person("ana")))
    backend.write(lambda repo: each(repo.add_activity, [later, walk, earlier]))

    assert backend.read(lambda repo: repo.activities("ana")) == [earlier, later, walk]
    since = DAY + timedelta(days=3)
    assert backend.read(lambda repo: repo.activities("ana", since)) == [later, walk]
    assert backend.read(lambda repo: repo.activities("bo")) == []
    assert backend.read(lambda repo: repo.get_activity("ana", "a2")) == later
    assert backend.read(lambda repo: repo.get_activity("bo", "a2")) is None


def test_a_lesson_read_is_kept_once_the_first_day_standing(backend: Backend) -> None:
    first = lesson_read("pain-and-load", DAY + timedelta(days=2))
    again = lesson_read("pain-and-load", DAY + timedelta(days=3), at=AT + timedelta(days=3))
    other = lesson_read("what-is-runners-knee", DAY + timedelta(days=2))
    backend.write(lambda repo: each(repo.add_person, [person(), person("bo", 1)]))

    with backend.unit_of_work() as uow:
        assert uow.repo.mark_lesson_read(first) == first
        assert uow.repo.mark_lesson_read(other) == other
        uow.commit()
    with backend.unit_of_work() as uow:
        assert uow.repo.mark_lesson_read(again) == first  # the first day stands
        uow.commit()

    assert backend.read(lambda repo: repo.lessons_read("ana")) == [first, other]
    assert backend.read(lambda repo: repo.lessons_read("bo")) == []


def test_leaving_the_block_without_committing_writes_nothing(backend: Backend) -> None:
    with backend.unit_of_work() as uow:
        whole_journal(uow.repo, "ana")

    with pytest.raises(RuntimeError), backend.unit_of_work() as uow:
        uow.repo.add_person(person("bo"))
        raise RuntimeError("the use case failed half-way")

    assert backend.read(lambda repo: repo.people()) == []
    if backend.database is not None:
        assert set(backend.rows().values()) == {0}
        assert backend.database.is_empty()


def test_writes_after_a_commit_in_the_same_block_are_rolled_back(backend: Backend) -> None:
    with backend.unit_of_work() as uow:
        uow.repo.add_person(person("ana"))
        uow.commit()
        uow.repo.add_person(person("bo"))

    assert backend.read(lambda repo: repo.people()) == [person("ana")]


# --- what only a database has -----------------------------------------------------------------


def test_a_committed_write_is_there_for_a_fresh_database(url: str) -> None:
    with open_database(url) as db:
        assert db.is_empty()
        with db.unit_of_work() as uow:
            whole_journal(uow.repo, "ana")
            uow.commit()

    with open_database(url) as again:
        assert not again.is_empty()
        with again.unit_of_work() as uow:
            assert uow.repo.people() == [person("ana")]
            assert uow.repo.checkins("ana") == [stored_checkin(DAY + timedelta(days=1))]
            assert uow.repo.assessments("ana") == [assessment()]


def test_a_committed_checkin_survives_the_process_being_killed(sqlite_url: str) -> None:
    open_database(sqlite_url).dispose()
    script = f"""
import os, signal
from tests.integration.test_repository import DAY, person, stored_checkin
from runrehab.adapters.db.database import open_database
db = open_database({sqlite_url!r})
with db.unit_of_work() as uow:
    uow.repo.add_person(person())
    uow.repo.put_checkin(stored_checkin(DAY))
    uow.commit()
    os.kill(os.getpid(), signal.SIGKILL)
"""
    run = [sys.executable, "-c", script]
    result = subprocess.run(run, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == -9, result.stderr

    with open_database(sqlite_url) as db, db.unit_of_work() as uow:
        assert uow.repo.checkins("ana") == [stored_checkin(DAY)]


def test_the_migrations_build_exactly_the_tables(database: Database) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with database.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, tables.metadata) == []


def test_the_head_constant_is_alembics_head() -> None:
    assert migrations.head() == migrations.HEAD


def test_sqlite_is_set_up_for_safe_concurrent_use(sqlite_url: str) -> None:
    with open_database(sqlite_url) as db, db.engine.connect() as conn:
        pragma = {
            name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "foreign_keys", "synchronous", "busy_timeout")
        }
    assert pragma == {
        "journal_mode": "wal",
        "foreign_keys": 1,
        "synchronous": 2,
        "busy_timeout": 5000,
    }


def test_a_reader_does_not_wait_for_a_writer(sqlite_url: str) -> None:
    with open_database(sqlite_url) as db, db.unit_of_work() as writing:
        writing.repo.add_person(person())  # holds SQLite's write lock until the block ends
        started = time.perf_counter()
        with open_database(sqlite_url) as other:
            assert other.is_empty()
        assert time.perf_counter() - started < 1


def test_the_repository_is_only_open_inside_the_block(database: Database) -> None:
    uow = database.unit_of_work()
    with pytest.raises(RuntimeError, match="inside `with uow:`"):
        uow.repo.people()
    with uow:
        assert uow.repo.people() == []


def test_opening_an_up_to_date_journal_does_not_load_alembic(sqlite_url: str) -> None:
    open_database(sqlite_url).dispose()
    script = (
        "import sys; from runrehab.adapters.db.database import open_database; "
        f"open_database({sqlite_url!r}).dispose(); "
        "assert 'alembic' not in sys.modules, 'alembic was imported'"
    )
    run = [sys.executable, "-c", script]
    result = subprocess.run(run, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_a_journal_from_a_newer_release_is_refused(url: str) -> None:
    with open_database(url) as db, db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))

    with pytest.raises(DatabaseError, match=r"revision '9999'.*newer release"):
        open_database(url)


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("these are my running notes, not a database\n" * 50)

    with pytest.raises(DatabaseError, match="file is not a database"):
        open_database(str(path))


def test_a_database_of_something_else_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")

    with pytest.raises(DatabaseError, match="not a RunRehab journal"):
        open_database(str(path))


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("", "no database given"),
        ("mysql://me@localhost/journal", "unsupported database URL scheme 'mysql'"),
        ("postgresql://me@localhost:port/journal", "cannot read the database URL"),
        ("/no/such/folder/journal.db", "no folder /no/such/folder"),
        ("postgresql://nobody@127.0.0.1:1/journal", "cannot open the journal database"),
    ],
)
def test_a_database_that_cannot_be_opened_says_why(given: str, message: str) -> None:
    with pytest.raises(DatabaseError, match=message):
        open_database(given)


def test_a_password_is_never_shown() -> None:
    with pytest.raises(DatabaseError) as raised:
        open_database("postgresql://runner:s3cret@127.0.0.1:1/journal")
    assert "s3cret" not in str(raised.value)
    assert "***" in str(raised.value)


def test_a_folder_is_not_a_database(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="is a folder"):
        open_database(str(tmp_path))


@pytest.mark.parametrize("scheme", ["postgres", "postgresql", "postgresql+psycopg"])
def test_postgres_urls_use_psycopg(scheme: str) -> None:
    assert database_url(f"{scheme}://me@db.example/journal").drivername == "postgresql+psycopg"


@pytest.mark.parametrize("given", ["journal.db", "sqlite:///journal.db"])
def test_a_path_or_sqlite_url_is_a_sqlite_file(given: str) -> None:
    url = database_url(given)
    assert (url.drivername, url.database) == ("sqlite+pysqlite", "journal.db")


@needs_postgres
def test_a_postgres_scheme_url_opens_the_same_journal(postgres_url: str) -> None:
    with open_database(postgres_url) as db, db.unit_of_work() as uow:
        uow.repo.add_person(person())
        uow.commit()
    alias = "postgres://" + postgres_url.split("://", 1)[1]
    with open_database(alias) as db, db.unit_of_work() as uow:
        assert uow.repo.people() == [person()]


def test_an_erased_person_leaves_nothing_in_the_sqlite_files(tmp_path: Path) -> None:
    """Issue 13, finding 7: a deleted account's notes survived in the write-ahead log (and
    free pages) until the next checkpoint. With ``secure_delete`` and a checkpoint after the
    erasure, neither the database file nor its log holds a byte of them."""
    from runrehab.services.journal.ownership import add_note, delete_person
    from tests.fakes import FixedClock

    path = tmp_path / "journal.db"
    marker = "Zebra-crossing-7f3a9c knee note"
    with open_database(str(path)) as db:
        keeper = Person("keeper", "Kim", datetime(2026, 12, 1, tzinfo=UTC))
        gone = Person("gone", "Sam", datetime(2026, 12, 1, tzinfo=UTC))
        with db.unit_of_work() as uow:
            uow.repo.add_person(keeper)
            uow.repo.add_person(gone)
            uow.commit()
        for n in range(40):  # the erased rows share pages with rows that stay
            for who, text in (("gone", f"{marker} {n}"), ("keeper", f"still here {n}")):
                add_note(db.unit_of_work(), FixedClock(), date(2026, 12, 1), text, "runner", who)
        files = [path, path.with_name("journal.db-wal")]
        assert any(marker.encode() in f.read_bytes() for f in files if f.exists())
        delete_person(db.unit_of_work(), "gone")
        for f in files:
            if f.exists():
                assert marker.encode() not in f.read_bytes(), f.name
        with db.unit_of_work() as uow:
            assert len(uow.repo.notes("keeper")) == 40
