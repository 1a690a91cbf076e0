"""The ``runrehab`` command line.

Imports are lazy: each command imports what it needs when it runs, so ``runrehab --help`` and a
``runrehab triage`` answer stay well under 0.3 s (``benchmarks/cli_latency.py``).

Exit status (contract): 0 success whatever the clinical answer, 2 bad input or usage, 1 anything
else. With ``--json`` exactly one JSON document goes to stdout; messages go to stderr.
"""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from runrehab.cli import activities, journal, progress, questionnaire
from runrehab.cli.app import (
    FileArg,
    JsonFlag,
    app,
    emit,
    fail,
    guarded,
    parse_date,
    read_document,
)
from runrehab.cli.app import render_view as _render


@app.command()
def triage(source: FileArg, as_json: JsonFlag = False) -> None:
    """Triage an intake assessment: emergency, urgent, see a clinician, or self-manage."""

    def answer() -> dict[str, Any]:
        from runrehab.adapters.documents import read_assessment
        from runrehab.content import loader
        from runrehab.services.intake.triage import triage_view
        from runrehab.services.reasons import ReasonBook

        assessment = read_assessment(read_document(source, "assessment"))
        sources = loader.load_sources()
        protocol = loader.load_protocol_file()
        book = ReasonBook(loader.load_rules(sources=sources), sources)
        return triage_view(assessment, protocol, book, loader.engine_settings(protocol))

    view = guarded(answer)
    emit(view, as_json, lambda v: _render("triage", v))


@app.command()
def plan(
    source: FileArg,
    start: Annotated[
        str, typer.Option("--start", metavar="YYYY-MM-DD", help="The first day of the programme.")
    ],
    weeks: Annotated[int, typer.Option("--weeks", min=1, max=52, help="Weeks to project.")] = 8,
    as_json: JsonFlag = False,
) -> None:
    """Project the programme from an assessment, as if every gate were passed on time."""
    first_day = parse_date(start, "--start")

    def answer() -> dict[str, Any]:
        from runrehab.adapters.documents import read_assessment
        from runrehab.content import loader
        from runrehab.services.intake.preview import plan_view

        assessment = read_assessment(read_document(source, "assessment"))
        return plan_view(assessment, first_day, weeks, loader.protocol(), loader.catalogue())

    view = guarded(answer)
    emit(view, as_json, lambda v: _render("plan", v))


@app.command()
def exercises(
    exercise_id: Annotated[
        str | None, typer.Argument(metavar="[ID]", help="An exercise id or name.")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """The exercise library, or one exercise in full."""

    def answer() -> dict[str, Any]:
        from runrehab.content import loader
        from runrehab.services.library.views import exercise_view, library_view

        catalogue = loader.catalogue()
        if exercise_id is None:
            return library_view(catalogue)
        view = exercise_view(catalogue, exercise_id)
        if view is None:
            fail(f"no exercise {exercise_id!r}; run `runrehab exercises` for the list")
        return view

    view = guarded(answer)
    emit(view, as_json, lambda v: _render("exercises" if exercise_id is None else "exercise", v))


@app.command()
def explain(
    topic: Annotated[
        str | None, typer.Argument(metavar="[TOPIC]", help="A topic, FAQ or glossary term.")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """What runner's knee is, the FAQ, and the glossary."""

    def answer() -> dict[str, Any]:
        from runrehab.content import loader
        from runrehab.services.library.views import knowledge_index, knowledge_view

        catalogue = loader.catalogue()
        if topic is None:
            return knowledge_index(catalogue)
        view = knowledge_view(catalogue, topic)
        if view is None:
            fail(f"nothing found for {topic!r}; run `runrehab explain` for the topics")
        return view

    view = guarded(answer)
    emit(view, as_json, lambda v: _render("topics" if topic is None else "topic", v))


@app.command()
def rules(
    rule_id: Annotated[str | None, typer.Argument(metavar="[ID]", help="One rule id.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Every clinical rule with its id and source, and which way the product went."""

    def answer() -> dict[str, Any]:
        from runrehab.content import loader
        from runrehab.services.library.views import rules_view

        view = rules_view(loader.catalogue(), rule_id)
        if view is None:
            fail(f"no rule {rule_id!r}; run `runrehab rules` for the list")
        return view

    view = guarded(answer)
    emit(view, as_json, lambda v: _render("rules", v))


# the sub-apps, merged into one command list in the order a runner meets them; the library's
# commands (triage, plan, exercises, explain, rules) are this module's own, added after them
for commands in (
    journal.commands,
    questionnaire.commands,
    progress.commands,
    activities.commands,
):
    app.add_typer(commands)


def run() -> None:
    """Console entry point: never show a traceback to a person."""
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("runrehab: interrupted\n")
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(1)
    except Exception as err:
        sys.stderr.write(f"runrehab: unexpected error: {type(err).__name__}: {err}\n")
        sys.exit(1)
