"""Reading and measuring many files in worker processes gives what one process gives, in the
order of the files, bad files included."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from runrehab.adapters.activity_import import PARALLEL_FROM_FILES, measure_all
from runrehab.adapters.watch import discover
from runrehab.engine.metrics import MetricsSettings
from runrehab.services.activities.watch_import import MeasuredFile, RefusedFile
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


def test_a_killed_process_s_scratch_folder_is_a_leftover_and_a_live_one_is_not(
    tmp_path: Path,
) -> None:
    """The scratch folder is locked while its process lives, whatever else happens; once the
    process is killed outright (no clean-up ran), ``remove_leftovers`` deletes it."""
    import os
    import signal
    import subprocess
    import sys

    from runrehab.adapters.activity_import import SCRATCH_PREFIX, remove_leftovers

    root = tmp_path / "t"
    root.mkdir()
    script = (
        "import sys\n"
        "from runrehab.adapters.activity_import import scratch_folder\n"
        "folder = scratch_folder()\n"
        "(folder / 'upload-x').mkdir()\n"
        "print(folder, flush=True)\n"
        "sys.stdin.read()\n"
    )
    with subprocess.Popen(
        [sys.executable, "-c", script],
        env={**os.environ, "TMPDIR": str(root)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as child:
        try:
            assert child.stdout is not None
            folder = Path(child.stdout.readline().strip())
            assert folder.parent == root and folder.name.startswith(SCRATCH_PREFIX)
            assert remove_leftovers(root) == []  # alive: its folder stays
            assert (folder / "upload-x").is_dir()
        finally:
            os.kill(child.pid, signal.SIGKILL)
    assert folder.exists()  # nothing of it ran after the kill
    assert remove_leftovers(root) == [folder]
    assert list(root.iterdir()) == []


def test_a_process_that_ends_normally_takes_its_scratch_folder_with_it(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    root = tmp_path / "t"
    root.mkdir()
    script = "from runrehab.adapters.activity_import import scratch_folder\nscratch_folder()\n"
    subprocess.run(
        [sys.executable, "-c", script], env={**os.environ, "TMPDIR": str(root)}, check=True
    )
    assert list(root.iterdir()) == []
