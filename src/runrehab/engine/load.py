"""Running load: every run as minutes and km, the longest recent run, the runner's usual load
before the pain, the rebuild of phase 5, the step-rate target and the load warnings
(digest §7, 14(b), 14(c) P5).

The safety rule is per run: no run longer, in time or distance, than 110 % of the longest run of
the previous 30 days (Frandsen 2025: a single run more than 10 % longer than the longest of the
last 30 days raised the injury rate; weekly ratios did not). There is deliberately **no
acute:chronic workload ratio** anywhere, and no weekly-percentage cap used as a safety rule:
the ACWR's link with injury is largely a statistical artefact (Impellizzeri 2021; digest §7
says do not implement ACWR thresholds) and the 10 % rule did not prevent injuries (Buist 2008;
Nielsen 2014). The rebuild's weekly target only paces the return to the usual volume; the
single-run cap is what keeps each run safe, and it is applied last.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from runrehab.engine.assessment import Assessment
from runrehab.engine.checkin import Checkin
from runrehab.engine.metrics import Metrics, MetricsSettings
from runrehab.engine.protocol import Settings

TOLERANCE = 1e-9  # float slack when a run is compared with its cap
PROTOCOL_DEFAULTS = Settings()
METRICS_DEFAULTS = MetricsSettings()


@dataclass(frozen=True, slots=True)
class LoadSettings:
    """Load thresholds, each with its source or marked as a product rule [M].

    ``longest_run_window_days``: the longest run is looked for in the 30 days before a run
    (Frandsen 2025).
    ``baseline_weeks``: [M] the usual load is the mean of the 8 weeks before the pain began:
    long enough to smooth a race or a holiday, short enough to be the recent habit.
    ``rebuild_start_ratio``: the rebuild starts at half the usual weekly load (the issue; article
    001's "halve the distance" is expert opinion, digest §7).
    ``rebuild_weekly_step_ratio``: [M] the weekly target rises by 10 % of the usual load a week.
    No source sets a rate (digest §7: no progression rule is supported); the single-run cap is
    the safety rule, this only paces the rebuild back to the usual volume.
    ``pain_free_weeks_before_hills_or_speed``: hills and faster running come back after two
    pain-free weeks of the rebuild, one at a time (TREK; digest 14(c) P5).
    ``hilly_climb_m_per_km`` / ``hilly_downhill_share``: [M] a run is hilly when it climbs 15 m
    or more per km (a rolling route; flat roads climb a few metres per km), or when 15 % or more
    of its distance runs downhill steeper than 3 % (downhill loads the kneecap joint most).
    ``default_runs_per_week``: [M] with no usual frequency known, three runs a week: every
    other day, as the return-to-run phase ran (digest 8).
    ``recent_days``: the warnings look at the runs of the last 7 days, as "can I run today?"
    looks at the last run of the last 7 days.
    ``no_history_run_minutes``: [M] with no run in the last 30 days to measure from, no run is
    longer than the ladder's last rung: 30 minutes of continuous running (digest 14(c) P4 R5).
    """

    longest_run_window_days: int = 30
    baseline_weeks: int = 8
    rebuild_start_ratio: float = 0.5
    rebuild_weekly_step_ratio: float = 0.1
    pain_free_weeks_before_hills_or_speed: int = 2
    hilly_climb_m_per_km: float = 15.0
    hilly_downhill_share: float = 0.15
    default_runs_per_week: int = 3
    recent_days: int = 7
    no_history_run_minutes: float = 30.0


@dataclass(frozen=True, slots=True)
class RunEntry:
    """One run as load: from the watch, reported in a check-in without a watch file, or
    planned (``source`` "plan", counted as history while a rebuild is planned ahead)."""

    day: date  # the runner's local date
    minutes: float  # moving minutes
    km: float | None
    source: str  # "watch" | "check-in" | "plan"
    activity_id: str | None = None
    hilly: bool = False
    speed_work: bool = False
    pain_reported: bool = True  # False: a watch run on a day whose check-in says nothing of a run


@dataclass(frozen=True, slots=True)
class CrossEntry:
    """Cross-training as load: a watch activity that is not a run (``sport`` its sport), or
    one reported in a check-in without a watch file (``sport`` the check-in's kind)."""

    day: date
    minutes: float
    sport: str
    source: str = "watch"  # "watch" | "check-in"


@dataclass(frozen=True, slots=True)
class WeekLoad:
    """One Monday-to-Sunday week: running (minutes, the km of the runs that have a distance,
    how many runs, the longest) and cross-training minutes."""

    monday: date
    runs: int
    run_minutes: float
    run_km: float
    longest_minutes: float | None
    longest_km: float | None
    cross_minutes: float


@dataclass(frozen=True, slots=True)
class LongestRun:
    """The longest run of a window, by time and by distance (they may be different runs)."""

    minutes: float
    minutes_day: date
    km: float | None = None
    km_day: date | None = None


@dataclass(frozen=True, slots=True)
class RunCap:
    """The most a run may be: 110 % of ``longest``, in minutes and (when known) km. Without a
    run in the window, ``longest`` is None and ``minutes`` is the fallback."""

    minutes: float | None
    km: float | None
    longest: LongestRun | None


@dataclass(frozen=True, slots=True)
class Baseline:
    """The runner's usual running before the pain: from watch history ("history"), from the
    assessment's answers ("reported"), or not known ("none")."""

    source: str
    weekly_km: float | None = None
    weekly_minutes: float | None = None
    runs_per_week: float | None = None
    weeks: int = 0

    @property
    def known(self) -> bool:
        return self.source != "none" and bool(self.weekly_km or self.weekly_minutes)


NO_BASELINE = Baseline("none")


@dataclass(frozen=True, slots=True)
class LoadContext:
    """What the day plan needs to know of the runner's load beyond the check-ins: the usual load
    before the pain, the load settings, and the step rates of recent runs (per-run medians,
    see ``running_cadences``)."""

    baseline: Baseline = NO_BASELINE
    settings: LoadSettings = field(default_factory=LoadSettings)
    cadence_spm: tuple[float, ...] = ()


# --- runs -----------------------------------------------------------------------------------


def run_entry(
    day: date,
    metrics: Metrics,
    activity_id: str,
    settings: LoadSettings = LoadSettings(),
    pain_reported: bool = True,
) -> RunEntry:
    """A watch run as load: its moving minutes and km, hilly or not, speed work or not. Of a
    walk/run session only the running counts: the walking breaks are not running, and the
    longest-run cap measures running (Frandsen 2025)."""
    minutes, km = round(metrics.moving_s / 60, 1), metrics.distance_km
    pattern = metrics.walk_run
    if pattern is not None and pattern.running_minutes is not None:
        minutes = pattern.running_minutes
        km = pattern.running_km if pattern.running_km is not None else km
    return RunEntry(
        day=day,
        minutes=minutes,
        km=km,
        source="watch",
        activity_id=activity_id,
        hilly=is_hilly(metrics, settings),
        speed_work=metrics.speed_work is not None,
        pain_reported=pain_reported,
    )


def is_hilly(metrics: Metrics, settings: LoadSettings = LoadSettings()) -> bool:
    km = metrics.distance_km
    if not km:
        return False
    climb = (metrics.elevation_gain_m or 0.0) / km
    downhill = (metrics.downhill_km or 0.0) / km
    return climb >= settings.hilly_climb_m_per_km or downhill >= settings.hilly_downhill_share


def running_cadences(
    metrics: Iterable[Metrics], settings: MetricsSettings = METRICS_DEFAULTS
) -> tuple[float, ...]:
    """The median step rate of each activity that was mostly running (a median at walking step
    rates would set the metronome to a walk)."""
    return tuple(
        m.cadence.median_spm
        for m in metrics
        if m.cadence is not None and m.cadence.median_spm >= settings.walk_max_cadence_spm
    )


def merge_runs(checkins: Sequence[Checkin], watch_runs: Sequence[RunEntry]) -> tuple[RunEntry, ...]:
    """One run per run: a check-in run whose ``activity_id`` names a watch run, or that is on the
    day of a watch run, *is* that watch run (its measured minutes and km count as load; the
    check-in's pain report stays the gate). Watch runs on days whose check-ins report no run
    are kept with ``pain_reported=False``. Sorted by day."""
    used: set[int] = set()
    merged: list[RunEntry] = []
    for checkin in checkins:
        if checkin.run is None:
            continue
        found = _linked(checkin, watch_runs, used)
        if found is None:
            run = checkin.run
            merged.append(RunEntry(checkin.date, run.minutes, run.distance_km, "check-in"))
        else:
            used.add(found)
            merged.append(replace(watch_runs[found], pain_reported=True))
    reported = {c.date for c in checkins if c.run is not None}
    merged += [
        replace(w, pain_reported=w.day in reported)
        for i, w in enumerate(watch_runs)
        if i not in used
    ]
    return tuple(sorted(merged, key=lambda r: r.day))


WATCH_SPORT_KINDS = {"hiking": "walking"}
"""A watch sport that a check-in reports under another kind of cross-training."""


def merge_cross_training(
    checkins: Sequence[Checkin], watch_cross: Sequence[CrossEntry]
) -> tuple[CrossEntry, ...]:
    """One entry per activity, as ``merge_runs`` does for runs: a check-in's cross-training
    on the day of a watch activity of the same kind (a hike is a walk) *is* that activity,
    whose measured minutes count; each watch activity is claimed by one entry at most. The
    other check-in entries and watch activities count as they are. Sorted by day."""
    used: set[int] = set()
    merged: list[CrossEntry] = []
    for checkin in checkins:
        for entry in checkin.cross_training:
            kind = entry.kind.value
            found = next(
                (
                    i
                    for i, w in enumerate(watch_cross)
                    if i not in used
                    and w.day == checkin.date
                    and WATCH_SPORT_KINDS.get(w.sport, w.sport) == kind
                ),
                None,
            )
            if found is None:
                merged.append(CrossEntry(checkin.date, entry.minutes, kind, "check-in"))
            else:
                used.add(found)
                merged.append(watch_cross[found])
    merged += [w for i, w in enumerate(watch_cross) if i not in used]
    return tuple(sorted(merged, key=lambda c: c.day))


def _linked(checkin: Checkin, watch_runs: Sequence[RunEntry], used: set[int]) -> int | None:
    """The index of the watch run a check-in run is: named by its activity id, else the first
    not yet claimed on the same day."""
    wanted = checkin.run.activity_id if checkin.run else None
    free = [i for i in range(len(watch_runs)) if i not in used]
    named = [i for i in free if wanted and watch_runs[i].activity_id == wanted]
    same_day = [i for i in free if watch_runs[i].day == checkin.date]
    found = named or same_day
    return found[0] if found else None


# --- weeks and the longest run --------------------------------------------------------------


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly_load(
    runs: Sequence[RunEntry], cross: Sequence[CrossEntry], first_day: date, last_day: date
) -> tuple[WeekLoad, ...]:
    """Monday-based weeks from the week of ``first_day`` to the week of ``last_day``, counting
    only what falls between the two days (both included); weeks without any are zeros."""
    weeks: list[WeekLoad] = []
    monday = monday_of(first_day)
    while monday <= last_day:
        start, end = max(monday, first_day), min(monday + timedelta(days=6), last_day)
        inside = [r for r in runs if start <= r.day <= end]
        cross_minutes = sum(c.minutes for c in cross if start <= c.day <= end)
        weeks.append(_week(monday, inside, cross_minutes))
        monday += timedelta(days=7)
    return tuple(weeks)


def _week(monday: date, runs: list[RunEntry], cross_minutes: float) -> WeekLoad:
    known_km = [r.km for r in runs if r.km is not None]
    return WeekLoad(
        monday=monday,
        runs=len(runs),
        run_minutes=sum(r.minutes for r in runs),
        run_km=sum(known_km),
        longest_minutes=max((r.minutes for r in runs), default=None),
        longest_km=max(known_km, default=None),
        cross_minutes=cross_minutes,
    )


def longest_before(
    runs: Sequence[RunEntry], day: date, settings: LoadSettings = LoadSettings()
) -> LongestRun | None:
    """The longest run dated in [day - window, day): the runs before ``day``, not on it."""
    since = day - timedelta(days=settings.longest_run_window_days)
    window = [r for r in runs if since <= r.day < day]
    if not window:
        return None
    by_time = max(window, key=lambda r: r.minutes)
    with_km = [r for r in window if r.km is not None]
    by_km = max(with_km, key=lambda r: r.km or 0.0) if with_km else None
    return LongestRun(
        by_time.minutes,
        by_time.day,
        None if by_km is None else by_km.km,
        None if by_km is None else by_km.day,
    )


def single_run_cap(
    runs: Sequence[RunEntry],
    day: date,
    ratio: float,
    settings: LoadSettings = LoadSettings(),
    fallback_minutes: float | None = None,
) -> RunCap:
    """``ratio`` (110 %) of the longest run of the window before ``day``, in minutes and, when
    the runs have distances, km (Frandsen 2025). ``fallback_minutes`` when there is no run."""
    longest = longest_before(runs, day, settings)
    if longest is None:
        return RunCap(fallback_minutes, None, None)
    km = None if longest.km is None else longest.km * ratio
    return RunCap(longest.minutes * ratio, km, longest)


# --- the usual load and the rebuild ---------------------------------------------------------


def pain_began(assessment: Assessment, assessed_on: date) -> date:
    """When the pain began, from the intake's "how many weeks" answer: the usual load is the
    load of the weeks before it (``baseline``)."""
    return assessed_on - timedelta(weeks=assessment.history.symptom_weeks)


def baseline(
    runs: Sequence[RunEntry],
    pain_began: date,
    settings: LoadSettings = LoadSettings(),
    reported_weekly_km: float | None = None,
    reported_runs_per_week: int | None = None,
) -> Baseline:
    """The usual weekly load before the pain began: the mean week of the watch history in the
    ``baseline_weeks`` before ``pain_began`` when there is any (over the weeks the history
    covers, so a watch bought six weeks ago is not averaged over eight), else the assessment's
    reported figures, else none."""
    since = pain_began - timedelta(weeks=settings.baseline_weeks)
    window = [r for r in runs if since <= r.day < pain_began and r.source != "plan"]
    if window:
        covered = (pain_began - min(r.day for r in window)).days
        weeks = min(settings.baseline_weeks, max(1, math.ceil(covered / 7)))
        return Baseline(
            "history",
            weekly_km=_history_km(window, weeks),
            weekly_minutes=sum(r.minutes for r in window) / weeks,
            runs_per_week=len(window) / weeks,
            weeks=weeks,
        )
    if reported_weekly_km:
        return Baseline("reported", reported_weekly_km, None, reported_runs_per_week)
    return NO_BASELINE


def _history_km(window: list[RunEntry], weeks: int) -> float | None:
    """Km a week; runs without a distance (a treadmill without a foot pod) count at the pace
    of the runs that have one."""
    with_km = [r for r in window if r.km is not None]
    timed = sum(r.minutes for r in with_km)
    if not with_km or timed <= 0:
        return None
    km = sum(r.km or 0.0 for r in with_km) * sum(r.minutes for r in window) / timed
    return km / weeks


# --- step rate ------------------------------------------------------------------------------


# --- warnings -------------------------------------------------------------------------------
