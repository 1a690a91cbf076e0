"""The account pages: sign up, log in and out, the account page (password, time zone, language
and units), deleting the account.

Pages post ordinary forms (they work without JavaScript). Each route reads the form, calls one
use case of ``services.accounts.account`` and renders its view; a refusal (``AccountError``)
shows the form again with the use case's words. Failed log-ins and password re-checks are
slowed down by ``services.accounts.throttle`` (429 with ``Retry-After``, ``web.errors``).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from runrehab.content import locale
from runrehab.services.accounts import account as accounts
from runrehab.services.accounts.account import AccountError
from runrehab.services.accounts.views import LogInPage, sign_up_page
from runrehab.web.deps import Csrf, Parts, Runner, RunnerDep, Visitor, Who
from runrehab.web.rendering import form_fields, render
from runrehab.web.security import anonymous_csrf, clear_session_cookie, secure_cookies
from runrehab.web.signing import account_tools, attempt, set_session_cookies

router = APIRouter(dependencies=[Csrf])


def safe_next(target: str | None) -> str:
    """Where to go after logging in: only a path on this site (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/today"
    return target


@router.get("/signup", include_in_schema=False)
def signup_page(request: Request, app_parts: Parts, who: Who) -> Response:
    if who.signed is not None:
        return RedirectResponse("/today", status_code=303)
    view = sign_up_page("", "", app_parts.config.default_timezone)
    return render(request, "signup.html", {"view": view})


@router.post("/signup", include_in_schema=False)
async def signup_submit(request: Request, app_parts: Parts) -> Response:
    form = await form_fields(request)
    name, email = form.get("name", ""), form.get("email", "")
    try:
        opened = accounts.sign_up(
            app_parts.writer(),
            account_tools(app_parts),
            email,
            form.get("password", ""),
            form.get("timezone") or app_parts.config.default_timezone,
            name,
            language=locale.current(),  # the browser's, until the account page changes it
        )
    except AccountError as err:
        view = sign_up_page(name, email, form.get("timezone"))
        return render(request, "signup.html", {"view": view, "error": err}, status_code=400)
    response = RedirectResponse("/start", status_code=303)
    set_session_cookies(request, app_parts, response, opened)
    return response


@router.get("/login", include_in_schema=False)
def login_page(request: Request, who: Who, next: str = "/today") -> Response:
    if who.signed is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "login.html", {"view": LogInPage(safe_next(next))})


@router.post("/login", include_in_schema=False)
async def login_submit(request: Request, app_parts: Parts) -> Response:
    form = await form_fields(request)
    email, target = form.get("email", ""), safe_next(form.get("next"))
    try:
        opened = await run_in_threadpool(
            accounts.sign_in,
            app_parts.writer(),
            account_tools(app_parts),
            email,
            form.get("password", ""),
            attempt(request),
        )
    except AccountError as err:
        view = LogInPage(target, email)
        return render(request, "login.html", {"view": view, "error": err}, status_code=400)
    response = RedirectResponse(target, status_code=303)
    set_session_cookies(request, app_parts, response, opened)
    return response


@router.post("/logout", include_in_schema=False)
def logout(request: Request, app_parts: Parts, who: Who) -> Response:
    if who.signed is not None:
        accounts.log_out(app_parts.writer(), who.signed.session)
    response = RedirectResponse("/login", status_code=303)
    clear_session_cookie(response, secure_cookies(request, app_parts.config.secure_cookies))
    return response


@router.get("/account", include_in_schema=False)
def account_page(request: Request, runner: RunnerDep, saved: str = "") -> Response:
    view = accounts.account_page(runner.signed)
    return render(request, "account.html", {"view": view, "saved": saved})


@router.post("/account/password", include_in_schema=False)
async def password_submit(request: Request, app_parts: Parts, runner: RunnerDep) -> Response:
    form = await form_fields(request)
    try:
        view = accounts.change_password(
            app_parts.writer(),
            account_tools(app_parts),
            runner.signed,
            form.get("current_password", ""),
            form.get("new_password", ""),
        )
    except AccountError as err:
        return _account_refused(request, runner, password_error=err)
    return render(request, "account.html", {"view": view})


@router.post("/account/timezone", include_in_schema=False)
async def timezone_submit(request: Request, app_parts: Parts, runner: RunnerDep) -> Response:
    form = await form_fields(request)
    try:
        accounts.change_timezone(
            app_parts.writer(), app_parts.content.words, runner.signed, form.get("timezone", "")
        )
    except AccountError as err:
        return _account_refused(request, runner, timezone_error=err)
    return RedirectResponse("/account?saved=timezone", status_code=303)


@router.post("/account/preferences", include_in_schema=False)
async def preferences_submit(request: Request, app_parts: Parts, runner: RunnerDep) -> Response:
    """The language and the units: saved, and the next page is in the language chosen."""
    form = await form_fields(request)
    try:
        accounts.change_preferences(
            app_parts.writer(),
            app_parts.content.words,
            runner.signed,
            form.get("language", runner.account.language),
            form.get("units", runner.account.units),
        )
    except AccountError as err:
        return _account_refused(request, runner, preferences_error=err)
    return RedirectResponse("/account?saved=preferences", status_code=303)


@router.post("/account/delete", include_in_schema=False)
async def delete_submit(request: Request, app_parts: Parts, runner: RunnerDep) -> Response:
    form = await form_fields(request)
    try:
        await run_in_threadpool(
            accounts.delete_account,
            app_parts.writer(),
            account_tools(app_parts),
            runner.signed,
            form.get("password", ""),
        )
    except AccountError as err:
        return _account_refused(request, runner, delete_error=err)
    csrf, new = anonymous_csrf(request)
    request.state.visitor = Visitor(None, csrf, new_csrf_cookie=new)  # signed out from here on
    response = render(request, "deleted.html")
    clear_session_cookie(response, secure_cookies(request, app_parts.config.secure_cookies))
    return response


def _account_refused(request: Request, runner: Runner, **error: AccountError) -> Response:
    """The account page again, with the refusal by the form it is about."""
    context = {"view": accounts.account_page(runner.signed), **error}
    return render(request, "account.html", context, status_code=400)
