"""SQLite's writers take turns, in the order they came, instead of polling for the lock.

A unit of work that writes begins ``IMMEDIATE``: it takes SQLite's write lock at its first
statement, and a second writer waits in SQLite's busy handler, which sleeps between tries (1, 2,
5, 10, 15, 20, 25 ms and on). Under load most of a check-in's time went on those sleeps: a
writer that finished woke no one, and the next slept on. So, before ``BEGIN IMMEDIATE``, a
writer first takes its turn here:

- within a process, a ``threading.Lock``: the next thread is woken as the lock is released;
- across processes (``serve --workers N``, the command line, the worker), an exclusive
  ``flock`` on a file beside the database (``<database>.writers``), tried every quarter of a
  millisecond, far finer than SQLite's sleeps.

The turn is held until the unit of work closes, as SQLite's lock is. Waiting is bounded by the
busy timeout: past it the writer goes on to ``BEGIN IMMEDIATE``, which then fails as before
("database is locked"), so a stuck writer elsewhere is reported, never waited on for ever. The
kernel releases a killed process's ``flock``.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time

POLL_S = 0.00025


class WriteTurns:
    """One database file's writers, one at a time (see the module's text)."""

    def __init__(self, database: str, timeout_s: float) -> None:
        self._path = f"{database}.writers"
        self._timeout_s = timeout_s
        self._in_process = threading.Lock()
        self._fd: int | None = None
        self._pid = 0  # a forked child opens its own: a shared open file shares its lock
        self._opening = threading.Lock()

    def take(self) -> bool:
        """Wait for this writer's turn; False when the timeout passed first (nothing held)."""
        deadline = time.monotonic() + self._timeout_s
        if not self._in_process.acquire(timeout=self._timeout_s):
            return False
        try:
            fd = self._file()
        except OSError:
            # no file beside the journal (a read-only folder): SQLite's own lock and its
            # messages, as without turns
            self._in_process.release()
            return False
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    return True
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        break
                    time.sleep(POLL_S)
        except BaseException:
            self._in_process.release()
            raise
        self._in_process.release()
        return False

    def give_back(self) -> None:
        """End the turn ``take`` gave."""
        try:
            fcntl.flock(self._file(), fcntl.LOCK_UN)
        finally:
            self._in_process.release()

    def _file(self) -> int:
        if self._fd is None or self._pid != os.getpid():
            with self._opening:
                if self._fd is None or self._pid != os.getpid():
                    self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
                    self._pid = os.getpid()
        return self._fd

    def close(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None and self._pid == os.getpid():
            os.close(fd)


class Turn:
    """One unit of work's turn: taken at its first ``BEGIN IMMEDIATE``, kept through any
    commit and later transaction of the same unit of work, given back when it closes."""

    def __init__(self, turns: WriteTurns) -> None:
        self._turns = turns
        self._held = False

    def take(self) -> None:
        if not self._held:
            self._held = self._turns.take()

    def give_back(self) -> None:
        if self._held:
            self._held = False
            self._turns.give_back()
