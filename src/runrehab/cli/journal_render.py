"""Rich output of the journal commands: today's plan, a check-in's decision, the history."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from runrehab.cli.render import STYLE, TITLE, _reasons, _run_text, console

RUN_WORDS = {"yes": "Yes, within the limits", "reduced": "A reduced run", "no": "No running"}


def today(view: dict[str, Any]) -> None:
    disposition = view["disposition"]
    head = Text(view["headline"], style=STYLE[disposition])
    if disposition in ("emergency", "urgent"):
        console.print(Panel(Group(head, _reasons(view["reasons"])), title=TITLE[disposition]))
        return
    phase = view["phase"]
    day = view["programme"]["day"]
    title = f"{view['date']} · day {day} · phase {phase['number']}: {phase['name']}"
    session = view["session"]
    parts: list[Any] = [head, Text(f"Run today: {RUN_WORDS[view['run_today']]}", style="bold")]
    if session.get("run"):
        parts.append(Text(f"Run: {_run_text(session['run'])}"))
    parts.append(_exercise_table(session.get("exercises", [])))
    console.print(Panel(Group(*parts), title=title))
    console.print(_reasons(view["reasons"]))
    for ask in view.get("asks", []):
        console.print(Text(ask["text"], style="yellow"))


def _exercise_table(exercises: list[dict[str, Any]]) -> Table:
    table = Table(box=None, header_style="bold", padding=(0, 1))
    for column in ("Exercise", "Sets", "Reps / hold", "id"):
        table.add_column(column)
    for e in exercises:
        amount = f"{e['reps']} reps" if "reps" in e else f"{e.get('hold_seconds', '')} s hold"
        if "minutes" in e:
            amount = f"{e['minutes']} min"
        side = " each side" if e.get("per_side") else ""
        table.add_row(e["name"], str(e["sets"]), amount + side, Text(e["id"], style="dim"))
    return table


def checkin(view: dict[str, Any]) -> None:
    word = "Replaced" if view["replaced"] else "Recorded"
    console.print(f"{word} the check-in for {view['date']}.")
    decision = view.get("decision")
    if decision is None:
        return
    if decision["disposition"] in ("emergency", "urgent", "see_clinician"):
        console.print(Text(view["headline"], style=STYLE[decision["disposition"]]))
    colour = decision.get("colour")
    if colour:
        console.print(f"The day was {colour.upper()}; decision: {decision['action']}.")
    if decision["reasons"]:
        console.print(_reasons(decision["reasons"]))


def history(view: dict[str, Any]) -> None:
    table = Table(title="Decisions", header_style="bold")
    for column in ("Date", "Phase", "Action", "Colour", "Why"):
        table.add_column(column)
    for programme in view["programmes"]:
        for d in programme["decisions"]:
            why = "; ".join(r["title"] for r in d["reasons"]) or "—"
            table.add_row(d["date"], str(d["phase"]), d["action"], d["colour"] or "", why)
    console.print(table)
    console.print(
        f"{len(view['checkins'])} check-ins, {len(view['questionnaires'])} questionnaires."
    )
