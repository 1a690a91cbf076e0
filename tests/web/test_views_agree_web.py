"""The web pages say what the services decided: over ten days of check-ins, the answer shown
after each check-in, the Today page and the API's Today all give the same run answer, and the
check-in's answer never shows a "no" in red for a run the runner has just done."""

from __future__ import annotations

import re
from datetime import date, timedelta

from tests.fakes import FixedClock
from tests.simulation import done_as_prescribed
from tests.web.conftest import ProgrammeRunner

BADGE = re.compile(
    r'aria-labelledby="(?:can-i-run|run-heading)">.*?<span class="badge (\w+)">([^<]+)</span>',
    re.DOTALL,
)


def _badge(html: str) -> tuple[str, str]:
    found = BADGE.search(html)
    assert found, "no run answer on the page"
    return found.group(1), found.group(2)


def test_the_checkin_answer_today_and_the_api_agree_every_day(
    runner_with_programme: ProgrammeRunner, clock: FixedClock
) -> None:
    runner = runner_with_programme
    start = clock.now().date()
    paused: list[bool] = []
    for offset in range(10):
        day = start + timedelta(days=offset)
        morning = runner.client.get("/api/v1/today").json()
        assert morning["date"] == day.isoformat()
        assert _badge(runner.page("/today").text) == (
            morning["run_answer"]["style"],
            morning["run_answer"]["words"],
        )
        report = done_as_prescribed(morning)
        answer = runner.api("POST", "/api/v1/checkins", json=report)
        assert answer.status_code in (200, 201), answer.text
        after = runner.client.get("/api/v1/today").json()
        shown = _badge(runner.page(f"/checkin/done?date={day}").text)
        assert shown == (after["run_answer"]["style"], after["run_answer"]["words"])
        assert shown == _badge(runner.page("/today").text)
        if "run" in report:  # the day's run is done: said as done, never as a red "no"
            assert after["run_answer"]["kind"] == "done" and shown[0] != "stop"
        # the runs page says "no running now" exactly when the load says so, and never
        # offers a "longest run you may do next" then
        load = runner.client.get("/api/v1/load").json()
        runs = runner.page("/runs").text
        paused.append(load["no_running"] is not None)
        assert ('id="no-running"' in runs) == paused[-1], day
        assert ("Longest single run: the upper limit" in runs) != paused[-1], day
        clock.advance(days=1)
    assert date.fromisoformat(after["date"]) == start + timedelta(days=9)
    assert paused[0]  # phase 1 has no running
