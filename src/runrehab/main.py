"""The ``runrehab`` program: the command line, and ``runrehab serve``, which serves the web app.

The command line (``runrehab.cli``) and the web app (``runrehab.web``) are siblings that never
import each other; this module is the one place above both. Imports stay lazy, as in the
command line: ``runrehab --help`` must not pay for the web app.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from runrehab.cli.app import OPTIONS, app, fail, guarded
from runrehab.cli.main import run as run_cli


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="The address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="The port.")] = 8000,
    timezone: Annotated[
        str,
        typer.Option(
            "--timezone",
            envvar="RUNREHAB_TZ",
            help="The time zone the sign-up form suggests (the browser's own replaces it).",
        ),
    ] = "UTC",
    trusted_proxies: Annotated[
        str,
        typer.Option(
            "--trusted-proxies",
            envvar="RUNREHAB_TRUSTED_PROXIES",
            help="Reverse proxies (addresses or networks, comma-separated) whose "
            "X-Forwarded-For and X-Forwarded-Proto are believed. None by default.",
        ),
    ] = "",
) -> None:
    """Serve the web app and the JSON API (/api/v1, /openapi.json, /healthz)."""
    if not OPTIONS.db:
        fail("serve needs a database: pass --db PATH (SQLite) or a postgresql:// URL")
    import uvicorn

    from runrehab.services.accounts.account import AccountError, check_timezone
    from runrehab.web.app import create_app
    from runrehab.web.config import WebConfig
    from runrehab.web.security import parse_networks

    try:
        zone = check_timezone(timezone)
    except AccountError as err:
        fail(f"--timezone: {err}")
    try:
        proxies = parse_networks(trusted_proxies)
    except ValueError as err:
        fail(f"--trusted-proxies: {err}")
    config = WebConfig(database=OPTIONS.db or "", default_timezone=zone, trusted_proxies=proxies)
    web = guarded(lambda: create_app(config))
    shown = f"[{host}]" if ":" in host else host
    sys.stderr.write(f"runrehab: serving on http://{shown}:{port}/  (Ctrl+C stops)\n")
    sys.stderr.flush()
    # uvicorn would believe X-Forwarded-For from 127.0.0.1; the app decides (TrustedProxies)
    uvicorn.run(
        web, host=host, port=port, log_level="warning", access_log=False, proxy_headers=False
    )


def run() -> None:
    """Console entry point (``runrehab``): the command line with ``serve``."""
    run_cli()
