"""The language and the units of each request (``content.locale``): the signed-in account's,
or for a visitor the first language of their browser's ``Accept-Language`` that RunRehab speaks,
in kilometres.

Pure ASGI middleware: the context variables are set before any route or dependency runs, so the
content (``parts.content``), the words, the templates' own words and the dates and distances of
a page all follow them, in the route's thread too (threads run in a copy of the context).
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from runrehab.content import locale
from runrehab.web.deps import visitor
from runrehab.web.security import SESSION_COOKIE


class Language:
    """Set the request's language and units from who is asking (static files need neither)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/static/"):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        language = locale.from_accept_language(request.headers.get("accept-language"))
        units = locale.DEFAULT_UNITS
        if request.cookies.get(SESSION_COOKIE) or request.headers.get("authorization"):
            who = await run_in_threadpool(visitor, request)  # kept for the route (request.state)
            if who.signed is not None:
                language, units = who.signed.account.language, who.signed.account.units
        # a language whose content is not all there yet is read in English (content.locale)
        with locale.using(locale.offered(language), units):
            await self.app(scope, receive, send)
