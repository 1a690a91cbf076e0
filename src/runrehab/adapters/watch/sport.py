"""Which sport a recording is: the file's own word, the export's list, the file name, the pace.

Each source of the sport is tried in that order of trust, and the one used is kept with the
recording (``SportSource``) so that a guess is shown as a guess.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable, Sequence
from math import asin, cos, radians, sin, sqrt

from runrehab.engine.activity import Sport, SportSource

FOOT_SPORTS = frozenset({Sport.RUNNING, Sport.WALKING, Sport.HIKING})
"""Sports whose cadence is counted in steps (the files count strides of one foot)."""

# The words files and exports use, normalised (lower case, "_" and "-" as spaces). Numbers are
# the activity codes of Strava's GPX <type> (1 ride, 4 hike, 9 run, 10 walk).
_WORDS: dict[str, Sport] = {
    **dict.fromkeys(
        [
            "running",
            "run",
            "trail running",
            "trail run",
            "treadmill running",
            "treadmill",
            "virtual run",
            "street running",
            "track running",
            "indoor running",
            "jogging",
            "9",
        ],
        Sport.RUNNING,
    ),
    **dict.fromkeys(["walk", "walking", "casual walking", "speed walking", "10"], Sport.WALKING),
    **dict.fromkeys(["hike", "hiking", "4"], Sport.HIKING),
    **dict.fromkeys(
        [
            "ride",
            "cycling",
            "biking",
            "bike",
            "virtual ride",
            "e bike ride",
            "e biking",
            "ebikeride",
            "mountain bike ride",
            "gravel ride",
            "indoor cycling",
            "1",
        ],
        Sport.CYCLING,
    ),
    **dict.fromkeys(
        ["swim", "swimming", "open water", "lap swimming", "open water swimming"],
        Sport.SWIMMING,
    ),
}

# Words that say nothing about the sport: the next source of the sport is asked instead.
_SILENT = frozenset({"", "generic", "other", "all", "unknown", "none", "0"})

# Whole words in a file name ("Morning_Run.gpx", "2021-05-02-ride.fit").
_NAME_WORDS: dict[str, Sport] = {
    **dict.fromkeys(["run", "running", "jog", "jogging", "treadmill"], Sport.RUNNING),
    **dict.fromkeys(["walk", "walking"], Sport.WALKING),
    **dict.fromkeys(["hike", "hiking"], Sport.HIKING),
    **dict.fromkeys(["ride", "riding", "bike", "biking", "cycling", "cycle"], Sport.CYCLING),
    **dict.fromkeys(["swim", "swimming"], Sport.SWIMMING),
}

# Product estimates, not measured thresholds: a median moving speed of 7 m/s (25 km/h) is out
# of reach of almost every runner over a whole activity, and 2 m/s (a 8:20 min/km pace) is
# about where a brisk walk turns into a jog.
CYCLING_FROM_MPS = 7.0
RUNNING_FROM_MPS = 2.0
MOVING_FROM_MPS = 0.5  # slower than this between two samples is standing still

_EARTH_RADIUS_M = 6_371_000.0


def sport_from_word(word: object) -> Sport | None:
    """The sport a file or an export names; None when the word says nothing."""
    text = re.sub(r"[_\-]+", " ", str(word).strip().lower()).strip()
    if text in _SILENT:
        return None
    if text in _WORDS:
        return _WORDS[text]
    for token in text.split():
        if token in _NAME_WORDS:
            return _NAME_WORDS[token]
    return Sport.OTHER


def sport_from_file_name(name: str) -> Sport | None:
    """The first sport word in a file name, if any ("togeojson__run.gpx" is a run)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    for token in re.findall(r"[a-z]+", base.lower()):
        if token in _NAME_WORDS:
            return _NAME_WORDS[token]
    return None


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres."""
    dlat = radians(lat2 - lat1)
    dlon = radians(lon2 - lon1)
    a = sin(dlat / 2) ** 2 + cos(radians(lat1)) * cos(radians(lat2)) * sin(dlon / 2) ** 2
    return 2 * _EARTH_RADIUS_M * asin(min(1.0, sqrt(a)))


def moving_speeds(
    seconds: Sequence[float],
    distance: Sequence[float | None],
    latitude: Sequence[float | None],
    longitude: Sequence[float | None],
    speed: Sequence[float | None],
) -> list[float]:
    """Speeds between consecutive samples while moving: from the device's distance where both
    samples have one, else from the positions; the speed channel when neither is recorded."""
    speeds: list[float] = []
    for i in range(1, len(seconds)):
        dt = seconds[i] - seconds[i - 1]
        if dt <= 0:
            continue
        d0, d1 = distance[i - 1], distance[i]
        la0, la1, lo0, lo1 = latitude[i - 1], latitude[i], longitude[i - 1], longitude[i]
        if d0 is not None and d1 is not None:
            mps = (d1 - d0) / dt
        elif la0 is not None and la1 is not None and lo0 is not None and lo1 is not None:
            mps = haversine_m(la0, lo0, la1, lo1) / dt
        else:
            continue
        if mps >= MOVING_FROM_MPS:
            speeds.append(mps)
    if not speeds:
        speeds = [v for v in speed if v is not None and v >= MOVING_FROM_MPS]
    return speeds


def sport_from_pace(speeds: Sequence[float]) -> Sport:
    """A guess from the median moving speed; OTHER when the recording never moves."""
    if not speeds:
        return Sport.OTHER
    median = statistics.median(speeds)
    if median >= CYCLING_FROM_MPS:
        return Sport.CYCLING
    if median >= RUNNING_FROM_MPS:
        return Sport.RUNNING
    return Sport.WALKING


def choose_sport(
    file_word: object,
    export_hint: str | None,
    file_name: str,
    speeds: Callable[[], Sequence[float]],
) -> tuple[Sport, SportSource]:
    """The sport by order of trust: the file, the export's list, the file name, the pace
    (``speeds`` is only called when it comes to that).

    A file that says "running" therefore always stays running, whatever its pace."""
    if file_word is not None and (sport := sport_from_word(file_word)) is not None:
        return sport, SportSource.FILE
    if export_hint is not None and (sport := sport_from_word(export_hint)) is not None:
        return sport, SportSource.EXPORT_LIST
    if (sport := sport_from_file_name(file_name)) is not None:
        return sport, SportSource.FILE_NAME
    return sport_from_pace(speeds()), SportSource.PACE
