"""The reminders page (linked from the account page), bad choices answered on the page
naming the field, and the Web Push subscriptions: stored, deleted, and pushed to by the
sender (through a fake pusher)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient

from runrehab.services.reminders.sending import send_due_reminders
from tests.fakes import FixedClock
from tests.unit.services.test_reminders import FakePusher
from tests.web.conftest import Browser

SUBSCRIPTION = {
    "endpoint": "https://push.example.org/send/abc123",
    "expirationTime": None,
    "keys": {"p256dh": "BPublicKeyOfTheBrowser", "auth": "secret16bytes"},
}


def test_the_account_page_links_to_reminders_and_a_choice_is_kept(runner: Browser) -> None:
    assert 'href="/reminders"' in runner.page("/account").text
    page = runner.page("/reminders")
    assert page.status_code == 200
    html = page.text
    assert "<h1>Reminders</h1>" in html and "Europe/London" in html.replace(" ", "_")
    assert 'src="/static/js/reminders.js' in html
    assert 'data-key="B' in html  # the server's VAPID public key, made at first start
    saved = runner.submit(
        "/reminders", {"checkin_at": "20:15", "run_day_at": "", "channel": ["email"]}
    )
    assert saved.status_code == 303 and saved.headers["location"] == "/reminders?saved=true"
    again = runner.page("/reminders?saved=true").text
    assert "Your reminders are saved." in again
    assert 'name="checkin_at" type="time" value="20:15"' in again
    assert 'name="run_day_at" type="time" value=""' in again
    assert 'value="email" checked' in again and 'value="push" checked' not in again


def test_bad_choices_are_a_400_with_words_beside_the_field(runner: Browser) -> None:
    runner.page("/reminders")
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"checkin_at": "24:61", "channel": ["email"]}, "checkin_at", "is not a time of day"),
        ({"run_day_at": "soon", "channel": ["email"]}, "run_day_at", "is not a time of day"),
        ({"checkin_at": "08:00", "channel": ["pigeon"]}, "channel", "is not a way to remind"),
        ({"checkin_at": "08:00"}, "channel", "Choose how to be reminded"),
    ]
    for form, field, words in cases:
        answer = runner.submit("/reminders", form)
        assert answer.status_code == 400, form
        assert f'<p class="field-error" id="{field}-error">' in answer.text
        assert words in answer.text
    # what was typed is shown again, nothing was kept
    answer = runner.submit("/reminders", {"checkin_at": "24:61", "channel": ["email"]})
    assert 'value="24:61"' in answer.text
    assert 'value="email" checked' not in runner.page("/reminders").text


def test_a_push_subscription_is_stored_pushed_to_and_deleted(
    client: TestClient, clock: FixedClock, runner: Browser
) -> None:
    parts = client.app.state.parts  # type: ignore[attr-defined]
    runner.page("/reminders")
    stored = runner.api("POST", "/api/v1/push/subscriptions", json=SUBSCRIPTION)
    assert stored.status_code == 201, stored.text
    assert runner.api("POST", "/api/v1/push/subscriptions", json=SUBSCRIPTION).status_code == 201
    assert "1 device signed up" in runner.page("/reminders").text
    runner.submit("/reminders", {"checkin_at": "09:00", "channel": ["push"]})

    clock.current = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # 09:00 in London
    pusher = FakePusher()
    sent = send_due_reminders(parts.writer, parts.content, clock, None, pusher)
    assert len(sent) == 1 and sent[0].pushes == 1
    (subscription, title, _body, url) = pusher.pushed[0]
    assert json.loads(subscription) == SUBSCRIPTION
    assert "check-in" in title and url == "/checkin"
    assert send_due_reminders(parts.writer, parts.content, clock, None, pusher) == []

    endpoint = SUBSCRIPTION["endpoint"]
    gone = runner.api("DELETE", "/api/v1/push/subscriptions", params={"endpoint": endpoint})
    assert gone.status_code == 204
    again = runner.api("DELETE", "/api/v1/push/subscriptions", params={"endpoint": endpoint})
    assert again.status_code == 404 and "not signed up" in again.json()["detail"]
    assert "0 devices signed up" in runner.page("/reminders").text


def test_bad_subscriptions_are_refused_clearly(client: TestClient, runner: Browser) -> None:
    runner.page("/reminders")
    plain = {**SUBSCRIPTION, "endpoint": "http://push.example.org/x"}
    answer = runner.api("POST", "/api/v1/push/subscriptions", json=plain)
    assert answer.status_code == 400 and "notification subscription" in answer.json()["detail"]
    no_keys = {"endpoint": SUBSCRIPTION["endpoint"]}
    assert runner.api("POST", "/api/v1/push/subscriptions", json=no_keys).status_code == 422
    # signed out: 401, nothing stored
    client.cookies.clear()
    assert client.post("/api/v1/push/subscriptions", json=SUBSCRIPTION).status_code == 401
