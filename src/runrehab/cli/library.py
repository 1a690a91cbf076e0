"""Commands of the reference library: ``exercises``, ``explain`` and ``rules``: the same use
cases as the library's API, whose documents ``--json`` prints."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from runrehab.cli.app import JsonFlag, emit, fail, guarded, say, shown_by

commands = typer.Typer()
"""Composed into the program by ``cli.main``."""


def _content() -> Any:
    from runrehab.services.content import shipped_content

    return shipped_content()


@commands.command(help=say("library.cli.exercises"))
def exercises(
    exercise_id: Annotated[
        str | None,
        typer.Argument(metavar="[ID]", help=say("library.cli.exercise_id")),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """The exercise library, or one exercise in full."""

    def answer() -> Any:
        from runrehab.services.library.pages import NotInLibrary, exercise
        from runrehab.services.library.views import library_view

        content = _content()
        if exercise_id is None:
            return library_view(content.catalogue)
        try:
            return exercise(content, exercise_id)
        except NotInLibrary:
            fail(say("library.cli.no_exercise", name=repr(exercise_id)))

    view = guarded(answer)
    shown = "exercises" if exercise_id is None else "exercise"
    emit(view, as_json, shown_by(f"library_render.{shown}"))


@commands.command(help=say("library.cli.explain"))
def explain(
    topic: Annotated[
        str | None,
        typer.Argument(metavar="[TOPIC]", help=say("library.cli.topic")),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """What runner's knee is, the FAQ, and the glossary."""

    def answer() -> Any:
        from runrehab.services.library.pages import NotInLibrary, knowledge
        from runrehab.services.library.views import knowledge_index

        content = _content()
        if topic is None:
            return knowledge_index(content.catalogue)
        try:
            return knowledge(content, topic)
        except NotInLibrary:
            fail(say("library.cli.no_topic", name=repr(topic)))

    view = guarded(answer)
    emit(view, as_json, shown_by(f"library_render.{'topics' if topic is None else 'topic'}"))


@commands.command(help=say("library.cli.rules"))
def rules(
    rule_id: Annotated[
        str | None, typer.Argument(metavar="[ID]", help=say("library.cli.rule_id"))
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Every clinical rule with its id and source, and which way the product went."""

    def answer() -> Any:
        from runrehab.services.library.views import rules_view

        view = rules_view(_content().catalogue, rule_id)
        if view is None:
            fail(say("library.cli.no_rule", name=repr(rule_id)))
        return view

    view = guarded(answer)
    emit(view, as_json, shown_by("library_render.rules"))
