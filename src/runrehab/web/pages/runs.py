"""The runs pages: the runs kept with the running load and its warnings, uploading watch
files, an import's progress and report, and one run's figures.

An upload (one file or a whole Strava or Garmin export) becomes a queued job imported by the
app's one background worker (``web.uploads.start_upload``); the browser goes to the job's
page, which refreshes itself (htmx polling a fragment, or a plain meta refresh without
JavaScript) until the report is there. Every id in a path is looked up among the signed-in
runner's own jobs and activities: anything else is 404.

When the app starts (this router's lifespan, after the app's own has marked the jobs the last
server left unfinished as interrupted), what a server killed mid-import left in the temporary
folder is deleted (``web.uploads.ready_for_imports``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from runrehab.services.accounts.account import AccountError
from runrehab.services.activities.runs_views import import_page, run_page, runs_page
from runrehab.web.deps import AppParts, Csrf, Parts, Runner, RunnerDep
from runrehab.web.rendering import render, templates
from runrehab.web.uploads import UploadRefused, guard_uploads, ready_for_imports, start_upload

router = APIRouter(dependencies=[Depends(guard_uploads), Csrf], lifespan=ready_for_imports)


@router.get("/runs", include_in_schema=False)
def runs(
    request: Request,
    app_parts: Parts,
    runner: RunnerDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    return runs_answer(request, app_parts, runner, page)


def runs_answer(
    request: Request,
    app_parts: AppParts,
    runner: Runner,
    page: int = 1,
    upload_error: str | None = None,
    status_code: int = 200,
) -> Response:
    """The runs page (with why an upload was refused, when it was)."""
    view = runs_page(
        app_parts.reader(),
        app_parts.content,
        runner.person_id,
        runner.today,
        runner.account.timezone,
        app_parts.config.max_upload_bytes,
        page,
    )
    context = {"view": view, "upload_error": upload_error}
    return render(request, "runs/index.html", context, status_code=status_code, active="runs")


@router.post("/runs/upload", include_in_schema=False)
async def upload_submit(request: Request, app_parts: Parts, runner: RunnerDep) -> Response:
    try:
        job = await start_upload(request, app_parts, runner)
    except (UploadRefused, AccountError) as err:
        status = err.status if isinstance(err, UploadRefused) else 400
        return await run_in_threadpool(runs_answer, request, app_parts, runner, 1, str(err), status)
    return RedirectResponse(f"/runs/imports/{job.job_id}", status_code=303)


@router.get("/runs/imports/{job_id}", include_in_schema=False)
def import_job_page(request: Request, app_parts: Parts, runner: RunnerDep, job_id: str) -> Response:
    view = import_page(app_parts.reader(), app_parts.content.words, runner.person_id, job_id)
    if view is None:
        raise HTTPException(404)
    return render(request, "runs/import.html", {"view": view}, active="runs")


@router.get("/runs/imports/{job_id}/status", include_in_schema=False)
def import_status(request: Request, app_parts: Parts, runner: RunnerDep, job_id: str) -> Response:
    """The job's progress as an HTML fragment, for the page's htmx polling. A finished job
    answers htmx with 286, which stops the polling."""
    view = import_page(app_parts.reader(), app_parts.content.words, runner.person_id, job_id)
    if view is None:
        raise HTTPException(404)
    polled = request.headers.get("hx-request") == "true"
    response = templates.TemplateResponse(
        request,
        "runs/_job.html",
        {"view": view},
        status_code=286 if view.job.finished and polled else 200,
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["Vary"] = "HX-Request"
    return response


@router.get("/runs/{activity_id}", include_in_schema=False)
def run(request: Request, app_parts: Parts, runner: RunnerDep, activity_id: str) -> Response:
    view = run_page(app_parts.reader(), app_parts.content, runner.person_id, activity_id)
    if view is None:
        raise HTTPException(404)
    return render(request, "runs/run.html", {"view": view}, active="runs")
