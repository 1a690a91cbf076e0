"""The progress room: the page with and without check-ins or a programme, the charts, the week
in words, the decisions, the PDF report, the calendar file, the JSON export (only the runner's
own data), and bad input answered clearly."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar

from runrehab.services.progress import drawn
from runrehab.services.progress.page import CHART_NAMES
from tests.fakes import FixedClock
from tests.web.conftest import PASSWORD, Browser, ProgrammeRunner, sign_up
from tests.web.test_plan import START, check_in

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def reported(
    client: TestClient, clock: FixedClock, runner_with_programme: ProgrammeRunner
) -> ProgrammeRunner:
    """The runner with three check-ins (1-3 Dec), seen on 4 Dec."""
    for offset, worst in enumerate((3, 2, 2)):
        check_in(client, clock, runner_with_programme.person_id, START + timedelta(offset), worst)
    clock.advance(days=3)
    return runner_with_programme


def test_progress_without_check_ins_is_a_friendly_empty_state(
    runner_with_programme: ProgrammeRunner,
) -> None:
    page = runner_with_programme.page("/progress")
    assert page.status_code == 200
    html = page.text
    assert html.count("<h1") == 1 and 'aria-current="page">Progress<' in html
    assert "Nothing to show yet" in html and 'href="/checkin"' in html
    assert "<img" not in html
    # the intake decision, with its reason and source, is already there
    assert "sm-fits-runners-knee" in html and 'href="/library/rules/sm-fits-runners-knee"' in html
    for link in ("/progress/report.pdf", "/progress/calendar.ics", "/progress/export.json"):
        assert f'href="{link}"' in html
    assert 'action="/account/delete"' in html


def test_progress_with_check_ins_shows_charts_week_and_decisions(
    reported: ProgrammeRunner,
) -> None:
    html = reported.page("/progress").text
    assert "The week of Mon 30 Nov to Sun 6 Dec 2026" in html
    assert "Checked in on 3 of 4 days" in html
    # every chart drawn inline, no image to fetch: an accessible SVG with its facts in words
    assert "<img" not in html
    svgs = re.findall(r"<svg xmlns=.*?</svg>", html, re.S)
    names = [ET.fromstring(svg).get("id") for svg in svgs]
    assert [n for n in names if n and n.startswith("chart-")] == [
        f"chart-{name}" for name in CHART_NAMES
    ]
    for svg in svgs:
        root = ET.fromstring(svg)
        assert root.get("role") == "img" and root.find(f"{SVG}title") is not None
    assert "Worst pain fell from 3 to 2 out of 10 over 2 days." in html
    # the figure's caption still says what it shows, in words
    assert "worst pain 3/10 on Tue 1 Dec and 2/10 on Thu 3 Dec" in html
    assert "Decisions and why" in html and "p1-settle-gate" in html


def test_the_headline_says_pain_phase_and_streak_in_words(reported: ProgrammeRunner) -> None:
    html = reported.page("/progress").text
    glance = re.search(r'<section class="card glance".*?</section>', html, re.S)
    assert glance is not None
    text = glance.group(0)
    assert "<strong>2</strong>" in text and "Worst pain on Thu 3 Dec" in text
    assert 'class="rc-svg rc-spark" role="img"' in text
    assert 'aria-current="step"' in text and "Phase 1 of 5: Settle" in text
    # 1-3 Dec checked in, 4 Dec (today) not yet: still a streak of three
    assert "3 days checked in in a row" in text
    # too few check-ins for a trend: said so, never guessed
    assert "A few more check-ins will show which way your pain is going" in text


def test_a_chart_is_drawn_once_per_change_and_a_browser_that_has_it_gets_304(
    client: TestClient, clock: FixedClock, reported: ProgrammeRunner
) -> None:
    drawn.CHARTS.clear()
    first = reported.client.get("/progress/charts/pain.svg")
    assert first.status_code == 200 and first.headers["cache-control"] == "private, no-cache"
    tag = first.headers["etag"]
    again = reported.client.get("/progress/charts/pain.svg", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.headers["etag"] == tag and not again.content
    weak = reported.client.get("/progress/charts/pain.svg", headers={"If-None-Match": f"W/{tag}"})
    assert weak.status_code == 304
    assert reported.client.get("/progress/charts/pain.svg").content == first.content
    # a new check-in is a new revision: drawn again, a new tag
    check_in(client, clock, reported.person_id, date(2026, 12, 4), 1)
    changed = reported.client.get("/progress/charts/pain.svg", headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["etag"] != tag
    assert changed.content != first.content
    # the page's inline charts are kept too, and agree with the files
    reported.page("/progress")
    html = reported.page("/progress").text
    assert "Worst pain fell from 3 to 1 out of 10 over 3 days." in html


def test_a_chart_is_the_same_without_the_cache(reported: ProgrammeRunner) -> None:
    drawn.CHARTS.clear()
    first = reported.client.get("/progress/charts/running.svg")
    drawn.CHARTS.clear()  # another process, or a cache that lost it
    second = reported.client.get("/progress/charts/running.svg")
    assert first.content == second.content and first.headers["etag"] == second.headers["etag"]


def test_a_runner_without_a_programme_gets_export_and_delete(runner: Browser) -> None:
    html = runner.page("/progress").text
    assert "No programme yet" in html and 'href="/start"' in html
    assert 'href="/progress/export.json"' in html and 'action="/account/delete"' in html
    assert 'href="/progress/report.pdf"' not in html
    assert runner.client.get("/progress/report.pdf").status_code == 409
    assert runner.api("GET", "/api/v1/progress/calendar.ics").status_code == 409
    assert runner.api("GET", "/api/v1/progress/summary").status_code == 409
    assert runner.client.get("/progress/export.json").status_code == 200


def test_weeks_are_picked_with_previous_and_next_links(
    client: TestClient, clock: FixedClock, reported: ProgrammeRunner
) -> None:
    clock.advance(days=7)  # now Fri 11 Dec: two weeks of the programme
    this_week = reported.page("/progress").text
    assert "The week of Mon 7 Dec" in this_week
    assert 'href="/progress?week=2026-11-30#week-heading"' in this_week
    last_week = reported.page("/progress?week=2026-12-02").text
    assert "The week of Mon 30 Nov" in last_week
    assert 'href="/progress?week=2026-12-07#week-heading"' in last_week
    summary = reported.api("GET", "/api/v1/progress/summary?week=2026-12-01").json()
    assert summary["week_start"] == "2026-11-30" and summary["days_checked_in"] == 3
    assert summary["next_week"] == "2026-12-07" and summary["previous_week"] is None


def test_a_bad_week_is_a_clear_400(reported: ProgrammeRunner) -> None:
    # not a date, not a real date, before the programme, after this week, the first of dates
    for week in ("soon", "2026-13-01", "2026-11-01", "2027-01-04", "0001-01-01"):
        page = reported.page(f"/progress?week={week}")
        assert page.status_code == 400 and "week" in page.text.lower(), week
        answer = reported.api("GET", f"/api/v1/progress/summary?week={week}")
        assert answer.status_code == 400
        assert answer.json()["errors"][0]["field"] == "week"


def test_every_chart_is_an_svg_and_an_unknown_one_is_404(reported: ProgrammeRunner) -> None:
    for name in CHART_NAMES:
        answer = reported.client.get(f"/progress/charts/{name}.svg")
        assert answer.status_code == 200, name
        assert answer.headers["content-type"].startswith("image/svg+xml")
        assert b"<svg" in answer.content and b"<title" in answer.content
    api = reported.api("GET", "/api/v1/progress/charts/pain.svg")
    assert api.status_code == 200 and api.headers["content-type"].startswith("image/svg+xml")
    again = reported.api(
        "GET", "/api/v1/progress/charts/pain.svg", headers={"If-None-Match": api.headers["etag"]}
    )
    assert again.status_code == 304
    assert reported.client.get("/progress/charts/secrets.svg").status_code == 404
    assert reported.api("GET", "/api/v1/progress/charts/nope.svg").status_code == 404


def test_the_report_is_a_pdf(reported: ProgrammeRunner) -> None:
    answer = reported.client.get("/progress/report.pdf")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF")
    assert "runrehab-report-2026-12-04.pdf" in answer.headers["content-disposition"]
    # private, kept by the browser only until it asks again: 304 while nothing changed
    assert answer.headers["cache-control"] == "private, no-cache"
    tag = answer.headers["etag"]
    again = reported.client.get("/progress/report.pdf", headers={"If-None-Match": tag})
    assert again.status_code == 304 and not again.content
    api = reported.api("GET", "/api/v1/progress/report.pdf", headers={"If-None-Match": tag})
    assert api.status_code == 304


def test_the_calendar_has_a_day_of_sessions_each(reported: ProgrammeRunner) -> None:
    answer = reported.client.get("/progress/calendar.ics")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/calendar")
    events = Calendar.from_ical(answer.content).walk("VEVENT")
    assert len(events) == 28
    assert events[0].decoded("dtstart") == date(2026, 12, 4)
    short = reported.api("GET", "/api/v1/progress/calendar.ics?days=3")
    assert len(Calendar.from_ical(short.content).walk("VEVENT")) == 3
    for days in ("0", "367", "many"):
        bad = reported.api("GET", f"/api/v1/progress/calendar.ics?days={days}")
        assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "query.days"


def test_the_export_holds_the_runner_s_data_and_nobody_else_s(
    client: TestClient, reported: ProgrammeRunner
) -> None:
    other = sign_up(TestClient(client.app, base_url="http://127.0.0.1"), "other@example.com")
    answer = reported.client.get("/progress/export.json")
    assert answer.status_code == 200
    assert answer.headers["content-disposition"] == (
        'attachment; filename="runrehab-export-2026-12-04.json"'
    )
    export = answer.json()
    assert export["person"]["id"] == reported.person_id
    assert len(export["assessments"]) == 1
    assert [c["date"] for c in export["checkins"]] == ["2026-12-01", "2026-12-02", "2026-12-03"]
    assert "other@example.com" not in answer.text
    theirs = other.api("GET", "/api/v1/export").json()
    assert theirs["person"]["id"] != reported.person_id
    assert theirs["assessments"] == [] and theirs["checkins"] == []
    assert reported.person_id not in json.dumps(theirs)
    # nor do their pages show anything of the first runner's
    html = other.page("/progress").text
    assert "No programme yet" in html and "Checked in on" not in html
    assert other.client.get("/progress/charts/pain.svg").status_code == 409


def test_signed_out_visitors_get_nothing(client: TestClient) -> None:
    page = client.get("/progress", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    for path in ("/api/v1/export", "/api/v1/progress/summary", "/api/v1/progress/report.pdf"):
        assert client.get(path).status_code == 401
    assert client.get("/progress/export.json", follow_redirects=False).status_code == 303


def test_deleting_from_the_progress_page_needs_the_token_and_the_password(
    runner_with_programme: ProgrammeRunner,
) -> None:
    runner_with_programme.page("/progress")
    no_token = runner_with_programme.client.post("/account/delete", data={"password": PASSWORD})
    assert no_token.status_code == 403
    assert runner_with_programme.page("/progress").status_code == 200  # still there
    gone = runner_with_programme.submit("/account/delete", {"password": PASSWORD})
    assert gone.status_code == 200
    assert runner_with_programme.client.get("/api/v1/export").status_code == 401


def test_one_check_in_is_described_as_one(
    client: TestClient, clock: FixedClock, runner_with_programme: ProgrammeRunner
) -> None:
    check_in(client, clock, runner_with_programme.person_id, START, 3)
    html = runner_with_programme.page("/progress").text
    assert "one check-in so far, worst pain 3/10 on Tue 1 Dec" in html
    assert "1 check-ins" not in html
