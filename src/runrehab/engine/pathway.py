"""Which pathway a self-managing runner starts on: rest and rebuild, or modified running."""

from __future__ import annotations

from dataclasses import dataclass

from runrehab.engine.assessment import Assessment
from runrehab.engine.protocol import Settings
from runrehab.engine.said import Said, said, semicolons
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
        facts = semicolons(tuple(blockers))
        return PathwayChoice(
            PathwayId.REST_AND_REBUILD, 1, (Reason.of("pathway-rest-and-rebuild", facts),)
        )
    run = assessment.running
    assert run is not None and run.pain_during_run is not None  # guaranteed by _blockers
    facts = said("running_pain_fine", pain=run.pain_during_run)
    return PathwayChoice(
        PathwayId.MODIFIED_RUNNING,
        2,
        (Reason.of("pathway-modified-running", facts), Reason("modified-running-limits")),
    )


def _blockers(a: Assessment, s: Settings) -> list[Said]:
    run = a.running
    if run is None or not run.currently_running:
        return [said("not_running_now")]
    found: list[Said] = []
    if run.pain_during_run is None:
        found.append(said("running_pain_not_given"))
    elif run.pain_during_run > s.modified_running_max_pain:
        found.append(
            said("running_pain_above", pain=run.pain_during_run, limit=s.modified_running_max_pain)
        )
    if run.pain_rises_during_run:
        found.append(said("pain_rises_in_run"))
    if not run.pain_settles_within_24h:
        found.append(said("pain_not_settling"))
    if run.changes_stride_when_running:
        found.append(said("pain_changes_stride"))
    if a.signs.limp:
        found.append(said("limping"))
    if a.pain.at_rest > s.rest_pain_no_run_above:
        found.append(said("rest_pain_above", pain=a.pain.at_rest, limit=s.rest_pain_no_run_above))
    return found
