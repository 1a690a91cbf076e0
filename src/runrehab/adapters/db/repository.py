"""The journal's storage in SQL, behind the ``Repository`` port: the same answers, in the same
order, as the in-memory fake the use-case tests run on (a contract test checks both).

Documents are stored as the compact JSON they arrived as and read back through the contract
readers, so what comes out is exactly what the engine would have made of the original.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Connection,
    Date,
    Row,
    Table,
    bindparam,
    delete,
    func,
    insert,
    select,
    text,
    update,
)

from runrehab.adapters.db.override_rows import OverrideRows
from runrehab.adapters.db.tables import (
    accounts,
    activities,
    assessments,
    checkins,
    cross_training,
    exercise_logs,
    lessons_read,
    notes,
    people,
    programmes,
    questionnaire_responses,
    runs,
    throttle,
)
from runrehab.adapters.db.tables import decisions as decision_rows
from runrehab.adapters.documents import assessment_from_valid, checkin_from_valid
from runrehab.engine.activity import Sport, SportSource
from runrehab.engine.checkin import Checkin
from runrehab.engine.state import Action, ProgrammeState
from runrehab.engine.values import Colour, Disposition
from runrehab.services.accounts.throttle import email_key, recheck_key
from runrehab.services.codec import (
    metrics_from_json,
    metrics_to_json,
    reasons_from_json,
    reasons_to_json,
    state_from_json,
    state_to_json,
)
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


def dump(value: Any) -> str:
    """Compact JSON text, keys in the order given (a document comes back as it was sent)."""
    return json.dumps(value, separators=(",", ":"), sort_keys=False)


@lru_cache(maxsize=16384)
def _checkin_of(document: str) -> Checkin:
    """The engine value of a stored check-in. Checkins are frozen, so equal texts may share
    one: every check-in folds the programme's whole history. Stored documents were validated
    on the way in (check-in or import), so they are not validated again."""
    return checkin_from_valid(json.loads(document))


@lru_cache(maxsize=4096)
def _assessment_of(document: str) -> Any:
    """The engine value of a stored assessment (frozen, so equal texts share one), read once
    per process. Stored documents were validated on the way in (start or import), so they are
    not validated again (the contract check costs more than the rest)."""
    return assessment_from_valid(json.loads(document))


@lru_cache(maxsize=4096)
def _state_of(text_: str) -> ProgrammeState:
    return state_from_json(json.loads(text_))


_CHECKINS = text(
    "SELECT person_id, day, document, recorded_at, revision FROM checkins"
    " WHERE person_id = :person AND day >= :since ORDER BY day"
).bindparams(bindparam("since", type_=Date))
_ASSESSMENTS = text(
    "SELECT person_id, version, recorded_on, recorded_at, document, disposition"
    " FROM assessments WHERE person_id = :person ORDER BY version"
)
_PERSON = text("SELECT id, name, created_at, revision FROM people WHERE id = :person")
_PERSON_TO_WRITE = text(
    "SELECT id, name, created_at, revision FROM people WHERE id = :person FOR NO KEY UPDATE"
)
"""PostgreSQL: a unit of work that writes holds the row of the person it reads until it ends,
so two writes for one person (the same day's check-in sent twice at once) run one after the
other, each reading what the other wrote, as SQLite's ``BEGIN IMMEDIATE`` makes every write.
(``NO KEY UPDATE`` leaves the rows that refer to the person free to be written.)"""
_PROGRAMMES = text(
    "SELECT id, person_id, assessment_version, started_on, ended_on, start_state, state"
    " FROM programmes WHERE person_id = :person"
    " ORDER BY started_on, assessment_version, position"
)
_CHECKIN = text(
    "SELECT id, person_id, day, document, recorded_at, revision FROM checkins"
    " WHERE person_id = :person AND day = :day"
).bindparams(bindparam("day", type_=Date))
_CHILDREN_GONE = text(
    "WITH e AS (DELETE FROM exercise_logs WHERE checkin_id = :id),"
    " r AS (DELETE FROM runs WHERE checkin_id = :id)"
    " DELETE FROM cross_training WHERE checkin_id = :id"
)
"""PostgreSQL: a replaced check-in's child rows go in one round trip."""
_LESSONS_READ = text(
    "SELECT person_id, lesson_id, day, recorded_at FROM lessons_read"
    " WHERE person_id = :person ORDER BY day, lesson_id"
)
_DECISIONS = text(
    "SELECT programme_id, day, action, disposition, colour, phase, rung, reasons"
    " FROM decisions WHERE programme_id = :programme ORDER BY day, id"
)
"""What every page and check-in reads, as plain SQL: the rows come back as the driver gives
them (no per-value conversion by SQLAlchemy; SQLite's dates as text), and each distinct row of
the long lists is made into a record once per process (``_stored_checkin``, ``_decision_of``,
``_programme_of``)."""
EARLIEST = date(1, 1, 1)
_RESPONSES = (
    select(questionnaire_responses)
    .where(questionnaire_responses.c.person_id == bindparam("person_id"))
    .order_by(questionnaire_responses.c.day, questionnaire_responses.c.instrument)
)
_ACTIVITIES = (
    select(activities)
    .where(
        activities.c.person_id == bindparam("person_id"),
        activities.c.local_date >= bindparam("since"),
    )
    .order_by(activities.c.start_utc, activities.c.leg)
)
"""Built once: asked on every request, where building a query costs more than running it."""


_UPDATE_PROGRAMME = update(programmes).where(programmes.c.id == bindparam("programme_id"))
"""The columns to set come with the values (a state's four, or the end)."""
_DELETE_DECISIONS = delete(decision_rows).where(
    decision_rows.c.programme_id == bindparam("programme"),
    decision_rows.c.day >= bindparam("from_day"),
)
_INSERT = {table: insert(table) for table in (decision_rows, exercise_logs, runs, cross_training)}
_INSERT_CHECKIN = insert(checkins).returning(checkins.c.id)
_UPDATE_CHECKIN = update(checkins).where(checkins.c.id == bindparam("checkin_id"))
_CHECKIN_ID = select(checkins.c.id).where(
    checkins.c.person_id == bindparam("person"), checkins.c.day == bindparam("day")
)
_DELETE_CHILDREN = [
    delete(child).where(child.c.checkin_id == bindparam("checkin_id"))
    for child in (exercise_logs, runs, cross_training)
]
"""The writes of every check-in, built once too (building one costs about as much as running
it on SQLite)."""


class SqlRepository(OverrideRows):
    """Runs every query on the connection of the unit of work it belongs to.

    A person's assessments are read once per transaction (the day's page asks twice), and a
    check-in's id read by ``get_checkin`` is not asked again by ``put_checkin``: the unit of
    work calls ``forget`` when its transaction ends (``add_assessment`` and ``delete_person``
    forget too)."""

    def __init__(
        self,
        connection: Callable[[], Connection],
        on_erase: Callable[[], None] | None = None,
        writes: bool = False,
        token: str = "",
    ) -> None:
        self._connection = connection
        self._token = token
        self._on_erase = on_erase
        self._writes = writes
        self._assessments: dict[str, list[StoredAssessment]] = {}
        self._checkin_ids: dict[tuple[str, date], int | None] = {}

    def forget(self) -> None:
        """Drop what was read in the transaction that ended."""
        self._assessments.clear()
        self._checkin_ids.clear()

    # --- people --------------------------------------------------------------------------------

    def add_person(self, person: Person) -> None:
        row = {
            "id": person.id,
            "name": person.name,
            "created_at": person.created_at,
            "revision": secrets.randbits(52),  # see migration 0011: never a kept revision
        }
        self._connection().execute(insert(people), row)

    def get_person(self, person_id: str) -> Person | None:
        connection = self._connection()
        locks = self._writes and connection.dialect.name == "postgresql"
        query = _PERSON_TO_WRITE if locks else _PERSON
        row = connection.execute(query, {"person": person_id}).first()
        if row is None:
            return None
        return Person(row[0], row[1], _instant(row[2]), f"{self._token}:{row[3]}")

    def people(self) -> list[Person]:
        query = select(people).order_by(people.c.created_at, people.c.id)
        return [_person(row) for row in self._connection().execute(query)]

    def delete_person(self, person_id: str) -> bool:
        """Everything else goes with the person, by the foreign keys' ON DELETE CASCADE, and
        the log-in throttle's counts for their account (keyed by its e-mail and id)."""
        connection = self._connection()
        found = connection.execute(
            select(accounts.c.id, accounts.c.email).where(accounts.c.person_id == person_id)
        ).all()
        keys = [k for a in found for k in (email_key(a.email), recheck_key(a.id))]
        if keys:
            connection.execute(delete(throttle).where(throttle.c.key.in_(keys)))
        result = connection.execute(delete(people).where(people.c.id == person_id))
        self.forget()
        forget_records()
        if self._on_erase is not None:
            self._on_erase()
        return result.rowcount > 0

    # --- assessments ---------------------------------------------------------------------------

    def add_assessment(self, stored: StoredAssessment) -> None:
        row = {
            "person_id": stored.person_id,
            "version": stored.version,
            "recorded_on": stored.recorded_on,
            "recorded_at": stored.recorded_at,
            "document": dump(stored.document),
            "disposition": stored.disposition.value,
        }
        self._assessments.pop(stored.person_id, None)
        self._connection().execute(insert(assessments), row)

    def assessments(self, person_id: str) -> list[StoredAssessment]:
        kept = self._assessments.get(person_id)
        if kept is None:
            rows = self._connection().execute(_ASSESSMENTS, {"person": person_id}).all()
            kept = [_stored_assessment(*row) for row in rows]
            self._assessments[person_id] = kept
        return list(kept)

    # --- programmes ----------------------------------------------------------------------------

    def add_programme(self, programme: Programme) -> None:
        row = {
            "id": programme.id,
            "person_id": programme.person_id,
            "position": self._next_position(programmes, programme.person_id),
            "assessment_version": programme.assessment_version,
            "started_on": programme.started_on,
            "ended_on": programme.ended_on,
            "start_state": dump(state_to_json(programme.start)),
            **_state_columns(programme.state),
        }
        self._connection().execute(insert(programmes), row)

    def programmes(self, person_id: str) -> list[Programme]:
        rows = self._connection().execute(_PROGRAMMES, {"person": person_id}).all()
        return [_programme_of(*row) for row in rows]

    def current_programme(self, person_id: str) -> Programme | None:
        open_ = [p for p in self.programmes(person_id) if p.ended_on is None]
        return open_[-1] if open_ else None

    def save_state(self, programme_id: str, state: ProgrammeState) -> None:
        self._update_programme(programme_id, _state_columns(state))

    def end_programme(self, programme_id: str, day: date) -> None:
        self._update_programme(programme_id, {"ended_on": day})

    def _update_programme(self, programme_id: str, values: dict[str, Any]) -> None:
        asked = {"programme_id": programme_id, **values}
        if self._connection().execute(_UPDATE_PROGRAMME, asked).rowcount == 0:
            raise KeyError(programme_id)

    # --- decisions -----------------------------------------------------------------------------

    def replace_decisions(
        self, programme_id: str, from_day: date, decisions: Sequence[DecisionRecord]
    ) -> None:
        connection = self._connection()
        connection.execute(_DELETE_DECISIONS, {"programme": programme_id, "from_day": from_day})
        if decisions:
            connection.execute(_INSERT[decision_rows], [_decision_row(d) for d in decisions])

    def decisions(self, programme_id: str) -> list[DecisionRecord]:
        # fetched at once: the driver hands over every row in one call, not one call a row
        rows = self._connection().execute(_DECISIONS, {"programme": programme_id}).all()
        return [_decision_of(*row) for row in rows]

    # --- check-ins -----------------------------------------------------------------------------

    def put_checkin(self, stored: StoredCheckin) -> None:
        """Replace the same day's check-in in place (keeping its id), its child rows too."""
        connection = self._connection()
        values = {
            "document": dump(stored.document),
            "recorded_at": stored.recorded_at,
            "revision": stored.revision,
        }
        day = (stored.person_id, stored.day)
        if day in self._checkin_ids:  # read in this transaction (``get_checkin``)
            checkin_id = self._checkin_ids[day]
        else:
            asked = {"person": stored.person_id, "day": stored.day}
            checkin_id = connection.execute(_CHECKIN_ID, asked).scalar()
        if checkin_id is None:
            row = {"person_id": stored.person_id, "day": stored.day, **values}
            checkin_id = connection.execute(_INSERT_CHECKIN, row).scalar_one()
            self._checkin_ids[day] = checkin_id
        else:
            if connection.dialect.name == "postgresql":
                connection.execute(_CHILDREN_GONE, {"id": checkin_id})
            else:
                for gone in _DELETE_CHILDREN:
                    connection.execute(gone, {"checkin_id": checkin_id})
            connection.execute(_UPDATE_CHECKIN, {"checkin_id": checkin_id, **values})
        self._put_details(int(checkin_id), stored.checkin)

    def _put_details(self, checkin_id: int, checkin: Checkin) -> None:
        """The check-in's exercises, run and cross-training as rows, for queries over time."""
        connection = self._connection()
        for table, rows in _detail_rows(checkin_id, checkin):
            if rows:
                connection.execute(_INSERT[table], rows)

    def get_checkin(self, person_id: str, day: date) -> StoredCheckin | None:
        row = self._connection().execute(_CHECKIN, {"person": person_id, "day": day}).first()
        self._checkin_ids[(person_id, day)] = None if row is None else row[0]
        return None if row is None else _stored_checkin(*row[1:])

    def checkins(self, person_id: str, since: date | None = None) -> list[StoredCheckin]:
        """Each distinct row is read into a record once per process: the records, and their
        documents, are shared; never change one (copy a document to edit it)."""
        asked = {"person": person_id, "since": since or EARLIEST}
        rows = self._connection().execute(_CHECKINS, asked).all()
        return [_stored_checkin(*row) for row in rows]

    # --- questionnaires ------------------------------------------------------------------------

    def put_response(self, response: QuestionnaireResponse) -> None:
        connection = self._connection()
        r = questionnaire_responses.c
        values = {
            "answers": dump(response.answers),
            "score": response.score,
            "recorded_at": response.recorded_at,
        }
        key = (
            r.person_id == response.person_id,
            r.instrument == response.instrument,
            r.day == response.day,
        )
        replaced = connection.execute(update(questionnaire_responses).where(*key), values)
        if replaced.rowcount == 0:
            row = {
                "person_id": response.person_id,
                "instrument": response.instrument,
                "day": response.day,
                **values,
            }
            connection.execute(insert(questionnaire_responses), row)

    def responses(
        self, person_id: str, instrument: str | None = None
    ) -> list[QuestionnaireResponse]:
        if instrument is None:
            rows = self._connection().execute(_RESPONSES, {"person_id": person_id}).all()
        else:
            r = questionnaire_responses.c
            query = select(questionnaire_responses).where(r.person_id == person_id)
            query = query.where(r.instrument == instrument)
            rows = self._connection().execute(query.order_by(r.day, r.instrument)).all()
        return [_response(row) for row in rows]

    # --- notes ---------------------------------------------------------------------------------

    def add_note(self, note: Note) -> None:
        row = {
            "id": note.id,
            "person_id": note.person_id,
            "position": self._next_position(notes, note.person_id),
            "day": note.day,
            "author": note.author,
            "text": note.text,
            "created_at": note.created_at,
        }
        self._connection().execute(insert(notes), row)

    def notes(self, person_id: str) -> list[Note]:
        query = (
            select(notes)
            .where(notes.c.person_id == person_id)
            .order_by(notes.c.day, notes.c.created_at, notes.c.position)
        )
        return [_note(row) for row in self._connection().execute(query)]

    # --- activities ----------------------------------------------------------------------------

    def add_activity(self, activity: StoredActivity) -> None:
        self._connection().execute(insert(activities), _activity_row(activity))

    def activities(self, person_id: str, since: date | None = None) -> list[StoredActivity]:
        asked = {"person_id": person_id, "since": EARLIEST if since is None else since}
        rows = self._connection().execute(_ACTIVITIES, asked).all()
        return [_activity(row) for row in rows]

    def get_activity(self, person_id: str, activity_id: str) -> StoredActivity | None:
        a = activities.c
        row = (
            self._connection()
            .execute(select(activities).where(a.person_id == person_id, a.id == activity_id))
            .first()
        )
        return None if row is None else _activity(row)

    # --- lessons read --------------------------------------------------------------------------

    def mark_lesson_read(self, read: LessonRead) -> LessonRead:
        """Insert the record unless the person's lesson is kept already; the kept one back."""
        connection = self._connection()
        r = lessons_read.c
        key = (r.person_id == read.person_id, r.lesson_id == read.lesson_id)
        kept = connection.execute(select(lessons_read).where(*key)).first()
        if kept is not None:
            return _lesson_read(kept)
        row = {
            "person_id": read.person_id,
            "lesson_id": read.lesson_id,
            "day": read.day,
            "recorded_at": read.recorded_at,
        }
        connection.execute(insert(lessons_read), row)
        return read

    def lessons_read(self, person_id: str) -> list[LessonRead]:
        rows = self._connection().execute(_LESSONS_READ, {"person": person_id}).all()
        return [LessonRead(r[0], r[1], _day(r[2]), _instant(r[3])) for r in rows]

    def _next_position(self, table: Table, person_id: str) -> int:
        """One more than the person's last row in ``table``: the order rows were added in."""
        query = select(func.coalesce(func.max(table.c.position), 0) + 1).where(
            table.c.person_id == person_id
        )
        return int(self._connection().execute(query).scalar_one())


# --- rows to records ---------------------------------------------------------------------------


def _person(row: Row[Any]) -> Person:
    return Person(row.id, row.name, row.created_at)  # no data_version: a list of people


@lru_cache(maxsize=4096)
def _stored_assessment(
    person_id: str,
    version: int,
    recorded_on: date | str,
    recorded_at: datetime | str,
    document: str,
    disposition: str,
) -> StoredAssessment:
    """An assessment row as the driver gives it (SQLite: dates as text), as a record."""
    return StoredAssessment(
        person_id=person_id,
        version=version,
        recorded_on=_day(recorded_on),
        document=json.loads(document),
        assessment=_assessment_of(document),
        disposition=Disposition(disposition),
        recorded_at=_instant(recorded_at),
    )


def _state_columns(state: ProgrammeState) -> dict[str, Any]:
    """The state as JSON, with the columns a dashboard filters on copied out of it."""
    return {
        "state": dump(state_to_json(state)),
        "phase": state.phase,
        "status": state.status.value,
        "evaluated_through": state.evaluated_through,
    }


@lru_cache(maxsize=16384)
def _programme_of(
    id_: str,
    person_id: str,
    assessment_version: int,
    started_on: date | str,
    ended_on: date | str | None,
    start_state: str,
    state: str,
) -> Programme:
    """A programme row as the driver gives it (SQLite: dates as text), as a record."""
    return Programme(
        id=id_,
        person_id=person_id,
        assessment_version=assessment_version,
        started_on=_day(started_on),
        start=_state_of(start_state),
        state=_state_of(state),
        ended_on=None if ended_on is None else _day(ended_on),
    )


def _decision_row(d: DecisionRecord) -> dict[str, Any]:
    return {
        "programme_id": d.programme_id,
        "day": d.day,
        "action": d.action.value,
        "disposition": d.disposition.value,
        "colour": None if d.colour is None else d.colour.value,
        "phase": d.phase,
        "rung": d.rung,
        "reasons": dump(reasons_to_json(d.reasons)),
    }


@lru_cache(maxsize=65536)
def _decision_of(
    programme_id: str,
    day: date | str,
    action: str,
    disposition: str,
    colour: str | None,
    phase: int,
    rung: int,
    reasons: str,
) -> DecisionRecord:
    """A decision row as the driver gives it (SQLite: the day as text), as a record."""
    return DecisionRecord(
        programme_id=programme_id,
        day=_day(day),
        action=Action(action),
        disposition=Disposition(disposition),
        phase=phase,
        rung=rung,
        reasons=reasons_from_json(json.loads(reasons)),
        colour=None if colour is None else Colour(colour),
    )


@lru_cache(maxsize=65536)
def _stored_checkin(
    person_id: str, day: date | str, document: str, recorded_at: datetime | str, revision: int
) -> StoredCheckin:
    """A check-in row as the driver gives it (SQLite: dates as text), as a record."""
    return StoredCheckin(
        person_id=person_id,
        day=_day(day),
        document=json.loads(document),
        checkin=_checkin_of(document),
        recorded_at=_instant(recorded_at),
        revision=revision,
    )


def forget_records() -> None:
    """Empty this process's records read from rows (a person was erased: no copy of their
    words is kept in memory either)."""
    cached_records = (_checkin_of, _assessment_of, _state_of, _decision_of, _programme_of)
    for cached in (*cached_records, _stored_checkin, _stored_assessment):
        cached.cache_clear()


def _day(value: date | str) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _instant(value: datetime | str) -> datetime:
    """An instant in UTC (SQLite keeps the naive UTC time as text, as ``UtcDateTime``)."""
    when = datetime.fromisoformat(value) if isinstance(value, str) else value
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _detail_rows(checkin_id: int, c: Checkin) -> list[tuple[Table, list[dict[str, Any]]]]:
    exercises = [
        {
            "checkin_id": checkin_id,
            "position": i,
            "exercise_id": e.id,
            "sets": e.sets,
            "reps": e.reps,
            "hold_seconds": e.hold_seconds,
            "max_pain": e.max_pain,
        }
        for i, e in enumerate(c.exercises)
    ]
    run = [
        {
            "checkin_id": checkin_id,
            "minutes": r.minutes,
            "distance_km": r.distance_km,
            "max_pain": r.max_pain,
            "pain_rose_during": r.pain_rose_during,
            "settled_within_minutes": r.settled_within_minutes,
            "changed_stride": r.changed_stride,
            "activity_id": r.activity_id,
        }
        for r in ([] if c.run is None else [c.run])
    ]
    cross = [
        {
            "checkin_id": checkin_id,
            "position": i,
            "kind": x.kind.value,
            "minutes": x.minutes,
            "max_pain": x.max_pain,
        }
        for i, x in enumerate(c.cross_training)
    ]
    return [(exercise_logs, exercises), (runs, run), (cross_training, cross)]


def _response(row: Row[Any]) -> QuestionnaireResponse:
    return QuestionnaireResponse(
        person_id=row.person_id,
        instrument=row.instrument,
        day=row.day,
        answers=json.loads(row.answers),
        score=row.score,
        recorded_at=row.recorded_at,
    )


def _lesson_read(row: Row[Any]) -> LessonRead:
    return LessonRead(row.person_id, row.lesson_id, row.day, row.recorded_at)


def _note(row: Row[Any]) -> Note:
    return Note(row.id, row.person_id, row.day, row.author, row.text, row.created_at)


def _activity_row(a: StoredActivity) -> dict[str, Any]:
    m = a.metrics
    return {
        "id": a.id,
        "person_id": a.person_id,
        "content_hash": a.content_hash,
        "leg": a.leg,
        "file_name": a.file_name,
        "file_format": a.file_format,
        "sport": a.sport.value,
        "sport_source": a.sport_source.value,
        "sub_sport": a.sub_sport,
        "start_utc": a.start,
        "utc_offset_minutes": a.utc_offset_minutes,
        "local_date": a.local_date,
        "elapsed_s": m.elapsed_s,
        "moving_s": m.moving_s,
        "distance_km": m.distance_km,
        "elevation_gain_m": m.elevation_gain_m,
        "downhill_km": m.downhill_km,
        "cadence_spm": m.cadence_spm,
        "avg_hr": m.avg_hr,
        "indoor": a.indoor,
        "device": a.device,
        "partial": a.partial,
        "metrics": dump(metrics_to_json(m)),
        "imported_at": a.imported_at,
    }


def _activity(row: Row[Any]) -> StoredActivity:
    return StoredActivity(
        id=row.id,
        person_id=row.person_id,
        content_hash=row.content_hash,
        leg=row.leg,
        file_name=row.file_name,
        file_format=row.file_format,
        sport=Sport(row.sport),
        sport_source=SportSource(row.sport_source),
        start=row.start_utc,
        utc_offset_minutes=row.utc_offset_minutes,
        local_date=row.local_date,
        metrics=metrics_from_json(json.loads(row.metrics)),
        imported_at=row.imported_at,
        sub_sport=row.sub_sport,
        indoor=row.indoor,
        device=row.device,
        partial=row.partial,
    )
