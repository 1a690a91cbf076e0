"""What the account pages and the account API share: the tools the account use cases are
given, where a sign-in comes from, and the cookies a new session sets."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from runrehab.services.accounts.account import AccountTools, Attempt
from runrehab.services.accounts.views import SessionView
from runrehab.web.deps import AppParts
from runrehab.web.security import (
    DEVICE_COOKIE,
    secure_cookies,
    set_device_cookie,
    set_session_cookie,
)


def account_tools(app_parts: AppParts) -> AccountTools:
    return AccountTools(app_parts.clock, app_parts.passwords, app_parts.content.words)


def attempt(request: Request) -> Attempt:
    """Where a sign-in comes from: the client's address (``request.client``, which only a
    trusted proxy may have set: ``web.security.TrustedProxies``) and the device cookie."""
    client = request.client.host if request.client else "unknown"
    return Attempt(client, request.cookies.get(DEVICE_COOKIE))


def set_session_cookies(
    request: Request, app_parts: AppParts, response: Response, opened: SessionView
) -> None:
    """The new session's cookie, and the browser's device cookie (the account's own browser
    from now on: its failed log-ins are counted apart from anyone else's)."""
    secure = secure_cookies(request, app_parts.config.secure_cookies)
    set_session_cookie(response, opened.token, secure, opened.lasts_seconds)
    set_device_cookie(response, opened.device_token, secure)
