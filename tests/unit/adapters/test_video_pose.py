"""The pose adapter's checks before any decoding (no mediapipe needed): what looks like a
video, and files refused for their size, their content or being unreadable; the command
line's exit status and reason for each."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from runrehab.adapters.video.pose import MEDIAPIPE_INDEX, check_file, looks_like_video
from runrehab.engine.movement import LANDMARKS
from runrehab.services.movement.analysis import VideoLimits, VideoRefused

MP4 = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + bytes(100)


@pytest.mark.parametrize(
    ("head", "video"),
    [
        (MP4, True),
        (b"\x1a\x45\xdf\xa3" + bytes(60), True),  # WebM, Matroska
        (b"RIFF\x00\x00\x00\x00AVI LIST", True),
        (b"\x47" + bytes(187) + b"\x47" + bytes(10), True),  # MPEG transport stream
        (b"\x47 is not a transport stream without its second sync byte" + bytes(200), False),
        (b"%PDF-1.7\n", False),
        (b"\x89PNG\r\n\x1a\n", False),
        (b"", False),
    ],
)
def test_what_starts_like_a_video_container(head: bytes, video: bool) -> None:
    assert looks_like_video(head) is video


def test_every_landmark_the_engine_reads_has_its_mediapipe_index() -> None:
    assert set(MEDIAPIPE_INDEX) == set(LANDMARKS)
    assert len(set(MEDIAPIPE_INDEX.values())) == len(LANDMARKS)


def _refusal(path: Path, limits: VideoLimits | None = None) -> str:
    with pytest.raises(VideoRefused) as refused:
        check_file(path, limits or VideoLimits())
    return refused.value.key


def test_files_that_are_not_videos_too_large_or_missing_are_refused(tmp_path: Path) -> None:
    text = tmp_path / "notes.mp4"
    text.write_text("a shopping list, not a video")
    assert _refusal(text) == "not_a_video"
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(MP4 + bytes(5000))
    check_file(clip, VideoLimits())  # a small MP4 passes
    assert _refusal(clip, VideoLimits(max_bytes=1000)) == "too_large"
    assert _refusal(tmp_path / "missing.mp4") == "cannot_read"


def test_the_command_line_refuses_bad_input_with_exit_status_2(tmp_path: Path) -> None:
    from runrehab.cli.main import app

    text = tmp_path / "notes.mp4"
    text.write_text("a shopping list, not a video")
    runner = CliRunner()
    refused = runner.invoke(app, ["movement", str(text), "--json"])
    assert refused.exit_code == 2
    assert "not a video" in refused.stderr and refused.stdout == ""
    wrong = runner.invoke(app, ["movement", str(text), "--exercise", "plank"])
    assert wrong.exit_code == 2 and "--exercise" in wrong.stderr
    view = runner.invoke(app, ["movement", str(text), "--view", "top"])
    assert view.exit_code == 2 and "--view" in view.stderr
