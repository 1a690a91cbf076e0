"""The front door in a real browser: landing, sign up, the account page, log out and in."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import LiveServer, assert_accessible, screenshot
from tests.web.conftest import PASSWORD


def sign_up_in_browser(page: Any, email: str = "sam@example.com") -> None:
    page.goto("/signup")
    page.get_by_label("Your first name").fill("Sam")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()


def test_landing_sign_up_log_out_and_in(page: Any, live_server: LiveServer) -> None:
    page.goto("/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Get back to running")
    screenshot(page, "landing")
    assert_accessible(page, "landing")
    page.goto("/signup")
    screenshot(page, "signup")
    assert_accessible(page, "signup")
    sign_up_in_browser(page)
    page.goto("/account")
    assert "sam@example.com" in page.inner_text("main")
    screenshot(page, "account")
    assert_accessible(page, "account")
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/login")
    screenshot(page, "login")
    assert_accessible(page, "login")
    page.get_by_label("E-mail").fill("sam@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto("/account")
    assert "sam@example.com" in page.inner_text("main")
