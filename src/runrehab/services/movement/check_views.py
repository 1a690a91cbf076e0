"""A movement check as people read it: the figures per rep, the findings with their rules,
the key frames, the knee angles over time as a chart, the tracking, and whether the check is
evidence for a readiness test (single-leg squats, step-downs: the reps counted from the video;
the pain is still the runner's to report). Built from the stored check, nothing measured again.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from runrehab.content.words import Words
from runrehab.engine.protocol import ExerciseTest, Protocol
from runrehab.services.movement.chart import KneeChart, knee_chart
from runrehab.services.movement.records import (
    CheckStatus,
    KeyFrame,
    MovementCheck,
    StoredVideo,
)

AUTO_VIEW = "auto"
"""The view asked when the runner leaves it to the analysis."""
READINESS_EXERCISES = {"single_leg_squat": "single-leg-squat", "step_down": "step-down"}
"""The filmed exercises that are a readiness test's exercise (the protocol's ids)."""


@dataclass(frozen=True, slots=True)
class RepView:
    number: int
    side: str | None
    side_name: str
    start_s: float
    bottom_s: float
    end_s: float
    down_s: float
    up_s: float
    knee_flexion_max_deg: float | None
    fppa_deg: float | None
    frame_url: str | None = field(default=None, metadata={"json": None})


@dataclass(frozen=True, slots=True)
class FindingView:
    """A finding as every reason is shown: its rule, title, words, source and detail."""

    rule: str
    title: str
    text: str
    source: str
    detail: str


@dataclass(frozen=True, slots=True)
class FrameView:
    position: int
    time_s: float
    url: str
    alt: str


@dataclass(frozen=True, slots=True)
class Evidence:
    """A check that counts for a readiness test: which, on which side, how many reps."""

    gate: str
    exercise: str
    side: str | None
    reps: int
    needed: int
    met: bool
    text: str


@dataclass(frozen=True, slots=True)
class CheckView:
    """One movement check as the runner (or their clinician) reads it."""

    id: str
    created_at: datetime
    exercise: str
    exercise_name: str
    view: str | None
    view_name: str
    status: CheckStatus
    status_name: str
    progress: int
    finished: bool
    reason: str | None
    file_name: str
    keep_video: bool
    video_kept: bool
    rep_count: int | None
    frames: int | None
    frames_with_pose: int | None
    tracking: str | None
    reps: tuple[RepView, ...]
    findings: tuple[FindingView, ...]
    key_frames: tuple[FrameView, ...]
    evidence: Evidence | None
    chart: KneeChart | None = field(default=None, metadata={"json": None})
    knee_angles: dict[str, list[float | None]] | None = None
    own: bool = field(default=True, metadata={"json": None})
    """Read by the runner who filmed it (False: by a clinician)."""
    url: str = field(default="", metadata={"json": None})


@dataclass(frozen=True, slots=True)
class CheckSummary:
    id: str
    created_at: datetime
    exercise: str
    exercise_name: str
    status: CheckStatus
    status_name: str
    progress: int
    rep_count: int | None
    reason: str | None
    url: str = field(metadata={"json": None})


@dataclass(frozen=True, slots=True)
class ChecksPage:
    checks: tuple[CheckSummary, ...]
    exercises: tuple[tuple[str, str], ...] = field(metadata={"json": None})
    views: tuple[tuple[str, str], ...] = field(metadata={"json": None})
    max_seconds: int = field(metadata={"json": None})


def check_view(
    words: Words,
    protocol: Protocol,
    check: MovementCheck,
    frames: Sequence[KeyFrame] = (),
    video: StoredVideo | None = None,
    *,
    own: bool = True,
) -> CheckView:
    """The check as people read it (figures only once it is done)."""
    result = check.result or {}
    base = f"/movement/{check.id}"
    frame_urls = {f.position: f"{base}/frames/{f.position}.jpg" for f in frames}
    reps = tuple(
        _rep(words, number, rep, frame_urls.get(number))
        for number, rep in enumerate(_list(result.get("reps")), start=1)
    )
    frames_total = _int(result.get("frames"))
    with_pose = _int(result.get("frames_with_pose"))
    angles = result.get("knee_angles")
    view = result.get("view") if isinstance(result.get("view"), str) else check.view
    return CheckView(
        id=check.id,
        created_at=check.created_at,
        exercise=check.exercise,
        exercise_name=exercise_name(words, check.exercise),
        view=view,
        view_name=view_name(words, view or AUTO_VIEW),
        status=check.status,
        status_name=words.say(f"movement.web.status.{check.status.value}"),
        progress=check.progress,
        finished=check.finished,
        reason=check.reason,
        file_name=check.file_name,
        keep_video=check.keep_video,
        video_kept=video is not None,
        rep_count=_int(result.get("rep_count")),
        frames=frames_total,
        frames_with_pose=with_pose,
        tracking=_tracking(words, frames_total, with_pose),
        reps=reps,
        findings=tuple(_finding(f) for f in _list(result.get("findings"))),
        key_frames=tuple(
            FrameView(
                f.position,
                f.time_s,
                frame_urls[f.position],
                words.say("movement.web.frame_alt", n=f.position, time=f"{f.time_s:.1f}"),
            )
            for f in frames
        ),
        evidence=readiness_evidence(words, protocol, check.exercise, reps)
        if check.status is CheckStatus.DONE
        else None,
        chart=knee_chart(words, angles, [(r.number, r.bottom_s) for r in reps])
        if isinstance(angles, dict)
        else None,
        knee_angles=angles if isinstance(angles, dict) else None,
        own=own,
        url=base,
    )


def _list(value: object) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _number(value: object) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return round(float(value), 1)
    return None


def _rep(words: Words, number: int, rep: dict[str, Any], url: str | None) -> RepView:
    start = _number(rep.get("start_s")) or 0.0
    bottom = _number(rep.get("bottom_s")) or start
    end = _number(rep.get("end_s")) or bottom
    side = rep.get("side") if isinstance(rep.get("side"), str) else None
    return RepView(
        number=number,
        side=side,
        side_name=words.say(f"movement.web.side.{side if side in ('left', 'right') else 'both'}"),
        start_s=start,
        bottom_s=bottom,
        end_s=end,
        down_s=round(bottom - start, 1),
        up_s=round(end - bottom, 1),
        knee_flexion_max_deg=_number(rep.get("knee_flexion_max_deg")),
        fppa_deg=_number(rep.get("fppa_deg")),
        frame_url=url,
    )


def _finding(finding: dict[str, Any]) -> FindingView:
    return FindingView(
        rule=str(finding.get("rule") or ""),
        title=str(finding.get("title") or ""),
        text=str(finding.get("text") or ""),
        source=str(finding.get("source") or ""),
        detail=str(finding.get("detail") or ""),
    )


def _tracking(words: Words, frames: int | None, with_pose: int | None) -> str | None:
    if not frames or with_pose is None:
        return None
    return words.say(
        "movement.web.tracking",
        found=with_pose,
        frames=frames,
        percent=round(100 * with_pose / frames),
    )


def exercise_name(words: Words, exercise: str) -> str:
    key = f"movement.web.exercise.{exercise}"
    return words.say(key) if words.has(key) else exercise


def view_name(words: Words, view: str) -> str:
    key = f"movement.web.view.{view}"
    return words.say(key) if words.has(key) else view


def summary(words: Words, check: MovementCheck) -> CheckSummary:
    result = check.result or {}
    count = result.get("rep_count")
    return CheckSummary(
        id=check.id,
        created_at=check.created_at,
        exercise=check.exercise,
        exercise_name=exercise_name(words, check.exercise),
        status=check.status,
        status_name=words.say(f"movement.web.status.{check.status.value}"),
        progress=check.progress,
        rep_count=count if isinstance(count, int) else None,
        reason=check.reason,
        url=f"/movement/{check.id}",
    )


# --- evidence for a readiness test -------------------------------------------------------------


def readiness_evidence(
    words: Words, protocol: Protocol, exercise: str, reps: Sequence[RepView]
) -> Evidence | None:
    """The readiness test this filmed exercise is (single-leg squats, step-downs), with the
    reps counted on the side that did most: met when they reach one set of the test. Pain is
    not in a video: the runner still reports it in the check-in."""
    test = _test_of(protocol, READINESS_EXERCISES.get(exercise))
    if test is None:
        return None
    sides: dict[str | None, int] = {}
    for rep in reps:
        sides[rep.side] = sides.get(rep.side, 0) + 1
    side, count = max(sides.items(), key=lambda kv: kv[1], default=(None, 0))
    met = count >= test.reps
    side_name = words.say(f"movement.web.side.{side if side in ('left', 'right') else 'both'}")
    said = {"n": count, "needed": test.reps, "side": side_name}
    if met:
        text = words.say("movement.web.evidence.met", **said, pain=test.max_pain)
    else:
        text = words.say("movement.web.evidence.short", **said)
    return Evidence(test.id, test.exercise, side, count, test.reps, met, text)


def _test_of(protocol: Protocol, exercise: str | None) -> ExerciseTest | None:
    if exercise is None:
        return None
    for phase in protocol.phases:
        for gate in phase.gates:
            if isinstance(gate, ExerciseTest) and gate.exercise == exercise:
                return gate
    return None
