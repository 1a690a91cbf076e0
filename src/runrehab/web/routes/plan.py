"""The plan room: the coming weeks and the phase timeline.

``/plan`` shows the sessions of the coming weeks (a projection from where the runner stands,
as ``coming_sessions`` makes it: every session assumed done in full without pain) and the five
phases with each gate's criteria, which of the current phase's are met so far, and the rule and
sources behind each. ``/api/v1/plan`` answers the same as JSON. Everything here only reads.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from runrehab.adapters.exports.sessions import dose, run_words
from runrehab.errors import JournalError
from runrehab.services.progress.figures import PROJECTION_NOTICE, coming_sessions
from runrehab.services.progress.timeline import calendar_weeks, phase_timeline
from runrehab.web.deps import AppParts, Csrf, Parts, RunnerDep
from runrehab.web.rendering import render
from runrehab.web.routes.system import api_error_responses

router = APIRouter(dependencies=[Csrf])

NO_PROGRAMME = "No programme yet: take the knee check at /start first."
PAGE_WEEKS = 4  # weeks of sessions on one page: 28 days keep the page light
PAGES = 3  # the calendar reaches 12 weeks ahead, four at a time


def plan_view(app_parts: AppParts, person_id: str, day: date, days: int) -> dict[str, Any]:
    """The phase timeline and the coming ``days`` of sessions from ``day``, read in one
    transaction; JournalError (409) without a programme."""
    with app_parts.reader() as uow:
        repo = uow.repo
        if repo.current_programme(person_id) is None:
            raise JournalError(NO_PROGRAMME)
        timeline = phase_timeline(repo, app_parts.content, person_id, day)
        sessions = coming_sessions(repo, app_parts.content, person_id, day, days)
    return {
        "schema_version": 1,
        "date": day.isoformat(),
        "projection": True,
        # on hold, every projected session carries the hold: the notice says it first
        "notice": sessions[0]["notice"] if sessions else PROJECTION_NOTICE,
        "timeline": timeline,
        "sessions": sessions,
    }


def _has_programme(app_parts: AppParts, person_id: str) -> bool:
    with app_parts.reader() as uow:
        return uow.repo.current_programme(person_id) is not None


# --- pages --------------------------------------------------------------------------------------


@router.get("/plan", include_in_schema=False)
def plan_page(
    request: Request,
    app_parts: Parts,
    runner: RunnerDep,
    page: Annotated[int, Query(ge=1, le=PAGES)] = 1,
) -> Response:
    if not _has_programme(app_parts, runner.person_id):
        return RedirectResponse("/start", status_code=303)
    # later weeks are sliced from one projection from today: projecting from a later day
    # would fold the days between as days without a report, not as sessions done in full
    days = PAGE_WEEKS * 7
    view = plan_view(app_parts, runner.person_id, runner.today, page * days)
    context = {
        "view": view,
        "timeline": view["timeline"],
        "weeks": calendar_weeks(view["sessions"][(page - 1) * days :]),
        "page": page,
        "pages": PAGES,
        "first_week": (page - 1) * PAGE_WEEKS + 1,
        "shown_weeks": PAGE_WEEKS,
        "dose": dose,
        "run_words": run_words,
    }
    return render(request, "plan/index.html", context, active="plan")


# --- API ----------------------------------------------------------------------------------------


@router.get(
    "/api/v1/plan",
    tags=["plan"],
    summary="The coming sessions (a projection) and the phase timeline with its gates",
    description=(
        "`sessions`: the next `days` days from today, projected from where the runner stands "
        "as if every session were done in full without pain (each says `projection: true`). "
        "`timeline`: the five phases, each with its gate criteria, `state` (done, current, "
        "ahead, not_on_pathway), the rule and sources; the current phase's criteria carry "
        "`met`, `status` (met, not_yet, or failed: a readiness test tried and not passed), "
        "`day` (when it was met, or the last try) and the facts (`detail`)."
    ),
    responses=api_error_responses(401, 409, 422),
)
def api_plan(
    app_parts: Parts,
    runner: RunnerDep,
    days: Annotated[int, Query(ge=1, le=366, description="Days of sessions to project.")] = 28,
) -> dict[str, Any]:
    return plan_view(app_parts, runner.person_id, runner.today, days)
