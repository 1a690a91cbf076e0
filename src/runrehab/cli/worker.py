"""``runrehab worker``: runs the background jobs (watch imports, movement checks, reminders)
that web processes queue in PostgreSQL (``RUNREHAB_JOB_QUEUE=postgres``), until SIGINT or SIGTERM;
the jobs under way finish first. Any number of workers may run, on any number of hosts; a
job whose worker was killed is run again by another (``adapters.queue.postgres``)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from runrehab.cli.app import OPTIONS, fail, say, with_runtime

if TYPE_CHECKING:
    from runrehab.bootstrap import Runtime

commands = typer.Typer()


@commands.command(help=say("cli.worker.help"))
def worker(
    concurrency: Annotated[
        int, typer.Option("--concurrency", min=1, max=64, help=say("cli.worker.concurrency"))
    ] = 1,
    stalled_after: Annotated[
        float,
        typer.Option("--stalled-after", min=1.0, metavar="SECONDS", help=say("cli.worker.stalled")),
    ] = 30.0,
    name: Annotated[str | None, typer.Option("--name", help=say("cli.worker.name"))] = None,
) -> None:
    if not OPTIONS.db:
        fail(say("cli.worker.needs_postgres"))

    def work(built: Runtime) -> None:
        from runrehab import bootstrap

        if built.db.engine.dialect.name != "postgresql":
            fail(say("cli.worker.needs_postgres"))
        bootstrap.configure_logging(built.settings)
        sys.stderr.write(f"runrehab: {say('cli.worker.working')}\n")
        sys.stderr.flush()
        bootstrap.run_worker(
            built, concurrency=concurrency, stalled_after_s=stalled_after, name=name
        )

    with_runtime(work)
