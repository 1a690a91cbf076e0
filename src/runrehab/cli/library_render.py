"""Rich renderings of the library's documents: exercises, topics and rules."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from runrehab.cli.app import say as say_key
from runrehab.cli.render import console
from runrehab.services.library.views import KnowledgeIndex, LibraryView, RulesView


def say(key: str, /, **values: object) -> str:
    return say_key(f"library.render.{key}", **values)


def _table(title: str, *columns: str) -> Table:
    table = Table(title=say(title), title_justify="left")
    for column in columns:
        table.add_column(say(f"column.{column}"))
    return table


def exercises(view: LibraryView) -> None:
    table = _table("exercises", "id", "name", "category", "equipment", "phases")
    for e in view.exercises:
        table.add_row(
            e.id,
            e.name,
            e.category,
            ", ".join(e.equipment) or say("none"),
            ", ".join(map(str, e.phases)),
        )
    console.print(table)
    avoid = _table("avoid", "avoid", "phases", "instead", "comes_back")
    for a in view.avoid:
        avoid.add_row(
            a.name, ", ".join(map(str, a.phases)), ", ".join(a.alternatives), a.return_when
        )
    console.print(avoid)
    console.print(say("more_exercises"))


def exercise(e: dict[str, Any]) -> None:
    equipment = ", ".join(e["equipment"]) or say("none")
    if e.get("at_home"):
        equipment = say("equipment_at_home", equipment=equipment, home=", ".join(e["at_home"]))
    body: list[Any] = [
        Text(
            say("kind", category=e["category"], focus=e["focus"], muscles=", ".join(e["muscles"])),
            style="dim",
        ),
        Text(say("equipment", equipment=equipment)),
        "",
        Text(say("starting_position"), style="bold"),
        Text(e["starting_position"]),
        "",
        Text(say("how"), style="bold"),
    ]
    body += [Text(f"{i}. {step}") for i, step in enumerate(e["steps"], 1)]
    for key in ("cues", "common_mistakes", "stop_when"):
        body += ["", Text(say(key), style="bold"), *[Text(f"• {x}") for x in e[key]]]
    console.print(Panel(Group(*body), title=e["name"]))
    doses = _table("doses", "phase", "sets", "amount", "per_side", "rest", "how_often", "note")
    for d in e["doses"]:
        amount = " / ".join(
            str(x)
            for x in (
                d.get("reps"),
                d.get("hold_seconds") and say("seconds", n=d["hold_seconds"]),
                d.get("minutes") and say("minutes", n=d["minutes"]),
            )
            if x
        )
        doses.add_row(
            str(d["phase"]),
            str(d["sets"]),
            amount,
            say("yes") if d["per_side"] else say("no"),
            say("seconds", n=d["rest_seconds"]),
            d["frequency"].replace("_", " "),
            d.get("note", ""),
        )
    console.print(doses)
    console.print(say("progression", how=e["progression"]["how"]))
    console.print(say("regression", how=e["regression"]["how"]))
    _sources(e)


def _sources(doc: dict[str, Any]) -> None:
    cited = "; ".join(s["short"] for s in doc["sources"])
    console.print(say("sources", sources=cited), style="dim")


def topics(view: KnowledgeIndex) -> None:
    table = _table("topics", "id", "summary")
    for t in view.topics:
        table.add_row(t.id, t.summary)
    console.print(table)
    faq = _table("questions", "id", "question")
    for f in view.faq:
        faq.add_row(f.id, f.question)
    console.print(faq)
    console.print(say("glossary", terms=", ".join(g.term for g in view.glossary)))
    console.print(say("more_topics"))


def topic(view: dict[str, Any]) -> None:
    if view["kind"] == "glossary":
        console.print(Panel(view["definition"], title=view["term"]))
    else:
        title = view.get("title") or view["question"]
        paragraphs = view.get("body") or view["answer"]
        body: list[Any] = [Text(p + "\n") for p in paragraphs]
        for caveat in view.get("caveats", []):
            body.append(Text(say("caveat", caveat=caveat), style="yellow"))
        console.print(Panel(Group(*body), title=title))
    _sources(view)


def rules(view: RulesView) -> None:
    table = _table("rules", "id", "rule", "source", "stance")
    for r in view.rules:
        table.add_row(r["id"], r["title"], r["source"], r["stance"])
    console.print(table)
