"""Rich renderings of the command line's documents: panels and tables for people."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

console = Console()

STYLE = {
    "emergency": "bold white on red",
    "urgent": "bold black on yellow",
    "see_clinician": "bold blue",
    "self_manage": "bold green",
}
TITLE = {
    "emergency": "EMERGENCY",
    "urgent": "URGENT",
    "see_clinician": "SEE A CLINICIAN",
    "self_manage": "SELF-MANAGEMENT",
}


def _reasons(reasons: list[dict[str, Any]], answers: bool = False) -> Table:
    """The reasons with their rules and sources; each one's detail under its text: the
    runner's own answers (``answers``, for triage) or the facts of the day it was decided on."""
    table = Table(show_header=True, header_style="bold", expand=True, box=None, padding=(0, 1))
    table.add_column("Why", ratio=3)
    table.add_column("Rule and source", ratio=2, style="dim")
    for r in reasons:
        why = Text(r["text"])
        if r.get("detail"):
            detail = r["detail"]
            shown = f"You said: {detail}." if answers else f"{detail[:1].upper()}{detail[1:]}."
            why.append(f"\n{shown}", style="italic")
        table.add_row(why, f"{r['rule']}\n{r['source']}")
    return table


def _run_text(run: dict[str, Any] | None) -> str:
    if run is None:
        return "—"
    if run["kind"] == "walk_run":
        return (
            f"{run['repeats']} × ({run['run_minutes']} run / {run['walk_minutes']} walk)"
            f" = {run['total_minutes']} min"
        )
    distance = f", about {run['distance_km']:g} km" if "distance_km" in run else ""
    return f"{run['total_minutes']} min continuous{distance}"
