"""The front door and the API documentation (Swagger UI, served from here, no CDN)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from runrehab.web.deps import Who
from runrehab.web.rendering import render

router = APIRouter()


@router.get("/", include_in_schema=False)
def home(request: Request, who: Who) -> Response:
    if who.signed is not None:
        return RedirectResponse("/today", status_code=303)
    return render(request, "landing.html")


@router.get("/api/docs", include_in_schema=False)
def api_docs(request: Request) -> HTMLResponse:
    return render(request, "api_docs.html")


@router.get("/docs", include_in_schema=False)
def docs_redirect() -> RedirectResponse:
    return RedirectResponse("/api/docs", status_code=307)
