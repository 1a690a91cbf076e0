"""Watch data on the command line: ``import`` of FIT/GPX/TCX files, folders and bulk exports,
``runs`` (the activities kept) and ``load`` (weekly running load and its rules)."""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable, Sequence
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from runrehab.cli.app import OPTIONS, JsonFlag, emit, fail, parse_date, with_runtime

if TYPE_CHECKING:
    from runrehab.bootstrap import Runtime
    from runrehab.services.activities.watch_import import ImportReport

commands = typer.Typer()
"""Commands of watch data: ``runs`` and ``load`` (files come in through the journal's
``import``). Composed into the program by ``cli.main``."""

TimezoneOption = Annotated[
    str | None,
    typer.Option(
        "--timezone",
        envvar="RUNREHAB_TZ",
        metavar="ZONE",
        help="Your time zone (e.g. Europe/London), to place on a day the runs whose file does "
        "not say (GPX, TCX). Default: this computer's.",
    ),
]


def local_zone(name: str | None) -> tzinfo:
    """The named IANA zone, else ``TZ``'s, else this computer's (``bootstrap.local_zone``)."""
    from runrehab import bootstrap

    zone = bootstrap.local_zone(name)
    if zone is None:
        fail(f"--timezone: unknown time zone {name!r} (try e.g. Europe/London)")
    return zone


def import_watch_files(
    paths: Sequence[str], as_json: bool, timezone: str | None, progress: bool | None
) -> None:
    """``runrehab import`` for watch files: exit 1 when any file was rejected."""
    zone = local_zone(timezone)

    def answer(rt: Runtime) -> dict[str, Any]:
        from runrehab.adapters.activity_import import measure_all
        from runrehab.adapters.watch import discover
        from runrehab.services.activities.watch_import import RefusedFile, import_activities

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
            )
        return _import_view(report, found.skipped)

    view = with_runtime(answer)
    emit(view, as_json, _render_import)
    if view["rejected"]:
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
                TextColumn("Importing"),
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


def _import_view(report: ImportReport, skipped: int) -> dict[str, Any]:
    from runrehab.services.activities.watch_import import import_report_view

    return {"person": report.person.id, **import_report_view(report, skipped)}


def _render_import(view: dict[str, Any]) -> None:
    from rich.console import Console

    out = Console()
    n, d, r = len(view["imported"]), len(view["duplicates"]), len(view["rejected"])
    out.print(f"Imported {n} activit{'y' if n == 1 else 'ies'}, {d} duplicate(s), {r} rejected.")
    for item in view["imported"]:
        if item["partial"]:
            out.print(f"  [yellow]partial[/] {item['file']}: {item['partial']}")
    for item in view["duplicates"]:
        out.print(f"  duplicate {item['file']}: {item['why']} ({item['same_as']})")
    for item in view["rejected"]:
        out.print(f"  [red]rejected[/] {item['file']}: {item['reason']}")
    if view["skipped"]:
        out.print(f"  {view['skipped']} other file(s) skipped: not FIT, GPX or TCX")


@commands.command()
def runs(
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="YYYY-MM-DD", help="Only activities from this day on."),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """The activities imported from watch files, newest last, with what was measured."""
    first = None if since is None else parse_date(since, "--since")

    def answer(rt: Runtime) -> dict[str, Any]:
        from runrehab.services.activities.watch_import import activity_view, list_activities

        found = list_activities(rt.db.unit_of_work(), OPTIONS.person, first)
        return {"activities": [activity_view(a) for a in found]}

    view = with_runtime(answer)
    emit(view, as_json, _render_runs)


def _render_runs(view: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    if not view["activities"]:
        Console().print("No activities yet: bring them in with `runrehab import FILE...`.")
        return
    table = Table()
    table.add_column("Date", no_wrap=True, min_width=10)
    for title in ("Sport", "Time", "km", "Pace", "Climb m", "Down km", "Steps"):
        table.add_column(title)
    for a in view["activities"]:
        minutes, seconds = divmod(round(a["moving_s"]), 60)
        pace = a["pace_min_per_km"]
        table.add_row(
            a["local_date"],
            a["sport"] + (" (partial)" if a["partial"] else ""),
            f"{minutes}:{seconds:02d}",
            _text(a["distance_km"], ".2f"),
            "" if pace is None else f"{int(pace)}:{round(pace % 1 * 60):02d}/km",
            _text(a["elevation_gain_m"], ".0f"),
            _text(a["downhill_km"], ".2f"),
            _text(a["cadence_spm"], ".0f"),
        )
    Console().print(table)


def _text(value: float | None, spec: str) -> str:
    return "" if value is None else format(value, spec)


def is_journal_export(path: str) -> bool:
    """A journal export is JSON: a .json file, or standard input."""
    return path == "-" or Path(path).suffix.lower() == ".json"


@commands.command()
def load(
    when: Annotated[str, typer.Option("--date", metavar="YYYY-MM-DD", help="The day.")],
    weeks: Annotated[
        int, typer.Option("--weeks", min=1, max=104, help="How many weeks the table shows.")
    ] = 12,
    chart: Annotated[
        str | None,
        typer.Option("--chart", metavar="FILE", help="Also draw the weeks, as .png or .svg."),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Running load: minutes and km a week, the longest-run cap, your usual load, the step-rate
    target, and the warnings of the last week."""
    day = parse_date(when, "--date")
    chart_format = None
    if chart is not None:
        chart_format = Path(chart).suffix.lower().lstrip(".")
        if chart_format not in ("png", "svg"):
            fail(f"--chart: the file must end in .png or .svg, not {chart!r}")

    def answer(rt: Runtime) -> dict[str, Any]:
        from runrehab.services.activities.load_view import load_view

        return load_view(rt.db.unit_of_work(), rt.content, day, weeks, OPTIONS.person)

    view = with_runtime(answer)
    if chart is not None and chart_format is not None:
        from runrehab.adapters.exports.charts import load_chart

        try:
            Path(chart).write_bytes(load_chart(view, chart_format))
        except OSError as err:
            fail(f"cannot write {chart}: {err.strerror or err}", 1)
    emit(view, as_json, _render_load)


def _render_load(view: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    out = Console()
    table = Table("Week of", "Runs", "Minutes", "km", "Longest", "Cross-training min")
    for w in view["weeks"]:
        longest = w["longest_km"] if w["longest_km"] is not None else w["longest_minutes"]
        table.add_row(
            w["week_of"],
            str(w["runs"]),
            f"{w['run_minutes']:g}",
            f"{w['run_km']:g}",
            "" if longest is None else f"{longest:g}",
            f"{w['cross_training_minutes']:g}",
        )
    out.print(table)
    cap = view["single_run_cap"]
    limit = " and ".join(
        part
        for part in (
            None if cap["minutes"] is None else f"{cap['minutes']:g} minutes",
            None if cap["km"] is None else f"{cap['km']:g} km",
        )
        if part
    )
    paused = view.get("no_running")
    if paused is None:
        out.print(f"Longest run you may do next: {limit or 'no limit known yet'}.")
    else:
        out.print(f"[bold]No running now.[/] {paused['text']}")
        for r in paused["reasons"]:
            out.print(f"  {r['title']} ({r['rule']}){': ' + r['detail'] if r['detail'] else ''}")
        days = cap["window_days"]
        ceiling = f"as of today, {limit}" if limit else f"no run in the last {days} days yet"
        out.print(
            f"Once running resumes, no run longer than {cap['ratio'] * 100:.0f} % of your longest "
            f"run of the {days} days before it ({ceiling})."
        )
    out.print(f"  {cap['reason']['title']}: {cap['reason']['text']}")
    usual = view["usual_load"]
    if usual["source"] != "none":
        source = "your watch history" if usual["source"] == "history" else "your answers"
        out.print(f"Usual load before the pain ({source}): {usual['weekly_km']} km a week.")
    if view["cadence"]:
        c = view["cadence"]
        out.print(f"Step rate: {c['reason']['detail'] or c['reason']['text']}")
    for w in view["warnings"]:
        out.print(f"[yellow]![/] {w['title']}: {w['detail'] or w['text']}")
