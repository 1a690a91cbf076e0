"""Light pages: each main page with the stylesheets and scripts it links weighs under 100 KB
(uncompressed, as a phone on a poor connection would count it before gzip), and nothing it
links lives on another host."""

from __future__ import annotations

import re

import pytest

from tests.web.conftest import ProgrammeRunner

BUDGET = 100 * 1024
PAGES = (
    "/today",
    "/checkin",
    "/plan",
    "/progress",
    "/runs",
    "/library",
    "/account",
    "/start",
    "/questionnaires/kujala",
    "/movement",
)
_ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src)="([^"]+)"')


@pytest.mark.parametrize("path", PAGES)
def test_main_pages_stay_under_100_kb(runner_with_programme: ProgrammeRunner, path: str) -> None:
    client = runner_with_programme.client
    page = client.get(path)
    assert page.status_code == 200, f"{path}: {page.status_code}"
    total = len(page.content)
    for asset in set(_ASSET.findall(page.text)):
        assert asset.startswith("/"), f"{path} links {asset} on another host"
        answer = client.get(asset)
        assert answer.status_code == 200, asset
        total += len(answer.content)
    assert total < BUDGET, f"{path} weighs {total / 1024:.0f} KB with its assets"
