"""The progress commands: ``report`` (PDF or HTML, optional chart files), ``calendar`` (the
coming sessions as .ics) and ``summary`` (one week in plain words): the same use cases as the
progress room's files and its week in words.

They only read the journal. Bad input (a date, a file suffix, a path that cannot be written)
exits 2 with a message before anything heavy runs; imports stay lazy, as in ``main``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from runrehab.cli.app import (
    OPTIONS,
    JsonFlag,
    ZoneOption,
    day_option,
    day_or_today,
    emit,
    fail,
    parse_date,
    say,
    with_runtime,
)
from runrehab.content import locale

if TYPE_CHECKING:
    from runrehab.services.content import ProgrammeContent
    from runrehab.services.ports import Clock, UnitOfWork
    from runrehab.services.progress.downloads import ReportView
    from runrehab.services.progress.figures import WeekSummary

T = TypeVar("T")

commands = typer.Typer()
"""Commands of progress: the report, the calendar and the week's summary. Composed into the
program by ``cli.main``."""

REPORT_SUFFIXES = (".pdf", ".html", ".htm")


def _with_journal(action: Callable[[UnitOfWork, ProgrammeContent, Clock], T]) -> T:
    """Run a use case on the journal database (``--db``): read only, the runner's own."""
    return with_runtime(lambda rt: action(rt.db.unit_of_work(read_only=True), rt.content, rt.clock))


def _writable(path: Path) -> None:
    """Fail early, before the work, when the file's folder is missing."""
    if not path.parent.is_dir():
        fail(say("progress.cli.no_folder", path=path, folder=path.parent))


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        fail(say("progress.cli.cannot_make_folder", folder=folder, why=err.strerror or err))


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as err:
        fail(say("progress.cli.cannot_write", path=path, why=err.strerror or err))


def _written(key: str, path: Path) -> None:
    sys.stderr.write(f"runrehab: {say(key, path=path)}\n")


# --- report -----------------------------------------------------------------------------------


@commands.command(help=say("progress.cli.report"))
def report(
    when: Annotated[
        str, typer.Option("--date", metavar="YYYY-MM-DD", help=say("progress.cli.report_date"))
    ],
    out: Annotated[str, typer.Option("--out", metavar="FILE", help=say("progress.cli.report_out"))],
    charts: Annotated[
        str | None,
        typer.Option("--charts", metavar="DIR", help=say("progress.cli.report_charts")),
    ] = None,
) -> None:
    """Write the progress report for the runner and their physiotherapist."""
    day = parse_date(when, "--date")
    target = Path(out)
    if target.suffix.lower() not in REPORT_SUFFIXES:
        fail(say("progress.cli.report_suffix", name=repr(target.name)))
    _writable(target)
    if charts is not None:
        _make_folder(Path(charts))

    def build(
        uow: UnitOfWork, content: ProgrammeContent, _clock: Clock
    ) -> tuple[ReportView, ProgrammeContent]:
        from runrehab.services.progress.downloads import report_view

        return report_view(uow, content, OPTIONS.person, day), content

    view, content = _with_journal(build)
    _write(target, _render_report(view, content, target.suffix.lower()))
    if charts is not None:
        _write_charts(Path(charts), view)
    _written("progress.cli.report_written", target)


def _render_report(view: ReportView, content: ProgrammeContent, suffix: str) -> bytes:
    from runrehab.adapters.exports.report import report_html, report_pdf

    html = report_html(view.progress, view.week, content, view.sessions)
    return report_pdf(html) if suffix == ".pdf" else html.encode("utf-8")


def _write_charts(folder: Path, view: ReportView) -> None:
    from runrehab.adapters.exports.charts import CHARTS, FORMATS

    for name, chart in CHARTS.items():
        for fmt in FORMATS:
            _write(folder / f"{name}.{fmt}", chart(view.progress, fmt))


# --- calendar ---------------------------------------------------------------------------------


@commands.command(help=say("progress.cli.calendar"))
def calendar(
    when: Annotated[
        str,
        typer.Option("--date", metavar="YYYY-MM-DD", help=say("progress.cli.calendar_date")),
    ],
    out: Annotated[
        str, typer.Option("--out", metavar="FILE.ics|-", help=say("progress.cli.calendar_out"))
    ],
    days: Annotated[
        int, typer.Option("--days", min=1, max=366, help=say("progress.cli.calendar_days"))
    ] = 28,
) -> None:
    """The coming sessions as a calendar file (a projection: each day assumes the ones before
    went to plan)."""
    day = parse_date(when, "--date")
    target = None if out == "-" else Path(out)
    if target is not None:
        if target.suffix.lower() != ".ics":
            fail(say("progress.cli.calendar_suffix", name=repr(target.name)))
        _writable(target)

    def build(uow: UnitOfWork, content: ProgrammeContent, clock: Clock) -> bytes:
        from runrehab.adapters.exports.calendar import sessions_ics
        from runrehab.services.progress.downloads import calendar_view

        view = calendar_view(uow, content, OPTIONS.person, day, days)
        return sessions_ics(view.sessions, view.person_id, stamp=clock.now(), words=content.words)

    ics = _with_journal(build)
    if target is None:
        sys.stdout.buffer.write(ics)
        sys.stdout.flush()
    else:
        _write(target, ics)
        _written("progress.cli.calendar_written", target)


# --- summary ----------------------------------------------------------------------------------


@commands.command(help=say("progress.cli.summary"))
def summary(
    when: Annotated[str | None, day_option("progress.cli.summary_date")] = None,
    as_json: JsonFlag = False,
    zone: ZoneOption = None,
) -> None:
    """The week containing the date, in plain words: check-ins, adherence, pain, runs,
    decisions and what comes next."""
    day = day_or_today(when, zone)

    def build(uow: UnitOfWork, content: ProgrammeContent, _clock: Clock) -> WeekSummary:
        from runrehab.services.progress.page import week_through

        return week_through(uow, content, OPTIONS.person, day)

    emit(_with_journal(build), as_json, _print_summary)


def _print_summary(view: WeekSummary) -> None:
    """The week's lines, each a bullet wrapped at the terminal's width under its own text."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(highlight=False)
    start, end = (
        locale.day_text(view.week_start),
        locale.day_text(view.week_end, True),
    )
    console.print(Text(say("progress.week.heading", start=start, end=end)))
    console.print()
    bullets = Table.grid(padding=(0, 1))
    bullets.add_column(no_wrap=True)
    bullets.add_column()
    for line in view.lines:
        bullets.add_row("•", Text(line))
    console.print(bullets)
