"""Web Push subscriptions: a browser that allowed notifications sends its subscription here
(``static/js/reminders.js``), and the reminder sender pushes to it; DELETE forgets it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from runrehab.services.reminders.settings import (
    ENDPOINT_MAX,
    ReminderRefused,
    add_subscription,
    remove_subscription,
)
from runrehab.web.api_docs import api_error_responses
from runrehab.web.deps import Csrf, Parts, RunnerDep
from runrehab.web.errors import BadRequest

router = APIRouter(dependencies=[Csrf])

ENDPOINT_PATTERN = r"^https://[^\x00-\x20\x7F-\x9F]*$"
"""A push service's address: HTTPS, no space or control character."""

PATH = "/api/v1/push/subscriptions"


class SubscriptionKeys(BaseModel):
    model_config = ConfigDict(extra="forbid")
    p256dh: str = Field(min_length=1, max_length=200)
    auth: str = Field(min_length=1, max_length=100)


class SubscriptionBody(BaseModel):
    """A browser's ``PushSubscription.toJSON()``."""

    model_config = ConfigDict(extra="forbid")
    endpoint: str = Field(
        max_length=ENDPOINT_MAX,
        examples=["https://push.example.org/send/abc"],
        json_schema_extra={"pattern": ENDPOINT_PATTERN},
    )
    expirationTime: float | None = Field(None, strict=True)  # the browser's own name
    keys: SubscriptionKeys


@router.post(
    PATH,
    tags=["account"],
    summary="Keep this browser's Web Push subscription, for reminders",
    status_code=201,
    responses=api_error_responses(400, 401, 403, 422),
)
def api_subscribe(app_parts: Parts, runner: RunnerDep, body: SubscriptionBody) -> JSONResponse:
    try:
        add_subscription(
            app_parts.writer(),
            app_parts.clock,
            app_parts.content.words,
            runner.person_id,
            body.endpoint,
            body.model_dump(),
        )
    except ReminderRefused as err:
        raise BadRequest(str(err), field=err.field) from err
    return JSONResponse({"endpoint": body.endpoint}, status_code=201)


@router.delete(
    PATH,
    tags=["account"],
    summary="Forget this browser's Web Push subscription",
    status_code=204,
    responses=api_error_responses(401, 403, 404, 422),
)
def api_unsubscribe(
    app_parts: Parts,
    runner: RunnerDep,
    endpoint: Annotated[
        str,
        Query(
            max_length=ENDPOINT_MAX,
            description="The subscription's endpoint.",
            json_schema_extra={"pattern": ENDPOINT_PATTERN},
        ),
    ],
) -> Response:
    if not remove_subscription(app_parts.writer(), runner.person_id, endpoint):
        return JSONResponse(
            {"detail": app_parts.content.words.say("reminders.refused.no_subscription")},
            status_code=404,
        )
    return Response(status_code=204)
