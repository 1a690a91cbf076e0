"""Every request's id, and its line in the log.

``RequestLog`` takes the request's ``X-Request-ID`` when a proxy sent a sensible one (letters,
digits, ``-_.:``, up to 128), or makes one, binds it to everything logged while the request is
worked on (``runrehab.logs``: every line carries it), returns it in the answer's
``X-Request-ID`` header, and logs one line when the answer is sent: method, path, status and
milliseconds. Secrets in paths (a calendar feed's token, an invitation's code) are not logged:
a path segment as long as a token is shown as ``:token``; query strings are never logged.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from runrehab import logs

HEADER = b"x-request-id"
_GIVEN = re.compile(r"[A-Za-z0-9._:-]{1,128}")
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,}")

log = logging.getLogger("runrehab.access")


def shown_path(path: str) -> str:
    """The path as logged: "/calendar/Zx9...(43 characters).ics" -> "/calendar/:token.ics"."""
    return "/".join(_TOKEN.sub(":token", part) for part in path.split("/"))


def request_id(scope: Scope) -> str:
    """The proxy's ``X-Request-ID`` when it is one we can log as it is, else a new one."""
    for name, value in scope.get("headers", []):
        if name.lower() == HEADER:
            given = str(value.decode("latin-1")).strip()
            if _GIVEN.fullmatch(given):
                return given
    return uuid.uuid4().hex


class RequestLog:
    """Pure ASGI middleware: the request id, bound to the request's log lines and returned
    in ``X-Request-ID``; one access line per request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = request_id(scope)
        token = logs.bind(request_id=rid)
        started = time.perf_counter()
        status = 500  # what the client sees if nothing is sent (CatchAll answers inside)

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != HEADER]
                headers.append((HEADER, rid.encode("latin-1")))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            ms = (time.perf_counter() - started) * 1000
            path = shown_path(scope.get("path", ""))
            log.info(
                "%s %s %d %.1f ms",
                scope.get("method", ""),
                path,
                status,
                ms,
                extra={
                    "method": scope.get("method", ""),
                    "path": path,
                    "status": status,
                    "ms": round(ms, 1),
                },
            )
            logs.unbind(token)
