"""The main journeys in a real browser (Debian's chromium at phone width), as a runner takes
them: nothing here calls the services directly, everything goes through the pages.

1. Sign up, answer the assessment with a red flag, and see only the emergency instruction.
2. Sign up, get a programme, check in on three days, and see Today change.
3. Upload a FIT file and see its metrics.
4. Export the data, delete the account, and fail to log in.

Each journey saves screenshots of the pages it passes at phone and desktop width.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.browser.conftest import LiveServer, assert_accessible, screenshot
from tests.browser.test_smoke import sign_up_in_browser
from tests.watchfiles import fit_run
from tests.web.conftest import PASSWORD

Answers = dict[str, str | list[str]]

SAFE: Answers = {"age": "34", "signs.swelling": "none", "history.injury.mechanism": "none"}
MILD_RUNNER: list[Answers] = [
    SAFE,
    {},
    {
        "side": "right",
        "pain.location": ["around_kneecap"],
        "pain.provoked_by": ["running", "stairs_down", "squatting"],
    },
    {"pain.now": "1", "pain.at_rest": "0", "pain.worst_last_week": "3"},
    {"history.onset": "gradual", "history.symptom_weeks": "3", "history.trend": "unchanged"},
    {
        "running.currently_running": "yes",
        "running.pain_during_run": "2",
        "running.pain_settles_within_24h": "yes",
        "running.weekly_km_before_pain": "30",
        "running.longest_run_km_last_30_days": "12",
        "running.runs_per_week_before_pain": "3",
    },
    {},
]


CHOICES = """pairs => pairs.every(([name]) => document.querySelector(`[name="${name}"]`))
  && pairs.map(([name, value]) =>
    document.querySelector(`label input[name="${name}"][value="${value}"]`) !== null)"""
"""Once every field named is on the page: for each answer, whether it is a choice (a label
holding the input of that value, to click) rather than a field to type in."""


def answer_step(page: Any, answers: Answers) -> None:
    """Answer one wizard screen by clicking and typing, then press its main button and wait for
    the screen it leads to."""
    pairs = [
        (name, one)
        for name, value in answers.items()
        for one in (value if isinstance(value, list) else [value])
    ]
    # the step's own fields, before anything is asked of them: the page before may still be
    # showing while the browser (or its service worker) fetches this one
    choices = page.wait_for_function(CHOICES, arg=pairs).json_value()
    for (name, one), choice in zip(pairs, choices, strict=True):
        if choice:
            page.locator(f"label:has(input[name='{name}'][value='{one}'])").first.click()
        else:
            page.locator(f"[name='{name}']").fill(one)
    with page.expect_navigation():
        page.locator("button[name=go][value=next]").click()


def check_in(page: Any, now: str, rest: str, worst: str, morning: str, swelling: str) -> None:
    """Check in on the form: the knee's answers, the swelling, and no run (the day's exercises
    stay ticked as done, as the form offers them)."""
    page.goto("/checkin")
    for legend, value in (
        ("Pain now", now),
        ("Pain at rest, sitting still", rest),
        ("Worst pain in the last 24 hours", worst),
    ):
        page.get_by_role("group", name=legend).get_by_role("radio", name=value, exact=True).click()
    said = {
        "About the same": "As usual",
        "Better than usual": "Better",
        "Worse than usual": "Worse",
    }
    page.get_by_role("radio", name=said.get(morning, morning), exact=True).click()
    for section in ("#d-signs", "#d-run"):  # one tap away: open them
        if page.locator(section).get_attribute("open") is None:
            page.locator(f"{section} > summary").click()
    page.get_by_text(swelling, exact=True).click()
    page.get_by_role("group", name="Did you run?").get_by_role("radio", name="No").click()
    page.get_by_role("button", name="Save my check-in").click()
    page.wait_for_url("**/checkin/done**")


def today_answer(page: Any) -> tuple[str, str]:
    """Today's run answer (the badge) and the rule ids it shows."""
    page.goto("/today")
    badge = page.locator(".answer .badge").inner_text()
    rules = " ".join(page.locator(".rule-id").all_inner_texts())
    return badge, rules


def test_a_red_flag_shows_only_the_emergency_instruction(page: Any) -> None:
    sign_up_in_browser(page, "red@example.com")
    page.wait_for_url("**/start")
    assert "Step 1 of" in page.inner_text("main")
    screenshot(page, "start-step-1")
    assert_accessible(page, "start-step-1")
    answer_step(page, SAFE | {"signs.foot_numb_cold_or_pale": "yes"})
    page.wait_for_url("**/start/result")
    text = page.inner_text("body")
    assert "Go to an emergency department now" in text
    assert page.locator("nav.main-nav").count() == 0
    assert page.locator("footer").count() == 0
    for absent in ("Today", "Plan", "Runs", "Library", "The weeks ahead", "Log out"):
        assert page.get_by_role("link", name=absent, exact=True).count() == 0, absent
    screenshot(page, "red-flag")
    assert_accessible(page, "red-flag")
    # it stands: Today sends the runner back to the same instruction
    page.goto("/today")
    assert "Go to an emergency department now" in page.inner_text("body")


def test_a_programme_and_three_check_ins_change_today(page: Any, live_server: LiveServer) -> None:
    sign_up_in_browser(page, "mild@example.com")
    page.wait_for_url("**/start")
    for answers in MILD_RUNNER:
        answer_step(page, answers)
    page.wait_for_url("**/start/result")
    result = page.inner_text("main")
    assert "Modified running" in result, result[:500]
    screenshot(page, "start-result")
    assert_accessible(page, "start-result")
    page.get_by_role("link", name="Go to Today").click()
    page.wait_for_url("**/today")
    first = today_answer(page)
    screenshot(page, "today-day-1")
    assert_accessible(page, "today-day-1")

    check_in(page, "1", "0", "2", "About the same", "No swelling")
    screenshot(page, "checkin-done-day-1")
    assert_accessible(page, "checkin-done-day-1")
    live_server.clock.advance(days=1)
    second = today_answer(page)
    check_in(page, "1", "0", "2", "Better than usual", "No swelling")
    live_server.clock.advance(days=1)
    check_in(page, "5", "3", "7", "Worse than usual", "A little swollen")
    third = today_answer(page)
    screenshot(page, "today-after-a-bad-day")
    assert_accessible(page, "today-after-a-bad-day")

    assert first[0] != "No run today", first
    assert third != second, (second, third)
    assert third[0] != first[0], (first, third)
    assert third[1], "the answer names the rules behind it"

    for path, name in (("/plan", "plan"), ("/progress", "progress"), ("/checkin", "checkin")):
        page.goto(path)
        assert page.get_by_role("heading", level=1).count() == 1
        screenshot(page, name)
        assert_accessible(page, name)


def test_an_uploaded_fit_file_shows_its_metrics(page: Any, tmp_path: Path) -> None:
    sign_up_in_browser(page, "watch@example.com")
    page.wait_for_url("**/start")
    page.goto("/runs")
    screenshot(page, "runs-empty")
    assert_accessible(page, "runs-empty")
    fit = tmp_path / "morning-run.fit"
    fit.write_bytes(fit_run(datetime(2026, 11, 30, 7, 0, tzinfo=UTC), 30, strides_per_min=84))
    page.get_by_label("Watch files").set_input_files(str(fit))
    page.get_by_role("button", name="Upload").click()
    page.wait_for_url("**/runs/imports/**")
    page.get_by_text("morning-run.fit").first.wait_for(timeout=30_000)
    page.locator("a[href^='/runs/']:not([href^='/runs/imports'])").first.wait_for(timeout=30_000)
    screenshot(page, "runs-import")
    assert_accessible(page, "runs-import")
    page.goto("/runs")
    screenshot(page, "runs")
    assert_accessible(page, "runs")
    page.locator(".run-cards a[href^='/runs/']").first.click()  # a phone shows cards
    metrics = page.inner_text("main")
    assert "168" in metrics, metrics  # the step rate, both feet
    assert "30:00" in metrics and " km" in metrics, metrics  # moving time and distance
    screenshot(page, "run")
    assert_accessible(page, "run")


def test_export_then_delete_then_log_in_fails(page: Any) -> None:
    sign_up_in_browser(page, "leaving@example.com")
    page.wait_for_url("**/start")
    page.goto("/progress")
    with page.expect_download() as download:
        page.get_by_role("link", name="All your data (JSON)").click()
    exported = json.loads(Path(download.value.path()).read_text())
    assert exported["person"]["id"]
    page.goto("/account")
    page.get_by_label("Type your password to confirm").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account and data").click()
    assert "Your account is deleted" in page.inner_text("main")
    screenshot(page, "deleted")
    assert_accessible(page, "deleted")
    page.goto("/login")
    page.get_by_label("E-mail").fill("leaving@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    assert "do not match an account" in page.inner_text("main")
    page.goto("/today")
    assert "/login" in page.url


def test_the_library_and_api_docs_work_offline(page: Any) -> None:
    page.goto("/library")
    screenshot(page, "library")
    assert_accessible(page, "library")
    page.get_by_label("Search").first.fill("stairs")
    page.wait_for_url("**/library?q=stairs", timeout=10_000)
    assert page.locator("mark").count() > 0
    page.goto("/api/docs")
    page.get_by_text("/api/v1/today").first.wait_for(timeout=15_000)
    screenshot(page, "api-docs")
    # not checked with axe: Swagger UI's own markup (nested controls, its grey version stamp)
    # is a developer's page of a third party, not a page a runner reads
