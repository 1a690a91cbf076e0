"""The web app's outer guards: JSON bodies hold valid text, and no failure resets a connection.

- ``RefuseBadText``: every JSON body sent to the app is read once, before any route, and
  refused (422, each bad string named by its JSON path) when a string or key breaks the text
  rule of :mod:`runrehab.text` (a lone surrogate, NUL, another control character). A route can
  then never store text that a later page or answer cannot show. Forms are checked by the form
  readers (``web.rendering``); documents by their validator.
- ``CatchAll``: an exception no handler took becomes a plain 500 answer in the API's JSON shape
  or as a small page, and the exception stops here, so the server keeps the connection open
  instead of closing it under the client. Once an answer has started nothing more can be sent;
  the failure is only logged.
"""

from __future__ import annotations

import json
import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from runrehab.text import bad_texts

log = logging.getLogger("runrehab.web")

BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class RefuseBadText:
    """Pure ASGI middleware: refuse a JSON body whose text breaks the rule, naming each place."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS or not _is_json(scope):
            await self.app(scope, receive, send)
            return
        messages, body = await _read_body(receive)
        errors = _text_errors(body)
        if errors:
            await _send_json(
                send, 422, {"detail": "Some of what was sent is not right.", "errors": errors}
            )
            return
        await self.app(scope, _replay(messages, receive), send)


def _is_json(scope: Scope) -> bool:
    for name, value in scope.get("headers", []):
        if name == b"content-type":
            kind: bytes = value.split(b";", 1)[0].strip().lower()
            return kind == b"application/json" or kind.endswith(b"+json")
    return False


async def _read_body(receive: Receive) -> tuple[list[Message], bytes]:
    messages: list[Message] = []
    chunks: list[bytes] = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return messages, b"".join(chunks)


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replayed() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replayed


def _text_errors(body: bytes) -> list[dict[str, str]]:
    """The places of bad text in a JSON body; a body that is not JSON is the route's to refuse
    (it says so in its own words)."""
    try:
        document = json.loads(body)
    except ValueError:
        return []
    return [{"field": path, "message": problem} for path, problem in bad_texts(document)][:20]


async def _send_json(send: Send, status: int, body: dict[str, object]) -> None:
    data = json.dumps(body).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(data)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": data})


ERROR_PAGE = (
    b"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
    b"<meta name='viewport' content='width=device-width, initial-scale=1'>"
    b"<title>Something went wrong - RunRehab</title></head><body>"
    b"<h1>Something went wrong</h1><p>RunRehab could not answer this time. Nothing you sent was "
    b"half-saved. Go back and try again; if it happens again, tell the admin.</p>"
    b"<p><a href='/today'>Back to Today</a></p></body></html>"
)


class CatchAll:
    """Pure ASGI middleware: the last word on an exception nothing else handled."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception:
            log.exception("unhandled error on %s %s", scope["method"], scope["path"])
            if started:
                return  # the answer is under way: nothing more can be said on it
            if scope["path"].startswith("/api/"):
                await _send_json(send, 500, {"detail": "Something went wrong on our side."})
            else:
                await _send_page(send, 500, ERROR_PAGE)


async def _send_page(send: Send, status: int, page: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/html; charset=utf-8"),
                (b"content-length", str(len(page)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": page})
