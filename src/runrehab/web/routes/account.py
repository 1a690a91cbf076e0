"""Accounts: sign up, log in and out, change the password or time zone, delete everything.

Pages post ordinary forms (they work without JavaScript); the API takes JSON. Log-in failures
are throttled per e-mail and per client address; both answer 429 with ``Retry-After``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from runrehab.services import accounts as account_cases
from runrehab.services.accounts import AccountError, SignedIn
from runrehab.web.deps import AppParts, Csrf, Parts, RunnerDep, Visitor, Who
from runrehab.web.errors import problem
from runrehab.web.rendering import form_fields, render
from runrehab.web.routes.system import api_error_responses
from runrehab.web.security import (
    anonymous_csrf,
    clear_session_cookie,
    secure_cookies,
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


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _start_session(
    request: Request, app_parts: AppParts, response: Response, account: account_cases.Account
) -> str:
    token, _session = account_cases.open_session(
        app_parts.db.unit_of_work(), app_parts.clock, account
    )
    secure = secure_cookies(request, app_parts.config.secure_cookies)
    set_session_cookie(response, token, secure, account_cases.SESSION_DAYS * 86_400)
    return token


def _throttled(app_parts: AppParts, request: Request, email: str) -> int:
    throttle = app_parts.throttle
    by_email = throttle.retry_after("email:" + email.strip().lower())
    by_client = throttle.retry_after("ip:" + _client(request), throttle.limit * 4)
    return max(by_email, by_client)


def _record_failure(app_parts: AppParts, request: Request, email: str) -> None:
    app_parts.throttle.failed("email:" + email.strip().lower())
    app_parts.throttle.failed("ip:" + _client(request))


def _too_many(request: Request, wait: int) -> Response:
    minutes = max(1, round(wait / 60))
    return problem(
        request,
        429,
        f"Too many failed log-ins. Wait about {minutes} minute{'s' if minutes != 1 else ''} "
        "and try again.",
        headers={"Retry-After": str(wait)},
    )


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
    _start_session(request, app_parts, response, account)
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
    wait = _throttled(app_parts, request, email)
    if wait:
        return _too_many(request, wait)
    try:
        account = account_cases.log_in(
            app_parts.db.unit_of_work(),
            app_parts.clock,
            app_parts.passwords,
            email,
            form.get("password", ""),
        )
    except AccountError as err:
        _record_failure(app_parts, request, email)
        return render(
            request,
            "login.html",
            {"next": target, "form": {"email": email}, "error": err},
            status_code=400,
        )
    app_parts.throttle.forget("email:" + account.email)
    response = RedirectResponse(target, status_code=303)
    _start_session(request, app_parts, response, account)
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
    if not app_parts.passwords.verify(runner.account.password_hash, form.get("password", "")):
        context = _account_context(
            runner.signed, delete_error="That is not your password; nothing was deleted."
        )
        return render(request, "account.html", context, status_code=400)
    account_cases.delete_account(app_parts.db.unit_of_work(), runner.signed)
    csrf, new = anonymous_csrf(request)
    request.state.visitor = Visitor(None, csrf, new_csrf_cookie=new)  # signed out from here on
    response = render(request, "deleted.html")
    clear_session_cookie(response, secure_cookies(request, app_parts.config.secure_cookies))
    return response


# --- API --------------------------------------------------------------------------------------


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SignUpBody(_Body):
    email: str = Field(max_length=account_cases.EMAIL_MAX, examples=["runner@example.com"])
    password: str = Field(max_length=account_cases.PASSWORD_MAX)
    timezone: str = Field("UTC", max_length=64, examples=["Europe/London"])
    name: str = Field("", max_length=account_cases.NAME_MAX)


class LogInBody(_Body):
    email: str = Field(max_length=1000)
    password: str = Field(max_length=1000)


class PasswordBody(_Body):
    current_password: str = Field(max_length=1000)
    new_password: str = Field(max_length=account_cases.PASSWORD_MAX)


class TimezoneBody(_Body):
    timezone: str = Field(max_length=64)


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
    request: Request, app_parts: AppParts, account: account_cases.Account, status: int
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
    return _session_answer(request, app_parts, account, 201)


@router.post(
    "/api/v1/session",
    tags=["account"],
    summary="Sign in: returns a bearer token (and sets the session cookie)",
    response_model=SessionOut,
    responses=api_error_responses(400, 403, 422, 429),
)
def api_log_in(request: Request, app_parts: Parts, body: LogInBody) -> Response:
    wait = _throttled(app_parts, request, body.email)
    if wait:
        return _too_many(request, wait)
    try:
        account = account_cases.log_in(
            app_parts.db.unit_of_work(),
            app_parts.clock,
            app_parts.passwords,
            body.email,
            body.password,
        )
    except AccountError:
        _record_failure(app_parts, request, body.email)
        raise
    app_parts.throttle.forget("email:" + account.email)
    return _session_answer(request, app_parts, account, 200)


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
    responses=api_error_responses(400, 401, 403, 422),
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
    responses=api_error_responses(400, 401, 403, 422),
)
def api_delete(
    request: Request,
    app_parts: Parts,
    runner: RunnerDep,
    body: ConfirmBody,
) -> Response:
    if not app_parts.passwords.verify(runner.account.password_hash, body.password):
        raise AccountError("That is not your password; nothing was deleted.", "password")
    account_cases.delete_account(app_parts.db.unit_of_work(), runner.signed)
    response = Response(status_code=204)
    clear_session_cookie(response, secure_cookies(request, app_parts.config.secure_cookies))
    return response
