"""The clinic's FHIR bulk exports: each export, and its lines (a patient's Bundle, or an
OperationOutcome saying why their record could not be exported).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "clinic_exports",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("clinic_id", sa.String(length=64), nullable=False),
        sa.Column("requested_by", sa.String(length=64), nullable=False),
        sa.Column("requested_name", sa.Text(), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["clinic_id"],
            ["clinics.id"],
            name=op.f("fk_clinic_exports_clinic_id_clinics"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clinic_exports")),
    )
    with op.batch_alter_table("clinic_exports", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_clinic_exports_clinic_id_created_at"),
            ["clinic_id", "created_at"],
            unique=False,
        )
    op.create_table(
        "clinic_export_lines",
        sa.Column("export_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("line", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["export_id"],
            ["clinic_exports.id"],
            name=op.f("fk_clinic_export_lines_export_id_clinic_exports"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_clinic_export_lines_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("export_id", "position", name=op.f("pk_clinic_export_lines")),
        sa.UniqueConstraint(
            "export_id", "person_id", name=op.f("uq_clinic_export_lines_export_id_person_id")
        ),
    )


def downgrade() -> None:
    op.drop_table("clinic_export_lines")
    with op.batch_alter_table("clinic_exports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clinic_exports_clinic_id_created_at"))
    op.drop_table("clinic_exports")
