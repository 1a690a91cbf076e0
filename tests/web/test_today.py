"""Today: before a programme, can I run (with its rule), the exercises, the run and its timer,
other days, a changing answer over three days of check-ins, a stopped programme, and the API."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import typical_doc
from tests.fakes import FixedClock
from tests.web.conftest import Browser, ProgrammeRunner, sign_up

RUNNING = {"running.pain_during_run": 2, "running.pain_rises_during_run": False}


def start(browser: Browser, clock: FixedClock, **changes: Any) -> ProgrammeRunner:
    """Start the signed-in runner's programme today from the typical assessment, changed."""
    from runrehab.adapters.documents import read_assessment
    from runrehab.services.journal.programme import start_programme

    parts = browser.client.app.state.parts  # type: ignore[attr-defined]
    person = browser.client.get("/api/v1/account").json()["person"]
    document = typical_doc(**changes)
    start_programme(
        parts.db.unit_of_work(),
        clock,
        parts.content,
        document,
        read_assessment(document),
        clock.now().date(),
        person,
    )
    return ProgrammeRunner(browser.client, browser.email, browser.csrf, person)


def check_in(runner: Browser, **fields: Any) -> Any:
    form = {"pain_now": "1", "pain_at_rest": "0", "pain_worst": "2", "ran": "no", **fields}
    return runner.submit("/checkin", form)


def run_answer(html: str) -> str:
    found = re.search(r'<p class="answer"><span class="badge (\w+)">([^<]+)</span>', html)
    assert found, "no run answer on the page"
    return found.group(2)


def test_today_before_a_programme_goes_to_the_assessment(runner: Browser) -> None:
    answer = runner.client.get("/today", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/start"
    assert runner.client.get("/checkin", follow_redirects=False).headers["location"] == "/start"
    for api in (
        runner.client.get("/api/v1/today"),
        runner.client.get("/api/v1/questionnaires/due"),
        runner.api("POST", "/api/v1/checkins", json={"date": "2026-12-01"}),
    ):
        assert api.status_code == 409 and "No programme yet" in api.json()["detail"]
    runner.client.cookies.clear()  # and signed out: the log-in, or 401 from the API
    answer = runner.client.get("/today", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
    assert runner.client.get("/api/v1/today").status_code == 401


def test_today_says_whether_to_run_why_and_the_exercises(
    runner_with_programme: ProgrammeRunner,
) -> None:
    page = runner_with_programme.page("/today")
    assert page.status_code == 200
    html = page.text
    assert '<a href="/today" aria-current="page">Today</a>' in html
    # phase 1 has no running by plan: said as a day without a run, not as the knee's "no"
    assert run_answer(html) == "Not a run day"
    assert 'class="rule-id">n1-no-running-in-this-phase<' in html
    assert "Source:" in html
    for name in ("Quad set", "Straight-leg raise", "Clamshell", "Glute bridge"):
        assert f">{name}</h3>" in html
    assert "3 sets × 10 reps" in html
    assert 'data-ticks="2026-12-01:ex:quad-set"' in html and "Set 3" in html
    assert "Stop if" in html  # the exercise's instructions and when to stop
    # the asks, as links
    assert '<a href="/checkin">Check in today' in html
    assert '<a href="/questionnaires/kujala">Kujala' in html
    assert '<a href="/questionnaires/weekly_pain">' in html
    # CSP: no inline script, style or handler
    assert "<script>" not in html and 'style="' not in html and " onclick=" not in html
    assert len(html.encode()) < 40_000


def test_a_running_day_shows_the_run_its_timer_and_the_after_run_routine(
    runner: Browser, clock: FixedClock
) -> None:
    me = start(runner, clock, **RUNNING)
    html = me.page("/today").text
    assert run_answer(html) in {"Yes, you can run", "Yes, a shorter run"}
    assert "Your run" in html and "min of easy, continuous running" in html
    assert 'class="timer interval-timer" data-run="' in html and 'aria-live="assertive"' in html
    assert "Stop if pain goes above 3/10" in html
    assert "After the run" in html
    assert 'class="timer hold-timer" data-hold="' in html  # the stretches are holds
    assert "hold 60 s" in html  # ...written out for a browser without JavaScript
    assert page_weight(me, html) < 100_000  # the page, its stylesheets and scripts


def page_weight(me: Browser, html: str) -> int:
    """The bytes of a page and of the stylesheets and scripts it loads."""
    assets = re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js)\?v=\w+)"', html)
    assert any("/js/today.js" in a for a in assets)
    sizes = [len(me.client.get(a).content) for a in assets]
    return len(html.encode()) + sum(sizes)


def test_another_day_within_the_programme_and_bad_dates(
    runner_with_programme: ProgrammeRunner, clock: FixedClock
) -> None:
    me = runner_with_programme
    for bad, words in (
        ("2026-11-30", "before your programme started"),
        ("2026-12-02", "has not happened yet"),
        ("1 December", "is not a date"),
        ("2026-02-30", "is not a date"),
    ):
        answer = me.client.get(f"/today?date={bad}")
        assert answer.status_code == 400, bad
        assert words in answer.text
        api = me.client.get(f"/api/v1/today?date={bad}")
        assert api.status_code == 400 and words in api.json()["detail"]
    clock.advance(days=1)
    back = me.page("/today?date=2026-12-01")
    assert back.status_code == 200 and "You are looking back at Tue 1 Dec 2026" in back.text
    assert 'href="/today">Wed 2 Dec →' in back.text
    assert 'data-ticks="' not in back.text  # ticks and timers are for today only
    today = me.page("/today").text
    assert '<a href="/checkin?date=2026-12-01">No check-in for Tue 1 Dec' in today


def test_rising_pain_over_three_days_changes_the_answer(runner: Browser, clock: FixedClock) -> None:
    me = start(runner, clock, **RUNNING)
    me.page("/checkin")
    assert check_in(me, morning="same").status_code == 303
    assert run_answer(me.page("/today").text) != "No run today"

    clock.advance(days=1)
    me.page("/checkin")
    assert check_in(me, pain_now="3", pain_worst="4", morning="same").status_code == 303
    assert "Sets done" in me.page("/today").text

    clock.advance(days=1)
    me.page("/checkin")
    posted = check_in(me, pain_now="5", pain_at_rest="3", pain_worst="7", morning="worse")
    assert posted.headers["location"] == "/checkin/done?date=2026-12-03"
    done = me.page(posted.headers["location"]).text
    assert "A red day" in done and "A step back" in done
    assert "prog-red-day-step-back" in done
    assert "Can I run today?" in done and "No run today" in done
    today = me.page("/today").text
    assert run_answer(today) == "No run today"
    assert "phase 1: Settle" in today
    assert "n7-hold-after-red-day" in today


def test_a_red_flag_stops_the_programme_and_today_shows_only_where_to_go(
    runner_with_programme: ProgrammeRunner,
) -> None:
    me = runner_with_programme
    me.page("/checkin")
    posted = check_in(me, signs="calf_pain_or_swelling")
    done = me.page(posted.headers["location"]).text
    assert 'class="emergency" role="alert"' in done and "See a doctor today." in done
    today = me.page("/today")
    assert today.status_code == 200
    assert 'class="emergency" role="alert"' in today.text
    assert "See a doctor today." in today.text
    assert "Exercises" not in today.text and "Can I run" not in today.text


def test_a_referred_programme_says_to_book_an_assessment(
    runner_with_programme: ProgrammeRunner,
) -> None:
    me = runner_with_programme
    me.page("/checkin")
    check_in(me, signs="giving_way")
    today = me.page("/today").text
    assert "Book an assessment with a physiotherapist or doctor." in today
    assert "waiting for an assessment" in today


def test_the_today_and_history_api(runner_with_programme: ProgrammeRunner) -> None:
    me = runner_with_programme
    view = me.client.get("/api/v1/today").json()
    assert view["date"] == "2026-12-01" and view["run_today"] == "no"
    assert view["reasons"][0]["rule"] and view["reasons"][0]["source"]
    assert {e["id"] for e in view["session"]["exercises"]} >= {"quad-set", "clamshell"}
    assert me.client.get("/api/v1/today?date=2026-12-01").json() == view
    history = me.client.get("/api/v1/history").json()
    assert history["person"] == me.person_id
    assert len(history["programmes"]) == 1 and history["checkins"] == []


def test_another_runner_sees_none_of_it(
    runner_with_programme: ProgrammeRunner, client: TestClient, clock: FixedClock
) -> None:
    runner_with_programme.page("/checkin")
    check_in(runner_with_programme)
    client.cookies.clear()
    other = sign_up(client, "other@example.com")
    assert other.client.get("/today", follow_redirects=False).headers["location"] == "/start"
    start(other, clock)
    assert other.client.get("/api/v1/history").json()["checkins"] == []
    assert other.client.get("/api/v1/checkins").json() == {"checkins": []}
    mine = other.client.get("/checkin/done?date=2026-12-01")
    assert mine.status_code == 404 and "no check-in" in mine.text
    assert "already checked in" not in other.page("/checkin").text
