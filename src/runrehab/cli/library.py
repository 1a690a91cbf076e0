"""Commands of the reference library: ``exercises``, ``explain`` and ``rules``."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from runrehab.cli.app import JsonFlag, emit, fail, guarded, shown_by

commands = typer.Typer()
"""Composed into the program by ``cli.main``."""


@commands.command()
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
    emit(
        view,
        as_json,
        shown_by(f"library_render.{'exercises' if exercise_id is None else 'exercise'}"),
    )


@commands.command()
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
    emit(view, as_json, shown_by(f"library_render.{'topics' if topic is None else 'topic'}"))


@commands.command()
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
    emit(view, as_json, shown_by("library_render.rules"))
