"""What one recorded activity measured: time, distance, pace, hills, step rate, heart rate, and
whether it held speed work or a walk/run pattern.

Every figure is computed from the samples, never copied from the file's own summary (which is
kept only to check against). The samples are walked as plain tuples in a few linear passes, so
a 5,000-sample run takes a few milliseconds.

Sample ``i`` closes the *interval* from sample ``i - 1`` to sample ``i``; a value recorded at
sample ``i`` (step rate, heart rate, speed) stands for that interval. This is how watches that
record only when something changes ("smart recording") mean their samples, and it is the
definition that agrees with the watches' own session averages (see ``_time_weighted_mean``).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

from runrehab.engine.activity import Recording, Sport, Track

EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG)
ON_FOOT = frozenset({Sport.RUNNING, Sport.WALKING, Sport.HIKING, Sport.OTHER})
"""Sports whose cadence channel counts steps: cycling and swimming record strokes or pedal
revolutions there, which are neither step rates nor running load."""


@dataclass(frozen=True, slots=True)
class MetricsSettings:
    """How the samples are read. All numbers are product estimates [M] unless a source is named.

    ``moving_min_speed_mps``: slower than this an interval is standing still (0.5 m/s is a
    fifth of a slow walk; GPS jitter at rest stays below it).
    ``pause_gap_s``: a gap between samples longer than this is a pause (timer stopped, auto-pause,
    signal lost), not movement: watches record at least every few seconds while moving, and
    smart recording seldom leaves more than 20 s between samples.
    ``downhill_grade``: a stretch steeper than 3 % downhill counts as downhill (the issue's
    definition; downhill running loads the patellofemoral joint eccentrically).
    ``grade_window_m``: altitude is averaged over this much distance before grades are taken,
    because GPS and barometric altitude wander by metres from sample to sample.
    ``elevation_threshold_m``: a climb or descent counts only once the smoothed altitude has
    turned by this much, so that the remaining wobble is not summed as climbing. Of the window
    and threshold pairs tried (0-100 m, 1-5 m), 50 m and 3 m came closest to the watches' own
    ascent and descent on the shared FIT fixtures (13 m off per run on average).
    ``speed_smoothing_s``: speed is averaged over this many seconds before it is judged (GPS speed
    is noisy from second to second; 15 s still left ordinary runs looking like intervals).
    ``speed_work_ratio`` / ``speed_work_min_s`` / ``speed_work_min_efforts``: speed work is at
    least two efforts, each at 115 % or more of the run's median running speed for 20 s or more.
    ``speed_work_recovery_ratio``: an effort ends only when the speed falls back below 105 % of
    the median (hysteresis), so a run that drifts faster is one long effort, not many; an effort
    whose average stays under 115 % does not count. Downhill stretches (``downhill_grade``)
    count neither as efforts nor in the median.
    ``walk_max_speed_mps``: without a step rate, slower than this is walking: people switch from
    walking to running at about 2 m/s (the preferred walk-run transition speed).
    ``walk_max_cadence_spm``: with a step rate, fewer steps a minute than this is walking
    (walking is about 100-130 steps a minute, running rarely below 150).
    ``interval_min_s``: walk or run stretches shorter than this are absorbed by their
    neighbours (the shortest interval of the walk/run ladder is one minute).
    ``cadence_bucket_spm``: the width of the step-rate histogram's buckets.
    """

    moving_min_speed_mps: float = 0.5
    pause_gap_s: float = 30.0
    downhill_grade: float = -0.03
    grade_window_m: float = 50.0
    elevation_threshold_m: float = 3.0
    speed_smoothing_s: float = 30.0
    speed_work_ratio: float = 1.15
    speed_work_min_s: float = 20.0
    speed_work_min_efforts: int = 2
    speed_work_recovery_ratio: float = 1.05
    walk_max_speed_mps: float = 1.9
    walk_max_cadence_spm: float = 140.0
    interval_min_s: float = 20.0
    cadence_bucket_spm: int = 5


@dataclass(frozen=True, slots=True)
class CadenceStats:
    """The step rate over the moving time that has one (standing still excluded), weighted by
    time. ``histogram``: (bucket start in steps a minute, seconds in the bucket), ascending."""

    median_spm: float
    p10_spm: float
    p90_spm: float
    histogram: tuple[tuple[int, float], ...]


@dataclass(frozen=True, slots=True)
class SpeedWork:
    """Fast efforts: how many, their total seconds, and the speed that counted as fast (m/s)."""

    efforts: int
    fast_seconds: float
    threshold_mps: float


@dataclass(frozen=True, slots=True)
class WalkRunPattern:
    """A session that alternates running and walking: the number of running stretches and the
    medians of the running and of the walking stretches, in minutes; ``running_minutes`` and
    ``running_km`` the running alone, the walking breaks left out (None: stored by an older
    release, or no distance), which is what the longest-run cap measures."""

    repeats: int
    run_minutes: float
    walk_minutes: float
    running_minutes: float | None = None
    running_km: float | None = None


@dataclass(frozen=True, slots=True)
class Metrics:
    """What one activity measured. ``pace_min_per_km`` is the moving pace; figures the recording
    cannot give (no distance, no altitude, no step rate) are None."""

    elapsed_s: float
    moving_s: float
    distance_km: float | None
    pace_min_per_km: float | None
    elevation_gain_m: float | None
    elevation_loss_m: float | None
    downhill_km: float | None
    cadence_spm: float | None
    cadence: CadenceStats | None
    avg_hr: float | None
    max_hr: float | None
    speed_work: SpeedWork | None
    walk_run: WalkRunPattern | None


@dataclass(frozen=True, slots=True)
class _Intervals:
    """The intervals between consecutive samples: ``dt`` seconds, ``dd`` metres (None without a
    distance), ``speed`` m/s (None when the recording has no way to tell), and which of them
    were moving (``moving``) or at least not a pause (``live``)."""

    dt: list[float]
    dd: list[float] | None
    speed: list[float] | None
    live: list[bool]
    moving: list[bool]


def measure(recording: Recording, settings: MetricsSettings = MetricsSettings()) -> Metrics:
    """Measure ``recording`` from its samples."""
    track = recording.track
    if len(track) < 2:
        return _empty(track)
    cumulative = _cumulative_distance(track)
    iv = _intervals(track, cumulative, settings)
    moving_s = sum(w for w, m in zip(iv.dt, iv.moving, strict=True) if m)
    on_foot = recording.sport in ON_FOOT
    hills = _hills(track, cumulative, recording.indoor, settings)
    smooth = _smoothed_speed(track.seconds, iv, settings.speed_smoothing_s)
    walking = _walking(track.cadence_spm, smooth, iv, settings) if on_foot else None
    return Metrics(
        elapsed_s=track.seconds[-1] - track.seconds[0],
        moving_s=round(moving_s, 1),
        distance_km=_distance_km(cumulative),
        pace_min_per_km=_pace(iv, moving_s),
        elevation_gain_m=hills.gain_m,
        elevation_loss_m=hills.loss_m,
        downhill_km=hills.downhill_km,
        cadence_spm=_round(_time_weighted_mean(track.cadence_spm, iv), 1) if on_foot else None,
        cadence=_cadence_stats(track.cadence_spm, iv, settings) if on_foot else None,
        avg_hr=_round(_time_weighted_mean(track.heart_rate, iv, positive=True), 1),
        max_hr=max((h for h in track.heart_rate if h), default=None),
        speed_work=_speed_work(smooth, walking, hills.downhill, iv, settings) if walking else None,
        walk_run=_walk_run(walking, iv, settings.interval_min_s) if walking else None,
    )


def _empty(track: Track) -> Metrics:
    hr = [h for h in track.heart_rate if h]
    cadence = [c for c in track.cadence_spm if c is not None]
    return Metrics(
        0.0, 0.0, None, None, None, None, None,
        cadence[0] if cadence else None, None,
        hr[0] if hr else None, hr[0] if hr else None, None, None,
    )  # fmt: skip


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


# --- distance and moving time ---------------------------------------------------------------


def _cumulative_distance(track: Track) -> list[float] | None:
    """Metres from the start at every sample: the device's own distance channel when it has one
    (a foot pod on a treadmill, the watch's filtered GPS), else the path through the positions;
    None when the recording has neither (heart rate only)."""
    if any(d is not None for d in track.distance_m):
        return _filled(track.distance_m)
    if any(la is not None for la in track.latitude):
        return _path(track.latitude, track.longitude)
    return None


def _filled(values: Sequence[float | None]) -> list[float]:
    """The distance channel with gaps carried forward and never falling back (a device glitch
    that steps backwards is held at the furthest distance reached)."""
    last = next(v for v in values if v is not None)
    out: list[float] = []
    for v in values:
        if v is not None and v > last:
            last = v
        out.append(last)
    return out


def _path(latitude: Sequence[float | None], longitude: Sequence[float | None]) -> list[float]:
    """Cumulative haversine distance through the positions; a sample without a position adds
    nothing (the next position is measured from the last known one)."""
    radians, sin, cos, asin, sqrt = math.radians, math.sin, math.cos, math.asin, math.sqrt
    total = 0.0
    out: list[float] = []
    previous: tuple[float, float, float] | None = None
    for la, lo in zip(latitude, longitude, strict=True):
        if la is not None and lo is not None:
            phi, lam = radians(la), radians(lo)
            cos_phi = cos(phi)
            if previous is not None:
                p_phi, p_lam, p_cos = previous
                h = sin((phi - p_phi) / 2) ** 2 + p_cos * cos_phi * sin((lam - p_lam) / 2) ** 2
                total += 2 * EARTH_RADIUS_M * asin(sqrt(min(1.0, h)))
            previous = (phi, lam, cos_phi)
        out.append(total)
    return out


def _intervals(track: Track, cumulative: list[float] | None, s: MetricsSettings) -> _Intervals:
    t = track.seconds
    dt = [b - a for a, b in itertools.pairwise(t)]
    live = [0 < w <= s.pause_gap_s for w in dt]
    dd: list[float] | None = None
    speed: list[float] | None = None
    if cumulative is not None:
        dd = [b - a for a, b in itertools.pairwise(cumulative)]
        speed = [d / w if w > 0 else 0.0 for d, w in zip(dd, dt, strict=True)]
    elif any(v is not None for v in track.speed_mps):
        speed = _filled_speed(track.speed_mps)[1:]
    if speed is None:  # nothing tells standing from moving: every interval that is not a pause
        return _Intervals(dt, dd, None, live, live)
    low = s.moving_min_speed_mps
    moving = [ok and v >= low for ok, v in zip(live, speed, strict=True)]
    return _Intervals(dt, dd, speed, live, moving)


def _filled_speed(values: Sequence[float | None]) -> list[float]:
    last = 0.0
    out: list[float] = []
    for v in values:
        last = last if v is None else v
        out.append(last)
    return out


def _distance_km(cumulative: list[float] | None) -> float | None:
    return None if cumulative is None else round((cumulative[-1] - cumulative[0]) / 1000, 3)


def _pace(iv: _Intervals, moving_s: float) -> float | None:
    """Minutes per km over the moving intervals only, so pauses do not slow the pace."""
    if iv.dd is None:
        return None
    metres = sum(d for d, m in zip(iv.dd, iv.moving, strict=True) if m)
    return round(moving_s / 60 / (metres / 1000), 2) if metres > 0 else None


# --- step rate and heart rate ---------------------------------------------------------------


def _time_weighted_mean(
    values: Sequence[float | None], iv: _Intervals, positive: bool = False
) -> float | None:
    """The mean of a channel weighted by the interval each value stands for (from the previous
    sample to this one), over every interval that is not a pause. Zeros count (a standing step
    rate of 0 is what the watch averages too) unless ``positive`` (heart rate 0 = no reading).

    On the twelve running FIT files with a session step rate this agrees with the watch's own
    average within 1 % on every one; a plain mean of the samples does not on watches with smart
    recording, and a mean that keeps the pauses does not on files with timer pauses."""
    total = weight = 0.0
    for x, w, ok in zip(values[1:], iv.dt, iv.live, strict=True):
        if ok and x is not None and (x > 0 or not positive):
            total += x * w
            weight += w
    if weight > 0:
        return total / weight
    known = [x for x in values if x is not None and (x > 0 or not positive)]
    return sum(known) / len(known) if known else None


def _cadence_stats(
    cadence: Sequence[float | None], iv: _Intervals, s: MetricsSettings
) -> CadenceStats | None:
    seconds: dict[float, float] = {}
    for x, w, m in zip(cadence[1:], iv.dt, iv.moving, strict=True):
        if m and x:
            seconds[x] = seconds.get(x, 0.0) + w
    if not seconds:
        return None
    ordered = sorted(seconds.items())
    width = s.cadence_bucket_spm
    buckets: dict[int, float] = {}
    for x, w in ordered:
        start = int(x // width) * width
        buckets[start] = buckets.get(start, 0.0) + w
    return CadenceStats(
        median_spm=_quantile(ordered, 0.5),
        p10_spm=_quantile(ordered, 0.1),
        p90_spm=_quantile(ordered, 0.9),
        histogram=tuple((b, round(w, 1)) for b, w in sorted(buckets.items())),
    )


def _quantile(ordered: list[tuple[float, float]], q: float) -> float:
    """The smallest value whose cumulative weight reaches ``q`` of the total."""
    goal = q * sum(w for _, w in ordered)
    running = 0.0
    for value, w in ordered:
        running += w
        if running >= goal:
            return value
    return ordered[-1][0]


# --- hills ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Hills:
    """Climb and descent in metres, downhill km, and which intervals ran downhill (None when the
    recording cannot tell)."""

    gain_m: float | None = None
    loss_m: float | None = None
    downhill_km: float | None = None
    downhill: list[bool] | None = None


def _hills(
    track: Track, cumulative: list[float] | None, indoor: bool, s: MetricsSettings
) -> _Hills:
    """None indoors (a treadmill's barometer measures the room) and without altitude; downhill
    km also None without a distance."""
    samples = [i for i, a in enumerate(track.altitude_m) if a is not None]
    if indoor or len(samples) < 2:
        return _Hills()
    altitude = [track.altitude_m[i] or 0.0 for i in samples]
    if cumulative is None:
        gain, loss = _climb(altitude, s.elevation_threshold_m)
        return _Hills(round(gain, 1), round(loss, 1))
    along = [cumulative[i] for i in samples]
    smooth = _smoothed_altitude(along, altitude, s.grade_window_m)
    gain, loss = _climb(smooth, s.elevation_threshold_m)
    downhill = [False] * (len(track) - 1)
    metres = 0.0
    for k in range(1, len(samples)):
        run = along[k] - along[k - 1]
        if run > 0 and smooth[k] - smooth[k - 1] < s.downhill_grade * run:
            metres += run
            downhill[samples[k - 1] : samples[k]] = [True] * (samples[k] - samples[k - 1])
    return _Hills(round(gain, 1), round(loss, 1), round(metres / 1000, 3), downhill)


def _smoothed_altitude(along: list[float], altitude: list[float], window: float) -> list[float]:
    """Each altitude replaced by the mean of those within half a window either side (by
    distance). Consecutive means then differ by about the grade over the whole window."""
    return _window_means(along, altitude, [1.0] * len(along), window / 2)


def _window_means(
    keys: list[float], values: Sequence[float], weights: Sequence[float], half: float
) -> list[float]:
    """For each key (ascending), the weighted mean of the values whose keys lie within ``half``
    of it; 0 where those weigh nothing. The window slides along with running sums."""
    n = len(keys)
    lo = hi = 0
    num = den = 0.0
    out: list[float] = []
    for x in keys:
        while hi < n and keys[hi] <= x + half:
            num += values[hi] * weights[hi]
            den += weights[hi]
            hi += 1
        while keys[lo] < x - half:
            num -= values[lo] * weights[lo]
            den -= weights[lo]
            lo += 1
        out.append(num / den if den > 0 else 0.0)
    return out


def _climb(altitude: list[float], threshold: float) -> tuple[float, float]:
    """Total climb and descent, counting a swing only once it has reversed by ``threshold``
    metres (hysteresis), then counting it in full from one turning point to the next."""
    gain = loss = 0.0
    low = high = anchor = extreme = altitude[0]
    direction = 0
    for x in altitude:
        if direction == 0:
            low, high = min(low, x), max(high, x)
            if x - low >= threshold:
                direction, anchor, extreme = 1, low, x
            elif high - x >= threshold:
                direction, anchor, extreme = -1, high, x
        elif direction * (x - extreme) > 0:
            extreme = x
        elif abs(extreme - x) >= threshold:
            gain, loss = _add_swing(gain, loss, extreme - anchor)
            direction, anchor, extreme = -direction, extreme, x
    return _add_swing(gain, loss, extreme - anchor if direction else 0.0)


def _add_swing(gain: float, loss: float, swing: float) -> tuple[float, float]:
    return (gain + swing, loss) if swing > 0 else (gain, loss - swing)


# --- speed work and walk/run ----------------------------------------------------------------


def _smoothed_speed(seconds: Sequence[float], iv: _Intervals, window: float) -> list[float] | None:
    """Each moving interval's speed averaged (by time) with the moving intervals whose middles
    lie within half a window of its own; 0 for intervals that are not moving."""
    if iv.speed is None:
        return None
    middle = [a + w / 2 for a, w in zip(seconds, iv.dt, strict=False)]
    weight = [w if m else 0.0 for w, m in zip(iv.dt, iv.moving, strict=True)]
    means = _window_means(middle, iv.speed, weight, window / 2)
    return [v if m else 0.0 for v, m in zip(means, iv.moving, strict=True)]


def _walking(
    cadence: Sequence[float | None],
    smooth: list[float] | None,
    iv: _Intervals,
    s: MetricsSettings,
) -> list[bool | None] | None:
    """For each interval: True walking, False running, None not moving or not known. The step
    rate decides when the interval has one, else the smoothed speed; None when neither can."""
    if smooth is None and not any(cadence):
        return None
    out: list[bool | None] = []
    for i, m in enumerate(iv.moving):
        step = cadence[i + 1]
        if not m:
            out.append(None)
        elif step:
            out.append(step < s.walk_max_cadence_spm)
        elif smooth is not None:
            out.append(smooth[i] < s.walk_max_speed_mps)
        else:
            out.append(None)
    return out


def _speed_work(
    smooth: list[float] | None,
    walking: list[bool | None],
    downhill: list[bool] | None,
    iv: _Intervals,
    s: MetricsSettings,
) -> SpeedWork | None:
    """Repeated fast efforts, judged on running that is not downhill: walking breaks would
    lower the usual speed, and gravity, not effort, speeds up a descent."""
    if smooth is None:
        return None
    slope = downhill or [False] * len(walking)
    counted = [walk is False and not down for walk, down in zip(walking, slope, strict=True)]
    running = [(v, w) for v, w, ok in zip(smooth, iv.dt, counted, strict=True) if ok]
    if not running:
        return None
    usual = _quantile(sorted(running), 0.5)
    threshold = s.speed_work_ratio * usual
    recovery = s.speed_work_recovery_ratio * usual
    stretches = _fast_stretches(smooth, counted, iv.dt, threshold, recovery)
    efforts = [e for e in stretches if e >= s.speed_work_min_s]
    if len(efforts) < s.speed_work_min_efforts:
        return None
    return SpeedWork(len(efforts), round(sum(efforts), 1), round(threshold, 2))


def _fast_stretches(
    smooth: list[float], counted: list[bool], dt: list[float], threshold: float, recovery: float
) -> list[float]:
    """Seconds of each effort: counted running that reaches ``threshold`` and lasts until the
    speed falls below ``recovery`` (hysteresis), or the runner walks, stops or runs downhill.
    An effort whose average stays below ``threshold`` was a wobble around it, not an effort."""
    efforts: list[float] = []
    seconds = metres = 0.0
    for v, ok, w in zip(smooth, counted, dt, strict=True):
        if ok and v >= (recovery if seconds else threshold):
            seconds += w
            metres += v * w
            continue
        if seconds and metres >= threshold * seconds:
            efforts.append(seconds)
        seconds = metres = 0.0
    if seconds and metres >= threshold * seconds:
        efforts.append(seconds)
    return efforts


def _walk_run(walking: list[bool | None], iv: _Intervals, min_s: float) -> WalkRunPattern | None:
    """The walk/run pattern, when the moving time alternates: at least two running stretches
    with walking between. Standing still neither ends nor starts a stretch."""
    segments = _merged(_segments(walking, iv.dt), min_s)
    runs = [secs for walk, secs in segments if not walk]
    walks = [secs for walk, secs in segments if walk]
    if len(runs) < 2 or not walks:
        return None
    running_km = None
    if iv.dd is not None:  # the running intervals themselves, before short stretches merge
        metres = sum(d for walk, d in zip(walking, iv.dd, strict=True) if walk is False)
        running_km = round(metres / 1000, 2)
    return WalkRunPattern(
        len(runs),
        round(median(runs) / 60, 2),
        round(median(walks) / 60, 2),
        round(sum(runs) / 60, 1),
        running_km,
    )


def _segments(walking: list[bool | None], dt: list[float]) -> list[tuple[bool, float]]:
    kinds: list[bool] = []
    seconds: list[float] = []
    for walk, w in zip(walking, dt, strict=True):
        if walk is None:
            continue
        if kinds and kinds[-1] == walk:
            seconds[-1] += w
        else:
            kinds.append(walk)
            seconds.append(w)
    return list(zip(kinds, seconds, strict=True))


def _merged(segments: list[tuple[bool, float]], min_s: float) -> list[tuple[bool, float]]:
    """Stretches shorter than ``min_s`` join the stretch before them (the first one joins the
    next), and neighbours of the same kind become one."""
    kinds: list[bool] = []
    seconds: list[float] = []
    for walk, secs in segments:
        if kinds and (kinds[-1] == walk or secs < min_s):
            seconds[-1] += secs
        else:
            kinds.append(walk)
            seconds.append(secs)
    if len(kinds) > 1 and seconds[0] < min_s:
        first = seconds.pop(0)
        seconds[0] += first
        kinds.pop(0)
    return list(zip(kinds, seconds, strict=True))
