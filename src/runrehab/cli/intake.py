"""Commands of the intake, without a journal: ``triage`` an assessment and ``plan`` from it.

Each prints ``jsonable`` of its use case's view with ``--json`` (the public contract of
``runrehab triage --json`` and ``runrehab plan --json``), else the view rendered for people
(``intake_render``). The help texts are the words of ``intake.cli``, as every command's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from runrehab.cli.app import (
    FileArg,
    JsonFlag,
    emit,
    guarded,
    parse_date,
    read_document,
    say,
    shown_by,
)

if TYPE_CHECKING:
    from runrehab.services.intake.preview import PlanView
    from runrehab.services.intake.triage import TriageView

commands = typer.Typer()
"""Composed into the program by ``cli.main``."""


@commands.command(help=say("intake.cli.triage_help"))
def triage(source: FileArg, as_json: JsonFlag = False) -> None:
    """``runrehab triage``: the triage of an assessment (``intake.cli.triage_help``)."""

    def answer() -> TriageView:
        from runrehab.adapters.documents import read_assessment
        from runrehab.content import loader
        from runrehab.content.words import shipped_words
        from runrehab.services.intake.triage import triage_answer
        from runrehab.services.reasons import ReasonBook

        assessment = read_assessment(read_document(source, "assessment"))
        sources = loader.load_sources()
        protocol = loader.load_protocol_file()
        book = ReasonBook(loader.load_rules(sources=sources), sources)
        settings = loader.engine_settings(protocol)
        return triage_answer(assessment, protocol, book, settings, shipped_words())

    view: TriageView = guarded(answer)
    emit(view, as_json, shown_by("intake_render.triage"))


@commands.command(help=say("intake.cli.plan_help"))
def plan(
    source: FileArg,
    start: Annotated[
        str, typer.Option("--start", metavar="YYYY-MM-DD", help=say("intake.cli.start_option"))
    ],
    weeks: Annotated[
        int, typer.Option("--weeks", min=1, max=52, help=say("intake.cli.weeks_option"))
    ] = 8,
    as_json: JsonFlag = False,
) -> None:
    """``runrehab plan``: the programme projected from an assessment (``intake.cli.plan_help``)."""
    first_day = parse_date(start, "--start")

    def answer() -> PlanView:
        from runrehab.adapters.documents import read_assessment
        from runrehab.content import loader
        from runrehab.content.words import shipped_words
        from runrehab.services.intake.preview import plan_projection

        assessment = read_assessment(read_document(source, "assessment"))
        protocol, catalogue = loader.protocol(), loader.catalogue()
        return plan_projection(assessment, first_day, weeks, protocol, catalogue, shipped_words())

    view: PlanView = guarded(answer)
    emit(view, as_json, shown_by("intake_render.plan"))
