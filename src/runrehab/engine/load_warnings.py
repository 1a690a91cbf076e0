"""What the runner (or their physiotherapist) should know about the load of the last week: a run
over the single-run cap, a run in a phase without running, hills or speed too soon, a modified
week over half the usual, a watch run nobody reported, a planned run over the cap."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from runrehab.engine.load import (
    PROTOCOL_DEFAULTS,
    TOLERANCE,
    Baseline,
    LoadSettings,
    RunEntry,
    single_run_cap,
)
from runrehab.engine.protocol import Settings
from runrehab.engine.rebuild import PlannedRun, hills_or_speed_from
from runrehab.engine.values import Reason


def load_warnings(
    day: date,
    runs: Sequence[RunEntry],
    running_mode: str,
    base: Baseline,
    planned: PlannedRun | None,
    settings: LoadSettings = LoadSettings(),
    protocol_settings: Settings = PROTOCOL_DEFAULTS,
    *,
    phase_started: date | None = None,
    hills_or_speed_allowed_from: date | None = None,
) -> tuple[Reason, ...]:
    """What the runner (or their physiotherapist) should know about the load of the last week.

    ``runs``: every real run (merged, see ``merge_runs``). The rules about the phase look only at
    runs since ``phase_started``; ``hills_or_speed_allowed_from`` is the rebuild's date for
    hills and faster running (only used while ``running_mode`` is "building"; by default two
    weeks after ``phase_started``)."""
    recent = [r for r in runs if day - timedelta(days=settings.recent_days) <= r.day <= day]
    if hills_or_speed_allowed_from is None and phase_started is not None:
        hills_or_speed_allowed_from = hills_or_speed_from(phase_started, None, settings)
    in_phase = [r for r in recent if phase_started is None or r.day >= phase_started]
    found: list[Reason] = []
    if running_mode != "walk_run":  # the ladder's rungs set the length of walk/run sessions
        found += _broke_cap(recent, runs, settings, protocol_settings)
    if running_mode == "none":
        found += [Reason("load-run-in-no-running-phase", _run_words(r)) for r in in_phase]
    found += _hills_or_speed(in_phase, running_mode, hills_or_speed_allowed_from)
    if running_mode == "modified":
        found += _modified_week(day, in_phase, base, protocol_settings)
    found += [
        Reason("load-run-not-reported", f"{_run_words(r)}: add it to that day's check-in")
        for r in recent
        if not r.pain_reported
    ]
    if planned is not None:
        found += _planned_over_cap(planned, runs, settings, protocol_settings)
    return tuple(found)


def _run_words(run: RunEntry) -> str:
    km = "" if run.km is None else f", {run.km:.1f} km"
    return f"run on {run.day.isoformat()}: {run.minutes:.0f} minutes{km}"


def _over(value: float | None, cap: float | None) -> bool:
    return value is not None and cap is not None and value > cap + TOLERANCE


def _broke_cap(
    recent: list[RunEntry], runs: Sequence[RunEntry], settings: LoadSettings, s: Settings
) -> list[Reason]:
    found: list[Reason] = []
    for run in recent:
        cap = single_run_cap(runs, run.day, s.longest_run_cap_ratio, settings)
        longest = cap.longest
        if longest is None:
            continue
        if _over(run.minutes, cap.minutes):
            found.append(
                Reason(
                    "load-run-broke-longest-cap",
                    f"{_run_words(run)}; the longest of the {settings.longest_run_window_days} "
                    "days before was "
                    f"{longest.minutes:.0f} minutes, so the limit was {cap.minutes:.0f}",
                )
            )
        elif _over(run.km, cap.km):
            found.append(
                Reason(
                    "load-run-broke-longest-cap",
                    f"{_run_words(run)}; the longest of the {settings.longest_run_window_days} "
                    "days before was "
                    f"{longest.km:.1f} km, so the limit was {cap.km:.1f} km",
                )
            )
    return found


def _hills_or_speed(runs: list[RunEntry], mode: str, allowed_from: date | None) -> list[Reason]:
    """Hills and speed wait for two pain-free weeks of the rebuild (TREK); before phase 5 they
    are not part of the programme at all."""
    if mode == "none":
        return []  # the run itself is already the warning
    found: list[Reason] = []
    for run in runs:
        too_soon = mode != "building" or allowed_from is None or run.day < allowed_from
        what = [w for w, hit in (("hills", run.hilly), ("speed work", run.speed_work)) if hit]
        if what and too_soon:
            until = (
                ""
                if mode != "building" or allowed_from is None
                else (f"; they come back from {allowed_from.isoformat()}")
            )
            found.append(
                Reason(
                    "load-hills-or-speed-too-soon",
                    f"{_run_words(run)} had {' and '.join(what)}{until}",
                )
            )
    return found


def _modified_week(day: date, runs: list[RunEntry], base: Baseline, s: Settings) -> list[Reason]:
    """Modified running keeps the week to about half the usual (article 001): in km when every
    run of the week has a distance, else in minutes."""
    ratio = s.modified_running_distance_ratio
    week = [r for r in runs if r.day > day - timedelta(days=7)]
    span = f"from {(day - timedelta(days=6)).isoformat()} to {day.isoformat()}"
    km = [r.km for r in week if r.km is not None]
    if base.weekly_km and week and len(km) == len(week):
        limit = base.weekly_km * ratio
        if sum(km) <= limit + TOLERANCE:
            return []
        words = f"{sum(km):.1f} km {span}; half your usual week is {limit:.1f} km"
        return [Reason("load-modified-week-over-half", words)]
    minutes = sum(r.minutes for r in week)
    usual = base.weekly_minutes or (base.weekly_km or 0.0) * s.assumed_easy_pace_min_per_km
    if usual and minutes > usual * ratio + TOLERANCE:
        words = f"{minutes:.0f} minutes {span}; half your usual week is {usual * ratio:.0f}"
        return [Reason("load-modified-week-over-half", words)]
    return []


def _planned_over_cap(
    planned: PlannedRun, runs: Sequence[RunEntry], settings: LoadSettings, s: Settings
) -> list[Reason]:
    """Defence in depth: the planned run checked again against the runs themselves."""
    cap = single_run_cap(runs, planned.day, s.longest_run_cap_ratio, settings)
    if not (_over(planned.minutes, cap.minutes) or _over(planned.km, cap.km)):
        return []
    km = "" if cap.km is None else f" or {cap.km:.1f} km"
    words = (
        f"run planned on {planned.day.isoformat()}: {planned.minutes:.0f} minutes, over the "
        f"limit of {cap.minutes or 0:.0f} minutes{km}"
    )
    return [Reason("load-planned-run-over-cap", words)]
