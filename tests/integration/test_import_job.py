"""An import job run by the queue's handler (``background_import.import_job``), on SQLite and
PostgreSQL: run twice it finishes once, a run left half-way by a killed worker is resumed
where its last batch ended (every run stored once, each listed once), and a job whose worker
keeps dying is given up with what it kept. Also: the log-in throttle counts failures sent at
the same moment by many connections (as several server processes send them)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from runrehab.adapters.db.database import Database, open_database
from runrehab.adapters.queue.watch_scan import scanner
from runrehab.content.words import shipped_words
from runrehab.engine.metrics import MetricsSettings
from runrehab.services.accounts.throttle import LOG_IN, email_key, record_failure
from runrehab.services.activities.background_import import (
    IMPORT,
    MAX_ATTEMPTS,
    ImportWorker,
    import_job,
)
from runrehab.services.activities.import_jobs import ImportJob, JobStatus
from runrehab.services.jobs import Job, Payload, QueueClosed
from runrehab.services.records import Person
from tests.conftest import needs_postgres
from tests.fakes import FixedClock
from tests.watchfiles import fit_run

AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
START = datetime(2026, 3, 1, 7, 0, tzinfo=UTC)


class NoQueue:
    """The import handler queues nothing further."""

    def enqueue(self, kind: str, payload: Payload, *, key: str | None = None) -> None:
        raise QueueClosed(kind)

    def attach(self, key: str, folder: Path) -> Path:
        return folder


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=needs_postgres)])
def database(request: pytest.FixtureRequest) -> Iterator[Database]:
    with open_database(request.getfixturevalue(f"migrated_{request.param}_url")) as db:
        yield db


def _worker(db: Database) -> ImportWorker:
    return ImportWorker(
        new_uow=db.unit_of_work,
        clock=FixedClock(AT),
        words=shipped_words(),
        scan=scanner(MetricsSettings(), workers=1),
        queue=NoQueue(),
    )


def _upload(folder: Path, runs: int) -> Path:
    """An upload's folder as the web app saves it: one sub-folder per file."""
    for i in range(runs):
        target = folder / f"{i:04d}" / f"run{i}.fit"
        target.parent.mkdir(parents=True)
        target.write_bytes(fit_run(START + timedelta(days=i), 20, step_s=5))
    return folder


def _job(db: Database, runs: int) -> None:
    """Runner p1's import job ``job1`` of ``runs`` files, queued."""
    with db.unit_of_work() as uow:
        uow.repo.add_person(Person(id="p1", name="", created_at=AT))
        uow.jobs.add_job(ImportJob("job1", "p1", JobStatus.QUEUED, "run0.fit", runs, 0, AT))
        uow.commit()


def _run(db: Database, folder: Path, attempt: int = 0) -> None:
    payload = {"job": "job1", "person": "p1", "zone": "Europe/London", "folder": str(folder)}
    import_job(_worker(db), Job(IMPORT, payload, attempt))


def _stored(db: Database) -> tuple[ImportJob, int]:
    with db.unit_of_work() as uow:
        job = uow.jobs.get_job("p1", "job1")
        assert job is not None
        return job, len(uow.repo.activities("p1"))


def test_a_job_run_twice_finishes_once(database: Database, tmp_path: Path) -> None:
    _job(database, 3)
    _run(database, _upload(tmp_path / "first", 3))
    done, stored = _stored(database)
    assert (done.status, done.done, stored) == (JobStatus.DONE, 3, 3)
    again = _upload(tmp_path / "again", 3)
    _run(database, again)  # the queue delivers it a second time
    assert _stored(database) == (done, 3)  # nothing imported, nothing reported again
    assert not again.exists()  # its files deleted all the same


def test_a_job_a_killed_worker_left_is_resumed_where_its_last_batch_ended(
    database: Database, tmp_path: Path
) -> None:
    _job(database, 4)
    _run(database, _upload(tmp_path / "part", 2))  # the killed run: its batches kept 2 files
    with database.unit_of_work() as uow:  # ... and it never finished the job
        uow.jobs.update_job("job1", status=JobStatus.RUNNING, total=4)
        uow.commit()
    _run(database, _upload(tmp_path / "whole", 4), attempt=1)
    job, stored = _stored(database)
    assert (job.status, job.done, job.total, stored) == (JobStatus.DONE, 4, 4, 4)
    assert job.report is not None
    assert [i["file"] for i in job.report["imported"]] == [f"run{i}.fit" for i in range(4)]
    assert job.report["duplicates"] == []


def test_a_job_whose_worker_keeps_dying_is_given_up_saying_so(
    database: Database, tmp_path: Path
) -> None:
    _job(database, 2)
    folder = _upload(tmp_path / "up", 2)
    _run(database, folder, attempt=MAX_ATTEMPTS)
    job, stored = _stored(database)
    assert (job.status, stored) == (JobStatus.INTERRUPTED, 0)
    assert job.message is not None and f"stopped {MAX_ATTEMPTS} times" in job.message
    assert not folder.exists()


def test_a_finished_job_is_never_finished_again(database: Database) -> None:
    _job(database, 1)
    with database.unit_of_work() as uow:
        assert uow.jobs.finish_job("job1", JobStatus.FAILED, AT, message="first")
        assert not uow.jobs.finish_job("job1", JobStatus.DONE, AT, done=1)
        uow.commit()
    job, _ = _stored(database)
    assert (job.status, job.message, job.done) == (JobStatus.FAILED, "first", 0)


def test_failures_counted_at_once_by_many_connections_are_all_counted(
    database: Database,
) -> None:
    key, threads, each = email_key("runner@example.com"), 8, 5
    start = threading.Barrier(threads)
    errors: list[BaseException] = []

    def fail_five_times() -> None:
        try:
            start.wait()
            for _ in range(each):
                with database.unit_of_work() as uow:
                    record_failure(uow.throttle, [(key, LOG_IN)], AT)
                    uow.commit()
        except BaseException as err:  # reported below, in the test's own thread
            errors.append(err)

    workers = [threading.Thread(target=fail_five_times) for _ in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    assert errors == []
    with database.unit_of_work() as uow:
        count = uow.throttle.count_failure(key, AT, AT - timedelta(days=1))
        until = uow.throttle.blocked_until([key])
    assert count == threads * each + 1
    assert until == AT + LOG_IN.delay(threads * each)  # the longest wait stands


def test_a_job_whose_upload_is_not_on_this_host_fails_saying_so(
    database: Database, tmp_path: Path
) -> None:
    _job(database, 1)
    _run(database, tmp_path / "elsewhere")
    job, stored = _stored(database)
    assert (job.status, stored) == (JobStatus.FAILED, 0)
    assert job.message is not None and "could not find them" in job.message


def test_the_worker_runs_imports_and_each_minute_the_reminders_when_they_are_on(
    sqlite_url: str,
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from runrehab import bootstrap
    from runrehab.errors import DatabaseError
    from runrehab.services.clinic.exports import FHIR_EXPORT_JOB
    from runrehab.services.jobs import JobHandlers
    from runrehab.services.movement.checks import MOVEMENT_JOB
    from runrehab.services.reminders.sending import EVERY, REMINDERS

    on = bootstrap.environment({"RUNREHAB_REMINDERS": "1", "RUNREHAB_JOB_QUEUE": "postgres"})
    built = bootstrap.runtime(sqlite_url, settings=on)
    try:
        handlers, every = bootstrap.worker_handlers(built, NoQueue())
        kinds = sorted([IMPORT, MOVEMENT_JOB, REMINDERS, FHIR_EXPORT_JOB])
        assert (list(handlers), every) == (kinds, [(REMINDERS, EVERY)])
        handlers.run(Job(REMINDERS, {"at": 0}))  # nobody is due: a pass that sends nothing
        with ThreadPoolExecutor(1) as executor, pytest.raises(DatabaseError, match="PostgreSQL"):
            bootstrap.job_queue(built, executor, JobHandlers())  # SQLite has no queue to share
        off = bootstrap.runtime(sqlite_url, settings=bootstrap.environment({}))
        handlers, every = bootstrap.worker_handlers(off, NoQueue())
        assert (list(handlers), every) == (sorted([IMPORT, MOVEMENT_JOB, FHIR_EXPORT_JOB]), [])
        off.dispose()
    finally:
        built.dispose()


def test_uploads_no_job_waits_for_are_cleared_once_a_day_old(
    database: Database, tmp_path: Path
) -> None:
    import os

    from runrehab.services.activities.background_import import clear_left_uploads

    _job(database, 1)  # job1 is queued: its upload is waited for
    root = tmp_path / "uploads"
    for name in ("job1", "gone-job", "fresh-job"):
        _upload(root / name, 1)
    day_old, now = (AT - timedelta(days=2)).timestamp(), AT.timestamp()
    for name, at in (("job1", day_old), ("gone-job", day_old), ("fresh-job", now)):
        os.utime(root / name, (at, at))
    cleared = clear_left_uploads(_worker(database), root, timedelta(days=1))
    assert cleared == 1
    assert sorted(p.name for p in root.iterdir()) == ["fresh-job", "job1"]
    assert clear_left_uploads(_worker(database), tmp_path / "none yet", timedelta(days=1)) == 0
