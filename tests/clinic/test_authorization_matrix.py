"""The clinic's authorization matrix (issue 15), generated from the app's routes: every route
of the clinic (its API and its pages) × every kind of visitor × {the id that is A's (own), the
id that is B's (foreign)}. Every cell's expected answer is in ``EXPECTED``; a new clinic route
without a row fails the test, so no route is ever added unchecked.

Visitors: anonymous; the runner (A's patient); another runner (no clinic); a runner who left
A; a clinician of A; a clinician of B (B's admin); A's admin. Answers: "ok" (2xx, or a form's
303 to anywhere but the log-in), "login" (a page's 303 to the log-in), or a status. Anything
2xx where the table says 404 is a leak; a 404 where it says "ok" a door shut on its owner.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.clinic.conftest import Actor, Clinic
from tests.clinic.others import other_clinic
from tests.clinic.test_fhir_bulk_export import finished
from tests.web.conftest import api_routes

CLINIC_PATHS = re.compile(
    r"^(/api/v1/clinic|/clinic|/my-clinic|/api/v1/clinician-seen|/clinician-seen)"
)
VISITORS = (
    "anonymous",
    "runner",
    "other_runner",
    "left_runner",
    "clinician",
    "other_clinician",
    "admin",
)
RUNNERS = ("runner", "other_runner", "left_runner")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64


def row(anonymous: Any, **by: Any) -> dict[str, Any]:
    """A row of answers: ``anonymous``'s, then by visitor (``staff``/``runners`` set groups)."""
    found: dict[str, Any] = {"anonymous": anonymous}
    for group, names in (
        ("runners", RUNNERS),
        ("staff", ("clinician", "other_clinician", "admin")),
    ):
        if group in by:
            found.update(dict.fromkeys(names, by.pop(group)))
    found.update(by)
    assert set(found) == set(VISITORS), sorted(set(VISITORS) - set(found))
    return found


def staff_only(anonymous: Any) -> dict[str, Any]:
    return row(anonymous, runners=404, staff="ok")


def admin_only(anonymous: Any) -> dict[str, Any]:
    return row(anonymous, runners=404, clinician=404, other_clinician="ok", admin="ok")


def signed_in(anonymous: Any, answer: Any = "ok") -> dict[str, Any]:
    return row(anonymous, runners=answer, staff=answer)


def member_only(anonymous: Any) -> dict[str, Any]:
    return row(anonymous, runner="ok", other_runner=404, left_runner=404, staff=404)


def patient(anonymous: Any) -> dict[str, dict[str, Any]]:
    """A's patient: A's clinicians only; B's patient: B's only."""
    own = row(anonymous, runners=404, clinician="ok", other_clinician=404, admin="ok")
    foreign = row(anonymous, runners=404, clinician=404, other_clinician="ok", admin=404)
    return {"own": own, "foreign": foreign}


def admins_own(anonymous: Any) -> dict[str, dict[str, Any]]:
    """A clinic's own thing its admins alone reach (an export): A's admin A's, B's B's."""
    own = row(anonymous, runners=404, clinician=404, other_clinician=404, admin="ok")
    foreign = row(anonymous, runners=404, clinician=404, other_clinician="ok", admin=404)
    return {"own": own, "foreign": foreign}


def nothing_there(anonymous: Any) -> dict[str, dict[str, Any]]:
    """An id that is nobody's (an override never made): 404 for everyone signed in."""
    nobody = row(anonymous, runners=404, staff=404)
    return {"own": nobody, "foreign": nobody}


API = "/api/v1/clinic"
PAGE = "/clinic/patients/{patient_id}"
EXPECTED: dict[tuple[str, str], dict[str, dict[str, Any]]] = {
    # --- the API ---------------------------------------------------------------------------
    ("POST", f"{API}/invitations"): {"-": staff_only(401)},
    # a made-up code: refused alike for everyone signed in (it says nothing of any clinic)
    ("POST", f"{API}/join"): {"-": signed_in(401, 400)},
    ("GET", f"{API}/membership"): {"-": signed_in(401)},
    ("GET", f"{API}/messages"): {"-": member_only(401)},
    ("POST", f"{API}/messages"): {"-": member_only(401)},
    ("GET", f"{API}/patients"): {"-": staff_only(401)},
    ("GET", f"{API}/patients/{{patient_id}}"): patient(401),
    ("GET", f"{API}/patients/{{patient_id}}/fhir"): patient(401),
    ("GET", f"{API}/patients/{{patient_id}}/overrides"): patient(401),
    ("POST", f"{API}/patients/{{patient_id}}/overrides"): patient(401),
    ("DELETE", f"{API}/patients/{{patient_id}}/overrides/{{override_id}}"): nothing_there(401),
    ("GET", f"{API}/patients/{{patient_id}}/messages"): patient(401),
    ("POST", f"{API}/patients/{{patient_id}}/messages"): patient(401),
    ("GET", f"{API}/patients/{{patient_id}}/notes"): patient(401),
    ("POST", f"{API}/patients/{{patient_id}}/notes"): patient(401),
    ("GET", f"{API}/patients/{{patient_id}}/sessions"): patient(401),
    ("POST", f"{API}/patients/{{patient_id}}/sessions"): patient(401),
    ("GET", f"{API}/audit"): {"-": admin_only(401)},
    ("PUT", f"{API}/settings"): {"-": admin_only(401)},
    ("GET", f"{API}/sessions"): {"-": member_only(401)},
    ("POST", f"{API}/sessions/{{session_id}}/accept"): {
        "own": row(401, runner="ok", other_runner=404, left_runner=404, staff=404),
        "foreign": row(401, runners=404, staff=404),  # B's runner's: no one here answers it
    },
    ("POST", f"{API}/sessions/{{session_id}}/decline"): {
        "own": row(401, runner="ok", other_runner=404, left_runner=404, staff=404),
        "foreign": row(401, runners=404, staff=404),
    },
    ("GET", f"{API}/sessions/{{session_id}}.ics"): {
        "own": row(
            401,
            runner="ok",
            other_runner=404,
            left_runner=404,
            clinician="ok",
            other_clinician=404,
            admin="ok",
        ),
        "foreign": row(401, runners=404, clinician=404, other_clinician="ok", admin=404),
    },
    ("GET", f"{API}/exercises"): {
        "-": row(401, runner="ok", other_runner=404, left_runner=404, staff="ok"),
    },
    ("POST", f"{API}/exercises"): {"-": staff_only(401)},
    ("GET", f"{API}/exercises/{{exercise_id}}"): {
        "own": row(
            401,
            runner="ok",
            other_runner=404,
            left_runner=404,
            clinician="ok",
            other_clinician=404,
            admin="ok",
        ),
        "foreign": row(401, runners=404, clinician=404, other_clinician="ok", admin=404),
    },
    ("GET", f"{API}/exercises/{{exercise_id}}/media"): {
        "own": row(
            401,
            runner="ok",
            other_runner=404,
            left_runner=404,
            clinician="ok",
            other_clinician=404,
            admin="ok",
        ),
        "foreign": row(401, runners=404, clinician=404, other_clinician="ok", admin=404),
    },
    ("POST", f"{API}/exports"): {"-": admin_only(401)},
    ("GET", f"{API}/exports"): {"-": admin_only(401)},
    ("GET", f"{API}/exports/{{export_id}}"): admins_own(401),
    ("GET", f"{API}/exports/{{export_id}}/{{kind}}.ndjson"): admins_own(401),
    ("POST", "/api/v1/clinician-seen"): {"-": signed_in(401, "any")},
    # --- the pages (a signed-out browser is sent to log in; its forms have no CSRF token) ----
    ("GET", "/clinic"): {"-": staff_only("login")},
    ("POST", "/clinic/invitations"): {"-": staff_only(403)},
    ("GET", PAGE): patient("login"),
    ("GET", PAGE + "/charts/{name}.svg"): patient("login"),
    ("GET", PAGE + "/report.pdf"): patient("login"),
    ("POST", PAGE + "/overrides"): patient(403),
    ("POST", PAGE + "/overrides/{override_id}/undo"): nothing_there(403),
    ("POST", PAGE + "/messages"): patient(403),
    ("POST", PAGE + "/notes"): patient(403),
    ("POST", PAGE + "/sessions"): patient(403),
    ("GET", "/clinic/exercises"): {"-": staff_only("login")},
    ("POST", "/clinic/exercises"): {"-": staff_only(403)},
    ("POST", "/clinic/settings"): {"-": admin_only(403)},
    ("GET", "/clinic/audit"): {"-": admin_only("login")},
    ("GET", "/clinic/exports"): {"-": admin_only("login")},
    ("POST", "/clinic/exports"): {"-": admin_only(403)},
    ("GET", "/clinic/exports/{export_id}/{kind}.ndjson"): admins_own("login"),
    ("GET", "/clinic/staff/join"): {"-": signed_in("ok")},  # a form: anyone may read it
    ("POST", "/clinic/staff/join"): {"-": signed_in(403, 400)},  # a made-up code
    ("GET", "/clinic/join"): {"-": signed_in("login")},
    ("POST", "/clinic/join"): {"-": signed_in(403, 400)},
    ("GET", "/my-clinic"): {"-": signed_in("login")},
    ("POST", "/my-clinic/messages"): {"-": member_only(403)},
    ("POST", "/my-clinic/sessions/{session_id}/{answer}"): {
        "own": row(403, runner="ok", other_runner=404, left_runner=404, staff=404),
        "foreign": row(403, runners=404, staff=404),
    },
    ("GET", "/clinician-seen"): {"-": signed_in("login", "any")},
    ("POST", "/clinician-seen"): {"-": signed_in(403, "any")},
    # last: leaving changes every row after it
    ("DELETE", f"{API}/membership"): {"-": signed_in(401)},
    ("POST", "/my-clinic/leave"): {"-": signed_in(403)},
}
LAST = [("DELETE", f"{API}/membership"), ("POST", "/my-clinic/leave")]


def clinic_routes(app: Any) -> list[tuple[str, str]]:
    found = []
    for route in api_routes(app.routes):
        if CLINIC_PATHS.match(route.path):
            for method in sorted((route.methods or set()) - {"HEAD", "OPTIONS"}):
                found.append((method, route.path))
    return sorted(found)


def test_every_clinic_route_has_a_row(clinic: Clinic) -> None:
    routes = clinic_routes(clinic.client.app)
    missing = [r for r in routes if r not in EXPECTED]
    assert not missing, f"clinic routes with no row in the authorization matrix: {missing}"
    gone = [r for r in EXPECTED if r not in routes]
    assert not gone, f"rows for routes the app does not have: {gone}"


@pytest.fixture
def world(clinic: Clinic) -> dict[str, Any]:
    """Both clinics with a patient each, a session proposed to each, an exercise each."""
    other_admin = other_clinic(clinic, "bea@other.test")
    runner = clinic.new_runner("rita@example.com")
    left = clinic.new_runner("lena@example.com")
    assert left.call("DELETE", f"{API}/membership").status_code == 200
    foreign = clinic.new_runner("bob@example.com", join=False)
    code = other_admin.call("POST", f"{API}/invitations", json={"kind": "patient"}).json()["code"]
    assert foreign.call("POST", f"{API}/join", json={"code": code}).status_code == 200
    ids: dict[str, dict[str, str]] = {"own": {}, "foreign": {}}
    for side, admin, person in (("own", clinic.admin, runner), ("foreign", other_admin, foreign)):
        admin.call("PUT", f"{API}/settings", json={"video_link": "https://meet.example.org/k"})
        proposed = admin.call("POST", f"{API}/patients/{person.person_id}/sessions", json=SESSION)
        assert proposed.status_code == 201, proposed.text
        made = admin.call("POST", f"{API}/exercises", data=CARD, files=MEDIA)
        assert made.status_code == 201, made.text
        ids[side] = {
            "export_id": finished(admin, admin.call("POST", f"{API}/exports").json()["id"])["id"],
            "kind": "Bundle",
            "patient_id": person.person_id,
            "session_id": proposed.json()["id"],
            "exercise_id": made.json()["id"],
            "override_id": "0" * 32,
            "name": "pain",
            "answer": "accept",
        }
    visitors: dict[str, Actor | None] = {
        "anonymous": None,
        "runner": runner,
        "other_runner": clinic.new_runner("sam@example.com", join=False),
        "left_runner": left,
        "clinician": clinic.new_clinician("carl@clinic.test"),
        "other_clinician": other_admin,
        "admin": clinic.admin,
    }
    return {"visitors": visitors, "ids": ids}


TOMORROW_AT_TEN = {"date": "2026-12-02", "time": "10:00", "minutes": 30}
SESSION = TOMORROW_AT_TEN
CARD = {
    "name": "Towel slide",
    "purpose": "Control",
    "how": "Sit\nSlide",
    "cues": "Slow",
    "sets": "3",
    "reps": "10",
}
MEDIA = {"media": ("t.png", PNG, "image/png")}
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", f"{API}/invitations"): {"json": {"kind": "patient"}},
    ("POST", f"{API}/join"): {"json": {"code": "not-a-code"}},
    ("POST", f"{API}/messages"): {"json": {"text": "hello"}},
    ("POST", f"{API}/patients/{{patient_id}}/overrides"): {
        "json": {"kind": "hold_phase", "reason": "a test"}
    },
    ("POST", f"{API}/patients/{{patient_id}}/messages"): {"json": {"text": "hello"}},
    ("POST", f"{API}/patients/{{patient_id}}/notes"): {"json": {"subjective": "a note"}},
    ("POST", f"{API}/patients/{{patient_id}}/sessions"): {"json": SESSION},
    ("PUT", f"{API}/settings"): {"json": {"video_link": "https://meet.example.org/k"}},
    ("POST", f"{API}/exercises"): {"data": CARD, "files": MEDIA},
    ("POST", "/api/v1/clinician-seen"): {"json": {"advice": "Carry on"}},
    ("POST", "/clinic/invitations"): {"data": {"kind": "patient"}},
    ("POST", PAGE + "/overrides"): {"data": {"kind": "hold_phase", "reason": "a test"}},
    ("POST", PAGE + "/messages"): {"data": {"text": "hello"}},
    ("POST", PAGE + "/notes"): {"data": {"subjective": "a note"}},
    ("POST", PAGE + "/sessions"): {"data": SESSION},
    ("POST", "/clinic/exercises"): {"data": CARD, "files": MEDIA},
    ("POST", "/clinic/settings"): {"data": {"video_link": "https://meet.example.org/k"}},
    ("POST", "/clinic/staff/join"): {"data": {"code": "not-a-code", "email": "x@y.test"}},
    ("POST", "/clinic/join"): {"data": {"code": "not-a-code"}},
    ("POST", "/my-clinic/messages"): {"data": {"text": "hello"}},
    ("POST", "/clinician-seen"): {"data": {"advice": "Carry on"}},
}


def cells(world: dict[str, Any]) -> Iterator[tuple[str, str, str, str, str, Any]]:
    """Every cell: (method, path, column, visitor, the path filled in, the expected answer)."""
    rows = [r for r in EXPECTED.items() if r[0] not in LAST]
    rows += [(key, EXPECTED[key]) for key in LAST]
    for (method, path), columns in rows:
        for column, expected in columns.items():
            filled = path
            if column != "-":
                for name, value in world["ids"][column].items():
                    filled = filled.replace("{" + name + "}", value)
            # the runner who leaves does so last of all
            order = (
                sorted(VISITORS, key=lambda v: v == "runner")
                if (method, path) in LAST
                else VISITORS
            )
            for visitor in order:
                yield method, path, column, visitor, filled, expected[visitor]


def test_no_cell_of_the_matrix_leaks(clinic: Clinic, world: dict[str, Any]) -> None:
    wrong = []
    count = 0
    for method, path, column, visitor, filled, want in cells(world):
        count += 1
        got, where = _call(
            clinic, world["visitors"][visitor], method, filled, BODIES.get((method, path))
        )
        if not _as_expected(want, got, where):
            wrong.append(f"{method} {path} [{column}] as {visitor}: {got} {where}, expected {want}")
    assert not wrong, "\n".join(wrong)
    assert count >= len(VISITORS) * len(EXPECTED)


def _as_expected(want: Any, got: int, where: str) -> bool:
    to_login = got == 303 and where.startswith("/login")
    if want == "any":  # a runner's own route: what matters is that it never leaks a clinic
        return got < 500
    if want == "ok":
        return 200 <= got < 300 or (got == 303 and not to_login)
    if want == "login":
        return to_login
    return bool(got == want)


def _call(
    clinic: Clinic, actor: Actor | None, method: str, path: str, body: Any
) -> tuple[int, str]:
    kwargs: dict[str, Any] = dict(body or {})
    if actor is None:
        clinic.client.cookies.clear()
        answer = clinic.client.request(method, path, follow_redirects=False, **kwargs)
    else:
        answer = actor.call(method, path, **kwargs)
    return answer.status_code, answer.headers.get("location", "")
