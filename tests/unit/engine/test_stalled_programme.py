"""Six weeks in the early phases without moving on sends the runner to a clinician (digest
14(c) regression: "6 weeks in P1–P3 without advancing → SEE_CLINICIAN")."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from runrehab.engine.checkin import Checkin, CheckinPain, ExerciseLog, Morning
from runrehab.engine.pathway import PathwayChoice
from runrehab.engine.progression import replay, start_state
from runrehab.engine.protocol import Protocol
from runrehab.engine.state import Action, Status
from runrehab.engine.values import Disposition, PathwayId

D0 = date(2026, 12, 1)
HIPS = (ExerciseLog("clamshell", 3, 15, None, 1), ExerciseLog("glute-bridge", 3, 15, 3, 1))


def calm_day(n: int) -> Checkin:
    return Checkin(D0 + timedelta(days=n), CheckinPain(1, 0, 1), Morning.SAME, exercises=HIPS)


@pytest.mark.fires("prog-stall-6-weeks")
def test_six_weeks_in_the_load_phase_without_the_readiness_tests_refers(
    protocol: Protocol,
) -> None:
    state = start_state(PathwayChoice(PathwayId.REST_AND_REBUILD, 3, ()), D0, protocol)
    weeks = protocol.settings.stall_weeks_before_referral
    history = [calm_day(n) for n in range(weeks * 7)]
    before, _ = replay(state, history[:-1], protocol, D0 + timedelta(days=weeks * 7 - 2))
    assert before.status is Status.ACTIVE and before.phase == 3
    final, decisions = replay(state, history, protocol, D0 + timedelta(days=weeks * 7 - 1))
    assert final.status is Status.REFERRED
    last = decisions[-1]
    assert last.action is Action.REFER and last.disposition is Disposition.SEE_CLINICIAN
    assert last.reasons[0].rule == "prog-stall-6-weeks"
    assert f"{weeks} weeks" in last.reasons[0].detail
