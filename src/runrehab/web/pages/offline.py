"""The app on the home screen, and offline: the web app manifest, the service worker, and the
page it shows when a page was never opened before and there is no connection.

The service worker (``templates/sw.js``) is served from the root, so that it may answer for
every page. It keeps the app's shell (styles, scripts, icons: ``static_url`` gives them new
addresses when they change, so a kept copy is never stale), Today, the check-in form and the
exercise pages (the network first, the kept copy without a connection), and it keeps a check-in
posted without a connection and sends it again when the page (``static/js/offline.js``, then
``offline-notice.js``) says the connection is back, with the headers
``services.journal.offline`` reads (the newer check-in wins).
"""

from __future__ import annotations

import hashlib
import json
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from runrehab.services.journal.offline import MADE_AT, SENT_AT, newer_kept, replay_of
from runrehab.web.deps import AppParts, Parts, Runner
from runrehab.web.rendering import STATIC, render, static_url, templates

router = APIRouter()

THEME = "#0b6e4f"  # --brand of css/app.css
BACKGROUND = "#f6f8fa"  # --bg of css/app.css
SHELL_KINDS = (".css", ".js", ".svg")
SHELL_ALSO = ("icons/icon-192.png",)


def shell() -> list[str]:
    """The static files the pages use (styles, scripts, the exercises' pictures and an icon),
    kept by the service worker when it is installed, each at its versioned address."""
    found = sorted(
        path.relative_to(STATIC).as_posix()
        for path in STATIC.rglob("*")
        if path.is_file() and path.suffix in SHELL_KINDS
    )
    return [static_url(path) for path in (*found, *SHELL_ALSO)]


PAGES = ("/today", "/checkin", "/library", "/library/exercises/")
"""The pages (paths, or the start of them) the service worker keeps a copy of."""
QUEUED = ("/checkin",)
"""The forms a post of which is kept when there is no connection, and sent again later."""
NO_CACHE = {"Cache-Control": "no-cache"}


@router.get("/manifest.webmanifest", include_in_schema=False)
def manifest(app_parts: Parts) -> Response:
    words = app_parts.content.words
    icon = "image/png"
    body = {
        "name": words.say("offline.manifest.name"),
        "short_name": words.say("offline.manifest.short_name"),
        "description": words.say("offline.manifest.description"),
        "id": "/today",
        "start_url": "/today",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME,
        "background_color": BACKGROUND,
        "icons": [
            {"src": static_url("icons/icon-192.png"), "sizes": "192x192", "type": icon},
            {"src": static_url("icons/icon-512.png"), "sizes": "512x512", "type": icon},
            {
                "src": static_url("icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": icon,
                "purpose": "maskable",
            },
        ],
    }
    return Response(
        json.dumps(body, ensure_ascii=False, separators=(",", ":")),
        media_type="application/manifest+json",
        headers=NO_CACHE,
    )


@router.get("/sw.js", include_in_schema=False)
def service_worker() -> Response:
    kept = shell()
    version = hashlib.sha256("\n".join([*kept, _source()]).encode()).hexdigest()[:12]
    values = {
        "version": version,
        "shell": kept,
        "pages": list(PAGES),
        "queued": list(QUEUED),
        "made_at": MADE_AT,
        "sent_at": SENT_AT,
    }
    body = templates.get_template("sw.js").render(config=values)
    headers = {**NO_CACHE, "Service-Worker-Allowed": "/"}
    return Response(body, media_type="text/javascript", headers=headers)


def _source() -> str:
    loader = templates.env.loader
    assert loader is not None
    source, _name, _uptodate = loader.get_source(templates.env, "sw.js")
    return source


@router.get("/offline", include_in_schema=False)
def offline_page(request: Request) -> Response:
    return render(request, "offline.html")


async def kept_instead(
    request: Request, app_parts: AppParts, runner: Runner, posted: date | None
) -> date | None:
    """For the check-in form's post: the day whose stored check-in is newer than this one,
    when this one was made offline and sent later (it is then not recorded); else ``None``."""
    headers = request.headers
    replay = replay_of(headers.get(MADE_AT), headers.get(SENT_AT), app_parts.content.words)
    if replay is None:
        return None
    return await run_in_threadpool(
        newer_kept,
        app_parts.reader(),
        app_parts.clock,
        runner.person_id,
        posted,
        runner.today,
        replay,
    )
