"""Activities imported from watch files (FIT, GPX, TCX).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _number(name: str) -> sa.Column[object]:
    return sa.Column(name, sa.Float(), nullable=True)


def upgrade() -> None:
    op.create_table(
        "activities",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("leg", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("file_format", sa.String(length=32), nullable=False),
        sa.Column("sport", sa.String(length=32), nullable=False),
        sa.Column("sport_source", sa.String(length=32), nullable=False),
        sa.Column("sub_sport", sa.Text(), nullable=True),
        sa.Column("start_utc", sa.DateTime(timezone=True), nullable=False),
        sa.Column("utc_offset_minutes", sa.Integer(), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("elapsed_s", sa.Float(), nullable=False),
        sa.Column("moving_s", sa.Float(), nullable=False),
        _number("distance_km"),
        _number("elevation_gain_m"),
        _number("downhill_km"),
        _number("cadence_spm"),
        _number("avg_hr"),
        sa.Column("indoor", sa.Boolean(), nullable=False),
        sa.Column("device", sa.Text(), nullable=True),
        sa.Column("partial", sa.Text(), nullable=True),
        sa.Column("metrics", sa.Text(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_activities_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activities")),
        sa.UniqueConstraint(
            "person_id",
            "content_hash",
            "leg",
            name=op.f("uq_activities_person_id_content_hash_leg"),
        ),
    )
    op.create_index(
        op.f("ix_activities_person_id_local_date"),
        "activities",
        ["person_id", "local_date"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_activities_person_id_local_date"), table_name="activities")
    op.drop_table("activities")
