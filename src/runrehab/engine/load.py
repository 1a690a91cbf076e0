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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from statistics import median

from runrehab.engine.assessment import Assessment
from runrehab.engine.checkin import Checkin
from runrehab.engine.metrics import Metrics, MetricsSettings
from runrehab.engine.protocol import Settings
from runrehab.engine.values import Reason

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


@dataclass(frozen=True, slots=True)
class CadenceTarget:
    """The runner's usual step rate (median of their runs), the +5-10 % range to aim for, and
    the beats a minute to set on a metronome (the +5 % end first)."""

    usual_spm: float
    low_spm: float
    high_spm: float
    metronome_bpm: int
    reason: Reason


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
        Reason(
            "load-rebuild-weekly-target",
            f"rebuild week {week + 1}: {ratio * 100:.0f} % of your usual {usual_week:.0f} minutes "
            f"a week ({_source_words(base)}), over {per_week:g} runs: a run of {wanted:.0f} "
            "minutes",
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
        return (
            Reason(
                "load-longest-run-cap",
                f"no run in the last {days} days: at most {minutes:.0f} minutes",
            ),
        )
    longest = cap.longest
    return (
        Reason(
            "load-longest-run-cap",
            f"capped at {minutes:.0f} minutes: {s.longest_run_cap_ratio * 100:.0f} % of your "
            f"longest run of the last {days} days "
            f"({longest.minutes:.0f} minutes on {longest.minutes_day.isoformat()})",
        ),
    )


def _hills_reason(day: date, allowed_from: date) -> Reason:
    if day >= allowed_from:
        return Reason(
            "load-hills-speed-after-pain-free-weeks",
            "hills or faster running may come back now: one at a time, not both in one week",
        )
    return Reason(
        "load-hills-speed-after-pain-free-weeks",
        f"flat and easy until {allowed_from.isoformat()}",
    )


def _source_words(base: Baseline) -> str:
    if base.source == "history":
        return f"from your watch, the {base.weeks} weeks before the pain"
    if base.source == "reported":
        return "as you reported it"
    return "not known: the ladder's last run"


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


# --- step rate ------------------------------------------------------------------------------


def cadence_target(
    runs_cadence_spm: Sequence[float], protocol_settings: Settings = PROTOCOL_DEFAULTS
) -> CadenceTarget | None:
    """The runner's own median step rate, the +5-10 % to aim for (Heiderscheit 2011; Lenhart
    2014; Willy 2016 cued +7.5 %), and the metronome beats a minute at the +5 % end: the
    smaller change first, changing one thing at a time (digest §6). None without step rates."""
    rates = [c for c in runs_cadence_spm if c > 0]
    if not rates:
        return None
    usual = float(median(rates))
    low = usual * (1 + protocol_settings.cadence_increase_min_percent / 100)
    high = usual * (1 + protocol_settings.cadence_increase_max_percent / 100)
    bpm = math.ceil(low - TOLERANCE)
    if bpm > high:  # a range narrower than one beat: only at implausibly low step rates
        bpm = round(low)
    detail = (
        f"your usual step rate {usual:.0f} a minute (median of {len(rates)} runs): aim for "
        f"{math.ceil(low - TOLERANCE)}–{math.floor(high + TOLERANCE)}; set the metronome to "
        f"{bpm} beats a minute"
    )
    return CadenceTarget(usual, low, high, bpm, Reason("cadence-target", detail))


# --- warnings -------------------------------------------------------------------------------


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
