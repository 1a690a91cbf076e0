"""Alembic's environment, run only through ``runrehab.adapters.db.migrations.upgrade``.

There is no alembic.ini and no URL here: the caller hands over a connection already inside a
transaction, so a migration is applied whole or not at all. ``render_as_batch`` lets later
migrations alter SQLite tables (which SQLite can only do by copying them)."""

from __future__ import annotations

from alembic import context

from runrehab.adapters.db.tables import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
