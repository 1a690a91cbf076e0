"""The account API: sign up, sign in and out, the account (its language and units), its
password and time zone, and deleting it. Each operation calls one use case of
``services.accounts.account`` and answers ``jsonable`` of its view; a refusal is a 400 in the
use case's words (``web.errors``), and failed sign-ins and password re-checks are throttled
(429 with ``Retry-After``). A bad language or unit is a 422 naming the field.

Signing up or in through the API also sets the session and device cookies, as the pages do.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from runrehab.content import locale
from runrehab.services.accounts import account as accounts
from runrehab.services.accounts.account import EMAIL_MAX, NAME_MAX, PASSWORD_MAX, PASSWORD_MIN
from runrehab.services.accounts.views import SessionView
from runrehab.services.views import jsonable
from runrehab.web.api_docs import TIME_ZONES, api_error_responses
from runrehab.web.deps import AppParts, Csrf, Parts, RunnerDep
from runrehab.web.security import clear_session_cookie, secure_cookies
from runrehab.web.signing import account_tools, attempt, set_session_cookies

router = APIRouter(dependencies=[Csrf])


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


# What the schema can say of the account rules (``services.accounts.account``); the rest (not a
# well-known password, four different characters at least, not the e-mail) is a 400 saying so.
_SPACE = r"[^\S\x0B\x0C\x1C-\x1F\x85]"  # spaces the e-mail is trimmed of, but no control
_PART = r"[^@\s\x00-\x1F\x7F-\x9F]+"  # no @, space or control character
EMAIL_PATTERN = f"^{_SPACE}*{_PART}@{_PART}\\.{_PART}{_SPACE}*$"
ZONE_SCHEMA: dict[str, Any] = {"enum": list(TIME_ZONES)}


def _new_password(**more: Any) -> Any:
    """A new password's field: what the schema can say of the password rules."""
    return Field(
        max_length=PASSWORD_MAX,
        description=f"{PASSWORD_MIN} to {PASSWORD_MAX} characters, not a well-known password, "
        "at least four different characters, not the e-mail address.",
        json_schema_extra={"minLength": PASSWORD_MIN},
        **more,
    )


class SignUpBody(_Body):
    email: str = Field(
        max_length=EMAIL_MAX,
        examples=["runner@example.com"],
        json_schema_extra={"pattern": EMAIL_PATTERN},
    )
    password: str = _new_password(examples=["four words to remember"])
    timezone: str = Field(
        "UTC", max_length=64, examples=["Europe/London"], json_schema_extra=ZONE_SCHEMA
    )
    name: str = Field("", max_length=NAME_MAX)
    language: Language | None = Field(
        None, description="The language of the pages (left out: the browser's Accept-Language)."
    )


class LogInBody(_Body):
    email: str = Field(max_length=1000, examples=["runner@example.com"])
    password: str = Field(max_length=1000, examples=["four words to remember"])


class PasswordBody(_Body):
    current_password: str = Field(max_length=1000)
    new_password: str = _new_password()


class TimezoneBody(_Body):
    timezone: str = Field(max_length=64, examples=["Europe/London"], json_schema_extra=ZONE_SCHEMA)


Language = Literal["en", "de"]
Units = Literal["km", "mi"]


class PreferencesBody(_Body):
    language: Language | None = Field(
        None, description="The language RunRehab speaks to the runner (left out: as it was)."
    )
    units: Units | None = Field(
        None,
        description="How pages show distances: kilometres or miles (left out: as it was). "
        "The API's distances are always kilometres.",
    )


class ConfirmBody(_Body):
    password: str = Field(max_length=1000)


class AccountOut(BaseModel):
    id: str
    email: str
    person: str
    timezone: str
    created_at: datetime
    language: Language = Field(description="The language RunRehab speaks to the runner.")
    units: Units = Field(
        description="How pages show distances; the API's distances are always kilometres."
    )


class SessionOut(BaseModel):
    token: str = Field(description="Send as `Authorization: Bearer <token>`.")
    csrf_token: str = Field(description="Send as `X-CSRF-Token` when using the cookie instead.")
    expires_at: datetime
    account: AccountOut


def _session_answer(
    request: Request, app_parts: AppParts, opened: SessionView, status: int
) -> JSONResponse:
    """The new session as JSON, with its cookies set too."""
    response = JSONResponse(jsonable(opened), status_code=status)
    set_session_cookies(request, app_parts, response, opened)
    return response


def _signed_out(request: Request, app_parts: AppParts) -> Response:
    response = Response(status_code=204)
    clear_session_cookie(response, secure_cookies(request, app_parts.config.secure_cookies))
    return response


@router.post(
    "/api/v1/accounts",
    tags=["account"],
    summary="Sign up (and sign in)",
    status_code=201,
    response_model=SessionOut,
    responses=api_error_responses(400, 403, 422),
)
def api_sign_up(request: Request, app_parts: Parts, body: SignUpBody) -> JSONResponse:
    opened = accounts.sign_up(
        app_parts.writer(),
        account_tools(app_parts),
        body.email,
        body.password,
        body.timezone,
        body.name,
        language=body.language or locale.current(),
    )
    return _session_answer(request, app_parts, opened, 201)


@router.post(
    "/api/v1/session",
    tags=["account"],
    summary="Sign in: returns a bearer token (and sets the session cookie)",
    response_model=SessionOut,
    responses=api_error_responses(400, 403, 422, 429),
)
def api_log_in(request: Request, app_parts: Parts, body: LogInBody) -> Response:
    opened = accounts.sign_in(
        app_parts.writer(), account_tools(app_parts), body.email, body.password, attempt(request)
    )
    return _session_answer(request, app_parts, opened, 200)


@router.delete(
    "/api/v1/session",
    tags=["account"],
    summary="Sign out (this session only)",
    status_code=204,
    responses=api_error_responses(401, 403),
)
def api_log_out(request: Request, app_parts: Parts, runner: RunnerDep) -> Response:
    accounts.log_out(app_parts.writer(), runner.signed.session)
    return _signed_out(request, app_parts)


@router.get(
    "/api/v1/account",
    tags=["account"],
    summary="The signed-in account",
    response_model=AccountOut,
    responses=api_error_responses(401),
)
def api_account(runner: RunnerDep) -> JSONResponse:
    return JSONResponse(jsonable(accounts.account_view(runner.account)))


@router.put(
    "/api/v1/account",
    tags=["account"],
    summary="Choose the language and the units of distance (km or miles) of the pages",
    response_model=AccountOut,
    responses=api_error_responses(400, 401, 403, 422),
)
def api_preferences(app_parts: Parts, runner: RunnerDep, body: PreferencesBody) -> JSONResponse:
    changed = accounts.change_preferences(
        app_parts.writer(), app_parts.content.words, runner.signed, body.language, body.units
    )
    return JSONResponse(jsonable(changed))


@router.put(
    "/api/v1/account/password",
    tags=["account"],
    summary="Change the password (other sessions are signed out)",
    status_code=204,
    responses=api_error_responses(400, 401, 403, 422, 429),
)
def api_password(app_parts: Parts, runner: RunnerDep, body: PasswordBody) -> Response:
    accounts.change_password(
        app_parts.writer(),
        account_tools(app_parts),
        runner.signed,
        body.current_password,
        body.new_password,
    )
    return Response(status_code=204)


@router.put(
    "/api/v1/account/timezone",
    tags=["account"],
    summary="Change the time zone that decides which day is today",
    response_model=AccountOut,
    responses=api_error_responses(400, 401, 403, 422),
)
def api_timezone(app_parts: Parts, runner: RunnerDep, body: TimezoneBody) -> JSONResponse:
    changed = accounts.change_timezone(
        app_parts.writer(), app_parts.content.words, runner.signed, body.timezone
    )
    return JSONResponse(jsonable(changed))


@router.post(
    "/api/v1/account/delete",
    tags=["account"],
    summary="Delete the account and every piece of the runner's data, for good",
    status_code=204,
    responses=api_error_responses(400, 401, 403, 422, 429),
)
def api_delete(
    request: Request,
    app_parts: Parts,
    runner: RunnerDep,
    body: ConfirmBody,
) -> Response:
    accounts.delete_account(
        app_parts.writer(), account_tools(app_parts), runner.signed, body.password
    )
    return _signed_out(request, app_parts)
