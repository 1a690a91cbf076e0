"""The ``runrehab`` command line.

Imports are lazy: each command imports what it needs when it runs, so ``runrehab --help`` and a
``runrehab triage`` answer stay well under 0.3 s (``benchmarks/cli_latency.py``).

Exit status (contract): 0 success whatever the clinical answer, 2 bad input or usage, 1 anything
else. With ``--json`` exactly one JSON document goes to stdout; messages go to stderr.
"""

from __future__ import annotations

import gc
import sys

from runrehab.cli import (
    activities,
    clinic,
    intake,
    journal,
    library,
    movement,
    progress,
    questionnaire,
    worker,
)

__all__ = ["app", "run"]
from runrehab.cli.app import app, say

# the sub-apps, merged into one command list in the order a runner meets them
for commands in (
    journal.commands,
    questionnaire.commands,
    progress.commands,
    activities.commands,
    intake.commands,
    library.commands,
    movement.commands,
    worker.commands,
):
    app.add_typer(commands)
app.add_typer(clinic.commands, name="clinic")


def run() -> None:
    """Console entry point: never show a traceback to a person."""
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write(f"runrehab: {say('cli.fail.interrupted')}\n")
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(1)
    except Exception as err:
        unexpected = say("cli.fail.unexpected", kind=type(err).__name__, why=err)
        sys.stderr.write(f"runrehab: {unexpected}\n")
        sys.exit(1)
    finally:
        # The process ends here. At exit Python walks the whole heap for garbage several times
        # over (SQLAlchemy, the engine, the content: some 70,000 objects), 70 ms of
        # ``today --json``; frozen, they are left to the operating system, which takes back
        # the memory at once. Files and connections are closed already; atexit handlers run.
        gc.freeze()
