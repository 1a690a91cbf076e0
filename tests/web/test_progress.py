"""The progress room: the page with and without check-ins or a programme, the charts, the week
in words, the decisions, the PDF report, the calendar file, the JSON export (only the runner's
own data), and bad input answered clearly."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar

from runrehab.adapters.exports.charts import CHARTS
from tests.fakes import FixedClock
from tests.web.conftest import PASSWORD, Browser, ProgrammeRunner, sign_up
from tests.web.test_plan import START, check_in

CHART_NAMES = (*CHARTS, "load")


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
    for name in CHART_NAMES:
        assert f'src="/progress/charts/{name}.svg"' in html
    alts = re.findall(r'<img src="[^"]+" alt="([^"]+)"', html)
    assert len(alts) == len(CHART_NAMES) and all(alts)
    assert any("worst pain 3/10 on Tue 1 Dec and 2/10 on Thu 3 Dec" in a for a in alts)
    assert "Decisions and why" in html and "p1-settle-gate" in html


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
    assert "no-store" in answer.headers["cache-control"]


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
