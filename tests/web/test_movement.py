"""The movement check on the web: the upload form, bad input refused with its reason (nothing
stored), a check's page with its reps, findings, chart and key frames (the fake analyser's, run
at once: no video is decoded), the API, who may see a check, and privacy (the video deleted
once analysed unless kept; the export carries the check; deleting removes it)."""

from __future__ import annotations

import base64
import re
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from runrehab.adapters.db.tables import movement_checks, movement_frames, movement_videos
from tests.movement_fakes import FakeAnalyser, install, tiny_mp4
from tests.web.conftest import PASSWORD, Browser, sign_up

MP4 = ("squat.mp4", tiny_mp4(), "video/mp4")


def upload(runner: Browser, video: Any = MP4, **fields: str) -> Any:
    runner.page("/movement")
    data = {"exercise": "single_leg_squat", "view": "front", **fields}
    files = {"video": video} if video is not None else None
    return runner.submit("/movement", data, files=files)


def count(client: TestClient, table: Any) -> int:
    db = client.app.state.parts.db  # type: ignore[attr-defined]
    with db.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


def done_check(runner: Browser, video: Any = MP4, **fields: str) -> str:
    answer = upload(runner, video, **fields)
    assert answer.status_code == 303, answer.text
    found = re.fullmatch(r"/movement/([0-9a-f]{32})", answer.headers["location"])
    assert found, answer.headers["location"]
    return found.group(1)


def test_the_page_offers_the_phone_camera_and_the_choices(runner: Browser) -> None:
    page = runner.page("/movement")
    assert page.status_code == 200
    assert 'type="file" accept="video/*" capture="environment"' in page.text
    assert 'name="keep_video"' in page.text and "Keep my video" in page.text
    assert 'value="single_leg_squat"' in page.text and 'value="side"' in page.text


def test_bad_uploads_are_refused_with_their_reason_and_nothing_stored(
    client: TestClient, runner: Browser
) -> None:
    install(client.app, max_bytes=4000)
    cases = [
        (("notes.txt", b"just some text", "text/plain"), {}, 400, "not a video"),
        (None, {}, 400, "Choose a video"),
        (("long.mp4", tiny_mp4(seconds=180), "video/mp4"), {}, 400, "180 seconds long"),
        (("big.mp4", tiny_mp4() + bytes(5000), "video/mp4"), {}, 413, "larger than this server"),
        (MP4, {"exercise": "cartwheel"}, 400, "Choose the exercise"),
        (MP4, {"view": "above"}, 400, "Choose where you filmed from"),
    ]
    for video, fields, status, words in cases:
        answer = upload(runner, video, **fields)
        assert answer.status_code == status, (words, answer.status_code)
        assert words in answer.text
        assert 'role="alert"' in answer.text
    api = runner.api(
        "POST",
        "/api/v1/movement-checks",
        files={"video": ("notes.txt", b"text", "text/plain")},
        data={"exercise": "squat"},
    )
    assert api.status_code == 400
    assert api.json()["errors"][0]["field"] == "body.video"
    assert "not a video" in api.json()["detail"]
    assert count(client, movement_checks) == 0


def test_a_check_shows_its_reps_findings_chart_and_key_frames(
    client: TestClient, runner: Browser
) -> None:
    analyser = install(client.app, FakeAnalyser(reps=10)).analyse
    check_id = done_check(runner)
    assert analyser.asked == [("single_leg_squat", "front")]
    page = runner.page(f"/movement/{check_id}")
    assert page.status_code == 200
    text = page.text
    assert "10 reps counted" in text and text.count('<tr id="rep-') == 10
    assert "10 controlled reps counted on the left leg" in text  # the readiness evidence
    assert "Your left knee drops inward" in text and "movement-fppa-high" in text
    assert "<summary>Why?</summary>" in text
    assert "<svg" in text and 'class="knee left"' in text
    assert f'src="/movement/{check_id}/frames/1.jpg"' in text
    image = runner.client.get(f"/movement/{check_id}/frames/1.jpg")
    assert image.status_code == 200 and image.headers["content-type"] == "image/jpeg"
    assert image.content[:2] == b"\xff\xd8"
    assert "no-store" in image.headers["cache-control"]
    listed = runner.page("/movement")
    assert f'href="/movement/{check_id}"' in listed.text


def test_the_api_gives_the_same_check(client: TestClient, runner: Browser) -> None:
    install(client.app, FakeAnalyser(reps=3, side="right"))
    started = runner.api(
        "POST",
        "/api/v1/movement-checks",
        files={"video": MP4},
        data={"exercise": "squat", "view": "side"},
    )
    assert started.status_code == 202, started.text
    check_id = started.json()["id"]
    assert started.headers["location"] == f"/api/v1/movement-checks/{check_id}"
    check = runner.api("GET", f"/api/v1/movement-checks/{check_id}").json()
    assert check["status"] == "done" and check["finished"] and check["progress"] == 100
    assert check["rep_count"] == 3 and [r["side"] for r in check["reps"]] == ["right"] * 3
    assert check["reps"][0]["fppa_deg"] is None  # filmed from the side: not given, not guessed
    assert check["evidence"] is None  # a squat is no readiness test
    frame = check["key_frames"][0]["url"]
    assert runner.api("GET", frame).content[:2] == b"\xff\xd8"
    listed = runner.api("GET", "/api/v1/movement-checks").json()["checks"]
    assert [c["id"] for c in listed] == [check_id]
    assert runner.api("DELETE", f"/api/v1/movement-checks/{check_id}").json() == {
        "deleted": check_id
    }
    assert runner.api("GET", f"/api/v1/movement-checks/{check_id}").status_code == 404


def test_a_failed_analysis_says_why(client: TestClient, runner: Browser) -> None:
    install(client.app, FakeAnalyser(refuse="Nobody could be seen in this video."))
    check_id = done_check(runner)
    page = runner.page(f"/movement/{check_id}")
    assert "Nobody could be seen in this video." in page.text
    assert count(client, movement_frames) == 0


def test_another_runner_sees_nothing_of_it(client: TestClient, runner: Browser) -> None:
    install(client.app)
    check_id = done_check(runner)
    other = sign_up(TestClient(client.app, base_url="http://127.0.0.1"), "other@example.com")
    for path in (
        f"/movement/{check_id}",
        f"/movement/{check_id}/frames/1.jpg",
        f"/api/v1/movement-checks/{check_id}",
        f"/api/v1/movement-checks/{check_id}/frames/1",
    ):
        assert other.client.get(path).status_code == 404, path
    assert other.submit(f"/movement/{check_id}/delete").status_code == 404
    assert other.api("DELETE", f"/api/v1/movement-checks/{check_id}").status_code == 404
    assert count(client, movement_checks) == 1


def test_the_video_is_deleted_once_analysed_unless_kept(
    client: TestClient, runner: Browser
) -> None:
    install(client.app)
    analysed = done_check(runner)
    assert runner.client.get(f"/movement/{analysed}/video").status_code == 404
    assert "was deleted once analysed" in runner.page(f"/movement/{analysed}").text
    kept = done_check(runner, keep_video="1")
    video = runner.client.get(f"/movement/{kept}/video")
    assert video.status_code == 200 and video.content == tiny_mp4()
    assert count(client, movement_videos) == 1
    from runrehab.adapters.activity_import import scratch_folder

    assert not list(scratch_folder().glob("movement-*"))  # no upload lingers on the disk


def test_the_export_carries_the_checks_and_deleting_removes_them(
    client: TestClient, runner: Browser
) -> None:
    install(client.app)
    check_id = done_check(runner, keep_video="1")
    export = runner.client.get("/progress/export.json").json()
    (exported,) = export["movement_checks"]
    assert exported["id"] == check_id and exported["result"]["rep_count"] == 10
    assert exported["landmarks"]["frames"] == [[0.0, None]]
    assert len(exported["key_frames"]) == 10
    assert base64.b64decode(exported["key_frames"][0]["image_base64"])[:2] == b"\xff\xd8"
    assert base64.b64decode(exported["video"]["video_base64"]) == tiny_mp4()

    deleted = runner.submit(f"/movement/{check_id}/delete")
    assert deleted.status_code == 303
    assert (count(client, movement_checks), count(client, movement_frames)) == (0, 0)
    assert count(client, movement_videos) == 0

    done_check(runner, keep_video="1")
    gone = runner.api("POST", "/api/v1/account/delete", json={"password": PASSWORD})
    assert gone.status_code == 204, gone.text
    assert (count(client, movement_checks), count(client, movement_frames)) == (0, 0)
    assert count(client, movement_videos) == 0


def test_an_export_with_checks_is_read_back_whole() -> None:
    from datetime import UTC, datetime

    from runrehab.adapters.transfer import journal_from_json, journal_to_json
    from runrehab.services.movement.records import (
        CheckStatus,
        KeyFrame,
        MovementCheck,
        StoredMovementCheck,
        StoredVideo,
    )
    from runrehab.services.records import Journal, Person

    at = datetime(2026, 12, 1, 8, tzinfo=UTC)
    check = MovementCheck(
        "c1", "p1", at, "step_down", "front", CheckStatus.DONE, 100, "a.mp4", True,
        result={"rep_count": 1}, landmarks={"frames": []}, finished_at=at,
    )  # fmt: skip
    stored = StoredMovementCheck(
        check, (KeyFrame(1, 2.0, "image/jpeg", b"\xff\xd8x"),), StoredVideo("video/mp4", b"v")
    )
    journal = Journal(Person("p1", "Sam", at), movement_checks=(stored,))
    document = journal_to_json(journal, at)
    assert journal_from_json(document, {}).movement_checks == (stored,)


def test_a_clip_with_nobody_in_it_fails_with_its_reason_in_the_real_analysis(
    client: TestClient, runner: Browser, tmp_path: Any
) -> None:
    """MediaPipe itself (the video extra) on a clip made here of an empty grey room."""
    import pytest

    cv2 = pytest.importorskip("cv2")
    numpy = pytest.importorskip("numpy")
    pytest.importorskip("mediapipe")
    from runrehab.web.movement_uploads import default_parts

    path = tmp_path / "empty.mp4"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 10.0, (160, 240))
    for _ in range(20):
        writer.write(numpy.full((240, 160, 3), 120, dtype=numpy.uint8))
    writer.release()
    parts = default_parts(client.app.state.parts)  # type: ignore[attr-defined]
    client.app.state.movement = parts  # type: ignore[attr-defined]
    check_id = done_check(runner, video=("empty.mp4", path.read_bytes(), "video/mp4"))
    parts.executor.shutdown(wait=True)
    check = runner.api("GET", f"/api/v1/movement-checks/{check_id}").json()
    assert check["status"] == "failed", check
    assert "Nobody could be seen" in check["reason"]
    assert count(client, movement_frames) == 0
