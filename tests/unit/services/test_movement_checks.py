"""The movement check's use cases with a fake analyser and store: what an upload refuses (and
leaves nothing behind), the background analysis with its progress, privacy (the video deleted
once analysed unless kept), what the runner reads, and the readiness evidence. No video is
decoded: each test runs in milliseconds."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from runrehab.content.words import shipped_words
from runrehab.services.content import shipped_content
from runrehab.services.movement.chart import knee_chart
from runrehab.services.movement.check_views import RepView, check_view, readiness_evidence
from runrehab.services.movement.checks import (
    CheckRequest,
    MovementRefused,
    MovementWorker,
    SavedVideo,
    checks_page,
    delete_check,
    fail_unfinished,
    in_thread,
    start_check,
)
from runrehab.services.movement.records import CheckStatus
from tests.fakes import FixedClock
from tests.movement_fakes import (
    FakeAnalyser,
    FakeMovementStore,
    FakeMovementUow,
    Immediately,
    fake_probe,
    tiny_mp4,
)

WORDS = shipped_words()
PROTOCOL = shipped_content().protocol
PERSON = "p1"


def worker(
    store: FakeMovementStore, analyser: FakeAnalyser, executor: Immediately | None = None
) -> MovementWorker:
    return MovementWorker(
        new_uow=lambda: FakeMovementUow(store),
        clock=FixedClock(),
        words=WORDS,
        probe=fake_probe,
        analyse=analyser,
        submit=in_thread(executor or Immediately()),
    )


def saving(tmp_path: Path, data: bytes, name: str = "clip.mp4") -> Callable[[], SavedVideo]:
    def save() -> SavedVideo:
        folder = tmp_path / "upload"
        folder.mkdir()
        path = folder / name
        path.write_bytes(data)
        return SavedVideo(path, name, len(data))

    return save


def test_an_upload_is_analysed_and_its_video_deleted(tmp_path: Path) -> None:
    store, analyser = FakeMovementStore(), FakeAnalyser(reps=10)
    started = start_check(
        worker(store, analyser),
        PERSON,
        CheckRequest("single_leg_squat", "front"),
        saving(tmp_path, tiny_mp4()),
    )
    check = store.rows[started.id]
    assert check.status is CheckStatus.DONE and check.progress == 100
    assert check.result is not None and check.result["rep_count"] == 10
    assert check.result["knee_angles"]["t"][:2] == [0.0, 0.1]
    assert check.landmarks is not None
    assert len(store.frames(check.id)) == 10
    assert analyser.asked == [("single_leg_squat", "front")] and analyser.saw_video == [True]
    assert not (tmp_path / "upload").exists()  # deleted once analysed
    assert store.video(check.id) is None  # and not kept


def test_the_video_is_kept_only_when_asked(tmp_path: Path) -> None:
    store = FakeMovementStore()
    started = start_check(
        worker(store, FakeAnalyser()),
        PERSON,
        CheckRequest("squat", "auto", keep_video=True),
        saving(tmp_path, tiny_mp4()),
    )
    kept = store.video(started.id)
    assert kept is not None and kept.video == tiny_mp4() and kept.media_type == "video/mp4"
    assert not (tmp_path / "upload").exists()  # the upload itself is gone: the copy is stored
    assert store.rows[started.id].view == "front"  # the view the analysis found


@pytest.mark.parametrize(
    ("request_", "data", "field", "words"),
    [
        (CheckRequest("jumping_jacks"), tiny_mp4(), "exercise", "Choose the exercise"),
        (CheckRequest("squat", "above"), tiny_mp4(), "view", "Choose where you filmed from"),
        (CheckRequest("squat"), b"%PDF-1.7 not a video", "video", "not a video"),
        (CheckRequest("squat"), tiny_mp4(seconds=150), "video", "150 seconds long"),
    ],
)
def test_bad_input_is_refused_with_its_reason_and_nothing_kept(
    tmp_path: Path, request_: CheckRequest, data: bytes, field: str, words: str
) -> None:
    store, analyser = FakeMovementStore(), FakeAnalyser()
    with pytest.raises(MovementRefused) as refused:
        start_check(worker(store, analyser), PERSON, request_, saving(tmp_path, data))
    assert refused.value.field == field and words in refused.value.message
    assert refused.value.status == 400
    assert store.rows == {} and analyser.asked == []
    assert not (tmp_path / "upload").exists()


def test_a_clip_the_analysis_refuses_fails_with_its_reason(tmp_path: Path) -> None:
    store = FakeMovementStore()
    analyser = FakeAnalyser(refuse="Nobody could be seen in this video.")
    started = start_check(
        worker(store, analyser), PERSON, CheckRequest("squat"), saving(tmp_path, tiny_mp4())
    )
    check = store.rows[started.id]
    assert check.status is CheckStatus.FAILED
    assert check.reason == "Nobody could be seen in this video."
    assert check.result is None and store.frames(check.id) == []
    assert not (tmp_path / "upload").exists()


def test_a_crash_in_the_analysis_ends_the_check_failed_never_raises(tmp_path: Path) -> None:
    store = FakeMovementStore()
    started = start_check(
        worker(store, FakeAnalyser(crash=True)),
        PERSON,
        CheckRequest("lunge"),
        saving(tmp_path, tiny_mp4()),
    )
    check = store.rows[started.id]
    assert check.status is CheckStatus.FAILED and "went wrong" in (check.reason or "")
    assert not (tmp_path / "upload").exists()


def test_a_worker_shutting_down_fails_the_check_and_deletes_the_video(tmp_path: Path) -> None:
    store, executor = FakeMovementStore(), Immediately()
    executor.shutdown()
    started = start_check(
        worker(store, FakeAnalyser(), executor),
        PERSON,
        CheckRequest("squat"),
        saving(tmp_path, tiny_mp4()),
    )
    assert store.rows[started.id].status is CheckStatus.FAILED
    assert not (tmp_path / "upload").exists()


def test_checks_left_unfinished_by_a_stopped_server_are_failed_at_start() -> None:
    from runrehab.services.movement.records import MovementCheck

    store = FakeMovementStore()
    clock = FixedClock()
    store.add(
        MovementCheck(
            "c1", PERSON, clock.now(), "squat", None, CheckStatus.PROCESSING, 40, "a.mp4", False
        )
    )
    assert fail_unfinished(FakeMovementUow(store), clock, WORDS) == 1
    assert store.rows["c1"].status is CheckStatus.FAILED
    assert "server stopped" in (store.rows["c1"].reason or "")


def test_the_runner_reads_reps_findings_frames_chart_and_evidence(tmp_path: Path) -> None:
    store = FakeMovementStore()
    started = start_check(
        worker(store, FakeAnalyser(reps=10)),
        PERSON,
        CheckRequest("single_leg_squat", "front"),
        saving(tmp_path, tiny_mp4()),
    )
    check = store.rows[started.id]
    view = check_view(WORDS, PROTOCOL, check, store.frames(check.id))
    assert view.rep_count == 10 and len(view.reps) == 10
    first = view.reps[0]
    assert (first.down_s, first.up_s, first.fppa_deg) == (1.0, 1.0, 8.5)
    assert first.frame_url == f"/movement/{check.id}/frames/1.jpg"
    assert view.findings[0].rule == "movement-fppa-high" and view.findings[0].title
    assert view.tracking is not None and "291 of 300" in view.tracking
    assert view.chart is not None and {line.side for line in view.chart.lines} == {"left", "right"}
    assert len(view.chart.lines[0].segments) == 2  # the line breaks where the tracking paused
    assert len(view.chart.rep_marks) == 10
    assert view.evidence is not None and view.evidence.met
    assert view.evidence.gate == "p3-single-leg-squats"
    assert "10 controlled reps counted" in view.evidence.text
    assert "check-in" in view.evidence.text  # pain is still the runner's to report


def test_too_few_reps_are_evidence_but_not_enough() -> None:
    reps = [RepView(n, "right", "right leg", 0, 1, 2, 1, 1, 70.0, None) for n in range(1, 8)]
    evidence = readiness_evidence(WORDS, PROTOCOL, "single_leg_squat", reps)
    assert evidence is not None and not evidence.met and evidence.reps == 7
    assert readiness_evidence(WORDS, PROTOCOL, "squat", reps) is None  # not a readiness test


@given(
    st.lists(st.one_of(st.none(), st.floats(min_value=0, max_value=170)), min_size=0, max_size=600)
)
def test_the_chart_stays_inside_its_frame(values: list[float | None]) -> None:
    angles = {"t": [i / 30 for i in range(len(values))], "left": values, "right": values}
    chart = knee_chart(WORDS, angles)
    if chart is None:
        return
    for line in chart.lines:
        for segment in line.segments:
            for point in segment.split():
                x, y = (float(v) for v in point.split(","))
                assert chart.left <= x <= chart.right and chart.top <= y <= chart.bottom
            assert len(segment.split()) <= 241


def test_the_list_and_delete(tmp_path: Path) -> None:
    store = FakeMovementStore()
    started = start_check(
        worker(store, FakeAnalyser()), PERSON, CheckRequest("squat"), saving(tmp_path, tiny_mp4())
    )
    page = checks_page(FakeMovementUow(store), WORDS, PERSON)
    assert [c.id for c in page.checks] == [started.id] and page.checks[0].rep_count == 10
    assert checks_page(FakeMovementUow(store), WORDS, "someone else").checks == ()
    assert not delete_check(FakeMovementUow(store), "someone else", started.id)
    assert delete_check(FakeMovementUow(store), PERSON, started.id)
    assert store.rows == {} and store.frames(started.id) == []


class ListQueue:
    """A job queue that keeps what it is given (``services.jobs.JobQueue``)."""

    def __init__(self) -> None:
        self.jobs: list[tuple[str, dict[str, object], str | None]] = []

    def enqueue(self, kind: str, payload: dict[str, object], *, key: str | None = None) -> None:
        self.jobs.append((kind, payload, key))

    def attach(self, key: str, folder: Path) -> Path:
        return folder


def test_on_the_job_queue_a_check_runs_once_even_when_its_job_runs_twice(tmp_path: Path) -> None:
    from runrehab.services.jobs import Job
    from runrehab.services.movement.checks import MOVEMENT_JOB, movement_handler, on_queue

    store, analyser, queue = FakeMovementStore(), FakeAnalyser(reps=2), ListQueue()
    queued = MovementWorker(
        new_uow=lambda: FakeMovementUow(store),
        clock=FixedClock(),
        words=WORDS,
        probe=fake_probe,
        analyse=analyser,
        submit=on_queue(queue),
    )
    started = start_check(queued, PERSON, CheckRequest("squat"), saving(tmp_path, tiny_mp4()))
    ((kind, payload, key),) = queue.jobs
    assert (kind, key) == (MOVEMENT_JOB, started.id)
    assert store.rows[started.id].status is CheckStatus.QUEUED  # nothing ran yet
    handle = movement_handler(queued)
    handle(Job(kind, payload))
    handle(Job(kind, payload, attempt=1))  # a worker killed after it finished: run again
    assert store.rows[started.id].status is CheckStatus.DONE
    assert len(analyser.asked) == 1 and len(store.frames(started.id)) == 2
    assert not (tmp_path / "upload").exists()
