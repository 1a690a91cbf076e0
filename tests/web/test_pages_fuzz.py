"""Every page, fed junk: each HTML route (those left out of the OpenAPI document) gets random
form fields and query strings from Hypothesis, with a valid CSRF token, and must answer
without a 500. Path parameters are filled with random text too (another person's id, or none).

Bounded and repeatable, as the API's fuzz (``test_api_fuzz``): ``RUNREHAB_FUZZ_EXAMPLES``
examples per route (default 10), derandomised; set it higher for a longer hunt.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from runrehab.adapters.passwords import fast_passwords
from runrehab.web.app import create_app
from runrehab.web.config import WebConfig
from tests.fakes import FixedClock
from tests.web.conftest import PASSWORD, Browser, api_routes

EXAMPLES = int(os.environ.get("RUNREHAB_FUZZ_EXAMPLES", "10"))
_FOLDER = tempfile.TemporaryDirectory(prefix="runrehab-pages-")
_CLOCK = FixedClock()
APP = create_app(
    WebConfig(
        database=str(Path(_FOLDER.name) / "pages.db"), clock=_CLOCK, passwords=fast_passwords()
    )
)
SKIP = {"/logout", "/account/delete", "/account/password"}
"""Routes that end the fuzzing session itself (each has its own tests)."""


def _page_routes() -> list[tuple[str, str]]:
    return [
        (method, route.path)
        for route in api_routes(APP.routes)
        if not route.include_in_schema and route.path not in SKIP
        for method in sorted((route.methods or set()) - {"HEAD"})
    ]


@pytest.fixture(scope="module")
def browser() -> Browser:
    from runrehab.adapters.documents import read_assessment
    from runrehab.services.journal.programme import start_programme
    from tests.conftest import typical_doc

    client = TestClient(APP, base_url="http://127.0.0.1")
    client.__enter__()
    browser = Browser(client, "pages@example.com")
    browser.page("/signup")
    browser.submit("/signup", {"email": browser.email, "password": PASSWORD})
    browser.page("/account")
    person = client.get("/api/v1/account").json()["person"]
    parts = APP.state.parts
    document = typical_doc()
    start_programme(
        parts.db.unit_of_work(),
        _CLOCK,
        parts.content,
        document,
        read_assessment(document),
        _CLOCK.now().date(),
        person,
    )
    return browser


text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)
fields = st.dictionaries(
    st.sampled_from(
        [
            "date",
            "pain_now",
            "pain_rest",
            "pain_worst",
            "email",
            "password",
            "q",
            "timezone",
            "step",
            "answers",
            "swelling",
            "week",
            "days",
            "exercise",
            "minutes",
            "next",
            "value",
        ]
    )
    | text,
    text | st.integers(-5, 1000).map(str),
    max_size=8,
)


@pytest.mark.parametrize(("method", "path"), _page_routes())
@settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
)
@given(form=fields, query=fields, filler=text)
def test_no_page_answers_500(
    browser: Browser,
    method: str,
    path: str,
    form: dict[str, str],
    query: dict[str, str],
    filler: str,
) -> None:
    piece = quote(filler, safe="") or "x"
    url = re.sub(r"\{[^}]+\}", lambda _: piece, path)
    if method == "GET":
        response = browser.client.get(url, params=query, follow_redirects=False)
    else:
        data: dict[str, Any] = {**form, "csrf_token": browser.csrf}
        response = browser.client.request(
            method, url, data=data, params=query, follow_redirects=False
        )
    assert response.status_code < 500, (
        f"{method} {url}: {response.status_code} {response.text[:300]}"
    )
