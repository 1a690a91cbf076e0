"""Every request has an id: a proxy's ``X-Request-ID`` kept (a new one made when there is
none, or it is not one we can log as it is), returned in the answer, and carried by every
line logged for the request, in the route's own thread too; with ``RUNREHAB_LOG_FORMAT=json``
each line is one JSON object. Secrets in paths are not logged."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from runrehab import bootstrap, logs
from runrehab.web.app import create_app
from runrehab.web.config import WebConfig
from runrehab.web.request_log import shown_path

pytestmark = pytest.mark.usefixtures("restore_logging")


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture
def logged(sqlite_url: str) -> Iterator[tuple[TestClient, io.StringIO]]:
    """The app, with its log written as JSON lines to a string, and a route of the test's
    own that logs from the thread it runs in (as every ``def`` route does)."""
    app = create_app(WebConfig(database=sqlite_url))
    stream = io.StringIO()
    logs.configure("json", stream)

    def noisy() -> dict[str, str]:
        logging.getLogger("runrehab.test").info("working on it")
        return {}

    app.add_api_route("/test-noisy", noisy)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        yield client, stream


def _lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_every_line_of_a_request_carries_its_id(logged: tuple[TestClient, io.StringIO]) -> None:
    client, stream = logged
    answer = client.get("/test-noisy", headers={"X-Request-ID": "proxy-42.a"})
    assert answer.headers["x-request-id"] == "proxy-42.a"
    client.get("/healthz")  # another request, with an id of its own
    lines = _lines(stream)
    mine = [line for line in lines if line.get("request_id") == "proxy-42.a"]
    assert [(line["logger"], line["message"]) for line in mine] == [
        ("runrehab.test", "working on it"),
        ("runrehab.access", mine[1]["message"]),
    ]
    assert (mine[1]["method"], mine[1]["path"], mine[1]["status"]) == ("GET", "/test-noisy", 200)
    other = [line for line in lines if line["logger"] == "runrehab.access"][-1]
    assert other["path"] == "/healthz" and len(other["request_id"]) == 32
    assert all(line.get("request_id") for line in lines)


@pytest.mark.parametrize("given", ["", "has space", "x" * 129, "semi;colon", "é".encode()])
def test_an_id_we_cannot_log_as_it_is_is_replaced(
    logged: tuple[TestClient, io.StringIO], given: str | bytes
) -> None:
    client, _stream = logged
    sent = given if isinstance(given, bytes) else given.encode()
    answer = client.get("/healthz", headers=[(b"X-Request-ID", sent)])
    made = answer.headers["x-request-id"]
    assert made != given and len(made) == 32 and made.isalnum()


def test_a_token_in_a_path_is_not_logged() -> None:
    token = "Zx9_abcdefghijklmnopqrstuvwxyz0123456789-AB"
    assert shown_path(f"/calendar/{token}.ics") == "/calendar/:token.ics"
    assert shown_path("/api/v1/imports/0123456789abcdef0123456789abcdef") == (
        "/api/v1/imports/:token"
    )
    assert shown_path("/today") == "/today"


def test_text_logs_are_readable_and_json_is_asked_for_by_the_environment() -> None:
    assert bootstrap.environment({}).log_format == "text"
    assert bootstrap.environment({"RUNREHAB_LOG_FORMAT": "json"}).log_format == "json"
    stream = io.StringIO()
    logs.configure("text", stream)
    with logs.bound(request_id="r1"):
        logging.getLogger("runrehab.test").warning("careful")
    assert stream.getvalue().rstrip().endswith("WARNING runrehab.test [r1] careful")
