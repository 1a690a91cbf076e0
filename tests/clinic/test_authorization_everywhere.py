"""The rest of the app's routes under the same seven visitors (issue 15's matrix, beyond the
clinic's own routes, which ``test_authorization_matrix`` tables cell by cell).

Every route of the app has a row here or there (a route without one fails). Here each route
is in one of four rooms: public (no person's data: the library, the log-in page), the caller's
own (every use case is handed the session's person; a signed-out caller is sent to log in),
one person's thing by id (an activity, an import: the owner's alone, anyone else 404), or the
account's own doors (signing in, out, deleting), called last with answers that change nothing.
Besides each cell's status, no answer to anyone may hold the id or e-mail of another person.
"""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from typing import Any

from tests.clinic.conftest import Actor, Clinic
from tests.clinic.test_authorization_matrix import (
    EXPECTED,
    VISITORS,
    _as_expected,
    clinic_routes,
    row,
    signed_in,
    world,
)
from tests.watchfiles import fit_run
from tests.web.conftest import api_routes

__all__ = ["world"]  # the fixture, shared

ANYONE = signed_in("any", "any")

PUBLIC = {
    ("GET", "/"),
    ("GET", "/signup"),
    ("GET", "/login"),
    ("GET", "/healthz"),
    ("GET", "/api/docs"),
    ("GET", "/docs"),
    ("POST", "/api/v1/triage"),
    # the private calendar feed: no sign-in (a calendar app cannot), the secret token in the
    # address is the credential; an unknown token (as here) is a 404 for everyone
    ("GET", "/feed/{token}.ics"),
    # the installable app: its manifest, its service worker and its offline page hold no one's
    # data (the worker caches pages only for the browser that opened them)
    ("GET", "/manifest.webmanifest"),
    ("GET", "/sw.js"),
    ("GET", "/offline"),
}
"""Besides every route under /library and /api/v1/library."""

ACCOUNT_DOORS = [
    ("POST", "/signup"),
    ("POST", "/api/v1/accounts"),
    ("POST", "/login"),
    ("POST", "/api/v1/session"),
    ("POST", "/account/password"),
    ("PUT", "/api/v1/account/password"),
    ("POST", "/account/delete"),
    ("POST", "/api/v1/account/delete"),
    ("POST", "/logout"),
    ("DELETE", "/api/v1/session"),
]
"""Called last, in this order (signing out ends the caller's token), with a wrong password
or a taken e-mail, so that nothing changes: what matters is that no cell answers 5xx or leaks."""

BY_ID = {
    ("GET", "/runs/{activity_id}"),
    ("GET", "/api/v1/activities/{activity_id}"),
    ("GET", "/runs/imports/{job_id}"),
    ("GET", "/runs/imports/{job_id}/status"),
    ("GET", "/api/v1/imports/{job_id}"),
    # a movement check: its runner's, and their clinic's clinicians' (see ``by_id``)
    ("GET", "/movement/{check_id}"),
    ("GET", "/movement/{check_id}/frames/{position}.jpg"),
    ("GET", "/movement/{check_id}/video"),
    ("GET", "/api/v1/movement-checks/{check_id}"),
    ("GET", "/api/v1/movement-checks/{check_id}/frames/{position}"),
}


def by_id(path: str) -> dict[str, dict[str, Any]]:
    """One person's thing: the owner's alone; signed out, the API says 401, a page logs in."""
    out: Any = 401 if path.startswith("/api/") else "login"
    if "{check_id}" in path and not path.endswith("/video"):  # the runner's clinic sees it too
        own = row(out, runners=404, clinician="ok", other_clinician=404, admin="ok")
        foreign = row(out, runners=404, clinician=404, other_clinician="ok", admin=404)
        return {"own": {**own, "runner": "ok"}, "foreign": foreign}
    own = row(out, runner="ok", other_runner=404, left_runner=404, staff=404)
    return {"own": own, "foreign": row(out, runners=404, staff=404)}


CONTENT_IDS = {
    "lesson_id": "what-is-runners-knee",
    "exercise_id": "ankle-mobility",
    "topic": "what-is-runners-knee",
    "rule_id": "s1-one-in-four-runners",
    "instrument": "kujala",
    "name": "pain",
    "position": "1",
}
WRONG = {"password": "not the password 1", "current_password": "not the password 1"}
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    # an e-mail taken (the API says so), a password too short (the form says so), a wrong
    # password: the forms show back what was typed, so it is no one's e-mail
    ("POST", "/api/v1/accounts"): {
        "json": {"email": "rita@example.com", "password": "knee-rehab-2026", "timezone": "UTC"}
    },
    ("POST", "/signup"): {"data": {"email": "new@example.com", "password": "short"}},
    ("POST", "/api/v1/session"): {"json": {"email": "rita@example.com", **WRONG}},
    ("POST", "/login"): {"data": {"email": "nobody@example.com", **WRONG}},
    ("PUT", "/api/v1/account/password"): {
        "json": {"current_password": WRONG["password"], "new_password": "another one 2026"}
    },
    ("POST", "/account/password"): {
        "data": {"current_password": WRONG["password"], "new_password": "another one 2026"}
    },
    ("POST", "/api/v1/account/delete"): {"json": {"password": WRONG["password"]}},
    ("POST", "/account/delete"): {"data": {"password": WRONG["password"]}},
}


def room(method: str, path: str) -> str:
    if (method, path) in PUBLIC or path.startswith(("/library", "/api/v1/library")):
        return "public"
    if (method, path) in BY_ID:
        return "by-id"
    if (method, path) in ACCOUNT_DOORS:
        return "door"
    return "own"


def own_room(method: str, path: str) -> dict[str, Any]:
    """The caller's own data: signed out, the API says 401, a page sends to log in, a form
    without its token is refused (403); signed in, whatever the caller's own state answers."""
    if path.startswith("/api/"):
        signed_out: Any = 401
    else:
        signed_out = "login" if method == "GET" else 403
    return signed_in(signed_out, "any")


def test_every_route_of_the_app_has_a_row(clinic: Clinic) -> None:
    every = sorted(
        (m, r.path)
        for r in api_routes(_app(clinic).routes)
        for m in (r.methods or set()) - {"HEAD", "OPTIONS"}
    )
    clinic_ones = set(clinic_routes(clinic.client.app))
    assert clinic_ones <= set(EXPECTED)
    rooms = {r: room(*r) for r in every if r not in clinic_ones}
    assert all(rooms.values())  # every other route is in a room of this module
    assert set(ACCOUNT_DOORS) <= set(every)
    assert set(every) >= BY_ID


def test_no_route_answers_anyone_with_someone_elses_data(
    clinic: Clinic, world: dict[str, Any]
) -> None:
    visitors: dict[str, Actor | None] = world["visitors"]
    things = _their_things(clinic, visitors["runner"], world["ids"]["foreign"]["patient_id"])
    people = _who_is_who(clinic, visitors, world)
    clinic_ones = set(clinic_routes(clinic.client.app))
    rows = sorted(
        (m, r.path)
        for r in api_routes(_app(clinic).routes)
        for m in (r.methods or set()) - {"HEAD", "OPTIONS"}
        if (m, r.path) not in clinic_ones and (m, r.path) not in ACCOUNT_DOORS
    )
    wrong: list[str] = []
    for method, path in [*rows, *ACCOUNT_DOORS]:
        kind = room(method, path)
        columns = by_id(path) if kind == "by-id" else {"-": None}
        for column, table in columns.items():
            filled = _fill(path, things[column] if kind == "by-id" else {})
            expected = table or (ANYONE if kind in ("public", "door") else own_room(method, path))
            for visitor in VISITORS:
                status, where, body = _answer(clinic, visitors[visitor], method, filled, path)
                if not _as_expected(expected[visitor], status, where):
                    want = expected[visitor]
                    wrong.append(f"{method} {path} [{column}] as {visitor}: {status}, not {want}")
                leaked = [
                    who for who, marks in people.items() if who != visitor and _holds(body, marks)
                ]
                if leaked and kind != "public":
                    wrong.append(f"{method} {path} [{column}] as {visitor}: shows {leaked}")
    assert not wrong, "\n".join(wrong)


def _fill(path: str, ids: dict[str, str]) -> str:
    for name, value in {**CONTENT_IDS, **ids}.items():
        path = path.replace("{" + name + "}", value)
    return path


def _answer(
    clinic: Clinic, actor: Actor | None, method: str, path: str, key: str
) -> tuple[int, str, str]:
    body = BODIES.get((method, key))
    kwargs: dict[str, Any] = dict(body or {})
    if actor is None:
        clinic.client.cookies.clear()
        answer = clinic.client.request(method, path, follow_redirects=False, **kwargs)
    else:
        answer = actor.call(method, path, **kwargs)
    text = answer.text if "pdf" not in answer.headers.get("content-type", "") else ""
    return answer.status_code, answer.headers.get("location", ""), text


def _holds(body: str, marks: tuple[str, ...]) -> bool:
    return any(m and m in body for m in marks)


def _who_is_who(
    clinic: Clinic, visitors: dict[str, Actor | None], world: dict[str, Any]
) -> dict[str, tuple[str, ...]]:
    """Each person's marks (person id, e-mail) that no one else's answer may hold."""
    marks: dict[str, tuple[str, ...]] = {}
    for name, actor in visitors.items():
        if actor is not None:
            email = actor.call("GET", "/api/v1/account").json()["email"]
            marks[name] = (actor.person_id, email)
    marks["bob"] = (world["ids"]["foreign"]["patient_id"], "bob@example.com")
    return marks


def _their_things(clinic: Clinic, runner: Actor | None, bob_id: str) -> dict[str, dict[str, str]]:
    """An activity and an import of the runner's (own), and of B's patient Bob (foreign)."""
    assert runner is not None
    found: dict[str, dict[str, str]] = {}
    bob = next(a for a in _actors(clinic) if a.person_id == bob_id)
    for side, actor in (("own", runner), ("foreign", bob)):
        start = (
            datetime(2026, 11, 30, 7, 0, tzinfo=UTC)
            if side == "own"
            else datetime(2026, 11, 29, 7, 0, tzinfo=UTC)
        )
        files = [("files", ("run.fit", fit_run(start, 20, step_s=5), "application/octet-stream"))]
        started = actor.call("POST", "/api/v1/activities", files=files)
        assert started.status_code == 202, started.text
        job_id = started.json()["job_id"]
        for _ in range(500):
            if actor.call("GET", f"/api/v1/imports/{job_id}").json()["finished"]:
                break
            time.sleep(0.02)
        activities = actor.call("GET", "/api/v1/activities").json()["activities"]
        found[side] = {
            "job_id": job_id,
            "activity_id": activities[0]["activity_id"],
            "check_id": _movement_check(clinic, actor.person_id),
        }
    return found


def _movement_check(clinic: Clinic, person_id: str) -> str:
    """A movement check of the person's, done, with a key frame and a kept video."""
    from runrehab.services.movement.records import (
        CheckStatus,
        KeyFrame,
        MovementCheck,
        StoredVideo,
    )

    check_id = uuid.uuid4().hex
    at = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    check = MovementCheck(
        check_id, person_id, at, "squat", "front", CheckStatus.DONE, 100, "s.mp4", True,
        result={"rep_count": 1, "reps": []}, landmarks={"frames": []}, finished_at=at,
    )  # fmt: skip
    with _app(clinic).state.parts.writer() as uow:
        uow.movement.add(check)
        uow.movement.add_frames(check_id, [KeyFrame(1, 1.0, "image/jpeg", b"\xff\xd8")])
        uow.movement.keep_video(check_id, StoredVideo("video/mp4", b"\x00"))
        uow.commit()
    return check_id


def _actors(clinic: Clinic) -> list[Actor]:
    from tests.clinic.conftest import sign_in

    return [sign_in(clinic.client, "bob@example.com")]


def _app(clinic: Clinic) -> Any:
    return clinic.client.app
