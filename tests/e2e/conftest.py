"""The end-to-end tests' driver: the same simulated runner through the services, the real
command line on SQLite, and the real command line on PostgreSQL (skipped without a server)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.drivers import CliDriver, ServiceDriver
from tests.simulation import Driver


@pytest.fixture(params=["services", "cli-sqlite", "cli-postgres"])
def driver(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Driver]:
    if request.param == "services":
        yield ServiceDriver()
    elif request.param == "cli-sqlite":
        yield CliDriver(tmp_path)
    else:
        yield CliDriver(tmp_path, request.getfixturevalue("postgres_url"))
