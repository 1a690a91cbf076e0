"""Web fixtures: the app on a fresh database (SQLite, and PostgreSQL when configured), a
settable clock, fast password hashing, and signed-in browsers (``TestClient``s with cookies).

``runner`` is a signed-in client with no programme yet; ``runner_with_programme`` has started
the typical runner's programme on the clock's day (2026-12-01, Europe/London).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from runrehab.adapters.passwords import fast_passwords
from runrehab.web.app import create_app
from runrehab.web.config import WebConfig
from tests.fakes import FixedClock

PASSWORD = "knee-rehab-2026"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Browser:
    """A TestClient that remembers its CSRF token, like a browser holding a page."""

    client: TestClient
    email: str = ""
    csrf: str = ""

    def page(self, path: str, **kwargs: Any) -> Any:
        response = self.client.get(path, **kwargs)
        found = _CSRF.search(response.text)
        if found:
            self.csrf = found.group(1)
        return response

    def submit(self, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        """POST a form with the CSRF token, as the page's form would."""
        if not self.csrf:
            self.page("/login")
        fields = {"csrf_token": self.csrf, **(data or {})}
        return self.client.post(path, data=fields, follow_redirects=False, **kwargs)

    def api(self, method: str, path: str, **kwargs: Any) -> Any:
        """An API call with the session cookie and its CSRF header."""
        headers = {"X-CSRF-Token": self.csrf, **kwargs.pop("headers", {})}
        return self.client.request(method, path, headers=headers, **kwargs)


def api_routes(routes: list[Any]) -> list[APIRoute]:
    """Every APIRoute of an app, also those inside included routers (none has a prefix)."""
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):
            found.extend(api_routes(route.original_router.routes))
    return found


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


DATABASE_MATTERS = frozenset(
    {
        # web tests whose outcome depends on the database: writes, uniqueness, erasure,
        # imports, counting across requests, the same views from both. The other page tests
        # run on SQLite only; the repository, the journal and the jobs have their own
        # SQLite-and-PostgreSQL tests (tests/integration, tests/e2e).
        "test_accounts",
        "test_api_contract",
        "test_checkin",
        "test_runs",
        "test_throttle",
        "test_views_agree_web",
        "test_reminders",
        "test_movement",
        "test_clinic_api",
        "test_notes",
        "test_sessions",
        "test_movement_clinician",
    }
)


def databases_for(metafunc: pytest.Metafunc) -> None:
    """Run a test that uses ``database`` on SQLite, and on PostgreSQL too where the database
    matters (``DATABASE_MATTERS``): called by the web's and the clinic's conftest."""
    if "database" in metafunc.fixturenames:
        module = metafunc.module.__name__.rsplit(".", 1)[-1]
        kinds = ["sqlite", "postgres"] if module in DATABASE_MATTERS else ["sqlite"]
        metafunc.parametrize("database", kinds, indirect=True)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    databases_for(metafunc)


@pytest.fixture
def database(request: pytest.FixtureRequest) -> str:
    """A fresh journal at the latest revision: a copy of a migrated SQLite file, or an emptied
    PostgreSQL schema migrated once per test process."""
    kind = getattr(request, "param", "sqlite")
    url: str = request.getfixturevalue(f"migrated_{kind}_url")
    return url


@pytest.fixture
def app_config(database: str, clock: FixedClock) -> WebConfig:
    return WebConfig(
        database=database, clock=clock, passwords=fast_passwords(), default_timezone="Europe/London"
    )


@pytest.fixture
def client(app_config: WebConfig) -> Iterator[TestClient]:
    app = create_app(app_config)
    with TestClient(app, base_url="http://127.0.0.1") as test_client:
        yield test_client


def sign_up(client: TestClient, email: str = "runner@example.com") -> Browser:
    browser = Browser(client, email)
    browser.page("/signup")
    response = browser.submit(
        "/signup",
        {"email": email, "password": PASSWORD, "timezone": "Europe/London", "name": "Sam"},
    )
    assert response.status_code == 303, response.text
    browser.page("/account")
    return browser


@pytest.fixture
def runner(client: TestClient) -> Browser:
    return sign_up(client)


@dataclass
class ProgrammeRunner(Browser):
    person_id: str = ""


@pytest.fixture
def runner_with_programme(client: TestClient, clock: FixedClock) -> ProgrammeRunner:
    """A signed-in runner whose programme (the typical runner's assessment) started on the
    clock's day, 2026-12-01."""
    from runrehab.adapters.documents import read_assessment
    from runrehab.services.journal.programme import start_programme
    from tests.conftest import typical_doc

    browser = sign_up(client)
    parts = client.app.state.parts  # type: ignore[attr-defined]
    person_id = client.get("/api/v1/account").json()["person"]
    document = typical_doc()
    start_programme(
        parts.db.unit_of_work(),
        clock,
        parts.content,
        document,
        read_assessment(document),
        clock.now().date(),
        person_id,
    )
    return ProgrammeRunner(browser.client, browser.email, browser.csrf, person_id)
