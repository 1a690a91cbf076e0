"""The plan room's API: the coming sessions (a projection) and the phase timeline, the same
use case as the page, from the runner's today."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from runrehab.services.progress.plan import API_DAYS, plan_view
from runrehab.services.views import jsonable
from runrehab.web.api_docs import api_error_responses
from runrehab.web.deps import Csrf, Parts, RunnerDep

router = APIRouter(dependencies=[Csrf])


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
    days: Annotated[
        int, Query(ge=1, le=366, description="Days of sessions to project.")
    ] = API_DAYS,
) -> dict[str, Any]:
    view = plan_view(app_parts.reader(), app_parts.content, runner.person_id, runner.today, days)
    found: dict[str, Any] = jsonable(view)
    return found
