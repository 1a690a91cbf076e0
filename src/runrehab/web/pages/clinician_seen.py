"""The page "A physiotherapist or doctor has seen my knee": it ends a referral for a runner
without a clinic (``services.journal.clinician_seen``).

``GET /clinician-seen`` shows the form (what it is for, for the programme as it stands);
``POST /clinician-seen`` keeps the note of the clinician's advice and sends the runner to the
knee check, whose answers start a new programme; a refusal shows the form again with why."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from runrehab.services.journal.clinician_seen import (
    ClinicianSeenRefused,
    clinician_seen,
    clinician_seen_page,
)
from runrehab.web.deps import Csrf, Parts, RunnerDep
from runrehab.web.rendering import form_fields, render

router = APIRouter(dependencies=[Csrf])

PAGE = "/clinician-seen"


@router.get(PAGE, include_in_schema=False)
def seen_page(request: Request, app_parts: Parts, runner: RunnerDep) -> Response:
    view = clinician_seen_page(
        app_parts.reader(), app_parts.content.words, runner.person_id, runner.today
    )
    return render(request, "clinician_seen.html", {"view": view, "form": {}}, active="today")


@router.post(PAGE, include_in_schema=False)
async def seen_submit(request: Request, app_parts: Parts, runner: RunnerDep) -> Response:
    form = await form_fields(request)
    words = app_parts.content.words
    try:
        kept = clinician_seen(
            app_parts.writer(),
            app_parts.clock,
            words,
            runner.person_id,
            form.get("day") or None,  # a date field left empty: today
            form.get("advice", ""),
            runner.today,
        )
    except ClinicianSeenRefused as err:
        view = clinician_seen_page(app_parts.reader(), words, runner.person_id, runner.today)
        context = {"view": view, "form": form, "error": err}
        return render(request, "clinician_seen.html", context, status_code=400, active="today")
    return RedirectResponse(kept.next, status_code=303)
