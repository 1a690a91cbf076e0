"""Accounts: sign up, log in and out, change the password or time zone, delete everything.

Pages post ordinary forms (they work without JavaScript); the API takes JSON. Failed log-ins
and password re-checks are slowed down by ``services.accounts.throttle`` (growing delays, 429 with
``Retry-After``); the browser that signs in gets a device cookie, so others' failures for its
e-mail never keep it out.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from runrehab.services.accounts import account as account_cases
from runrehab.services.accounts.account import AccountError, SignedIn
from runrehab.web.deps import AppParts, Csrf, Parts, Runner, RunnerDep, Visitor, Who
from runrehab.web.rendering import form_fields, render
from runrehab.web.routes.system import TIME_ZONES, api_error_responses
from runrehab.web.security import (
    DEVICE_COOKIE,
    anonymous_csrf,
    clear_session_cookie,
    secure_cookies,
    set_device_cookie,
    set_session_cookie,
)

router = APIRouter(dependencies=[Csrf])

COMMON_ZONES = (
    "UTC",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Amsterdam",
    "Europe/Stockholm",
    "Europe/Helsinki",
    "Europe/Athens",
    "Africa/Johannesburg",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Perth",
    "Australia/Sydney",
    "Pacific/Auckland",
    "America/Sao_Paulo",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
)


def _zones(current: str) -> list[str]:
    return list(COMMON_ZONES) if current in COMMON_ZONES else [current, *COMMON_ZONES]


def safe_next(target: str | None) -> str:
    """Where to go after logging in: only a path on this site (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/today"
    return target


def _attempt(request: Request) -> account_cases.Attempt:
    """Where a sign-in comes from: the client's address (``request.client``, which only a
    trusted proxy may have set: ``web.security.TrustedProxies``) and the device cookie."""
    client = request.client.host if request.client else "unknown"
    return account_cases.Attempt(client, request.cookies.get(DEVICE_COOKIE))


def _start_session(
    request: Request,
    app_parts: AppParts,
    response: Response,
    account: account_cases.Account,
    device_token: str,
) -> str:
    """A new session for the account, and the browser's device cookie (the account's own
    browser from now on: its failed log-ins are counted apart from anyone else's)."""
    token, _session = account_cases.open_session(
        app_parts.db.unit_of_work(), app_parts.clock, account
    )
    secure = secure_cookies(request, app_parts.config.secure_cookies)
    set_session_cookie(response, token, secure, account_cases.SESSION_DAYS * 86_400)
    set_device_cookie(response, device_token, secure)
    return token


def _sign_in(
    request: Request, app_parts: AppParts, email: str, password: str
) -> account_cases.SignIn:
    return account_cases.sign_in(
        app_parts.db.unit_of_work(),
        app_parts.clock,
        app_parts.passwords,
        email,
        password,
        _attempt(request),
    )


def _trusted(request: Request, app_parts: AppParts, account: account_cases.Account) -> str:
    """The device cookie for the browser that just made the account."""
    return account_cases.trust_device(app_parts.db.unit_of_work(), app_parts.clock, account)


# --- pages --------------------------------------------------------------------------------------


@router.get("/signup", include_in_schema=False)
def signup_page(request: Request, app_parts: Parts, who: Who) -> Response:
    if who.signed is not None:
        return RedirectResponse("/today", status_code=303)
    zone = app_parts.config.default_timezone
    return render(request, "signup.html", {"form": {"timezone": zone}, "zones": _zones(zone)})


@router.post("/signup", include_in_schema=False)
async def signup_submit(request: Request, app_parts: Parts) -> Response:
    form = await form_fields(request)
    zone = form.get("timezone") or app_parts.config.default_timezone
    try:
        account = account_cases.sign_up(
            app_parts.db.unit_of_work(),
            app_parts.clock,
            app_parts.passwords,
            form.get("email", ""),
            form.get("password", ""),
            zone,
            form.get("name", ""),
        )
    except AccountError as err:
        shown = {k: v for k, v in form.items() if "password" not in k}
        return render(
            request,
            "signup.html",
            {"form": shown, "error": err, "zones": _zones(shown.get("timezone", "UTC"))},
            status_code=400,
        )
    response = RedirectResponse("/start", status_code=303)
    _start_session(request, app_parts, response, account, _trusted(request, app_parts, account))
    return response


@router.get("/login", include_in_schema=False)
def login_page(request: Request, who: Who, next: str = "/today") -> Response:
    if who.signed is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "login.html", {"next": safe_next(next), "form": {}})


@router.post("/login", include_in_schema=False)
async def login_submit(request: Request, app_parts: Parts) -> Response:
    form = await form_fields(request)
    email, target = form.get("email", ""), safe_next(form.get("next"))
    try:
        signed = await run_in_threadpool(
            _sign_in, request, app_parts, email, form.get("password", "")
        )
    except AccountError as err:
        return render(
            request,
            "login.html",
            {"next": target, "form": {"email": email}, "error": err},
            status_code=400,
        )
    response = RedirectResponse(target, status_code=303)
    _start_session(request, app_parts, response, signed.account, signed.device_token)
    return response


@router.post("/logout", include_in_schema=False)
def logout(request: Request, app_parts: Parts, who: Who) -> Response:
    if who.signed is not None:
        account_cases.log_out(app_parts.db.unit_of_work(), who.signed.session)
    response = RedirectResponse("/login", status_code=303)
    clear_session_cookie(response, secure_cookies(request, app_parts.config.secure_cookies))
    return response


@router.get("/account", include_in_schema=False)
def account_page(request: Request, runner: RunnerDep) -> Response:
    return render(request, "account.html", _account_context(runner.signed))


def _account_context(signed: SignedIn, **more: Any) -> dict[str, Any]:
    return {
        "account": signed.account,
        "zones": _zones(signed.account.timezone),
        **more,
    }


@router.post("/account/password", include_in_schema=False)
async def password_submit(request: Request, app_parts: Parts, runner: RunnerDep) -> Response:
    form = await form_fields(request)
    try:
        account_cases.change_password(
            app_parts.db.unit_of_work(),
            app_parts.clock,
            app_parts.passwords,
            runner.signed,
            form.get("current_password", ""),
            form.get("new_password", ""),
        )
    except AccountError as err:
        context = _account_context(runner.signed, password_error=err)
        return render(request, "account.html", context, status_code=400)
    return render(
        request,
        "account.html",
        _account_context(
            runner.signed, saved="Your password is changed. Other devices are signed out."
        ),
    )


@router.post("/account/timezone", include_in_schema=False)
async def timezone_submit(request: Request, app_parts: Parts, runner: RunnerDep) -> Response:
    form = await form_fields(request)
    try:
        account_cases.change_timezone(
            app_parts.db.unit_of_work(), runner.signed, form.get("timezone", "")
        )
    except AccountError as err:
        context = _account_context(runner.signed, timezone_error=err)
        return render(request, "account.html", context, status_code=400)
    return RedirectResponse("/account?saved=timezone", status_code=303)


@router.post("/account/delete", include_in_schema=False)
async def delete_submit(request: Request, app_parts: Parts, runner: RunnerDep) -> Response:
    form = await form_fields(request)
    try:
        await run_in_threadpool(_delete, app_parts, runner, form.get("password", ""))
    except AccountError as err:
        context = _account_context(runner.signed, delete_error=err)
        return render(request, "account.html", context, status_code=400)
    csrf, new = anonymous_csrf(request)
    request.state.visitor = Visitor(None, csrf, new_csrf_cookie=new)  # signed out from here on
    response = render(request, "deleted.html")
    clear_session_cookie(response, secure_cookies(request, app_parts.config.secure_cookies))
    return response


def _delete(app_parts: AppParts, runner: Runner, password: str) -> None:
    account_cases.delete_account(
        app_parts.db.unit_of_work(),
        app_parts.clock,
        app_parts.passwords,
        runner.signed,
        password,
    )


# --- API --------------------------------------------------------------------------------------


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


# What the schema can say of the account rules (``services.accounts.account``); the rest (not a
# well-known password, four different characters at least, not the e-mail) is a 400 saying so.
_SPACE = r"[^\S\x0B\x0C\x1C-\x1F\x85]"  # spaces the e-mail is trimmed of, but no control
_PART = r"[^@\s\x00-\x1F\x7F-\x9F]+"  # no @, space or control character
EMAIL_PATTERN = f"^{_SPACE}*{_PART}@{_PART}\\.{_PART}{_SPACE}*$"
PASSWORD_RULES = (
    f"{account_cases.PASSWORD_MIN} to {account_cases.PASSWORD_MAX} characters, not a "
    "well-known password, at least four different characters, not the e-mail address."
)
ZONE_SCHEMA: dict[str, Any] = {"enum": list(TIME_ZONES)}
EXAMPLE_PASSWORD = "four words to remember"


class SignUpBody(_Body):
    email: str = Field(
        max_length=account_cases.EMAIL_MAX,
        examples=["runner@example.com"],
        json_schema_extra={"pattern": EMAIL_PATTERN},
    )
    password: str = Field(
        max_length=account_cases.PASSWORD_MAX,
        description=PASSWORD_RULES,
        examples=[EXAMPLE_PASSWORD],
        json_schema_extra={"minLength": account_cases.PASSWORD_MIN},
    )
    timezone: str = Field(
        "UTC", max_length=64, examples=["Europe/London"], json_schema_extra=ZONE_SCHEMA
    )
    name: str = Field("", max_length=account_cases.NAME_MAX)


class LogInBody(_Body):
    email: str = Field(max_length=1000, examples=["runner@example.com"])
    password: str = Field(max_length=1000, examples=[EXAMPLE_PASSWORD])


class PasswordBody(_Body):
    current_password: str = Field(max_length=1000)
    new_password: str = Field(
        max_length=account_cases.PASSWORD_MAX,
        description=PASSWORD_RULES,
        json_schema_extra={"minLength": account_cases.PASSWORD_MIN},
    )


class TimezoneBody(_Body):
    timezone: str = Field(max_length=64, examples=["Europe/London"], json_schema_extra=ZONE_SCHEMA)


class ConfirmBody(_Body):
    password: str = Field(max_length=1000)


class AccountOut(BaseModel):
    id: str
    email: str
    person: str
    timezone: str
    created_at: datetime


class SessionOut(BaseModel):
    token: str = Field(description="Send as `Authorization: Bearer <token>`.")
    csrf_token: str = Field(description="Send as `X-CSRF-Token` when using the cookie instead.")
    expires_at: datetime
    account: AccountOut


def _account_out(account: account_cases.Account) -> AccountOut:
    return AccountOut(
        id=account.id,
        email=account.email,
        person=account.person_id,
        timezone=account.timezone,
        created_at=account.created_at,
    )


def _session_answer(
    request: Request,
    app_parts: AppParts,
    account: account_cases.Account,
    status: int,
    device_token: str,
) -> JSONResponse:
    token, session = account_cases.open_session(
        app_parts.db.unit_of_work(), app_parts.clock, account
    )
    body = SessionOut(
        token=token,
        csrf_token=session.csrf_token,
        expires_at=session.expires_at,
        account=_account_out(account),
    )
    response = JSONResponse(body.model_dump(mode="json"), status_code=status)
    secure = secure_cookies(request, app_parts.config.secure_cookies)
    set_session_cookie(response, token, secure, account_cases.SESSION_DAYS * 86_400)
    set_device_cookie(response, device_token, secure)
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
    account = account_cases.sign_up(
        app_parts.db.unit_of_work(),
        app_parts.clock,
        app_parts.passwords,
        body.email,
        body.password,
        body.timezone,
        body.name,
    )
    device = _trusted(request, app_parts, account)
    return _session_answer(request, app_parts, account, 201, device)


@router.post(
    "/api/v1/session",
    tags=["account"],
    summary="Sign in: returns a bearer token (and sets the session cookie)",
    response_model=SessionOut,
    responses=api_error_responses(400, 403, 422, 429),
)
def api_log_in(request: Request, app_parts: Parts, body: LogInBody) -> Response:
    signed = _sign_in(request, app_parts, body.email, body.password)
    return _session_answer(request, app_parts, signed.account, 200, signed.device_token)


@router.delete(
    "/api/v1/session",
    tags=["account"],
    summary="Sign out (this session only)",
    status_code=204,
    responses=api_error_responses(401, 403),
)
def api_log_out(request: Request, app_parts: Parts, runner: RunnerDep) -> Response:
    account_cases.log_out(app_parts.db.unit_of_work(), runner.signed.session)
    response = Response(status_code=204)
    clear_session_cookie(response, secure_cookies(request, app_parts.config.secure_cookies))
    return response


@router.get(
    "/api/v1/account",
    tags=["account"],
    summary="The signed-in account",
    response_model=AccountOut,
    responses=api_error_responses(401),
)
def api_account(runner: RunnerDep) -> AccountOut:
    return _account_out(runner.account)


@router.put(
    "/api/v1/account/password",
    tags=["account"],
    summary="Change the password (other sessions are signed out)",
    status_code=204,
    responses=api_error_responses(400, 401, 403, 422, 429),
)
def api_password(app_parts: Parts, runner: RunnerDep, body: PasswordBody) -> Response:
    account_cases.change_password(
        app_parts.db.unit_of_work(),
        app_parts.clock,
        app_parts.passwords,
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
def api_timezone(app_parts: Parts, runner: RunnerDep, body: TimezoneBody) -> AccountOut:
    zone = account_cases.change_timezone(app_parts.db.unit_of_work(), runner.signed, body.timezone)
    out = _account_out(runner.account)
    out.timezone = zone
    return out


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
    _delete(app_parts, runner, body.password)
    response = Response(status_code=204)
    clear_session_cookie(response, secure_cookies(request, app_parts.config.secure_cookies))
    return response
