"""The reminders page in a phone-sized Chromium: choosing a check-in reminder, making the
calendar feed's address, notifications offered where the browser has Web Push; axe-core clean."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import LiveServer, assert_accessible, screenshot
from tests.browser.test_smoke import sign_up_in_browser


def test_reminders_are_chosen_and_the_feed_address_is_shown(
    page: Any, live_server: LiveServer
) -> None:
    sign_up_in_browser(page)
    page.goto("/account")
    page.get_by_role("link", name="Reminders and your calendar app").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Reminders"
    # Chromium has Web Push: the button is offered (once the page's script has asked)
    page.get_by_role("button", name="Turn on notifications here").wait_for(state="visible")
    assert not page.get_by_role("button", name="Turn off notifications here").is_visible()
    screenshot(page, "reminders")
    assert_accessible(page, "reminders")

    page.get_by_label("Daily check-in reminder").fill("20:00")
    page.get_by_label("By e-mail to sam@example.com").check()
    page.get_by_role("button", name="Save reminders").click()
    assert "Your reminders are saved." in page.inner_text("main")
    assert page.get_by_label("Daily check-in reminder").input_value() == "20:00"

    # no way chosen: the message is on the page, beside the choices
    page.get_by_label("By e-mail to sam@example.com").uncheck()
    page.get_by_role("button", name="Save reminders").click()
    assert "Choose how to be reminded" in page.inner_text("main")
    assert_accessible(page, "reminders-refused")

    page.get_by_role("button", name="Make my calendar address").click()
    address = page.get_by_label("Your private calendar address").input_value()
    assert address.startswith(live_server.url + "/feed/") and address.endswith(".ics")
    screenshot(page, "reminders-feed")
    assert_accessible(page, "reminders-feed")
    answer = page.request.get(address)
    assert answer.status == 200 and b"BEGIN:VCALENDAR" in answer.body()
