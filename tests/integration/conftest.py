"""The journal database fixtures live in ``tests/conftest.py``, shared with the e2e tests."""

from tests.conftest import POSTGRES_URL, needs_postgres

__all__ = ["POSTGRES_URL", "needs_postgres"]
