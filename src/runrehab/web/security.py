"""Security plumbing: response headers, cookies, CSRF tokens and the log-in throttle.

- Every response carries a strict Content-Security-Policy (scripts, styles, images and form
  targets from this server only: the app works offline and cannot be framed),
  ``X-Content-Type-Options: nosniff`` and friends.
- The session cookie is HttpOnly and SameSite=Lax, and Secure whenever the request came over
  HTTPS or from off this machine.
- CSRF: every unsafe request made with the session cookie must carry the session's token (a
  form's ``csrf_token`` field or an ``X-CSRF-Token`` header). Before signing in, the token is
  the random ``rr_csrf`` cookie's (double submit). Requests authenticated by a Bearer token
  carry no ambient credential, so they need none.
- Log-in attempts are throttled per e-mail and per client address.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SESSION_COOKIE = "rr_session"
CSRF_COOKIE = "rr_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)
DOCS_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
"""Swagger UI sets style attributes in its markup; it runs no inline script."""

HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class SecurityHeaders:
    """Pure ASGI middleware: adds the security headers to every HTTP response."""

    def __init__(self, app: ASGIApp, docs_prefix: str = "/api/docs") -> None:
        self.app = app
        self.docs_prefix = docs_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = DOCS_CSP if scope["path"].startswith(self.docs_prefix) else CSP

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.lower() != b"content-security-policy"
                ]
                headers.append((b"content-security-policy", csp.encode()))
                names = {k.lower() for k, _ in headers}
                headers.extend((k, v) for k, v in HEADERS if k not in names)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class RefuseNul:
    """Pure ASGI middleware: a NUL character in the path or query string is never meaningful
    (and PostgreSQL cannot store one), so such a request is refused with 400 before routing."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and (
            "\x00" in scope["path"] or b"%00" in scope.get("query_string", b"").lower()
        ):
            body = b'{"detail": "The address contains a NUL character."}'
            await send(
                {
                    "type": "http.response.start",
                    "status": 400,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", str(len(body)).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)


# --- cookies ----------------------------------------------------------------------------------


def is_loopback(request: Request) -> bool:
    host = request.url.hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def secure_cookies(request: Request, setting: bool | None) -> bool:
    if setting is not None:
        return setting
    return request.url.scheme == "https" or not is_loopback(request)


def set_session_cookie(response: Response, token: str, secure: bool, max_age: int) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=secure,
        path="/",
    )


def clear_session_cookie(response: Response, secure: bool) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=secure)


def anonymous_csrf(request: Request) -> tuple[str, bool]:
    """The visitor's pre-sign-in CSRF token, and whether it is new (then set the cookie)."""
    token = request.cookies.get(CSRF_COOKIE, "")
    if 20 <= len(token) <= 64 and token.replace("-", "").replace("_", "").isalnum():
        return token, False
    return secrets.token_urlsafe(32), True


def set_csrf_cookie(response: Response, token: str, secure: bool) -> None:
    response.set_cookie(
        CSRF_COOKIE, token, httponly=True, samesite="strict", secure=secure, path="/"
    )


def tokens_match(sent: str | None, expected: str) -> bool:
    if not sent or not expected:
        return False
    return hmac.compare_digest(sent.encode("utf-8", "replace"), expected.encode("utf-8"))


# --- log-in throttle ------------------------------------------------------------------------


class LoginThrottle:
    """Failed log-ins in a sliding window, per key (an e-mail, a client address).

    Kept in memory: one server process serves one installation (a restart forgives). Only
    failures count, so a runner who signs in correctly is never locked out by their own
    history, and a success clears the e-mail's count."""

    def __init__(
        self, limit: int, window_s: float, now: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window_s = window_s
        self._now = now
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, key: str, limit: int | None = None) -> int:
        """Seconds until ``key`` may try again; 0 when it may now."""
        allowed = self.limit if limit is None else limit
        with self._lock:
            times = self._recent(key)
            if len(times) < allowed:
                return 0
            return max(1, int(times[0] + self.window_s - self._now()) + 1)

    def failed(self, key: str) -> None:
        with self._lock:
            self._recent(key).append(self._now())

    def forget(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)

    def _recent(self, key: str) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        horizon = self._now() - self.window_s
        while times and times[0] <= horizon:
            times.popleft()
        if len(self._failures) > 10_000:  # never grow without bound under a flood
            for stale in [k for k, v in self._failures.items() if not v][:5_000]:
                del self._failures[stale]
        return times
