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
from runrehab.engine.said import Iso, Km, Said, said
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
        found += [Reason.of("load-run-in-no-running-phase", _run_words(r)) for r in in_phase]
    found += _hills_or_speed(in_phase, running_mode, hills_or_speed_allowed_from)
    if running_mode == "modified":
        found += _modified_week(day, in_phase, base, protocol_settings)
    found += [
        Reason.of("load-run-not-reported", said("run_add_to_checkin", run=_run_words(r)))
        for r in recent
        if not r.pain_reported
    ]
    if planned is not None:
        found += _planned_over_cap(planned, runs, settings, protocol_settings)
    return tuple(found)


def _run_words(run: RunEntry) -> Said:
    minutes = f"{run.minutes:.0f}"
    if run.km is None:
        return said("run_on", day=Iso(run.day), minutes=minutes)
    return said("run_on_km", day=Iso(run.day), minutes=minutes, distance=Km(run.km))


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
            facts = said(
                "broke_cap_minutes",
                run=_run_words(run),
                days=settings.longest_run_window_days,
                longest=f"{longest.minutes:.0f}",
                limit=f"{cap.minutes:.0f}",
            )
            found.append(Reason.of("load-run-broke-longest-cap", facts))
        elif _over(run.km, cap.km):
            facts = said(
                "broke_cap_km",
                run=_run_words(run),
                days=settings.longest_run_window_days,
                longest=Km(longest.km or 0.0),
                limit=Km(cap.km or 0.0),
            )
            found.append(Reason.of("load-run-broke-longest-cap", facts))
    return found


def _hills_or_speed(runs: list[RunEntry], mode: str, allowed_from: date | None) -> list[Reason]:
    """Hills and speed wait for two pain-free weeks of the rebuild (TREK); before phase 5 they
    are not part of the programme at all."""
    if mode == "none":
        return []  # the run itself is already the warning
    found: list[Reason] = []
    for run in runs:
        too_soon = mode != "building" or allowed_from is None or run.day < allowed_from
        what = [w for w, hit in (("hills", run.hilly), ("speed_work", run.speed_work)) if hit]
        if what and too_soon:
            kind = said("hills_and_speed" if len(what) == 2 else what[0])
            if mode != "building" or allowed_from is None:
                facts = said("hills_too_soon", run=_run_words(run), what=kind)
            else:
                facts = said(
                    "hills_too_soon_until", run=_run_words(run), what=kind, day=Iso(allowed_from)
                )
            found.append(Reason.of("load-hills-or-speed-too-soon", facts))
    return found


def _modified_week(day: date, runs: list[RunEntry], base: Baseline, s: Settings) -> list[Reason]:
    """Modified running keeps the week to about half the usual (article 001): in km when every
    run of the week has a distance, else in minutes."""
    ratio = s.modified_running_distance_ratio
    week = [r for r in runs if r.day > day - timedelta(days=7)]
    start, end = Iso(day - timedelta(days=6)), Iso(day)
    km = [r.km for r in week if r.km is not None]
    if base.weekly_km and week and len(km) == len(week):
        limit = base.weekly_km * ratio
        if sum(km) <= limit + TOLERANCE:
            return []
        facts = said("week_km_over", distance=Km(sum(km)), start=start, end=end, limit=Km(limit))
        return [Reason.of("load-modified-week-over-half", facts)]
    minutes = sum(r.minutes for r in week)
    usual = base.weekly_minutes or (base.weekly_km or 0.0) * s.assumed_easy_pace_min_per_km
    if usual and minutes > usual * ratio + TOLERANCE:
        facts = said(
            "week_minutes_over",
            minutes=f"{minutes:.0f}",
            start=start,
            end=end,
            limit=f"{usual * ratio:.0f}",
        )
        return [Reason.of("load-modified-week-over-half", facts)]
    return []


def _planned_over_cap(
    planned: PlannedRun, runs: Sequence[RunEntry], settings: LoadSettings, s: Settings
) -> list[Reason]:
    """Defence in depth: the planned run checked again against the runs themselves."""
    cap = single_run_cap(runs, planned.day, s.longest_run_cap_ratio, settings)
    if not (_over(planned.minutes, cap.minutes) or _over(planned.km, cap.km)):
        return []
    values = {
        "day": Iso(planned.day),
        "minutes": f"{planned.minutes:.0f}",
        "limit": f"{cap.minutes or 0:.0f}",
    }
    if cap.km is None:
        return [Reason.of("load-planned-run-over-cap", said("planned_over_cap", **values))]
    facts = said("planned_over_cap_km", **values, distance=Km(cap.km))
    return [Reason.of("load-planned-run-over-cap", facts)]
