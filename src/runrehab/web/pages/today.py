"""Today: can I run, today's exercises with set ticks and a hold timer, the run with its
walk/run interval timer, and what is still to report.

The page only shows ``services.journal.today.today_page``: every clinical answer (the run
answer, the session, the reasons) and every ask comes from there. A stopped programme shows
only where to go. ``?date=`` looks at another day (``PageDay``: not after the runner's today,
not before the programme); before the programme begins, the page says when it does.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from runrehab.services.clinic.care import clinic_today_page
from runrehab.services.journal.today import StoppedToday
from runrehab.web.deps import Csrf, PageDate, day_in_trip, parts
from runrehab.web.rendering import render

router = APIRouter(dependencies=[Csrf])


@router.get("/today", include_in_schema=False)
async def today(request: Request, when: PageDate = None) -> Response:
    return await run_in_threadpool(_today, request, when)  # one trip (web.deps)


def _today(request: Request, when: str | None) -> Response:
    app_parts = parts(request)
    # one read: who is asking, the day, the page (web.deps, one trip)
    with day_in_trip(request, when, strict=False) as (reader, asked):
        runner = asked.runner
        page = None
        if not asked.when.before_start:
            page = clinic_today_page(
                reader, app_parts.content, runner.person_id, asked.day, runner.today
            )
    if page is None:
        started = {"started": asked.started}
        return render(request, "today/not_started.html", started, active="today")
    context = {"page": page, "view": page.view, "day": asked.day, "is_today": page.is_today}
    template = "today/stopped.html" if isinstance(page.view, StoppedToday) else "today/today.html"
    # the page value is kept whole, its today and clinic panel included, while the runner's
    # journal and clinic rows are unchanged (services.clinic.care): its identity names it
    return render(request, template, context, active="today", kept=(page, ()))
