"""The readiness checks before running on the web: Today lists each one still to do with how to
do it and how to report it, the check-in form asks for the test result with its own pain on
the day it is given, and the plan shows each test as met (on which day), not yet, or failed
(on which day, and why)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient

from runrehab.adapters.documents import read_checkin
from runrehab.services.journal.programme import record_checkin
from runrehab.services.journal.today import today_view
from tests.fakes import FixedClock
from tests.simulation import filled_in
from tests.web.conftest import ProgrammeRunner
from tests.web.test_today import check_in

START = date(2026, 12, 1)


def live(client: TestClient, clock: FixedClock, person: str, days: int) -> date:
    """``days`` days of doing exactly what Today says, reported through the journal; the
    clock ends on the next day, which is returned."""
    parts = client.app.state.parts  # type: ignore[attr-defined]
    for offset in range(days):
        day = START + timedelta(days=offset)
        view = today_view(parts.reader(), parts.content, day, person)
        doc = filled_in(view["checkin_template"])
        record_checkin(
            parts.db.unit_of_work(), clock, parts.content, doc, read_checkin(doc), person
        )
        clock.advance(days=1)
    return START + timedelta(days=days)


def criteria(me: ProgrammeRunner) -> dict[str, dict[str, Any]]:
    timeline = me.api("GET", "/api/v1/plan?days=1").json()["timeline"]
    current = next(p for p in timeline["phases"] if p["state"] == "current")
    return {c["id"]: c for c in current["criteria"]}


def test_today_lists_the_checks_still_to_do_with_how_to_do_and_report_them(
    client: TestClient, clock: FixedClock, runner_with_programme: ProgrammeRunner
) -> None:
    me = runner_with_programme
    live(client, clock, me.person_id, 14)  # day 15: the first day of the load phase
    html = me.page("/today").text
    assert "Still to do: readiness checks" in html
    section = html[html.index('id="readiness-heading"') :]
    assert 'id="test-p3-step-downs"' in section and 'id="test-p3-brisk-walk"' in section
    assert "This is your readiness test today" in section
    assert "Stand tall on the working leg" in section  # the exercise's own steps
    assert "Planned on your next training day without loaded strength work" in section
    assert "How to report it" in section
    assert 'href="#test-p3-step-downs">Readiness check, today: Step-down: 3 × 10' in html
    assert 'Step-down <span class="badge caution">Readiness test</span>' in html


def test_the_check_in_form_asks_for_the_test_result_and_the_plan_shows_it(
    client: TestClient, clock: FixedClock, runner_with_programme: ProgrammeRunner
) -> None:
    me = runner_with_programme
    today = live(client, clock, me.person_id, 14)
    html = me.page("/checkin").text
    assert "Readiness tests due: did you do them?" in html  # opened: they are due
    assert "<legend>Readiness test: Step-down: 3 × 10 each side at pain" in html
    assert re.search(r'name="test_sets_p3-step-downs"[^>]*value="3"', html)
    assert re.search(r'name="test_reps_p3-step-downs"[^>]*value="10"', html)
    assert 'name="test_pain_p3-step-downs" value="10"' in html
    # the test exercise is asked about once, with its own pain, not in the general list
    assert 'name="exercise" value="step-down"' not in html
    assert check_in(me, morning="same", test="p3-step-downs").status_code == 400  # no pain
    too_much = "3"  # AMBER: the test is not passed, and the day is not RED
    posted = check_in(
        me,
        morning="same",
        test=["p3-step-downs", "p3-single-leg-squats"],
        **{
            "test_sets_p3-step-downs": "3",
            "test_reps_p3-step-downs": "10",
            "test_pain_p3-step-downs": too_much,
            "test_sets_p3-single-leg-squats": "2",
            "test_reps_p3-single-leg-squats": "10",
            "test_pain_p3-single-leg-squats": "1",
        },
    )
    assert posted.status_code == 303, posted.text
    stored = me.client.get("/api/v1/checkins").json()["checkins"][0]["checkin"]
    logs = {e["id"]: e for e in stored["exercises"]}
    assert logs["step-down"] == {"id": "step-down", "sets": 3, "reps": 10, "max_pain": 3}
    assert logs["single-leg-squat"]["max_pain"] == 1
    # the form shows the stored result again
    again = me.page("/checkin").text
    assert 'name="test" value="p3-step-downs" checked' in again
    assert 'name="test_pain_p3-step-downs" value="3" checked' in again
    # the plan: failed on that day and why, met on that day, not yet
    judged = criteria(me)
    assert judged["p3-step-downs"]["status"] == "failed"
    assert judged["p3-step-downs"]["day"] == today.isoformat()
    assert f"at pain {too_much}/10" in judged["p3-step-downs"]["detail"]
    assert judged["p3-single-leg-squats"]["status"] == "met"
    assert judged["p3-single-leg-squats"]["day"] == today.isoformat()
    assert judged["p3-brisk-walk"]["status"] == "not_yet"
    page = me.page("/plan").text
    assert "Not passed yet (tried Tue 15 Dec):" in page
    assert "Met on Tue 15 Dec:" in page
    assert '<span class="badge neutral">Readiness test</span>' in page


def test_the_walk_test_day_asks_for_the_minutes_the_pain_and_a_limp(
    client: TestClient, clock: FixedClock, runner_with_programme: ProgrammeRunner
) -> None:
    me = runner_with_programme
    live(client, clock, me.person_id, 15)  # day 16: no loaded work, the walk's day
    html = me.page("/checkin").text
    assert "<legend>Readiness test: A 30-minute brisk walk at pain" in html
    assert re.search(r'name="test_minutes_p3-brisk-walk"[^>]*value="30"', html)
    assert 'name="test_limp_p3-brisk-walk"' in html
    posted = check_in(
        me,
        morning="same",
        test="p3-brisk-walk",
        **{
            "test_minutes_p3-brisk-walk": "30",
            "test_pain_p3-brisk-walk": "1",
            "test_limp_p3-brisk-walk": "yes",
        },
    )
    assert posted.status_code == 303, posted.text
    stored = me.client.get("/api/v1/checkins").json()["checkins"][0]["checkin"]
    assert {"kind": "walking", "minutes": 30, "max_pain": 1} in stored["cross_training"]
    assert stored["signs"]["limp"] is True
    judged = criteria(me)["p3-brisk-walk"]
    assert judged["status"] == "failed" and judged["detail"].endswith("with a limp")
