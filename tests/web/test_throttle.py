"""The log-in throttle slows attackers without locking runners out (issue 13, findings 2-4):
the runner's own browser keeps its own allowance, delays grow instead of a hard lock, password
re-checks are throttled too, a proxy's X-Forwarded-For is believed only from a trusted proxy,
and the counts live in the database, so every server process sees the same ones."""

from __future__ import annotations

import ipaddress
from datetime import timedelta

from fastapi.testclient import TestClient

from runrehab.services.accounts.throttle import LOG_IN, Policy
from runrehab.web.app import create_app
from runrehab.web.config import WebConfig
from tests.fakes import FixedClock
from tests.web.conftest import PASSWORD, Browser

WRONG = "not-the-password-1"


def _stranger(client: TestClient, address: str = "203.0.113.9") -> TestClient:
    """Another client of the same server: no cookies of the runner's, its own address."""
    return TestClient(client.app, base_url="http://127.0.0.1", client=(address, 40000))


def _log_in(client: TestClient, email: str, password: str) -> int:
    answer = client.post("/api/v1/session", json={"email": email, "password": password})
    return int(answer.status_code)


def test_fifty_failures_from_others_never_keep_the_runner_s_own_browser_out(
    runner: Browser,
) -> None:
    """The Done-when of issue 13: the browser that logged in before still logs in at once."""
    runner.submit("/logout")
    for n in range(50):
        stranger = _stranger(runner.client, f"198.51.100.{n % 7}")
        assert _log_in(stranger, runner.email, WRONG) in (400, 429)
    # an unknown browser now waits
    blocked = _stranger(runner.client).post(
        "/api/v1/session", json={"email": runner.email, "password": PASSWORD}
    )
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 0
    # the runner's own browser (its device cookie) signs in at once, through the page too
    runner.page("/login")
    own = runner.submit("/login", {"email": runner.email, "password": PASSWORD})
    assert own.status_code == 303 and own.headers["location"] == "/today"


def test_an_unknown_browser_waits_longer_after_each_failure_but_is_never_locked(
    client: TestClient, clock: FixedClock
) -> None:
    client.post("/api/v1/accounts", json={"email": "sam@example.com", "password": PASSWORD})
    stranger = _stranger(client)
    for _ in range(LOG_IN.free - 1):
        assert _log_in(stranger, "sam@example.com", WRONG) == 400
    waits = []
    for _ in range(4):
        assert _log_in(stranger, "sam@example.com", WRONG) == 400  # counted: then a wait
        answer = stranger.post(
            "/api/v1/session", json={"email": "sam@example.com", "password": PASSWORD}
        )
        assert answer.status_code == 429  # the password is not even tried while waiting
        waits.append(int(answer.headers["retry-after"]))
        clock.advance(seconds=waits[-1])
    assert waits == [1, 2, 4, 8]
    assert _log_in(stranger, "sam@example.com", PASSWORD) == 200  # after the wait, in


def test_the_delay_doubles_up_to_its_ceiling() -> None:
    policy = Policy(free=5, first_delay_s=1, max_delay_s=900)
    assert [policy.delay(n).total_seconds() for n in range(3, 9)] == [0, 0, 1, 2, 4, 8]
    assert policy.delay(60) == timedelta(seconds=900)


def test_wrong_passwords_on_change_and_deletion_are_throttled(runner: Browser) -> None:
    for _ in range(4):
        wrong = runner.api(
            "PUT",
            "/api/v1/account/password",
            json={"current_password": WRONG, "new_password": "another-pass-2026"},
        )
        assert wrong.status_code == 400
    deleting = runner.api("POST", "/api/v1/account/delete", json={"password": WRONG})
    assert deleting.status_code == 400  # the fifth wrong re-check: now the account waits
    for path, body in (
        ("/api/v1/account/delete", {"password": PASSWORD}),
        ("/api/v1/account/password", {"current_password": PASSWORD, "new_password": "x" * 12}),
    ):
        method = "POST" if path.endswith("delete") else "PUT"
        answer = runner.api(method, path, json=body)
        assert answer.status_code == 429 and int(answer.headers["retry-after"]) >= 1
    page = runner.submit("/account/delete", {"password": PASSWORD})
    assert page.status_code == 429 and "Too many wrong passwords" in page.text
    assert runner.client.get("/api/v1/account").status_code == 200  # nothing was deleted


def test_forwarded_for_is_not_believed_from_an_untrusted_peer(client: TestClient) -> None:
    """Twenty failures from one loopback caller that names a new address each time still
    count against the caller's own address (uvicorn's default would have believed them)."""
    local = _stranger(client, "127.0.0.1")
    for n in range(20):
        email = f"nobody{n}@example.com"
        answer = local.post(
            "/api/v1/session",
            json={"email": email, "password": WRONG},
            headers={"X-Forwarded-For": f"192.0.2.{n}"},
        )
        assert answer.status_code == 400
    rotated = local.post(
        "/api/v1/session",
        json={"email": "new@example.com", "password": WRONG},
        headers={"X-Forwarded-For": "192.0.2.200"},
    )
    assert rotated.status_code == 429


def test_a_trusted_proxy_s_forwarded_for_names_the_client(
    app_config: WebConfig,
) -> None:
    config = WebConfig(
        database=app_config.database,
        clock=app_config.clock,
        passwords=app_config.passwords,
        trusted_proxies=(ipaddress.ip_network("127.0.0.1/32"),),
    )
    with TestClient(
        create_app(config), base_url="http://127.0.0.1", client=("127.0.0.1", 1)
    ) as proxy:
        for n in range(20):  # one client's twenty failures, behind the proxy
            proxy.post(
                "/api/v1/session",
                json={"email": f"nobody{n}@example.com", "password": WRONG},
                headers={"X-Forwarded-For": "192.0.2.1, 127.0.0.1"},
            )
        same = {"X-Forwarded-For": "192.0.2.1"}
        other = {"X-Forwarded-For": "192.0.2.2"}
        body = {"email": "x@example.com", "password": WRONG}
        assert proxy.post("/api/v1/session", json=body, headers=same).status_code == 429
        assert proxy.post("/api/v1/session", json=body, headers=other).status_code == 400


def test_every_server_process_counts_the_same_failures(
    client: TestClient, app_config: WebConfig
) -> None:
    """Two apps on one database (two server processes): failures sent to one make the other
    wait, because the counts are in the database, not in a process's memory."""
    client.post("/api/v1/accounts", json={"email": "pat@example.com", "password": PASSWORD})
    with TestClient(create_app(app_config), base_url="http://127.0.0.1") as second:
        first_stranger, second_stranger = _stranger(client), _stranger(second)
        for n in range(LOG_IN.free):
            target = first_stranger if n % 2 else second_stranger
            assert _log_in(target, "pat@example.com", WRONG) == 400
        assert _log_in(first_stranger, "pat@example.com", PASSWORD) == 429
        assert _log_in(second_stranger, "pat@example.com", PASSWORD) == 429
