"""A runner on the modified-running pathway runs instead of walking: the walk test counts a
pain-free run of the same length, so the projection reaches the later phases."""

from __future__ import annotations

from datetime import date

from runrehab.engine.pathway import choose_pathway
from runrehab.engine.projection import project
from runrehab.engine.protocol import Protocol
from runrehab.engine.values import PathwayId
from tests.conftest import typical


def test_modified_running_projection_is_never_referred_for_stalling(protocol: Protocol) -> None:
    mild = typical(
        **{
            "pain.worst_last_week": 3,
            "running.pain_during_run": 2,
            "running.pain_rises_during_run": False,
        }
    )
    choice = choose_pathway(mild, protocol.settings)
    assert choice.pathway is PathwayId.MODIFIED_RUNNING
    projected = project(mild, choice, protocol, date(2026, 12, 7), 16)
    assert len(projected.days) == 16 * 7  # the projection ran to its end: no referral
    assert projected.days[-1].phase == 5
