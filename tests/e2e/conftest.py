"""The end-to-end tests' driver: the same simulated runner through the services, the real
command line on SQLite, and the real command line on PostgreSQL (skipped without a server).

Every simulated runner lives through the services and the command line on SQLite. A test that
names its drivers itself (``EVERY_DRIVER``) lives on PostgreSQL too: one runner per file, as
the journal's own tests read and write everything on both databases, and a runner's months on
PostgreSQL cost most of a file's time."""

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


EVERY_DRIVER = ["services", "cli-sqlite", "cli-postgres"]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    named = any(
        "driver" in str(mark.args[0]) for mark in metafunc.definition.iter_markers("parametrize")
    )
    if "driver" in metafunc.fixturenames and not named:
        metafunc.parametrize("driver", EVERY_DRIVER[:2], indirect=True)


@pytest.fixture
def driver(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Driver]:
    if request.param == "services":
        yield ServiceDriver()
    else:  # a journal at the latest revision (starting a new one is tested in test_cli.py)
        kind = request.param.removeprefix("cli-")
        yield CliDriver(tmp_path, request.getfixturevalue(f"migrated_{kind}_url"))
