"""The 30-second check-in, measured at phone width (390×844): a normal day's check-in fits on
one phone screen and takes a handful of taps from opening /checkin to the saved answer; a run
day asks one more thing and still fits one screen of scrolling; a refused submit shows its
messages on the page, beside their fields; every page passes axe-core."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import PHONE, SHOTS, LiveServer, assert_accessible, screenshot
from tests.browser.test_journeys import MILD_RUNNER, answer_step
from tests.browser.test_smoke import sign_up_in_browser

SCREEN = PHONE["height"]


class Taps:
    """Counts the runner's taps (clicks and key presses) from opening the form."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.count = 0

    def scale(self, legend: str, value: str) -> None:
        group = self.page.get_by_role("group", name=legend)
        group.get_by_role("radio", name=value, exact=True).click()
        self.count += 1

    def choose(self, text: str) -> None:
        self.page.get_by_role("radio", name=text, exact=True).click()
        self.count += 1

    def save(self) -> None:
        self.page.get_by_role("button", name="Save my check-in").click()
        self.count += 1


def measured(line: str) -> None:
    """Keeps a figure beside the screenshots (``checkin-measured.txt``), for the record."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    with (SHOTS / "checkin-measured.txt").open("a", encoding="utf-8") as out:
        out.write(line + "\n")


def save_bottom(page: Any) -> float:
    """Where the Save button ends, from the top of the page (not of the screen)."""
    bottom: float = page.evaluate(
        "() => { const b = document.querySelector('button.save').getBoundingClientRect();"
        " return b.bottom + window.scrollY; }"
    )
    return bottom


def tabs_to_save(page: Any) -> int:
    """Tab presses from the top of the page to the Save button."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); }")
    for n in range(1, 80):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('button.save')"):
            return n
    raise AssertionError("Tab never reaches the Save button")


def knee(taps: Taps, now: str, rest: str, worst: str, morning: str) -> None:
    taps.scale("Pain now", now)
    taps.scale("Pain at rest, sitting still", rest)
    taps.scale("Worst pain in the last 24 hours", worst)
    taps.choose(morning)


def start_programme(page: Any) -> None:
    sign_up_in_browser(page, "quick@example.com")
    page.wait_for_url("**/start")
    for answers in MILD_RUNNER:
        answer_step(page, answers)
    page.wait_for_url("**/start/result")


def test_a_normal_day_is_one_screen_and_a_few_taps(page: Any, live_server: LiveServer) -> None:
    start_programme(page)

    # --- a run day: the planned run is offered as run, its details open ------------------
    page.goto("/checkin")
    run = page.locator("#d-run")
    assert run.get_attribute("open") is not None, "a planned run opens its section"
    assert page.locator("input[name=ran][value=yes]").is_checked()
    assert page.locator("#run_minutes").input_value() not in ("", "0")
    exercises = page.locator("input[name=exercise]")
    assert exercises.count() > 0
    assert all(exercises.nth(i).is_checked() for i in range(exercises.count()))
    for i in range(exercises.count()):  # each at the day's dose
        assert page.locator("input[name^=sets_]").nth(i).input_value() not in ("", "0")
    run_day_bottom = save_bottom(page)
    measured(
        f"run day: Save ends at {run_day_bottom:.0f} px ({run_day_bottom / SCREEN:.2f} screens)"
    )
    screenshot(page, "checkin-run-day")
    assert run_day_bottom <= 2 * SCREEN, "a run day: one screen of scrolling at most"
    assert_accessible(page, "checkin-run-day")

    # a refused submit: the messages on the page, beside their fields, announced
    page.get_by_role("button", name="Save my check-in").click()
    page.wait_for_load_state()
    alert = page.get_by_role("alert")
    assert "Nothing was saved yet." in alert.inner_text()
    beside = page.locator("#f-pain_now .field-error")
    assert "Choose how much it hurts now" in beside.inner_text()
    first = page.locator("#f-pain_now input").first
    assert first.get_attribute("aria-invalid") == "true"
    assert "pain_now-error" in (first.get_attribute("aria-describedby") or "")
    assert page.locator("#f-run_pain .field-error").is_visible()  # its section opened
    assert page.evaluate("() => document.activeElement.id") == "checkin-errors"
    screenshot(page, "checkin-refused")
    assert_accessible(page, "checkin-refused")

    page.goto("/checkin")
    taps = Taps(page)
    knee(taps, "1", "0", "2", "As usual")
    taps.scale("If you ran: the most it hurt during the run", "1")
    taps.save()
    page.wait_for_url("**/checkin/done**")
    assert "Check-in saved" in page.inner_text("main")
    measured(f"run day: {taps.count} taps from /checkin to the saved answer")
    assert taps.count <= 8

    # --- a normal day: no run planned, exercises done as planned ------------------------
    for _ in range(7):
        live_server.clock.advance(days=1)
        page.goto("/checkin")
        if page.locator("#d-run").get_attribute("open") is None:
            break
    else:
        raise AssertionError("no day without a run in the first week")
    assert page.locator("input[name=ran][value=no]").is_checked()
    bottom = save_bottom(page)
    screenshot(page, "checkin-normal-day")
    tabs = tabs_to_save(page)
    measured(
        f"normal day: Save ends at {bottom:.0f} px ({bottom / SCREEN:.2f} screens), {tabs} Tabs"
    )
    assert bottom <= SCREEN, "a normal day's check-in fits one phone screen"
    assert_accessible(page, "checkin-normal-day")

    taps = Taps(page)
    knee(taps, "1", "0", "1", "Better")
    taps.save()
    page.wait_for_url("**/checkin/done**")
    measured(f"normal day: {taps.count} taps from /checkin to the saved answer")
    assert taps.count <= 8
    assert "Check-in saved" in page.inner_text("main")
    screenshot(page, "checkin-done")
    assert_accessible(page, "checkin-done")

    # every section, opened: the day's stored check-in to correct
    page.goto(page.url.replace("/checkin/done", "/checkin"))
    for section in ("#d-exercises", "#d-run", "#d-signs", "#d-more"):
        if page.locator(section).get_attribute("open") is None:
            page.locator(f"{section} > summary").click()
    screenshot(page, "checkin-all-open")
    assert_accessible(page, "checkin-all-open")

    # the exercises were stored as done, at their dose
    stored = page.request.get(f"/api/v1/checkins?date={page.url.split('date=')[1]}").json()
    logged = stored["checkins"][0]["checkin"].get("exercises", [])
    assert logged and all(e["sets"] > 0 for e in logged)


def test_the_check_in_works_without_javascript(
    chromium: Any, live_server: LiveServer, page: Any
) -> None:
    start_programme(page)
    state = page.context.storage_state()
    context = chromium.new_context(
        viewport=PHONE, base_url=live_server.url, java_script_enabled=False, storage_state=state
    )
    try:
        plain = context.new_page()
        plain.goto("/checkin")
        plain.get_by_role("button", name="Save my check-in").click()
        plain.wait_for_load_state()
        assert "Choose how much it hurts now" in plain.locator("#f-pain_now").inner_text()
        taps = Taps(plain)
        knee(taps, "1", "0", "2", "As usual")
        assert plain.locator("#d-run").get_attribute("open") is not None  # the run planned
        plain.get_by_role("group", name="Did you run?").get_by_role("radio", name="No").click()
        taps.save()
        plain.wait_for_url("**/checkin/done**")
        assert "Check-in saved" in plain.inner_text("main")
    finally:
        context.close()
