"""Browser tests: Playwright driving Debian's chromium against the app served by uvicorn on
127.0.0.1 (a real socket, a real SQLite file), with a clock the test can move.

Chromium comes from the system (``apt-get install chromium``), never ``playwright install``
(its download cannot work offline). Without chromium these tests skip, unless
``RUNREHAB_REQUIRE_BROWSER=1`` (CI) makes that a failure. Screenshots go to
``RUNREHAB_SCREENSHOTS`` (default ``build/screenshots``), to be looked at; CI, where no one
looks, sets ``RUNREHAB_NO_SCREENSHOTS=1`` (they are a tenth of the browser tests' time and
assert nothing).
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from runrehab.adapters.passwords import fast_passwords
from tests.conftest import ROOT
from tests.fakes import FixedClock
from tests.servers import free_port

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = Path(os.environ.get("RUNREHAB_SCREENSHOTS", ROOT / "build" / "screenshots"))
SHOOTING = os.environ.get("RUNREHAB_NO_SCREENSHOTS", "") != "1"

pytestmark = pytest.mark.browser


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("RUNREHAB_REQUIRE_BROWSER") == "1":
        pytest.fail("chromium is not installed (apt-get install -y chromium)")
    pytest.skip("chromium is not installed; the browser tests need Debian's chromium")


@dataclass
class LiveServer:
    url: str
    clock: FixedClock
    app: Any


@pytest.fixture
def live_server(migrated_sqlite_url: str) -> Iterator[LiveServer]:
    """The app on a free port of 127.0.0.1, on a new SQLite file already at the latest revision
    (a copy of one migrated once per test process: the migrations have tests of their own)."""
    import uvicorn

    from runrehab.web.app import create_app
    from runrehab.web.config import WebConfig

    clock = FixedClock()
    app = create_app(
        WebConfig(
            database=migrated_sqlite_url,
            clock=clock,
            passwords=fast_passwords(),
            default_timezone="Europe/London",
        )
    )
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the web app did not start")
        time.sleep(0.02)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", clock, app)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(chromium: Any, live_server: LiveServer) -> Iterator[Any]:
    """A phone-sized page (390×844) on the live server, that fails on any JS error or any
    request to another host."""
    context = chromium.new_context(viewport=PHONE, base_url=live_server.url)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    # A page answering 400 or 404 on purpose (a refused log-in) is fine; a script, stylesheet,
    # image or htmx request failing is not. Console errors other than those loads are bugs.
    page.on(
        "console",
        lambda msg: (
            errors.append(msg.text)
            if msg.type == "error" and not msg.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on(
        "response",
        lambda resp: (
            errors.append(f"{resp.status} {resp.url}")
            if resp.status >= 400 and resp.request.resource_type != "document"
            else None
        ),
    )
    outside: list[str] = []
    page.on(
        "request",
        lambda req: (
            outside.append(req.url)
            if not req.url.startswith((live_server.url, "data:", "blob:"))
            else None
        ),
    )
    try:
        yield page
    finally:
        context.close()
    assert not outside, f"requests to other hosts: {outside}"
    assert not errors, f"errors in the browser console: {errors}"


def screenshot(page: Any, name: str) -> None:
    """Save the page at phone width and at desktop width (full page), then restore."""
    if not SHOOTING:
        return
    SHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    for label, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        if page.viewport_size != viewport:  # (a new size is a new layout: only when it is)
            page.set_viewport_size(viewport)
        page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(size)


AXE = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_RUN = (
    "tags => window.axe === undefined ? null"
    " : axe.run(document, {runOnly: {type: 'tag', values: tags}})"
    ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
    " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))"
)
"""The faults axe-core finds on the page (WCAG 2.1 A and AA), or null before it is there."""


def assert_accessible(page: Any, name: str) -> None:
    """Run axe-core (vendored, test-only) on the page as it stands: no WCAG 2.1 A/AA fault."""
    # evaluated through the DevTools protocol, so the app's Content-Security-Policy (scripts
    # from itself only) stays as it is for the test; once a page load (it stays there across
    # a new width or colour scheme): the run answers null when this page has no axe yet
    found = page.evaluate(AXE_RUN, AXE_TAGS)
    if found is None:
        page.evaluate(_axe_source())
        found = page.evaluate(AXE_RUN, AXE_TAGS)
    assert found is not None, f"{name}: axe-core did not load"
    assert not found, f"{name}: accessibility faults: {found}"


@cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8") + "\n;window.axe !== undefined"
