"""From the samples a file holds to the engine's ``Recording``: the checks every format shares.

Each reader fills a ``Samples`` (columns of plain lists, times in UTC epoch seconds) and wraps
it in a ``Draft`` with what the file says of itself. ``finish`` then drops samples that go back
in time, refuses broken or too sparse recordings, settles the sport and turns the cadence into
steps per minute.
"""

from __future__ import annotations

import bisect
import statistics
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from runrehab.adapters.watch.model import Limits, Source
from runrehab.adapters.watch.sport import FOOT_SPORTS, choose_sport, moving_speeds
from runrehab.engine.activity import FileSummary, Recording, Track

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

EARLIEST_REAL_TIME = datetime(1990, 1, 1, tzinfo=UTC).timestamp()
"""Before this no GPS watch recorded anything: such a time is a broken clock or a null value."""

INDOOR_SUB_SPORTS = frozenset(
    {"treadmill", "indoor_running", "indoor_walking", "indoor_cycling", "virtual_activity"}
)


@dataclass(slots=True)
class Samples:
    """Columns filled while a file is read, one entry per sample. ``times`` are UTC epoch
    seconds; ``cadence`` is as the file counts it (strides of one foot per minute for foot
    sports, revolutions per minute on a bike)."""

    times: list[float] = field(default_factory=list)
    distance: list[float | None] = field(default_factory=list)
    latitude: list[float | None] = field(default_factory=list)
    longitude: list[float | None] = field(default_factory=list)
    altitude: list[float | None] = field(default_factory=list)
    heart_rate: list[float | None] = field(default_factory=list)
    cadence: list[float | None] = field(default_factory=list)
    speed: list[float | None] = field(default_factory=list)

    def columns(self) -> tuple[list[float | None], ...]:
        """Every column but the times, in a fixed order."""
        return (
            self.distance,
            self.latitude,
            self.longitude,
            self.altitude,
            self.heart_rate,
            self.cadence,
            self.speed,
        )

    def append(
        self,
        time: float,
        distance: float | None,
        latitude: float | None,
        longitude: float | None,
        altitude: float | None,
        heart_rate: float | None,
        cadence: float | None,
        speed: float | None,
    ) -> None:
        self.times.append(time)
        self.distance.append(distance)
        self.latitude.append(latitude)
        self.longitude.append(longitude)
        self.altitude.append(altitude)
        self.heart_rate.append(heart_rate)
        self.cadence.append(cadence)
        self.speed.append(speed)

    def pick(self, indices: list[int]) -> Samples:
        """The samples at these positions, in that order."""
        times = [self.times[i] for i in indices]
        return Samples(times, *[[column[i] for i in indices] for column in self.columns()])

    def __len__(self) -> int:
        return len(self.times)


@dataclass(frozen=True, slots=True)
class Draft:
    """A recording before its sport is settled: the samples and what the file says."""

    samples: Samples
    file_sport: object | None = None  # the file's own word for the sport (None: not said)
    sub_sport: str | None = None
    utc_offset_minutes: int | None = None
    device: str | None = None
    summary: FileSummary | None = None
    summary_strides_per_min: float | None = None  # the file's average cadence, one foot
    partial: str | None = None


def finish(draft: Draft, source: Source, limits: Limits) -> Recording | str:
    """The recording, or the reason it cannot be one."""
    samples = usable_samples(draft.samples, limits)
    if isinstance(samples, str):
        return samples
    sport, sport_source = choose_sport(
        draft.file_sport,
        source.sport_hint,
        source.name,
        lambda: moving_speeds(
            samples.times, samples.distance, samples.latitude, samples.longitude, samples.speed
        ),
    )
    on_foot = sport in FOOT_SPORTS
    summary = draft.summary
    if summary is not None and on_foot and draft.summary_strides_per_min:
        summary = replace(summary, cadence_spm=2 * draft.summary_strides_per_min)
    return Recording(
        sport=sport,
        sport_source=sport_source,
        start=utc(samples.times[0]),
        track=_track(samples, on_foot),
        sub_sport=draft.sub_sport,
        utc_offset_minutes=draft.utc_offset_minutes,
        indoor=_indoor(samples, draft.sub_sport),
        device=draft.device,
        summary=summary,
        partial=draft.partial,
    )


def usable_samples(samples: Samples, limits: Limits) -> Samples | str:
    """The samples going forward in time from a real date, one per instant; or why there are
    none worth measuring."""
    samples = forward_only(samples)
    if not samples.times:
        return "the file holds no recorded samples (a settings or course file?)"
    if samples.times[0] < EARLIEST_REAL_TIME:
        real = bisect.bisect_left(samples.times, EARLIEST_REAL_TIME)
        if real == len(samples):
            return broken_times(samples.times[0])
        samples = samples.pick(list(range(real, len(samples))))  # a bad clock at the start
    first, last = samples.times[0], samples.times[-1]
    if len(samples) > 1 and last == first and _moved(samples):
        return broken_times(first, f"all {len(samples)} points carry the same time")
    samples = merge_same_times(samples)
    return sparse_reason(samples, limits) or samples


def forward_only(samples: Samples) -> Samples:
    """The samples without those that go back in time (a clock reset, a merged file)."""
    times = samples.times
    keep: list[int] = []
    latest = float("-inf")
    for i, t in enumerate(times):
        if t >= latest:
            keep.append(i)
            latest = t
    return samples if len(keep) == len(times) else samples.pick(keep)


def merge_same_times(samples: Samples) -> Samples:
    """One sample per instant: a device that writes two records at the same second (position
    in one, distance in the other) gets them joined, the first value of each channel kept."""
    times = samples.times
    if all(times[i] != times[i - 1] for i in range(1, len(times))):
        return samples
    merged = Samples()
    columns = samples.columns()
    into = merged.columns()
    for i, t in enumerate(times):
        if merged.times and merged.times[-1] == t:
            for source, target in zip(columns, into, strict=True):
                if target[-1] is None:
                    target[-1] = source[i]
            continue
        merged.times.append(t)
        for source, target in zip(columns, into, strict=True):
            target.append(source[i])
    return merged


def sparse_reason(samples: Samples, limits: Limits) -> str | None:
    """Why the samples are too far apart to measure, or None.

    Both the median gap and the average gap (the duration over the gaps) must stay within the
    limit: a short burst of close points in a long recording (an excerpt) has a small median
    but still too few points to measure anything."""
    times = samples.times
    count = len(times)
    if count < 2:
        return f"too sparse to measure: {count} point"
    duration = times[-1] - times[0]
    gaps = [times[i] - times[i - 1] for i in range(1, count)]
    typical = max(statistics.median(gaps), duration / (count - 1))
    if typical <= limits.max_sparse_gap_s:
        return None
    return f"too sparse to measure: {count} points over {round(duration / 60)} minutes"


def broken_times(first: float, detail: str | None = None) -> str:
    """The reason for a recording whose clock cannot be trusted."""
    when = utc(first).strftime("%Y-%m-%d %H:%M:%S")
    what = f"{detail}, {when}" if detail else when
    return f"its times are broken ({what}), so the activity can't be placed on a day"


def number_or_none(text: str | None) -> float | None:
    """An XML element's text as a number; None when absent or not a number (GPX and TCX files
    from some apps write empty or odd values, which must not reject the whole file)."""
    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        return None


def utc(epoch_seconds: float) -> datetime:
    """The UTC time of an epoch second count (also before 1970, on every platform)."""
    return _EPOCH + timedelta(seconds=epoch_seconds)


def _moved(samples: Samples) -> bool:
    """Whether the samples cover any ground (positions or distance change)."""
    distances = [d for d in samples.distance if d is not None]
    if distances and max(distances) > min(distances):
        return True
    points = {
        (la, lo)
        for la, lo in zip(samples.latitude, samples.longitude, strict=True)
        if la is not None and lo is not None
    }
    return len(points) > 1


def _indoor(samples: Samples, sub_sport: str | None) -> bool:
    if sub_sport in INDOOR_SUB_SPORTS:
        return True
    has_position = any(la is not None for la in samples.latitude)
    has_distance = any(d is not None for d in samples.distance)
    return not has_position and has_distance


def _track(samples: Samples, on_foot: bool) -> Track:
    """The engine's columns: seconds and distance from the recording's own start, cadence in
    steps per minute for foot sports (both feet) and None otherwise."""
    first = samples.times[0]
    base = next((d for d in samples.distance if d is not None), 0.0)
    if on_foot:
        cadence = tuple(None if c is None else 2 * c for c in samples.cadence)
    else:
        cadence = (None,) * len(samples)
    return Track(
        seconds=tuple(t - first for t in samples.times),
        distance_m=tuple(None if d is None else d - base for d in samples.distance),
        latitude=tuple(samples.latitude),
        longitude=tuple(samples.longitude),
        altitude_m=tuple(samples.altitude),
        heart_rate=tuple(samples.heart_rate),
        cadence_spm=cadence,
        speed_mps=tuple(samples.speed),
    )
