"""The walk/run ladder's totals, and the projection of a whole programme."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from itertools import pairwise

import pytest

from runrehab.engine.pathway import choose_pathway
from runrehab.engine.projection import project
from runrehab.engine.protocol import Protocol
from runrehab.engine.values import PathwayId
from tests.conftest import typical

START = date(2026, 12, 1)  # a Tuesday


def test_walk_run_totals_are_computed_and_right(protocol: Protocol) -> None:
    totals = {
        r.number: (r.repeats, r.run_minutes, r.walk_minutes, r.total_minutes)
        for r in protocol.rungs
    }
    assert totals[1] == (8, 1, 2, 24)  # the article says 20: 8 x (1 + 2) is 24
    assert totals[2] == (8, 2, 1, 24)
    assert totals[6] == (6, 5, 1, 36)  # the article says 30: 6 x (5 + 1) is 36
    assert totals[7] == (1, 30, 0, 30)


def test_after_the_first_step_no_rung_adds_more_than_a_third_of_running(
    protocol: Protocol,
) -> None:
    """Running minutes per rung: 8, 16, then steps of at most 35 %, never down (Trials 2023:
    small steps); the article's rungs 8, 16 and 30 keep their order."""
    running = [r.run_minutes * r.repeats for r in protocol.rungs]
    assert running[:2] == [8, 16] and running[-1] == 30
    for before, now in pairwise(running[1:]):
        assert before <= now <= before * 1.35, running
    article = [r.run_minutes * r.repeats for r in protocol.rungs if r.article_total_minutes]
    assert article == [8, 16, 30]
    wrong = [
        r.number
        for r in protocol.rungs
        if r.article_total_minutes is not None and r.article_total_minutes != r.total_minutes
    ]
    assert wrong == [1, 6]  # the article miscounted its rungs 1 and 3 (our 6)


@pytest.mark.fires("pathway-rest-and-rebuild", "p4-exit-ladder")
def test_typical_rest_and_rebuild_runner_starts_running_no_earlier_than_week_4(
    protocol: Protocol,
) -> None:
    assessment = typical()
    choice = choose_pathway(assessment, protocol.settings)
    assert choice.pathway is PathwayId.REST_AND_REBUILD
    projection = project(assessment, choice, protocol, START, 10)
    assert projection.first_run is not None
    # article 000: phase 4 (return to running) is week 4, i.e. programme day 22 at the earliest
    assert projection.first_run >= START + timedelta(days=21)
    assert [span.phase for span in projection.phases] == [1, 2, 3, 4, 5]


@pytest.mark.fires("n6-every-other-day")
def test_projection_runs_every_other_day_in_the_return_phase(protocol: Protocol) -> None:
    assessment = typical()
    projection = project(
        assessment, choose_pathway(assessment, protocol.settings), protocol, START, 10
    )
    run_days = [s.date for s in projection.days if s.phase == 4 and s.run is not None]
    assert len(run_days) >= 8  # at least two sessions on each of the four walk/run rungs
    assert all((b - a).days >= 2 for a, b in itertools.pairwise(run_days))


@pytest.mark.fires("p4-rung-climb")
def test_projection_climbs_each_rung_after_two_sessions(protocol: Protocol) -> None:
    assessment = typical()
    projection = project(
        assessment, choose_pathway(assessment, protocol.settings), protocol, START, 10
    )
    rungs = [s.run.rung or 0 for s in projection.days if s.phase == 4 and s.run is not None]
    assert rungs[:2] == [1, 1]
    assert rungs == sorted(rungs)
    assert all(rungs.count(n) == 2 for n in set(rungs))


@pytest.mark.fires("pathway-modified-running", "modified-running-limits")
def test_modified_running_keeps_running_at_half_distance(protocol: Protocol) -> None:
    assessment = typical(**{"running.pain_during_run": 2, "running.pain_rises_during_run": False})
    choice = choose_pathway(assessment, protocol.settings)
    assert choice.pathway is PathwayId.MODIFIED_RUNNING
    projection = project(assessment, choice, protocol, START, 4)
    first = next(s for s in projection.days if s.run is not None)
    assert first.date <= START + timedelta(days=1)
    assert first.run is not None
    # usual run 30 km / 3 = 10 km; half is 5 km, under 110 % of the 12 km longest run
    assert first.run.distance_km == 5.0
    assert [span.phase for span in projection.phases][:2] == [2, 3]


def test_no_projected_continuous_run_breaks_the_single_run_cap(protocol: Protocol) -> None:
    """The 110 % cap (Frandsen 2025) governs continuous running; the walk/run ladder before it
    is governed by its own pain-gated rungs (digest 14(c) P4)."""
    assessment = typical(
        **{"running.weekly_km_before_pain": 60, "running.longest_run_km_last_30_days": 5}
    )
    projection = project(
        assessment, choose_pathway(assessment, protocol.settings), protocol, START, 12
    )
    longest: list[tuple[date, float]] = []
    for s in projection.days:
        if s.run is None:
            continue
        # a walk/run session counts its running minutes only, never its walking breaks
        if s.run.kind != "continuous":
            longest.append((s.date, s.run.running_minutes))
            continue
        window = [m for d, m in longest if d >= s.date - timedelta(days=30)]
        if window:
            assert s.run.total_minutes <= max(window) * 1.1 + 1e-9, s.date
        if s.run.distance_km is not None and s.date < START + timedelta(days=30):
            assert s.run.distance_km <= 5 * 1.1 + 1e-9  # the intake's longest run, 5 km
        longest.append((s.date, s.run.total_minutes))
    assert any(s.run and s.run.kind == "continuous" for s in projection.days)
