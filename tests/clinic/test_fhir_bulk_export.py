"""The clinic's FHIR bulk export (issue 17: background work through the queue): an admin
starts it, a job makes every patient's Bundle, one per line, and the files are downloaded
once it is done. Run again after its worker was killed, it goes on where it stopped and
stores and logs each patient once; a worker killed too often fails it saying so, keeping
nothing; one record that cannot be exported is an OperationOutcome line, not a lost export.
On PostgreSQL with ``RUNREHAB_JOB_QUEUE=postgres`` the job waits in procrastinate's queue for
``runrehab worker``'s handlers."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from fhir.resources.R4B.bundle import Bundle
from sqlalchemy import func, select

from runrehab import bootstrap
from runrehab.adapters.db.tables import clinic_export_lines
from runrehab.adapters.exports.fhir import fhir_bundle
from runrehab.services.clinic.exports import (
    FHIR_EXPORT_JOB,
    KEEP_DAYS,
    MAX_ATTEMPTS,
    ExportWorker,
    export_handler,
)
from runrehab.services.content import ProgrammeContent
from runrehab.services.jobs import Job, Payload
from runrehab.services.progress.fhir_export import FhirSource
from tests.clinic.conftest import Actor, Clinic
from tests.clinic.others import looked, other_clinic
from tests.web.conftest import PASSWORD

EXPORTS = "/api/v1/clinic/exports"
EXPORTED = "Exported your record with every patient's, for the clinic's record system (FHIR)"


class HeldQueue:
    """A queue whose jobs wait for the test to run them (as ``runrehab worker`` would)."""

    def __init__(self) -> None:
        self.jobs: list[Job] = []

    def enqueue(self, kind: str, payload: Payload, *, key: str | None = None) -> None:
        self.jobs.append(Job(kind, payload))

    def attach(self, key: str, folder: Any) -> Any:
        return folder


def held(clinic: Clinic) -> HeldQueue:
    """The app's jobs held for the test, none run by the app itself."""
    queue = HeldQueue()
    clinic.parts.jobs = queue
    return queue


def finished(admin: Actor, export_id: str) -> dict[str, Any]:
    """The export once its job has ended (the app's own thread runs it)."""
    deadline = time.monotonic() + 30
    while True:
        answer = admin.call("GET", f"{EXPORTS}/{export_id}")
        assert answer.status_code == 200, answer.text
        if answer.json()["finished"] or time.monotonic() > deadline:
            return dict(answer.json())
        time.sleep(0.05)


def bundles(admin: Actor, url: str) -> list[Bundle]:
    answer = admin.call("GET", url)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/fhir+ndjson")
    assert "attachment" in answer.headers["content-disposition"]
    return [Bundle.model_validate_json(line) for line in answer.text.splitlines()]


def patients_in(found: list[Bundle]) -> set[str]:
    return {
        str(e.resource.id)
        for b in found
        for e in b.entry or []
        if e.resource is not None and e.resource.get_resource_type() == "Patient"
    }


def worker(clinic: Clinic, write: Any = fhir_bundle) -> Callable[[Job], None]:
    """``runrehab worker``'s handler of the export, on the app's database, with ``write``."""
    parts = clinic.parts

    def content(_language: str) -> ProgrammeContent:
        return parts.content

    return export_handler(ExportWorker(parts.db.unit_of_work, parts.clock, content, write))


def stored_lines(clinic: Clinic, export_id: str) -> int:
    with clinic.parts.db.engine.connect() as connection:
        return int(
            connection.execute(
                select(func.count())
                .select_from(clinic_export_lines)
                .where(clinic_export_lines.c.export_id == export_id)
            ).scalar_one()
        )


def times_exported(runner: Actor) -> int:
    return sum(e["what"] == EXPORTED for e in looked(runner))


def test_an_admin_exports_every_patient_of_the_clinic_one_bundle_a_line(clinic: Clinic) -> None:
    rita = clinic.new_runner("rita@example.com")
    sam = clinic.new_runner("sam@example.com")
    left = clinic.new_runner("lena@example.com")
    assert left.call("DELETE", "/api/v1/clinic/membership").status_code == 200
    other_admin = other_clinic(clinic)
    code = other_admin.call("POST", "/api/v1/clinic/invitations", json={"kind": "patient"})
    bob = clinic.new_runner("bob@example.com", join=False)
    assert bob.call("POST", "/api/v1/clinic/join", json={"code": code.json()["code"]}).is_success

    started = clinic.admin.call("POST", EXPORTS)
    assert started.status_code == 202, started.text
    assert started.headers["location"] == f"{EXPORTS}/{started.json()['id']}"
    export = finished(clinic.admin, started.json()["id"])
    assert (export["status"], export["total"], export["done"]) == ("done", 2, 2)
    assert export["error"] == []
    ((output,),) = [export["output"]]
    assert (output["type"], output["count"]) == ("Bundle", 2)
    found = bundles(clinic.admin, output["url"])
    assert patients_in(found) == {rita.person_id, sam.person_id}  # not who left, nor B's
    assert all(b.type == "collection" for b in found)
    assert bundles(clinic.admin, output["url"]) == found  # the same file every time

    # each patient sees the export in who looked at their data, once; the clinic's log has
    # who started it and who downloaded it
    assert (times_exported(rita), times_exported(sam), times_exported(left)) == (1, 1, 0)
    log = [e["what"] for e in clinic.admin.call("GET", "/api/v1/clinic/audit").json()["entries"]]
    assert "Started an export of every patient's record (FHIR)" in log
    assert "Downloaded an export of every patient's record (FHIR)" in log

    # the other clinic's admin sees neither the export nor its file
    assert other_admin.call("GET", f"{EXPORTS}/{export['id']}").status_code == 404
    assert other_admin.call("GET", output["url"]).status_code == 404
    assert other_admin.call("GET", EXPORTS).json()["exports"] == []
    # a clinician who is not an admin neither
    carl = clinic.new_clinician("carl@clinic.test")
    assert carl.call("POST", EXPORTS).status_code == 404
    assert carl.call("GET", output["url"]).status_code == 404


def test_a_second_start_while_one_is_waiting_answers_that_one(clinic: Clinic) -> None:
    clinic.new_runner("rita@example.com")
    queue = held(clinic)
    first = clinic.admin.call("POST", EXPORTS).json()
    again = clinic.admin.call("POST", EXPORTS).json()
    assert again["id"] == first["id"] and len(queue.jobs) == 1
    assert (queue.jobs[0].kind, queue.jobs[0].payload) == (FHIR_EXPORT_JOB, {"export": first["id"]})
    waiting = clinic.admin.call("GET", f"{EXPORTS}/{first['id']}/Bundle.ndjson")
    assert waiting.status_code == 409 and "still being made" in waiting.json()["detail"]
    assert clinic.admin.call("GET", EXPORTS).json()["busy"] is True


def test_an_export_still_waiting_a_day_later_is_answered_and_no_other_started(
    clinic: Clinic,
) -> None:
    clinic.new_runner("rita@example.com")
    queue = held(clinic)
    first = clinic.admin.call("POST", EXPORTS).json()
    clinic.clock.advance(days=1)
    assert clinic.admin.call("POST", EXPORTS).json()["id"] == first["id"]
    assert len(queue.jobs) == 1


def test_a_process_that_runs_its_own_jobs_fails_what_it_left_unfinished_when_it_starts(
    clinic: Clinic,
) -> None:
    """On SQLite the web process makes exports itself: one it was making when it stopped
    will never be finished, and would hold back the clinic's next. The next start fails it,
    saying so."""
    from runrehab.web.app import create_app

    clinic.new_runner("rita@example.com")
    held(clinic)
    export_id = clinic.admin.call("POST", EXPORTS).json()["id"]
    with TestClient(create_app(clinic.parts.config), base_url="http://127.0.0.1"):
        pass  # another start of the server on the same database
    export = clinic.admin.call("GET", f"{EXPORTS}/{export_id}").json()
    assert export["status"] == "failed"
    assert "The server stopped while this export was being made" in export["message"]
    assert clinic.admin.call("POST", EXPORTS).json()["id"] != export_id


def test_a_killed_worker_leaves_the_export_to_go_on_and_each_patient_is_stored_once(
    clinic: Clinic,
) -> None:
    runners = [clinic.new_runner(f"r{n}@example.com") for n in range(3)]
    queue = held(clinic)
    export_id = clinic.admin.call("POST", EXPORTS).json()["id"]
    (job,) = queue.jobs
    made: list[str] = []

    def killed_on_the_second(
        source: FhirSource, content: ProgrammeContent, *args: Any, **kwargs: Any
    ) -> dict[str, Any]:
        if made:
            raise KeyboardInterrupt  # what a killed process leaves: nothing after this
        made.append(source.journal.person.id if source.journal.person else "")
        return fhir_bundle(source, content, *args, **kwargs)

    with pytest.raises(KeyboardInterrupt):
        worker(clinic, killed_on_the_second)(job)
    half = clinic.admin.call("GET", f"{EXPORTS}/{export_id}").json()
    assert (half["status"], half["done"], half["total"]) == ("running", 1, 3)
    assert clinic.admin.call("GET", f"{EXPORTS}/{export_id}/Bundle.ndjson").status_code == 409

    run = worker(clinic)
    run(Job(job.kind, job.payload, attempt=1))  # the queue runs it again
    run(Job(job.kind, job.payload, attempt=2))  # ... and delivers it once more
    export = clinic.admin.call("GET", f"{EXPORTS}/{export_id}").json()
    assert (export["status"], export["done"], export["output"][0]["count"]) == ("done", 3, 3)
    found = bundles(clinic.admin, export["output"][0]["url"])
    assert patients_in(found) == {r.person_id for r in runners} and len(found) == 3
    assert [times_exported(r) for r in runners] == [1, 1, 1]


def test_an_export_whose_worker_keeps_dying_fails_saying_so_and_keeps_nothing(
    clinic: Clinic,
) -> None:
    clinic.new_runner("rita@example.com")
    clinic.new_runner("sam@example.com")
    queue = held(clinic)
    export_id = clinic.admin.call("POST", EXPORTS).json()["id"]
    (job,) = queue.jobs

    def dies(*_args: Any, **_kwargs: Any) -> dict[str, Any]:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        worker(clinic, dies)(job)
    worker(clinic)(Job(job.kind, job.payload, attempt=MAX_ATTEMPTS))
    export = clinic.admin.call("GET", f"{EXPORTS}/{export_id}").json()
    assert export["status"] == "failed" and export["output"] == []
    assert f"stopped {MAX_ATTEMPTS} times" in export["message"]
    assert stored_lines(clinic, export_id) == 0
    assert clinic.admin.call("GET", f"{EXPORTS}/{export_id}/Bundle.ndjson").status_code == 409
    # a new one may be started at once
    assert clinic.admin.call("POST", EXPORTS).json()["id"] != export_id


def test_a_record_that_cannot_be_exported_is_an_operation_outcome_not_a_lost_export(
    clinic: Clinic,
) -> None:
    rita = clinic.new_runner("rita@example.com")
    sam = clinic.new_runner("sam@example.com")
    queue = held(clinic)
    export_id = clinic.admin.call("POST", EXPORTS).json()["id"]

    def refuses_sam(source: FhirSource, *args: Any, **kwargs: Any) -> dict[str, Any]:
        if source.journal.person and source.journal.person.id == sam.person_id:
            raise ValueError("a record the writer refuses")
        return fhir_bundle(source, *args, **kwargs)

    worker(clinic, refuses_sam)(queue.jobs[0])
    export = clinic.admin.call("GET", f"{EXPORTS}/{export_id}").json()
    assert export["status"] == "done"
    assert [(f["type"], f["count"]) for f in export["output"] + export["error"]] == [
        ("Bundle", 1),
        ("OperationOutcome", 1),
    ]
    assert patients_in(bundles(clinic.admin, export["output"][0]["url"])) == {rita.person_id}
    answer = clinic.admin.call("GET", export["error"][0]["url"])
    (outcome,) = [json.loads(line) for line in answer.text.splitlines()]
    assert outcome["resourceType"] == "OperationOutcome"
    (issue,) = outcome["issue"]
    assert issue["expression"] == [f"Patient/{sam.person_id}"]
    assert "could not be exported (ValueError)" in issue["diagnostics"]
    assert "a record the writer refuses" not in answer.text  # no internals in the file


def test_a_runner_who_erases_their_data_leaves_every_export(clinic: Clinic) -> None:
    rita = clinic.new_runner("rita@example.com")
    sam = clinic.new_runner("sam@example.com")
    export = finished(clinic.admin, clinic.admin.call("POST", EXPORTS).json()["id"])
    gone = sam.call("POST", "/api/v1/account/delete", json={"password": PASSWORD})
    assert gone.status_code == 204, gone.text
    again = clinic.admin.call("GET", f"{EXPORTS}/{export['id']}").json()
    assert again["output"][0]["count"] == 1
    assert patients_in(bundles(clinic.admin, again["output"][0]["url"])) == {rita.person_id}


def test_an_export_is_kept_a_week_then_deleted(clinic: Clinic) -> None:
    clinic.new_runner("rita@example.com")
    old = finished(clinic.admin, clinic.admin.call("POST", EXPORTS).json()["id"])
    clinic.clock.advance(days=KEEP_DAYS - 1)
    assert clinic.admin.call("GET", f"{EXPORTS}/{old['id']}").status_code == 200
    clinic.clock.advance(days=1, seconds=1)
    assert clinic.admin.call("GET", f"{EXPORTS}/{old['id']}").status_code == 404
    assert clinic.admin.call("GET", old["output"][0]["url"]).status_code == 404
    assert clinic.admin.call("GET", EXPORTS).json()["exports"] == []
    finished(clinic.admin, clinic.admin.call("POST", EXPORTS).json()["id"])
    assert stored_lines(clinic, old["id"]) == 0  # deleted, not only hidden


def test_the_admins_page_starts_an_export_and_offers_its_file(clinic: Clinic) -> None:
    clinic.new_runner("rita@example.com")
    admin = clinic.admin
    page = admin.call("GET", "/clinic/exports")
    assert page.status_code == 200 and "No export yet." in page.text
    started = admin.call("POST", "/clinic/exports")
    assert started.status_code == 303 and started.headers["location"] == "/clinic/exports"
    export_id = admin.call("GET", EXPORTS).json()["exports"][0]["id"]
    finished(admin, export_id)
    page = admin.call("GET", "/clinic/exports")
    assert "Download the records (1 patient)" in page.text
    assert f'href="/clinic/exports/{export_id}/Bundle.ndjson"' in page.text
    download = admin.call("GET", f"/clinic/exports/{export_id}/Bundle.ndjson")
    assert download.status_code == 200 and len(download.text.splitlines()) == 1
    assert admin.call("GET", f"/clinic/exports/{export_id}/Patient.ndjson").status_code == 422


def test_on_postgresql_the_export_waits_in_the_queue_for_the_worker(
    postgres_url: str, clock: Any, monkeypatch: Any, tmp_path: Any
) -> None:
    """``RUNREHAB_JOB_QUEUE=postgres``: the job is procrastinate's; the web process makes
    nothing, and ``runrehab worker``'s handlers make it."""
    import psycopg

    from runrehab.adapters.passwords import fast_passwords
    from runrehab.adapters.queue.postgres import conninfo
    from runrehab.web.app import create_app
    from runrehab.web.config import WebConfig
    from tests.clinic.conftest import clinic_on

    monkeypatch.setenv("RUNREHAB_JOB_QUEUE", "postgres")
    monkeypatch.setenv("RUNREHAB_UPLOAD_DIR", str(tmp_path / "uploads"))
    config = WebConfig(database=postgres_url, clock=clock, passwords=fast_passwords())
    client = TestClient(create_app(config), base_url="http://127.0.0.1")
    with client, clinic_on(client, clock) as clinic:
        rita = clinic.new_runner("rita@example.com")
        export_id = clinic.admin.call("POST", EXPORTS).json()["id"]
        info = conninfo(client.app.state.parts.db.engine.url)  # type: ignore[attr-defined]
        with psycopg.connect(info) as connection:
            rows = connection.execute("SELECT args FROM procrastinate_jobs").fetchall()
        ((args,),) = rows
        args = args if isinstance(args, dict) else json.loads(args)
        assert (args["kind"], args["payload"]) == (FHIR_EXPORT_JOB, {"export": export_id})
        assert clinic.admin.call("GET", f"{EXPORTS}/{export_id}").json()["status"] == "queued"

        built = bootstrap.runtime(postgres_url, clock=clock)
        try:
            handlers, _every = bootstrap.worker_handlers(built, HeldQueue())
            handlers.run(Job(args["kind"], args["payload"]))
        finally:
            built.dispose()
        export = clinic.admin.call("GET", f"{EXPORTS}/{export_id}").json()
        assert export["status"] == "done"
        assert patients_in(bundles(clinic.admin, export["output"][0]["url"])) == {rita.person_id}
