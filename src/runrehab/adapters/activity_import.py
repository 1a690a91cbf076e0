"""Read and measure watch files, in several processes when there are many.

Decoding a FIT file is pure CPU work in Python, so a bulk export is spread over worker
processes. Each worker reads one file and measures it, and sends back only the figures: the
samples never cross between processes. Results come back in the order of the files, so which
of two identical runs is kept (the first) does not depend on timing.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor

from runrehab.adapters.watch import (
    DEFAULT_LIMITS,
    Limits,
    RejectedFile,
    Source,
    close_archives,
    read_source,
)
from runrehab.engine.metrics import MetricsSettings, measure
from runrehab.services.activities import MeasuredFile, MeasuredLeg, RefusedFile

DEFAULT_METRICS = MetricsSettings()
PARALLEL_FROM_FILES = 16
"""Below this many files, starting workers costs more than it saves."""


def measure_source(
    source: Source, settings: MetricsSettings = DEFAULT_METRICS, limits: Limits = DEFAULT_LIMITS
) -> MeasuredFile | RefusedFile:
    """One file read and measured with ``settings`` (the protocol's ``[metrics]``); never
    raises for a bad file."""
    result = read_source(source, limits)
    if isinstance(result, RejectedFile):
        return RefusedFile(source.label, result.reason)
    try:
        legs = tuple(
            MeasuredLeg(
                sport=r.sport,
                sport_source=r.sport_source,
                start=r.start,
                metrics=measure(r, settings),
                utc_offset_minutes=r.utc_offset_minutes,
                sub_sport=r.sub_sport,
                indoor=r.indoor,
                device=r.device,
                partial=r.partial,
            )
            for r in result.recordings
        )
    except (ArithmeticError, ValueError) as err:  # a file no sane device writes
        return RefusedFile(source.label, f"its samples could not be measured ({err})")
    return MeasuredFile(source.label, result.content_hash, result.format, legs)


def worker_count() -> int:
    """One worker a core (at most 8), or ``RUNREHAB_IMPORT_WORKERS`` when set."""
    wanted = os.environ.get("RUNREHAB_IMPORT_WORKERS", "")
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    return max(1, min(os.cpu_count() or 1, 8))


def measure_all(
    sources: Sequence[Source],
    settings: MetricsSettings,
    processes: int | None = None,
    *,
    threaded_caller: bool = False,
) -> Iterator[MeasuredFile | RefusedFile]:
    """Every source measured, in order; in worker processes when there are enough files.

    ``threaded_caller``: the caller runs other threads (the web server). Forking a threaded
    process can deadlock the child, so the workers then come from a forkserver instead."""
    workers = worker_count() if processes is None else processes
    measure_one = functools.partial(measure_source, settings=settings)
    try:
        if workers <= 1 or len(sources) < PARALLEL_FROM_FILES:
            yield from map(measure_one, sources)
            return
        context = _pool_context(threaded_caller)
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            yield from pool.map(measure_one, sources, chunksize=4)
    finally:
        close_archives()  # the zip read from in this process stays open between files


def _pool_context(threaded_caller: bool) -> multiprocessing.context.BaseContext:
    """Fork (quick) for a single-threaded caller; otherwise a forkserver that has the readers
    imported already, so each worker it forks starts measuring at once (spawn where there is
    no forkserver)."""
    methods = multiprocessing.get_all_start_methods()
    if not threaded_caller and "fork" in methods:
        return multiprocessing.get_context("fork")
    if "forkserver" not in methods:
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["runrehab.adapters.activity_import"])
    return context
