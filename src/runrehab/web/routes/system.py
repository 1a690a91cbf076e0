"""The front door, the health check and the API documentation (Swagger UI, served from here)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from runrehab.web.deps import Parts, Who
from runrehab.web.rendering import render

router = APIRouter()


@router.get("/", include_in_schema=False)
def home(request: Request, who: Who) -> Response:
    if who.signed is not None:
        return RedirectResponse("/today", status_code=303)
    return render(request, "landing.html")


@router.get(
    "/healthz",
    tags=["system"],
    summary="Health: 200 when the database answers",
    responses={503: {"description": "The database does not answer."}},
)
def healthz(app_parts: Parts) -> JSONResponse:
    if not app_parts.db.ping():
        return JSONResponse({"status": "unavailable", "database": "down"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok"})


@router.get("/api/docs", include_in_schema=False)
def api_docs(request: Request) -> HTMLResponse:
    return render(request, "api_docs.html")


@router.get("/docs", include_in_schema=False)
def docs_redirect() -> RedirectResponse:
    return RedirectResponse("/api/docs", status_code=307)


def api_error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI descriptions of the error answers a route can give (all ``{"detail": ...}``)."""
    words = {
        400: "Bad input: the message names what is wrong.",
        401: "Not signed in.",
        403: "Refused (a missing CSRF token with cookie sign-in).",
        404: "No such thing, or not yours.",
        409: "Not possible now (e.g. no programme yet).",
        413: "Too large.",
        422: "Invalid request: each error names its field.",
        429: "Too many attempts: wait Retry-After seconds.",
    }
    return {code: {"description": words[code]} for code in codes}
