"""Movement checks: a filmed exercise's figures, pose landmarks and key frames, and the video
itself only when the runner chose to keep it.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "movement_checks",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("exercise", sa.String(length=32), nullable=False),
        sa.Column("view", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("keep_video", sa.Boolean(), nullable=False),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("landmarks", sa.Text(), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_movement_checks_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_movement_checks")),
    )
    with op.batch_alter_table("movement_checks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_movement_checks_person_id_created_at"),
            ["person_id", "created_at"],
            unique=False,
        )
    op.create_table(
        "movement_frames",
        sa.Column("check_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("time_s", sa.Float(), nullable=False),
        sa.Column("media_type", sa.String(length=32), nullable=False),
        sa.Column("image", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["check_id"],
            ["movement_checks.id"],
            name=op.f("fk_movement_frames_check_id_movement_checks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("check_id", "position", name=op.f("pk_movement_frames")),
    )
    op.create_table(
        "movement_videos",
        sa.Column("check_id", sa.String(length=64), nullable=False),
        sa.Column("media_type", sa.String(length=64), nullable=False),
        sa.Column("video", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["check_id"],
            ["movement_checks.id"],
            name=op.f("fk_movement_videos_check_id_movement_checks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("check_id", name=op.f("pk_movement_videos")),
    )


def downgrade() -> None:
    op.drop_table("movement_videos")
    op.drop_table("movement_frames")
    with op.batch_alter_table("movement_checks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_movement_checks_person_id_created_at"))
    op.drop_table("movement_checks")
