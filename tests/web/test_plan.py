"""The plan room: the phase timeline with its gates and where the runner stands, the coming
weeks' sessions (a projection), the JSON API, and what happens without a programme or with
bad input."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient

from runrehab.adapters.documents import read_checkin
from runrehab.services.journal.programme import record_checkin
from tests.fakes import FixedClock
from tests.web.conftest import Browser, ProgrammeRunner

START = date(2026, 12, 1)
PHASES = ("Settle", "Foundation", "Load", "Return to run", "Maintain and build")


def check_in(client: TestClient, clock: FixedClock, person: str, day: date, worst: int) -> None:
    """A day's check-in stored through the journal service (the check-in room's own job)."""
    parts = client.app.state.parts  # type: ignore[attr-defined]
    doc: dict[str, Any] = {
        "date": day.isoformat(),
        "pain": {"now": 1, "at_rest": 0, "worst_24h": worst},
        "exercises": [{"id": "quad-set", "sets": 3, "reps": 10, "max_pain": 1}],
    }
    record_checkin(parts.db.unit_of_work(), clock, parts.content, doc, read_checkin(doc), person)


def test_plan_page_shows_five_phases_with_criteria_and_the_current_one(
    runner_with_programme: ProgrammeRunner,
) -> None:
    page = runner_with_programme.page("/plan")
    assert page.status_code == 200
    html = page.text
    assert html.count("<h1") == 1
    for number, name in enumerate(PHASES, start=1):
        assert f"Phase {number}: {name}" in html
    current = re.search(
        r'<li class="card phase current" aria-current="step">(.*?)</li>\s*<li', html, re.S
    )
    assert current is not None and "Phase 1: Settle" in current.group(1)
    assert "You are here" in current.group(1)
    # the gate criteria in words, with their ids, and the rule with its source
    assert "At least 3 days in this phase." in html and "p1-min-days" in html
    assert "Worst pain of the day 3/10 or less on 2 days in a row" in html
    assert "Step-down: 3 × 10 at pain 2/10 or less." in html
    assert 'href="/library/rules/p1-settle-gate"' in html
    assert "Not yet:" in html
    assert 'aria-current="page">Plan<' in html


def test_plan_calendar_lists_dated_sessions_and_says_it_is_a_projection(
    runner_with_programme: ProgrammeRunner,
) -> None:
    html = runner_with_programme.page("/plan").text
    assert "Projection, not a plan you must follow" in html
    assert "Week of Mon 30 Nov" in html and "Tue 1 Dec (today)" in html
    assert "Mon 28 Dec" in html  # four weeks: through 28 Dec
    assert "Quad set" in html and "3 × 10" in html
    assert 'href="/plan?page=2#calendar-heading"' in html
    later = runner_with_programme.page("/plan?page=2").text
    assert "Weeks 5 to 8 ahead" in later and "Tue 29 Dec" in later and "Mon 25 Jan" in later
    assert "<b>Mon 28 Dec</b>" not in later and 'href="/plan?page=1#calendar-heading"' in later


def test_criteria_met_so_far_follow_the_check_ins(
    client: TestClient, clock: FixedClock, runner_with_programme: ProgrammeRunner
) -> None:
    for offset in range(2):
        check_in(client, clock, runner_with_programme.person_id, START + timedelta(offset), 2)
    clock.advance(days=1)
    view = runner_with_programme.api("GET", "/api/v1/plan?days=3").json()
    timeline = view["timeline"]
    assert timeline["programme"]["phase"] == {"number": 1, "name": "Settle"}
    assert timeline["programme"]["days_in_phase"] == 2
    settle = timeline["phases"][0]
    assert settle["state"] == "current"
    by_id = {c["id"]: c for c in settle["criteria"]}
    assert by_id["p1-worst-pain"]["met"] is True
    assert by_id["p1-worst-pain"]["detail"] == "Tue 1 Dec: 2/10; Wed 2 Dec: 2/10"
    assert by_id["p1-min-days"]["met"] is False
    assert by_id["p1-min-days"]["detail"] == "2 of at least 3 days in the phase"
    assert [p["state"] for p in timeline["phases"][1:]] == ["ahead"] * 4
    assert timeline["phases"][1]["earliest"]["date"] == "2026-12-06"
    assert settle["rule"]["rule"] == "p1-settle-gate" and settle["rule"]["source"]


def test_the_api_answers_the_plan_as_json(runner_with_programme: ProgrammeRunner) -> None:
    answer = runner_with_programme.api("GET", "/api/v1/plan")
    assert answer.status_code == 200
    view = answer.json()
    assert view["projection"] is True and len(view["sessions"]) == 28
    first = view["sessions"][0]
    assert first["date"] == "2026-12-01" and first["projection"] is True
    assert [p["number"] for p in view["timeline"]["phases"]] == [1, 2, 3, 4, 5]
    assert view["timeline"]["programme"]["pathway"]["id"] == "rest_and_rebuild"
    assert len(view["timeline"]["ladder"]) == 7


def test_bad_numbers_are_refused_clearly(runner_with_programme: ProgrammeRunner) -> None:
    for path in ("/api/v1/plan?days=0", "/api/v1/plan?days=400", "/api/v1/plan?days=soon"):
        answer = runner_with_programme.api("GET", path)
        assert answer.status_code == 422
        assert answer.json()["errors"][0]["field"] == "query.days"
    for path in ("/plan?page=4", "/plan?page=0", "/plan?page=next"):
        page = runner_with_programme.page(path)
        assert page.status_code == 422 and "page" in page.text


def test_without_a_programme_the_page_goes_to_the_start(runner: Browser) -> None:
    page = runner.client.get("/plan", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/start"
    answer = runner.api("GET", "/api/v1/plan")
    assert answer.status_code == 409 and "No programme yet" in answer.json()["detail"]


def test_a_stopped_programme_says_why_and_plans_nothing(
    client: TestClient, clock: FixedClock, runner_with_programme: ProgrammeRunner
) -> None:
    parts = client.app.state.parts  # type: ignore[attr-defined]
    doc = {
        "date": START.isoformat(),
        "pain": {"now": 2, "at_rest": 1, "worst_24h": 3},
        "signs": {"hot": True, "swelling": "marked", "fever_or_unwell": True},
    }
    record_checkin(
        parts.db.unit_of_work(),
        clock,
        parts.content,
        doc,
        read_checkin(doc),
        runner_with_programme.person_id,
    )
    view = runner_with_programme.api("GET", "/api/v1/plan").json()
    assert view["timeline"]["programme"]["status"] == "stopped"
    assert view["sessions"] == []
    rules = [r["rule"] for r in view["timeline"]["status_reasons"]]
    assert "programme-stopped" in rules and len(rules) >= 2
    html = runner_with_programme.page("/plan").text
    assert 'role="alert"' in html and "see a doctor" in html.lower()


def test_the_plan_is_only_for_the_signed_in_runner(client: TestClient) -> None:
    anonymous = client.get("/plan", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    assert client.get("/api/v1/plan").status_code == 401
