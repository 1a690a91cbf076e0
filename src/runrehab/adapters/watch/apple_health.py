"""Apple Health exports: the running, walking, hiking, cycling and swimming workouts of the
``export.zip`` an iPhone writes (Health, profile picture, "Export All Health Data").

``apple_health_export/export.xml`` can be hundreds of MB: it is read as a stream from the zip,
never whole, each ``<Workout>`` taken as it ends and every element dropped once read. A workout
with a ``<WorkoutRoute>`` gets its track from the route's GPX file in the same zip (read with the
GPX reader: positions, elevation, pace); one without gets a track made from its duration and
distance, a sample every few seconds at an even pace, so that the engine measures the same
figures the phone shows. Heart rate, when the export has its statistics, gives the average and
the maximum the phone reported.

Entity declarations are refused before the parser sees them (no "billion laughs"); Apple's own
DOCTYPE declares elements and attributes only. The export's bytes are hashed as they are read,
so the same export imported twice is recognised; a later export of the same workouts is
recognised by their start and duration.
"""

from __future__ import annotations

import dataclasses
import hashlib
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO

from runrehab.adapters.watch.gpx import read_gpx
from runrehab.adapters.watch.model import Limits, ReadFile, Source, Unreadable
from runrehab.adapters.watch.track import Draft, Samples, finish, number_or_none
from runrehab.engine.activity import FileSummary, Recording

EXPORT_FOLDER = "apple_health_export"
EXPORT_NAME = "export.xml"
ROUTES_FOLDER = "workout-routes"
FORMAT = "apple-health"

MAX_EXPORT_BYTES = 4 * 1024**3
"""export.xml larger than this once decompressed is refused (a zip bomb, not a phone's data)."""
CHUNK_BYTES = 256 * 1024
STEP_S = 10.0
"""Seconds between the samples made for a workout without a route (the engine treats gaps over
30 s as pauses)."""

SPORTS = {
    "HKWorkoutActivityTypeRunning": "running",
    "HKWorkoutActivityTypeWalking": "walking",
    "HKWorkoutActivityTypeHiking": "hiking",
    "HKWorkoutActivityTypeCycling": "cycling",
    "HKWorkoutActivityTypeSwimming": "swimming",
}
_METRES = {"m": 1.0, "km": 1000.0, "mi": 1609.344, "yd": 0.9144, "ft": 0.3048, "cm": 0.01}
_SECONDS = {"s": 1.0, "sec": 1.0, "min": 60.0, "hr": 3600.0, "h": 3600.0, "ms": 0.001}
_DISTANCE_TYPES = frozenset(
    {
        "HKQuantityTypeIdentifierDistanceWalkingRunning",
        "HKQuantityTypeIdentifierDistanceCycling",
        "HKQuantityTypeIdentifierDistanceSwimming",
    }
)
_HEART_RATE_TYPE = "HKQuantityTypeIdentifierHeartRate"
_ENTITY = b"<!ENTITY"
_NOT_UTF8 = re.compile(rb"""^<\?xml[^>]*encoding=["'](?!utf-?8["']|us-ascii["'])""", re.IGNORECASE)

NO_WORKOUTS = (
    "the Apple Health export holds no running, walking, hiking, cycling or swimming workout"
)
ENTITIES = "the Apple Health export declares XML entities, which a real export never does"


def is_export(member: str) -> bool:
    """Whether a zip member is an Apple Health export's ``export.xml``."""
    folder, _, name = member.replace("\\", "/").rpartition("/")
    return name == EXPORT_NAME and posixpath.basename(folder) == EXPORT_FOLDER


def is_route(member: str, export: str) -> bool:
    """Whether a zip member is one of the route files beside that ``export.xml``."""
    folder = posixpath.dirname(export)
    return member.replace("\\", "/").startswith(f"{folder}/{ROUTES_FOLDER}/")


@dataclass(frozen=True, slots=True)
class Workout:
    """One ``<Workout>`` as the export gives it, in metres and seconds."""

    sport: str
    start: datetime  # aware, in the phone's offset
    end: datetime
    duration_s: float
    distance_m: float | None
    avg_heart_rate: float | None
    max_heart_rate: float | None
    source_name: str | None
    route: str | None  # the route's zip member, when it has one
    indoor: bool


def read_export(source: Source, limits: Limits) -> ReadFile:
    """Every workout of the export, measured as the watch files are; raises Unreadable."""
    if len(source.members) != 1:
        raise Unreadable("an Apple Health export is read only from the zip the phone made")
    digest = _CountingDigest()
    try:
        with zipfile.ZipFile(source.path) as archive:
            with archive.open(source.members[0]) as member:
                workouts = list(_workouts(_chunks(member, digest), source.members[0]))
            recordings = [
                r for w in workouts if (r := _recording(w, archive, source, limits)) is not None
            ]
    except FileNotFoundError as error:
        raise Unreadable("no such file or folder") from error
    except _ZIP_ERRORS as error:
        raise Unreadable(f"not a readable zip archive: {error}") from error
    if not recordings:
        raise Unreadable(NO_WORKOUTS)
    return ReadFile(source, digest.hexdigest(), digest.counted, FORMAT, tuple(recordings))


_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    EOFError,
    RuntimeError,  # an encrypted member
    NotImplementedError,  # a compression zipfile does not know
    zlib.error,
)


class _CountingDigest:
    """A sha256 that also counts the bytes it was given."""

    def __init__(self) -> None:
        self.hash = hashlib.sha256()
        self.counted = 0

    def update(self, data: bytes) -> None:
        self.hash.update(data)
        self.counted += len(data)

    def hexdigest(self) -> str:
        return self.hash.hexdigest()


def _chunks(member: IO[bytes], digest: _CountingDigest) -> Iterator[bytes]:
    """The member's bytes in chunks, hashed and capped; a chunk declaring an entity (or the
    start of one cut by the chunk's end) stops the reading before the parser sees it."""
    tail = b""
    first = True
    while chunk := member.read(CHUNK_BYTES):
        digest.update(chunk)
        if digest.counted > MAX_EXPORT_BYTES:
            raise Unreadable("the Apple Health export is too big: over 4 GB once decompressed")
        if first:
            head = chunk.removeprefix(b"\xef\xbb\xbf").lstrip()
            if b"\x00" in head[:64] or _NOT_UTF8.match(head):
                raise Unreadable("the Apple Health export is not in UTF-8, as a real one is")
            first = False
        if _ENTITY in tail + chunk:
            raise Unreadable(ENTITIES)
        tail = chunk[-(len(_ENTITY) - 1) :]
        yield chunk


def _workouts(chunks: Iterator[bytes], export: str) -> Iterator[Workout]:
    """The workouts of the sports kept, as the parser reaches the end of each; every element
    directly under the root is dropped once ended, so memory stays flat."""
    parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("start", "end"))
    walk = _Walk(export)
    try:
        for chunk in chunks:
            parser.feed(chunk)
            yield from walk.take(parser.read_events())
        parser.close()
        yield from walk.take(parser.read_events())
    except ET.ParseError as error:
        raise Unreadable(f"the Apple Health export is not valid XML: {error}") from error
    if walk.root is None:
        raise Unreadable("the Apple Health export is not valid XML: it has no element")


class _Walk:
    """Where the parser is in the document: its root, and how deep the last element was."""

    def __init__(self, export: str) -> None:
        self.export = export
        self.root: ET.Element | None = None
        self.depth = 0

    def take(self, events: Iterator[tuple[object, ...]]) -> Iterator[Workout]:
        for item in events:
            event, element = item[0], item[-1]
            if not isinstance(element, ET.Element):
                continue
            if event == "start":
                if self.root is None:
                    self.root = element
                    if element.tag != "HealthData":
                        raise Unreadable(f"not an Apple Health export: its XML is <{element.tag}>")
                self.depth += 1
                continue
            self.depth -= 1
            if self.depth == 1 and self.root is not None:
                if element.tag == "Workout":
                    workout = _workout(element, self.export)
                    if workout is not None:
                        yield workout
                self.root.clear()


def _workout(element: ET.Element, export: str) -> Workout | None:
    """The workout, or None for another sport or one without usable times."""
    sport = SPORTS.get(element.get("workoutActivityType", ""))
    start = _moment(element.get("startDate"))
    end = _moment(element.get("endDate"))
    if sport is None or start is None or end is None or end <= start:
        return None
    duration = _amount(element.get("duration"), element.get("durationUnit"), _SECONDS)
    if duration is None or duration <= 0:
        duration = (end - start).total_seconds()
    duration = min(duration, (end - start).total_seconds())
    distance = _amount(element.get("totalDistance"), element.get("totalDistanceUnit"), _METRES)
    heart_rate = highest = None
    route = None
    indoor = False
    for child in element:
        if child.tag == "WorkoutStatistics":
            kind = child.get("type", "")
            if kind in _DISTANCE_TYPES and not distance:
                distance = _amount(child.get("sum"), child.get("unit"), _METRES)
            elif kind == _HEART_RATE_TYPE:
                heart_rate = number_or_none(child.get("average"))
                highest = number_or_none(child.get("maximum"))
        elif child.tag == "MetadataEntry" and child.get("key") == "HKIndoorWorkout":
            indoor = child.get("value") == "1"
        elif child.tag == "WorkoutRoute" and route is None:
            reference = child.find("FileReference")
            if reference is not None:
                route = _route_member(reference.get("path"), export)
    return Workout(
        sport=sport,
        start=start,
        end=end,
        duration_s=duration,
        distance_m=distance if distance and distance > 0 else None,
        avg_heart_rate=heart_rate if heart_rate and heart_rate > 0 else None,
        max_heart_rate=highest if heart_rate and highest and highest > heart_rate else None,
        source_name=element.get("sourceName") or None,
        route=route,
        indoor=indoor,
    )


def _moment(text: str | None) -> datetime | None:
    """ "2026-11-30 07:00:00 +0100", the export's way of writing a time."""
    if not text:
        return None
    try:
        return datetime.strptime(text.strip(), "%Y-%m-%d %H:%M:%S %z")
    except ValueError:
        return None


def _amount(value: str | None, unit: str | None, units: dict[str, float]) -> float | None:
    number = number_or_none(value)
    factor = units.get((unit or "").strip())
    return None if number is None or factor is None else number * factor


def _route_member(path: str | None, export: str) -> str | None:
    """The zip member a ``FileReference`` names ("/workout-routes/route_1.gpx"), relative to the
    export's folder; None for a path that leaves the routes folder."""
    if not path:
        return None
    parts = [p for p in path.replace("\\", "/").split("/") if p not in ("", ".")]
    if len(parts) != 2 or parts[0] != ROUTES_FOLDER or ".." in parts:
        return None
    return posixpath.join(posixpath.dirname(export), *parts)


# --- from a workout to a recording ------------------------------------------------------------


def _recording(
    workout: Workout, archive: zipfile.ZipFile, source: Source, limits: Limits
) -> Recording | None:
    """The workout as the engine's recording; None when it cannot be one (its route unreadable
    and no figures either)."""
    offset = workout.start.utcoffset()
    offset_minutes = None if offset is None else round(offset.total_seconds() / 60)
    summary = FileSummary(
        elapsed_s=(workout.end - workout.start).total_seconds(),
        timer_s=workout.duration_s,
        distance_m=workout.distance_m,
        avg_heart_rate=workout.avg_heart_rate,
    )
    samples = _route_samples(workout, archive, limits) or _even_samples(workout)
    _heart_rate(samples, workout)
    draft = Draft(
        samples,
        file_sport=workout.sport,
        utc_offset_minutes=offset_minutes,
        device=workout.source_name,
        summary=summary,
    )
    outcome = finish(draft, source, limits)
    if isinstance(outcome, str):
        return None
    return dataclasses.replace(outcome, indoor=workout.indoor)


def _route_samples(workout: Workout, archive: zipfile.ZipFile, limits: Limits) -> Samples | None:
    """The samples of the workout's route, heart rate filled with the average; None when it has
    no route or the route cannot be read."""
    if workout.route is None:
        return None
    try:
        info = archive.getinfo(workout.route)
        if info.file_size > limits.max_file_bytes:
            return None
        with archive.open(info) as member:
            data = member.read(limits.max_file_bytes + 1)
        if len(data) > limits.max_file_bytes:
            return None
        drafts = read_gpx(data.decode("utf-8", errors="replace"))
    except (KeyError, Unreadable, *_ZIP_ERRORS):
        return None
    return drafts[0].samples


def _heart_rate(samples: Samples, workout: Workout) -> None:
    """The workout's average heart rate on every sample that has none; its maximum on one
    sample a third of the way, balanced by one as far below the average two thirds of the way,
    so that the engine finds both the average and the maximum the phone reported."""
    average = workout.avg_heart_rate
    if average is None or any(h is not None for h in samples.heart_rate):
        return
    column: list[float | None] = [average] * len(samples)
    highest = workout.max_heart_rate
    count = len(column)
    if highest is not None and count >= 6 and 2 * average - highest > 0:
        column[count // 3] = highest
        column[2 * count // 3] = 2 * average - highest
    samples.heart_rate = column


def _even_samples(workout: Workout) -> Samples:
    """A sample every ``STEP_S`` seconds over the moving time at an even pace, then one at the
    end (a pause) when the workout lasted longer than it moved."""
    samples = Samples()
    first = workout.start.astimezone(UTC).timestamp()
    elapsed = (workout.end - workout.start).total_seconds()
    moving = workout.duration_s
    steps = max(1, round(moving / STEP_S))
    for k in range(steps + 1):
        seconds = moving * k / steps
        distance = None if workout.distance_m is None else workout.distance_m * k / steps
        samples.append(first + seconds, distance, None, None, None, None, None, None)
    if elapsed - moving >= 1:
        samples.append(
            first + elapsed,
            workout.distance_m,
            None,
            None,
            None,
            None,
            None,
            None,
        )
    return samples
