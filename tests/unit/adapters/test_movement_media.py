"""The movement check's probe (a file's type by its first bytes, an MP4's length from its movie
header, in plain Python) and the knee angles kept for the chart. Milliseconds: no decoding."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from runrehab.adapters.movement_media import knee_angles, mp4_seconds, probe
from runrehab.services.movement.checks import VideoProblem
from tests.conftest import SHARED
from tests.movement_fakes import MP4_HEAD, tiny_mp4

CLIPS = SHARED / "fixtures" / "video"


def box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(body), kind) + body


@given(st.floats(min_value=0.1, max_value=3600), st.binary(max_size=300))
def test_the_length_is_read_wherever_the_movie_header_is(seconds: float, media: bytes) -> None:
    moov = tiny_mp4(seconds)[len(MP4_HEAD) :]
    for layout in (MP4_HEAD + moov + box(b"mdat", media), MP4_HEAD + box(b"mdat", media) + moov):
        found = mp4_seconds(io.BytesIO(layout))
        assert found == pytest.approx(seconds, abs=0.001)  # milliseconds in the header


def test_a_version_1_movie_header_and_a_64_bit_box() -> None:
    body = bytes([1, 0, 0, 0]) + bytes(16) + struct.pack(">IQ", 600, 600 * 90) + bytes(80)
    moov = box(b"moov", box(b"mvhd", body))
    big = struct.pack(">I4sQ", 1, b"free", 16 + 4) + bytes(4)  # a box with a 64-bit size
    assert mp4_seconds(io.BytesIO(MP4_HEAD + big + moov)) == 90.0


@given(st.binary(max_size=200))
def test_any_bytes_give_a_length_or_none_never_an_error(data: bytes) -> None:
    found = mp4_seconds(io.BytesIO(MP4_HEAD + data))
    assert found is None or found >= 0


def test_the_probe_refuses_what_is_not_a_clip(tmp_path: Path) -> None:
    text = tmp_path / "notes.mp4"
    text.write_bytes(b"Dear diary, today I did squats.")
    with pytest.raises(VideoProblem) as refused:
        probe(text)
    assert refused.value.key == "not_a_video"
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(MP4_HEAD + box(b"mdat", b"x" * 50))  # no movie header: cut short
    with pytest.raises(VideoProblem) as refused:
        probe(cut)
    assert refused.value.key == "unreadable"
    ok = tmp_path / "ok.mp4"
    ok.write_bytes(tiny_mp4(42))
    assert (probe(ok).seconds, probe(ok).media_type) == (42.0, "video/mp4")


@pytest.mark.skipif(not CLIPS.exists(), reason="no shared clips (../shared/fixtures/video)")
def test_the_probe_reads_the_real_clips_lengths() -> None:
    lengths = {p.name: probe(p).seconds for p in sorted(CLIPS.glob("*.mp4"))}
    # SOURCES.md: 10.7 s (322 frames at 30 fps) and 41.3 s (990 at 23.98)
    assert lengths["squat_side__yuyoujiang.mp4"] == pytest.approx(10.7, abs=0.1)
    assert lengths["air_squat_front_side__mrpose.mp4"] == pytest.approx(41.3, abs=0.1)
    assert all(0 < s < 120 for s in lengths.values() if s is not None)


def test_the_chart_line_breaks_where_the_tracking_paused() -> None:
    from types import SimpleNamespace

    samples = [SimpleNamespace(t=t, left_knee_deg=10.0, right_knee_deg=20.0) for t in (0, 0.1, 1.0)]
    angles = knee_angles(SimpleNamespace(curve=samples))  # type: ignore[arg-type]
    assert angles == {
        "t": [0, 0.1, 0.55, 1.0],
        "left": [10.0, 10.0, None, 10.0],
        "right": [20.0, 20.0, None, 20.0],
    }


def test_key_frames_are_drawn_from_the_video_as_jpeg(tmp_path: Path) -> None:
    """A clip made here with OpenCV (the video extra's): a key frame per rep, at its time,
    with the skeleton drawn (in a process of its own)."""
    cv2 = pytest.importorskip("cv2")
    numpy = pytest.importorskip("numpy")
    from types import SimpleNamespace

    from runrehab.adapters.movement_media import draw_key_frames
    from runrehab.engine.movement import LANDMARKS, Frame, Point, Series

    path = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10.0, (160, 240))
    for _ in range(30):
        writer.write(numpy.full((240, 160, 3), 40, dtype=numpy.uint8))
    writer.release()
    points = tuple(Point(0.4 + 0.2 * (i % 2), 0.2 + 0.05 * i, 0.9) for i in range(len(LANDMARKS)))
    series = Series(tuple(Frame(i / 10, points) for i in range(30)), 160, 240)
    reps = [
        SimpleNamespace(number=n, bottom_s=t, fppa_deg=7.0, knee_flexion_max_deg=60.0)
        for n, t in ((1, 0.5), (2, 2.0))
    ]
    curve = [SimpleNamespace(t=i / 10, left_knee_deg=60.0, right_knee_deg=20.0) for i in range(30)]
    result = SimpleNamespace(series=series, reps=reps, curve=curve)
    frames = draw_key_frames(path, result)  # type: ignore[arg-type]
    assert [(f.position, f.time_s, f.media_type) for f in frames] == [
        (1, 0.5, "image/jpeg"),
        (2, 2.0, "image/jpeg"),
    ]
    image = cv2.imdecode(numpy.frombuffer(frames[0].image, numpy.uint8), cv2.IMREAD_COLOR)
    assert image.shape[:2] == (240, 160)
    assert image.max() > 200  # the skeleton's lines and the angles, drawn on a dark frame


def test_the_bend_filmed_from_the_front_is_left_out_of_the_chart() -> None:
    from types import SimpleNamespace

    from runrehab.engine.movement import View

    samples = [SimpleNamespace(t=t / 10, left_knee_deg=50.0, right_knee_deg=5.0) for t in range(30)]
    views = [SimpleNamespace(view=View.FRONT, start_s=0.0, end_s=1.0),
             SimpleNamespace(view=View.SIDE, start_s=1.0, end_s=3.0)]  # fmt: skip
    angles = knee_angles(SimpleNamespace(curve=samples, views=views, view=View.SIDE))  # type: ignore[arg-type]
    assert angles["t"][0] == 1.0 and angles["t"][-1] == 2.9
    front_only = SimpleNamespace(curve=samples, views=[], view=View.FRONT)
    assert knee_angles(front_only) == {"t": [], "left": [], "right": []}  # type: ignore[arg-type]
