"""Today in the API: what to do on a day (the ``today`` document, as ``runrehab today --json``
prints it) and the runner's whole history."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from runrehab.services.journal.today import day_view, history_of
from runrehab.services.views import jsonable
from runrehab.web.api_docs import api_error_responses
from runrehab.web.deps import ApiDate, Csrf, Parts, RunnerDep, day_in_trip, parts
from runrehab.web.kept import PAGES

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
async def api_today(request: Request, when: ApiDate = None) -> Response:
    return await run_in_threadpool(_today, request, when)  # one trip (web.deps)


def _today(request: Request, when: str | None) -> Response:
    app_parts = parts(request)
    # one read: who is asking, the day, the document (web.deps, one trip)
    with day_in_trip(request, when, strict=True) as (reader, asked):
        view = day_view(reader, app_parts.content, asked.day, asked.runner.person_id)
    # the document of a kept day is drawn once (web.kept): its words are in the view's
    # language and units, which the view's identity already names
    text = PAGES.drawn(view, "api.today", lambda: _json(jsonable(view)))
    return Response(text, media_type="application/json")


def _json(document: Any) -> str:
    """As FastAPI's own answer encodes it (``JSONResponse``)."""
    return json.dumps(document, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


@router.get(
    "/api/v1/history",
    tags=["today"],
    summary="Every assessment, check-in, questionnaire, note and decision, in date order",
    response_model=None,
    responses={200: _answer(description="The history document."), **api_error_responses(401)},
)
def api_history(app_parts: Parts, runner: RunnerDep) -> Any:
    return jsonable(history_of(app_parts.reader(), app_parts.content, runner.person_id))
