"""Accounts through the pages and the API: sign up, log in and out, the throttle, passwords,
deleting; CSRF on every form; security headers on every answer."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.fakes import FixedClock
from tests.web.conftest import PASSWORD, Browser, sign_up


def test_sign_up_signs_in_and_goes_to_the_assessment(client: TestClient) -> None:
    browser = Browser(client)
    browser.page("/signup")
    answer = browser.submit(
        "/signup", {"email": " Runner@Example.com ", "password": PASSWORD, "timezone": "UTC"}
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/start"
    cookie = answer.headers["set-cookie"]
    assert "rr_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    account = client.get("/api/v1/account").json()
    assert account["email"] == "runner@example.com"


def test_sign_up_refuses_bad_input_and_saves_nothing(client: TestClient) -> None:
    browser = Browser(client)
    browser.page("/signup")
    short = browser.submit("/signup", {"email": "a@b.co", "password": "short"})
    assert short.status_code == 400
    assert "at least 10 characters" in short.text
    bad_zone = browser.submit(
        "/signup", {"email": "a@b.co", "password": PASSWORD, "timezone": "Mars/Base"}
    )
    assert bad_zone.status_code == 400 and "is not a time zone" in bad_zone.text
    assert browser.submit("/login", {"email": "a@b.co", "password": PASSWORD}).status_code == 400


def test_an_email_is_one_account(client: TestClient) -> None:
    sign_up(client, "sam@example.com")
    client.cookies.clear()
    again = Browser(client)
    again.page("/signup")
    answer = again.submit("/signup", {"email": "SAM@example.com", "password": PASSWORD})
    assert answer.status_code == 400 and "already exists" in answer.text


def test_log_out_then_in(runner: Browser) -> None:
    assert runner.submit("/logout").status_code == 303
    assert (
        runner.client.get("/account", follow_redirects=False)
        .headers["location"]
        .startswith("/login")
    )
    runner.page("/login")
    wrong = runner.submit("/login", {"email": runner.email, "password": "not-the-password"})
    assert wrong.status_code == 400
    assert "do not match" in wrong.text
    right = runner.submit(
        "/login", {"email": runner.email, "password": PASSWORD, "next": "/progress"}
    )
    assert right.status_code == 303 and right.headers["location"] == "/progress"


def test_log_in_never_redirects_off_site(runner: Browser) -> None:
    for target in ("//evil.example", "https://evil.example", "/\\evil.example"):
        runner.client.cookies.clear()
        runner.page("/login")
        answer = runner.submit(
            "/login", {"email": runner.email, "password": PASSWORD, "next": target}
        )
        assert answer.headers["location"] == "/today"


def test_failed_log_ins_are_throttled(runner: Browser) -> None:
    runner.submit("/logout")
    runner.page("/login")
    for _ in range(5):
        assert (
            runner.submit(
                "/login", {"email": runner.email, "password": "wrong-guess-1"}
            ).status_code
            == 400
        )
    blocked = runner.submit("/login", {"email": runner.email, "password": PASSWORD})
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) > 0
    api = runner.client.post("/api/v1/session", json={"email": runner.email, "password": PASSWORD})
    assert api.status_code == 429


def test_forms_without_csrf_are_refused(runner: Browser) -> None:
    answer = runner.client.post(
        "/account/timezone", data={"timezone": "UTC"}, follow_redirects=False
    )
    assert answer.status_code == 403
    assert "nothing was done" in answer.text
    wrong = runner.client.post(
        "/account/timezone", data={"timezone": "UTC", "csrf_token": "x" * 43}
    )
    assert wrong.status_code == 403
    assert runner.client.get("/api/v1/account").json()["timezone"] == "Europe/London"
    anonymous = TestClient(runner.client.app, base_url="http://127.0.0.1")
    assert anonymous.post("/login", data={"email": "a", "password": "b"}).status_code == 403


def test_api_with_the_cookie_needs_the_csrf_header(runner: Browser) -> None:
    body = {"timezone": "Asia/Tokyo"}
    assert runner.client.put("/api/v1/account/timezone", json=body).status_code == 403
    assert runner.api("PUT", "/api/v1/account/timezone", json=body).status_code == 200


def test_api_bearer_tokens(client: TestClient) -> None:
    made = client.post("/api/v1/accounts", json={"email": "api@example.com", "password": PASSWORD})
    assert made.status_code == 201
    client.cookies.clear()
    token = client.post(
        "/api/v1/session", json={"email": "api@example.com", "password": PASSWORD}
    ).json()["token"]
    client.cookies.clear()
    auth = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/account", headers=auth).json()["email"] == "api@example.com"
    assert client.get("/api/v1/account").status_code == 401
    assert client.delete("/api/v1/session", headers=auth).status_code == 204
    assert client.get("/api/v1/account", headers=auth).status_code == 401


def test_password_change_signs_out_other_sessions(client: TestClient) -> None:
    first = sign_up(client)
    other = TestClient(client.app, base_url="http://127.0.0.1")
    token = other.post("/api/v1/session", json={"email": first.email, "password": PASSWORD}).json()[
        "token"
    ]
    wrong = first.submit(
        "/account/password",
        {"current_password": "nope-nope-nope", "new_password": "a new knee 2027"},
    )
    assert wrong.status_code == 400
    done = first.submit(
        "/account/password", {"current_password": PASSWORD, "new_password": "a new knee 2027"}
    )
    assert done.status_code == 200 and "password is changed" in done.text
    assert (
        other.get("/api/v1/account", headers={"Authorization": f"Bearer {token}"}).status_code
        == 401
    )
    assert first.client.get("/api/v1/account").status_code == 200


def test_delete_account_needs_the_password_then_removes_everything(runner: Browser) -> None:
    kept = runner.submit("/account/delete", {"password": "not it at all"})
    assert kept.status_code == 400
    gone = runner.submit("/account/delete", {"password": PASSWORD})
    assert gone.status_code == 200 and "deleted" in gone.text
    assert runner.client.get("/api/v1/account").status_code == 401
    runner.page("/login")
    assert runner.submit("/login", {"email": runner.email, "password": PASSWORD}).status_code == 400


def test_every_answer_carries_the_security_headers(client: TestClient) -> None:
    for path in ("/", "/login", "/healthz", "/openapi.json", "/nowhere", "/api/v1/account"):
        answer = client.get(path)
        assert answer.headers["x-content-type-options"] == "nosniff"
        csp = answer.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp


def test_health_and_openapi(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}
    spec = client.get("/openapi.json").json()
    assert "/api/v1/session" in spec["paths"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert "/static/apidocs/swagger-ui-bundle.js" in docs.text
    assert "cdn" not in docs.text.lower()
    assert client.get("/static/apidocs/swagger-ui-bundle.js").status_code == 200


def test_unknown_pages_are_friendly_404s(client: TestClient) -> None:
    page = client.get("/no/such/page")
    assert page.status_code == 404 and "text/html" in page.headers["content-type"]
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404 and api.json()["detail"]


def test_sessions_expire_after_thirty_days(runner: Browser, clock: FixedClock) -> None:
    clock.advance(days=29)
    assert runner.client.get("/api/v1/account").status_code == 200
    clock.advance(days=2)
    assert runner.client.get("/api/v1/account").status_code == 401
    assert runner.client.get("/account", follow_redirects=False).status_code == 303


def test_personal_pages_and_answers_are_never_cached(runner: Browser) -> None:
    """Issue 13, finding 7: a shared computer's browser or a proxy keeps no copy of a
    runner's pages or answers; only the content-addressed static files may be kept."""
    for path in ("/today", "/account", "/api/v1/account", "/api/v1/history", "/api/v1/export"):
        assert "no-store" in runner.client.get(path).headers["cache-control"], path
    style = runner.client.get("/static/css/app.css")
    assert "immutable" in style.headers["cache-control"]
