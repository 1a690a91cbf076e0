"""TCX files (Garmin Training Center XML, also Polar and Strava exports), read with ElementTree.

Tags are matched by their local name because exporters use different namespace prefixes
(``ns3:TPX``, ``ext:TPX``, ``ActivityExtension/v2``). A treadmill run has no ``<Position>``:
its trackpoints are kept all the same. Lap totals are kept as the file's summary only; the
figures shown are measured from the trackpoints, which lap totals sometimes contradict.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from runrehab.adapters.watch.model import Unreadable
from runrehab.adapters.watch.track import Draft, Samples, number_or_none
from runrehab.engine.activity import FileSummary

NO_ACTIVITY = "the TCX file holds no activity (a course or a workout plan?)"

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def read_tcx(data: bytes) -> list[Draft]:
    """One draft per ``Activity``; raises Unreadable with the reason."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        raise Unreadable(f"not valid XML: {error}") from error
    drafts = [_activity(element) for element in root.iter() if _local(element.tag) == "Activity"]
    if not drafts:
        raise Unreadable(NO_ACTIVITY)
    return drafts


def _activity(activity: ET.Element) -> Draft:
    samples = Samples()
    timer = distance = beats = 0.0
    timed_laps = 0.0
    has_distance = has_heart_rate = False
    for lap in _children(activity, "Lap"):
        lap_time = number_or_none(_child_text(lap, "TotalTimeSeconds"))
        lap_distance = number_or_none(_child_text(lap, "DistanceMeters"))
        lap_heart_rate = _heart_rate(_child(lap, "AverageHeartRateBpm"))
        if lap_time is not None:
            timer += lap_time
        if lap_distance is not None:
            distance += lap_distance
            has_distance = True
        if lap_heart_rate is not None and lap_time:
            beats += lap_heart_rate * lap_time
            timed_laps += lap_time
            has_heart_rate = True
        for track in _children(lap, "Track"):
            for point in _children(track, "Trackpoint"):
                _take_point(point, samples)
    summary = FileSummary(
        timer_s=timer or None,
        distance_m=distance if has_distance else None,
        avg_heart_rate=beats / timed_laps if has_heart_rate else None,
    )
    return Draft(samples, file_sport=activity.get("Sport"), summary=summary)


def _take_point(point: ET.Element, samples: Samples) -> None:
    """One trackpoint into the columns; a point without a time cannot be placed and is skipped.

    ``Cadence`` and the extension's ``RunCadence`` count strides of one foot per minute on foot
    (revolutions per minute on a bike); ``finish`` turns them into steps or drops them."""
    moment = None
    distance = latitude = longitude = altitude = heart_rate = cadence = speed = None
    for child in point:
        name = _local(child.tag)
        if name == "Time":
            moment = _time(child.text)
        elif name == "Position":
            for part in child:
                if _local(part.tag) == "LatitudeDegrees":
                    latitude = number_or_none(part.text)
                elif _local(part.tag) == "LongitudeDegrees":
                    longitude = number_or_none(part.text)
        elif name == "AltitudeMeters":
            altitude = number_or_none(child.text)
        elif name == "DistanceMeters":
            distance = number_or_none(child.text)
        elif name == "HeartRateBpm":
            heart_rate = _heart_rate(child)
        elif name == "Cadence":
            cadence = number_or_none(child.text)
        elif name == "Extensions":
            for element in child.iter():
                inner = _local(element.tag)
                if inner == "RunCadence" and cadence is None:
                    cadence = number_or_none(element.text)
                elif inner == "Speed" and speed is None:
                    speed = number_or_none(element.text)
    if moment is None:
        return
    if latitude is None or longitude is None:
        latitude = longitude = None
    samples.append(moment, distance, latitude, longitude, altitude, heart_rate, cadence, speed)


def _time(text: str | None) -> float | None:
    """UTC epoch seconds of an ISO 8601 time; a time without a zone is taken as UTC."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - _EPOCH).total_seconds()


def _heart_rate(element: ET.Element | None) -> float | None:
    if element is None:
        return None
    value = _child(element, "Value")
    return number_or_none(value.text if value is not None else element.text)


def _local(tag: object) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _children(element: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in element if _local(child.tag) == name]


def _child(element: ET.Element, name: str) -> ET.Element | None:
    return next((child for child in element if _local(child.tag) == name), None)


def _child_text(element: ET.Element, name: str) -> str | None:
    child = _child(element, name)
    return None if child is None else child.text
