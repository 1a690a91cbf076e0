"""The end-to-end tests' driver: the same simulated runner through the services, the real
command line on SQLite, and the real command line on PostgreSQL (skipped without a server)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.drivers import CliDriver, ServiceDriver
from tests.simulation import Driver

LATER = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
"""The command line's clock in these tests: after every day the simulated runners report."""


@pytest.fixture(autouse=True)
def command_line_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line takes the computer's clock for the runner's today, and refuses a
    check-in for a later day; the simulated runners live from December 2026 on, so the command
    line run in-process reads ``LATER`` (a test of a day in the future sets its own)."""
    from runrehab import bootstrap

    monkeypatch.setattr(bootstrap.SystemClock, "now", lambda _self: LATER)


@pytest.fixture(params=["services", "cli-sqlite", "cli-postgres"])
def driver(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Driver]:
    if request.param == "services":
        yield ServiceDriver()
    elif request.param == "cli-sqlite":
        yield CliDriver(tmp_path)
    else:
        yield CliDriver(tmp_path, request.getfixturevalue("postgres_url"))
