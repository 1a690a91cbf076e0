"""Read and measure watch files, in several processes when there are many.

Decoding a FIT file is pure CPU work in Python, so a bulk export is spread over worker
processes. Each worker reads one file and measures it, and sends back only the figures: the
samples never cross between processes. Results come back in the order of the files, so which
of two identical runs is kept (the first) does not depend on timing. A worker whose parent
died (``kill -9``) ends itself rather than waiting for work for ever.

**The scratch folder.** What RunRehab writes to the temporary folder lives in one folder per
process, ``runrehab-tmp-*`` (``scratch_folder``): the web app's uploads, and the folder that
multiprocessing makes for the workers' forkserver. The process holds a lock on a file in it
while it lives and removes it when it exits; a process killed outright leaves it behind, and
``remove_leftovers`` (at the web app's start) deletes such folders, recognised by the prefix
and by their lock being free: never a folder of a process still running, never anything else.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import multiprocessing
import multiprocessing.process
import os
import shutil
import stat
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from runrehab.adapters.watch import (
    DEFAULT_LIMITS,
    Limits,
    RejectedFile,
    Source,
    close_archives,
    read_source,
)
from runrehab.engine.metrics import MetricsSettings, measure
from runrehab.services.activities.watch_import import MeasuredFile, MeasuredLeg, RefusedFile

DEFAULT_METRICS = MetricsSettings()
PARALLEL_FROM_FILES = 16
"""Below this many files, starting workers costs more than it saves."""
PARENT_CHECK_S = 1.0
"""How often a worker looks whether the process that started it is still there."""

SCRATCH_PREFIX = "runrehab-tmp-"
LOCK_NAME = "in-use.lock"
WORKERS_FOLDER = "workers"
SOCKET_PATH_MAX = 100
"""The longest path a Unix socket may have, with some room (108 bytes on Linux, 104 on macOS)."""
YOUNG_S = 60.0
"""A scratch folder without its lock file yet is being made by a process starting now: one
older than this was left by a process that died making it."""


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
    """One worker a core, at most 8: when the caller names no number (the composition root
    reads ``RUNREHAB_IMPORT_WORKERS``)."""
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
        with ProcessPoolExecutor(
            workers, mp_context=context, initializer=_watch_parent, initargs=(os.getpid(),)
        ) as pool:
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
    _workers_in_scratch()
    if "forkserver" not in methods:
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["runrehab.adapters.activity_import"])
    return context


def _watch_parent(parent: int) -> None:
    """In each worker: end the worker once ``parent`` is gone. A worker waits for its next file
    on a pipe it also holds the writing end of, so it never notices its parent's death."""

    def watch() -> None:
        while True:
            time.sleep(PARENT_CHECK_S)
            try:
                os.kill(parent, 0)
            except OSError:  # gone (or its number is now another user's process)
                os._exit(1)

    threading.Thread(target=watch, name="runrehab-parent-watch", daemon=True).start()


def _workers_in_scratch() -> None:
    """Have multiprocessing make its folder (the forkserver's socket) in the scratch folder,
    unless this process made one already, or the socket's path would be too long there (a
    long TMPDIR: it then goes where multiprocessing puts it by itself)."""
    config = getattr(multiprocessing.process.current_process(), "_config", None)
    if not isinstance(config, dict) or config.get("tempdir") is not None:
        return
    folder = scratch_folder() / WORKERS_FOLDER
    if len(os.fsencode(folder / "listener-12345678")) > SOCKET_PATH_MAX:
        return
    folder.mkdir(mode=0o700, exist_ok=True)
    config["tempdir"] = str(folder)


# --- the scratch folder -----------------------------------------------------------------------

_scratch: Path | None = None
_scratch_made = threading.Lock()


def scratch_folder() -> Path:
    """This process's own folder in the temporary folder (made on first use, mode 0700,
    locked while the process lives, removed when it exits). Raises OSError when it cannot be
    made (a full or read-only disk)."""
    global _scratch
    with _scratch_made:
        if _scratch is None or not _scratch.is_dir():
            folder = Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX))
            try:
                # locked before it has its name: another process never finds it unlocked
                making = folder / f"{LOCK_NAME}.new"
                lock = os.open(making, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
                _lock(lock)
                making.rename(folder / LOCK_NAME)
            except BaseException:
                shutil.rmtree(folder, ignore_errors=True)
                raise
            atexit.register(_remove_own, folder, lock, os.getpid())
            _scratch = folder
        return _scratch


def _remove_own(folder: Path, lock: int, owner: int) -> None:
    if os.getpid() != owner:  # a forked child exiting: the folder is its parent's
        return
    shutil.rmtree(folder, ignore_errors=True)
    with contextlib.suppress(OSError):
        os.close(lock)


def remove_leftovers(temp_root: Path | None = None) -> list[Path]:
    """Delete the scratch folders of RunRehab processes that are gone (killed before they
    could clean up); the folders removed. Only folders named with ``SCRATCH_PREFIX``, owned
    by this user, and whose lock no running process holds."""
    if not _CAN_LOCK:  # no telling a live process's folder from a leftover: leave them all
        return []
    root = Path(tempfile.gettempdir()) if temp_root is None else temp_root
    try:
        entries = [e for e in root.iterdir() if e.name.startswith(SCRATCH_PREFIX)]
    except OSError:
        return []
    removed = []
    for folder in entries:
        if folder == _scratch or own_folder(folder) is None:
            continue
        lock = _claim(folder)
        if lock is None:
            continue
        try:
            shutil.rmtree(folder, ignore_errors=True)
        finally:
            if lock >= 0:
                os.close(lock)
        removed.append(folder)
    return removed


def own_folder(path: Path) -> os.stat_result | None:
    """The folder's details when it is a real folder (not a link) of this user, else None."""
    try:
        info = path.lstat()
    except OSError:
        return None
    uid = getattr(os, "getuid", lambda: info.st_uid)()
    return info if stat.S_ISDIR(info.st_mode) and info.st_uid == uid else None


def _claim(folder: Path) -> int | None:
    """The folder's lock, taken (-1: it has no lock file and is old enough to be a leftover),
    or None when the folder is in use or too young to tell."""
    try:
        lock = os.open(folder / LOCK_NAME, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        try:
            young = time.time() - folder.stat().st_mtime < YOUNG_S
        except OSError:
            return None
        return None if young else -1
    except OSError:
        return None
    try:
        _lock(lock)
    except OSError:
        os.close(lock)
        return None
    return lock


try:
    import fcntl

    _CAN_LOCK = True
except ImportError:  # Windows
    _CAN_LOCK = False


def _lock(fd: int) -> None:
    """An exclusive lock on the open file, held until the process closes it or ends, however
    it ends (the kernel lets go of a killed process's locks). Raises OSError when another
    process holds it."""
    if _CAN_LOCK:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
