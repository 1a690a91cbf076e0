"""A recorded activity as the engine sees it: what a watch or phone file holds, read by the
importers in ``runrehab.adapters.watch`` and measured by ``runrehab.engine.metrics``.

The samples are kept column by column (one tuple per channel, all the same length) because a
long run holds thousands of them: columns are compact and quick to walk through.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Sport(StrEnum):
    """Running counts as running load; everything else is kept as cross-training."""

    RUNNING = "running"
    WALKING = "walking"
    HIKING = "hiking"
    CYCLING = "cycling"
    SWIMMING = "swimming"
    OTHER = "other"


class SportSource(StrEnum):
    """Where the sport came from, so a guess is shown as a guess."""

    FILE = "file"  # the file says so (FIT sport, GPX <type>, TCX Sport attribute)
    EXPORT_LIST = "export list"  # the bulk export's list of activities (Strava activities.csv)
    FILE_NAME = "file name"  # a word in the file name ("run", "ride", ...)
    PACE = "pace"  # guessed from the speed


@dataclass(frozen=True, slots=True)
class Track:
    """The samples of one recording, one tuple per channel, all of the same length.

    ``seconds``: since the recording's start, never decreasing. ``distance_m``: cumulative
    distance as the device measured it (a foot pod on a treadmill), None where not recorded.
    ``cadence_spm``: steps per minute, both feet (the importers double the strides per minute
    of FIT, TCX and Garmin GPX). None marks a sample without that channel.
    """

    seconds: tuple[float, ...]
    distance_m: tuple[float | None, ...]
    latitude: tuple[float | None, ...]
    longitude: tuple[float | None, ...]
    altitude_m: tuple[float | None, ...]
    heart_rate: tuple[float | None, ...]
    cadence_spm: tuple[float | None, ...]
    speed_mps: tuple[float | None, ...]

    def __len__(self) -> int:
        return len(self.seconds)


@dataclass(frozen=True, slots=True)
class FileSummary:
    """What the file says of itself (a FIT session message, TCX lap totals). Kept to check the
    measured figures against; the figures shown are always computed from the samples."""

    elapsed_s: float | None = None
    timer_s: float | None = None
    distance_m: float | None = None
    cadence_spm: float | None = None
    ascent_m: float | None = None
    descent_m: float | None = None
    avg_heart_rate: float | None = None


@dataclass(frozen=True, slots=True)
class Recording:
    """One activity read from a file (a multisport file gives one per leg).

    ``start`` is timezone-aware UTC; ``utc_offset_minutes`` is the local offset the device
    recorded (FIT's local_timestamp), None when the file does not say. ``partial`` says why only
    part of the file could be read (None when the whole file was read).
    """

    sport: Sport
    sport_source: SportSource
    start: datetime
    track: Track
    sub_sport: str | None = None
    utc_offset_minutes: int | None = None
    indoor: bool = False
    device: str | None = None
    summary: FileSummary | None = None
    partial: str | None = None
