"""The job port (``services.jobs``) and the queue of a single process
(``adapters.queue.threads``): a kind's handler runs its jobs, in order, one waiting job per
key, and a queue shut down with its server says so rather than losing the job."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from runrehab.adapters.queue.threads import ThreadQueue
from runrehab.services.jobs import Job, JobHandlers, QueueClosed, UnknownJob


def _recording() -> tuple[JobHandlers, list[Job]]:
    ran: list[Job] = []
    handlers = JobHandlers()
    handlers.register("note", ran.append)
    return handlers, ran


def test_a_kind_has_one_handler_and_an_unknown_kind_is_refused() -> None:
    handlers, ran = _recording()
    with pytest.raises(ValueError, match="note"):
        handlers.register("note", ran.append)
    with pytest.raises(UnknownJob):
        handlers.run(Job("video", {}))
    handlers.run(Job("note", {"n": 1}, attempt=2))
    assert ran == [Job("note", {"n": 1}, 2)]
    assert list(handlers) == ["note"]


def test_the_thread_queue_runs_jobs_in_order_and_keeps_one_waiting_per_key() -> None:
    handlers, ran = _recording()
    gate = threading.Event()

    def wait(_job: Job) -> None:
        gate.wait(5)

    handlers.register("wait", wait)
    with ThreadPoolExecutor(max_workers=1) as executor:
        queue = ThreadQueue(executor, handlers)
        queue.enqueue("wait", {})
        for n in (1, 2, 2, 3):  # the second 2 waits behind the first: dropped
            queue.enqueue("note", {"n": n}, key=f"k{n}")
        gate.set()
    assert [job.payload["n"] for job in ran] == [1, 2, 3]
    with pytest.raises(UnknownJob):
        queue.enqueue("video", {})


def test_a_job_whose_handler_fails_does_not_stop_the_next() -> None:
    handlers, ran = _recording()

    def broken(_job: Job) -> None:
        raise RuntimeError("broken")

    handlers.register("broken", broken)
    with ThreadPoolExecutor(max_workers=1) as executor:
        queue = ThreadQueue(executor, handlers)
        queue.enqueue("broken", {})
        queue.enqueue("note", {"n": 1})
    assert [job.payload for job in ran] == [{"n": 1}]


def test_a_queue_shut_down_with_its_server_refuses_work_and_its_key_is_free(
    tmp_path: Path,
) -> None:
    handlers, ran = _recording()
    executor = ThreadPoolExecutor(max_workers=1)
    queue = ThreadQueue(executor, handlers)
    executor.shutdown()
    with pytest.raises(QueueClosed):
        queue.enqueue("note", {"n": 1}, key="k")
    with pytest.raises(QueueClosed):  # refused again, not taken for a job still waiting
        queue.enqueue("note", {"n": 1}, key="k")
    assert ran == []
    assert queue.attach("k", tmp_path) == tmp_path  # the files stay where this process is
