"""The clinic's fixtures: a clinic with its admin, a clinician and runners, each an API client
holding its own Bearer token (as a clinic's integration would), on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from runrehab.adapters.documents import read_assessment
from runrehab.services.accounts.account import AccountTools
from runrehab.services.clinic.membership import create_clinic
from runrehab.services.journal.programme import start_programme
from runrehab.web.app import create_app
from runrehab.web.config import WebConfig
from tests.conftest import typical_doc
from tests.fakes import FixedClock
from tests.web.conftest import PASSWORD, app_config, clock, database, databases_for

__all__ = ["app_config", "clock", "database"]  # the web's fixtures, shared


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    databases_for(metafunc)


@dataclass
class Actor:
    """One person's API client: its token goes with every call."""

    client: TestClient
    token: str
    person_id: str = ""

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
        self.client.cookies.clear()  # one client for everyone: the token alone says who
        kwargs.setdefault("follow_redirects", False)  # a form's answer is its redirect
        return self.client.request(method, path, headers=headers, **kwargs)


@dataclass
class Clinic:
    client: TestClient
    clock: FixedClock
    admin: Actor
    parts: Any
    new_runner: Callable[..., Actor]
    new_clinician: Callable[[str], Actor]


def sign_in(client: TestClient, email: str) -> Actor:
    client.cookies.clear()
    answer = client.post("/api/v1/session", json={"email": email, "password": PASSWORD})
    assert answer.status_code in (200, 201), answer.text
    token = answer.json()["token"]
    client.cookies.clear()
    actor = Actor(client, token)
    actor.person_id = actor.call("GET", "/api/v1/account").json()["person"]
    return actor


@pytest.fixture
def clinic(app_config: WebConfig, clock: FixedClock) -> Iterator[Clinic]:
    app = create_app(app_config)
    with TestClient(app, base_url="http://127.0.0.1") as client, clinic_on(client, clock) as made:
        yield made


@contextmanager
def clinic_on(client: TestClient, clock: FixedClock) -> Iterator[Clinic]:
    """A clinic, "Knee Clinic", with its admin signed in, on the app ``client`` drives."""
    parts = client.app.state.parts  # type: ignore[attr-defined]
    tools = AccountTools(clock, parts.passwords, parts.content.words)
    create_clinic(
        parts.db.unit_of_work(),
        tools,
        "Knee Clinic",
        "admin@clinic.test",
        PASSWORD,
        "Ada Admin",
    )
    admin = sign_in(client, "admin@clinic.test")

    def new_runner(email: str, join: bool = True, programme: bool = True, **doc: Any) -> Actor:
        client.cookies.clear()
        made = client.post(
            "/api/v1/accounts",
            json={
                "email": email,
                "password": PASSWORD,
                "timezone": "Europe/London",
                "name": email.split("@")[0].title(),
            },
        )
        assert made.status_code in (200, 201), made.text
        runner = sign_in(client, email)
        if programme:
            document = typical_doc(**doc)
            start_programme(
                parts.db.unit_of_work(),
                clock,
                parts.content,
                document,
                read_assessment(document),
                clock.now().date(),
                runner.person_id,
            )
        if join:
            code = admin.call(
                "POST", "/api/v1/clinic/invitations", json={"kind": "patient"}
            ).json()["code"]
            joined = runner.call("POST", "/api/v1/clinic/join", json={"code": code})
            assert joined.status_code == 200, joined.text
        return runner

    def new_clinician(email: str) -> Actor:
        code = admin.call("POST", "/api/v1/clinic/invitations", json={"kind": "clinician"}).json()[
            "code"
        ]
        from runrehab.services.clinic.membership import join_staff

        join_staff(
            parts.db.unit_of_work(),
            tools,
            code,
            email,
            PASSWORD,
            "Europe/London",
            "Carl Clinician",
        )
        return sign_in(client, email)

    yield Clinic(client, clock, admin, parts, new_runner, new_clinician)
