"""Runs: uploading watch files, the background import and its progress, the runs kept, and
the running load with its warnings.

An upload (one file or a whole Strava or Garmin export) is saved to a private folder, becomes a
queued job, and is imported by the app's one background worker; the browser goes to the job's
page, which refreshes itself (htmx polling a fragment, or a plain meta refresh without
JavaScript) until the report is there. The runs list shows this week's load, the longest-run
cap and the warnings of the day plan, each with its rule id and source. Every id in a path is
looked up among the signed-in runner's own jobs and activities: anything else is 404.

When the app starts (this router's lifespan, after the app's own has marked the jobs the last
server left unfinished as interrupted), what a server killed mid-import left in the temporary
folder is deleted: its uploads and its workers' folder (``uploads.remove_leftovers``).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field, WithJsonSchema
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from runrehab.adapters.watch.model import size_words
from runrehab.services.accounts.account import AccountError, check_timezone
from runrehab.services.activities.background_import import (
    fail_job,
    find_activity,
    find_job,
    has_programme,
    job_view,
    queue_import,
    recent_jobs,
    run_import,
    runs_view,
)
from runrehab.services.activities.import_jobs import ImportJob
from runrehab.services.activities.load_view import load_view
from runrehab.web.deps import AppParts, Csrf, Parts, Runner, RunnerDep
from runrehab.web.errors import BadRequest
from runrehab.web.query import DAY_SCHEMA, DayText, iso_day
from runrehab.web.rendering import render, templates
from runrehab.web.routes.account import COMMON_ZONES
from runrehab.web.routes.system import TIME_ZONES, api_error_responses
from runrehab.web.uploads import (
    SavedUpload,
    UploadRefused,
    discard,
    remove_leftovers,
    save_uploads,
    scanner,
    too_large_message,
)

log = logging.getLogger("runrehab.import")

RUNS_PER_PAGE = 30
REPORT_ROWS = 25
"""Rows of each list a finished import's page shows (the API gives them all): a Strava export
of a thousand runs would otherwise make a page of hundreds of kilobytes."""
LOAD_WEEKS = 4
EARLIEST, LATEST = date(1970, 1, 1), date(2199, 12, 31)
"""The days the load can be asked for: the weeks before are counted back from it."""
LOAD_DAYS = r"^(19[7-9][0-9]|2[01][0-9][0-9])-"
"""The same, as the OpenAPI document says it: the years 1970 to 2199."""


async def guard_uploads(request: Request, app_parts: Parts) -> AsyncIterator[None]:
    """Refuse an upload whose declared size is over the limit before its body is read (the
    CSRF check reads a form's body; an upload that does not declare its size is counted as
    it is saved). Afterwards, close the temporary files of a form read here, even when the
    request was refused half-way (a missing CSRF token)."""
    declared = request.headers.get("content-length", "")
    limit = app_parts.config.max_upload_bytes
    if request.method == "POST" and declared.isdigit() and int(declared) > limit:
        raise HTTPException(413, too_large_message(limit))
    try:
        yield
    finally:
        form = getattr(request, "_form", None)  # Starlette keeps the parsed form there
        if isinstance(form, FormData):
            await form.close()


@asynccontextmanager
async def clean_temp_folder(_app: FastAPI) -> AsyncIterator[None]:
    """At start: delete what killed servers left in the temporary folder (never anything of
    a server still running). A failure to do so never stops the app."""
    try:
        removed = await run_in_threadpool(remove_leftovers)
    except Exception:
        log.exception("could not clean the temporary folder")
    else:
        if removed:
            log.info("removed %d temporary folders left by a stopped server", len(removed))
    yield


router = APIRouter(dependencies=[Depends(guard_uploads), Csrf], lifespan=clean_temp_folder)


# --- the upload, shared by the page and the API -----------------------------------------------


async def _accept_upload(request: Request, app_parts: AppParts, runner: Runner) -> ImportJob:
    """Save the request's files and queue their import; raises UploadRefused or AccountError
    (a bad time zone) with nothing kept."""
    form = await request.form()
    files = [value for _key, value in form.multi_items() if isinstance(value, UploadFile)]
    given = form.get("timezone")
    name = given if isinstance(given, str) and given != "" else runner.account.timezone
    zone = ZoneInfo(check_timezone(name))
    limit = app_parts.config.max_upload_bytes
    saved = await run_in_threadpool(save_uploads, files, limit)
    try:
        return await run_in_threadpool(_start_job, app_parts, runner.person_id, saved, zone)
    except BaseException:
        discard(saved)
        raise


def _start_job(
    app_parts: AppParts, person_id: str, saved: SavedUpload, zone: ZoneInfo
) -> ImportJob:
    new_uow = app_parts.db.unit_of_work
    job = queue_import(new_uow(), app_parts.clock, person_id, saved.names)
    work = functools.partial(
        run_import,
        new_uow,
        app_parts.clock,
        job,
        saved.folder,
        zone,
        scanner(app_parts.content.metrics, app_parts.import_workers),
    )
    try:
        app_parts.background.submit(work)
    except RuntimeError:  # the worker is shutting down with the server
        discard(saved)
        fail_job(
            new_uow,
            app_parts.clock,
            job.id,
            "The server was stopping, so these files were not imported. Upload them again.",
        )
    return job


def _own_job(app_parts: AppParts, runner: Runner, job_id: str) -> ImportJob:
    job = find_job(app_parts.reader(), runner.person_id, job_id)
    if job is None:
        raise HTTPException(404)
    return job


def _own_activity(app_parts: AppParts, runner: Runner, activity_id: str) -> dict[str, Any]:
    found = find_activity(app_parts.reader(), runner.person_id, activity_id)
    if found is None:
        raise HTTPException(404)
    return found


# --- pages ------------------------------------------------------------------------------------


@router.get("/runs", include_in_schema=False)
def runs_page(
    request: Request,
    app_parts: Parts,
    runner: RunnerDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    return render(request, "runs/index.html", _runs_context(app_parts, runner, page), active="runs")


def _runs_context(
    app_parts: AppParts, runner: Runner, page: int = 1, **more: Any
) -> dict[str, Any]:
    runs = runs_view(app_parts.reader(), runner.person_id)
    runs.reverse()  # newest first
    first = (page - 1) * RUNS_PER_PAGE
    zone = runner.account.timezone
    return {
        "runs": runs[first : first + RUNS_PER_PAGE],
        "run_count": len(runs),
        "page": page,
        "pages": max(1, -(-len(runs) // RUNS_PER_PAGE)),
        "load": load_view(
            app_parts.reader(),
            app_parts.content,
            runner.today,
            LOAD_WEEKS,
            runner.person_id,
        ),
        "jobs": [job_view(j) for j in recent_jobs(app_parts.reader(), runner.person_id)],
        "zones": list(COMMON_ZONES) if zone in COMMON_ZONES else [zone, *COMMON_ZONES],
        "zone": zone,
        "upload_limit": size_words(app_parts.config.max_upload_bytes),
        "has_programme": has_programme(app_parts.reader(), runner.person_id),
        **more,
    }


@router.post("/runs/upload", include_in_schema=False)
async def upload_submit(request: Request, app_parts: Parts, runner: RunnerDep) -> Response:
    try:
        job = await _accept_upload(request, app_parts, runner)
    except (UploadRefused, AccountError) as err:
        status = err.status if isinstance(err, UploadRefused) else 400
        context = await run_in_threadpool(
            _runs_context, app_parts, runner, 1, upload_error=str(err)
        )
        return render(request, "runs/index.html", context, status_code=status, active="runs")
    return RedirectResponse(f"/runs/imports/{job.id}", status_code=303)


@router.get("/runs/imports/{job_id}", include_in_schema=False)
def import_page(request: Request, app_parts: Parts, runner: RunnerDep, job_id: str) -> Response:
    job = _own_job(app_parts, runner, job_id)
    return render(request, "runs/import.html", _job_context(job), active="runs")


@router.get("/runs/imports/{job_id}/status", include_in_schema=False)
def import_status(request: Request, app_parts: Parts, runner: RunnerDep, job_id: str) -> Response:
    """The job's progress as an HTML fragment, for the page's htmx polling. A finished job
    answers htmx with 286, which stops the polling."""
    job = _own_job(app_parts, runner, job_id)
    context = _job_context(job)
    finished = context["job"]["finished"]
    polled = request.headers.get("hx-request") == "true"
    response = templates.TemplateResponse(
        request, "runs/_job.html", context, status_code=286 if finished and polled else 200
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["Vary"] = "HX-Request"
    return response


def _job_context(job: ImportJob) -> dict[str, Any]:
    view = job_view(job)
    report = view["report"] or {"imported": [], "duplicates": [], "rejected": [], "skipped": 0}
    counts = {key: len(report[key]) for key in ("imported", "duplicates", "rejected")}
    shown = {key: report[key][:REPORT_ROWS] for key in counts}
    shown["imported"] = sorted(
        report["imported"], key=lambda i: (str(i["local_date"]), str(i["start"]))
    )[:REPORT_ROWS]
    return {"job": view, "report": report, "counts": counts, "shown": shown, "rows": REPORT_ROWS}


@router.get("/runs/{activity_id}", include_in_schema=False)
def run_page(request: Request, app_parts: Parts, runner: RunnerDep, activity_id: str) -> Response:
    run = _own_activity(app_parts, runner, activity_id)
    bucket = app_parts.content.metrics.cadence_bucket_spm
    return render(request, "runs/run.html", {"run": run, "bucket": bucket}, active="runs")


# --- API --------------------------------------------------------------------------------------


class ImportStarted(BaseModel):
    job_id: str
    status: str = Field(description="queued: the import starts as soon as the worker is free.")
    url: str = Field(description="Poll this for the progress and the report.")
    page: str = Field(description="The same, as a web page.")


class ImportedFile(BaseModel):
    file: str
    activity_id: str
    sport: str
    start: str
    local_date: str
    distance_km: float | None
    partial: str | None = Field(description="Why the file looks cut short, when it does.")


class DuplicateFile(BaseModel):
    file: str
    same_as: str = Field(description="The activity id already kept.")
    why: str


class RejectedOut(BaseModel):
    file: str
    reason: str = Field(description="What is wrong with it, in plain words.")


class ImportReportOut(BaseModel):
    imported: list[ImportedFile]
    duplicates: list[DuplicateFile]
    rejected: list[RejectedOut]
    skipped: int = Field(description="Files in a folder or zip that are not activity files.")


class ImportOut(BaseModel):
    job_id: str
    status: str = Field(description="queued, running, done, failed or interrupted.")
    finished: bool
    upload: str = Field(description="What was uploaded, in a few words.")
    done: int
    total: int
    created_at: str
    finished_at: str | None
    message: str | None = Field(description="Why the import failed, when it did.")
    report: ImportReportOut | None


class ImportsOut(BaseModel):
    imports: list[ImportOut]


class Cadence(BaseModel):
    median_spm: float
    p10_spm: float
    p90_spm: float
    histogram: list[dict[str, float]]


class SpeedWorkOut(BaseModel):
    efforts: int
    fast_seconds: int


class WalkRunOut(BaseModel):
    repeats: int
    run_minutes: float
    walk_minutes: float
    running_minutes: float | None = None
    running_km: float | None = None


class ActivityOut(BaseModel):
    activity_id: str
    sport: str
    sport_source: str
    sub_sport: str | None
    start: str = Field(description="ISO 8601 with the offset of the place it was recorded.")
    local_date: str
    elapsed_s: float
    moving_s: float
    distance_km: float | None
    pace_min_per_km: float | None
    elevation_gain_m: float | None
    elevation_loss_m: float | None
    downhill_km: float | None
    cadence_spm: float | None = Field(description="Steps a minute, both feet.")
    cadence: Cadence | None
    avg_hr: float | None
    max_hr: float | None
    speed_work: SpeedWorkOut | None
    walk_run: WalkRunOut | None
    indoor: bool
    device: str | None
    file: str
    file_format: str
    partial: str | None


class ActivitiesOut(BaseModel):
    activities: list[ActivityOut]


_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["files"],
                    "properties": {
                        "files": {
                            "type": "array",
                            "minItems": 1,
                            "items": {"type": "string", "format": "binary"},
                            "description": "FIT, GPX or TCX files (also .gz), or .zip exports.",
                        },
                        "timezone": {
                            "type": "string",
                            "enum": ["", *TIME_ZONES],
                            "description": "Where GPX/TCX runs without an offset were recorded "
                            "(left out or empty: the account's time zone).",
                            "example": "Europe/London",
                        },
                    },
                }
            }
        },
    }
}


@router.post(
    "/api/v1/activities",
    tags=["runs"],
    summary="Upload watch files; they are imported in the background",
    status_code=202,
    response_model=ImportStarted,
    responses=api_error_responses(400, 401, 403, 413),
    openapi_extra=_UPLOAD_BODY,
)
async def api_upload(request: Request, app_parts: Parts, runner: RunnerDep) -> Response:
    try:
        job = await _accept_upload(request, app_parts, runner)
    except UploadRefused as err:
        raise HTTPException(err.status, err.message) from err
    url = f"/api/v1/imports/{job.id}"
    body = ImportStarted(
        job_id=job.id, status=job.status.value, url=url, page=f"/runs/imports/{job.id}"
    )
    return JSONResponse(body.model_dump(), status_code=202, headers={"Location": url})


@router.get(
    "/api/v1/imports",
    tags=["runs"],
    summary="The runner's recent imports, newest first",
    response_model=ImportsOut,
    responses=api_error_responses(401),
)
def api_imports(app_parts: Parts, runner: RunnerDep) -> dict[str, Any]:
    jobs = recent_jobs(app_parts.reader(), runner.person_id, 20)
    return {"imports": [job_view(j) for j in jobs]}


@router.get(
    "/api/v1/imports/{job_id}",
    tags=["runs"],
    summary="One import: its state, files done of total, and the report when finished",
    response_model=ImportOut,
    responses=api_error_responses(401, 404),
)
def api_import(app_parts: Parts, runner: RunnerDep, job_id: str) -> dict[str, Any]:
    return job_view(_own_job(app_parts, runner, job_id))


@router.get(
    "/api/v1/activities",
    tags=["runs"],
    summary="The activities kept, oldest first, with what was measured (like `runrehab runs`)",
    response_model=ActivitiesOut,
    responses=api_error_responses(400, 401),
)
def api_activities(
    app_parts: Parts,
    runner: RunnerDep,
    since: Annotated[
        DayText, Query(description="Only activities from this day on (YYYY-MM-DD).")
    ] = None,
) -> dict[str, Any]:
    first = None if since is None else _query_day(since, "since")
    return {"activities": runs_view(app_parts.reader(), runner.person_id, first)}


@router.get(
    "/api/v1/activities/{activity_id}",
    tags=["runs"],
    summary="One activity with every measured figure",
    response_model=ActivityOut,
    responses=api_error_responses(401, 404),
)
def api_activity(app_parts: Parts, runner: RunnerDep, activity_id: str) -> dict[str, Any]:
    return _own_activity(app_parts, runner, activity_id)


@router.get(
    "/api/v1/load",
    tags=["runs"],
    summary="Running load: weekly minutes and km, the longest-run cap, warnings (like "
    "`runrehab load`)",
    responses=api_error_responses(400, 401, 422),
)
def api_load(
    app_parts: Parts,
    runner: RunnerDep,
    day: Annotated[
        str | None,
        WithJsonSchema({**DAY_SCHEMA, "pattern": LOAD_DAYS}),
        Query(
            alias="date",
            description=f"The day (YYYY-MM-DD, from {EARLIEST} to {LATEST}; default: the "
            "runner's today).",
        ),
    ] = None,
    weeks: Annotated[int, Query(ge=1, le=104, description="Weeks in the table.")] = 12,
) -> dict[str, Any]:
    when = runner.today if day is None else _query_day(day, "date")
    if not EARLIEST <= when <= LATEST:
        raise BadRequest(
            f"The load can be counted for days from {EARLIEST} to {LATEST}.", "query.date"
        )
    return load_view(app_parts.reader(), app_parts.content, when, weeks, runner.person_id)


def _query_day(text: str, name: str) -> date:
    """A day parameter's text as a day; a 400 naming the parameter when it is not one."""
    day = iso_day(text)
    if day is None:
        raise BadRequest(f"“{text[:40]}” is not a date: use the form YYYY-MM-DD.", f"query.{name}")
    return day
