"""Rich output of the journal commands: today's plan, a check-in's decision, the history."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from runrehab.cli.render import STYLE, TITLE, _reasons, _run_text, console


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
    parts: list[Any] = [head, Text(f"Run today: {view['run_answer']['words']}", style="bold")]
    if session.get("run"):
        parts.append(Text(f"Run: {_run_text(session['run'])}"))
    for w in session.get("warm_up", []):
        parts.append(Text(f"Warm-up: {w['name']}, {w.get('minutes', '')} min"))
    parts.append(_exercise_table(session.get("exercises", [])))
    if session.get("exercises"):
        parts.append(Text(f"Pain: {view['exercise_pain_guide']}", style="dim"))
    cross = session.get("cross_training")
    if cross:
        minutes = cross.get("minutes", cross["estimated_minutes"])
        test = ""
        if "readiness_test" in cross:
            test = " (your readiness test: report its highest pain)"
        parts.append(Text(f"Cross-training: {cross['name']}, {minutes} min{test}", style="bold"))
    parts.extend(_reading(session.get("reading", []), view.get("education")))
    console.print(Panel(Group(*parts), title=title))
    console.print(_reasons(view["reasons"]))
    for prompt in view.get("prompts", []):
        console.print(_prompt(prompt))
    checks = view.get("readiness_checks", [])
    if checks:
        console.print(_readiness(checks, view["date"]))
    for ask in view.get("asks", []):
        if ask["kind"] != "readiness_check":  # shown in full above
            console.print(Text(ask["text"], style="yellow"))


def _reading(items: list[dict[str, Any]], education: dict[str, Any] | None) -> list[Text]:
    """The day's lessons, each with its page and how to mark it read, and the count so far."""
    lines = []
    for r in items:
        late = " (still to read)" if r.get("carried") and not r.get("read") else ""
        done = " · Read ✓" if r.get("read") else ""
        lines.append(Text(f"Read: {r['title']} · {r['minutes']} min{late}{done}"))
        lines.append(Text(f"  the page: runrehab explain {r['topic']}", style="dim"))
        if not r.get("read"):
            lines.append(Text(f"  then: runrehab read {r['id']}", style="dim"))
    if items and education is not None:
        why = f"why: runrehab rules {items[0]['rule']}"
        lines.append(Text(f"{education['text']} · {why}", style="dim"))
    return lines


def _prompt(prompt: dict[str, Any]) -> Panel:
    """A prompt to get help (the worry check): its words, the page to read, then its rule."""
    reading = prompt["reading"]
    body = Group(
        Text(prompt["text"]),
        Text(f"Read: {reading['title']}: runrehab explain {reading['topic']}"),
        Text(f"Why: {prompt['detail']} · rule {prompt['rule']} · {prompt['source']}", style="dim"),
    )
    return Panel(body, title=prompt["title"], border_style="blue")


MARKS = {
    "met": ("✓ Met", "green"),
    "failed": ("✗ Not passed yet", "red"),
    "not_yet": ("○ To do", ""),
}


def _readiness(checks: list[dict[str, Any]], day: str) -> Panel:
    """The readiness checks before running: each one's result, and for those still to do,
    when, how to do it and how to report it."""
    lines: list[Any] = []
    for c in checks:
        mark, style = MARKS[c["status"]]
        lines.append(Text(f"{mark}: {c['text']}", style=style or "bold"))
        if c["status"] != "not_yet":
            lines.append(Text(f"  {c['detail']}", style="dim"))
        if c["status"] == "met":
            continue
        lines.append(Text(f"  When: {c['when']}."))
        lines.extend(Text(f"  {n}. {step}") for n, step in enumerate(c["how"], 1))
        lines.append(Text(f"  How to report it: {c['report_text']}", style="yellow"))
    if any(c["status"] != "met" for c in checks):
        lines.append(
            Text(f"The day's check-in to fill in: runrehab checkin --template --date {day}")
        )
    return Panel(Group(*lines), title="Readiness checks before running")


def _exercise_table(exercises: list[dict[str, Any]]) -> Table:
    table = Table(box=None, header_style="bold", padding=(0, 1))
    for column in ("Exercise", "Sets", "Reps / hold", "id"):
        table.add_column(column)
    for e in exercises:
        amount = f"{e['reps']} reps" if "reps" in e else f"{e.get('hold_seconds', '')} s hold"
        if "minutes" in e:
            amount = f"{e['minutes']} min"
        side = " each side" if e.get("per_side") else ""
        name = e["name"] + (" (readiness test)" if "readiness_test" in e else "")
        table.add_row(name, str(e["sets"]), amount + side, Text(e["id"], style="dim"))
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
