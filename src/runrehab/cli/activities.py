"""Watch data on the command line: ``import`` of FIT/GPX/TCX files, folders and bulk exports,
``runs`` (the activities kept) and ``load`` (weekly running load and its rules).

Each command calls one use case of ``services.activities`` and prints its view: ``--json``
the view's document, else the view rendered for people in the words of ``cli.toml``."""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable, Sequence
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from runrehab.cli.app import (
    OPTIONS,
    JsonFlag,
    day_option,
    day_or_today,
    emit,
    fail,
    parse_date,
    say,
    with_runtime,
)
from runrehab.content import locale
from runrehab.content.words import shipped_words
from runrehab.services import units

if TYPE_CHECKING:
    from runrehab.bootstrap import Runtime
    from runrehab.services.activities.load_view import LoadView
    from runrehab.services.activities.watch_import import ActivitiesView, ImportAnswer

commands = typer.Typer()
"""Commands of watch data: ``runs`` and ``load`` (files come in through the journal's
``import``). Composed into the program by ``cli.main``."""

TimezoneOption = Annotated[
    str | None,
    typer.Option(
        "--timezone", envvar="RUNREHAB_TZ", metavar="ZONE", help=say("cli.option.timezone")
    ),
]


def local_zone(name: str | None) -> tzinfo:
    """The named IANA zone, else ``TZ``'s, else this computer's (``bootstrap.local_zone``)."""
    from runrehab import bootstrap

    zone = bootstrap.local_zone(name)
    if zone is None:
        fail(say("cli.fail.unknown_zone", option="--timezone", given=repr(name)))
    return zone


def import_watch_files(
    paths: Sequence[str], as_json: bool, timezone: str | None, progress: bool | None
) -> None:
    """``runrehab import`` for watch files: exit 1 when any file was rejected."""
    zone = local_zone(timezone)

    def answer(rt: Runtime) -> ImportAnswer:
        from runrehab.adapters.activity_import import measure_all
        from runrehab.adapters.watch import discover
        from runrehab.services.activities.watch_import import (
            RefusedFile,
            import_activities,
            import_answer,
        )

        found = discover(paths)
        refused = [RefusedFile(r.source.label, r.reason) for r in found.rejected]
        show = sys.stderr.isatty() if progress is None else progress
        with _Bar(len(found.sources), show) as advance:
            report = import_activities(
                rt.db.unit_of_work(),
                rt.clock,
                itertools.chain(
                    refused,
                    measure_all(found.sources, rt.content.metrics, rt.settings.import_workers),
                ),
                zone,
                OPTIONS.person,
                progress=advance,
                words=rt.content.words,
            )
        return import_answer(report, found.skipped)

    view = with_runtime(answer)
    emit(view, as_json, _render_import)
    if view.rejected:
        raise typer.Exit(1)


class _Bar:
    """A Rich progress bar on stderr (stdout stays for the answer), or nothing."""

    def __init__(self, total: int, show: bool) -> None:
        self.total, self.show = total, show
        self.progress: Any = None
        self.task: Any = None

    def __enter__(self) -> Callable[[object], None]:
        if self.show and self.total:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            self.progress = Progress(
                TextColumn(say("cli.import.importing")),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self.progress.start()
            self.task = self.progress.add_task("import", total=self.total)
        return self.advance

    def advance(self, _item: object) -> None:
        if self.progress is not None:
            self.progress.advance(self.task)

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.stop()


def _render_import(view: ImportAnswer) -> None:
    from rich.console import Console

    from runrehab.content.words import shipped_words

    out = Console()
    n, d, r = len(view.imported), len(view.duplicates), len(view.rejected)
    words = shipped_words()
    duplicates = words.say_count("cli.import.count.duplicate", d)
    out.print(words.say_count("cli.import.summary", n, duplicates=duplicates, rejected=r))
    for item in view.imported:
        if item.partial:
            out.print(f"  [yellow]{say('cli.import.partial')}[/] {item.file}: {item.partial}")
    for dup in view.duplicates:
        out.print(f"  {say('cli.import.duplicate')} {dup.file}: {dup.why} ({dup.same_as})")
    for refused in view.rejected:
        out.print(f"  [red]{say('cli.import.rejected')}[/] {refused.file}: {refused.reason}")
    if view.skipped:
        files = words.say_count("cli.import.count.other_file", view.skipped)
        out.print(f"  {say('cli.import.skipped', files=files)}")


@commands.command(help=say("cli.runs.help"))
def runs(
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="YYYY-MM-DD", help=say("cli.runs.since")),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """The activities imported from watch files, newest last, with what was measured."""
    first = None if since is None else parse_date(since, "--since")

    def answer(rt: Runtime) -> ActivitiesView:
        from runrehab.services.activities.watch_import import activities_view, list_activities

        return activities_view(list_activities(rt.db.unit_of_work(), OPTIONS.person, first))

    emit(with_runtime(answer), as_json, _render_runs)


def _render_runs(view: ActivitiesView) -> None:
    from rich.console import Console
    from rich.table import Table

    if not view.activities:
        Console().print(say("cli.runs.none"))
        return
    table = Table()
    table.add_column(say("cli.runs.column.date"), no_wrap=True, min_width=10)
    for column in ("sport", "time", "km", "pace", "climb", "down", "steps"):
        # distances in the runner's units (--units): "km" or "mi" heads its columns
        heading = say(f"cli.runs.column.{column}").replace("km", locale.units())
        table.add_column(heading)
    for a in view.activities:
        minutes, seconds = divmod(round(a.moving_s), 60)
        pace = a.pace_min_per_km
        table.add_row(
            a.local_date.isoformat(),
            say("cli.runs.partial", sport=a.sport) if a.partial else a.sport,
            f"{minutes}:{seconds:02d}",
            _distance(a.distance_km),
            "" if pace is None else units.pace_text(shipped_words(), pace * 60),
            _text(a.elevation_gain_m, ".0f"),
            _distance(a.downhill_km),
            _text(a.cadence_spm, ".0f"),
        )
    Console().print(table)


def _text(value: float | None, spec: str) -> str:
    return "" if value is None else format(value, spec)


def _distance(km: float | None) -> str:
    """A distance's number in the runner's units (``--units``), two decimals."""
    return "" if km is None else f"{units.in_units(km):.2f}"


def is_journal_export(path: str) -> bool:
    """A journal export is JSON: a .json file, or standard input."""
    return path == "-" or Path(path).suffix.lower() == ".json"


@commands.command(help=say("cli.load.help"))
def load(
    when: Annotated[str | None, day_option("cli.load.date")] = None,
    weeks: Annotated[int, typer.Option("--weeks", min=1, max=104, help=say("cli.load.weeks"))] = 12,
    chart: Annotated[
        str | None,
        typer.Option("--chart", metavar="FILE", help=say("cli.load.chart")),
    ] = None,
    as_json: JsonFlag = False,
    zone: TimezoneOption = None,
) -> None:
    """Running load: minutes and km a week, the longest-run cap, your usual load, the step-rate
    target, and the warnings of the last week."""
    day = day_or_today(when, zone)
    chart_format = None
    if chart is not None:
        chart_format = Path(chart).suffix.lower().lstrip(".")
        if chart_format not in ("png", "svg"):
            fail(say("cli.fail.chart_format", option="--chart", given=repr(chart)))

    def answer(rt: Runtime) -> LoadView:
        from runrehab.services.activities.load_view import running_load

        return running_load(rt.db.unit_of_work(), rt.content, day, weeks, OPTIONS.person)

    view = with_runtime(answer)
    if chart is not None and chart_format is not None:
        _draw(view, Path(chart), chart_format)
    emit(view, as_json, _render_load)


def _draw(view: LoadView, path: Path, chart_format: str) -> None:
    """The weeks drawn into ``path`` (the chart reads the view's JSON document)."""
    from runrehab.adapters.exports.charts import load_chart
    from runrehab.services.views import jsonable

    try:
        path.write_bytes(load_chart(jsonable(view), chart_format))
    except OSError as err:
        fail(say("cli.fail.cannot_write", path=path, why=err.strerror or err), 1)


def _render_load(view: LoadView) -> None:
    from rich.console import Console
    from rich.table import Table

    out = Console()
    columns = ("week_of", "runs", "minutes", "km", "longest", "cross_training")
    table = Table(*(say(f"cli.load.column.{c}").replace("km", locale.units()) for c in columns))
    for w in view.weeks:
        longest = w.longest_km if w.longest_km is not None else w.longest_minutes
        table.add_row(
            w.week_of.isoformat(),
            str(w.runs),
            f"{w.run_minutes:g}",
            f"{units.in_units(w.run_km):.1f}",
            "" if longest is None else _longest(w.longest_km, w.longest_minutes),
            f"{w.cross_training_minutes:g}",
        )
    out.print(table)
    _render_cap(out, view)
    usual = view.usual_load
    if usual.source != "none":
        source = say(f"cli.load.usual_{'history' if usual.source == 'history' else 'answers'}")
        out.print(say("cli.load.usual", source=source, km=usual.weekly_km))
    if view.cadence:
        reason = view.cadence.reason
        out.print(say("cli.load.step_rate", text=reason.detail or reason.text))
    for warning in view.warnings:
        out.print(f"[yellow]![/] {warning.title}: {warning.detail or warning.text}")


def _longest(km: float | None, minutes: float | None) -> str:
    return f"{units.in_units(km):.1f}" if km is not None else f"{minutes or 0:g}"


def _minutes(minutes: float) -> str:
    """``1 minute``, ``2.5 minutes``."""
    key = "cli.load.minutes_one" if minutes == 1 else "cli.load.minutes"
    return say(key, n=f"{minutes:g}")


def _render_cap(out: Any, view: LoadView) -> None:
    """The longest run allowed: next, or once running resumes (and why there is none now)."""
    cap = view.single_run_cap
    parts = [
        None if cap.minutes is None else _minutes(cap.minutes),
        None if cap.km is None else units.distance_text(shipped_words(), cap.km),
    ]
    shown = [p for p in parts if p]
    limit = (
        say("cli.load.both", minutes=shown[0], km=shown[1]) if len(shown) == 2 else "".join(shown)
    )
    paused = view.no_running
    if paused is None:
        out.print(say("cli.load.next_run", limit=limit or say("cli.load.no_limit")))
    else:
        out.print(f"[bold]{say('cli.load.no_running')}[/] {paused.text}")
        for r in paused.reasons:
            out.print(f"  {r.title} ({r.rule}){': ' + r.detail if r.detail else ''}")
        days = cap.window_days
        ceiling = (
            say("cli.load.ceiling_today", limit=limit)
            if limit
            else say("cli.load.ceiling_none", days=days)
        )
        percent = f"{cap.ratio * 100:.0f}"
        out.print(say("cli.load.resumes", percent=percent, days=days, ceiling=ceiling))
    out.print(f"  {cap.reason.title}: {cap.reason.text}")
