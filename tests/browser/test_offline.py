"""The app offline, in a real browser (Debian's chromium at phone width): a runner with a
programme opens Today and an exercise online; with the network off, both open again from the
service worker's copies, a check-in saved offline is kept and the page says so; back online it
is sent, and recorded exactly once."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import LiveServer, assert_accessible, screenshot
from tests.browser.test_journeys import MILD_RUNNER, answer_step
from tests.browser.test_smoke import sign_up_in_browser

KEPT = "You are offline: your check-in will be sent when you are back online."
SENT = "Back online: your check-in has been sent."


def with_a_programme(page: Any) -> None:
    sign_up_in_browser(page, "offline@example.com")
    page.wait_for_url("**/start")
    for answers in MILD_RUNNER:
        answer_step(page, answers)
    page.wait_for_url("**/start/result")


def controlled(page: Any) -> None:
    """The service worker is installed, controls the page and has kept what the page asked."""
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=15_000)
    page.wait_for_selector("html[data-offline-ready='yes']", state="attached", timeout=15_000)


def fill_a_check_in(page: Any) -> None:
    """The three pain numbers (by the form's field names, whatever their wording), the
    exercises' pain as pre-filled, and no run today."""
    for name, value in (("pain_now", "1"), ("pain_at_rest", "0"), ("pain_worst", "3")):
        page.locator(f"label:has(input[name='{name}'][value='{value}'])").first.click()
    page.evaluate(
        """() => {
          for (const [name, value] of [["ran", "no"], ["exercise_pain", "1"]]) {
            const input = document.querySelector(`input[name='${name}'][value='${value}']`);
            if (!input) continue;
            input.checked = true;
            input.dispatchEvent(new Event("change", {bubbles: true}));
          }
        }"""
    )
    page.locator("form.checkin button[type=submit]").last.click()


def checkins(page: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = page.evaluate(
        "() => fetch('/api/v1/checkins').then(r => r.json()).then(b => b.checkins)"
    )
    return found


def test_today_exercises_and_a_check_in_work_offline(page: Any, live_server: LiveServer) -> None:
    with_a_programme(page)
    page.goto("/today")
    controlled(page)
    page.reload()  # now through the service worker
    today_online = page.get_by_role("heading", level=1).inner_text()
    links = "main a[href^='/library/exercises/']"
    if not page.locator(links).count():  # Today shows its exercises; the library links them
        page.goto("/library")
    exercise = page.locator(links).first.get_attribute("href")
    assert exercise, "an exercise page"
    page.goto(exercise)
    controlled(page)
    exercise_online = page.get_by_role("heading", level=1).inner_text()
    assert checkins(page) == []

    context = page.context
    context.set_offline(True)
    try:
        page.goto("/today")
        assert page.get_by_role("heading", level=1).inner_text() == today_online
        notice = page.locator("#offline-notice")
        notice.wait_for(state="visible")
        assert "You are offline" in notice.inner_text()
        assert page.evaluate("getComputedStyle(document.body).fontFamily") != "", "styled"
        page.goto(exercise)
        assert page.get_by_role("heading", level=1).inner_text() == exercise_online
        page.goto("/plan?never-opened")  # a page never kept: the offline page
        assert page.get_by_role("heading", level=1).inner_text() == "You are offline"
        screenshot(page, "offline-page")
        assert_accessible(page, "offline-page")

        page.goto("/checkin")
        fill_a_check_in(page)
        page.wait_for_url("**/today?offline=kept")
        notice = page.locator("#offline-notice")
        notice.wait_for(state="visible")
        assert notice.inner_text() == KEPT
        assert notice.get_attribute("role") == "status"
        screenshot(page, "offline-check-in-kept")
        assert_accessible(page, "offline-check-in-kept")
    finally:
        context.set_offline(False)

    page.locator("#offline-notice", has_text=SENT).wait_for(timeout=15_000)
    answer = page.locator("#offline-notice a")
    assert answer.get_attribute("href").endswith("/checkin/done?date=2026-12-01")
    screenshot(page, "offline-check-in-sent")
    assert_accessible(page, "offline-check-in-sent")
    found = checkins(page)
    assert len(found) == 1, found
    assert found[0]["revision"] == 1 and found[0]["checkin"]["pain"]["worst_24h"] == 3
    # the queue is empty: a reload sends nothing again (the page sends only what the service
    # worker still keeps, and it answers its messages in turn: none kept for the page either)
    page.reload()
    assert page.evaluate("() => window.RunRehab.offline.ask({count: true})") == 0
    assert checkins(page)[0]["revision"] == 1
