"""The command line in the runner's language and units: ``--lang`` / ``RUNREHAB_LANG`` and
``--units`` / ``RUNREHAB_UNITS``, for one command only; a bad value exits 2 naming the option."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from runrehab.cli.main import app
from runrehab.content import locale
from tests.e2e.test_watch_cli import Cli, write
from tests.languages import german
from tests.watchfiles import fit_run

__all__ = ["german"]


def test_runs_are_listed_in_the_units_asked_for(tmp_path: Path) -> None:
    cli = Cli(str(tmp_path / "journal.db"))
    run = fit_run(datetime(2026, 11, 28, 7, 30, tzinfo=UTC), 20, step_s=5)
    cli.import_(write(tmp_path, "a.fit", run))
    km = cli.outcome("--units", "km", "runs").stdout
    mi = cli.outcome("--units", "mi", "runs").stdout
    assert "3.36" in km and "/km" in km
    assert f"{3.36 / 1.609344:.2f}" in mi and "/mi" in mi and "/km" not in mi
    assert cli.runs()[0]["distance_km"] == pytest.approx(3.36, abs=0.01)  # JSON stays km
    assert locale.units() == "km"  # for that command only


def test_the_language_is_for_one_command(german: Path, tmp_path: Path) -> None:
    done = CliRunner().invoke(app, ["--lang", "de", "exercises"], env={"RUNREHAB_DB": ""})
    assert done.exit_code == 0, done.output
    assert "Übungsbibliothek" in done.stdout and "Mehr: runrehab exercises ID" in done.stdout
    assert locale.current() == "en"
    by_env = CliRunner().invoke(app, ["exercises"], env={"RUNREHAB_LANG": "de"})
    assert "Übungsbibliothek" in by_env.stdout
    english = CliRunner().invoke(app, ["exercises"])
    assert "Übungsbibliothek" not in english.stdout


@pytest.mark.parametrize("argv", [["--lang", "fr", "exercises"], ["--units", "miles", "runs"]])
def test_a_bad_language_or_unit_exits_2_naming_the_option(argv: list[str]) -> None:
    done = CliRunner().invoke(app, argv)
    assert done.exit_code == 2
    assert argv[0] in done.output
