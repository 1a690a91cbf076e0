"""``runrehab movement VIDEO``: a filmed exercise measured (issue 18).

The clip is read in a worker process (MediaPipe Pose, the ``video`` extra) and measured by the
movement check's use case (``services.movement.analysis``); nothing is stored. ``--json``
prints the result's document; bad input (not a video, too long, nobody in view...) exits 2
with its reason."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from runrehab.cli.app import emit, fail, guarded, say

if TYPE_CHECKING:
    from runrehab.services.movement.analysis import MovementResult

commands = typer.Typer()
"""The movement check's command. Composed into the program by ``cli.main``."""

EXERCISES = ("single_leg_squat", "step_down", "squat", "lunge")
VIEWS = ("front", "side")


@commands.command("movement", help=say("movement.cli.help"))
def movement(
    video: Annotated[str, typer.Argument(metavar="VIDEO", help=say("movement.cli.video"))],
    exercise: Annotated[
        str,
        typer.Option("--exercise", metavar="|".join(EXERCISES), help=say("movement.cli.exercise")),
    ] = "single_leg_squat",
    view: Annotated[
        str | None,
        typer.Option("--view", metavar="front|side", help=say("movement.cli.view")),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help=say("cli.option.json"))] = False,
) -> None:
    _choice("--exercise", exercise, EXERCISES)
    if view is not None:
        _choice("--view", view, VIEWS)
    emit(guarded(lambda: _measured(Path(video), exercise, view)), as_json, _render)


def _choice(option: str, given: str, choices: tuple[str, ...]) -> None:
    if given not in choices:
        fail(
            say(
                "movement.cli.bad_choice",
                option=option,
                choices=", ".join(choices),
                given=repr(given),
            )
        )


def _measured(path: Path, exercise: str, view: str | None) -> MovementResult:
    from runrehab import bootstrap
    from runrehab.services.movement.analysis import (
        Exercise,
        VideoRefused,
        View,
        analyse_video,
        shipped_movement_content,
    )

    content = shipped_movement_content()
    try:
        return analyse_video(
            path,
            Exercise(exercise),
            None if view is None else View(view),
            pose=bootstrap.pose_source(content.limits),
            content=content,
        )
    except VideoRefused as refused:
        fail(refused.message())


def _render(result: MovementResult) -> None:
    from rich.console import Console
    from rich.table import Table

    from runrehab.cli.render import _reasons

    console = Console()
    reps = (
        say("movement.cli.not_counted")
        if result.rep_count is None
        else shipped_count("movement.cli.reps", result.rep_count)
    )
    console.print(
        say(
            "movement.cli.title",
            exercise=say(f"movement.exercise.{result.exercise}"),
            view=say(f"movement.view.{result.view}"),
            reps=reps,
        ),
        style="bold",
    )
    tracking = result.tracking
    console.print(
        say(
            "movement.cli.tracked",
            frames=tracking.frames,
            with_pose=tracking.frames_with_pose,
            measured=tracking.confident_frames,
            grade=say(f"movement.grade.{tracking.grade}"),
        )
    )
    if tracking.set_aside:
        shown = ", ".join(
            say(f"movement.set_aside.{a.reason}", n=a.frames) for a in tracking.set_aside
        )
        console.print(say("movement.cli.set_aside", reasons=shown))
    if len(result.views) > 1:
        spans = ", ".join(
            f"{say(f'movement.view.{v.view}')} {v.start_s:.1f}–{v.end_s:.1f} s"
            for v in result.views
        )
        console.print(say("movement.cli.view_spans", spans=spans))
    if result.reps:
        console.print(_reps_table(result, Table))
    if result.left_right:
        console.print(_left_right_table(result, Table))
    if result.findings:
        console.print(_reasons(result.findings))


def shipped_count(key: str, n: int) -> str:
    from runrehab.content.words import shipped_words

    return shipped_words().say_count(key, n)


def _reps_table(result: MovementResult, table_type: Any) -> Any:
    """A row a rep; a column a measure, left out when no rep has it (the view cannot give
    it), and the view's column only when the view changed."""
    columns: dict[str, Any] = {
        "number": lambda r: str(r.number),
        "side": lambda r: say(f"movement.side.{r.side}"),
        "view": lambda r: say(f"movement.view.{r.view}"),
        "bottom": lambda r: f"{r.bottom_s:.1f}",
        "down": lambda r: f"{r.down_s:.1f}",
        "up": lambda r: f"{r.up_s:.1f}",
        "depth": lambda r: f"{r.depth * 100:.0f}",
        "flexion": lambda r: _figure(r.knee_flexion_max_deg),
        "fppa": lambda r: _figure(r.fppa_deg),
        "pelvic_drop": lambda r: _figure(r.pelvic_drop_deg),
        "trunk": lambda r: _figure(r.trunk_lean_deg),
    }
    if len(result.views) < 2:
        del columns["view"]
    for name in ("flexion", "fppa", "pelvic_drop", "trunk"):
        if all(columns[name](r) == "—" for r in result.reps):
            del columns[name]
    table = table_type()
    for name in columns:
        table.add_column(say(f"movement.cli.column.{name}"), justify="right")
    for rep in result.reps:
        table.add_row(*(shown(rep) for shown in columns.values()))
    return table


def _left_right_table(result: MovementResult, table_type: Any) -> Any:
    table = table_type(title=say("movement.cli.left_right.title"))
    for column in ("measure", "left", "right", "difference"):
        table.add_column(say(f"movement.cli.left_right.{column}"))
    for pair in result.left_right:
        table.add_row(
            say(f"movement.cli.left_right.{pair.measure}"),
            _figure(pair.left, 2 if pair.measure == "depth" else 0),
            _figure(pair.right, 2 if pair.measure == "depth" else 0),
            _figure(pair.difference, 2 if pair.measure == "depth" else 0),
        )
    return table


def _figure(value: float | None, digits: int = 0) -> str:
    return "—" if value is None else f"{value:.{digits}f}"
