"""Every failure becomes a clear answer: an HTML page for the browser, JSON for the API.

No traceback ever reaches a person. Bad input is 400/422 naming what is wrong, someone else's
(or a missing) id is 404, a missing sign-in sends the browser to the log-in page, a missing
CSRF token is 403, and a database that cannot be reached is 503.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from runrehab.errors import ContentError, DatabaseError, InvalidDocument, JournalError
from runrehab.services.accounts.account import AccountError
from runrehab.services.accounts.throttle import Throttled
from runrehab.services.clinic.access import ClinicError, NotFound, NotStaff
from runrehab.services.clinic.exports import ExportNotReady
from runrehab.services.journal.days import DayNotAllowed, NoProgrammeYet
from runrehab.web.deps import CsrfRefused, NotSignedIn

log = logging.getLogger("runrehab.web")

TITLES = {
    400: "That request was not right",
    401: "Please log in",
    403: "Refused",
    404: "Not found",
    405: "Not allowed",
    413: "Too large",
    422: "Something in the request was not right",
    429: "Too many attempts",
    503: "The database is not answering",
}


class BadRequest(ValueError):
    """Input a route cannot take; its message, in plain words, is the answer (400), with the
    ``field`` it is about when one is given (``query.since``)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def problem(
    request: Request,
    status: int,
    message: str,
    details: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """The error answer for ``request``: JSON ``{"detail": ...}`` for the API, else a page."""
    if wants_json(request):
        body: dict[str, Any] = {"detail": message}
        if details:
            body["errors"] = details
        return JSONResponse(body, status_code=status, headers=headers)
    from runrehab.web.rendering import render

    response = render(
        request,
        "error.html",
        {
            "status": status,
            "title": TITLES.get(status, "Something went wrong"),
            "message": message,
            "details": details or [],
        },
        status_code=status,
    )
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _not_found() -> str:
    from runrehab.content.words import shipped_words

    return shipped_words().say("clinic.not_found")


def _home_without_programme(request: Request) -> str:
    """A clinician's home is their caseload; a runner's first step the knee check."""
    from runrehab.services.clinic.access import is_staff
    from runrehab.web.deps import parts

    signed = getattr(request.state, "visitor", None)
    account = signed.signed.account.id if signed is not None and signed.signed else None
    if account is not None and is_staff(parts(request).reader(), account):
        return "/clinic"
    return "/start"


def install(app: FastAPI) -> None:
    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, exc: NotSignedIn) -> Response:
        if wants_json(request):
            return JSONResponse(
                {"detail": "Sign in first: POST /api/v1/session, then send the token."},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        target = request.url.path
        if request.url.query:
            target += "?" + request.url.query
        return RedirectResponse(f"/login?next={quote(target, safe='/')}", status_code=303)

    @app.exception_handler(CsrfRefused)
    async def csrf_refused(request: Request, exc: CsrfRefused) -> Response:
        return problem(
            request,
            403,
            "This form had expired or did not come from RunRehab, so nothing was done. "
            "Go back, reload the page and try again.",
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        details = [
            {
                "field": ".".join(str(p) for p in e.get("loc", ()) if p != "body"),
                "message": str(e.get("msg", "")),
            }
            for e in exc.errors()
        ]
        return problem(request, 422, "Some of what was sent is not right.", details)

    @app.exception_handler(BadRequest)
    async def bad_request(request: Request, exc: BadRequest) -> Response:
        details = [{"field": exc.field, "message": str(exc)}] if exc.field else None
        return problem(request, 400, str(exc), details)

    @app.exception_handler(InvalidDocument)
    async def invalid_document(request: Request, exc: InvalidDocument) -> Response:
        details = [{"field": p.path, "message": p.message} for p in exc.problems]
        return problem(request, 422, f"The {exc.kind} is not right.", details)

    @app.exception_handler(AccountError)
    async def account_error(request: Request, exc: AccountError) -> Response:
        details = [{"field": exc.field, "message": str(exc)}] if exc.field else None
        return problem(request, 400, str(exc), details)

    @app.exception_handler(NotFound)
    @app.exception_handler(NotStaff)
    async def not_found(request: Request, exc: Exception) -> Response:
        # the same answer for "not yours" as for "no such thing": nothing about other runners
        return problem(request, 404, str(exc) if isinstance(exc, NotFound) else _not_found())

    @app.exception_handler(ExportNotReady)
    async def export_not_ready(request: Request, exc: ExportNotReady) -> Response:
        return problem(request, 409, str(exc))

    @app.exception_handler(ClinicError)
    async def clinic_error(request: Request, exc: ClinicError) -> Response:
        details = [{"field": exc.field, "message": str(exc)}] if exc.field else None
        return problem(request, 400, str(exc), details)

    @app.exception_handler(Throttled)
    async def throttled(request: Request, exc: Throttled) -> Response:
        headers = {"Retry-After": str(exc.retry_after)}
        return problem(request, 429, str(exc), headers=headers)  # its words say how long

    @app.exception_handler(NoProgrammeYet)
    async def no_programme(request: Request, exc: NoProgrammeYet) -> Response:
        if wants_json(request):
            return problem(request, 409, str(exc))
        return RedirectResponse(_home_without_programme(request), status_code=303)

    @app.exception_handler(DayNotAllowed)
    async def day_not_allowed(request: Request, exc: DayNotAllowed) -> Response:
        return problem(request, 400, str(exc), [{"field": "date", "message": str(exc)}])

    @app.exception_handler(JournalError)
    async def journal_error(request: Request, exc: JournalError) -> Response:
        return problem(request, 409, str(exc))

    @app.exception_handler(DatabaseError)
    async def database_error(request: Request, exc: DatabaseError) -> Response:
        log.error("database: %s", exc)
        return problem(request, 503, "The database is not answering. Try again in a minute.")

    @app.exception_handler(ContentError)
    async def content_error(request: Request, exc: ContentError) -> Response:
        log.error("protocol data: %s", exc)
        return problem(request, 500, "RunRehab's protocol data is broken; tell the admin.")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        messages = {
            404: "There is nothing here, or it is not yours to see.",
            405: "That address does not take this kind of request.",
        }
        detail = str(exc.detail)
        if detail == HTTPStatus(exc.status_code).phrase:  # Starlette's stock wording
            detail = messages.get(exc.status_code, detail)
        return problem(request, exc.status_code, detail, headers=dict(exc.headers or {}))
