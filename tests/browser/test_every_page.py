"""Every main page as a runner sees it (issue 16, item 6): at phone and desktop width, in the
light and the dark colour scheme, with axe-core, and at 320 px without sideways scrolling.

One journey: sign up, get a programme, check in once, then visit each main page. For each page
it saves screenshots (phone and desktop, light and dark) and measures its size: the words on it
(``document.body.innerText``) and its length in phone screens (``scrollHeight / 844``). The
table is printed and written to ``build/page-sizes.txt``, so a change that makes a page longer
shows in review.

The red-flag screens (the assessment's emergency answer, a stopped programme's Today) are
checked the same way in a second journey: the tap-to-call link and the log-out are there.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    SHOOTING,
    SHOTS,
    LiveServer,
    assert_accessible,
)
from tests.browser.test_journeys import MILD_RUNNER, SAFE, answer_step
from tests.browser.test_smoke import sign_up_in_browser
from tests.conftest import ROOT
from tests.watchfiles import fit_run

SIZES = ROOT / "build" / "page-sizes.txt"
NARROW = {"width": 320, "height": 640}

PAGES = (
    ("today", "/today"),
    ("checkin", "/checkin"),
    ("plan", "/plan"),
    ("progress", "/progress"),
    ("runs", "/runs"),
    ("run", None),  # the run uploaded
    ("library", "/library"),
    ("exercise", None),  # the first exercise the library lists
    ("account", "/account"),
    ("my-clinic", "/my-clinic"),
    ("kujala", "/questionnaires/kujala"),
)

WIDTHS = (("phone", PHONE), ("desktop", DESKTOP), ("narrow", NARROW))
LINKED = {"run": ("/runs", "/runs/"), "exercise": ("/library", "/library/exercises/")}
"""The pages reached by the first link of their kind (its path's start) on the page they are
listed on."""
WORDS = "document.body.innerText.split(/\\s+/).filter(Boolean).length"
SCREENS = f"document.documentElement.scrollHeight / {PHONE['height']}"
WIDTH = "document.documentElement.scrollWidth"
WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))"""


def check_in_once(page: Any) -> None:
    """A check-in with the first answer of every question it requires (0 for a pain) and no
    run: this test is about the pages, not the check-in form, which has its own tests."""
    page.goto("/checkin")
    form = page.locator("main form[method=post]").filter(has=page.locator("input[type=radio]"))
    form.first.evaluate(
        """f => { [...new Set([...f.querySelectorAll('input[type=radio][required]')]
            .map(i => i.name))]
            .forEach(n => { f.querySelector(`input[name="${n}"]`).checked = true; });
            const rest = f.querySelector('input[name="ran"][value="no"]');
            if (rest) rest.checked = true; }"""
    )
    with page.expect_navigation():
        form.first.evaluate("f => f.requestSubmit()")
    problems = page.locator(".field-error, .alert, [role=alert]").all_inner_texts()
    assert "/checkin/done" in page.url, problems


def check_page(page: Any, name: str) -> tuple[int, float]:
    """The page at every width and in both schemes: accessible, nothing sideways at 320 px;
    its words and phone screens (light, phone width)."""
    if page.viewport_size != PHONE:
        page.set_viewport_size(PHONE)
    title = page.title()
    assert "<" not in title and title.endswith("RunRehab"), title
    words: int = page.evaluate(WORDS)
    screens: float = page.evaluate(SCREENS)
    SHOTS.mkdir(parents=True, exist_ok=True)
    # every width in both schemes; the dark pass goes through the widths backwards, so that the
    # page is laid out at a new width four times, not six (each check as before, at one layout)
    for scheme, widths in (("light", WIDTHS), ("dark", WIDTHS[::-1])):
        page.emulate_media(color_scheme=scheme)
        label = name if scheme == "light" else f"{name}-dark"
        for width, viewport in widths:
            if page.viewport_size != viewport:
                page.set_viewport_size(viewport)
            if viewport == NARROW:
                wide = page.evaluate(WIDTH)
                assert wide <= NARROW["width"], (
                    f"{label}: {wide} px wide at 320 px: {page.evaluate(WIDEST)}"
                )
                continue
            # the screenshot and axe at one layout
            if SHOOTING:
                page.screenshot(path=str(SHOTS / f"every-{label}-{width}.png"), full_page=True)
            assert_accessible(page, f"{label} at {viewport['width']} px")
    page.emulate_media(color_scheme="light")
    return words, screens  # at phone width, where the dark pass ends


def test_every_main_page_fits_a_phone_and_passes_axe_light_and_dark(
    page: Any, live_server: LiveServer, tmp_path: Path
) -> None:
    sign_up_in_browser(page, "every@example.com")
    page.wait_for_url("**/start")
    for answers in MILD_RUNNER:
        answer_step(page, answers)
    page.wait_for_url("**/start/result")
    check_in_once(page)
    fit = tmp_path / "morning-run.fit"
    fit.write_bytes(fit_run(datetime(2026, 11, 30, 7, 0, tzinfo=UTC), 30, strides_per_min=84))
    page.goto("/runs")
    page.get_by_label("Watch files").set_input_files(str(fit))
    page.get_by_role("button", name="Upload").click()
    page.wait_for_url("**/runs/imports/**")
    page.locator("a[href^='/runs/']:not([href^='/runs/imports'])").first.wait_for(timeout=30_000)

    sizes: list[tuple[str, str, int, float]] = []
    links: dict[str, str | None] = {}  # the run and the first exercise, from their list's page
    for name, path in PAGES:
        if path is None:
            path = links[name]
            assert path, f"a link to {LINKED[name][1]}"
        page.goto(path)
        for linked, (listed_on, found) in LINKED.items():
            if path == listed_on:
                link = page.locator(f"a[href^='{found}']:not([href*='/imports']):visible")
                links[linked] = link.first.get_attribute("href")
        assert page.get_by_role("heading", level=1).count() == 1, name
        words, screens = check_page(page, name)
        sizes.append((name, path, words, screens))

    # on a desktop the runs are a table, every column in view
    page.goto("/runs")
    page.set_viewport_size(DESKTOP)
    table = page.locator(".runs-table")
    assert table.is_visible() and not page.locator(".run-cards").is_visible()
    assert table.evaluate("t => t.scrollWidth <= t.clientWidth"), "the runs table scrolls sideways"
    page.set_viewport_size(PHONE)
    assert page.locator(".run-cards").is_visible() and not table.is_visible()

    # the physio report: "Preparing your report…" at once, then the PDF as a download
    page.goto("/progress")
    with page.expect_download(timeout=60_000) as got:
        page.get_by_role("link", name="Report for your physio (PDF)").click()
        page.get_by_text("Preparing your report…").wait_for(timeout=5_000)
    assert got.value.suggested_filename.endswith(".pdf"), got.value.suggested_filename
    page.get_by_text("Your report is ready").wait_for()

    # the navigation: six places, every label whole and on screen at 320 px
    page.goto("/today")
    page.set_viewport_size(NARROW)
    for link in page.locator("nav.main-nav a").all():
        box = link.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= NARROW["width"], box
        assert link.evaluate("a => a.scrollWidth <= a.clientWidth"), link.inner_text()
    page.set_viewport_size(PHONE)

    lines = [f"{'page':<10} {'path':<42} {'words':>6} {'phone screens':>14}"]
    lines += [f"{n:<10} {p:<42} {w:>6} {s:>14.1f}" for n, p, w, s in sizes]
    table = "\n".join(lines) + "\n"
    print("\n" + table)  # noqa: T201 (the table is for the person running the test)
    SIZES.parent.mkdir(parents=True, exist_ok=True)
    SIZES.write_text(table, encoding="utf-8")
    assert SHOTS.is_dir()


def test_the_red_flag_screen_offers_a_call_and_a_log_out(page: Any) -> None:
    sign_up_in_browser(page, "flag@example.com")
    page.wait_for_url("**/start")
    answer_step(page, SAFE | {"signs.foot_numb_cold_or_pale": "yes"})
    page.wait_for_url("**/start/result")
    call = page.locator("a.call")
    assert call.get_attribute("href") == "tel:112"
    assert "your local emergency number elsewhere" in page.inner_text("main")
    assert page.locator("nav.main-nav").count() == 0
    check_page(page, "red-flag")

    # a stopped programme's Today says the same, with the same number to call
    page.goto("/today")
    assert page.locator("a.call").get_attribute("href") == "tel:112"
    check_page(page, "stopped-today")

    # the shared phone: log out from the red-flag screen itself
    page.goto("/start/result")
    page.get_by_role("button", name="Log out").click()
    page.goto("/today")
    assert "/login" in page.url
