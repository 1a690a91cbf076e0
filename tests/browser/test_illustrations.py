"""The exercise pictures in a real browser: the library's exercise page and Today's cards load
every picture (lazily, so the test scrolls to each one), with its alt text, in light and dark
colours, and the pages stay accessible. Screenshots: ``exercise-picture``,
``exercise-picture-dark`` and ``today-pictures``."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import assert_accessible, screenshot
from tests.browser.test_journeys import MILD_RUNNER, answer_step
from tests.browser.test_smoke import sign_up_in_browser

PICTURES = "img[src^='/static/illustrations/']"


def load_every_picture(page: Any) -> int:
    """Scroll each lazy picture into view, wait until it has loaded, and count them."""
    pictures = page.locator(PICTURES)
    for i in range(pictures.count()):
        pictures.nth(i).scroll_into_view_if_needed()
    page.wait_for_function(
        f"""[...document.querySelectorAll("{PICTURES}")]
            .every(img => img.complete && img.naturalWidth > 0)""",
        timeout=10_000,
    )
    page.evaluate("window.scrollTo(0, 0)")
    count: int = pictures.count()
    return count


def test_the_exercise_page_shows_its_picture_in_light_and_dark(page: Any) -> None:
    page.goto("/library/exercises/wall-sit")
    assert load_every_picture(page) == 1
    picture = page.locator(PICTURES)
    alt = picture.get_attribute("alt")
    assert alt and alt.startswith("Start: Standing with the back flat against a wall")
    assert page.get_by_role("img", name=alt).count() == 1
    screenshot(page, "exercise-picture")
    assert_accessible(page, "exercise-picture")
    page.emulate_media(color_scheme="dark")
    screenshot(page, "exercise-picture-dark")


def test_todays_exercise_cards_show_their_pictures(page: Any) -> None:
    sign_up_in_browser(page, "pictures@example.com")
    page.wait_for_url("**/start")
    for answers in MILD_RUNNER:
        answer_step(page, answers)
    page.wait_for_url("**/start/result")
    page.goto("/today")
    assert load_every_picture(page) >= 4
    for name in ("Clamshell", "Glute bridge"):
        card = page.locator("article.exercise", has=page.get_by_role("heading", name=name))
        assert card.locator(PICTURES).first.get_attribute("alt"), name
    screenshot(page, "today-pictures")
    assert_accessible(page, "today-pictures")
