"""The clinic's journey in a real browser (issue 15): an admin invites a clinician; the
clinician invites a runner, who joins and checks in with a flare; the caseload shows that
runner first with the reason; the clinician sends a message and holds the phase with a
reason; the runner sees both on Today; the runner leaves and the clinician gets 404.

The clinic is created as the command line does (``create_clinic``); everything after goes
through the pages, each at phone and desktop width (screenshots)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from runrehab.services.accounts.account import AccountTools
from runrehab.services.clinic.membership import create_clinic
from tests.browser.conftest import LiveServer, assert_accessible, screenshot
from tests.browser.test_journeys import MILD_RUNNER, answer_step, check_in
from tests.web.conftest import PASSWORD


def log_in(page: Any, email: str) -> None:
    page.context.clear_cookies()
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def invitation_link(page: Any, button: str) -> str:
    page.goto("/clinic")
    page.get_by_role("button", name=button).click()
    page.wait_for_url("**/clinic/invitations")
    href: str = page.get_by_test_id("invitation-link").get_attribute("href")
    return href


def test_a_clinic_runs_a_runner_from_invitation_to_leaving(
    page: Any, live_server: LiveServer
) -> None:
    parts = live_server.app.state.parts
    tools = AccountTools(live_server.clock, parts.passwords, parts.content.words)
    create_clinic(
        parts.db.unit_of_work(), tools, "Knee Clinic", "ada@clinic.test", PASSWORD, "Ada Admin"
    )

    # the admin invites a clinician, who joins by the link
    log_in(page, "ada@clinic.test")
    page.wait_for_url("**/clinic")
    screenshot(page, "clinic-empty-caseload")
    assert_accessible(page, "clinic-empty-caseload")
    page.get_by_label("Video-call link for virtual sessions (RunRehab hosts no video)").fill(
        "https://meet.example.org/knee-clinic"
    )
    page.get_by_role("button", name="Save the link").click()
    page.wait_for_url("**/clinic")
    staff_link = invitation_link(page, "Invite a clinician")
    page.context.clear_cookies()
    page.goto(staff_link)
    page.get_by_label("Your name (patients see it)").fill("Carl Clinician")
    page.get_by_label("E-mail").fill("carl@clinic.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Join the clinic").click()
    page.wait_for_url("**/clinic")

    # the clinician invites a runner, who signs up, gets a programme and joins
    runner_link = invitation_link(page, "Invite a runner")
    page.context.clear_cookies()
    page.goto("/signup")
    page.get_by_label("Your first name").fill("Rita")
    page.get_by_label("E-mail").fill("rita@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/start")
    for answers in MILD_RUNNER:
        answer_step(page, answers)
    page.wait_for_url("**/start/result")
    page.goto(runner_link)
    assert "What the clinic will see" in page.inner_text("main")
    screenshot(page, "clinic-join-preview")
    assert_accessible(page, "clinic-join-preview")
    page.get_by_role("button", name="Join Knee Clinic").click()
    page.wait_for_url("**/my-clinic")
    # a flare: a day with worst pain far above the line
    check_in(page, "5", "3", "7", "Worse than usual", "A little swollen")

    # the clinician sees Rita first, with the reason and its rule id
    log_in(page, "carl@clinic.test")
    page.goto("/clinic")
    first = page.locator(".patient-row").first
    assert "Rita" in first.inner_text()
    assert "attention-flare" in first.inner_text()
    screenshot(page, "clinic-caseload-flare")
    assert_accessible(page, "clinic-caseload-flare")
    first.get_by_role("link", name="Rita").click()
    page.wait_for_url("**/clinic/patients/**")
    patient_url = page.url
    page.get_by_label("Write to Rita").fill("Sorry about the flare. Rest today; we talk tomorrow.")
    page.get_by_role("button", name="Send").click()
    page.wait_for_url("**#messages")
    page.get_by_label("What to change").select_option("hold_phase")
    page.get_by_label("Your reason (the runner reads it)").fill("Hold until the swelling settles")
    page.get_by_role("button", name="Save the change").click()
    page.wait_for_url("**#overrides")
    assert "Hold until the swelling settles" in page.inner_text("#overrides")
    page.locator("#s-date").fill("2026-12-03")
    page.get_by_label("Time (your time zone)").fill("18:30")
    page.get_by_role("button", name="Propose the session").click()
    page.wait_for_url("**#sessions")
    page.get_by_label("Subjective").fill("Swelling after the flare; stairs sore")
    page.get_by_label("Plan").fill("Hold phase 2; review on Thursday")
    page.get_by_role("button", name="Save the note").click()
    page.wait_for_url("**#notes")
    assert "review on Thursday" in page.inner_text("#notes")
    screenshot(page, "clinic-patient")
    assert_accessible(page, "clinic-patient")

    # the runner sees both on Today
    log_in(page, "rita@example.com")
    page.goto("/today")
    panel = page.locator(".clinic-panel").inner_text()
    assert "Hold until the swelling settles" in panel
    assert "Sorry about the flare" in panel
    screenshot(page, "today-from-the-physio")
    assert_accessible(page, "today-from-the-physio")

    # the admin exports every patient's record for the clinic's system; the page follows the
    # job until its file is there
    log_in(page, "ada@clinic.test")
    page.goto("/clinic/exports")
    page.get_by_role("button", name="Start an export").click()
    link = page.get_by_role("link", name="Download the records (1 patient)")
    link.wait_for(timeout=20_000)
    screenshot(page, "clinic-exports")
    assert_accessible(page, "clinic-exports")
    with page.expect_download() as download:
        link.click()
    lines = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["resourceType"] == "Bundle"

    # who looked, then leaving ends the clinic's access at once
    log_in(page, "rita@example.com")
    page.goto("/my-clinic")
    assert "Carl Clinician" in page.inner_text("main")
    assert "for the clinic's record system (FHIR)" in page.inner_text("main")
    assert "review on Thursday" not in page.inner_text("main")  # the clinic's note stays private
    page.get_by_role("button", name="Accept").click()
    page.wait_for_url("**/my-clinic#sessions")
    assert "Join the call" in page.inner_text("#sessions")
    screenshot(page, "my-clinic")
    assert_accessible(page, "my-clinic")
    page.get_by_role("button", name="Leave Knee Clinic").click()
    page.wait_for_url("**/my-clinic")
    log_in(page, "carl@clinic.test")
    answer = page.goto(patient_url)
    assert answer is not None and answer.status == 404
