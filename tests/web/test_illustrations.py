"""The exercise pictures on the pages: the library's exercise page and Today's exercise cards
show each exercise's start and end position as an <img> with its alt text from the content,
its size set and lazy loading; the file itself is served as a long-cached SVG."""

from __future__ import annotations

import re
from html import escape

from fastapi.testclient import TestClient

from runrehab.content.loader import Catalogue
from tests.web.conftest import ProgrammeRunner

_IMG = re.compile(r'<img src="(/static/illustrations/([a-z0-9-]+)\.svg\?v=\w+)"([^>]*)>')


def _alt(catalogue: Catalogue, exercise_id: str) -> str:
    pictured = catalogue.exercises[exercise_id].illustration
    assert pictured is not None
    return escape(f"Start: {pictured.start} End: {pictured.end}")


def _images(html: str) -> dict[str, tuple[str, str]]:
    return {m.group(2): (m.group(1), m.group(3)) for m in _IMG.finditer(html)}


def test_the_exercise_page_shows_the_start_and_end_picture(
    client: TestClient, catalogue: Catalogue
) -> None:
    html = client.get("/library/exercises/wall-sit").text
    images = _images(html)
    assert list(images) == ["wall-sit"]
    src, attributes = images["wall-sit"]
    assert f'alt="{_alt(catalogue, "wall-sit")}"' in attributes
    assert 'width="336" height="151"' in attributes and 'loading="lazy"' in attributes
    served = client.get(src)
    assert served.status_code == 200
    assert served.headers["content-type"].startswith("image/svg+xml")
    assert b"<title>Wall sit: start and end position</title>" in served.content


def test_every_exercise_page_has_its_picture(client: TestClient, catalogue: Catalogue) -> None:
    for exercise_id in catalogue.exercises:
        html = client.get(f"/library/exercises/{exercise_id}").text
        assert exercise_id in _images(html), exercise_id
        assert f'alt="{_alt(catalogue, exercise_id)}"' in html, exercise_id


def test_todays_exercise_cards_show_their_pictures(
    runner_with_programme: ProgrammeRunner, catalogue: Catalogue
) -> None:
    html = runner_with_programme.page("/today").text
    images = _images(html)
    for exercise_id in ("quad-set", "straight-leg-raise", "clamshell", "glute-bridge"):
        assert exercise_id in images, exercise_id
        _, attributes = images[exercise_id]
        assert f'alt="{_alt(catalogue, exercise_id)}"' in attributes
        assert 'loading="lazy"' in attributes and 'width="336"' in attributes
    assert all(
        runner_with_programme.client.get(src).status_code == 200 for src, _ in images.values()
    )
