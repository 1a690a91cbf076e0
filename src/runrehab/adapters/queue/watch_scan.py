"""What an import job run by ``runrehab worker`` reads: the activity files in an upload's
folder (one sub-folder per uploaded file, as the web app saves them), found and measured,
with the runner's own file names (never the folder's) in the report.

The web app's own threads use this same scan (``web.uploads.scanner``)."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from runrehab.adapters.activity_import import measure_all
from runrehab.adapters.watch import Source, discover
from runrehab.engine.metrics import MetricsSettings
from runrehab.services.activities.background_import import Scan, Scanner
from runrehab.services.activities.watch_import import MeasuredFile, RefusedFile

Measure = Callable[..., Iterator[MeasuredFile | RefusedFile]]


def scanner(
    settings: MetricsSettings, workers: int | None, measure: Measure = measure_all
) -> Scanner:
    """A ``Scanner`` with the protocol's metric settings; ``workers``: measuring processes
    (None: one a core); ``measure``: what measures the files (``measure_all``)."""
    return functools.partial(_scan, settings=settings, workers=workers, measure=measure)


def _scan(folder: Path, settings: MetricsSettings, workers: int | None, measure: Measure) -> Scan:
    files = sorted(p for p in folder.glob("*/*") if p.is_file())
    found = discover(files)
    sources = [replace(s, label=label(s.label, folder)) for s in found.sources]
    refused = [RefusedFile(label(r.source.label, folder), r.reason) for r in found.rejected]
    return Scan(
        total=len(sources) + len(refused),
        skipped=found.skipped,
        items=_items(refused, sources, settings, workers, measure),
    )


def label(path: str, folder: Path) -> str:
    """ "/srv/uploads/ab12/0003/export.zip:a/1.fit" -> "export.zip:a/1.fit"."""
    prefix = str(folder) + os.sep
    if not path.startswith(prefix):
        return path
    _number, _, rest = path[len(prefix) :].partition(os.sep)
    return rest or path


def _items(
    refused: list[RefusedFile],
    sources: list[Source],
    settings: MetricsSettings,
    workers: int | None,
    measure: Measure,
) -> Iterator[MeasuredFile | RefusedFile]:
    yield from refused
    # jobs run in threads (the web app's, procrastinate's): measuring processes come from a
    # forkserver
    yield from measure(sources, settings, workers, threaded_caller=True)
