"""Rich renderings of the library's documents: exercises, topics and rules."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from runrehab.cli.render import console


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
