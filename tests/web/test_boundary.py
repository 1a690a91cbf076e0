"""The outer guards: an exception nothing handled is still an answer in the app's own shape,
and the connection is not closed under the client."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from runrehab.web.boundary import CatchAll, RefuseBadText


def _broken_app() -> FastAPI:
    app = FastAPI()

    @app.get("/api/v1/boom")
    def api_boom() -> None:
        raise RuntimeError("a bug")

    @app.get("/boom")
    def page_boom() -> None:
        raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")

    @app.post("/api/v1/echo")
    def echo(body: dict[str, str]) -> dict[str, str]:
        return body

    app.add_middleware(RefuseBadText)
    app.add_middleware(CatchAll)
    return app


def test_an_unhandled_failure_is_a_500_answer_not_a_dropped_connection() -> None:
    client = TestClient(_broken_app())  # raise_server_exceptions: nothing reaches the server
    api = client.get("/api/v1/boom")
    assert api.status_code == 500
    assert api.json() == {"detail": "Something went wrong on our side."}
    page = client.get("/boom")
    assert page.status_code == 500 and "Something went wrong" in page.text
    assert page.headers["content-type"].startswith("text/html")


def test_a_json_body_with_bad_text_never_reaches_the_route() -> None:
    client = TestClient(_broken_app())
    refused = client.post(
        "/api/v1/echo",
        content=b'{"a": "x\\ud800", "b": "fine", "c": "\\u0000"}',
        headers={"Content-Type": "application/json"},
    )
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["$.a", "$.c"]
    fine = client.post("/api/v1/echo", json={"a": "line one\nline two"})
    assert fine.status_code == 200 and fine.json() == {"a": "line one\nline two"}
