"""The web app's composition: ``create_app(WebConfig)`` has the composition root
(``runrehab.bootstrap``) build the adapters, and wires the routes, the error pages, the security
headers and the static files.

Every asset is served from here (htmx, the stylesheet, Swagger UI for the API documentation):
the app works with no connection to anywhere else.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import AsyncIterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from anyio import to_thread
from fastapi import APIRouter, FastAPI
from starlette.middleware.gzip import GZipMiddleware
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Lifespan, Message, Receive, Scope, Send

from runrehab import __version__, bootstrap
from runrehab.services.activities.background_import import IMPORT, import_handler
from runrehab.services.clinic import exports
from runrehab.services.jobs import JobHandlers, JobQueue
from runrehab.services.movement.checks import MOVEMENT_JOB
from runrehab.web import errors, movement_uploads, uploads
from runrehab.web.boundary import CatchAll, RefuseBadText
from runrehab.web.config import WebConfig
from runrehab.web.deps import AppParts
from runrehab.web.http_methods import HttpMethods
from runrehab.web.language import Language
from runrehab.web.openapi import RunRehabApi
from runrehab.web.rendering import STATIC
from runrehab.web.request_log import RequestLog
from runrehab.web.security import RefuseNul, SecurityHeaders, TrustedProxies

DESCRIPTION = """\
RunRehab's JSON API: everything the web pages do. Sign in with `POST /api/v1/session`
(e-mail and password); send the returned token as `Authorization: Bearer <token>`.
Clinical answers (red flags, can I run today) come with their reasons and sources.
RunRehab is not a diagnosis.
"""

TAGS = [
    {"name": "account", "description": "Sign up, sign in, password, delete the account."},
    {"name": "assessment", "description": "The intake assessment and its triage."},
    {"name": "today", "description": "What to do today, and the daily check-in."},
    {"name": "plan", "description": "The coming weeks and the phase gates."},
    {"name": "progress", "description": "Charts, weekly summary, report, calendar, export."},
    {"name": "runs", "description": "Watch files: upload, background imports, runs and load."},
    {
        "name": "movement",
        "description": "Movement checks: a filmed exercise's reps, knee angles and key frames.",
    },
    {
        "name": "library",
        "description": "Exercises, knowledge pages, FAQ, glossary, clinical rules and search.",
    },
    {"name": "system", "description": "Health."},
]


def _docs_static() -> Path:
    import fastapi_offline

    return Path(fastapi_offline.__file__).resolve().parent / "static"


class LongCache:
    """Static files are addressed by content hash (``?v=``), so they may be kept a year."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_cached(message: Message) -> None:
            if message["type"] == "http.response.start" and message.get("status") == 200:
                headers = list(message.get("headers", []))
                headers.append((b"cache-control", b"public, max-age=31536000, immutable"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_cached)


def create_app(config: WebConfig) -> FastAPI:
    built = bootstrap.runtime(config.database, clock=config.clock, passwords=config.passwords)
    db, clock = built.db, built.clock
    threads = config.threads or built.settings.web_threads
    bootstrap.configure_logging(built.settings)
    background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="runrehab-import")
    handlers = JobHandlers()  # the jobs this process runs itself (RUNREHAB_JOB_QUEUE=thread)
    parts = AppParts(
        config=config,
        db=db,
        content=built.content,
        clock=clock,
        passwords=built.passwords,
        background=background,
        import_workers=config.import_workers or built.settings.import_workers,
        jobs=guard_jobs(built, background, handlers),
    )
    handlers.register(IMPORT, import_handler(uploads.import_worker(parts)))
    exporter = bootstrap.export_worker(built)
    handlers.register(exports.FHIR_EXPORT_JOB, exports.export_handler(exporter))
    own_jobs = built.settings.job_queue != "postgres"

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Pages are CPU-bound Python: a few threads at a time keep the GIL from thrashing
        # (measured with benchmarks/web_load.py); the rest queue, in order.
        to_thread.current_default_thread_limiter().total_tokens = threads
        if own_jobs:  # this process ran them: none is running any more
            with db.unit_of_work() as uow:
                uow.jobs.interrupt_unfinished(clock.now())
                uow.commit()
            exports.fail_unfinished(exporter)
        stop_reminders = bootstrap.start_reminders(built)  # push keys; the sender
        try:
            yield
        finally:
            stop_reminders()
            parts.background.shutdown(wait=False, cancel_futures=True)
            close = getattr(parts.jobs, "close", None)
            if callable(close):
                close()
            db.dispose()

    app = RunRehabApi(
        title="RunRehab",
        version=__version__,
        description=DESCRIPTION,
        openapi_tags=TAGS,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.parts = parts
    # movement checks: on their own thread through ``handlers`` here, else ``runrehab worker``
    handlers.register(MOVEMENT_JOB, movement_uploads.job_handler(app.state))
    app.state.own_jobs = handlers if own_jobs else None
    errors.install(app)
    app.add_middleware(RefuseBadText)  # innermost: next to the routes
    app.add_middleware(RefuseNul)
    # a method the address does not take is a 405 whatever the address holds (a NUL included)
    app.add_middleware(HttpMethods, router=app.router)
    app.add_middleware(Language)  # the request's language and units (content.locale)
    app.add_middleware(CatchAll)  # any failure is an answer, never a closed connection
    app.add_middleware(SecurityHeaders)  # wraps everything but the proxy rule, refusals included
    # outermost: every layer sees the client a trusted proxy reports, or the connection's own
    app.add_middleware(TrustedProxies, networks=config.trusted_proxies)
    app.add_middleware(RequestLog)  # around all: every line of a request carries its id
    app.mount(
        "/static/apidocs",
        LongCache(GZipMiddleware(StaticFiles(directory=_docs_static()))),
        name="apidocs",
    )
    app.mount("/static", LongCache(GZipMiddleware(StaticFiles(directory=STATIC))), name="static")
    for router in _routers():
        _add_routes(app, router)
    return app


def settle() -> None:
    """For a serving process, once its app is built: compile every template, then leave the
    long-lived objects (the content, the templates, the modules: about 240,000) out of the
    garbage collector's full passes. Each such pass walked them all, about 100 ms during
    which every request in flight waited. They live as long as the process; what requests
    make afterwards is collected as before. (Not for tests, which build many apps.)"""
    import gc

    from runrehab.web.rendering import templates

    for name in templates.env.list_templates(extensions=["html"]):
        templates.env.get_template(name)
    gc.collect()
    gc.freeze()


def _add_routes(app: FastAPI, router: APIRouter) -> None:
    """``router``'s routes on the app as they are, and its lifespan inside the app's: what
    ``include_router`` does for a router without a prefix, less its copy of every route (FastAPI
    0.165 makes each included route's handling anew for every app, about 0.2 s an app, and
    looks the included routers over again on every request). The routes are made once, when
    their module is imported, with their router's dependencies."""
    app.router.routes.extend(router.routes)
    app.router.lifespan_context = _inside(app.router.lifespan_context, router.lifespan_context)


def _inside(outer: Lifespan[FastAPI], inner: Lifespan[FastAPI]) -> Lifespan[FastAPI]:
    """``inner`` run inside ``outer``, their states merged (as ``include_router`` merges)."""

    @asynccontextmanager
    async def both(app: FastAPI) -> AsyncIterator[Mapping[str, Any] | None]:
        async with outer(app) as first, inner(app) as second:
            yield None if first is None and second is None else {**(second or {}), **(first or {})}

    return both  # type: ignore[return-value]


def guard_jobs(
    built: bootstrap.Runtime, background: ThreadPoolExecutor, handlers: JobHandlers
) -> JobQueue:
    """The app's job queue (``bootstrap.job_queue``); the database is closed if it fails."""
    try:
        return bootstrap.job_queue(built, background, handlers)
    except BaseException:
        built.dispose()
        raise


def _routers() -> list[APIRouter]:
    """The ``router`` of every module of the route packages (``pages``, ``api``), in module
    order: a new room is a new module, nothing to list."""
    from runrehab.web import api, pages

    found = []
    for package in (pages, api):
        for module in sorted(m.name for m in pkgutil.iter_modules(package.__path__)):
            loaded = importlib.import_module(f"{package.__name__}.{module}")
            router = getattr(loaded, "router", None)
            if isinstance(router, APIRouter):
                found.append(router)
    return found
