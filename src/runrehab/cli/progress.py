"""The progress commands: ``report`` (PDF or HTML, optional chart files), ``calendar`` (the
coming sessions as .ics) and ``summary`` (one week in plain words).

They only read the journal. Bad input (a date, a file suffix, a path that cannot be written)
exits 2 with a message before anything heavy runs; imports stay lazy, as in ``main``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from runrehab.cli.app import OPTIONS, JsonFlag, emit, fail, guarded, parse_date

if TYPE_CHECKING:
    from runrehab.bootstrap import Runtime
    from runrehab.services.content import ProgrammeContent
    from runrehab.services.ports import Repository
    from runrehab.services.progress.figures import Progress

commands = typer.Typer()
"""Commands of progress: the report, the calendar and the week's summary. Composed into the
program by ``cli.main``."""

DateOption = Annotated[
    str, typer.Option("--date", metavar="YYYY-MM-DD", help="The last day the report covers.")
]
REPORT_SUFFIXES = (".pdf", ".html", ".htm")
REPORT_PROJECTION_DAYS = 7


@contextmanager
def _journal() -> Iterator[tuple[Repository, str, Runtime]]:
    """The journal's repository, read in one transaction, whose journal it is, and the
    adapters the composition root built."""
    from runrehab import bootstrap
    from runrehab.services.journal.programme import resolve_person

    built = bootstrap.runtime(OPTIONS.db)
    try:
        with built.db.unit_of_work() as uow:
            yield uow.repo, resolve_person(uow.repo, OPTIONS.person).id, built
    finally:
        built.dispose()


def _writable(path: Path) -> None:
    """Fail early, before the work, when the file's folder is missing."""
    if not path.parent.is_dir():
        fail(f"cannot write {path}: the folder {path.parent} does not exist")


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        fail(f"cannot make the folder {folder}: {err.strerror or err}")


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as err:
        fail(f"cannot write {path}: {err.strerror or err}")


# --- report -----------------------------------------------------------------------------------


@commands.command()
def report(
    when: DateOption,
    out: Annotated[
        str, typer.Option("--out", metavar="FILE", help="The report: a .pdf or .html file.")
    ],
    charts: Annotated[
        str | None,
        typer.Option(
            "--charts", metavar="DIR", help="Also write the four charts there, as PNG and SVG."
        ),
    ] = None,
) -> None:
    """Write the progress report for the runner and their physiotherapist."""
    day = parse_date(when, "--date")
    target = Path(out)
    if target.suffix.lower() not in REPORT_SUFFIXES:
        fail(f"--out must end in .pdf or .html, not {target.name!r}")
    _writable(target)
    if charts is not None:
        _make_folder(Path(charts))

    def build() -> tuple[Progress, list[dict[str, Any]], ProgrammeContent]:
        from runrehab.services.progress.figures import coming_sessions, progress_data

        with _journal() as (repo, person_id, built):
            content = built.content
            progress = progress_data(repo, content, person_id, day)
            start = day + timedelta(days=1)
            sessions = coming_sessions(repo, content, person_id, start, REPORT_PROJECTION_DAYS)
        return progress, sessions, content

    progress, sessions, content = guarded(build)
    _write(target, _render_report(progress, sessions, content, day, target.suffix.lower()))
    if charts is not None:
        _write_charts(Path(charts), progress)
    sys.stderr.write(f"runrehab: report written to {target}\n")


def _render_report(
    progress: Progress,
    sessions: list[dict[str, Any]],
    content: ProgrammeContent,
    day: date,
    suffix: str,
) -> bytes:
    from runrehab.adapters.exports.report import report_html, report_pdf
    from runrehab.services.progress.figures import weekly_summary

    summary = weekly_summary(progress, day)
    html = report_html(progress, summary, content, sessions)
    return report_pdf(html) if suffix == ".pdf" else html.encode("utf-8")


def _write_charts(folder: Path, progress: Progress) -> None:
    from runrehab.adapters.exports.charts import CHARTS, FORMATS

    for name, chart in CHARTS.items():
        for fmt in FORMATS:
            _write(folder / f"{name}.{fmt}", chart(progress, fmt))


# --- calendar ---------------------------------------------------------------------------------


@commands.command()
def calendar(
    when: Annotated[
        str, typer.Option("--date", metavar="YYYY-MM-DD", help="The first day of the calendar.")
    ],
    out: Annotated[
        str, typer.Option("--out", metavar="FILE.ics|-", help="The .ics file, or - for stdout.")
    ],
    days: Annotated[int, typer.Option("--days", min=1, max=366, help="Days to cover.")] = 28,
) -> None:
    """The coming sessions as a calendar file (a projection: each day assumes the ones before
    went to plan)."""
    day = parse_date(when, "--date")
    target = None if out == "-" else Path(out)
    if target is not None:
        if target.suffix.lower() != ".ics":
            fail(f"--out must be an .ics file or -, not {target.name!r}")
        _writable(target)

    def build() -> bytes:
        from runrehab.adapters.exports.calendar import sessions_ics
        from runrehab.services.progress.figures import coming_sessions

        with _journal() as (repo, person_id, built):
            sessions = coming_sessions(repo, built.content, person_id, day, days)
            stamp = built.clock.now()
        return sessions_ics(sessions, person_id, stamp=stamp)

    ics: bytes = guarded(build)
    if target is None:
        sys.stdout.buffer.write(ics)
        sys.stdout.flush()
    else:
        _write(target, ics)
        sys.stderr.write(f"runrehab: calendar written to {target}\n")


# --- summary ----------------------------------------------------------------------------------


@commands.command()
def summary(
    when: Annotated[
        str, typer.Option("--date", metavar="YYYY-MM-DD", help="A day of the week to sum up.")
    ],
    as_json: JsonFlag = False,
) -> None:
    """The week containing the date, in plain words: check-ins, adherence, pain, runs,
    decisions and what comes next."""
    day = parse_date(when, "--date")

    def build() -> dict[str, Any]:
        from runrehab.services.progress.figures import progress_data, weekly_summary

        with _journal() as (repo, person_id, built):
            progress = progress_data(repo, built.content, person_id, day)
        return weekly_summary(progress, day)

    emit(guarded(build), as_json, _print_summary)


def _print_summary(view: dict[str, Any]) -> None:
    start, end = date.fromisoformat(view["week_start"]), date.fromisoformat(view["week_end"])
    lines = [f"Week of {start:%a %d %b} to {end:%a %d %b %Y}", ""]
    lines += [f"• {line}" for line in view["lines"]]
    sys.stdout.write("\n".join(lines) + "\n")
