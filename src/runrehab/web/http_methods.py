"""HEAD and OPTIONS as HTTP has them, for every route of the app at once (``HttpMethods``)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from fastapi.routing import iter_route_contexts
from starlette.routing import BaseRoute, Mount, Router
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from runrehab.web.security import holds_nul

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
"""The order ``Allow`` lists them in."""


@dataclass(frozen=True)
class _Resource:
    """One route as the router matches it: its path pattern, its path template (two routes
    with one template are one resource, with the methods of both) and its methods."""

    pattern: re.Pattern[str]
    template: str
    methods: frozenset[str]


def _resources(routes: Sequence[BaseRoute]) -> list[_Resource]:
    """Every route of the app, in the order the router tries them (included routers opened)."""
    found = []
    for context in iter_route_contexts(routes):
        pattern = getattr(context, "path_regex", None)
        template = context.path_format
        if pattern is None or template is None:
            continue
        if isinstance(context.route, Mount):  # the mounts serve static files
            methods: frozenset[str] = frozenset({"GET"})
        else:
            methods = frozenset(context.methods or ())
        found.append(_Resource(pattern, template, methods))
    return found


def allowed_methods(resources: list[_Resource], path: str) -> list[str]:
    """Every method the resource at ``path`` takes, in ``METHODS`` order, HEAD with GET and
    OPTIONS with any; empty when nothing lives there. The resource is the first route whose
    pattern matches, as the router picks it, with every route of the same template: so
    ``/api/v1/questionnaires/due`` takes GET only, though a POST there would reach
    ``/api/v1/questionnaires/{instrument}`` (and be told there is no such questionnaire)."""
    first = next((r for r in resources if r.pattern.match(path)), None)
    if first is None:
        return []
    found = {m for r in resources if r.template == first.template for m in r.methods}
    if "GET" in found:
        found.add("HEAD")
    found.add("OPTIONS")
    return [m for m in METHODS if m in found]


class HttpMethods:
    """Pure ASGI middleware: HEAD and OPTIONS as HTTP has them, for every route at once.

    - HEAD is GET without the body: the route answers a GET, and the same status and headers
      (Content-Type, Content-Length) go back with no body.
    - OPTIONS answers 204 with ``Allow``: every method the path takes, HEAD and OPTIONS
      included (404 when nothing lives there). It reaches no route, so it needs no sign-in and
      no CSRF token (both methods are safe).
    - A 405 lists every method the path takes in ``Allow`` (the router names only the first
      route's that matched the path)."""

    def __init__(self, app: ASGIApp, router: Router) -> None:
        self.app = app
        self.router = router
        self._resources: list[_Resource] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        if method == "OPTIONS":
            allowed = self.allowed(scope)
            if allowed:
                await _send_allow(send, allowed)
                return
        if holds_nul(scope) and method not in ("HEAD", *self.allowed(scope)):
            # a method the address does not take is a 405 whatever the address holds: the
            # router says so from the address without its NUL (the NUL guard inside would
            # answer 400 first; what the address holds does not change what it takes)
            path = scope["path"].replace("\x00", "0")
            scope = {**scope, "path": path, "raw_path": path.encode(), "query_string": b""}
        answer = send
        if method == "HEAD":
            scope = {**scope, "method": "GET"}
            answer = _without_body(send)
        await self.app(scope, receive, self._allow_on_405(scope, answer))

    def allowed(self, scope: Scope) -> list[str]:
        if self._resources is None:  # the routes are all in by the first request
            self._resources = _resources(self.router.routes)
        path = scope["path"]
        root = scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root) :]
        return allowed_methods(self._resources, path)

    def _allow_on_405(self, scope: Scope, send: Send) -> Send:
        async def send_allow(message: Message) -> None:
            if message["type"] == "http.response.start" and message.get("status") == 405:
                allowed = self.allowed(scope)
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"allow"]
                headers.append((b"allow", ", ".join(allowed).encode()))
                message = {**message, "headers": headers}
            await send(message)

        return send_allow


async def _send_allow(send: Send, allowed: list[str]) -> None:
    headers = [(b"allow", ", ".join(allowed).encode())]
    await send({"type": "http.response.start", "status": 204, "headers": headers})
    await send({"type": "http.response.body", "body": b""})


def _without_body(send: Send) -> Send:
    """``send`` for a HEAD request: the answer's start as it is, its body left out."""

    async def send_head(message: Message) -> None:
        if message["type"] == "http.response.body":
            if message.get("more_body", False):
                return
            message = {"type": "http.response.body", "body": b"", "more_body": False}
        await send(message)

    return send_head
