"""Rich output of the journal commands: today's plan, a check-in's decision, the history.

Each reads a use case's view (``services.journal.today``, ``services.journal.checkin``) and
says it in the words of ``content/data/words/today.toml`` (and ``checkin``, ``journal``): the
same words the web pages use for the same answer.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from runrehab.cli.render import STYLE, TITLE, console
from runrehab.content.words import Words, shipped_words
from runrehab.engine.gates import GateStatus
from runrehab.services.journal.checkin import CheckinView
from runrehab.services.journal.lessons import DayEducation, ReadingItem
from runrehab.services.journal.questionnaires import PromptView
from runrehab.services.journal.readiness_checks import ReadinessAsk, ReadinessCheck
from runrehab.services.journal.session_view import PrescriptionDoc, RunDoc
from runrehab.services.journal.today import DayView, HistoryView, TodayView
from runrehab.services.reasons import ReasonView

RED_FLAG = ("emergency", "urgent")
MARKS = {GateStatus.MET: "green", GateStatus.FAILED: "red", GateStatus.NOT_YET: ""}
"""The style of each readiness check's mark (``today.cli.<status>`` has its words)."""


def today(view: DayView) -> None:
    words = shipped_words()
    disposition = view.disposition.value
    head = Text(view.headline, style=STYLE[disposition])
    if disposition in RED_FLAG:
        console.print(Panel(Group(head, reasons(view.reasons, words)), title=TITLE[disposition]))
        return
    phase = view.phase
    title = words.say(
        "today.cli.title",
        day=view.date.isoformat(),
        number=view.programme.day,
        phase=phase.number,
        name=phase.name,
    )
    console.print(Panel(Group(*_session(view, words)), title=title))
    console.print(reasons(view.reasons, words))
    if not isinstance(view, TodayView):
        return
    for prompt in view.prompts:
        console.print(_prompt(prompt, words))
    if view.readiness_checks:
        console.print(_readiness(view.readiness_checks, view.date.isoformat(), words))
    for ask in view.asks:
        if not isinstance(ask, ReadinessAsk):  # shown in full above
            console.print(Text(ask.text, style="yellow"))


def _session(view: DayView, words: Words) -> list[RenderableType]:
    session = view.session
    said = words.say("today.cli.run_today", words=view.run_answer.words)
    parts: list[RenderableType] = [Text(view.headline, style=STYLE[view.disposition.value])]
    parts.append(Text(said, style="bold"))
    run = session.get("run")
    if run:
        parts.append(Text(words.say("today.cli.run", run=run_text(run, words))))
        parts.extend(Text(f"  {limit}", style="dim") for limit in run.get("limits", []))
    for w in session.get("warm_up", []):
        minutes = w.get("minutes", w["estimated_minutes"])
        said = words.say("today.cli.warm_up", name=w["name"], minutes=f"{minutes:g}")
        if w.get("tempo"):
            said = words.say("journal.cli.dose.with_tempo", dose=said, tempo=w["tempo"])
        parts.append(Text(said))
    exercises = session.get("exercises", [])
    parts.append(_exercise_table(exercises, words))
    if exercises:
        guide = words.say("today.cli.pain", guide=view.exercise_pain_guide)
        parts.append(Text(guide, style="dim"))
    cross = session.get("cross_training")
    if cross:
        minutes = cross.get("minutes", cross["estimated_minutes"])
        key = "cross_training_test" if "readiness_test" in cross else "cross_training"
        said = words.say(f"today.cli.{key}", name=cross["name"], minutes=minutes)
        parts.append(Text(said, style="bold"))
    if isinstance(view, TodayView):
        parts.extend(_reading(session.get("reading", []), view.education, words))
    return parts


def _reading(items: Sequence[ReadingItem], education: DayEducation, words: Words) -> list[Text]:
    """The day's lessons, each with its page and how to mark it read, and the count so far."""
    lines = []
    for r in items:
        key = "read_done" if r.read else "read_late" if r.carried else "read"
        lines.append(Text(words.say(f"today.cli.{key}", title=r.title, minutes=r.minutes)))
        lines.append(Text(words.say("today.cli.read_page", topic=r.topic), style="dim"))
        if not r.read:
            lines.append(Text(words.say("today.cli.read_then", lesson=r.id), style="dim"))
    if items:
        why = words.say("today.cli.read_why", education=education.text, rule=items[0].rule)
        lines.append(Text(why, style="dim"))
    return lines


def _prompt(prompt: PromptView, words: Words) -> Panel:
    """A prompt to get help (the worry check): its words, the page to read, then its rule."""
    reading = prompt.reading
    why = words.say(
        "today.cli.prompt_why", detail=prompt.detail, rule=prompt.rule, source=prompt.source
    )
    body = Group(
        Text(prompt.text),
        Text(words.say("today.cli.prompt_read", title=reading.title, topic=reading.topic)),
        Text(why, style="dim"),
    )
    return Panel(body, title=prompt.title, border_style="blue")


def _readiness(checks: Sequence[ReadinessCheck], day: str, words: Words) -> Panel:
    """The readiness checks before running: each one's result, and for those still to do,
    when, how to do it and how to report it."""
    lines: list[RenderableType] = []
    for c in checks:
        mark = words.say(f"today.cli.{c.status.value}")
        lines.append(Text(f"{mark}: {c.text}", style=MARKS[c.status] or "bold"))
        if c.status is not GateStatus.NOT_YET:
            lines.append(Text(f"  {c.detail}", style="dim"))
        if c.status is GateStatus.MET:
            continue
        lines.append(Text(words.say("today.cli.readiness_when", when=c.when)))
        lines.extend(Text(f"  {n}. {step}") for n, step in enumerate(c.how, 1))
        report = words.say("today.cli.readiness_report", report=c.report_text)
        lines.append(Text(report, style="yellow"))
    if any(c.status is not GateStatus.MET for c in checks):
        lines.append(Text(words.say("today.cli.readiness_template", day=day)))
    return Panel(Group(*lines), title=words.say("today.cli.readiness_title"))


def _exercise_table(exercises: Sequence[PrescriptionDoc], words: Words) -> Table:
    """The whole dose of each exercise: sets, reps or hold (each side), how to do each rep
    (its tempo), the rest between sets, and the id a check-in reports it by."""
    table = Table(box=None, header_style="bold", padding=(0, 1))
    for column in ("exercise", "sets", "amount"):
        table.add_column(words.say(f"today.cli.{column}"))
    table.add_column(words.say("journal.cli.dose.how"), ratio=1)
    for e in exercises:
        amount = _amount(e, words)
        if e.get("per_side"):
            amount = words.say("today.cli.each_side", amount=amount)
        name = Text(e["name"])
        if "readiness_test" in e:
            name = Text(words.say("today.cli.readiness_test", name=e["name"]))
        name.append(f"\n{e['id']}", style="dim")
        how = Text(e.get("tempo") or "")
        rest = e.get("rest_seconds")
        if rest:
            how.append(f"\n{words.say('journal.cli.dose.rest', seconds=rest)}", style="dim")
        table.add_row(name, str(e["sets"]), amount, how)
    return table


def _amount(e: PrescriptionDoc, words: Words) -> str:
    if "minutes" in e:
        return words.say("today.cli.minutes", minutes=f"{e['minutes']:g}")
    if "reps" in e:
        reps = words.say("today.cli.reps", reps=e["reps"])
        if e.get("hold_seconds"):
            hold = words.say("today.cli.hold", seconds=e["hold_seconds"])
            return words.say("journal.cli.dose.reps_and_hold", reps=reps, hold=hold)
        return reps
    return words.say("today.cli.hold", seconds=e.get("hold_seconds", ""))


def run_text(run: RunDoc | None, words: Words) -> str:
    """A run in a few words: walk/run intervals, or minutes of continuous running."""
    if run is None:
        return words.say("today.cli.no_run")
    total = run["total_minutes"]
    if run["kind"] == "walk_run":
        return words.say(
            "today.cli.run_walk",
            repeats=run.get("repeats", ""),
            run=run.get("run_minutes", ""),
            walk=run.get("walk_minutes", ""),
            total=total,
        )
    if "distance_km" in run:
        return words.say("today.cli.run_continuous_km", total=total, km=f"{run['distance_km']:g}")
    return words.say("today.cli.run_continuous", total=total)


def reasons(found: Sequence[ReasonView], words: Words) -> Table:
    """The reasons with their rules and sources; each one's detail (the facts of the day it
    was decided on) under its text."""
    table = Table(show_header=True, header_style="bold", expand=True, box=None, padding=(0, 1))
    table.add_column(words.say("today.cli.why"), ratio=3)
    table.add_column(words.say("today.cli.rule_and_source"), ratio=2, style="dim")
    for r in found:
        why = Text(r.text)
        if r.detail:
            why.append(f"\n{r.detail[:1].upper()}{r.detail[1:]}.", style="italic")
        table.add_row(why, f"{r.rule}\n{r.source}")
    return table


def checkin(view: CheckinView) -> None:
    """What a recorded check-in told the programme: the decision in the words the web's
    answer uses (its colour, its action, the headline when someone should see the knee)."""
    words = shipped_words()
    key = "replaced" if view.replaced else "recorded"
    console.print(words.say(f"checkin.cli.{key}", day=view.date.isoformat()))
    decision = view.decision
    if decision is None:
        return
    disposition = decision.disposition.value
    if view.headline is not None and disposition != "self_manage":
        console.print(Text(view.headline, style=STYLE[disposition]))
    if decision.colour is not None:
        colour = decision.colour.value
        console.print(
            words.say(
                "checkin.cli.decision",
                colour=words.say(f"today.colour.{colour}.title"),
                text=words.say(f"today.colour.{colour}.text"),
                action=words.say(f"today.action.{decision.action.value}"),
            )
        )
    if decision.reasons:
        console.print(reasons(decision.reasons, words))


def history(view: HistoryView) -> None:
    words = shipped_words()
    table = Table(title=words.say("journal.cli.decisions"), header_style="bold")
    for column in ("date", "phase", "action", "colour", "why"):
        table.add_column(words.say(f"journal.cli.{column}"))
    for programme in view.programmes:
        for d in programme.decisions:
            why = "; ".join(r.title for r in d.reasons) or words.say("journal.cli.no_reason")
            colour = "" if d.colour is None else d.colour.value
            table.add_row(d.date.isoformat(), str(d.phase), d.action.value, colour, why)
    console.print(table)
    counted = words.say(
        "journal.cli.counted",
        checkins=words.say_count("common.count.check_in", len(view.checkins)),
        questionnaires=words.say_count("journal.count.questionnaire", len(view.questionnaires)),
    )
    console.print(counted)
