"""Background work behind a port: a job is a kind and a JSON payload, put on a ``JobQueue`` and
run by the handler registered for its kind (``JobHandlers``).

Where a job runs is the composition root's choice (``runrehab.bootstrap``): in a thread of the
web process that queued it (SQLite, one process: the default), or by ``runrehab worker`` from
a queue in PostgreSQL (``adapters.queue.postgres``), where any number of web processes and
workers share it. A use case only says what is to be done::

    queue.enqueue(IMPORT, {"job": job.id, ...})

and a handler only does it, given the payload. The queue runs a job at least once: a worker
killed half-way leaves its job to be run again. So a handler is idempotent, keyed by an id in
its payload (an import job's id): it looks its job up first, and does nothing for one already
finished. A new kind of work (the movement check's video analysis, say) is a kind name, a
handler registered where the queue is built, and a call to ``enqueue``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

Payload = dict[str, Any]
"""A job's arguments: JSON (strings, numbers, lists, objects), nothing else."""


@dataclass(frozen=True, slots=True)
class Job:
    """One run of a job: its kind, its payload, and how many runs of it came before (0 the
    first time; more when a worker was killed under it and the queue runs it again)."""

    kind: str
    payload: Payload
    attempt: int = 0


Handler = Callable[[Job], None]
"""Does one job. What it raises is logged, and the job is not run again: a handler ends its
own job (marks it failed, with why) rather than counting on a retry."""


class QueueClosed(RuntimeError):
    """The queue takes no more work (the server is shutting down): nothing was queued."""


class UnknownJob(LookupError):
    """No handler is registered for the job's kind (a worker older than the web process)."""


class JobQueue(Protocol):
    def enqueue(self, kind: str, payload: Payload, *, key: str | None = None) -> None:
        """Queue a job of ``kind`` (``QueueClosed`` when the queue is shutting down). With
        ``key``, at most one job of that key is waiting or running at a time: queueing it
        again while one is waiting does nothing."""
        ...

    def attach(self, key: str, folder: Path) -> Path:
        """Hand the files in ``folder`` to the job keyed ``key``: moved to where the process
        that will run it can read them (the same folder when that is this process). The path to
        put in the payload; the handler deletes it when done."""
        ...


class JobHandlers:
    """The handlers of the kinds of work, by kind name."""

    def __init__(self) -> None:
        self._handlers: dict[str, Handler] = {}

    def register(self, kind: str, handler: Handler) -> None:
        """``ValueError`` (naming the kind) when the kind has its handler already."""
        if kind in self._handlers:
            raise ValueError(kind)
        self._handlers[kind] = handler

    def handler(self, kind: str) -> Handler:
        try:
            return self._handlers[kind]
        except KeyError:
            raise UnknownJob(kind) from None

    def run(self, job: Job) -> None:
        self.handler(job.kind)(job)

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._handlers))
