"""The outcome questionnaires' pages: the Kujala knee scale, the weekly pain report and the worry
check (the fear-of-movement screen).

Today links here when one is due. A page asks every question (radio cards, or a 0–10 scale);
``services.journal.questionnaire_form.answer_form`` checks, scores and stores the answers, or gives
the form back saying what needs another look; the answer page shows the score and the change
since the first one; for the worry check, the prompt to get help and the reassurance page when
it is high, a kind note when it is not.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from runrehab.services.journal.questionnaire_form import (
    NothingAnswered,
    QuestionnaireForm,
    answer_form,
    answered_view,
    questionnaire_form,
)
from runrehab.services.journal.questionnaires import UnknownQuestionnaire
from runrehab.web.deps import AppParts, Csrf, PageDay, Parts, RunnerDep
from runrehab.web.rendering import form_fields, render

router = APIRouter(dependencies=[Csrf])


def not_there(app_parts: AppParts) -> HTTPException:
    """The 404 of a questionnaire that is not there."""
    return HTTPException(404, app_parts.content.words.say("questionnaires.refused.unknown"))


@router.get("/questionnaires/{instrument}", include_in_schema=False)
def questionnaire_page(
    request: Request, app_parts: Parts, asked: PageDay, instrument: str
) -> Response:
    try:
        view = questionnaire_form(
            app_parts.reader(), app_parts.content, instrument, asked.day, asked.runner.person_id
        )
    except UnknownQuestionnaire:
        raise not_there(app_parts) from None
    return _form(request, view)


@router.post("/questionnaires/{instrument}", include_in_schema=False)
async def questionnaire_submit(
    request: Request, app_parts: Parts, runner: RunnerDep, instrument: str
) -> Response:
    """Stored: on to the score. Refused: the form again (400), the answers kept."""
    fields = await form_fields(request)
    try:
        found = await run_in_threadpool(
            answer_form,
            app_parts.writer(),
            app_parts.clock,
            app_parts.content,
            instrument,
            fields,
            runner.today,
            runner.person_id,
        )
    except UnknownQuestionnaire:
        raise not_there(app_parts) from None
    if isinstance(found, QuestionnaireForm):
        return _form(request, found, status_code=400)
    target = f"/questionnaires/{found.instrument}/done?date={found.day.isoformat()}"
    return RedirectResponse(target, status_code=303)


def _form(request: Request, view: QuestionnaireForm, status_code: int = 200) -> Response:
    return render(
        request,
        "questionnaires/form.html",
        {"view": view},
        status_code=status_code,
        active="checkin",
    )


@router.get("/questionnaires/{instrument}/done", include_in_schema=False)
def questionnaire_done(
    request: Request, app_parts: Parts, asked: PageDay, instrument: str
) -> Response:
    try:
        view = answered_view(
            app_parts.reader(), app_parts.content, instrument, asked.day, asked.runner.person_id
        )
    except UnknownQuestionnaire:
        raise not_there(app_parts) from None
    except NothingAnswered as err:
        raise HTTPException(404, str(err)) from None
    return render(request, "questionnaires/done.html", {"view": view}, active="checkin")
