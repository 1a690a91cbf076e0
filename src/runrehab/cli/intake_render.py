"""Rich renderings of the intake's views for people: the triage and the plan (their words are
``intake.cli`` of the words)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from runrehab.cli.render import STYLE, TITLE, _reasons, _run_text, console
from runrehab.content.words import Words, shipped_words
from runrehab.engine.values import Disposition
from runrehab.services.intake.triage import Differential, PathwayAnswer, TriageView
from runrehab.services.reasons import ReasonView

if TYPE_CHECKING:
    from runrehab.services.intake.preview import LadderRow, PlanDay, PlanView

NOTHING = "—"
"""An empty cell."""


def triage(view: TriageView | Mapping[str, Any]) -> None:
    """The triage's answer: a red flag's instruction and reasons and nothing else; otherwise
    the likeliest condition, what is safe meanwhile, the conditions considered, the pathway.
    (A mapping is the answer's JSON document, as ``runrehab start`` still hands it.)"""
    if not isinstance(view, TriageView):
        view = _from_document(view)
    words = shipped_words()
    likely = view.likely_condition.name if view.likely_condition else ""
    _answer(view.disposition, view.headline, view.reasons, likely, words)
    for line in view.meanwhile:
        console.print(f"• {escape(line)}")
    if view.red_flag:
        return
    _differentials(view.differentials, words)
    if view.pathway:
        _pathway(view.pathway, words)


def _answer(
    disposition: Disposition,
    headline: str,
    reasons: Sequence[ReasonView],
    likely: str,
    words: Words,
) -> None:
    """The answer's panel: the instruction, the likeliest condition (not for a red flag), and
    every reason with its rule and source."""
    head = Text(headline, style=STYLE[disposition])
    described = _reasons(reasons, answers=True)
    if disposition.severity >= Disposition.URGENT.severity:
        body: list[RenderableType] = [head, "", described]
        border = "red"
    else:
        most_likely = Text(words.say("intake.cli.most_likely", name=likely), style="bold")
        body = [head, "", most_likely, "", described]
        border = "green" if disposition is Disposition.SELF_MANAGE else "blue"
    console.print(Panel(Group(*body), title=TITLE[disposition], border_style=border))


def _differentials(rows: Iterable[Differential], words: Words) -> None:
    table = Table(title=words.say("intake.cli.considered"), title_justify="left", box=None)
    table.add_column(words.say("intake.cli.condition"))
    table.add_column(words.say("intake.cli.fits"))
    for row in rows:
        fits = words.say("intake.cli.fits_yes" if row.fits else "intake.cli.fits_no")
        table.add_row(row.name, fits)
    console.print(table)


def _pathway(p: PathwayAnswer, words: Words) -> None:
    start = p.start_phase
    body = Group(
        Text(p.summary),
        Text(words.say("intake.cli.running", running=p.running), style="dim"),
        Text(
            words.say(
                "intake.cli.start_phase", number=start.number, name=start.name, goal=start.goal
            )
        ),
        "",
        _reasons(p.reasons, answers=True),
    )
    title = words.say("intake.cli.pathway", name=p.name)
    console.print(Panel(body, title=title, border_style="green"))
    command = f"[bold]{escape(words.say('intake.cli.next_command'))}[/]"
    console.print(words.say("intake.cli.next", command=command))


def plan(view: PlanView) -> None:
    """The projection: its notice, the phases, the first run, the days and the ladder; for
    anything but self-management, the triage's answer and why nothing is projected."""
    words = shipped_words()
    if not view.programme_allowed:
        see_above = words.say("intake.cli.see_above")
        _answer(view.disposition, view.headline, view.reasons, see_above, words)
        if view.disposition.severity < Disposition.URGENT.severity:
            _differentials((), words)
        console.print(words.say("intake.cli.no_projection"))
        return
    projection = words.say("intake.cli.projection")
    console.print(Panel(view.notice, title=projection, border_style="yellow"))
    _phases(view, words)
    if view.first_run:
        day = f"[bold]{view.first_run.isoformat()}[/]"
        console.print(words.say("intake.cli.first_run", day=day))
    _days(view.days, words)
    _ladder(view.ladder, words)


def _phases(view: PlanView, words: Words) -> None:
    phases = Table(title=words.say("intake.cli.phases"), title_justify="left")
    for column in ("phase", "from", "to"):
        phases.add_column(words.say(f"intake.cli.{column}"))
    for p in view.phases:
        name = words.say("intake.cli.phase_name", number=p.number, name=p.name)
        phases.add_row(name, p.start.isoformat(), p.end.isoformat())
    console.print(phases)


def _days(days: Iterable[PlanDay], words: Words) -> None:
    table = Table(title=words.say("intake.cli.day_by_day"), title_justify="left")
    for column in ("date", "phase", "exercises", "run", "minutes", "read", "questionnaires"):
        table.add_column(words.say(f"intake.cli.{column}"))
    for d in days:
        table.add_row(
            d["date"],
            str(d["phase"]["number"]),
            _exercise_list(d, words),
            _run_text(d["run"]),
            f"{d['estimated_minutes']:g}",
            reading_text(d.get("reading", []), words),
            questionnaires_text(d.get("questionnaires", [])),
        )
    console.print(table)


def reading_text(reading: Iterable[Mapping[str, Any]], words: Words) -> str:
    """A day's lessons in one line: "What is runner's knee? (4 min)", or "—"."""
    said = [
        words.say("intake.cli.reading", title=r["title"], minutes=r["minutes"]) for r in reading
    ]
    return "; ".join(said) or NOTHING


def questionnaires_text(due: Iterable[Mapping[str, Any]]) -> str:
    """The questionnaires falling due on a day in one line, or "—"."""
    return "; ".join(q["name"] for q in due) or NOTHING


def _exercise_list(day: PlanDay, words: Words) -> str:
    names = [e["name"] for e in day["exercises"]]
    if day["cross_training"]:
        names.append(words.say("intake.cli.cross_training", name=day["cross_training"]["name"]))
    if not day["training_day"]:
        return ", ".join([day["day_words"], *names])
    return ", ".join(names) or NOTHING


def _ladder(rows: Iterable[LadderRow], words: Words) -> None:
    table = Table(title=words.say("intake.cli.ladder"), title_justify="left")
    for column in ("rung", "session", "total", "article_said"):
        table.add_column(words.say(f"intake.cli.{column}"))
    for r in rows:
        said = str(r.get("article_total_minutes", NOTHING))
        if r.get("article_total_correct") is False:
            said = words.say("intake.cli.wrong", said=said)
        run, walk = r["run_minutes"], r["walk_minutes"]
        session = (
            words.say("intake.cli.walk_run", repeats=r["repeats"], run=run, walk=walk)
            if walk
            else words.say("intake.cli.continuous", minutes=run)
        )
        rung = str(r["rung"])
        if r["optional"]:
            rung = words.say("intake.cli.optional_rung", rung=rung)
        minutes = words.say("intake.cli.total_minutes", minutes=r["total_minutes"])
        table.add_row(rung, session, minutes, said)
    console.print(table)


def _from_document(document: Mapping[str, Any]) -> TriageView:
    """The typed answer of a triage's JSON document (keys beyond the answer's are left out)."""
    import msgspec

    return msgspec.convert(document, TriageView)
