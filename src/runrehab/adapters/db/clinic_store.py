"""The clinic's storage, behind the ``ClinicStore`` port (on the SQL unit of work beside the
journal). ``caseload`` reads the facts of the whole clinic in a few queries, one per table,
not a few per patient, so the dashboard stays fast with hundreds of patients."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import fields
from datetime import date, datetime, timedelta
from enum import Enum
from functools import cache
from typing import Any, TypeVar, cast, get_type_hints

from sqlalchemy import (
    Connection,
    Row,
    and_,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)

from runrehab.adapters.db.tables import (
    activities,
    audit_log,
    checkins,
    clinic_exercises,
    clinic_invitations,
    clinic_members,
    clinic_messages,
    clinic_staff,
    clinical_notes,
    clinics,
    decisions,
    people,
    programmes,
    questionnaire_responses,
    runs,
    virtual_sessions,
)
from runrehab.services.clinic.ports import CaseFacts
from runrehab.services.clinic.records import (
    AuditEntry,
    Clinic,
    ClinicalNote,
    ClinicExercise,
    Invitation,
    Membership,
    Message,
    Sender,
    SessionStatus,
    StaffMember,
    VirtualSession,
)

_MEMBERSHIP = select(clinic_members).where(clinic_members.c.person_id == bindparam("person_id"))
"""Built once: asked on every request, where building a query costs more than running it."""


class SqlClinicStore:
    def __init__(self, connection: Callable[[], Connection]) -> None:
        self._connection = connection

    def _run(self, statement: Any) -> Any:
        return self._connection().execute(statement)

    # --- clinics and staff -------------------------------------------------------------------

    def add_clinic(self, clinic: Clinic) -> None:
        self._run(insert(clinics).values(**_values(clinic)))

    def get_clinic(self, clinic_id: str) -> Clinic | None:
        row = self._run(select(clinics).where(clinics.c.id == clinic_id)).first()
        return None if row is None else _record(Clinic, row)

    def clinics(self) -> list[Clinic]:
        rows = self._run(select(clinics).order_by(clinics.c.created_at))
        return [_record(Clinic, r) for r in rows]

    def add_staff(self, member: StaffMember) -> None:
        self._run(insert(clinic_staff).values(**_values(member)))

    def staff_member(self, account_id: str) -> StaffMember | None:
        query = select(clinic_staff).where(clinic_staff.c.account_id == account_id)
        row = self._run(query).first()
        return None if row is None else _record(StaffMember, row)

    def staff(self, clinic_id: str) -> list[StaffMember]:
        c = clinic_staff.c
        query = select(clinic_staff).where(c.clinic_id == clinic_id).order_by(c.joined_at)
        return [_record(StaffMember, r) for r in self._run(query)]

    # --- invitations and members ---------------------------------------------------------------

    def add_invitation(self, invitation: Invitation) -> None:
        self._run(insert(clinic_invitations).values(**_values(invitation)))

    def invitation(self, code_hash: str) -> Invitation | None:
        c = clinic_invitations.c
        row = self._run(select(clinic_invitations).where(c.code_hash == code_hash)).first()
        return None if row is None else _record(Invitation, row)

    def use_invitation(self, code_hash: str, at: datetime) -> None:
        c = clinic_invitations.c
        self._run(update(clinic_invitations).where(c.code_hash == code_hash).values(used_at=at))

    def membership(self, person_id: str) -> Membership | None:
        row = self._connection().execute(_MEMBERSHIP, {"person_id": person_id}).first()
        return None if row is None else _record(Membership, row)

    def add_membership(self, membership: Membership) -> None:
        self._run(insert(clinic_members).values(**_values(membership)))

    def end_membership(self, person_id: str) -> bool:
        done = self._run(delete(clinic_members).where(clinic_members.c.person_id == person_id))
        return bool(done.rowcount)

    def members(self, clinic_id: str) -> list[Membership]:
        c = clinic_members.c
        query = select(clinic_members).where(c.clinic_id == clinic_id).order_by(c.joined_at)
        return [_record(Membership, r) for r in self._run(query)]

    def caseload(self, clinic_id: str, since: date) -> list[CaseFacts]:
        members = clinic_members.c
        mine = select(members.person_id).where(members.clinic_id == clinic_id).scalar_subquery()
        base = self._run(
            select(members.person_id, members.joined_at, people.c.name)
            .join(people, people.c.id == members.person_id)
            .where(members.clinic_id == clinic_id)
        ).all()
        current = self._current_programmes(mine)
        last = dict(
            self._run(
                select(checkins.c.person_id, func.max(checkins.c.day))
                .where(checkins.c.person_id.in_(mine))
                .group_by(checkins.c.person_id)
            ).all()
        )
        open_programmes = (
            select(programmes.c.id)
            .where(programmes.c.person_id.in_(mine), programmes.c.ended_on.is_(None))
            .scalar_subquery()
        )
        actions = self._recent_actions(open_programmes, since)
        worst, kujala, weekly = self._questionnaires(mine, since - timedelta(days=1))
        watch, reported = self._recent_runs(mine, since)
        unread = self._unread(clinic_id)
        facts = []
        for person_id, joined_at, name in base:
            programme = current.get(person_id)
            facts.append(
                CaseFacts(
                    person_id=person_id,
                    name=name,
                    joined_at=joined_at,
                    status=programme[1] if programme else None,
                    phase=programme[2] if programme else None,
                    started_on=programme[3] if programme else None,
                    last_checkin=last.get(person_id),
                    recent_actions=tuple(actions.get(programme[0], ())) if programme else (),
                    weekly_worst=tuple(worst.get(person_id, ())),
                    kujala_days=tuple(kujala.get(person_id, ())),
                    weekly_days=tuple(weekly.get(person_id, ())),
                    recent_runs=tuple(watch.get(person_id, ())),
                    reported_run_days=tuple(reported.get(person_id, ())),
                    unread=unread.get(person_id, 0),
                )
            )
        return facts

    def _current_programmes(self, mine: Any) -> dict[str, tuple[str, str, int, date]]:
        p = programmes.c
        rows = self._run(
            select(p.person_id, p.id, p.status, p.phase, p.started_on, p.position)
            .where(p.person_id.in_(mine), p.ended_on.is_(None))
            .order_by(p.position)
        )
        return {r.person_id: (r.id, r.status, r.phase, r.started_on) for r in rows}

    def _recent_actions(
        self, current: Any, since: date
    ) -> dict[str, list[tuple[date, str, str | None]]]:
        """The RED days and steps back since ``since`` of the clinic's current programmes
        (the dashboard's flares), in one query whatever the number of patients."""
        found: dict[str, list[tuple[date, str, str | None]]] = defaultdict(list)
        d = decisions.c
        rows = self._run(
            select(d.programme_id, d.day, d.action, d.colour)
            .where(
                d.programme_id.in_(current),
                d.day >= since,
                or_(d.colour == "red", d.action == "regress"),
            )
            .order_by(d.day, d.id)
        )
        for r in rows:
            found[r.programme_id].append((r.day, r.action, r.colour))
        return found

    def _questionnaires(
        self, mine: Any, since: date
    ) -> tuple[dict[str, list[tuple[date, int]]], dict[str, list[date]], dict[str, list[date]]]:
        """The weekly worst pain since ``since`` (the ``score`` of a weekly pain report is its
        worst pain), and each questionnaire's latest day: all the dashboard reads of them."""
        q = questionnaire_responses.c
        worst: dict[str, list[tuple[date, int]]] = defaultdict(list)
        rows = self._run(
            select(q.person_id, q.day, q.score)
            .where(q.person_id.in_(mine), q.instrument == "weekly_pain", q.day >= since)
            .order_by(q.day)
        )
        for r in rows:
            worst[r.person_id].append((r.day, round(r.score)))
        kujala: dict[str, list[date]] = defaultdict(list)
        weekly: dict[str, list[date]] = defaultdict(list)
        latest = self._run(
            select(q.person_id, q.instrument, func.max(q.day))
            .where(q.person_id.in_(mine), q.instrument.in_(("kujala", "weekly_pain")))
            .group_by(q.person_id, q.instrument)
        )
        for person_id, instrument, day in latest:
            (kujala if instrument == "kujala" else weekly)[person_id].append(day)
        return worst, kujala, weekly

    def _recent_runs(
        self, mine: Any, since: date
    ) -> tuple[dict[str, list[date]], dict[str, list[date]]]:
        a = activities.c
        watch: dict[str, list[date]] = defaultdict(list)
        rows = self._run(
            select(a.person_id, a.local_date)
            .where(a.person_id.in_(mine), a.local_date >= since, a.sport == "running")
            .distinct()
        )
        for r in rows:
            watch[r.person_id].append(r.local_date)
        reported: dict[str, list[date]] = defaultdict(list)
        rows = self._run(
            select(checkins.c.person_id, checkins.c.day)
            .join(runs, runs.c.checkin_id == checkins.c.id)
            .where(checkins.c.person_id.in_(mine), checkins.c.day >= since)
        )
        for r in rows:
            reported[r.person_id].append(r.day)
        return watch, reported

    def _unread(self, clinic_id: str) -> dict[str, int]:
        m = clinic_messages.c
        rows = self._run(
            select(m.person_id, func.count())
            .where(
                and_(m.clinic_id == clinic_id, m.sender == Sender.RUNNER.value),
                m.read_at.is_(None),
            )
            .group_by(m.person_id)
        )
        return {r[0]: int(r[1]) for r in rows}

    # --- messages and sessions -----------------------------------------------------------------

    def add_message(self, message: Message) -> None:
        self._run(insert(clinic_messages).values(**_values(message)))

    def messages(self, person_id: str, clinic_id: str) -> list[Message]:
        m = clinic_messages.c
        query = (
            select(clinic_messages)
            .where(m.person_id == person_id, m.clinic_id == clinic_id)
            .order_by(m.sent_at, m.id)
        )
        return [_record(Message, r) for r in self._run(query)]

    def mark_read(self, person_id: str, clinic_id: str, reader: Sender, at: datetime) -> None:
        m = clinic_messages.c
        self._run(
            update(clinic_messages)
            .where(
                m.person_id == person_id,
                m.clinic_id == clinic_id,
                m.sender != reader.value,
                m.read_at.is_(None),
            )
            .values(read_at=at)
        )

    def add_session(self, session: VirtualSession) -> None:
        self._run(insert(virtual_sessions).values(**_values(session)))

    def sessions(self, person_id: str, clinic_id: str) -> list[VirtualSession]:
        v = virtual_sessions.c
        query = (
            select(virtual_sessions)
            .where(v.person_id == person_id, v.clinic_id == clinic_id)
            .order_by(v.starts_at)
        )
        return [_record(VirtualSession, r) for r in self._run(query)]

    def set_session_status(self, session_id: str, status: SessionStatus) -> None:
        v = virtual_sessions.c
        self._run(update(virtual_sessions).where(v.id == session_id).values(status=status.value))

    # --- notes, audit, exercises ---------------------------------------------------------------

    def add_clinical_note(self, note: ClinicalNote) -> None:
        self._run(insert(clinical_notes).values(**_values(note)))

    def clinical_notes(self, person_id: str, clinic_id: str) -> list[ClinicalNote]:
        n = clinical_notes.c
        query = (
            select(clinical_notes)
            .where(n.person_id == person_id, n.clinic_id == clinic_id)
            .order_by(n.day, n.created_at)
        )
        return [_record(ClinicalNote, r) for r in self._run(query)]

    def log(self, entry: AuditEntry) -> None:
        self._run(insert(audit_log).values(**_values(entry)))

    def audit_of_person(self, person_id: str) -> list[AuditEntry]:
        a = audit_log.c
        query = select(audit_log).where(a.person_id == person_id).order_by(a.at.desc(), a.id)
        return [_record(AuditEntry, r) for r in self._run(query)]

    def audit_of_clinic(self, clinic_id: str, limit: int) -> list[AuditEntry]:
        a = audit_log.c
        query = (
            select(audit_log)
            .where(a.clinic_id == clinic_id)
            .order_by(a.at.desc(), a.id.desc())
            .limit(limit)
        )
        return [_record(AuditEntry, r) for r in self._run(query)]

    def add_exercise(self, exercise: ClinicExercise) -> None:
        card = {
            "name": exercise.name,
            "purpose": exercise.purpose,
            "how": list(exercise.how),
            "cues": list(exercise.cues),
            "sets": exercise.sets,
            "reps": exercise.reps,
            "hold_seconds": exercise.hold_seconds,
        }
        self._run(
            insert(clinic_exercises).values(
                id=exercise.id,
                clinic_id=exercise.clinic_id,
                card=json.dumps(card, sort_keys=True),
                created_by=exercise.created_by,
                created_at=exercise.created_at,
                media_type=exercise.media_type,
                media=exercise.media,
            )
        )

    def exercises(self, clinic_id: str) -> list[ClinicExercise]:
        e = clinic_exercises.c
        columns = [e.id, e.clinic_id, e.card, e.created_by, e.created_at, e.media_type]
        query = select(*columns).where(e.clinic_id == clinic_id).order_by(e.created_at)
        return [_exercise(r, None) for r in self._run(query)]

    def exercise(self, clinic_id: str, exercise_id: str) -> ClinicExercise | None:
        e = clinic_exercises.c
        query = select(clinic_exercises).where(e.clinic_id == clinic_id, e.id == exercise_id)
        row = self._run(query).first()
        return None if row is None else _exercise(row, row.media)

    def set_video_link(self, clinic_id: str, link: str) -> None:
        self._run(update(clinics).where(clinics.c.id == clinic_id).values(video_link=link))

    def session(self, session_id: str) -> VirtualSession | None:
        v = virtual_sessions.c
        row = self._run(select(virtual_sessions).where(v.id == session_id)).first()
        return None if row is None else _record(VirtualSession, row)


R = TypeVar("R")


def _values(record: Any) -> dict[str, Any]:
    """A record's fields as its row's values: the tables name their columns as the records
    name their fields; an enum is stored as its value."""
    found = {}
    for f in fields(record):
        value = getattr(record, f.name)
        found[f.name] = value.value if isinstance(value, Enum) else value
    return found


def _record(kind: type[R], row: Row[Any]) -> R:
    """The record of ``kind`` a row holds (``_values`` the other way round)."""
    readers = _readers(cast(Any, kind))  # a class is hashable: mypy does not know type[R] is
    return kind(**{name: read(getattr(row, name)) for name, read in readers})


@cache
def _readers(kind: type[Any]) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
    """Each field of ``kind`` and how to read its column: an enum from its value."""
    hints = get_type_hints(kind)

    def reader(hint: Any) -> Callable[[Any], Any]:
        if isinstance(hint, type) and issubclass(hint, Enum):
            return hint
        return _same

    return tuple((f.name, reader(hints[f.name])) for f in fields(kind))


def _same(value: Any) -> Any:
    return value


def _exercise(row: Row[Any], media: bytes | None) -> ClinicExercise:
    card = json.loads(row.card)
    return ClinicExercise(
        id=row.id,
        clinic_id=row.clinic_id,
        name=card["name"],
        purpose=card["purpose"],
        how=tuple(card["how"]),
        cues=tuple(card["cues"]),
        sets=card["sets"],
        reps=card["reps"],
        hold_seconds=card["hold_seconds"],
        created_by=row.created_by,
        created_at=row.created_at,
        media_type=row.media_type,
        media=media,
    )
