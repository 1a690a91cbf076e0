"""The app on the home screen and offline: the manifest and its icons, the service worker
served from the root, the offline page, and the guard on a check-in sent after being offline
(the same one sent twice is recorded once; it never overwrites a newer one)."""

from __future__ import annotations

import io
import json
import re
from typing import Any

from fastapi.testclient import TestClient

from runrehab.content.words import shipped_words
from runrehab.services.journal.offline import Replay, made_on_server, replay_of
from tests.fakes import FixedClock
from tests.web.conftest import ProgrammeRunner
from tests.web.test_today import check_in

MINUTE = 60_000


def test_the_manifest_names_the_app_its_start_and_its_icons(client: TestClient) -> None:
    answer = client.get("/manifest.webmanifest")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/manifest+json"
    manifest = answer.json()
    assert manifest["name"] == manifest["short_name"] == "RunRehab"
    assert manifest["start_url"] == "/today" and manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#0b6e4f" and manifest["background_color"] == "#f6f8fa"
    from PIL import Image

    sizes = set()
    for icon in manifest["icons"]:
        assert re.fullmatch(r"/static/icons/[a-z0-9-]+\.png\?v=[0-9a-f]{12}", icon["src"])
        image = client.get(icon["src"])
        assert image.status_code == 200 and image.headers["content-type"] == "image/png"
        width, height = Image.open(io.BytesIO(image.content)).size
        assert f"{width}x{height}" == icon["sizes"]
        sizes.add((icon["sizes"], icon.get("purpose", "any")))
    assert sizes == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}


def test_the_service_worker_is_served_from_the_root_never_kept(client: TestClient) -> None:
    answer = client.get("/sw.js")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/javascript")
    assert answer.headers["service-worker-allowed"] == "/"
    assert answer.headers["cache-control"] == "no-cache"
    body = answer.text
    assert "{{" not in body and "{%" not in body
    config = json.loads(re.search(r"const CONFIG = (\{.*?\});", body).group(1))  # type: ignore[union-attr]
    shell = config["shell"]
    for path in ("css/app.css", "css/offline.css", "js/offline.js", "js/offline-notice.js"):
        assert any(url.startswith(f"/static/{path}?v=") for url in shell), path
    for url in shell:  # every kept file is there, at the address the pages use
        assert client.get(url).status_code == 200, url
    assert config["pages"] == ["/today", "/checkin", "/library", "/library/exercises/"]
    assert config["made_at"] == "X-Made-At"
    assert client.get("/sw.js").text == body  # the same worker until a file changes


def test_every_page_links_the_manifest_and_the_offline_script(client: TestClient) -> None:
    html = client.get("/").text
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert re.search(r'<script src="/static/js/offline\.js\?v=[0-9a-f]{12}" data-more=', html)
    # the notice's script and styles load only when needed (no connection, a kept check-in)
    assert re.search(r'data-more="/static/js/offline-notice\.js\?v=[0-9a-f]{12}"', html)
    assert re.search(r'data-css="/static/css/offline\.css\?v=[0-9a-f]{12}"', html)
    offline = client.get("/offline")
    assert offline.status_code == 200 and "<h1>You are offline</h1>" in offline.text


def replayed(me: ProgrammeRunner, made: int, sent: int, **fields: Any) -> Any:
    headers = {"X-Made-At": str(made), "X-Sent-At": str(sent)}
    form = {"pain_now": "1", "pain_at_rest": "0", "pain_worst": "2", "ran": "no", **fields}
    return me.submit("/checkin", form, headers=headers)


def stored(me: ProgrammeRunner) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = me.client.get("/api/v1/checkins").json()["checkins"]
    return found


def test_a_check_in_sent_twice_after_being_offline_is_recorded_once(
    runner_with_programme: ProgrammeRunner, clock: FixedClock
) -> None:
    me = runner_with_programme
    me.page("/checkin")
    made = 1_000 * MINUTE  # the phone's clock need not be right: only the age counts
    first = replayed(me, made, made + 20 * MINUTE, pain_worst="3")
    assert first.status_code == 303 and first.headers["location"] == "/checkin/done?date=2026-12-01"
    clock.advance(seconds=5)
    again = replayed(me, made, made + 20 * MINUTE + 5_000, pain_worst="3")
    assert again.status_code == 303 and again.headers["location"] == "/checkin/done?date=2026-12-01"
    (one,) = stored(me)
    assert one["revision"] == 1 and one["checkin"]["pain"]["worst_24h"] == 3


def test_a_check_in_made_offline_never_overwrites_a_newer_one(
    runner_with_programme: ProgrammeRunner, clock: FixedClock
) -> None:
    me = runner_with_programme
    me.page("/checkin")
    made = 5_000 * MINUTE
    clock.advance(minutes=30)
    # made offline 30 minutes ago; 10 minutes later the runner checked in again online (the
    # phone had a connection there); now the kept one arrives
    clock.advance(minutes=-20)
    assert check_in(me, pain_worst="4").status_code == 303
    clock.advance(minutes=20)
    late = replayed(me, made, made + 30 * MINUTE, pain_worst="1")
    assert late.status_code == 303 and late.headers["location"] == "/checkin/done?date=2026-12-01"
    (one,) = stored(me)
    assert one["revision"] == 1 and one["checkin"]["pain"]["worst_24h"] == 4
    # one made after the stored one replaces it, as any later check-in does
    newer = replayed(me, made, made + 5 * MINUTE, pain_worst="2")
    assert newer.status_code == 303
    (one,) = stored(me)
    assert one["revision"] == 2 and one["checkin"]["pain"]["worst_24h"] == 2


def test_a_bad_replay_time_is_refused_naming_the_header_and_nothing_is_stored(
    runner_with_programme: ProgrammeRunner,
) -> None:
    me = runner_with_programme
    me.page("/checkin")
    for made, sent, named in (
        ("yesterday", "1", "X-Made-At"),
        ("10", "9", "X-Sent-At"),
        ("10", "-3", "X-Sent-At"),
        ("9" * 40, "1", "X-Made-At"),
    ):
        headers = {"X-Made-At": made, "X-Sent-At": sent}
        answer = me.submit("/checkin", {"pain_now": "1"}, headers=headers)
        assert answer.status_code == 422, answer.text
        assert named in answer.text
    assert stored(me) == []


def test_the_age_not_the_phones_clock_says_when_it_was_made() -> None:
    words = shipped_words()
    assert replay_of(None, "5", words) is None
    replay = replay_of("1000", "61000", words)
    assert replay == Replay(1000, 61000)
    assert replay_of("1000", None, words) == Replay(1000, 1000)
    clock = FixedClock()
    assert (clock.now() - made_on_server(replay, clock)).total_seconds() == 60
