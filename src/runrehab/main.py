"""The ``runrehab`` program: the command line, and ``runrehab serve``, which serves the web app.

The command line (``runrehab.cli``) and the web app (``runrehab.web``) are siblings that never
import each other; this module is the one place above both. Imports stay lazy, as in the
command line: ``runrehab --help`` must not pay for the web app.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from runrehab.cli.app import OPTIONS, app, fail, guarded, say
from runrehab.cli.main import run as run_cli


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
) -> None:
    """Serve the web app and the JSON API (/api/v1, /openapi.json, /healthz)."""
    if not OPTIONS.db:
        fail(say("cli.serve.no_database"))
    import uvicorn

    from runrehab.content.words import shipped_words
    from runrehab.services.accounts.account import AccountError, check_timezone
    from runrehab.web.app import create_app
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
    config = WebConfig(database=OPTIONS.db or "", default_timezone=zone, trusted_proxies=proxies)
    web = guarded(lambda: create_app(config))
    shown = f"[{host}]" if ":" in host else host
    serving = say("cli.serve.serving", address=f"http://{shown}:{port}/")
    sys.stderr.write(f"runrehab: {serving}\n")
    sys.stderr.flush()
    # uvicorn would believe X-Forwarded-For from 127.0.0.1; the app decides (TrustedProxies)
    uvicorn.run(
        web, host=host, port=port, log_level="warning", access_log=False, proxy_headers=False
    )


def run() -> None:
    """Console entry point (``runrehab``): the command line with ``serve``."""
    run_cli()
