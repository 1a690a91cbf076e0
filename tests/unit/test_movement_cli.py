"""``runrehab movement`` shown to a person: the table holds the measures the view gives and
leaves out those it cannot; the findings come with their rules (synthetic results, no video)."""

from __future__ import annotations

import pytest

from runrehab.cli.movement import _render
from runrehab.content.words import shipped_words
from runrehab.engine.movement import Exercise, View
from runrehab.services.movement.analysis import analyse_series
from tests.unit.engine.movement_bodies import Plan, series


@pytest.fixture(autouse=True)
def _wide(monkeypatch: pytest.MonkeyPatch) -> None:
    """A wide terminal, so that no column's title wraps."""
    monkeypatch.setenv("COLUMNS", "200")


def _shown(plan: Plan, capsys: pytest.CaptureFixture[str]) -> str:
    _render(analyse_series(series(plan), plan.exercise))
    return capsys.readouterr().out


def test_a_single_leg_squat_from_the_front_shows_fppa_and_no_knee_bend(
    capsys: pytest.CaptureFixture[str],
) -> None:
    words = shipped_words()
    plan = Plan(view=View.FRONT, exercise=Exercise.SINGLE_LEG_SQUAT, knee_deg=60, fppa_deg=18)
    out = _shown(plan, capsys)
    assert "Single-leg squat" in out and "3 repetitions" in out
    assert words.say("movement.cli.column.fppa") in out
    assert words.say("movement.cli.column.flexion") not in out
    assert "movement-knee-inward" in out
    assert words.say("movement.cli.left_right.title") in out


def test_a_squat_from_the_side_shows_the_knee_bend_and_no_fppa(
    capsys: pytest.CaptureFixture[str],
) -> None:
    words = shipped_words()
    out = _shown(Plan(view=View.SIDE, reps=2, knee_deg=100), capsys)
    assert "2 repetitions" in out
    assert words.say("movement.cli.column.flexion") in out
    assert words.say("movement.cli.column.fppa") not in out
    assert "movement-fppa-needs-front-view" in out
