"""Rich renderings of the command line's documents: panels and tables for people."""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
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


def exercises(view: dict[str, Any]) -> None:
    table = Table(title="Exercise library", title_justify="left")
    for column in ("Id", "Name", "Category", "Equipment", "Phases"):
        table.add_column(column)
    for e in view["exercises"]:
        table.add_row(
            e["id"],
            e["name"],
            e["category"],
            ", ".join(e["equipment"]) or "none",
            ", ".join(map(str, e["phases"])),
        )
    console.print(table)
    avoid = Table(title="What to avoid for now, and what to do instead", title_justify="left")
    for column in ("Avoid", "Phases", "Instead", "Comes back when"):
        avoid.add_column(column)
    for a in view["avoid"]:
        avoid.add_row(
            a["name"],
            ", ".join(map(str, a["phases"])),
            ", ".join(a["alternatives"]),
            a["return_when"],
        )
    console.print(avoid)
    console.print("More: [bold]runrehab exercises ID[/]")


def exercise(e: dict[str, Any]) -> None:
    body: list[Any] = [
        Text(f"{e['category']} · {e['focus']} · muscles: {', '.join(e['muscles'])}", style="dim"),
        Text(
            f"Equipment: {', '.join(e['equipment']) or 'none'}"
            + (f" (at home: {', '.join(e['at_home'])})" if e.get("at_home") else "")
        ),
        "",
        Text("Starting position", style="bold"),
        Text(e["starting_position"]),
        "",
        Text("How", style="bold"),
    ]
    body += [Text(f"{i}. {step}") for i, step in enumerate(e["steps"], 1)]
    for title, key in (
        ("Cues", "cues"),
        ("Common mistakes", "common_mistakes"),
        ("Stop when", "stop_when"),
    ):
        body += ["", Text(title, style="bold"), *[Text(f"• {x}") for x in e[key]]]
    console.print(Panel(Group(*body), title=e["name"]))
    doses = Table(title="Dose by phase", title_justify="left")
    for column in (
        "Phase",
        "Sets",
        "Reps / hold / minutes",
        "Per side",
        "Rest",
        "How often",
        "Note",
    ):
        doses.add_column(column)
    for d in e["doses"]:
        amount = " / ".join(
            str(x)
            for x in (
                d.get("reps"),
                d.get("hold_seconds") and f"{d['hold_seconds']} s",
                d.get("minutes") and f"{d['minutes']} min",
            )
            if x
        )
        doses.add_row(
            str(d["phase"]),
            str(d["sets"]),
            amount,
            "yes" if d["per_side"] else "no",
            f"{d['rest_seconds']} s",
            d["frequency"].replace("_", " "),
            d.get("note", ""),
        )
    console.print(doses)
    console.print(f"Progression: {e['progression']['how']}")
    console.print(f"Regression: {e['regression']['how']}")
    console.print("Sources: " + "; ".join(s["short"] for s in e["sources"]), style="dim")


def topics(view: dict[str, Any]) -> None:
    table = Table(title="Topics", title_justify="left")
    table.add_column("Id")
    table.add_column("Summary")
    for t in view["topics"]:
        table.add_row(t["id"], t["summary"])
    console.print(table)
    faq = Table(title="Questions", title_justify="left")
    faq.add_column("Id")
    faq.add_column("Question")
    for f in view["faq"]:
        faq.add_row(f["id"], f["question"])
    console.print(faq)
    console.print("Glossary: " + ", ".join(g["term"] for g in view["glossary"]))
    console.print("More: [bold]runrehab explain TOPIC[/]")


def topic(view: dict[str, Any]) -> None:
    if view["kind"] == "glossary":
        console.print(Panel(view["definition"], title=view["term"]))
    else:
        title = view.get("title") or view["question"]
        paragraphs = view.get("body") or view["answer"]
        body: list[Any] = [Text(p + "\n") for p in paragraphs]
        for caveat in view.get("caveats", []):
            body.append(Text(f"Caveat: {caveat}", style="yellow"))
        console.print(Panel(Group(*body), title=title))
    console.print("Sources: " + "; ".join(s["short"] for s in view["sources"]), style="dim")


def rules(view: dict[str, Any]) -> None:
    table = Table(title="Rules", title_justify="left", show_lines=False)
    for column in ("Id", "Rule", "Source", "Stance"):
        table.add_column(column)
    for r in view["rules"]:
        table.add_row(r["id"], r["title"], r["source"], r["stance"])
    console.print(table)
