"""Today in the API: what to do on a day (the ``today`` document, as ``runrehab today --json``
prints it) and the runner's whole history."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from runrehab.services.journal.today import day_view, history_of
from runrehab.services.views import jsonable
from runrehab.web.api_docs import api_error_responses
from runrehab.web.deps import ApiDay, Csrf, Parts, RunnerDep

router = APIRouter(dependencies=[Csrf])


def _answer(*, description: str) -> dict[str, str]:
    """A success answer's OpenAPI description (developers' words, not the runner's)."""
    return {"description": description}


@router.get(
    "/api/v1/today",
    tags=["today"],
    summary="What to do on a day: can I run, the session, the reasons, what to report",
    response_model=None,
    responses={
        200: _answer(description="The today document (the contract's fields and more)."),
        **api_error_responses(400, 401, 409),
    },
)
def api_today(app_parts: Parts, asked: ApiDay) -> Any:
    view = day_view(app_parts.reader(), app_parts.content, asked.day, asked.runner.person_id)
    return jsonable(view)


@router.get(
    "/api/v1/history",
    tags=["today"],
    summary="Every assessment, check-in, questionnaire, note and decision, in date order",
    response_model=None,
    responses={200: _answer(description="The history document."), **api_error_responses(401)},
)
def api_history(app_parts: Parts, runner: RunnerDep) -> Any:
    return jsonable(history_of(app_parts.reader(), app_parts.content, runner.person_id))
