"""The runner's clinic revises their journal too: joining or leaving a clinic, a message sent
or read, and the clinic's new name change ``people.revision`` (migration 0011), so the Today
page, whose clinic panel shows them, is kept while the revision holds (``services.clinic.care``).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PERSON_TABLES = ("clinic_members", "clinic_messages")
"""Tables with a ``person_id`` that the Today page's clinic panel reads (0011's functions
revise by ``person_id``)."""

MEMBERS_OF = "SELECT person_id FROM clinic_members WHERE clinic_id"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _postgres_triggers()
    else:
        _sqlite_triggers()


def _sqlite_triggers() -> None:
    bump = "UPDATE people SET revision = revision + 1 WHERE id"
    for table in PERSON_TABLES:
        op.execute(
            f"CREATE TRIGGER revise_{table}_insert AFTER INSERT ON {table} "
            f"BEGIN {bump} = NEW.person_id; END"
        )
        op.execute(
            f"CREATE TRIGGER revise_{table}_update AFTER UPDATE ON {table} "
            f"BEGIN {bump} IN (OLD.person_id, NEW.person_id); END"
        )
        op.execute(
            f"CREATE TRIGGER revise_{table}_delete AFTER DELETE ON {table} "
            f"BEGIN {bump} = OLD.person_id; END"
        )
    # a clinic's name is on its runners' pages; a clinic deleted takes its members' rows with
    # it (before: the cascade's own deletes revise them too, where the triggers fire for it)
    op.execute(
        "CREATE TRIGGER revise_clinics_update AFTER UPDATE ON clinics "
        f"BEGIN {bump} IN ({MEMBERS_OF} IN (OLD.id, NEW.id)); END"
    )
    op.execute(
        "CREATE TRIGGER revise_clinics_delete BEFORE DELETE ON clinics "
        f"BEGIN {bump} IN ({MEMBERS_OF} = OLD.id); END"
    )


def _postgres_triggers() -> None:
    for table in PERSON_TABLES:
        for event, referencing in (
            ("insert", "NEW TABLE AS added"),
            ("update", "OLD TABLE AS removed NEW TABLE AS added"),
            ("delete", "OLD TABLE AS removed"),
        ):
            op.execute(
                f"CREATE TRIGGER revise_{table}_{event} AFTER {event.upper()} ON {table} "
                f"REFERENCING {referencing} FOR EACH STATEMENT "
                f"EXECUTE FUNCTION revise_by_person_{event}()"
            )
    op.execute(
        "CREATE FUNCTION revise_by_clinic() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "UPDATE people SET revision = revision + 1 WHERE id IN "
        f"({MEMBERS_OF} = OLD.id OR clinic_id = NEW.id); RETURN NULL; END $$"
    )
    op.execute(
        "CREATE TRIGGER revise_clinics_update AFTER UPDATE ON clinics "
        "FOR EACH ROW EXECUTE FUNCTION revise_by_clinic()"
    )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in PERSON_TABLES:
        for event in ("insert", "update", "delete"):
            suffix = f" ON {table}" if dialect == "postgresql" else ""
            op.execute(f"DROP TRIGGER IF EXISTS revise_{table}_{event}{suffix}")
    suffix = " ON clinics" if dialect == "postgresql" else ""
    op.execute(f"DROP TRIGGER IF EXISTS revise_clinics_update{suffix}")
    if dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS revise_by_clinic()")
    else:
        op.execute("DROP TRIGGER IF EXISTS revise_clinics_delete")
