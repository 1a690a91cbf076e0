"""Reading and measuring many files in worker processes gives what one process gives, in the
order of the files, bad files included."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from runrehab.adapters.activity_import import PARALLEL_FROM_FILES, measure_all
from runrehab.adapters.watch import discover
from runrehab.engine.metrics import MetricsSettings
from runrehab.services.activities import MeasuredFile, RefusedFile
from tests.watchfiles import fit_run, gpx_run, strava_export_zip

START = datetime(2026, 10, 1, 7, 0, tzinfo=UTC)


def test_worker_processes_measure_like_one_process_in_file_order(tmp_path: Path) -> None:
    activities = [
        (f"activities/{i}.fit.gz", fit_run(START + timedelta(days=i), 6, step_s=3), "Run")
        for i in range(PARALLEL_FROM_FILES + 2)
    ]
    activities.insert(5, ("activities/broken.fit", b"not a fit file at all", "Run"))
    activities.append(("activities/walk.gpx.gz", gpx_run(START, 8, step_s=3, type_=None), "Walk"))
    export = strava_export_zip(tmp_path / "export.zip", activities)
    sources = discover([export]).sources

    one = list(measure_all(sources, MetricsSettings(), processes=1))
    many = list(measure_all(sources, MetricsSettings(), processes=2))

    assert many == one
    assert [r.label for r in many] == [s.label for s in sources]
    refused = [r.label for r in many if isinstance(r, RefusedFile)]
    assert [label.rsplit(":", 1)[1] for label in refused] == ["activities/broken.fit"]
    kept = {r.label.rsplit(":", 1)[1]: r for r in many if isinstance(r, MeasuredFile)}
    assert len(kept) == len(activities) - 1
    assert kept["activities/walk.gpx.gz"].legs[0].sport.value == "walking"
