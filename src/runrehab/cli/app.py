"""The Typer application, its global options, and the helpers every command shares."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer

if TYPE_CHECKING:
    from runrehab.bootstrap import Runtime

T = TypeVar("T")

app = typer.Typer(
    name="runrehab",
    help="RunRehab: a coach for runner's knee. Triage, a pain-gated programme, and the reason "
    "behind every decision.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@dataclass
class Options:
    """The global options, as given before the command."""

    db: str | None = None
    person: str | None = None


OPTIONS = Options()

JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]
FileArg = Annotated[str, typer.Argument(metavar="FILE|-", help="A JSON document, or - for stdin.")]


@app.callback()
def main(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="RUNREHAB_DB",
            metavar="URL_OR_PATH",
            help="The journal database (for stateful commands).",
        ),
    ] = None,
    person: Annotated[
        str | None,
        typer.Option(
            "--person",
            envvar="RUNREHAB_PERSON",
            metavar="ID",
            help="Whose journal, when the database holds more than one person.",
        ),
    ] = None,
) -> None:
    """RunRehab: a coach for runner's knee."""
    OPTIONS.db = db
    OPTIONS.person = person


def fail(message: str, code: int = 2) -> NoReturn:
    sys.stderr.write(f"runrehab: {message}\n")
    raise typer.Exit(code)


def read_document(source: str, kind: str) -> Any:
    """Read and validate a contract document from a file or ``-`` (stdin); exit 2 on bad input."""
    from runrehab.adapters.documents import parse_json

    if source == "-":
        raw = sys.stdin.buffer.read()
    else:
        try:
            raw = Path(source).read_bytes()
        except OSError as err:
            fail(f"cannot read {source}: {err.strerror or err}")
    return parse_json(raw, kind)


def guarded(action: Any) -> Any:
    """Run ``action``; turn RunRehab's errors into the contract's exit codes, never a traceback."""
    from runrehab.errors import ContentError, DatabaseError, InvalidDocument, JournalError

    try:
        return action()
    except InvalidDocument as err:
        lines = "\n".join(f"  {p.path}: {p.message}" for p in err.problems)
        fail(f"invalid {err.kind} document:\n{lines}", 2)
    except JournalError as err:
        fail(str(err), 2)
    except DatabaseError as err:
        fail(f"database: {err}", 1)
    except ContentError as err:
        fail(f"the protocol data is broken: {err}", 1)


def with_runtime(action: Callable[[Runtime], T]) -> T:
    """Run ``action`` with the adapters the composition root builds for the journal database
    (``--db``), then close it, under ``guarded``."""

    def run() -> T:
        from runrehab import bootstrap

        built = bootstrap.runtime(OPTIONS.db)
        try:
            return action(built)
        finally:
            built.dispose()

    result: T = guarded(run)
    return result


def emit(view: dict[str, Any], as_json: bool, render: Any) -> None:
    if as_json:
        import json

        sys.stdout.write(json.dumps(view, ensure_ascii=False, indent=2) + "\n")
    else:
        render(view)


def parse_date(text: str, option: str) -> date:
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        fail(f"{option} must be a date as YYYY-MM-DD, not {text!r}")


def shown_by(name: str) -> Callable[[Any], None]:
    """The renderer ``module.function`` of ``runrehab.cli`` (``"library_render.rules"``),
    imported only when a person, not ``--json``, is to read the answer: Rich is slow to
    import, and ``runrehab --help`` must not pay for it."""

    def show(view: Any) -> None:
        import importlib

        module, _, function = name.rpartition(".")
        getattr(importlib.import_module(f"runrehab.cli.{module}"), function)(view)

    return show
