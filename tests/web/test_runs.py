"""Runs through the pages and the API: uploading watch files (one, or a whole export), the
background import and its progress page, the runs list with this week's load and its warnings,
one run's figures; 404 for another runner's ids; refusals of bad uploads with nothing kept."""

from __future__ import annotations

import io
import shutil
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

import pytest
from fastapi.testclient import TestClient

from runrehab.services.activities.import_jobs import ImportJob, JobStatus
from runrehab.web.app import create_app
from runrehab.web.config import WebConfig
from tests.watchfiles import fit_run, gpx_run, strava_export_zip, tcx_run
from tests.web.conftest import Browser, ProgrammeRunner, sign_up

MORNING = datetime(2026, 11, 28, 7, 30, tzinfo=UTC)
FIT = "application/octet-stream"


def fit_file(start: datetime = MORNING, minutes: float = 20, **changes: Any) -> bytes:
    return fit_run(start, minutes, step_s=5, **changes)


def upload(browser: Browser, *files: tuple[str, bytes], **fields: str) -> Any:
    """The upload form posted without JavaScript."""
    parts = [("files", (name, data, FIT)) for name, data in files]
    return browser.client.post(
        "/runs/upload",
        data={"csrf_token": browser.csrf, **fields},
        files=parts,
        follow_redirects=False,
    )


def wait_for(browser: Browser, job_id: str, timeout_s: float = 15) -> dict[str, Any]:
    """Poll the API until the job has finished."""
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        job: dict[str, Any] = browser.client.get(f"/api/v1/imports/{job_id}").json()
        if job["finished"]:
            return job
        time.sleep(0.05)
    raise AssertionError(f"import {job_id} did not finish in {timeout_s} s")


def uploaded(browser: Browser, *files: tuple[str, bytes], **fields: str) -> dict[str, Any]:
    """Upload through the form, follow to the progress page, wait for the report."""
    answer = upload(browser, *files, **fields)
    assert answer.status_code == 303, answer.text
    location = answer.headers["location"]
    assert location.startswith("/runs/imports/")
    return wait_for(browser, location.rsplit("/", 1)[1])


# --- the no-JavaScript flow -------------------------------------------------------------------
# --- the no-JavaScript flow -------------------------------------------------------------------


def test_a_fit_file_through_the_form_becomes_a_run_with_its_figures(runner: Browser) -> None:
    runner.page("/runs")
    answer = upload(runner, ("morning.fit", fit_file()))
    assert answer.status_code == 303
    progress = runner.page(answer.headers["location"])
    assert progress.status_code == 200
    assert 'aria-live="polite"' in progress.text  # running or, on a quick machine, done
    assert "<progress" in progress.text or "Finished" in progress.text
    job = wait_for(runner, answer.headers["location"].rsplit("/", 1)[1])
    assert job["status"] == "done" and job["done"] == job["total"] == 1
    [imported] = job["report"]["imported"]
    assert imported["file"] == "morning.fit"  # the runner's name, not the temporary folder's

    finished = runner.page(answer.headers["location"])
    assert "Finished" in finished.text and 'http-equiv="refresh"' not in finished.text
    assert "hx-trigger" not in finished.text
    assert f'href="/runs/{imported["activity_id"]}"' in finished.text

    run = runner.page(f"/runs/{imported['activity_id']}")
    assert run.status_code == 200
    assert "3.36 km" in run.text  # 20 minutes at 2.8 m/s
    assert "165 steps a minute" in run.text  # 82.5 strides a minute, both feet
    for figure in ("Moving time", "Elapsed time", "Pace", "Climb", "Downhill", "Heart rate"):
        assert figure in run.text

    runs = runner.page("/runs")
    assert "Sat 28 Nov 2026" in runs.text and "3.36" in runs.text and "165" in runs.text
    assert "only 1 page of runs" in runner.page("/runs?page=9").text


def test_the_progress_page_refreshes_itself_until_done(runner: Browser) -> None:
    client = runner.client
    parts = client.app.state.parts  # type: ignore[attr-defined]
    person = client.get("/api/v1/account").json()["person"]
    job = ImportJob("j" * 32, person, JobStatus.RUNNING, "big.zip", 40, 12, parts.clock.now())
    with parts.db.unit_of_work() as uow:
        uow.jobs.add_job(job)
        uow.commit()
    page = runner.page(f"/runs/imports/{job.id}")
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page.text
    assert f'hx-get="/runs/imports/{job.id}/status"' in page.text
    assert 'hx-trigger="every 1s"' in page.text
    assert "12 of 40 files" in page.text
    fragment = client.get(f"/runs/imports/{job.id}/status", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "12 of 40 files" in fragment.text
    assert "<html" not in fragment.text
    with parts.db.unit_of_work() as uow:
        uow.jobs.update_job(job.id, status=JobStatus.FAILED, message="The disk is full.")
        uow.commit()
    stopped = client.get(f"/runs/imports/{job.id}/status", headers={"HX-Request": "true"})
    assert stopped.status_code == 286  # htmx stops polling
    assert "The disk is full." in stopped.text
    assert client.get(f"/runs/imports/{job.id}/status").status_code == 200  # not htmx


# --- bulk exports, duplicates, time zones -----------------------------------------------------


def test_a_strava_export_reports_imported_duplicate_and_rejected(
    runner: Browser, tmp_path: Path
) -> None:
    export = strava_export_zip(
        tmp_path / "export.zip",
        [
            ("activities/1.fit.gz", fit_file(MORNING), "Run"),
            (
                "activities/2.gpx",
                gpx_run(datetime(2026, 11, 25, 8, tzinfo=UTC), 15, step_s=5),
                "Run",
            ),
            (
                "activities/3.tcx",
                tcx_run(datetime(2026, 11, 26, 8, tzinfo=UTC), 10, step_s=5),
                "Run",
            ),
            ("activities/4.fit", b"this is not a FIT file at all", "Run"),
        ],
    )
    runner.page("/runs")
    job = uploaded(runner, ("export.zip", export.read_bytes()), ("notes.txt", b"hello"))
    report = job["report"]
    assert job["status"] == "done"
    assert {i["file"] for i in report["imported"]} == {
        "export.zip:activities/1.fit.gz",
        "export.zip:activities/2.gpx",
        "export.zip:activities/3.tcx",
    }
    rejected = {r["file"]: r["reason"] for r in report["rejected"]}
    assert set(rejected) == {"export.zip:activities/4.fit", "notes.txt"}
    assert "FIT" in rejected["export.zip:activities/4.fit"]
    assert "not a FIT, GPX or TCX file" in rejected["notes.txt"]
    assert report["skipped"] >= 2  # the csv lists and the photo

    page = runner.page(f"/runs/imports/{job['job_id']}")
    assert "3 activities imported" in page.text
    assert "Could not be used" in page.text and "notes.txt" in page.text

    again = uploaded(runner, ("copy.fit", fit_file(MORNING)))
    assert again["report"]["imported"] == []
    [duplicate] = again["report"]["duplicates"]
    assert duplicate["file"] == "copy.fit" and "imported before" in duplicate["why"]
    assert "Already here" in runner.page(f"/runs/imports/{again['job_id']}").text
    assert len(runner.client.get("/api/v1/activities").json()["activities"]) == 3


def test_a_gpx_run_lands_on_the_day_of_its_time_zone_and_the_folder_goes(
    runner: Browser, monkeypatch: Any
) -> None:
    import tempfile

    made: list[str] = []
    real = tempfile.mkdtemp

    def spy(*args: Any, **kwargs: Any) -> str:
        made.append(real(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(tempfile, "mkdtemp", spy)
    runner.page("/runs")
    late = datetime(2026, 11, 28, 23, 30, tzinfo=UTC)  # Sunday morning in Tokyo
    job = uploaded(runner, ("late.gpx", gpx_run(late, 10, step_s=5)), timezone="Asia/Tokyo")
    assert job["report"]["imported"][0]["local_date"] == "2026-11-29"
    [copy] = [Path(folder) for folder in made if Path(folder).name.startswith("upload-")]
    assert copy.parent.name.startswith("runrehab-tmp-")  # in the process's scratch folder
    assert not copy.exists()  # the upload's private copy is gone


# --- refusals ---------------------------------------------------------------------------------


def test_bad_uploads_are_refused_with_a_message_and_nothing_kept(runner: Browser) -> None:
    runner.page("/runs")
    nothing = runner.client.post(
        "/runs/upload",
        data={"csrf_token": runner.csrf},
        files=[("files", ("", b"", FIT))],  # the form sent with no file chosen
    )
    assert nothing.status_code == 400
    assert "Choose at least one file" in nothing.text
    assert 'aria-invalid="true"' in nothing.text and "<h1>Your runs</h1>" in nothing.text
    no_field = runner.client.post("/runs/upload", data={"csrf_token": runner.csrf})
    assert no_field.status_code == 400
    api = runner.api("POST", "/api/v1/activities", files=[("files", ("", b"", FIT))])
    assert api.status_code == 400 and "Choose at least one file" in api.json()["detail"]
    json_body = runner.api("POST", "/api/v1/activities", json={"files": ["run.fit"]})
    assert json_body.status_code == 400
    zone = upload(runner, ("run.gpx", gpx_run(MORNING, 10, step_s=5)), timezone="Mars/Base")
    assert zone.status_code == 400 and "is not a time zone" in zone.text

    files = [("files", ("run.fit", fit_file(), FIT))]
    no_token = runner.client.post("/runs/upload", files=files, follow_redirects=False)
    assert no_token.status_code == 403
    assert runner.client.post("/api/v1/activities", files=files).status_code == 403
    assert runner.client.get("/api/v1/imports").json()["imports"] == []


def test_too_large_uploads_are_refused(app_config: WebConfig) -> None:
    small = create_app(replace(app_config, max_upload_bytes=2000))
    with TestClient(small, base_url="http://127.0.0.1") as client:
        browser = sign_up(client, "tiny@example.com")
        browser.page("/runs")
        answer = upload(browser, ("big.fit", fit_file()))
        assert answer.status_code == 413 and "larger than this server takes" in answer.text
        files = [("files", ("big.fit", fit_file(), FIT))]
        api = browser.api("POST", "/api/v1/activities", files=files)
        assert api.status_code == 413 and "2000 bytes" in api.json()["detail"]
        assert browser.client.get("/api/v1/imports").json()["imports"] == []


def test_an_upload_the_disk_cannot_take_is_refused_with_nothing_kept(
    runner: Browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    from runrehab.web import uploads

    def full(*_args: Any, **_kwargs: Any) -> Any:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(uploads, "scratch_folder", full)
    runner.page("/runs")
    answer = upload(runner, ("run.fit", fit_file()))
    assert answer.status_code == 503 and "could not store the upload" in answer.text
    assert "Traceback" not in answer.text
    files = [("files", ("run.fit", fit_file(), FIT))]
    api = runner.api("POST", "/api/v1/activities", files=files)
    assert api.status_code == 503 and "nothing was kept" in api.json()["detail"]
    assert runner.client.get("/api/v1/imports").json()["imports"] == []


def test_an_upload_without_a_declared_size_is_counted() -> None:
    from runrehab.content.words import shipped_words
    from runrehab.web.uploads import UploadRefused, save_uploads

    class Part:
        filename: str | None
        file: BinaryIO

        def __init__(self, name: str, data: bytes) -> None:
            self.filename, self.file = name, io.BytesIO(data)

    with pytest.raises(UploadRefused) as refused:
        save_uploads([Part("a.fit", b"x" * 600), Part("b.fit", b"y" * 600)], 1000, shipped_words())
    assert refused.value.status == 413
    saved = save_uploads(
        [Part("../../etc/a.fit", b"x"), Part("a.fit", b"y")], 1000, shipped_words()
    )
    try:
        assert saved.names == ["a.fit", "a.fit"]  # no folders; the same name twice is fine
        assert sorted(p.read_bytes() for p in saved.folder.glob("*/*")) == [b"x", b"y"]
    finally:
        shutil.rmtree(saved.folder)


# --- the API ----------------------------------------------------------------------------------


def test_the_api_upload_answers_202_then_the_report(runner: Browser) -> None:
    answer = runner.api(
        "POST", "/api/v1/activities", files=[("files", ("api.fit", fit_file(), FIT))]
    )
    assert answer.status_code == 202
    started = answer.json()
    assert started["status"] == "queued"
    assert answer.headers["location"] == started["url"] == f"/api/v1/imports/{started['job_id']}"
    job = wait_for(runner, started["job_id"])
    assert job["status"] == "done"
    activity_id = job["report"]["imported"][0]["activity_id"]

    listed = runner.client.get("/api/v1/imports").json()["imports"]
    assert [j["job_id"] for j in listed] == [started["job_id"]]
    activities = runner.client.get("/api/v1/activities").json()["activities"]
    assert [a["activity_id"] for a in activities] == [activity_id]
    one = runner.client.get(f"/api/v1/activities/{activity_id}").json()
    assert one["distance_km"] == pytest.approx(3.36, abs=0.01)
    assert one["cadence_spm"] == pytest.approx(165, abs=1)
    assert one["start"].endswith("+01:00")  # the watch's own offset
    later = runner.client.get("/api/v1/activities", params={"since": "2026-11-29"}).json()
    assert later["activities"] == []
    bad = runner.client.get("/api/v1/activities", params={"since": "yesterday"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"].endswith("since")
    spec = runner.client.get("/openapi.json").json()
    assert (
        "multipart/form-data"
        in spec["paths"]["/api/v1/activities"]["post"]["requestBody"]["content"]
    )


# --- the runs page ----------------------------------------------------------------------------


def test_the_runs_page_without_a_programme(runner: Browser) -> None:
    page = runner.page("/runs")
    assert page.status_code == 200
    assert page.text.count("<h1") == 1
    assert 'enctype="multipart/form-data"' in page.text
    assert 'accept=".fit,.gpx,.tcx,.gz,.zip"' in page.text and "multiple" in page.text
    assert '<option value="Europe/London" selected>' in page.text
    assert "Nothing here yet" in page.text
    assert "load-longest-run-cap" in page.text  # the cap's reason, with its rule id
    assert "Take the knee check" in page.text
    assert 'aria-current="page">Runs' in page.text
    assert "style=" not in page.text and "<script>" not in page.text
    assert runner.page("/runs?page=0").status_code == 422
    assert runner.page("/runs?page=abc").status_code == 422
    assert runner.page("/runs?page=7").status_code == 200
    runner.client.cookies.clear()
    signed_out = runner.client.get("/runs", follow_redirects=False)
    assert signed_out.status_code == 303 and signed_out.headers["location"].startswith("/login")
    assert runner.client.get("/api/v1/activities").status_code == 401


def test_the_runs_page_and_the_api_show_the_cap_and_warnings_with_their_rules(
    runner_with_programme: ProgrammeRunner,
) -> None:
    runner = runner_with_programme
    runner.page("/runs")
    runs = [
        (f"run{day}.fit", fit_file(datetime(2026, 11, day, 7, tzinfo=UTC), minutes))
        for day, minutes in ((20, 20), (24, 40))  # twice as long as the longest before
    ]
    uploaded(runner, *runs)
    load = runner.client.get("/api/v1/load", params={"weeks": 4}).json()
    assert load["date"] == "2026-12-01" and len(load["weeks"]) == 4
    assert load["weeks"][-2]["runs"] == 1  # the week of Monday 23 November
    cap = load["single_run_cap"]
    assert cap["reason"]["rule"] == "load-longest-run-cap"
    assert round(cap["minutes"]) == 44  # 110 % of the longest run of the last 30 days
    assert "load-run-broke-longest-cap" in {w["rule"] for w in load["warnings"]}
    for bad in ({"weeks": 0}, {"weeks": 500}, {"date": "01/12/2026"}, {"date": "0001-01-01"}):
        status = 422 if "weeks" in bad else 400  # a bad day is a 400 naming it, as everywhere
        assert runner.client.get("/api/v1/load", params=bad).status_code == status

    page = runner.page("/runs")
    assert "No run longer than 44 minutes or" in page.text
    for warning in load["warnings"]:
        assert warning["rule"] in page.text and warning["source"] in page.text
    assert "Take care" in page.text
    assert "Take the knee check" not in page.text


# --- other people's things --------------------------------------------------------------------


def test_another_runners_run_and_upload_are_not_found(client: TestClient) -> None:
    owner = sign_up(client, "owner@example.com")
    owner.page("/runs")
    job = uploaded(owner, ("mine.fit", fit_file()))
    activity_id = job["report"]["imported"][0]["activity_id"]
    client.cookies.clear()
    other = sign_up(client, "other@example.com")
    for path in (
        f"/runs/{activity_id}",
        f"/runs/imports/{job['job_id']}",
        f"/runs/imports/{job['job_id']}/status",
        f"/api/v1/activities/{activity_id}",
        f"/api/v1/imports/{job['job_id']}",
        "/runs/no-such-run",
        "/api/v1/imports/no-such-job",
    ):
        assert other.client.get(path).status_code == 404, path
    assert other.client.get("/api/v1/activities").json()["activities"] == []
    assert other.client.get("/api/v1/imports").json()["imports"] == []


# --- the worker never leaves a job running ----------------------------------------------------


def test_a_worker_that_fails_marks_the_job_failed(runner: Browser, monkeypatch: Any) -> None:
    from runrehab.adapters.queue import watch_scan

    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise OSError("the disk went away")

    monkeypatch.setattr(watch_scan, "discover", broken)
    runner.page("/runs")
    job = uploaded(runner, ("run.fit", fit_file()))
    assert job["status"] == "failed" and "upload the files again" in job["message"]
    assert runner.client.get("/api/v1/activities").json()["activities"] == []
    page = runner.page(f"/runs/imports/{job['job_id']}")
    assert "did not finish" in page.text


def test_odd_ids_are_simply_not_found(runner: Browser) -> None:
    # a NUL is refused before routing (400), whatever the route
    assert runner.client.get("/runs/imports/a%00b").status_code == 400
    assert runner.client.get("/api/v1/activities/a%00b").status_code == 400
    for odd in ("x" * 500, "%C3%A9t%C3%A9", "..%2F..%2Fetc"):
        for path in ("/runs/imports/{}", "/runs/imports/{}/status", "/api/v1/imports/{}"):
            assert runner.client.get(path.format(odd)).status_code == 404, path.format(odd)
        for path in ("/runs/{}", "/api/v1/activities/{}"):
            assert runner.client.get(path.format(odd)).status_code == 404, path.format(odd)


# --- an import the server died in -------------------------------------------------------------


SCRATCH_PREFIX, LOCK_NAME = "runrehab-tmp-", "in-use.lock"
"""A RunRehab process's folder in the temporary folder, and the file it keeps locked."""


class ServerKilled(BaseException):
    """The process dies here: no ``except Exception`` sees it, so nothing more is written."""


def _files(count: int) -> list[tuple[str, bytes]]:
    return [
        (f"run{i:02d}.fit", fit_file(datetime(2026, 10, 1 + i, 7, tzinfo=UTC), 10))
        for i in range(count)
    ]


def _restarted(app_config: WebConfig, browser: Browser) -> tuple[TestClient, Browser]:
    """A new server on the same database (its start marks the unfinished job interrupted),
    with the same signed-in browser."""
    client = TestClient(create_app(app_config), base_url="http://127.0.0.1")
    client.__enter__()
    client.cookies = browser.client.cookies
    return client, Browser(client, browser.email, browser.csrf)


def test_an_interrupted_import_reports_what_it_kept_and_uploading_again_finishes_it(
    runner: Browser, app_config: WebConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    from runrehab.services.activities import background_import as web_import
    from runrehab.services.activities import watch_import as activities
    from runrehab.web import uploads

    monkeypatch.setattr(activities, "BATCH_FILES", 3)  # a batch every 3 files...
    monkeypatch.setattr(web_import, "PROGRESS_EVERY_S", 3600.0)  # ... and not by the clock
    real_measure = uploads.measure_all

    def dies_at_the_eighth_file(*args: Any, **kwargs: Any) -> Any:
        for number, item in enumerate(real_measure(*args, **kwargs)):
            if number == 7:
                raise ServerKilled
            yield item

    monkeypatch.setattr(uploads, "measure_all", dies_at_the_eighth_file)
    files = _files(10)
    runner.page("/runs")
    answer = upload(runner, *files)
    assert answer.status_code == 303
    job_id = answer.headers["location"].rsplit("/", 1)[1]
    parts = runner.client.app.state.parts  # type: ignore[attr-defined]
    parts.background.submit(lambda: None).result(timeout=30)  # the worker is past the import
    running = runner.client.get(f"/api/v1/imports/{job_id}").json()
    assert running["status"] == "running"  # nobody was left to say otherwise
    monkeypatch.setattr(uploads, "measure_all", real_measure)

    client, again = _restarted(app_config, runner)
    try:
        stopped = again.client.get(f"/api/v1/imports/{job_id}").json()
        stored = again.client.get("/api/v1/activities").json()["activities"]
        # files 1-6 were written in two batches; 7 was read, but its batch never came
        assert [a["file"] for a in stored] == [name for name, _ in files[:6]]
        assert stopped["status"] == "interrupted" and stopped["finished"]
        assert stopped["done"] == 6 and stopped["total"] == 10
        kept = stopped["report"]["imported"]
        assert sorted(i["activity_id"] for i in kept) == sorted(a["activity_id"] for a in stored)
        assert [i["file"] for i in kept] == [name for name, _ in files[:6]]
        assert stopped["report"]["duplicates"] == stopped["report"]["rejected"] == []
        message = stopped["message"]
        assert "after 6 of 10 files" in message
        assert "The 6 activities imported before then are kept" in message
        assert "Upload the same files again to finish" in message

        page = again.page(f"/runs/imports/{job_id}")
        assert "Stopped" in page.text and "<h3>Kept</h3>" in page.text
        for activity in stored:
            assert f'href="/runs/{activity["activity_id"]}"' in page.text
        listed = again.client.get("/api/v1/imports").json()["imports"]
        assert listed[0]["report"]["imported"] == kept

        again.page("/runs")
        finished = uploaded(again, *files)
        assert finished["status"] == "done" and finished["done"] == finished["total"] == 10
        report = finished["report"]
        assert [i["file"] for i in report["imported"]] == [name for name, _ in files[6:]]
        assert [d["file"] for d in report["duplicates"]] == [name for name, _ in files[:6]]
        assert {d["same_as"] for d in report["duplicates"]} == {i["activity_id"] for i in kept}
        assert {d["why"] for d in report["duplicates"]} == {"the same file was imported before"}
        assert report["rejected"] == []
        assert len(again.client.get("/api/v1/activities").json()["activities"]) == 10
    finally:
        client.__exit__(None, None, None)


def test_a_job_that_stopped_before_its_first_batch_says_to_upload_again(
    runner: Browser, app_config: WebConfig
) -> None:
    parts = runner.client.app.state.parts  # type: ignore[attr-defined]
    person = runner.client.get("/api/v1/account").json()["person"]
    job = ImportJob("q" * 32, person, JobStatus.QUEUED, "big.zip", 3, 0, parts.clock.now())
    with parts.db.unit_of_work() as uow:
        uow.jobs.add_job(job)
        uow.commit()
    client, again = _restarted(app_config, runner)
    try:
        stopped = again.client.get(f"/api/v1/imports/{job.id}").json()
        assert stopped["status"] == "interrupted" and stopped["report"] is None
        assert "Upload the same files again to finish it" in stopped["message"]
        page = again.page(f"/runs/imports/{job.id}")
        assert "Stopped" in page.text and "Kept" not in page.text
    finally:
        client.__exit__(None, None, None)


def test_a_failed_import_lists_what_it_kept(runner: Browser, monkeypatch: Any) -> None:
    from runrehab.services.activities import watch_import as activities
    from runrehab.web import uploads

    monkeypatch.setattr(activities, "BATCH_FILES", 2)
    real_measure = uploads.measure_all

    def breaks_at_the_third_file(*args: Any, **kwargs: Any) -> Any:
        for number, item in enumerate(real_measure(*args, **kwargs)):
            if number == 2:
                raise OSError("the disk went away")
            yield item

    monkeypatch.setattr(uploads, "measure_all", breaks_at_the_third_file)
    runner.page("/runs")
    job = uploaded(runner, *_files(4))
    assert job["status"] == "failed" and job["done"] == 2
    assert [i["file"] for i in job["report"]["imported"]] == ["run00.fit", "run01.fit"]
    assert "Something went wrong during this import, after 2 of 4 files" in job["message"]
    assert "The 2 activities imported before then are kept" in job["message"]
    assert len(runner.client.get("/api/v1/activities").json()["activities"]) == 2


# --- what a killed server left in the temporary folder ----------------------------------------


def test_the_app_start_deletes_what_killed_servers_left_and_nothing_else(
    app_config: WebConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fcntl
    import os
    import tempfile

    root = tmp_path / "tmp"
    root.mkdir()

    def folder(name: str, *, lock: bool = True, age_s: float = 0) -> Path:
        made = root / name
        (made / "upload-x1y2" / "0000").mkdir(parents=True)
        (made / "upload-x1y2" / "0000" / "run.fit").write_bytes(b"a run")
        (made / "workers").mkdir()
        if lock:
            (made / LOCK_NAME).touch()
        if age_s:
            then = time.time() - age_s
            os.utime(made, (then, then))
        return made

    dead = folder(f"{SCRATCH_PREFIX}dead")  # its process was killed: the lock is free
    died_young = folder(f"{SCRATCH_PREFIX}nolock", lock=False, age_s=120)
    starting = folder(f"{SCRATCH_PREFIX}starting", lock=False)  # being made right now
    running = folder(f"{SCRATCH_PREFIX}running")
    held = os.open(running / LOCK_NAME, os.O_RDWR)
    fcntl.flock(held, fcntl.LOCK_EX)  # a server that is still running
    legacy_old = root / "runrehab-upload-old"
    (legacy_old / "0000").mkdir(parents=True)
    (legacy_old / "0000" / "run.fit").write_bytes(b"an old release's upload")
    os.utime(legacy_old, (time.time() - 2 * 86400, time.time() - 2 * 86400))
    legacy_new = root / "runrehab-upload-new"
    legacy_new.mkdir()
    others = [root / "pymp-abc123", root / "someone-else", root / "runrehab-pages-x"]
    for other in others:
        other.mkdir()
        (other / "keep.txt").write_text("not RunRehab's")
    plain_file = root / f"{SCRATCH_PREFIX}a-file"
    plain_file.write_text("a file, not a folder")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("the target of a link")
    link = root / f"{SCRATCH_PREFIX}link"
    link.symlink_to(elsewhere, target_is_directory=True)

    client = TestClient(create_app(app_config), base_url="http://127.0.0.1")
    try:
        with monkeypatch.context() as only_while_starting:
            only_while_starting.setattr(tempfile, "tempdir", str(root))
            client.__enter__()
        assert client.get("/healthz").status_code == 200
    finally:
        client.__exit__(None, None, None)
        os.close(held)

    assert not dead.exists() and not died_young.exists() and not legacy_old.exists()
    assert (running / "upload-x1y2" / "0000" / "run.fit").read_bytes() == b"a run"
    assert (starting / "upload-x1y2" / "0000" / "run.fit").exists()
    assert legacy_new.exists()
    for other in others:
        assert (other / "keep.txt").read_text() == "not RunRehab's"
    assert plain_file.read_text() == "a file, not a folder"
    assert link.is_symlink() and (elsewhere / "keep.txt").exists()
