"""``runrehab questionnaire``: what is due, or answer the Kujala scale, the weekly pain report
or the worry check (``fear_of_movement``, the fear-of-movement screen).

With no questionnaire named it lists what is due on ``--date``. With one named it records the
answers from ``--answers FILE|-`` (``{"answers": {...}}``) or, on a terminal, asks each
question in turn; then it prints the score, the change since the first answer, and any
decision the answer led to; for the worry check, the prompt to get help when it is high. Bad
answers exit 2 and write nothing.
"""

from __future__ import annotations

import sys
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from runrehab.cli.app import (
    OPTIONS,
    JsonFlag,
    emit,
    fail,
    parse_date,
    read_document,
    with_runtime,
)

if TYPE_CHECKING:
    from rich.console import Console

    from runrehab.bootstrap import Runtime
    from runrehab.services.content import ProgrammeContent


commands = typer.Typer()
"""The ``questionnaire`` command. Composed into the program by ``cli.main``."""


@commands.command()
def questionnaire(
    when: Annotated[str, typer.Option("--date", metavar="YYYY-MM-DD", help="The day.")],
    instrument: Annotated[
        str | None,
        typer.Argument(
            metavar="[kujala|weekly_pain|fear_of_movement]",
            help="The questionnaire to answer; none: what is due.",
        ),
    ] = None,
    answers: Annotated[
        str | None,
        typer.Option(
            "--answers",
            metavar="FILE|-",
            help='A JSON document {"answers": {...}}, or - for stdin; without it, ask on a '
            "terminal.",
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Outcome questionnaires: what is due, or answer Kujala, weekly pain or the worry check."""
    day = parse_date(when, "--date")
    if instrument is None:
        if answers is not None:
            fail("--answers needs a questionnaire: kujala, weekly_pain or fear_of_movement")
        emit(_due(day), as_json, _render_due)
        return
    if answers is None and not sys.stdin.isatty():
        fail("give the answers with --answers FILE (or - for stdin), or run it on a terminal")
    view = _record(instrument, day, answers)
    emit(view, as_json, _render_response)


def _due(day: date) -> dict[str, Any]:
    from runrehab.services.journal.questionnaires import due_view

    return with_runtime(lambda rt: due_view(rt.db.unit_of_work(), rt.content, day, OPTIONS.person))


def _record(instrument: str, day: date, source: str | None) -> dict[str, Any]:
    from runrehab.services.journal.questionnaires import (
        read_answers,
        record_response,
        response_view,
    )

    def answer(rt: Runtime) -> dict[str, Any]:  # the database is opened before the questions
        content = rt.content
        if source is None:
            given = _ask(content, instrument)
        else:
            given = read_answers(read_document(source, "questionnaire"))
        response = record_response(
            rt.db.unit_of_work(), rt.clock, content, instrument, day, given, OPTIONS.person
        )
        return response_view(rt.db.unit_of_work(), content, response, OPTIONS.person)

    return with_runtime(answer)


# --- asking on a terminal -----------------------------------------------------------------------


def _ask(content: ProgrammeContent, instrument: str) -> dict[str, Any]:
    """Ask each question: numbered answers for a choice, a number for a scale. The questions
    go to stderr, so that ``--json`` still prints one document on stdout."""
    from rich.console import Console

    from runrehab.services.journal.questionnaires import questionnaire_view

    view = questionnaire_view(content, instrument)
    # content text is printed as plain text, never read as rich markup
    console = Console(stderr=True, markup=False, highlight=False)
    console.print(f"{view['name']}: {view['intro']}", style="bold")
    console.print(view["recall"], style="dim")
    items = view["items"]
    return {item["id"]: _ask_item(console, item, n, len(items)) for n, item in enumerate(items, 1)}


def _ask_item(console: Console, item: dict[str, Any], n: int, total: int) -> str | int:
    from rich.prompt import IntPrompt

    console.print(f"\n{n}/{total}. {item['question']}", style="bold")
    if item["kind"] == "scale":
        console.print(
            f"  {item['low']} = {item['low_label']}, {item['high']} = {item['high_label']}"
        )
        choices = [str(v) for v in range(item["low"], item["high"] + 1)]
        return IntPrompt.ask("  Your answer", console=console, choices=choices, show_choices=False)
    options = item["options"]
    for k, option in enumerate(options, 1):
        console.print(f"  {k}. {option['label']}")
    choices = [str(k) for k in range(1, len(options) + 1)]
    picked = IntPrompt.ask("  Your answer", console=console, choices=choices, show_choices=False)
    answer: str = options[picked - 1]["id"]
    return answer


# --- output -------------------------------------------------------------------------------------


def _render_due(view: dict[str, Any]) -> None:
    from runrehab.cli.render import console

    if not view["due"]:
        console.print(f"Nothing is due on {view['date']}.")
        return
    for due in view["due"]:
        first = " (your first: the one later answers are compared with)" if due["baseline"] else ""
        late = f", due since {due['since']}" if due["overdue_days"] else ""
        console.print(
            f"Due: {due['name']}{first}{late}. Answer: runrehab questionnaire "
            f"{due['instrument']} --date {view['date']}"
        )


def _render_response(view: dict[str, Any]) -> None:
    from rich.text import Text

    from runrehab.cli.render import STYLE, _reasons, console

    console.print(Text(f"{view['name']}: {view['score']}/{view['max_score']}", style="bold"))
    change = view["change"]
    if view.get("screen") is not None:
        _render_screen(view["screen"], change)
    elif change is None:
        console.print("Your first answer: later answers are compared with it.")
    else:
        reached = "reaches" if change["reaches_mic"] else "does not reach"
        console.print(
            f"Change since {change['baseline_date']} ({change['baseline']}): "
            f"{change['change']:+d}, which {reached} the {change['mic']}-point change that matters."
        )
    decision = view["decision"]
    if decision is not None and decision["reasons"]:
        console.print(Text(view["headline"], style=STYLE[decision["disposition"]]))
        console.print(_reasons(decision["reasons"]))


def _render_screen(screen: dict[str, Any], change: dict[str, Any] | None) -> None:
    """The worry check: lower is less worry; the prompt and the page to read when it is high."""
    from rich.text import Text

    from runrehab.cli.render import console

    high = screen["high_from"]
    console.print(f"Lower means less worry; {high} or more is high.")
    if change is not None:
        console.print(
            f"Your first answer, on {change['baseline_date']}, scored {change['baseline']}."
        )
    prompt = screen["prompt"]
    if prompt is None:
        console.print(screen["note"])
        console.print(f"Read: runrehab explain {screen['reassurance']['topic']}", style="dim")
        return
    console.print(Text(prompt["text"], style="bold"))
    console.print(
        f"Read: {prompt['reading']['title']}: runrehab explain {prompt['reading']['topic']}"
    )
    console.print(
        Text(f"Why: {prompt['detail']} · rule {prompt['rule']} · {prompt['source']}", style="dim")
    )
