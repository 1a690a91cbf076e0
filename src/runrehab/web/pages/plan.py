"""The plan room's page: the sessions of the coming weeks (a projection from where the runner
stands: every session assumed done in full without pain), four weeks a page, and the five
phases with each gate's criteria, which of the current phase's are met so far, and the rule and
sources behind each. Without a programme the page sends the runner to the knee check."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from runrehab.services.progress.plan import PAGES, plan_page
from runrehab.web.deps import Csrf, PageDay, Parts
from runrehab.web.rendering import render

router = APIRouter(dependencies=[Csrf])


@router.get("/plan", include_in_schema=False)
def plan(
    request: Request,
    app_parts: Parts,
    asked: PageDay,
    page: Annotated[int, Query(ge=1, le=PAGES)] = 1,
) -> Response:
    person_id = asked.runner.person_id
    view = plan_page(app_parts.reader(), app_parts.content, person_id, asked.day, page)
    return render(request, "plan/index.html", {"view": view}, active="plan")
