"""Rich renderings shared by the command line's documents: the styles and titles of the
dispositions, the reasons with their rules and sources, a session's run in a few words.
The words are ``cli.toml``'s."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rich.console import Console
from rich.style import Style
from rich.table import Table
from rich.text import Text

from runrehab.content.words import shipped_words
from runrehab.services.views import jsonable

console = Console()

STYLE = {
    "emergency": Style(bold=True, color="white", bgcolor="red"),
    "urgent": Style(bold=True, color="black", bgcolor="yellow"),
    "see_clinician": Style(bold=True, color="blue"),
    "self_manage": Style(bold=True, color="green"),
}
TITLE: Mapping[str, str] = shipped_words().under("cli.disposition")
"""The title of a triage or a decision, by its disposition: "EMERGENCY", "SELF-MANAGEMENT"."""


def _reasons(reasons: Iterable[Any], answers: bool = False) -> Table:
    """The reasons (views, or their JSON documents) with their rules and sources; each one's
    detail under its text: the runner's own answers (``answers``, for triage) or the facts of
    the day it was decided on."""
    words = shipped_words()
    table = Table(show_header=True, header_style="bold", expand=True, box=None, padding=(0, 1))
    table.add_column(words.say("cli.reasons.why"), ratio=3)
    table.add_column(words.say("cli.reasons.rule_and_source"), ratio=2, style="dim")
    for reason in reasons:
        r = jsonable(reason)
        why = Text(r["text"])
        if r.get("detail"):
            detail = r["detail"]
            if answers:
                shown = words.say("cli.reasons.you_said", detail=detail)
            else:
                shown = f"{detail[:1].upper()}{detail[1:]}."
            why.append(f"\n{shown}", style="italic")
        table.add_row(why, f"{r['rule']}\n{r['source']}")
    return table


def _run_text(run: Any) -> str:
    """A session's run (a view, or its JSON document) in a few words; a dash for none."""
    if run is None:
        return "—"
    shown = jsonable(run)
    words = shipped_words()
    if shown["kind"] == "walk_run":
        return words.say(
            "cli.run.walk_run",
            repeats=shown["repeats"],
            run=shown["run_minutes"],
            walk=shown["walk_minutes"],
            total=shown["total_minutes"],
        )
    if shown.get("distance_km") is not None:
        km = f"{shown['distance_km']:g}"
        return words.say("cli.run.continuous_about", total=shown["total_minutes"], km=km)
    return words.say("cli.run.continuous", total=shown["total_minutes"])
