"""A revision of each person's journal: ``people.revision`` changes, in the same transaction,
whenever a row the runner's day is planned from is added, changed or deleted, so a process may
keep what it worked out from those rows for as long as the revision it read with them holds.

The database keeps it (triggers), not the code that writes: no write, from any process or
any path (a check-in, a physiotherapist's change, a watch import, a restored export, a hand
edit), can leave it behind. A new person's revision starts at a random number, so a person
erased and imported again under the same id never meets a revision kept from before.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PERSON_TABLES = (
    "programmes",
    "checkins",
    "assessments",
    "questionnaire_responses",
    "overrides",
    "activities",
    "lessons_read",
)
"""The tables with a ``person_id`` that the day's plan reads; ``decisions`` (by programme)
too. ``adapters.db.tables.REVISED`` names the same set, and a test checks each has its
triggers."""

RANDOM_START = {
    "sqlite": "abs(random()) % 4503599627370496",
    "postgresql": "floor(random() * 4503599627370496)::bigint",
}


def upgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("revision", sa.BigInteger(), nullable=False, server_default="0"))
    bind = op.get_bind()
    dialect = bind.dialect.name
    op.execute(f"UPDATE people SET revision = {RANDOM_START[dialect]}")
    if dialect == "postgresql":
        _postgres_triggers()
    else:
        _sqlite_triggers()


def _sqlite_triggers() -> None:
    """SQLite has row triggers only; they run in process, so each costs a few microseconds."""
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
    owner = "(SELECT person_id FROM programmes WHERE id = {}.programme_id)"
    for event, row in (("insert", "NEW"), ("update", "NEW"), ("delete", "OLD")):
        op.execute(
            f"CREATE TRIGGER revise_decisions_{event} AFTER {event.upper()} ON decisions "
            f"BEGIN {bump} = {owner.format(row)}; END"
        )
    op.execute(
        "CREATE TRIGGER revise_decisions_moved AFTER UPDATE ON decisions "
        f"WHEN OLD.programme_id <> NEW.programme_id BEGIN {bump} = {owner.format('OLD')}; END"
    )


def _postgres_triggers() -> None:
    """Statement triggers with transition tables: a refold that stores a hundred decisions
    revises the person once, not a hundred times."""
    people_of = {
        "person": "SELECT person_id FROM {}",
        "programme": "SELECT p.person_id FROM programmes p JOIN {} d ON d.programme_id = p.id",
    }
    for kind, select in people_of.items():
        for event, tables in (
            ("insert", ("added",)),
            ("update", ("removed", "added")),
            ("delete", ("removed",)),
        ):
            owners = " UNION ".join(select.format(t) for t in tables)
            op.execute(
                f"CREATE FUNCTION revise_by_{kind}_{event}() RETURNS trigger "
                "LANGUAGE plpgsql AS $$ BEGIN "
                f"UPDATE people SET revision = revision + 1 WHERE id IN ({owners}); "
                "RETURN NULL; END $$"
            )
    for table, kind in [*((t, "person") for t in PERSON_TABLES), ("decisions", "programme")]:
        for event, referencing in (
            ("insert", "NEW TABLE AS added"),
            ("update", "OLD TABLE AS removed NEW TABLE AS added"),
            ("delete", "OLD TABLE AS removed"),
        ):
            op.execute(
                f"CREATE TRIGGER revise_{table}_{event} AFTER {event.upper()} ON {table} "
                f"REFERENCING {referencing} FOR EACH STATEMENT "
                f"EXECUTE FUNCTION revise_by_{kind}_{event}()"
            )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    tables = [*PERSON_TABLES, "decisions"]
    for table in tables:
        for event in ("insert", "update", "delete"):
            suffix = f" ON {table}" if dialect == "postgresql" else ""
            op.execute(f"DROP TRIGGER IF EXISTS revise_{table}_{event}{suffix}")
    if dialect == "postgresql":
        for kind in ("person", "programme"):
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP FUNCTION IF EXISTS revise_by_{kind}_{event}()")
    else:
        op.execute("DROP TRIGGER IF EXISTS revise_decisions_moved")
    with op.batch_alter_table("people") as batch:
        batch.drop_column("revision")
