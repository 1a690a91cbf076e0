"""Jobs run in a thread of this process, in the order queued: the web app's own worker when
it is the only process (SQLite). Its jobs die with the process; the next start marks an
import left unfinished as interrupted (``JobStore.interrupt_unfinished``)."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Executor
from pathlib import Path

from runrehab.services.jobs import Job, JobHandlers, Payload, QueueClosed

log = logging.getLogger("runrehab.jobs")


class ThreadQueue:
    """A ``JobQueue`` on ``executor`` (one thread: jobs run one at a time, in order)."""

    def __init__(self, executor: Executor, handlers: JobHandlers) -> None:
        self._executor = executor
        self._handlers = handlers
        self._waiting: set[str] = set()
        self._lock = threading.Lock()

    def enqueue(self, kind: str, payload: Payload, *, key: str | None = None) -> None:
        self._handlers.handler(kind)  # UnknownJob now, not in the thread
        with self._lock:
            if key is not None and key in self._waiting:
                return
            if key is not None:
                self._waiting.add(key)
        try:
            self._executor.submit(self._run, Job(kind, payload), key)
        except RuntimeError:  # the executor is shut down: the server is stopping
            self._done(key)
            raise QueueClosed(kind) from None

    def attach(self, key: str, folder: Path) -> Path:
        return folder  # the job runs here: the folder is where it is

    def _run(self, job: Job, key: str | None) -> None:
        self._done(key)
        try:
            self._handlers.run(job)
        except Exception:  # a handler ends its own job; this one is logged, and left
            log.exception("background job %s failed", job.kind)

    def _done(self, key: str | None) -> None:
        if key is not None:
            with self._lock:
                self._waiting.discard(key)
