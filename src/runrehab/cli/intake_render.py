"""Rich renderings of the intake's documents: the triage and the plan."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from runrehab.cli.render import STYLE, TITLE, _reasons, _run_text, console


def triage(view: dict[str, Any]) -> None:
    disposition = view["disposition"]
    head = Text(view["headline"], style=STYLE[disposition])
    if disposition in ("emergency", "urgent"):
        # a red flag: the instruction and its reasons, nothing else
        console.print(
            Panel(
                Group(head, "", _reasons(view["reasons"], answers=True)),
                title=TITLE[disposition],
                border_style="red",
            )
        )
        for line in view["meanwhile"]:
            console.print(f"• {escape(line)}")
        return
    parts: list[Any] = [head, ""]
    likely = view["likely_condition"]["name"]
    parts.append(Text(f"Most likely: {likely}", style="bold"))
    parts += ["", _reasons(view["reasons"], answers=True)]
    console.print(
        Panel(
            Group(*parts),
            title=TITLE[disposition],
            border_style="green" if disposition == "self_manage" else "blue",
        )
    )
    for line in view["meanwhile"]:
        console.print(f"• {escape(line)}")
    _differentials(view["differentials"])
    if view["pathway"]:
        _pathway(view["pathway"])


def _differentials(rows: list[dict[str, Any]]) -> None:
    table = Table(title="Conditions considered", title_justify="left", box=None)
    table.add_column("Condition")
    table.add_column("Fits your answers?")
    for row in rows:
        table.add_row(row["name"], "yes" if row["fits"] else "no")
    console.print(table)


def _pathway(p: dict[str, Any]) -> None:
    start = p["start_phase"]
    body = Group(
        Text(p["summary"]),
        Text(f"Running: {p['running']}", style="dim"),
        Text(f"You start in phase {start['number']}, {start['name']}: {start['goal']}"),
        "",
        _reasons(p["reasons"], answers=True),
    )
    console.print(Panel(body, title=f"Your pathway: {p['name']}", border_style="green"))
    console.print("Next: [bold]runrehab plan FILE --start YYYY-MM-DD[/] shows the weeks ahead.")


def plan(view: dict[str, Any]) -> None:
    if not view["programme_allowed"]:
        triage(
            {
                **view,
                "likely_condition": {"name": "see above"},
                "differentials": [],
                "meanwhile": [],
                "pathway": None,
            }
        )
        console.print("No programme is projected until the knee has been assessed.")
        return
    console.print(Panel(view["notice"], title="Projection", border_style="yellow"))
    phases = Table(title="Phases", title_justify="left")
    for column in ("Phase", "From", "To"):
        phases.add_column(column)
    for p in view["phases"]:
        phases.add_row(f"{p['number']}. {p['name']}", p["start"], p["end"])
    console.print(phases)
    if view["first_run"]:
        console.print(f"First run (walk/run or easy run): [bold]{view['first_run']}[/]")
    days = Table(title="Day by day", title_justify="left")
    for column in ("Date", "Phase", "Exercises", "Run", "Minutes", "Read", "Questionnaires"):
        days.add_column(column)
    for d in view["days"]:
        days.add_row(
            d["date"],
            str(d["phase"]["number"]),
            _exercise_list(d),
            _run_text(d["run"]),
            f"{d['estimated_minutes']:g}",
            reading_text(d.get("reading", [])),
            questionnaires_text(d.get("questionnaires", [])),
        )
    console.print(days)
    _ladder(view["ladder"])


def reading_text(reading: list[dict[str, Any]]) -> str:
    """A day's lessons in one line: "What is runner's knee? (4 min)", or "—"."""
    return "; ".join(f"{r['title']} ({r['minutes']} min)" for r in reading) or "—"


def questionnaires_text(due: list[dict[str, Any]]) -> str:
    """The questionnaires falling due on a day in one line, or "—"."""
    return "; ".join(q["name"] for q in due) or "—"


def _exercise_list(day: dict[str, Any]) -> str:
    names = [e["name"] for e in day["exercises"]]
    if day["cross_training"]:
        names.append(f"{day['cross_training']['name']} (cross-training)")
    if not day["training_day"]:
        return ", ".join([day["day_words"], *names])
    return ", ".join(names) or "—"


def _ladder(rows: list[dict[str, Any]]) -> None:
    table = Table(title="The walk/run ladder (totals computed)", title_justify="left")
    for column in ("Rung", "Session", "Total", "Article said"):
        table.add_column(column)
    for r in rows:
        said = str(r.get("article_total_minutes", "—"))
        if r.get("article_total_correct") is False:
            said += " (wrong)"
        session = (
            f"{r['repeats']} × ({r['run_minutes']} run / {r['walk_minutes']} walk)"
            if r["walk_minutes"]
            else f"{r['run_minutes']} min continuous"
        )
        table.add_row(
            str(r["rung"]) + (" (optional)" if r["optional"] else ""),
            session,
            f"{r['total_minutes']} min",
            said,
        )
    console.print(table)
