"""The Typer application, its global options, and the helpers every command shares.

Every word the command line prints is content (``cli.toml`` and each subject's words), asked
for with ``say``; help texts too. Only the words files (and the protocol's numbers they
name) are read for them, so ``runrehab --help`` stays quick.
"""

from __future__ import annotations

import gc
import importlib
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, tzinfo
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer
import typer.core

from runrehab.content import locale
from runrehab.content.words import shipped_words
from runrehab.services.views import jsonable

if TYPE_CHECKING:
    from runrehab.bootstrap import Runtime

T = TypeVar("T")


def say(key: str, /, **values: object) -> str:
    """The shipped words named ``key`` (``cli.fail.database``), with ``values`` put in."""
    return shipped_words().say(key, **values)


RUNNER_ORDER = (
    "start",
    "today",
    "checkin",
    "questionnaire",
    "read",
    "note",
    "import",
    "runs",
    "load",
    "movement",
    "summary",
    "history",
    "report",
    "calendar",
    "triage",
    "plan",
    "exercises",
    "explain",
    "rules",
    "export",
    "delete-me",
    "serve",
    "worker",
    "clinic",
)
"""The commands in the order a runner meets them: starting, each day, the week, reference,
then keeping and serving the journal. Any other command comes after them."""


class _RunnerOrder(typer.core.TyperGroup):
    """Lists the commands in ``RUNNER_ORDER`` rather than the order they were added."""

    def list_commands(self, ctx: Any) -> list[str]:
        added = super().list_commands(ctx)
        rank = {name: n for n, name in enumerate(RUNNER_ORDER)}
        return sorted(added, key=lambda name: rank.get(name, len(rank)))


app = typer.Typer(
    name="runrehab",
    cls=_RunnerOrder,
    help=say("cli.app.help"),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class Language(StrEnum):
    en = "en"
    de = "de"


class Units(StrEnum):
    km = "km"
    mi = "mi"


@dataclass
class Options:
    """The global options, as given before the command."""

    db: str | None = None
    person: str | None = None


OPTIONS = Options()

JsonFlag = Annotated[bool, typer.Option("--json", help=say("cli.option.json"))]
FileArg = Annotated[str, typer.Argument(metavar="FILE|-", help=say("cli.option.file"))]


@app.callback()
def main(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="RUNREHAB_DB",
            metavar="URL_OR_PATH",
            help=say("cli.option.db"),
        ),
    ] = None,
    person: Annotated[
        str | None,
        typer.Option(
            "--person",
            envvar="RUNREHAB_PERSON",
            metavar="ID",
            help=say("cli.option.person"),
        ),
    ] = None,
    lang: Annotated[
        Language,
        typer.Option("--lang", envvar="RUNREHAB_LANG", help=say("settings.option.lang")),
    ] = Language.en,
    units: Annotated[
        Units, typer.Option("--units", envvar="RUNREHAB_UNITS", help=say("settings.option.units"))
    ] = Units.km,
) -> None:
    """RunRehab: a coach for runner's knee."""
    OPTIONS.db = db
    OPTIONS.person = person
    # what the command prints: in this language (English while its content is incomplete),
    # for this command only
    ctx.call_on_close(locale.use(locale.offered(lang.value)))
    ctx.call_on_close(locale.use_units(units.value))


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
            fail(say("cli.fail.cannot_read", path=source, why=err.strerror or err))
    return parse_json(raw, kind)


def guarded(action: Any) -> Any:
    """Run ``action``; turn RunRehab's errors into the contract's exit codes, never a traceback."""
    from runrehab.errors import ContentError, DatabaseError, InvalidDocument, JournalError

    try:
        return action()
    except InvalidDocument as err:
        lines = "\n".join(f"  {p.path}: {p.message}" for p in err.problems)
        fail(say("cli.fail.invalid_document", kind=err.kind, lines=lines), 2)
    except JournalError as err:
        fail(str(err), 2)
    except DatabaseError as err:
        fail(say("cli.fail.database", why=err), 1)
    except ContentError as err:
        fail(say("cli.fail.content_broken", why=err), 1)


def import_composition_root() -> None:
    """Import ``runrehab.bootstrap`` when a command first needs it. The import brings
    SQLAlchemy, the engine and the content's schema: objects that live as long as the process.
    The garbage collector walking them again and again while they are made cost a command
    30 ms; it is off meanwhile, then told to leave them alone (``gc.freeze``)."""
    if "runrehab.bootstrap" in sys.modules:
        return
    enabled = gc.isenabled()
    gc.disable()
    try:
        importlib.import_module("runrehab.bootstrap")
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def with_runtime(action: Callable[[Runtime], T]) -> T:
    """Run ``action`` with the adapters the composition root builds for the journal database
    (``--db``), then close it, under ``guarded``."""

    def run() -> T:
        import_composition_root()
        from runrehab import bootstrap

        built = bootstrap.runtime(OPTIONS.db)
        try:
            return action(built)
        finally:
            built.dispose()

    result: T = guarded(run)
    return result


def emit(view: Any, as_json: bool, render: Any) -> None:
    """With ``--json``, the view's JSON document (``jsonable``: a view or a document); else
    the view shown by ``render``."""
    if as_json:
        import json

        sys.stdout.write(json.dumps(jsonable(view), ensure_ascii=False, indent=2) + "\n")
    else:
        render(view)


ZoneOption = Annotated[
    str | None,
    typer.Option(
        "--timezone", envvar="RUNREHAB_TZ", metavar="ZONE", help=say("cli.option.zone_today")
    ),
]
"""The runner's time zone, for the day a missing ``--date`` stands for."""


def day_option(help_key: str) -> Any:
    """A ``--date`` option that may be left out: it then means today (``day_or_today``)."""
    shown = f"{say(help_key)} {say('cli.option.default_today')}"
    return typer.Option("--date", metavar="YYYY-MM-DD", help=shown)


def day_or_today(text: str | None, zone_name: str | None = None) -> date:
    """The day given as ``--date``, else today in the runner's time zone (``--timezone``,
    ``RUNREHAB_TZ``, ``TZ``, else this computer's), read from the composition root's clock."""
    if text is not None:
        return parse_date(text, "--date")
    import_composition_root()
    from runrehab import bootstrap

    return bootstrap.SystemClock().now().astimezone(runner_zone(zone_name)).date()


def runner_zone(zone_name: str | None) -> tzinfo:
    """The runner's time zone: ``--timezone``/``RUNREHAB_TZ``, else ``TZ``'s, else this
    computer's; exit 2 naming the option when it is not a zone."""
    import_composition_root()
    from runrehab import bootstrap

    zone = bootstrap.local_zone(zone_name)
    if zone is None:
        fail(say("cli.fail.unknown_zone", option="--timezone", given=repr(zone_name)))
    return zone


def parse_date(text: str, option: str) -> date:
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        fail(say("cli.fail.not_a_date", option=option, given=repr(text)))


def shown_by(name: str) -> Callable[[Any], None]:
    """The renderer ``module.function`` of ``runrehab.cli`` (``"library_render.rules"``),
    imported only when a person, not ``--json``, is to read the answer: Rich is slow to
    import, and ``runrehab --help`` must not pay for it."""

    def show(view: Any) -> None:
        import importlib

        module, _, function = name.rpartition(".")
        getattr(importlib.import_module(f"runrehab.cli.{module}"), function)(view)

    return show
