"""The journal's tables, in SQLAlchemy Core: the single description the repository queries
and Alembic's autogenerate compares the migrations against.

Stored documents (assessments, check-ins) are kept as the compact JSON text they arrived as, so
an export gives back the runner's own words; the check-in's exercises, run and cross-training
are also spread into child rows so that dashboards can query them without parsing JSON. Every
row hangs off ``people`` by a cascading foreign key, so deleting a person deletes everything.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"""Named constraints, so later SQLite migrations (batch mode) can find them to alter them."""

metadata = MetaData(naming_convention=NAMING)

ID = String(64)
"""People, programmes and notes are named by text ids (uuid hex or the runner's own)."""

WORD = String(32)
"""Enumerated values (action, disposition, colour, status, instrument...)."""


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware instant, stored in UTC and read back as UTC.

    SQLite has no time zones: it keeps the text of the naive UTC time and this type puts the
    UTC back on reading, so a value read back equals the one written (export and import
    round-trip exactly). PostgreSQL keeps ``timestamptz`` and we normalise to UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value.isoformat()} cannot be stored: give a zone")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _person_id() -> Column[str]:
    return Column("person_id", ID, ForeignKey("people.id", ondelete="CASCADE"), nullable=False)


def _checkin_id() -> Column[int]:
    return Column(
        "checkin_id", Integer, ForeignKey("checkins.id", ondelete="CASCADE"), nullable=False
    )


people = Table(
    "people",
    metadata,
    Column("id", ID, primary_key=True),
    Column("name", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("revision", BigInteger, nullable=False, server_default="0"),
)
"""``revision`` changes whenever a row of ``REVISED`` for the person changes (database
triggers, migration 0011): what was worked out from those rows holds while it does."""

REVISED = (
    "programmes",
    "decisions",
    "checkins",
    "assessments",
    "questionnaire_responses",
    "overrides",
    "activities",
    "lessons_read",
    "clinic_members",
    "clinic_messages",
)
"""The tables whose changes revise their person: the day's plan reads each of them, and the
Today page's clinic panel the last two (migration 0012; a clinic's new name revises its
members too)."""

assessments = Table(
    "assessments",
    metadata,
    _person_id(),
    Column("version", Integer, nullable=False),
    Column("recorded_on", Date, nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
    Column("document", Text, nullable=False),
    Column("disposition", WORD, nullable=False),
    PrimaryKeyConstraint("person_id", "version"),
)

programmes = Table(
    "programmes",
    metadata,
    Column("id", ID, primary_key=True),
    _person_id(),
    Column("position", Integer, nullable=False),
    Column("assessment_version", Integer, nullable=False),
    Column("started_on", Date, nullable=False),
    Column("ended_on", Date, nullable=True),
    Column("start_state", Text, nullable=False),
    Column("state", Text, nullable=False),
    Column("phase", Integer, nullable=False),
    Column("status", WORD, nullable=False),
    Column("evaluated_through", Date, nullable=True),
    Index(None, "person_id", "started_on"),
)
"""``position`` numbers a person's programmes in the order they were added (the tie-break the
in-memory journal has); ``phase``, ``status`` and ``evaluated_through`` copy ``state``."""

decisions = Table(
    "decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "programme_id",
        ID,
        ForeignKey("programmes.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("day", Date, nullable=False),
    Column("action", WORD, nullable=False),
    Column("disposition", WORD, nullable=False),
    Column("colour", WORD, nullable=True),
    Column("phase", Integer, nullable=False),
    Column("rung", Integer, nullable=False),
    Column("reasons", Text, nullable=False),
    Index(None, "programme_id", "day"),
)

checkins = Table(
    "checkins",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _person_id(),
    Column("day", Date, nullable=False),
    Column("document", Text, nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
    Column("revision", Integer, nullable=False),
    UniqueConstraint("person_id", "day"),
)
"""The unique (person_id, day) index also serves "this person's check-ins since a day"."""

exercise_logs = Table(
    "exercise_logs",
    metadata,
    _checkin_id(),
    Column("position", Integer, nullable=False),
    Column("exercise_id", Text, nullable=False),
    Column("sets", Integer, nullable=False),
    Column("reps", Integer, nullable=True),
    Column("hold_seconds", Integer, nullable=True),
    Column("max_pain", Integer, nullable=True),
    PrimaryKeyConstraint("checkin_id", "position"),
)

runs = Table(
    "runs",
    metadata,
    Column(
        "checkin_id",
        Integer,
        ForeignKey("checkins.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    Column("minutes", Float, nullable=False),
    Column("distance_km", Float, nullable=True),
    Column("max_pain", Integer, nullable=False),
    Column("pain_rose_during", Boolean, nullable=False),
    Column("settled_within_minutes", Float, nullable=True),
    Column("changed_stride", Boolean, nullable=False),
    Column("activity_id", Text, nullable=True),
)

cross_training = Table(
    "cross_training",
    metadata,
    _checkin_id(),
    Column("position", Integer, nullable=False),
    Column("kind", WORD, nullable=False),
    Column("minutes", Float, nullable=False),
    Column("max_pain", Integer, nullable=True),
    PrimaryKeyConstraint("checkin_id", "position"),
)

questionnaire_responses = Table(
    "questionnaire_responses",
    metadata,
    _person_id(),
    Column("instrument", WORD, nullable=False),
    Column("day", Date, nullable=False),
    Column("answers", Text, nullable=False),
    Column("score", Float, nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("person_id", "instrument", "day"),
)

notes = Table(
    "notes",
    metadata,
    Column("id", ID, primary_key=True),
    _person_id(),
    Column("position", Integer, nullable=False),
    Column("day", Date, nullable=False),
    Column("author", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Index(None, "person_id", "day"),
)
"""``position`` keeps the order notes were added, for notes written at the same moment."""

activities = Table(
    "activities",
    metadata,
    Column("id", ID, primary_key=True),
    _person_id(),
    Column("content_hash", String(64), nullable=False),
    Column("leg", Integer, nullable=False),
    Column("file_name", Text, nullable=False),
    Column("file_format", WORD, nullable=False),
    Column("sport", WORD, nullable=False),
    Column("sport_source", WORD, nullable=False),
    Column("sub_sport", Text, nullable=True),
    Column("start_utc", UtcDateTime, nullable=False),
    Column("utc_offset_minutes", Integer, nullable=False),
    Column("local_date", Date, nullable=False),
    Column("elapsed_s", Float, nullable=False),
    Column("moving_s", Float, nullable=False),
    Column("distance_km", Float, nullable=True),
    Column("elevation_gain_m", Float, nullable=True),
    Column("downhill_km", Float, nullable=True),
    Column("cadence_spm", Float, nullable=True),
    Column("avg_hr", Float, nullable=True),
    Column("indoor", Boolean, nullable=False),
    Column("device", Text, nullable=True),
    Column("partial", Text, nullable=True),
    Column("metrics", Text, nullable=False),
    Column("imported_at", UtcDateTime, nullable=False),
    UniqueConstraint("person_id", "content_hash", "leg"),
    Index(None, "person_id", "local_date"),
)
"""Activities imported from watch files. The headline figures are columns, for lists and
dashboards; ``metrics`` keeps everything measured (cadence distribution, speed work, walk/run
intervals) as JSON. The unique (person, content hash, leg) is the first duplicate check."""

lessons_read = Table(
    "lessons_read",
    metadata,
    _person_id(),
    Column("lesson_id", String(80), nullable=False),
    Column("day", Date, nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("person_id", "lesson_id"),
)
"""The core lessons of week 1 (``education.toml``) each person marked as read, once: the day
they read it. ``lesson_id`` names a lesson of the content, not a row."""

accounts = Table(
    "accounts",
    metadata,
    Column("id", ID, primary_key=True),
    Column("email", String(254), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column(
        "person_id",
        ID,
        ForeignKey("people.id", ondelete="CASCADE"),
        nullable=False,
        unique=True,
    ),
    Column("timezone", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("password_changed_at", UtcDateTime, nullable=False),
    Column("language", String(8), nullable=False, server_default="en"),
    Column("units", String(4), nullable=False, server_default="km"),
)
"""Web accounts: one per person. Deleting the person deletes the account (and its sessions);
only the argon2id hash of the password is kept. ``language`` ("en", "de") and ``units`` ("km",
"mi") are how the runner reads RunRehab."""

web_sessions = Table(
    "web_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("account_id", ID, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Index(None, "account_id"),
)
"""Signed-in browsers (and API clients). Only a SHA-256 of the session token is stored, so a
copy of the database does not let anyone sign in; the CSRF token is the session's own."""

import_jobs = Table(
    "import_jobs",
    metadata,
    Column("id", ID, primary_key=True),
    _person_id(),
    Column("status", WORD, nullable=False),
    Column("file_name", Text, nullable=False),
    Column("total", Integer, nullable=False),
    Column("done", Integer, nullable=False),
    Column("report", Text, nullable=True),
    Column("message", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("finished_at", UtcDateTime, nullable=True),
    Index(None, "person_id", "created_at"),
)
"""Watch-file imports running in the background: the web page polls ``done`` of ``total``;
``report`` is the finished import's JSON summary, ``message`` why it failed."""

throttle = Table(
    "throttle",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("first_failure_at", UtcDateTime, nullable=False),
    Column("last_failure_at", UtcDateTime, nullable=False),
    Column("blocked_until", UtcDateTime, nullable=True),
)
"""Failed password checks per key (an e-mail from unknown browsers, a trusted browser, a client
address, an account's password re-checks), kept in the database so every server process counts
the same failures. ``blocked_until`` grows with each failure past the free ones (a delay, not a
lock); the count starts again once the window has passed without a failure."""

trusted_devices = Table(
    "trusted_devices",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("account_id", ID, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Index(None, "account_id"),
)
"""Browsers that signed in to an account before (OWASP's device cookies): only a SHA-256 of
the cookie's token is kept. Such a browser has an allowance of its own, so failures sent by
anyone else for that e-mail never keep the runner's own browser out."""


# --- the clinic ---------------------------------------------------------------------------------

clinics = Table(
    "clinics",
    metadata,
    Column("id", ID, primary_key=True),
    Column("name", Text, nullable=False),
    Column("video_link", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

clinic_staff = Table(
    "clinic_staff",
    metadata,
    Column("account_id", ID, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column("clinic_id", ID, ForeignKey("clinics.id", ondelete="CASCADE"), nullable=False),
    Column("role", WORD, nullable=False),
    Column("name", Text, nullable=False),
    Column("joined_at", UtcDateTime, nullable=False),
    Index(None, "clinic_id"),
)
"""A clinician belongs to one clinic; deleting the account deletes the row."""

clinic_invitations = Table(
    "clinic_invitations",
    metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("clinic_id", ID, ForeignKey("clinics.id", ondelete="CASCADE"), nullable=False),
    Column("kind", WORD, nullable=False),
    Column("created_by", ID, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("used_at", UtcDateTime, nullable=True),
)
"""Only a SHA-256 of an invitation's code is kept."""

clinic_members = Table(
    "clinic_members",
    metadata,
    Column("person_id", ID, ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("clinic_id", ID, ForeignKey("clinics.id", ondelete="CASCADE"), nullable=False),
    Column("joined_at", UtcDateTime, nullable=False),
    Index(None, "clinic_id"),
)
"""The runners of a clinic: one clinic per runner; leaving deletes the row at once."""

overrides = Table(
    "overrides",
    metadata,
    Column("id", ID, primary_key=True),
    _person_id(),
    Column("clinic_id", ID, nullable=False),
    Column("position", Integer, nullable=False),
    Column("kind", WORD, nullable=False),
    Column("day", Date, nullable=False),
    Column("until", Date, nullable=True),
    Column("reason", Text, nullable=False),
    Column("fields", Text, nullable=False),
    Column("author_id", ID, nullable=False),
    Column("author_name", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("undone_at", UtcDateTime, nullable=True),
    Column("undone_by", Text, nullable=True),
    Index(None, "person_id", "position"),
)
"""What a physiotherapist set in a runner's programme: part of the runner's journal (the fold
reads it, in ``position`` order: the order they were set), kept after the runner leaves the
clinic; ``fields`` holds the kind's values as
JSON (phase, rung, days, exercise, dose, minutes)."""

clinic_messages = Table(
    "clinic_messages",
    metadata,
    Column("id", ID, primary_key=True),
    _person_id(),
    Column("clinic_id", ID, ForeignKey("clinics.id", ondelete="CASCADE"), nullable=False),
    Column("sender", WORD, nullable=False),
    Column("author_id", ID, nullable=False),
    Column("author_name", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("sent_at", UtcDateTime, nullable=False),
    Column("read_at", UtcDateTime, nullable=True),
    Index(None, "person_id", "clinic_id", "sent_at"),
)

virtual_sessions = Table(
    "virtual_sessions",
    metadata,
    Column("id", ID, primary_key=True),
    _person_id(),
    Column("clinic_id", ID, ForeignKey("clinics.id", ondelete="CASCADE"), nullable=False),
    Column("proposed_by", ID, nullable=False),
    Column("clinician_name", Text, nullable=False),
    Column("starts_at", UtcDateTime, nullable=False),
    Column("minutes", Integer, nullable=False),
    Column("status", WORD, nullable=False),
    Column("video_link", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Index(None, "person_id", "starts_at"),
)

clinical_notes = Table(
    "clinical_notes",
    metadata,
    Column("id", ID, primary_key=True),
    _person_id(),
    Column("clinic_id", ID, ForeignKey("clinics.id", ondelete="CASCADE"), nullable=False),
    Column("author_id", ID, nullable=False),
    Column("author_name", Text, nullable=False),
    Column("day", Date, nullable=False),
    Column("subjective", Text, nullable=False),
    Column("objective", Text, nullable=False),
    Column("assessment", Text, nullable=False),
    Column("plan", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Index(None, "person_id", "day"),
)
"""Private to the clinic: the runner sees that a note was written (the audit), not its text."""

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("person_id", ID, ForeignKey("people.id", ondelete="CASCADE"), nullable=True),
    Column("clinic_id", ID, nullable=False),
    Column("actor_id", ID, nullable=False),
    Column("actor_name", Text, nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("action", WORD, nullable=False),
    Column("what", Text, nullable=False),
    Column("address", Text, nullable=False),
    Index(None, "person_id", "at"),
    Index(None, "clinic_id", "at"),
)
"""Every clinician read and write of a runner's data. It goes with the runner when they
delete themselves (it is about them); the clinic's own entries (no person) stay."""

clinic_exercises = Table(
    "clinic_exercises",
    metadata,
    Column("id", ID, primary_key=True),
    Column("clinic_id", ID, ForeignKey("clinics.id", ondelete="CASCADE"), nullable=False),
    Column("card", Text, nullable=False),
    Column("created_by", ID, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("media_type", String(64), nullable=True),
    Column("media", LargeBinary, nullable=True),
    Index(None, "clinic_id"),
)
"""The clinic's own exercises: ``card`` the fields a built-in exercise has (JSON), ``media``
a picture or a short video of the clinic's, served by RunRehab itself."""

calendar_feeds = Table(
    "calendar_feeds",
    metadata,
    Column("person_id", ID, ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("token_hash", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("token_hash"),
)
"""The runner's private calendar feed: only the SHA-256 of its token (the URL's secret)."""

reminder_settings = Table(
    "reminder_settings",
    metadata,
    Column("person_id", ID, ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("checkin_at", String(5), nullable=True),
    Column("run_day_at", String(5), nullable=True),
    Column("by_email", Boolean, nullable=False),
    Column("by_push", Boolean, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)
"""The reminders a runner chose: each at a local time of day (``HH:MM``, none: off)."""

push_subscriptions = Table(
    "push_subscriptions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _person_id(),
    Column("endpoint", String(1000), nullable=False),
    Column("subscription", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("endpoint"),
    Index(None, "person_id"),
)
"""A browser's Web Push subscription (its JSON, as the browser gave it)."""

reminders_sent = Table(
    "reminders_sent",
    metadata,
    _person_id(),
    Column("kind", WORD, nullable=False),
    Column("day", Date, nullable=False),
    Column("sent_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("person_id", "kind", "day"),
)
"""Each reminder sent, on the runner's own day: never twice a day."""

push_keys = Table(
    "push_keys",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("private_key", Text, nullable=False),
    Column("public_key", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)
"""The server's VAPID key pair for Web Push, made at first start (one row, id 1)."""

movement_checks = Table(
    "movement_checks",
    metadata,
    Column("id", ID, primary_key=True),
    _person_id(),
    Column("created_at", UtcDateTime, nullable=False),
    Column("exercise", WORD, nullable=False),
    Column("view", WORD, nullable=True),
    Column("status", WORD, nullable=False),
    Column("reason", Text, nullable=True),
    Column("progress", Integer, nullable=False),
    Column("file_name", Text, nullable=False),
    Column("keep_video", Boolean, nullable=False),
    Column("result", Text, nullable=True),
    Column("landmarks", Text, nullable=True),
    Column("finished_at", UtcDateTime, nullable=True),
    Index(None, "person_id", "created_at"),
)
"""A movement check (a filmed single-leg squat, step-down...): queued, processing (``progress``
0-100), done with ``result`` (the figures, JSON) and ``landmarks`` (the pose per frame, JSON),
or failed with ``reason``. ``view`` is the one asked (None: detected)."""

movement_frames = Table(
    "movement_frames",
    metadata,
    Column("check_id", ID, ForeignKey("movement_checks.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("time_s", Float, nullable=False),
    Column("media_type", String(32), nullable=False),
    Column("image", LargeBinary, nullable=False),
    PrimaryKeyConstraint("check_id", "position"),
)
"""A check's key frames: one per repetition at its deepest point, the skeleton and the angles
drawn on it (JPEG)."""

movement_videos = Table(
    "movement_videos",
    metadata,
    Column(
        "check_id",
        ID,
        ForeignKey("movement_checks.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("media_type", String(64), nullable=False),
    Column("video", LargeBinary, nullable=False),
)
"""The runner's own video, only when they ticked "keep my video" (kept in the database, so
deleting the check or the account deletes it, and nothing lingers on a disk)."""

# --- the clinic's FHIR bulk exports ---------------------------------------------------------------

clinic_exports = Table(
    "clinic_exports",
    metadata,
    Column("id", ID, primary_key=True),
    Column("clinic_id", ID, ForeignKey("clinics.id", ondelete="CASCADE"), nullable=False),
    Column("requested_by", ID, nullable=False),
    Column("requested_name", Text, nullable=False),
    Column("address", Text, nullable=False),
    Column("language", WORD, nullable=False),
    Column("status", WORD, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("total", Integer, nullable=False),
    Column("done", Integer, nullable=False),
    Column("message", Text, nullable=True),
    Column("finished_at", UtcDateTime, nullable=True),
    Index(None, "clinic_id", "created_at"),
)
"""A whole-clinic FHIR export an admin started: queued, running (``done`` of ``total``
patients), done, or failed with ``message`` (its lines are counted when read: a runner
who erases their data takes theirs away). ``requested_by``, ``requested_name`` and
``address`` say who asked, for the audit entries the job writes; ``language`` is the one its
words are in."""

clinic_export_lines = Table(
    "clinic_export_lines",
    metadata,
    Column("export_id", ID, ForeignKey("clinic_exports.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    _person_id(),
    Column("kind", WORD, nullable=False),
    Column("line", LargeBinary, nullable=False),
    PrimaryKeyConstraint("export_id", "position"),
    UniqueConstraint("export_id", "person_id"),
)
"""One patient's line of an export: a FHIR ``Bundle`` or, when their record could not be
exported, an ``OperationOutcome`` (``kind``), as zlib-compressed JSON. It belongs to its
person too: a runner who erases their data takes their line out of every export."""
