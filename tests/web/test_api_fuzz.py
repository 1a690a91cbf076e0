"""Schemathesis against the app's own OpenAPI document, with every check it has (the CLI's
``--checks all``): no 500, every status and body as documented, the content types and headers
documented, schema-valid requests taken and schema-breaking ones refused, ``Allow`` true on
OPTIONS, 405 for a method the path does not take, and (in the stateful run) what is made can
be read. A signed-in runner with a programme is the caller, so the routes reach their real work,
not only the sign-in refusal; the operations that end the caller's session or account run in a
throw-away account of their own, made for each case.

Bounded and repeatable: ``RUNREHAB_FUZZ_EXAMPLES`` generated examples per operation (default
10) and as many stateful scenarios, derandomised (the same cases every run); the coverage
phase's deterministic schema-breaking cases and method probes on top, its schema-valid ones left
to the generated examples (see ``CONFIG``). Every operation runs; the file runs once, on SQLite.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from functools import cache
from pathlib import Path
from typing import Any

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings

from runrehab.adapters.passwords import fast_passwords
from runrehab.web.app import create_app
from runrehab.web.config import WebConfig
from tests.fakes import FixedClock
from tests.web.conftest import PASSWORD

EXAMPLES = int(os.environ.get("RUNREHAB_FUZZ_EXAMPLES", "10"))
ENDS_THE_CALLER = {("DELETE", "/api/v1/session"), ("POST", "/api/v1/account/delete")}
"""Operations that end the caller's session or account: each case runs in a new account."""

_FOLDER = tempfile.TemporaryDirectory(prefix="runrehab-fuzz-")  # removed at exit
_CLOCK = FixedClock()
APP = create_app(
    WebConfig(
        database=str(Path(_FOLDER.name) / "fuzz.db"), clock=_CLOCK, passwords=fast_passwords()
    )
)
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]
"""What ``positive_data_acceptance`` takes for a schema-valid request (schemathesis' default)."""
STATE_DEPENDENT = {
    ("POST", "/api/v1/accounts"): (
        "400",
        "the password rules a schema cannot state (not a well-known password, four different "
        "characters, not the e-mail), an unprintable character in the e-mail or name, or an "
        "e-mail already taken",
    ),
    ("POST", "/api/v1/session"): ("400", "an e-mail and password that match no account"),
    ("PUT", "/api/v1/account/password"): ("400", "a current password that is not the runner's"),
    ("POST", "/api/v1/account/delete"): ("400", "a password that is not the runner's"),
    ("GET", "/api/v1/today"): ("400", "a day before the programme or after the runner's today"),
    ("GET", "/api/v1/questionnaires/due"): ("400", "a day outside the programme, as above"),
    ("GET", "/api/v1/progress/summary"): ("400", "a week outside the programme so far"),
    ("POST", "/api/v1/checkins"): (
        "422",
        "a check-in dated outside the programme (before its first day or after the runner's "
        "today), or naming an exercise the library does not have",
    ),
    ("POST", "/api/v1/clinic/join"): (
        "400",
        "an invitation code no clinic gave (or one used or expired), or a runner already in a "
        "clinic",
    ),
    ("POST", "/api/v1/clinic/patients/{patient_id}/overrides"): (
        "400",
        "what a change needs depends on its kind (a phase to set, an exercise to dose, the "
        "ladder's steps, a referral to release), which one schema for every kind cannot say",
    ),
    ("POST", "/api/v1/movement-checks"): (
        "400",
        "a file that is not a video (by its first bytes), or a video cut short or over two "
        "minutes long: what a binary holds, no schema can say",
    ),
    ("POST", "/api/v1/clinician-seen"): (
        "400",
        "a day after the runner's today or before 2000, or advice of nothing but spaces",
    ),
}
"""Schema-valid requests the contract refuses for what no schema can know: the runner's
password, the accounts that exist, the days of the runner's programme. Each answers its one
documented status (named here, with why), on top of the ones every request may get; every other
check runs on them as on the rest."""

CONFIG = schemathesis.Config.from_dict(
    {
        # The coverage phase (deterministic, not bounded by max_examples) keeps its schema-
        # breaking cases and its probes of the methods a path does not take; its schema-valid
        # cases, one for every value of every enum (600 time zones, each a call) and every mix
        # of optional properties, would be three calls in four: the fuzzing phase's bounded
        # examples stand for them.
        "phases": {"coverage": {"generation": {"mode": "negative"}}},
        "operations": [
            {
                "include-name": f"{method} {path}",
                "checks": {"positive_data_acceptance": {"expected-statuses": [*ACCEPTED, status]}},
            }
            for (method, path), (status, _why) in STATE_DEPENDENT.items()
        ],
    }
)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP, config=CONFIG)
DOCUMENTED = APP.openapi()["paths"]


def _sign_up(email: str) -> dict[str, Any]:
    client = TestClient(APP, base_url="http://127.0.0.1")
    answer = client.post("/api/v1/accounts", json={"email": email, "password": PASSWORD})
    assert answer.status_code == 201, answer.text
    found: dict[str, Any] = answer.json()
    return found


@cache
def runner() -> dict[str, str]:
    """The caller: a runner with a programme, signed in by a bearer token."""
    from runrehab.adapters.documents import read_assessment
    from runrehab.services.journal.programme import start_programme
    from tests.conftest import typical_doc

    with TestClient(APP, base_url="http://127.0.0.1"):  # the app's start-up, once
        session = _sign_up("fuzz@example.com")
    document = typical_doc()
    start_programme(
        APP.state.parts.db.unit_of_work(),
        _CLOCK,
        APP.state.parts.content,
        document,
        read_assessment(document),
        _CLOCK.now().date(),
        session["account"]["person"],
    )
    return {"Authorization": f"Bearer {session['token']}"}


def throw_away() -> dict[str, str]:
    """A new account of its own, for an operation that ends the caller's session or account."""
    session = _sign_up(f"gone-{uuid.uuid4().hex[:12]}@example.com")
    return {"Authorization": f"Bearer {session['token']}"}


def caller(method: str, path: str) -> dict[str, str]:
    return throw_away() if (method.upper(), path) in ENDS_THE_CALLER else runner()


def check_documented(case: Any, response: Any) -> None:
    """What the checks say, asserted in so many words too: the status is documented, and the
    security headers are on every answer."""
    responses = DOCUMENTED[case.path][case.method.lower()]["responses"]
    assert str(response.status_code) in responses, (
        f"{case.method} {case.formatted_path} answered {response.status_code}, "
        f"documented: {sorted(responses)}: {response.text[:300]}"
    )
    assert response.headers.get("x-content-type-options") == ["nosniff"]


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_every_api_operation_keeps_its_contract(case: Any) -> None:
    response = case.call_and_validate(headers=caller(case.method, case.path))
    if case.method.upper() == case.operation.method.upper():  # not a probe of another method
        check_documented(case, response)


def test_deleting_an_account_with_its_password_keeps_the_contract() -> None:
    case = schema["/api/v1/account/delete"]["POST"].Case(body={"password": PASSWORD})
    response = case.call_and_validate(headers=throw_away())
    assert response.status_code == 204
    check_documented(case, response)


class Workflow(schema.as_state_machine()):  # type: ignore[misc]
    """Stateful: sequences of calls following the links schemathesis finds (an upload's
    ``Location`` to its import, ...), checked as above."""

    def get_call_kwargs(self, case: Any) -> dict[str, Any]:
        return {"headers": caller(case.method, case.path)}


TestWorkflow = Workflow.TestCase
TestWorkflow.settings = settings(
    max_examples=EXAMPLES,
    stateful_step_count=6,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
