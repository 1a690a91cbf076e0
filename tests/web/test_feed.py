"""The private calendar feed: made on the reminders page, read by a calendar app with no
sign-in (the token is the credential), the planner's answer of the moment, and gone after a
reset."""

from __future__ import annotations

import re
from datetime import date, timedelta

from fastapi.testclient import TestClient
from icalendar import Calendar

from tests.fakes import FixedClock
from tests.web.conftest import Browser, ProgrammeRunner
from tests.web.test_plan import START, check_in

FEED = re.compile(
    r'id="feed-url" type="text" readonly value="http://127\.0\.0\.1/feed/([^"]+)\.ics"'
)


def make_feed(me: Browser) -> str:
    me.page("/reminders")
    page = me.submit("/reminders/feed")
    assert page.status_code == 200
    found = FEED.search(page.text)
    assert found is not None, page.text
    return found.group(1)


def events(client: TestClient, token: str) -> dict[date, str]:
    """The feed's events, by day, read as a calendar app would: signed out."""
    calendar_app = TestClient(client.app, base_url="http://127.0.0.1")  # no cookies
    answer = calendar_app.get(f"/feed/{token}.ics")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/calendar")
    assert "no-store" in answer.headers["cache-control"]
    calendar = Calendar.from_ical(answer.content)
    return {e.decoded("dtstart"): str(e.get("summary")) for e in calendar.walk("VEVENT")}


def test_the_feed_is_the_planners_answer_and_follows_check_ins(
    client: TestClient, clock: FixedClock, runner_with_programme: ProgrammeRunner
) -> None:
    me = runner_with_programme
    token = make_feed(me)
    assert len(token) >= 43  # 32 random bytes
    before = events(client, token)
    assert min(before) == START and len(before) == 28
    # the next day, checked in: the feed starts from the runner's new today, with a new day
    check_in(client, clock, me.person_id, START, 2)
    clock.advance(days=1)
    after = events(client, token)
    assert min(after) == START + timedelta(days=1)
    newly = START + timedelta(days=28)
    assert newly not in before and newly in after
    # the same sessions as the signed-in download
    download = Calendar.from_ical(me.client.get("/progress/calendar.ics").content)
    assert {e.decoded("dtstart"): str(e.get("summary")) for e in download.walk("VEVENT")} == after


def test_a_worse_day_changes_the_feed_at_once(
    client: TestClient, clock: FixedClock, runner_with_programme: ProgrammeRunner
) -> None:
    me = runner_with_programme
    token = make_feed(me)
    for offset in range(3):
        check_in(client, clock, me.person_id, START + timedelta(offset), 1)
    clock.advance(days=3)
    calm = events(client, token)
    check_in(client, clock, me.person_id, START + timedelta(3), 8)
    flared = events(client, token)
    assert calm != flared  # a flare-up: the planner's coming days changed, and the feed with them


def test_a_reset_makes_a_new_address_and_the_old_one_404s(
    client: TestClient, runner_with_programme: ProgrammeRunner
) -> None:
    me = runner_with_programme
    old = make_feed(me)
    assert "You have a private address" in me.page("/reminders").text
    new = make_feed(me)
    assert new != old
    assert client.get(f"/feed/{old}.ics").status_code == 404
    assert client.get(f"/feed/{new}.ics").status_code == 200
    assert client.get("/feed/not-a-token.ics").status_code == 404
    # only the SHA-256 is kept
    parts = client.app.state.parts  # type: ignore[attr-defined]
    with parts.db.engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT token_hash FROM calendar_feeds").scalars().all()
    assert new not in stored and len(stored) == 1 and len(stored[0]) == 64


def test_a_runner_without_a_programme_gets_an_empty_calendar(runner: Browser) -> None:
    token = make_feed(runner)
    answer = runner.client.get(f"/feed/{token}.ics")
    assert answer.status_code == 200
    assert not Calendar.from_ical(answer.content).walk("VEVENT")
