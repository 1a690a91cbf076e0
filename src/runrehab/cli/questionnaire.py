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
from typing import TYPE_CHECKING, Annotated

import typer

from runrehab.cli.app import (
    OPTIONS,
    JsonFlag,
    emit,
    fail,
    parse_date,
    read_document,
    say,
    with_runtime,
)

if TYPE_CHECKING:
    from rich.console import Console

    from runrehab.bootstrap import Runtime
    from runrehab.services.content import ProgrammeContent
    from runrehab.services.journal.questionnaires import (
        ChoiceItemView,
        DueView,
        ResponseView,
        ScaleItemView,
        ScreenView,
    )

ANSWERS_EXAMPLE = '{"answers": {...}}'

commands = typer.Typer()
"""The ``questionnaire`` command. Composed into the program by ``cli.main``."""


@commands.command(help=say("questionnaires.cli.help.command"))
def questionnaire(
    when: Annotated[
        str,
        typer.Option("--date", metavar="YYYY-MM-DD", help=say("questionnaires.cli.help.date")),
    ],
    instrument: Annotated[
        str | None,
        typer.Argument(
            metavar="[kujala|weekly_pain|fear_of_movement]",
            help=say("questionnaires.cli.help.instrument"),
        ),
    ] = None,
    answers: Annotated[
        str | None,
        typer.Option(
            "--answers",
            metavar="FILE|-",
            help=say("questionnaires.cli.help.answers", example=ANSWERS_EXAMPLE),
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Outcome questionnaires: what is due, or answer Kujala, weekly pain or the worry check."""
    day = parse_date(when, "--date")
    if instrument is None:
        if answers is not None:
            fail(say("questionnaires.cli.answers_need_a_questionnaire"))
        emit(_due(day), as_json, _render_due)
        return
    if answers is None and not sys.stdin.isatty():
        fail(say("questionnaires.cli.answers_or_a_terminal"))
    emit(_record(instrument, day, answers), as_json, _render_response)


def _due(day: date) -> DueView:
    from runrehab.services.journal.questionnaires import questionnaires_due

    return with_runtime(
        lambda rt: questionnaires_due(rt.db.unit_of_work(), rt.content, day, OPTIONS.person)
    )


def _record(instrument: str, day: date, source: str | None) -> ResponseView:
    from runrehab.services.journal.questionnaires import answer_questionnaire, read_answers

    def answer(rt: Runtime) -> ResponseView:  # the database is opened before the questions
        content = rt.content
        if source is None:
            given = _ask(content, instrument)
        else:
            given = read_answers(read_document(source, "questionnaire"), content.words)
        return answer_questionnaire(
            rt.db.unit_of_work(), rt.clock, content, instrument, day, given, OPTIONS.person
        )

    return with_runtime(answer)


# --- asking on a terminal -----------------------------------------------------------------------


def _ask(content: ProgrammeContent, instrument: str) -> dict[str, object]:
    """Ask each question: numbered answers for a choice, a number for a scale. The questions
    go to stderr, so that ``--json`` still prints one document on stdout."""
    from rich.console import Console

    from runrehab.services.journal.questionnaires import questionnaire_view

    view = questionnaire_view(content, instrument)
    # content text is printed as plain text, never read as rich markup
    console = Console(stderr=True, markup=False, highlight=False)
    console.print(f"{view.name}: {view.intro}", style="bold")
    console.print(view.recall, style="dim")
    total = len(view.items)
    prompt = content.words.say("questionnaires.cli.your_answer")
    return {
        item.id: _ask_item(console, prompt, item, n, total) for n, item in enumerate(view.items, 1)
    }


def _ask_item(
    console: Console, prompt: str, item: ChoiceItemView | ScaleItemView, n: int, total: int
) -> str | int:
    from rich.prompt import IntPrompt

    console.print(f"\n{n}/{total}. {item.question}", style="bold")
    if item.kind == "scale":
        console.print(f"  {item.low} = {item.low_label}, {item.high} = {item.high_label}")
        choices = [str(v) for v in range(item.low, item.high + 1)]
        return IntPrompt.ask(prompt, console=console, choices=choices, show_choices=False)
    for k, option in enumerate(item.options, 1):
        console.print(f"  {k}. {option.label}")
    choices = [str(k) for k in range(1, len(item.options) + 1)]
    picked = IntPrompt.ask(prompt, console=console, choices=choices, show_choices=False)
    return item.options[picked - 1].id


# --- output -------------------------------------------------------------------------------------


def _render_due(view: DueView) -> None:
    from runrehab.cli.render import console

    if not view.due:
        console.print(say("questionnaires.cli.nothing_due", day=view.date.isoformat()))
        return
    for due in view.due:
        first = say("questionnaires.cli.due_first") if due.baseline else ""
        late = ""
        if due.overdue_days:
            late = say("questionnaires.cli.due_late", since=due.since.isoformat())
        said = say(
            "questionnaires.cli.due",
            name=due.name,
            first=first,
            late=late,
            instrument=due.instrument,
            day=view.date.isoformat(),
        )
        console.print(said)


def _render_response(view: ResponseView) -> None:
    from rich.text import Text

    from runrehab.cli.render import STYLE, _reasons, console

    console.print(Text(f"{view.name}: {view.score}/{view.max_score}", style="bold"))
    change = view.change
    if view.screen is not None:
        _render_screen(view.screen, view)
    elif change is None:
        console.print(say("questionnaires.cli.first_answer"))
    else:
        values = {
            "since": change.baseline_date.isoformat(),
            "baseline": change.baseline,
            "change": f"{change.change:+d}",
            "mic": change.mic,
        }
        if change.reaches_mic:
            console.print(say("questionnaires.cli.change_reaches", **values))
        else:
            console.print(say("questionnaires.cli.change_short", **values))
    decision = view.decision
    if decision is not None and decision.reasons and view.headline is not None:
        console.print(Text(view.headline, style=STYLE[decision.disposition]))
        console.print(_reasons(decision.reasons))


def _render_screen(screen: ScreenView, view: ResponseView) -> None:
    """The worry check: lower is less worry; the prompt and the page to read when it is high."""
    from rich.text import Text

    from runrehab.cli.render import console

    console.print(say("questionnaires.cli.screen_scale"))
    if view.change is not None:
        first = view.change
        console.print(
            say(
                "questionnaires.cli.screen_first",
                since=first.baseline_date.isoformat(),
                baseline=first.baseline,
            )
        )
    prompt = screen.prompt
    if prompt is None:
        console.print(screen.note)
        console.print(
            say("questionnaires.cli.read_topic", topic=screen.reassurance.topic), style="dim"
        )
        return
    console.print(Text(prompt.text, style="bold"))
    console.print(
        say(
            "questionnaires.cli.read_title_topic",
            title=prompt.reading.title,
            topic=prompt.reading.topic,
        )
    )
    why = say(
        "questionnaires.cli.why", detail=prompt.detail, rule=prompt.rule, source=prompt.source
    )
    console.print(Text(why, style="dim"))
