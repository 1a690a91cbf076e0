"""The journal's schema history: Alembic migrations, configured from code (no alembic.ini).

Every table is created by a migration, never by ``metadata.create_all``, so a journal made by
any release can be brought up to date. Importing Alembic costs the command line more than its
whole latency budget, so ``HEAD`` names the newest revision and callers compare the database's
own ``alembic_version`` with it first; Alembic is imported only when they differ.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Connection

HEAD = "0012"
"""The newest revision in ``versions/``; a test checks that Alembic agrees."""

LOCATION = Path(__file__).resolve().parent


def config(connection: Connection | None = None) -> Config:
    """An Alembic configuration for these migrations, bound to ``connection`` when given."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(LOCATION).replace("%", "%%"))
    cfg.attributes["connection"] = connection
    return cfg


def head() -> str | None:
    """The head revision as Alembic reads it from ``versions/``."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(config()).get_current_head()


def is_known(revision: str) -> bool:
    """True when ``revision`` is one of ours (a newer RunRehab may have written another)."""
    from alembic.script import ScriptDirectory

    return revision in {s.revision for s in ScriptDirectory.from_config(config()).walk_revisions()}


def upgrade(connection: Connection) -> None:
    """Bring the schema to ``HEAD`` inside the transaction ``connection`` is already in."""
    from alembic import command

    command.upgrade(config(connection), "head")
