"""Schemathesis against the app's own OpenAPI document: whatever it sends, within or outside
the schema, no API route answers 500. A signed-in runner with a programme, a check-in and a
watch run is the caller, so the routes reach their real work, not only the sign-in refusal.

Bounded: ``RUNREHAB_FUZZ_EXAMPLES`` examples per operation (default 25), so CI stays quick.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings

from runrehab.adapters.passwords import fast_passwords
from runrehab.web.app import create_app
from runrehab.web.config import WebConfig
from tests.fakes import FixedClock
from tests.web.conftest import PASSWORD

EXAMPLES = int(os.environ.get("RUNREHAB_FUZZ_EXAMPLES", "25"))
SIGNS_OUT = {("DELETE", "/api/v1/session")}
"""Operations that would end the caller's own session (tested by hand elsewhere)."""


_FOLDER = tempfile.TemporaryDirectory(prefix="runrehab-fuzz-")  # removed at exit
_CLOCK = FixedClock()
APP = create_app(
    WebConfig(
        database=str(Path(_FOLDER.name) / "fuzz.db"), clock=_CLOCK, passwords=fast_passwords()
    )
)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture(scope="module")
def auth() -> dict[str, str]:
    """A runner with a programme, signed in by a bearer token."""
    from runrehab.adapters.documents import read_assessment
    from runrehab.services.journal import start_programme
    from tests.conftest import typical_doc

    with TestClient(APP, base_url="http://127.0.0.1") as client:
        session = client.post(
            "/api/v1/accounts", json={"email": "fuzz@example.com", "password": PASSWORD}
        ).json()
    parts = APP.state.parts
    document = typical_doc()
    start_programme(
        parts.db.unit_of_work(),
        _CLOCK,
        parts.content,
        document,
        read_assessment(document),
        _CLOCK.now().date(),
        session["account"]["person"],
    )
    return {"Authorization": f"Bearer {session['token']}"}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_api_route_answers_500(case: Any, auth: dict[str, str]) -> None:
    if (case.method.upper(), case.path) in SIGNS_OUT:
        return
    response = case.call(headers={**(case.headers or {}), **auth})
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} answered {response.status_code}: "
        f"{response.text[:500]}"
    )
    assert response.headers.get("x-content-type-options") == ["nosniff"]
