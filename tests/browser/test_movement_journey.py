"""The movement check in a real browser (chromium at phone width): a runner uploads a clip,
watches the progress, and sees the reps and a key frame.

1. With a fake analyser put into the app's composition (``app.state.movement``): no video is
   decoded, the progress page polls (``movement.js``) until the figures show.
2. With the real analyser (MediaPipe in its own process) on a real clip of
   ``../shared/fixtures/video/`` (three squats from the side): it runs only where that folder
   exists and the ``video`` extra is installed, and skips cleanly otherwise.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from runrehab.services.movement.checks import Analysed, Progress
from tests.browser.conftest import LiveServer, assert_accessible, screenshot
from tests.browser.test_smoke import sign_up_in_browser
from tests.conftest import SHARED
from tests.movement_fakes import FakeAnalyser, tiny_mp4

NARROW = {"width": 320, "height": 640}
CLIP = SHARED / "fixtures" / "video" / "squat_side__yuyoujiang.mp4"
CLIP_REPS = 3
"""SOURCES.md: three slow bodyweight squats, filmed from the side."""


class SlowAnalyser(FakeAnalyser):
    """The fake analyser, taking a moment, so the page shows its progress first."""

    def __call__(self, path: Path, exercise: str, view: str | None, progress: Progress) -> Analysed:
        for percent in (10, 30, 60):
            progress(percent)
            time.sleep(0.4)
        return super().__call__(path, exercise, view, progress)


def upload(page: Any, clip: Path, exercise: str, view: str) -> None:
    page.goto("/movement")
    page.get_by_label("Exercise").select_option(exercise)
    page.get_by_label(view).check()
    page.get_by_label("Video", exact=True).set_input_files(str(clip))
    page.get_by_role("button", name="Upload and analyse").click()
    page.wait_for_url("**/movement/*")


def test_a_clip_shows_its_progress_then_reps_and_a_key_frame(
    page: Any, live_server: LiveServer, tmp_path: Path
) -> None:
    from runrehab.adapters.movement_media import probe
    from runrehab.web.movement_uploads import MovementParts

    executor = ThreadPoolExecutor(max_workers=1)
    live_server.app.state.movement = MovementParts(executor, SlowAnalyser(reps=10), probe, 10**7)
    sign_up_in_browser(page, "film@example.com")
    page.wait_for_url("**/start")
    page.goto("/movement")
    screenshot(page, "movement")
    assert_accessible(page, "movement")

    bad = tmp_path / "notes.txt"
    bad.write_text("not a video")
    page.get_by_label("Video", exact=True).set_input_files(str(bad))
    page.get_by_role("button", name="Upload and analyse").click()
    assert "not a video" in page.get_by_role("alert").inner_text()

    clip = tmp_path / "single-leg-squats.mp4"
    clip.write_bytes(tiny_mp4(seconds=25))
    upload(page, clip, "single_leg_squat", "From the front")
    page.locator("progress").first.wait_for(timeout=10_000)  # the progress, while analysed
    page.get_by_role("heading", name="10 reps counted").wait_for(timeout=30_000)  # the JS reload
    main = page.inner_text("main")
    assert "10 controlled reps counted" in main
    assert page.locator("table.reps tbody tr").count() == 10
    frame = page.locator(".frames img").first
    frame.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=frame.element_handle()
    )
    page.locator("details.why summary").first.click()
    assert "movement-fppa-high" in page.locator("details.why").first.inner_text()
    screenshot(page, "movement-check")
    assert_accessible(page, "movement-check")
    page.set_viewport_size(NARROW)  # the smallest phone: no sideways scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    executor.shutdown(wait=True)


def _real_analysis_ready() -> None:
    if not CLIP.exists():
        pytest.skip("no shared video clips here (../shared/fixtures/video)")
    from runrehab.adapters.video.pose import video_extra_installed

    if not video_extra_installed():
        pytest.skip("the video extra (mediapipe) is not installed")


def test_a_real_clip_is_analysed_with_mediapipe(page: Any, live_server: LiveServer) -> None:
    _real_analysis_ready()
    sign_up_in_browser(page, "squat@example.com")
    page.wait_for_url("**/start")
    upload(page, CLIP, "squat", "From the side")
    page.locator("#check-summary, #check-failed").first.wait_for(timeout=180_000)
    main = page.inner_text("main")
    assert f"{CLIP_REPS} reps counted" in main, main
    assert page.locator("table.reps tbody tr").count() == CLIP_REPS
    frame = page.locator(".frames img").first
    frame.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=frame.element_handle()
    )
    screenshot(page, "movement-check-real")
