"""The journal: people, assessments, programmes, decisions, check-ins (with their exercises,
runs and cross-training), questionnaire responses and notes.

Revision ID: 0001
Revises:
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.String(length=64)
WORD = sa.String(length=32)


def _instant(name: str) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def _owner(table: str, column: str = "person_id", parent: str = "people") -> sa.Constraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{parent}.id"], name=op.f(f"fk_{table}_{column}_{parent}"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "people",
        sa.Column("id", ID, nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        _instant("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
    )
    op.create_table(
        "assessments",
        sa.Column("person_id", ID, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        _instant("recorded_at"),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("disposition", WORD, nullable=False),
        _owner("assessments"),
        sa.PrimaryKeyConstraint("person_id", "version", name=op.f("pk_assessments")),
    )
    op.create_table(
        "programmes",
        sa.Column("id", ID, nullable=False),
        sa.Column("person_id", ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("assessment_version", sa.Integer(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("start_state", sa.Text(), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.Column("phase", sa.Integer(), nullable=False),
        sa.Column("status", WORD, nullable=False),
        sa.Column("evaluated_through", sa.Date(), nullable=True),
        _owner("programmes"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programmes")),
    )
    op.create_index(
        op.f("ix_programmes_person_id_started_on"), "programmes", ["person_id", "started_on"]
    )
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("programme_id", ID, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("action", WORD, nullable=False),
        sa.Column("disposition", WORD, nullable=False),
        sa.Column("colour", WORD, nullable=True),
        sa.Column("phase", sa.Integer(), nullable=False),
        sa.Column("rung", sa.Integer(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        _owner("decisions", "programme_id", "programmes"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decisions")),
    )
    op.create_index(op.f("ix_decisions_programme_id_day"), "decisions", ["programme_id", "day"])
    op.create_table(
        "checkins",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("person_id", ID, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        _instant("recorded_at"),
        sa.Column("revision", sa.Integer(), nullable=False),
        _owner("checkins"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkins")),
        sa.UniqueConstraint("person_id", "day", name=op.f("uq_checkins_person_id_day")),
    )
    op.create_table(
        "exercise_logs",
        sa.Column("checkin_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("exercise_id", sa.Text(), nullable=False),
        sa.Column("sets", sa.Integer(), nullable=False),
        sa.Column("reps", sa.Integer(), nullable=True),
        sa.Column("hold_seconds", sa.Integer(), nullable=True),
        sa.Column("max_pain", sa.Integer(), nullable=True),
        _owner("exercise_logs", "checkin_id", "checkins"),
        sa.PrimaryKeyConstraint("checkin_id", "position", name=op.f("pk_exercise_logs")),
    )
    op.create_table(
        "runs",
        sa.Column("checkin_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("minutes", sa.Float(), nullable=False),
        sa.Column("distance_km", sa.Float(), nullable=True),
        sa.Column("max_pain", sa.Integer(), nullable=False),
        sa.Column("pain_rose_during", sa.Boolean(), nullable=False),
        sa.Column("settled_within_minutes", sa.Float(), nullable=True),
        sa.Column("changed_stride", sa.Boolean(), nullable=False),
        sa.Column("activity_id", sa.Text(), nullable=True),
        _owner("runs", "checkin_id", "checkins"),
        sa.PrimaryKeyConstraint("checkin_id", name=op.f("pk_runs")),
    )
    op.create_table(
        "cross_training",
        sa.Column("checkin_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", WORD, nullable=False),
        sa.Column("minutes", sa.Float(), nullable=False),
        sa.Column("max_pain", sa.Integer(), nullable=True),
        _owner("cross_training", "checkin_id", "checkins"),
        sa.PrimaryKeyConstraint("checkin_id", "position", name=op.f("pk_cross_training")),
    )
    op.create_table(
        "questionnaire_responses",
        sa.Column("person_id", ID, nullable=False),
        sa.Column("instrument", WORD, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        _instant("recorded_at"),
        _owner("questionnaire_responses"),
        sa.PrimaryKeyConstraint(
            "person_id", "instrument", "day", name=op.f("pk_questionnaire_responses")
        ),
    )
    op.create_table(
        "notes",
        sa.Column("id", ID, nullable=False),
        sa.Column("person_id", ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("author", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        _instant("created_at"),
        _owner("notes"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notes")),
    )
    op.create_index(op.f("ix_notes_person_id_day"), "notes", ["person_id", "day"])


def downgrade() -> None:
    for table in (
        "notes",
        "questionnaire_responses",
        "cross_training",
        "runs",
        "exercise_logs",
        "checkins",
        "decisions",
        "programmes",
        "assessments",
        "people",
    ):
        op.drop_table(table)
