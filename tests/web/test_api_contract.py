"""The HTTP contract around the routes: OPTIONS and HEAD as HTTP has them, 405 naming every
method, days written YYYY-MM-DD only, and every error answer documented with its body."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import Browser, ProgrammeRunner

ERROR_BODIES = {"ErrorOut", "BadInputOut", "InvalidOut"}
DAY_PARAMETERS = {"date", "since", "until", "start", "week", "day"}


def _operations(client: TestClient) -> list[tuple[str, str, dict[str, Any]]]:
    spec = client.get("/openapi.json").json()
    return [
        (method.upper(), path, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
    ]


# --- OPTIONS, HEAD and 405 --------------------------------------------------------------------


def test_options_lists_every_method_the_path_takes(runner: Browser) -> None:
    # signed in by the cookie and sending no CSRF token: OPTIONS is safe, nothing refuses it
    for path, allowed in (
        ("/api/v1/session", "POST, DELETE, OPTIONS"),
        ("/api/v1/activities", "GET, HEAD, POST, OPTIONS"),
        ("/api/v1/today", "GET, HEAD, OPTIONS"),
        ("/api/v1/questionnaires/kujala", "GET, HEAD, POST, OPTIONS"),
        # a literal path is its own resource, though a POST there reaches {instrument}'s route
        ("/api/v1/questionnaires/due", "GET, HEAD, OPTIONS"),
        ("/checkin", "GET, HEAD, POST, OPTIONS"),
        ("/static/favicon.svg", "GET, HEAD, OPTIONS"),
        ("/openapi.json", "GET, HEAD, OPTIONS"),
    ):
        answer = runner.client.options(path)
        assert answer.status_code == 204, path
        assert answer.headers["allow"] == allowed, path
        assert answer.content == b""
        assert answer.headers["x-content-type-options"] == "nosniff"
    assert runner.client.options("/api/v1/nothing-here").status_code == 404


def test_every_documented_method_is_in_allow(client: TestClient) -> None:
    paths: dict[str, set[str]] = {}
    for method, path, _operation in _operations(client):
        paths.setdefault(path, set()).add(method)
    for path, methods in paths.items():
        concrete = path.replace("{name}", "pain").replace("{", "x").replace("}", "")
        allowed = set(client.options(concrete).headers["allow"].split(", "))
        assert allowed - {"HEAD", "OPTIONS"} == methods, path
        assert ("HEAD" in allowed) == ("GET" in methods)


def test_head_is_get_without_a_body(runner_with_programme: ProgrammeRunner) -> None:
    me = runner_with_programme.client  # the cookie, no CSRF header: HEAD is safe
    for path in (
        "/api/v1/today",
        "/api/v1/library/rules",
        "/api/v1/progress/calendar.ics",
        "/healthz",
        "/today",
        "/static/favicon.svg",
    ):
        got = me.get(path)
        head = me.head(path)
        assert head.status_code == got.status_code == 200, path
        assert head.content == b"", path
        assert head.headers["content-type"] == got.headers["content-type"], path
        assert int(head.headers["content-length"]) == len(got.content), path
        assert head.headers["content-security-policy"] == got.headers["content-security-policy"]


def test_a_method_the_path_does_not_take_is_405_naming_every_method(client: TestClient) -> None:
    for method, path, allowed in (
        ("PATCH", "/api/v1/session", "POST, DELETE, OPTIONS"),
        ("GET", "/api/v1/session", "POST, DELETE, OPTIONS"),
        ("PUT", "/api/v1/activities", "GET, HEAD, POST, OPTIONS"),
        ("DELETE", "/api/v1/questionnaires/due", "GET, HEAD, OPTIONS"),
    ):
        answer = client.request(method, path)
        assert answer.status_code == 405, (method, path)
        assert answer.headers["allow"] == allowed, (method, path)
        assert "does not take" in answer.json()["detail"]
    head = client.head("/api/v1/session")  # no GET there, so no HEAD either
    assert head.status_code == 405 and head.content == b""
    assert head.headers["allow"] == "POST, DELETE, OPTIONS"


# --- days ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/v1/load", "date"),
        ("/api/v1/activities", "since"),
        ("/api/v1/today", "date"),
        ("/api/v1/checkins", "date"),
        ("/api/v1/questionnaires/due", "date"),
        ("/api/v1/progress/summary", "week"),
    ],
)
def test_a_day_is_written_yyyy_mm_dd_and_nothing_else(
    runner_with_programme: ProgrammeRunner, path: str, name: str
) -> None:
    me = runner_with_programme.client
    assert me.get(path, params={name: "2026-12-01"}).status_code == 200
    for bad in ("0", "20261201", "2026-1-1", "2026-W49-2", "2026-12-01T00:00", "", "someday"):
        answer = me.get(path, params={name: bad})
        assert answer.status_code == 400, (path, bad)
        assert "YYYY-MM-DD" in answer.json()["detail"], (path, bad)
        assert "1970" not in answer.text


def test_zero_is_not_1970(runner_with_programme: ProgrammeRunner) -> None:
    me = runner_with_programme.client
    load = me.get("/api/v1/load", params={"date": "0"})
    assert load.status_code == 400
    assert load.json()["errors"] == [
        {"field": "query.date", "message": "“0” is not a date: use the form YYYY-MM-DD."}
    ]
    since = me.get("/api/v1/activities", params={"since": "0"})
    assert since.status_code == 400 and since.json()["errors"][0]["field"] == "query.since"
    early = me.get("/api/v1/load", params={"date": "1969-12-31"})
    assert early.status_code == 400 and "1970-01-01" in early.json()["detail"]


def test_the_openapi_document_says_days_are_dates(client: TestClient) -> None:
    found = []
    for method, path, operation in _operations(client):
        for parameter in operation.get("parameters", []):
            if parameter["name"] in DAY_PARAMETERS:
                found.append((method, path, parameter["name"]))
                schema = parameter["schema"]
                assert schema["type"] == "string" and schema["format"] == "date", (path, schema)
                assert "400" in operation["responses"], path
    assert len(found) >= 8  # today, checkins, the questionnaires, a lesson, summary, load, runs


# --- every answer documented, with its body -----------------------------------------------------


def test_every_error_answer_is_documented_with_its_body(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"HTTPValidationError", "ValidationError"}.isdisjoint(spec["components"]["schemas"])
    for method, path, operation in _operations(client):
        responses = operation["responses"]
        assert "400" in responses, (method, path)  # the NUL guard answers every operation
        for code, answer in responses.items():
            if int(code) < 400:
                continue
            schema = answer["content"]["application/json"]["schema"]
            body = schema["$ref"].rsplit("/", 1)[-1]
            if path == "/healthz" and code == "503":
                assert body == "HealthOut"  # the health check's own answer, as when well
                continue
            assert body in ERROR_BODIES, (method, path, code)
            if code == "422":
                assert schema["$ref"].endswith("/InvalidOut")
            if code == "429":
                assert answer["headers"]["Retry-After"]["required"] is True
            if code == "401":
                assert answer["headers"]["WWW-Authenticate"]["required"] is True


def test_the_nul_guard_answers_as_documented(client: TestClient) -> None:
    answer = client.get("/api/v1/library/search?q=knee%00")
    assert answer.status_code == 400
    assert answer.json() == {"detail": "The address contains a NUL character."}


def test_a_method_the_address_does_not_take_is_405_even_with_a_nul_in_it(
    client: TestClient,
) -> None:
    for method in ("DELETE", "TRACE"):
        for address in ("/api/v1/library/search?q=knee%00", "/api/v1/library/exercises/sq%00uat"):
            answer = client.request(method, address)
            assert answer.status_code == 405, (method, address, answer.text)
            assert "GET" in answer.headers["allow"]
    assert client.get("/api/v1/library/search?q=knee%00").status_code == 400


def test_no_string_of_an_address_is_documented_as_holding_a_nul(client: TestClient) -> None:
    """The NUL guard refuses a NUL anywhere in the path or the query (400): every string
    parameter there says so, or has a stricter rule, so that what the document calls valid is
    never refused (the fuzz found ``?q=`` with a NUL in it, "valid", answered 400)."""
    spec = client.get("/openapi.json").json()
    strings = []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] not in ("path", "query"):
                    continue
                schema = parameter["schema"]
                for choice in [schema, *schema.get("anyOf", [])]:
                    if choice.get("type") == "string":
                        strings.append((method, path, parameter["name"], choice))
    assert len(strings) > 30
    for method, path, name, choice in strings:
        ruled = {"enum", "const", "format", "pattern"} & choice.keys()
        assert ruled, (method, path, name)
        if "pattern" in choice:
            assert re.fullmatch(choice["pattern"], "a\x00b") is None, (method, path, name)


def test_json_bodies_are_documented_as_text(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    sign_up = spec["components"]["schemas"]["SignUpBody"]["properties"]
    assert "\\x00" in sign_up["name"]["pattern"] and "\\x00" in sign_up["password"]["pattern"]
    assert sign_up["password"]["minLength"] == 10
    assert "Europe/London" in sign_up["timezone"]["enum"]
    answers = spec["paths"]["/api/v1/questionnaires/{instrument}"]["post"]["requestBody"]
    schema = answers["content"]["application/json"]["schema"]["properties"]["answers"]
    assert "\\x00" in schema["propertyNames"]["pattern"]
    refused = client.post(
        "/api/v1/accounts",
        json={"email": "a@example.com", "password": "a long phrase\x01", "name": "x"},
    )
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "$.password"


def test_apps_of_the_same_routes_share_one_document_and_a_new_route_is_documented(
    app_config: Any,
) -> None:
    """The finished document is made once per process for the same routes (``web.openapi``),
    never served stale to an app whose routes differ."""
    from contextlib import ExitStack

    from fastapi.routing import APIRoute

    from runrehab.web.app import create_app

    def extra() -> dict[str, str]:
        return {}

    first, second, third = (create_app(app_config) for _ in range(3))
    with ExitStack() as started:  # each app started and shut down (its database closed)
        for app in (first, second, third):
            started.enter_context(TestClient(app))
        assert first.openapi() is second.openapi()
        assert "/api/v1/extra" not in first.openapi()["paths"]
        third.router.routes.append(APIRoute("/api/v1/extra", extra, methods=["GET"]))
        document = third.openapi()
        assert document is not first.openapi()
        assert "/api/v1/extra" in document["paths"]
        assert document["paths"].keys() - {"/api/v1/extra"} == first.openapi()["paths"].keys()
