"""The journal export format (``runrehab-journal``, version 1): one person, everything kept.

Documented in ``docs/export-format.md``. Writing turns the journal's records into JSON values;
reading checks the whole file with pydantic (unknown keys are errors), re-validates every
assessment and check-in against its contract, and only then builds records, so a damaged file
is refused with the JSON path of each problem and nothing is stored from it.
"""

from __future__ import annotations

import base64
from collections.abc import Collection
from datetime import UTC, date, datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from runrehab.adapters.documents import read_assessment, read_checkin
from runrehab.engine.activity import Sport, SportSource
from runrehab.engine.overrides import VALUES, Override, OverrideKind, values_of
from runrehab.engine.values import Disposition
from runrehab.errors import InvalidDocument, Problem
from runrehab.services.clinic.records import LIMITS
from runrehab.services.codec import (
    decision_from_json,
    decision_to_json,
    metrics_from_json,
    metrics_to_json,
    state_from_json,
    state_to_json,
)
from runrehab.services.movement.records import (
    CheckStatus,
    KeyFrame,
    MovementCheck,
    StoredMovementCheck,
    StoredVideo,
)
from runrehab.services.records import (
    Journal,
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

FORMAT = "runrehab-journal"
VERSION = 1
KIND = "export"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PersonOut(_Strict):
    id: str = Field(min_length=1, max_length=64)
    name: str = Field(max_length=200)
    created_at: AwareDatetime


class AssessmentOut(_Strict):
    version: int = Field(ge=1)
    recorded_on: date
    recorded_at: AwareDatetime
    disposition: Disposition
    document: dict[str, Any]


class ReasonOut(_Strict):
    rule: str
    detail: str = ""
    said: dict[str, Any] | None = None
    """The detail as a words key and its facts (``codec.said_to_json``), for other languages."""


class DecisionOut(_Strict):
    date: date
    action: str
    disposition: Disposition
    colour: Literal["green", "amber", "red"] | None
    phase: int = Field(ge=1, le=5)
    rung: int = Field(ge=0)
    reasons: list[ReasonOut]


class ProgrammeOut(_Strict):
    id: str = Field(min_length=1, max_length=64)
    assessment_version: int = Field(ge=1)
    started_on: date
    ended_on: date | None
    start_state: dict[str, Any]
    state: dict[str, Any]
    decisions: list[DecisionOut]


class CheckinOut(_Strict):
    date: date
    recorded_at: AwareDatetime
    revision: int = Field(ge=1)
    document: dict[str, Any]


class ResponseOut(_Strict):
    instrument: Literal["kujala", "weekly_pain", "fear_of_movement"]
    date: date
    answers: dict[str, Any]
    score: float
    recorded_at: AwareDatetime


class NoteOut(_Strict):
    id: str
    date: date
    author: str
    text: str = Field(max_length=20000)
    created_at: AwareDatetime


class ActivityOut(_Strict):
    id: str = Field(min_length=1, max_length=64)
    content_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    leg: int = Field(ge=0)
    file_name: str = Field(max_length=4000)
    file_format: Literal["fit", "gpx", "tcx", "apple-health"]
    sport: Sport
    sport_source: SportSource
    sub_sport: str | None = Field(default=None, max_length=64)
    start: AwareDatetime
    utc_offset_minutes: int = Field(ge=-16 * 60, le=16 * 60)
    local_date: date
    indoor: bool
    device: str | None = Field(default=None, max_length=200)
    partial: str | None = Field(default=None, max_length=2000)
    imported_at: AwareDatetime
    metrics: dict[str, Any]


class LessonReadOut(_Strict):
    lesson: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)
    date: date
    recorded_at: AwareDatetime


def _bounded(name: str) -> Any:
    """An override's number within the bounds its use case checks (``records.LIMITS``)."""
    low, high = LIMITS[name]
    return Field(default=None, ge=low, le=high)


class OverrideOut(_Strict):
    id: str = Field(min_length=1, max_length=64)
    kind: OverrideKind
    until: date | None = None  # before ``date``, whose name hides the type below it
    date: date
    reason: str = Field(min_length=1, max_length=500)
    clinic: str = Field(max_length=64)
    author: str = Field(max_length=200)
    author_id: str = Field(max_length=64)
    created_at: AwareDatetime
    undone_at: AwareDatetime | None = None
    undone_by: str | None = Field(default=None, max_length=200)
    phase: int | None = _bounded("phase")
    rung: int | None = _bounded("rung")
    days: int | None = _bounded("days")
    exercise: str | None = Field(default=None, max_length=64)
    name: str | None = Field(default=None, max_length=200)
    sets: int | None = _bounded("sets")
    reps: int | None = _bounded("reps")
    hold_seconds: int | None = _bounded("hold_seconds")
    minutes: int | None = _bounded("minutes")


class KeyFrameOut(_Strict):
    position: int = Field(ge=1)
    time_s: float = Field(ge=0)
    media_type: Literal["image/jpeg", "image/png"]
    image_base64: str


class MovementVideoOut(_Strict):
    media_type: str = Field(max_length=64, pattern=r"^video/[a-z0-9.+-]+$|^application/")
    video_base64: str


class MovementCheckOut(_Strict):
    id: str = Field(min_length=1, max_length=64)
    created_at: AwareDatetime
    exercise: Literal["single_leg_squat", "step_down", "squat", "lunge"]
    view: Literal["front", "side"] | None
    status: Literal["queued", "processing", "done", "failed"]
    reason: str | None = Field(default=None, max_length=2000)
    progress: int = Field(ge=0, le=100)
    file_name: str = Field(max_length=4000)
    keep_video: bool
    finished_at: AwareDatetime | None = None
    result: dict[str, Any] | None
    landmarks: dict[str, Any] | None
    key_frames: list[KeyFrameOut] = []
    video: MovementVideoOut | None = None


class ExportFile(_Strict):
    format: Literal["runrehab-journal"]
    version: Literal[1]
    exported_at: AwareDatetime
    person: PersonOut
    assessments: list[AssessmentOut]
    programmes: list[ProgrammeOut]
    checkins: list[CheckinOut]
    questionnaires: list[ResponseOut]
    notes: list[NoteOut]
    activities: list[ActivityOut] = []
    """Added after the first release of version 1: an export without it has no activities."""
    lessons_read: list[LessonReadOut] = []
    """Added with the week-1 lessons: an export without it has no lesson marked read."""
    overrides: list[OverrideOut] = []
    """Added with the clinic: what a physiotherapist set (an export without it has none)."""
    movement_checks: list[MovementCheckOut] = []
    """Added with the movement check: an export without it has none."""


# --- writing ---------------------------------------------------------------------------------


def journal_to_json(journal: Journal, exported_at: datetime) -> dict[str, Any]:
    """The export document of one person's journal."""
    p = journal.person
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": exported_at.isoformat(),
        "person": {"id": p.id, "name": p.name, "created_at": p.created_at.isoformat()},
        "assessments": [
            {
                "version": a.version,
                "recorded_on": a.recorded_on.isoformat(),
                "recorded_at": a.recorded_at.isoformat(),
                "disposition": a.disposition.value,
                "document": a.document,
            }
            for a in journal.assessments
        ],
        "programmes": [_programme_json(journal, prog) for prog in journal.programmes],
        "checkins": [
            {
                "date": c.day.isoformat(),
                "recorded_at": c.recorded_at.isoformat(),
                "revision": c.revision,
                "document": c.document,
            }
            for c in journal.checkins
        ],
        "questionnaires": [
            {
                "instrument": r.instrument,
                "date": r.day.isoformat(),
                "answers": r.answers,
                "score": r.score,
                "recorded_at": r.recorded_at.isoformat(),
            }
            for r in journal.responses
        ],
        "notes": [
            {
                "id": n.id,
                "date": n.day.isoformat(),
                "author": n.author,
                "text": n.text,
                "created_at": n.created_at.isoformat(),
            }
            for n in journal.notes
        ],
        "activities": [_activity_json(a) for a in journal.activities],
        "lessons_read": [
            {
                "lesson": r.lesson_id,
                "date": r.day.isoformat(),
                "recorded_at": r.recorded_at.isoformat(),
            }
            for r in journal.lessons_read
        ],
        "overrides": [_override_json(o) for o in journal.overrides],
        "movement_checks": [_movement_json(m) for m in journal.movement_checks],
    }


def _movement_json(stored: StoredMovementCheck) -> dict[str, Any]:
    c = stored.check
    video = stored.video
    return {
        "id": c.id,
        "created_at": c.created_at.isoformat(),
        "exercise": c.exercise,
        "view": c.view,
        "status": c.status.value,
        "reason": c.reason,
        "progress": c.progress,
        "file_name": c.file_name,
        "keep_video": c.keep_video,
        "finished_at": None if c.finished_at is None else c.finished_at.isoformat(),
        "result": c.result,
        "landmarks": c.landmarks,
        "key_frames": [
            {
                "position": f.position,
                "time_s": f.time_s,
                "media_type": f.media_type,
                "image_base64": base64.b64encode(f.image).decode("ascii"),
            }
            for f in stored.frames
        ],
        "video": None
        if video is None
        else {
            "media_type": video.media_type,
            "video_base64": base64.b64encode(video.video).decode("ascii"),
        },
    }


def _override_json(stored: StoredOverride) -> dict[str, Any]:
    o = stored.override
    return {
        "id": o.id,
        "kind": o.kind.value,
        "date": o.day.isoformat(),
        "until": None if o.until is None else o.until.isoformat(),
        "reason": o.reason,
        "clinic": stored.clinic_id,
        "author": stored.author_name,
        "author_id": stored.author_id,
        "created_at": stored.created_at.isoformat(),
        "undone_at": None if stored.undone_at is None else stored.undone_at.isoformat(),
        "undone_by": stored.undone_by,
        **values_of(o),
    }


def _activity_json(a: StoredActivity) -> dict[str, Any]:
    return {
        "id": a.id,
        "content_hash": a.content_hash,
        "leg": a.leg,
        "file_name": a.file_name,
        "file_format": a.file_format,
        "sport": a.sport.value,
        "sport_source": a.sport_source.value,
        "sub_sport": a.sub_sport,
        "start": a.start.isoformat(),
        "utc_offset_minutes": a.utc_offset_minutes,
        "local_date": a.local_date.isoformat(),
        "indoor": a.indoor,
        "device": a.device,
        "partial": a.partial,
        "imported_at": a.imported_at.isoformat(),
        "metrics": metrics_to_json(a.metrics),
    }


def _programme_json(journal: Journal, p: Programme) -> dict[str, Any]:
    return {
        "id": p.id,
        "assessment_version": p.assessment_version,
        "started_on": p.started_on.isoformat(),
        "ended_on": None if p.ended_on is None else p.ended_on.isoformat(),
        "start_state": state_to_json(p.start),
        "state": state_to_json(p.state),
        "decisions": [decision_to_json(d) for d in journal.decisions if d.programme_id == p.id],
    }


# --- reading ---------------------------------------------------------------------------------


def journal_from_json(
    document: Any, known_rules: Collection[str], known_lessons: Collection[str] | None = None
) -> Journal:
    """Check an export document and turn it into records; InvalidDocument on any problem.
    ``known_rules``: the rule ids a decision may cite (those of the shipped catalogue);
    ``known_lessons``: the lesson ids a lesson read may name (any, when None)."""
    try:
        f = ExportFile.model_validate(document)
    except ValidationError as err:
        raise InvalidDocument(KIND, [_problem(e) for e in err.errors()]) from None
    problems: list[Problem] = []
    person = Person(f.person.id, f.person.name, f.person.created_at)
    assessments = _assessments(f, problems)
    checkins = _checkins(f, problems)
    programmes, decisions = _programmes(f, {a.version for a in assessments}, problems)
    _check_rules(f, known_rules, problems)
    _check_responses(f, problems)
    activities = _activities(f, problems)
    lessons = _lessons_read(f, known_lessons, problems)
    movement = _movement_checks(f, person.id, problems)
    if problems:
        raise InvalidDocument(KIND, problems)
    return Journal(
        person=person,
        assessments=tuple(assessments),
        programmes=tuple(programmes),
        decisions=tuple(decisions),
        checkins=tuple(checkins),
        responses=tuple(
            QuestionnaireResponse(
                person.id, r.instrument, r.date, r.answers, r.score, r.recorded_at
            )
            for r in f.questionnaires
        ),
        notes=tuple(Note(n.id, person.id, n.date, n.author, n.text, n.created_at) for n in f.notes),
        activities=tuple(activities),
        lessons_read=tuple(lessons),
        overrides=tuple(_override(person.id, o) for o in f.overrides),
        movement_checks=tuple(movement),
    )


def _movement_checks(
    f: ExportFile, person_id: str, problems: list[Problem]
) -> list[StoredMovementCheck]:
    found = []
    for i, m in enumerate(f.movement_checks):
        try:
            frames = tuple(
                KeyFrame(k.position, k.time_s, k.media_type, _bytes(k.image_base64))
                for k in m.key_frames
            )
            video = (
                None
                if m.video is None
                else StoredVideo(m.video.media_type, _bytes(m.video.video_base64))
            )
        except ValueError:
            problems.append(Problem(f"$.movement_checks[{i}]", "not valid base64"))
            continue
        check = MovementCheck(
            id=m.id,
            person_id=person_id,
            created_at=m.created_at,
            exercise=m.exercise,
            view=m.view,
            status=CheckStatus(m.status),
            progress=m.progress,
            file_name=m.file_name,
            keep_video=m.keep_video,
            reason=m.reason,
            result=m.result,
            landmarks=m.landmarks,
            finished_at=m.finished_at,
        )
        found.append(StoredMovementCheck(check, frames, video))
    return found


def _bytes(text: str) -> bytes:
    return base64.b64decode(text, validate=True)


def _override(person_id: str, o: OverrideOut) -> StoredOverride:
    values = {k: getattr(o, k) for k in VALUES}
    override = Override(o.id, o.kind, o.date, o.reason, o.until, **values)
    undone = None if o.undone_at is None else o.undone_at.astimezone(UTC)
    return StoredOverride(
        person_id,
        o.clinic,
        override,
        o.author_id,
        o.author,
        o.created_at.astimezone(UTC),
        undone,
        o.undone_by,
    )


def _lessons_read(
    f: ExportFile, known: Collection[str] | None, problems: list[Problem]
) -> list[LessonRead]:
    out: list[LessonRead] = []
    seen: set[str] = set()
    for i, r in enumerate(f.lessons_read):
        where = f"$.lessons_read[{i}].lesson"
        if known is not None and r.lesson not in known:
            problems.append(Problem(where, f"{r.lesson!r} is not a RunRehab lesson"))
        elif r.lesson in seen:
            problems.append(Problem(where, f"{r.lesson!r} is marked read twice"))
        else:
            seen.add(r.lesson)
            out.append(LessonRead(f.person.id, r.lesson, r.date, r.recorded_at.astimezone(UTC)))
    return out


def _check_rules(f: ExportFile, known: Collection[str], problems: list[Problem]) -> None:
    for i, p in enumerate(f.programmes):
        for j, d in enumerate(p.decisions):
            for k, r in enumerate(d.reasons):
                if r.rule not in known:
                    where = f"$.programmes[{i}].decisions[{j}].reasons[{k}].rule"
                    problems.append(Problem(where, f"{r.rule!r} is not a RunRehab rule"))


def _check_responses(f: ExportFile, problems: list[Problem]) -> None:
    for i, r in enumerate(f.questionnaires):
        if r.instrument != "weekly_pain":
            continue
        for key in ("usual", "worst"):
            value = r.answers.get(key)
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 10:
                where = f"$.questionnaires[{i}].answers.{key}"
                problems.append(Problem(where, "must be a whole number from 0 to 10"))


def _problem(error: Any) -> Problem:
    path = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error["loc"])
    return Problem(path, str(error["msg"]).lower())


def _nested(prefix: str, err: InvalidDocument) -> list[Problem]:
    return [Problem(prefix + p.path[1:], p.message) for p in err.problems]


def _assessments(f: ExportFile, problems: list[Problem]) -> list[StoredAssessment]:
    out = []
    for i, a in enumerate(f.assessments):
        try:
            engine_value = read_assessment(a.document)
        except InvalidDocument as err:
            problems.extend(_nested(f"$.assessments[{i}].document", err))
            continue
        out.append(
            StoredAssessment(
                f.person.id,
                a.version,
                a.recorded_on,
                a.document,
                engine_value,
                a.disposition,
                a.recorded_at,
            )
        )
    return out


def _checkins(f: ExportFile, problems: list[Problem]) -> list[StoredCheckin]:
    out = []
    seen: set[date] = set()
    for i, c in enumerate(f.checkins):
        try:
            engine_value = read_checkin(c.document)
        except InvalidDocument as err:
            problems.extend(_nested(f"$.checkins[{i}].document", err))
            continue
        if engine_value.date != c.date or c.date in seen:
            problems.append(Problem(f"$.checkins[{i}].date", "does not match the check-in"))
            continue
        seen.add(c.date)
        out.append(
            StoredCheckin(f.person.id, c.date, c.document, engine_value, c.recorded_at, c.revision)
        )
    return out


def _programmes(
    f: ExportFile, versions: set[int], problems: list[Problem]
) -> tuple[list[Programme], list[Any]]:
    programmes, decisions = [], []
    for i, p in enumerate(f.programmes):
        if p.assessment_version not in versions:
            problems.append(
                Problem(f"$.programmes[{i}].assessment_version", "names no assessment in the file")
            )
            continue
        try:
            start, state = state_from_json(p.start_state), state_from_json(p.state)
            mine = [decision_from_json(p.id, d.model_dump(mode="json")) for d in p.decisions]
        except (ValueError, KeyError, TypeError) as err:
            problems.append(Problem(f"$.programmes[{i}]", f"is not a valid programme ({err})"))
            continue
        programmes.append(
            Programme(
                p.id, f.person.id, p.assessment_version, p.started_on, start, state, p.ended_on
            )
        )
        decisions.extend(mine)
    return programmes, decisions


def _activities(f: ExportFile, problems: list[Problem]) -> list[StoredActivity]:
    out = []
    for i, a in enumerate(f.activities):
        try:
            metrics = metrics_from_json(a.metrics)
            if not (metrics.elapsed_s >= 0 and 0 <= metrics.moving_s <= metrics.elapsed_s + 1):
                raise ValueError("times out of range")
        except (ValueError, KeyError, TypeError, AttributeError) as err:
            problems.append(Problem(f"$.activities[{i}].metrics", f"are not valid ({err})"))
            continue
        out.append(
            StoredActivity(
                id=a.id,
                person_id=f.person.id,
                content_hash=a.content_hash,
                leg=a.leg,
                file_name=a.file_name,
                file_format=a.file_format,
                sport=a.sport,
                sport_source=a.sport_source,
                start=a.start.astimezone(UTC),
                utc_offset_minutes=a.utc_offset_minutes,
                local_date=a.local_date,
                metrics=metrics,
                imported_at=a.imported_at.astimezone(UTC),
                sub_sport=a.sub_sport,
                indoor=a.indoor,
                device=a.device,
                partial=a.partial,
            )
        )
    keys = [(a.content_hash, a.leg) for a in out]
    if len(set(keys)) != len(keys) or len({a.id for a in out}) != len(out):
        problems.append(Problem("$.activities", "holds the same activity twice"))
    return out
