"""The runs API: uploading watch files (imported in the background), the imports and their
reports, the activities kept, and the running load with its warnings. Each operation calls one
use case of ``services.activities`` and answers ``jsonable`` of its view, through the
documented model; every id in a path is looked up among the signed-in runner's own: anything
else is 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field, WithJsonSchema

from runrehab.services.activities.load_view import running_load
from runrehab.services.activities.runs_views import (
    activities,
    activity,
    import_job,
    recent_imports,
)
from runrehab.services.views import jsonable
from runrehab.web.api_docs import WATCH_UPLOAD_BODY, api_error_responses
from runrehab.web.deps import AppParts, Csrf, Parts, RunnerDep
from runrehab.web.errors import BadRequest
from runrehab.web.query import DAY_SCHEMA, DayText, iso_day
from runrehab.web.uploads import UploadRefused, guard_uploads, start_upload

router = APIRouter(dependencies=[Depends(guard_uploads), Csrf])

IMPORTS_LISTED = 20
EARLIEST, LATEST = date(1970, 1, 1), date(2199, 12, 31)
"""The days the load can be asked for: the weeks before are counted back from it."""
LOAD_DAYS = r"^(19[7-9][0-9]|2[01][0-9][0-9])-"
"""The same, as the OpenAPI document says it: the years 1970 to 2199."""


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


@dataclass(frozen=True, slots=True)
class Started:
    """An upload's import, queued: where to follow it."""

    job_id: str
    status: str
    url: str
    page: str


@router.post(
    "/api/v1/activities",
    tags=["runs"],
    summary="Upload watch files; they are imported in the background",
    status_code=202,
    response_model=ImportStarted,
    responses=api_error_responses(400, 401, 403, 413),
    openapi_extra=WATCH_UPLOAD_BODY,
)
async def api_upload(request: Request, app_parts: Parts, runner: RunnerDep) -> Response:
    try:
        job = await start_upload(request, app_parts, runner)
    except UploadRefused as err:
        raise HTTPException(err.status, err.message) from err
    url = f"/api/v1/imports/{job.job_id}"
    started = Started(job.job_id, job.status, url, f"/runs/imports/{job.job_id}")
    return JSONResponse(jsonable(started), status_code=202, headers={"Location": url})


@router.get(
    "/api/v1/imports",
    tags=["runs"],
    summary="The runner's recent imports, newest first",
    response_model=ImportsOut,
    responses=api_error_responses(401),
)
def api_imports(app_parts: Parts, runner: RunnerDep) -> Any:
    words = app_parts.content.words
    return jsonable(recent_imports(app_parts.reader(), words, runner.person_id, IMPORTS_LISTED))


@router.get(
    "/api/v1/imports/{job_id}",
    tags=["runs"],
    summary="One import: its state, files done of total, and the report when finished",
    response_model=ImportOut,
    responses=api_error_responses(401, 404),
)
def api_import(app_parts: Parts, runner: RunnerDep, job_id: str) -> Any:
    found = import_job(app_parts.reader(), app_parts.content.words, runner.person_id, job_id)
    if found is None:
        raise HTTPException(404)
    return jsonable(found)


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
) -> Any:
    first = None if since is None else _query_day(app_parts, since, "since")
    return jsonable(activities(app_parts.reader(), runner.person_id, first))


@router.get(
    "/api/v1/activities/{activity_id}",
    tags=["runs"],
    summary="One activity with every measured figure",
    response_model=ActivityOut,
    responses=api_error_responses(401, 404),
)
def api_activity(app_parts: Parts, runner: RunnerDep, activity_id: str) -> Any:
    found = activity(app_parts.reader(), runner.person_id, activity_id)
    if found is None:
        raise HTTPException(404)
    return jsonable(found)


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
    when = runner.today if day is None else _query_day(app_parts, day, "date")
    if not EARLIEST <= when <= LATEST:
        words = app_parts.content.words
        counted = words.say("runs.load.days_counted", first=EARLIEST, last=LATEST)
        raise BadRequest(counted, "query.date")
    view = running_load(app_parts.reader(), app_parts.content, when, weeks, runner.person_id)
    document: dict[str, Any] = jsonable(view)  # an object, as the OpenAPI document says
    return document


def _query_day(app_parts: AppParts, text: str, name: str) -> date:
    """A day parameter's text as a day; a 400 naming the parameter when it is not one."""
    day = iso_day(text)
    if day is None:
        words = app_parts.content.words
        raise BadRequest(words.say("journal.day.not_a_date", text=text[:40]), f"query.{name}")
    return day
