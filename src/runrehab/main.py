"""The ``runrehab`` program: the command line, and ``runrehab serve``, which serves the web app.

The command line (``runrehab.cli``) and the web app (``runrehab.web``) are siblings that never
import each other; this module is the one place above both. Imports stay lazy, as in the
command line: ``runrehab --help`` must not pay for the web app.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from runrehab.cli.app import OPTIONS, app, fail, guarded, say
from runrehab.cli.main import run as run_cli

if TYPE_CHECKING:
    from fastapi import FastAPI

    from runrehab.web.config import WebConfig


@app.command(help=say("cli.serve.help"))
def serve(
    host: Annotated[str, typer.Option("--host", help=say("cli.serve.host"))] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, help=say("cli.serve.port"))
    ] = 8000,
    timezone: Annotated[
        str,
        typer.Option("--timezone", envvar="RUNREHAB_TZ", help=say("cli.serve.timezone")),
    ] = "UTC",
    trusted_proxies: Annotated[
        str,
        typer.Option(
            "--trusted-proxies",
            envvar="RUNREHAB_TRUSTED_PROXIES",
            help=say("cli.serve.trusted_proxies"),
        ),
    ] = "",
    workers: Annotated[
        int, typer.Option("--workers", min=1, max=64, help=say("cli.serve.workers"))
    ] = 1,
) -> None:
    """Serve the web app and the JSON API (/api/v1, /openapi.json, /healthz)."""
    if not OPTIONS.db:
        fail(say("cli.serve.no_database"))
    import uvicorn

    config = _web_config(OPTIONS.db or "", timezone, trusted_proxies)
    # opens (and migrates) the journal once; with several workers this process only hands the
    # port to theirs (each builds and settles its own app), so it compiles no template
    web = guarded(lambda: _create_app(config, settled=workers == 1))
    shown = f"[{host}]" if ":" in host else host
    serving = say("cli.serve.serving", address=f"http://{shown}:{port}/")
    sys.stderr.write(f"runrehab: {serving}\n")
    sys.stderr.flush()
    if workers > 1:
        web.state.parts.db.dispose()  # each worker process opens its own
        os.environ.update(
            {SERVE_DB: config.database, SERVE_TZ: timezone, SERVE_PROXIES: trusted_proxies}
        )
    # uvicorn would believe X-Forwarded-For from 127.0.0.1; the app decides (TrustedProxies)
    uvicorn.run(
        web if workers == 1 else "runrehab.main:worker_app",
        factory=workers > 1,
        workers=workers,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        proxy_headers=False,
    )


SERVE_DB, SERVE_TZ, SERVE_PROXIES = "RUNREHAB_DB", "RUNREHAB_TZ", "RUNREHAB_TRUSTED_PROXIES"
"""What ``serve --workers N`` passes its worker processes (the options' own variables)."""


def worker_app() -> FastAPI:
    """The web app of one of ``serve --workers N``'s processes (uvicorn starts each afresh and
    calls this): the options the command was given, from the environment it set."""
    env = os.environ
    config = _web_config(env[SERVE_DB], env.get(SERVE_TZ, "UTC"), env.get(SERVE_PROXIES, ""))
    return _create_app(config)


def _web_config(database: str, timezone: str, trusted_proxies: str) -> WebConfig:
    from runrehab.content.words import shipped_words
    from runrehab.services.accounts.account import AccountError, check_timezone
    from runrehab.web.config import WebConfig
    from runrehab.web.security import parse_networks

    try:
        zone = check_timezone(shipped_words(), timezone)
    except AccountError as err:
        fail(say("cli.serve.option_refused", option="--timezone", why=err))
    try:
        proxies = parse_networks(trusted_proxies)
    except ValueError as err:
        fail(say("cli.serve.option_refused", option="--trusted-proxies", why=err))
    return WebConfig(database=database, default_timezone=zone, trusted_proxies=proxies)


def _create_app(config: WebConfig, *, settled: bool = True) -> FastAPI:
    """The app of a serving process (``settled``: ``web.app.settle``)."""
    from runrehab.web.app import create_app, settle

    app = create_app(config)
    if settled:
        settle()
    return app


def run() -> None:
    """Console entry point (``runrehab``): the command line with ``serve``."""
    run_cli()
