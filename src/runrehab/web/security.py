"""Security plumbing: response headers, cookies, CSRF tokens and trusted proxies.

- Every response carries a strict Content-Security-Policy (scripts, styles, images and form
  targets from this server only: the app works offline and cannot be framed),
  ``X-Content-Type-Options: nosniff`` and friends.
- The session cookie is HttpOnly and SameSite=Lax, and Secure whenever the request came over
  HTTPS or from off this machine.
- CSRF: every unsafe request made with the session cookie must carry the session's token (a
  form's ``csrf_token`` field or an ``X-CSRF-Token`` header). Before signing in, the token is
  the random ``rr_csrf`` cookie's (double submit). Requests authenticated by a Bearer token
  carry no ambient credential, so they need none.
- Log-in attempts are throttled by ``services.accounts.throttle`` (in the database); this
  module gives the browser its device cookie and believes a proxy's ``X-Forwarded-For`` only
  when the proxy is named in ``RUNREHAB_TRUSTED_PROXIES``.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets

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
    """Pure ASGI middleware: adds the security headers to every HTTP response, and
    ``Cache-Control: no-store`` to every one that does not say how to cache itself."""

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
                if b"cache-control" not in names:
                    # pages and answers are the runner's own: no shared or browser cache may
                    # keep them (static files say otherwise themselves: LongCache)
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def holds_nul(scope: Scope) -> bool:
    """What ``RefuseNul`` refuses: a NUL in the path or in the query string."""
    return "\x00" in scope["path"] or b"%00" in scope.get("query_string", b"").lower()


class RefuseNul:
    """Pure ASGI middleware: a NUL character in the path or query string is never meaningful
    (and PostgreSQL cannot store one), so such a request is refused with 400 before routing."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and holds_nul(scope):
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


# --- device cookie -----------------------------------------------------------------------------

DEVICE_COOKIE = "rr_device"
DEVICE_MAX_AGE_S = 365 * 86_400


def set_device_cookie(response: Response, token: str, secure: bool) -> None:
    """The browser's device cookie (``services.accounts.throttle``): HttpOnly, for a year."""
    response.set_cookie(
        DEVICE_COOKIE,
        token,
        max_age=DEVICE_MAX_AGE_S,
        httponly=True,
        samesite="lax",
        secure=secure,
        path="/",
    )


# --- trusted proxies ---------------------------------------------------------------------------

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(setting: str) -> tuple[Network, ...]:
    """``RUNREHAB_TRUSTED_PROXIES``: addresses or networks, separated by commas or spaces
    ("127.0.0.1, 10.0.0.0/8"); ValueError naming the one that is not."""
    found = []
    for part in setting.replace(",", " ").split():
        try:
            found.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise ValueError(f"{part!r} is not an IP address or network") from None
    return tuple(found)


class TrustedProxies:
    """Pure ASGI middleware: the client's address and scheme as a trusted proxy reports them.

    Only when the connection comes from an address in ``networks`` are ``X-Forwarded-For``
    (the nearest address that is not itself a trusted proxy) and ``X-Forwarded-Proto``
    believed; from anyone else they are ignored, so a caller cannot choose the address the
    log-in throttle counts against. With no networks (the default) nothing is believed."""

    def __init__(self, app: ASGIApp, networks: tuple[Network, ...] = ()) -> None:
        self.app = app
        self.networks = networks

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.networks:
            peer = scope.get("client")
            if peer is not None and self._trusted(peer[0]):
                scope = dict(scope)
                headers = {k.lower(): v for k, v in scope.get("headers", [])}
                forwarded = headers.get(b"x-forwarded-for", b"").decode("latin-1")
                client = self._client(forwarded)
                if client is not None:
                    scope["client"] = (client, 0)
                proto = headers.get(b"x-forwarded-proto", b"").decode("latin-1").strip()
                if proto in ("http", "https"):
                    scope["scheme"] = proto
        await self.app(scope, receive, send)

    def _trusted(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.networks)

    def _client(self, forwarded: str) -> str | None:
        """The rightmost address of the chain that is not a trusted proxy."""
        for hop in reversed([h.strip() for h in forwarded.split(",") if h.strip()]):
            try:
                ipaddress.ip_address(hop)
            except ValueError:
                return None  # a chain with garbage in it says nothing
            if not self._trusted(hop):
                return hop
        return None
