"""The rebuild of phase 5 (digest 14(c) P5; TREK): from half the usual week, a tenth of it
more each week, in no more runs a week than usual, every run within the single-run cap of
``load`` (which is applied last and always wins); hills and speed only after pain-free weeks.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from runrehab.engine.load import (
    PROTOCOL_DEFAULTS,
    Baseline,
    LoadSettings,
    RunCap,
    RunEntry,
    single_run_cap,
)
from runrehab.engine.protocol import Settings
from runrehab.engine.said import Iso, Said, said
from runrehab.engine.values import Reason


@dataclass(frozen=True, slots=True)
class PlannedRun:
    """The rebuild's run for ``day``. ``week`` counts from 0, the week the rebuild began."""

    day: date
    minutes: float
    km: float | None
    week: int
    weekly_target_minutes: float
    hills_or_speed_from: date
    cap: RunCap
    reasons: tuple[Reason, ...]

    @property
    def hills_or_speed_allowed(self) -> bool:
        return self.day >= self.hills_or_speed_from


def hills_or_speed_from(
    rebuild_started: date,
    pain_free_since: date | None = None,
    settings: LoadSettings = LoadSettings(),
) -> date:
    """The first day hills or faster running may come back: after the set number of pain-free
    weeks of the rebuild, counted from its start or from the last day that was not pain-free."""
    start = max(rebuild_started, pain_free_since or rebuild_started)
    return start + timedelta(weeks=settings.pain_free_weeks_before_hills_or_speed)


def rebuild_run(
    day: date,
    rebuild_started: date,
    base: Baseline,
    runs: Sequence[RunEntry],
    settings: LoadSettings = LoadSettings(),
    protocol_settings: Settings = PROTOCOL_DEFAULTS,
    *,
    fallback_minutes: float | None = None,
    pain_free_since: date | None = None,
) -> PlannedRun:
    """The phase-5 run for ``day``.

    The weekly target is the usual weekly load x (start ratio + step x whole weeks since the
    rebuild began), never above the usual load; one run is the weekly target over the usual runs
    a week (3 when not known), but never shorter than the ladder's last run or the usual run if
    that was shorter [M: the rebuild does not go back below what finished the ladder]. The run
    is then capped at 110 % of the longest run of the last 30 days, ``runs`` (earlier planned
    runs included) being the history. ``fallback_minutes`` (default: the ladder's last rung)
    bounds a run with no run in the window to measure from."""
    fallback = settings.no_history_run_minutes if fallback_minutes is None else fallback_minutes
    week = max(0, (day - rebuild_started).days // 7)
    ratio = min(1.0, settings.rebuild_start_ratio + settings.rebuild_weekly_step_ratio * week)
    per_week = usual_runs_per_week(base, settings)
    pace = _pace(base, protocol_settings)
    usual_week = _usual_weekly_minutes(base, pace, fallback * per_week)
    # the week's share: with no seven days holding more than the usual runs (readiness,
    # ``load-usual-runs-per-week``, the same whole number), no seven days exceed the target
    wanted = usual_week * ratio / per_week
    cap = single_run_cap(runs, day, protocol_settings.longest_run_cap_ratio, settings, fallback)
    minutes, km = _capped(wanted, None if base.weekly_km is None else wanted / pace, cap, pace)
    allowed_from = hills_or_speed_from(rebuild_started, pain_free_since, settings)
    reasons = (
        Reason.of(
            "load-rebuild-weekly-target",
            said(
                "rebuild_target",
                week=week + 1,
                percent=f"{ratio * 100:.0f}",
                usual=f"{usual_week:.0f}",
                source=_source_words(base),
                runs=f"{per_week:g}",
                minutes=f"{wanted:.0f}",
            ),
        ),
        *_cap_reasons(wanted, minutes, cap, protocol_settings, settings),
        _hills_reason(day, allowed_from),
    )
    return PlannedRun(day, minutes, km, week, usual_week * ratio, allowed_from, cap, reasons)


def usual_runs_per_week(base: Baseline, settings: LoadSettings) -> int:
    """The runner's usual runs a week (watch history first, then the intake; the default
    when neither knows), whole: the rebuild shares the week's target among them, and no seven
    days of the return hold more runs."""
    usual = base.runs_per_week or settings.default_runs_per_week
    return max(1, math.floor(usual + 0.5))


def _pace(base: Baseline, s: Settings) -> float:
    """Minutes per km: the runner's own usual pace when known, else the assumed easy pace."""
    if base.weekly_km and base.weekly_minutes:
        return base.weekly_minutes / base.weekly_km
    return s.assumed_easy_pace_min_per_km


def _usual_weekly_minutes(base: Baseline, pace: float, otherwise: float) -> float:
    if base.weekly_minutes:
        return base.weekly_minutes
    if base.weekly_km:
        return base.weekly_km * pace
    return otherwise


def _capped(
    minutes: float, km: float | None, cap: RunCap, pace: float
) -> tuple[float, float | None]:
    """The run within the cap in both units; a cut in one unit carries over to the other."""
    if cap.minutes is not None and minutes > cap.minutes:
        minutes = cap.minutes
    if km is not None:
        km = min(km, minutes / pace)
        if cap.km is not None and km > cap.km:
            km = cap.km
            minutes = min(minutes, km * pace)
    return minutes, km


def _cap_reasons(
    wanted: float, minutes: float, cap: RunCap, s: Settings, settings: LoadSettings
) -> tuple[Reason, ...]:
    if minutes >= wanted:
        return ()
    days = settings.longest_run_window_days
    if cap.longest is None:
        facts = said("no_recent_run_cap", days=days, minutes=f"{minutes:.0f}")
        return (Reason.of("load-longest-run-cap", facts),)
    longest = cap.longest
    facts = said(
        "capped_at",
        minutes=f"{minutes:.0f}",
        percent=f"{s.longest_run_cap_ratio * 100:.0f}",
        days=days,
        longest=f"{longest.minutes:.0f}",
        day=Iso(longest.minutes_day),
    )
    return (Reason.of("load-longest-run-cap", facts),)


def _hills_reason(day: date, allowed_from: date) -> Reason:
    if day >= allowed_from:
        return Reason.of("load-hills-speed-after-pain-free-weeks", said("hills_back_now"))
    return Reason.of(
        "load-hills-speed-after-pain-free-weeks", said("flat_until", day=Iso(allowed_from))
    )


def _source_words(base: Baseline) -> Said:
    if base.source == "history":
        return said("usual_from_watch", weeks=base.weeks)
    if base.source == "reported":
        return said("usual_reported")
    return said("usual_unknown")


def rebuild_plan(
    start: date,
    days: int,
    rebuild_started: date,
    base: Baseline,
    history: Sequence[RunEntry],
    settings: LoadSettings = LoadSettings(),
    protocol_settings: Settings = PROTOCOL_DEFAULTS,
    run_days: Callable[[date], bool] | None = None,
    *,
    fallback_minutes: float | None = None,
    pain_free_since: date | None = None,
) -> tuple[PlannedRun, ...]:
    """The rebuild's runs over ``days`` days from ``start``: on the days ``run_days`` picks
    (default: every other day from ``start``), each planned run joining the history before the
    next is planned, so the cap grows only as the planned runs do."""
    runs = list(history)
    plans: list[PlannedRun] = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        if not (run_days(day) if run_days is not None else offset % 2 == 0):
            continue
        planned = rebuild_run(
            day,
            rebuild_started,
            base,
            runs,
            settings,
            protocol_settings,
            fallback_minutes=fallback_minutes,
            pain_free_since=pain_free_since,
        )
        plans.append(planned)
        runs.append(RunEntry(day, planned.minutes, planned.km, "plan"))
    return tuple(plans)
