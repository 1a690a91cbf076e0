"""Commands of the intake, without a journal: ``triage`` an assessment and ``plan`` from it."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from runrehab.cli.app import FileArg, JsonFlag, emit, guarded, parse_date, read_document, shown_by

commands = typer.Typer()
"""Composed into the program by ``cli.main``."""


@commands.command()
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
    emit(view, as_json, shown_by("intake_render.triage"))


@commands.command()
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
    emit(view, as_json, shown_by("intake_render.plan"))
