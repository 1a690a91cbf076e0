"""Which pathway a self-managing runner starts on: rest and rebuild, or modified running."""

from __future__ import annotations

from dataclasses import dataclass

from runrehab.engine.assessment import Assessment
from runrehab.engine.protocol import Settings
from runrehab.engine.values import PathwayId, Reason


@dataclass(frozen=True, slots=True)
class PathwayChoice:
    pathway: PathwayId
    start_phase: int
    reasons: tuple[Reason, ...]


def choose_pathway(assessment: Assessment, settings: Settings) -> PathwayChoice:
    """Modified running when running pain is mild, stable, settles within 24 h and leaves the
    stride alone (articles 001, 002, 004; digest 14(b)); otherwise rest and rebuild from phase 1
    (article 000). Unknown answers count as the more cautious one."""
    blockers = _blockers(assessment, settings)
    if blockers:
        detail = "; ".join(blockers)
        return PathwayChoice(
            PathwayId.REST_AND_REBUILD, 1, (Reason("pathway-rest-and-rebuild", detail),)
        )
    run = assessment.running
    assert run is not None and run.pain_during_run is not None  # guaranteed by _blockers
    detail = (
        f"running pain {run.pain_during_run}/10, stable, settles within 24 hours, stride unchanged"
    )
    return PathwayChoice(
        PathwayId.MODIFIED_RUNNING,
        2,
        (Reason("pathway-modified-running", detail), Reason("modified-running-limits")),
    )


def _blockers(a: Assessment, s: Settings) -> list[str]:
    run = a.running
    if run is None or not run.currently_running:
        return ["not running at present"]
    found: list[str] = []
    if run.pain_during_run is None:
        found.append("running pain not given")
    elif run.pain_during_run > s.modified_running_max_pain:
        found.append(
            f"running pain {run.pain_during_run}/10 is above {s.modified_running_max_pain}/10"
        )
    if run.pain_rises_during_run:
        found.append("pain rises during the run")
    if not run.pain_settles_within_24h:
        found.append("pain does not settle within 24 hours")
    if run.changes_stride_when_running:
        found.append("the pain changes your stride")
    if a.signs.limp:
        found.append("you are limping")
    if a.pain.at_rest > s.rest_pain_no_run_above:
        found.append(f"pain at rest {a.pain.at_rest}/10 is above {s.rest_pain_no_run_above}/10")
    return found
