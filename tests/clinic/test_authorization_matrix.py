"""The clinic's authorization matrix (issue 15), generated from the app's routes: every route
of the clinic (its API and its pages) × every kind of visitor × {the patient of clinic A, the
patient of clinic B}. Every cell's expected answer is in ``EXPECTED``; a new clinic route
without a row fails the test, so no route is ever added unchecked.

Visitors: anonymous; the runner (A's patient); another runner (no clinic); a runner who left
A; a clinician of A; a clinician of B; A's admin. "own" is A's patient, "foreign" B's. A 2xx
(or a redirect to the thing) where the table says 404 is a leak."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.clinic.conftest import Actor, Clinic, sign_in
from tests.web.conftest import PASSWORD, api_routes

CLINIC_PATHS = re.compile(r"^(/api/v1/clinic|/clinic|/my-clinic)")
VISITORS = (
    "anonymous",
    "runner",
    "other_runner",
    "left_runner",
    "clinician",
    "other_clinician",
    "admin",
)

# statuses: "ok" = 2xx or 303 (a form's redirect); numbers as they are
A = {"anonymous": 401, "runner": 404, "other_runner": 404, "left_runner": 404}
STAFF_OWN = {**A, "clinician": "ok", "other_clinician": 404, "admin": "ok"}
STAFF_FOREIGN = {**A, "clinician": 404, "other_clinician": "ok", "admin": 404}
STAFF_ANY = {**A, "clinician": "ok", "other_clinician": "ok", "admin": "ok"}
ADMIN_ONLY = {**A, "clinician": 404, "other_clinician": "ok", "admin": "ok"}
RUNNER_ROUTE = {
    "anonymous": 401,
    "runner": "ok",
    "other_runner": "ok",
    "left_runner": "ok",
    "clinician": "ok",
    "other_clinician": "ok",
    "admin": "ok",
}
MEMBER_ONLY = {
    **RUNNER_ROUTE,
    "other_runner": 404,
    "left_runner": 404,
    "clinician": 404,
    "other_clinician": 404,
    "admin": 404,
}


def patient_route(own: dict[str, Any] | None = None) -> dict[str, dict[str, Any]]:
    return {"own": own or STAFF_OWN, "foreign": STAFF_FOREIGN}


EXPECTED: dict[tuple[str, str], dict[str, dict[str, Any]]] = {
    ("POST", "/api/v1/clinic/invitations"): {"-": STAFF_ANY},
    # a made-up code: refused alike for everyone signed in (it says nothing of any clinic)
    ("POST", "/api/v1/clinic/join"): {"-": {**dict.fromkeys(RUNNER_ROUTE, 400), "anonymous": 401}},
    ("DELETE", "/api/v1/clinic/membership"): {"-": RUNNER_ROUTE},
    ("GET", "/api/v1/clinic/membership"): {"-": RUNNER_ROUTE},
    ("GET", "/api/v1/clinic/messages"): {"-": MEMBER_ONLY},
    ("POST", "/api/v1/clinic/messages"): {"-": MEMBER_ONLY},
    ("GET", "/api/v1/clinic/patients"): {"-": STAFF_ANY},
    ("GET", "/api/v1/clinic/patients/{patient_id}"): patient_route(),
    ("GET", "/api/v1/clinic/patients/{patient_id}/fhir"): patient_route(),
    ("GET", "/api/v1/clinic/patients/{patient_id}/overrides"): patient_route(),
    ("POST", "/api/v1/clinic/patients/{patient_id}/overrides"): patient_route(),
    ("DELETE", "/api/v1/clinic/patients/{patient_id}/overrides/{override_id}"): {
        "own": {**STAFF_OWN, "clinician": 404, "admin": 404},  # no such override: nothing to undo
        "foreign": {**STAFF_FOREIGN, "other_clinician": 404},
    },
    ("GET", "/api/v1/clinic/patients/{patient_id}/messages"): patient_route(),
    ("POST", "/api/v1/clinic/patients/{patient_id}/messages"): patient_route(),
    ("GET", "/api/v1/clinic/audit"): {"-": ADMIN_ONLY},
}

BODIES: dict[tuple[str, str], Any] = {
    ("POST", "/api/v1/clinic/invitations"): {"kind": "patient"},
    ("POST", "/api/v1/clinic/join"): {"code": "not-a-code"},
    ("POST", "/api/v1/clinic/messages"): {"text": "hello"},
    ("POST", "/api/v1/clinic/patients/{patient_id}/overrides"): {
        "kind": "hold_phase",
        "reason": "a test",
    },
    ("POST", "/api/v1/clinic/patients/{patient_id}/messages"): {"text": "hello"},
}


def clinic_routes(app: Any) -> list[tuple[str, str]]:
    found = []
    for route in api_routes(app.routes):
        if CLINIC_PATHS.match(route.path):
            for method in sorted((route.methods or set()) - {"HEAD", "OPTIONS"}):
                found.append((method, route.path))
    return sorted(found)


def test_every_clinic_route_has_a_row(clinic: Clinic) -> None:
    api = [r for r in clinic_routes(clinic.client.app) if r[1].startswith("/api/")]
    missing = [r for r in api if r not in EXPECTED]
    assert not missing, f"clinic routes with no row in the authorization matrix: {missing}"


@pytest.fixture
def visitors(clinic: Clinic) -> dict[str, Actor | None]:
    from runrehab.services.accounts.account import AccountTools
    from runrehab.services.clinic.membership import create_clinic

    parts = clinic.parts
    tools = AccountTools(clinic.clock, parts.passwords, parts.content.words)
    create_clinic(parts.db.unit_of_work(), tools, "Other Clinic", "bea@other.test", PASSWORD, "Bea")
    other_admin = sign_in(clinic.client, "bea@other.test")
    runner = clinic.new_runner("rita@example.com")
    left = clinic.new_runner("lena@example.com")
    assert left.call("DELETE", "/api/v1/clinic/membership").status_code == 200
    foreign = clinic.new_runner("bob@example.com", join=False)
    code = other_admin.call("POST", "/api/v1/clinic/invitations", json={"kind": "patient"}).json()[
        "code"
    ]
    assert foreign.call("POST", "/api/v1/clinic/join", json={"code": code}).status_code == 200
    return {
        "anonymous": None,
        "runner": runner,
        "other_runner": clinic.new_runner("sam@example.com", join=False),
        "left_runner": left,
        "clinician": clinic.new_clinician("carl@clinic.test"),
        "other_clinician": other_admin,
        "admin": clinic.admin,
        "own": runner,
        "foreign": foreign,
    }


def test_no_cell_of_the_matrix_leaks(clinic: Clinic, visitors: dict[str, Any]) -> None:
    wrong = []
    cells = 0
    # leaving last: the runner who leaves would change every row after it
    rows = sorted(
        EXPECTED.items(), key=lambda row: row[0] == ("DELETE", "/api/v1/clinic/membership")
    )
    for (method, path), columns in rows:
        for column, expected_by_visitor in columns.items():
            target = path
            if column != "-":
                target = path.replace("{patient_id}", visitors[column].person_id)
            target = target.replace("{override_id}", "0" * 32)
            for name in VISITORS:
                cells += 1
                got = _call(clinic, visitors[name], method, target, BODIES.get((method, path)))
                want = expected_by_visitor[name]
                ok = (200 <= got < 300 or got == 303) if want == "ok" else got == want
                if not ok:
                    wrong.append(f"{method} {path} [{column}] as {name}: {got}, expected {want}")
    assert not wrong, "\n".join(wrong)
    assert cells >= 7 * len(EXPECTED)


def _call(clinic: Clinic, actor: Actor | None, method: str, path: str, body: Any) -> int:
    kwargs: dict[str, Any] = {} if body is None else {"json": body}
    if actor is None:
        clinic.client.cookies.clear()
        return clinic.client.request(method, path, **kwargs).status_code
    status: int = actor.call(method, path, **kwargs).status_code
    return status
