"""``runrehab checkin`` on a terminal with no document: the day's check-in asked question by
question, built from the day's check-in template (the session as planned), then checked by
the same contract as a document.

The questions go to stderr, so that ``--json`` still prints one document on stdout. A bad
answer is asked again; nothing is written until every answer is in.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.prompt import Confirm, IntPrompt, Prompt

from runrehab.cli.app import fail, say

if TYPE_CHECKING:
    from runrehab.bootstrap import Runtime

PAIN = [str(n) for n in range(11)]
MORNING = ("better", "same", "worse")
SWELLING = ("none", "mild", "marked")


class _Number(IntPrompt):
    """A whole number among the choices; a bad answer is told so, in RunRehab's words, and
    asked again."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.validate_error_message = say("checkin.cli.ask.not_a_number")
        self.illegal_choice_message = say("checkin.cli.ask.not_a_choice")


class _YesNo(Confirm):
    """Yes or no; anything else is asked again."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.validate_error_message = say("checkin.cli.ask.yes_or_no")


def ask_checkin(rt: Runtime, day: date, person: str | None) -> dict[str, Any]:
    """The check-in document of ``day``, answered on the terminal; exit 1 while the
    programme is stopped (there is a doctor to see, not a day to report)."""
    from runrehab.services.journal.checkin import checkin_template_of

    template = checkin_template_of(rt.db.unit_of_work(), rt.content, day, person)
    if template is None:
        fail(say("checkin.cli.stopped"), 1)
    names = {e.id: e.name for e in rt.content.protocol.exercises.values()}
    console = Console(stderr=True, markup=False, highlight=False)
    return _ask(console, dict(template), names)


def _ask(console: Console, template: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    console.print(say("checkin.cli.ask.intro", day=template["date"]), style="bold")
    doc: dict[str, Any] = {"date": template["date"]}
    if "schema_version" in template:
        doc["schema_version"] = template["schema_version"]
    doc["pain"] = {
        "now": _pain(console, "checkin.cli.ask.pain_now"),
        "at_rest": _pain(console, "checkin.cli.ask.pain_at_rest"),
        "worst_24h": _pain(console, "checkin.cli.ask.pain_worst"),
    }
    doc["this_morning_vs_usual"] = _choice(console, "checkin.cli.ask.morning", MORNING)
    doc["signs"] = {
        "swelling": _choice(console, "checkin.cli.ask.swelling", SWELLING),
        "limp": _yes(console, "checkin.cli.ask.limp"),
        "giving_way": _yes(console, "checkin.cli.ask.giving_way"),
    }
    exercises = []
    for e in template.get("exercises", []):
        dose = _dose(e)
        name = names.get(e["id"], e["id"])
        if not _yes(console, "checkin.cli.ask.exercise_done", True, name=name, dose=dose):
            continue
        done = {k: v for k, v in e.items() if k != "max_pain"}
        done["max_pain"] = _pain(console, "checkin.cli.ask.exercise_pain", name=name)
        exercises.append(done)
    doc["exercises"] = exercises
    cross = []
    for c in template.get("cross_training", []):
        kind = say(f"checkin.cli.ask.kind.{c['kind']}")
        minutes = c["minutes"]
        if not _yes(console, "checkin.cli.ask.cross_done", True, kind=kind, minutes=minutes):
            continue
        pain = _pain(console, "checkin.cli.ask.cross_pain", kind=kind)
        cross.append({"kind": c["kind"], "minutes": minutes, "max_pain": pain})
    doc["cross_training"] = cross
    run = template.get("run")
    if run is not None:
        minutes = run["minutes"]
        if _yes(console, "checkin.cli.ask.run_done", minutes=f"{minutes:g}"):
            ran = _number(console, "checkin.cli.ask.run_minutes", 1, 1440, round(minutes))
            doc["run"] = {
                "minutes": ran,
                "max_pain": _pain(console, "checkin.cli.ask.run_pain"),
                "pain_rose_during": _yes(console, "checkin.cli.ask.run_rose"),
            }
        else:
            doc["run"] = None
    notes = Prompt.ask(
        say("checkin.cli.ask.notes"), console=console, default="", show_default=False
    )
    if notes.strip():
        doc["notes"] = notes.strip()
    return doc


def _dose(e: dict[str, Any]) -> str:
    if "reps" in e:
        return say("checkin.cli.ask.dose_reps", sets=e["sets"], reps=e["reps"])
    if "hold_seconds" in e:
        return say("checkin.cli.ask.dose_hold", sets=e["sets"], seconds=e["hold_seconds"])
    return say("checkin.cli.ask.dose_sets", sets=e["sets"])


def _pain(console: Console, key: str, **values: object) -> int:
    question = say(key, **values)
    return _Number.ask(
        f"{question} {say('checkin.cli.ask.pain_scale')}",
        console=console,
        choices=PAIN,
        show_choices=False,
    )


def _number(console: Console, key: str, low: int, high: int, default: int) -> int:
    choices = [str(n) for n in range(low, high + 1)]
    return _Number.ask(
        say(key), console=console, choices=choices, show_choices=False, default=default
    )


def _choice(console: Console, key: str, options: tuple[str, ...]) -> str:
    labels = [say(f"{key}_option.{o}") for o in options]
    shown = ", ".join(f"{n}={label}" for n, label in enumerate(labels, 1))
    picked = _Number.ask(
        f"{say(key)} ({shown})",
        console=console,
        choices=[str(n) for n in range(1, len(options) + 1)],
        show_choices=False,
    )
    return options[picked - 1]


def _yes(console: Console, key: str, default: bool = False, **values: object) -> bool:
    return _YesNo.ask(say(key, **values), console=console, default=default)
