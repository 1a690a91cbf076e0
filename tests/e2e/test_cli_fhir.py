"""``runrehab export --format fhir``: the journal as a FHIR R4 bundle on stdout; the JSON export
stays the default; an unknown format is refused, naming the formats there are."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle

from runrehab.adapters.exports.fhir import pain_by_day, resources_of
from tests.conftest import typical_doc
from tests.drivers import CliDriver
from tests.e2e.test_cli import run
from tests.simulation import Simulation, faithful

START = date(2026, 12, 1)


def test_export_format_fhir_prints_a_valid_bundle(tmp_path: Path) -> None:
    cli = CliDriver(tmp_path)
    cli.start(typical_doc(), START)
    Simulation(cli, START).live(10, faithful(pain=1))
    bundle = Bundle.model_validate(cli.call("export", "--format", "fhir"))
    assert bundle.type == "collection"
    kinds = {r.get_resource_type() for r in resources_of(bundle)}
    assert {"Patient", "Condition", "CarePlan", "Questionnaire", "Observation"} <= kinds
    days = pain_by_day(bundle)
    assert sorted(days) == [START + timedelta(days=n) for n in range(10)]
    assert days[START] == {"now": 1, "at-rest": 0, "worst-24h": 1}
    # the default is still the journal export that ``import`` restores
    assert "checkins" in cli.call("export") and "checkins" in cli.call("export", "--format", "json")


@pytest.mark.e2e
def test_an_unknown_export_format_exits_2_naming_the_formats(tmp_path: Path) -> None:
    refused = run("--db", str(tmp_path / "journal.db"), "export", "--format", "nope")
    assert refused.returncode == 2 and refused.stdout == ""
    assert "--format" in refused.stderr and "'nope'" in refused.stderr
    assert "json, fhir" in refused.stderr and "Traceback" not in refused.stderr
