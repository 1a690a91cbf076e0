"""The daily check-in: the 30-second form, and its answer (the day's decision and why).

The form lists what ``services.journal.checkin.checkin_form`` gives it (the day's exercises
and readiness tests, and the day's stored check-in to correct). A posted form is read by
``web.forms.checkin`` and recorded by one use case, which checks it as the API and the command
line are checked: bad input re-shows the form with a message beside each field and stores
nothing; a stored check-in is followed by a redirect to its answer, so reloading never posts
twice.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from runrehab.services.journal.checkin import (
    CheckinForm,
    FormOutcome,
    NoCheckin,
    checkin_answer,
    checkin_form,
    submit_checkin_form,
)
from runrehab.web.deps import AppParts, Csrf, PageDay, Parts, Runner, RunnerDep
from runrehab.web.documents import read_checkin
from runrehab.web.errors import problem
from runrehab.web.forms import checkin as forms
from runrehab.web.pages import offline
from runrehab.web.query import iso_day
from runrehab.web.rendering import form_lists, render

router = APIRouter(dependencies=[Csrf])


@router.get("/checkin", include_in_schema=False)
def checkin_page(request: Request, app_parts: Parts, asked: PageDay) -> Response:
    runner = asked.runner
    form = checkin_form(
        app_parts.reader(), app_parts.content, runner.person_id, asked.day, runner.today
    )
    if form.stored:
        shown = forms.form_from_document(form.stored, form.tests)
    else:
        shown = forms.as_planned(forms.blank(form.day), form)
    context = _context(app_parts, form, shown, {})
    return render(request, "checkin/form.html", context, active="checkin")


@router.post("/checkin", include_in_schema=False)
async def checkin_submit(request: Request, app_parts: Parts, runner: RunnerDep) -> Response:
    fields = await form_lists(request)
    fields.pop("csrf_token", None)
    posted = forms.FormValues(fields)
    kept = await offline.kept_instead(request, app_parts, runner, iso_day(posted.get("date")))
    if kept is not None:  # sent after being offline, and the day's stored check-in is newer
        return RedirectResponse(f"/checkin/done?date={kept}", status_code=303)
    outcome = await run_in_threadpool(_submit, app_parts, runner, posted)
    if outcome.saved is not None:
        return RedirectResponse(f"/checkin/done?date={outcome.saved.date}", status_code=303)
    errors = dict(outcome.errors or {})
    if outcome.problems:
        logged = (outcome.document or {}).get("exercises", [])
        errors = forms.errors_from_problems(outcome.problems, logged)
    context = _context(app_parts, outcome.form, posted, errors)
    return render(request, "checkin/form.html", context, status_code=400, active="checkin")


def _submit(app_parts: AppParts, runner: Runner, posted: forms.FormValues) -> FormOutcome:
    fill = partial(forms.document_from_form, posted, app_parts.content.words)
    return submit_checkin_form(
        app_parts.writer(),
        app_parts.clock,
        app_parts.content,
        read_checkin,
        fill,
        runner.person_id,
        iso_day(posted.get("date")),
        runner.today,
    )


def _context(
    app_parts: AppParts, form: CheckinForm, shown: forms.FormValues, errors: dict[str, str]
) -> dict[str, Any]:
    forms.offer_doses(shown, form)
    return {
        "day": form.day,
        "today": form.today,
        "started": form.started,
        "form": shown,
        "errors": errors,
        "stored": form.stored is not None,
        "run_planned": form.run_minutes,
        "exercises": form.exercises,
        "tests": form.tests,
        "choices": forms.choices(app_parts.content.words),
        "range11": range(11),
    }


@router.get("/checkin/done", include_in_schema=False)
def checkin_done(request: Request, app_parts: Parts, asked: PageDay) -> Response:
    runner = asked.runner
    try:
        answer = checkin_answer(
            app_parts.reader(), app_parts.content, runner.person_id, asked.day, runner.today
        )
    except NoCheckin as err:
        return problem(request, 404, str(err))
    return render(request, "checkin/done.html", {"answer": answer}, active="checkin")
