"""GPX files (Garmin Connect, Strava, Apple Watch exports, GPSBabel), parsed with gpxpy.

Each track is one recording, its segments joined in order. Points without a time are dropped:
a GPX file without any time is a planned route, not a recorded activity. Heart rate, cadence
and speed come from the extensions (Garmin's TrackPointExtension under any prefix, bare
``<hr>``/``<cad>``/``<heartrate>`` elements, Apple's ``<speed>``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import gpxpy
import gpxpy.gpx

from runrehab.adapters.watch.model import Unreadable
from runrehab.adapters.watch.track import Draft, Samples, number_or_none

NO_TIMES = "the GPX file has no times, so it is a route, not a recorded activity"
NO_POINTS = "the file holds no recorded samples (a settings or course file?)"

_HEART_RATE = frozenset({"hr", "heartrate"})
_CADENCE = frozenset({"cad", "cadence"})  # strides of one foot per minute when on foot


def read_gpx(text: str) -> list[Draft]:
    """One draft per track that has timed points; raises Unreadable with the reason."""
    try:
        document = gpxpy.parse(text)
    except gpxpy.gpx.GPXXMLSyntaxException as error:
        raise Unreadable(f"not valid XML: {error.__cause__ or error}") from error
    except gpxpy.gpx.GPXException as error:
        raise Unreadable(f"not a valid GPX file: {error}") from error
    drafts: list[Draft] = []
    for track in document.tracks:
        samples = _samples(track)
        if samples.times:
            drafts.append(Draft(samples, file_sport=track.type or None))
    if drafts:
        return drafts
    has_points = any(s.points for t in document.tracks for s in t.segments)
    if has_points or document.routes or document.waypoints:
        raise Unreadable(NO_TIMES)
    raise Unreadable(NO_POINTS)


def _samples(track: Any) -> Samples:
    samples = Samples()
    for segment in track.segments:
        for point in segment.points:
            if point.time is None:
                continue
            heart_rate, cadence, speed = _extensions(point.extensions)
            samples.append(
                _epoch(point.time),
                None,  # GPX carries no device distance: the engine measures the positions
                point.latitude,
                point.longitude,
                point.elevation,
                heart_rate,
                cadence,
                speed if speed is not None else point.speed,
            )
    return samples


def _extensions(elements: list[Any]) -> tuple[float | None, float | None, float | None]:
    """Heart rate, cadence and speed from a point's extension elements, whatever the prefix."""
    heart_rate = cadence = speed = None
    for extension in elements:
        for element in extension.iter():
            tag = element.tag
            if not isinstance(tag, str):  # a comment
                continue
            name = tag.rpartition("}")[2].rpartition(":")[2].lower()
            if name in _HEART_RATE and heart_rate is None:
                heart_rate = number_or_none(element.text)
            elif name in _CADENCE and cadence is None:
                cadence = number_or_none(element.text)
            elif name == "speed" and speed is None:
                speed = number_or_none(element.text)
    return heart_rate, cadence, speed


def _epoch(moment: datetime) -> float:
    """UTC epoch seconds; a time without a zone is taken as UTC, as GPX requires."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - _EPOCH).total_seconds()


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
