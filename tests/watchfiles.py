"""Small, valid activity files for tests and benchmarks: FIT (a FIT encoder of our own), GPX,
TCX, and the bulk exports of Strava and Garmin that hold them.

Everything is deterministic: the same arguments give the same bytes. A runner goes round a
400 m circle at a steady speed, so positions, distance, speed and time agree with each other.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import struct
import sys
import zipfile
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from runrehab.adapters.watch import Limits, ReadFile, RejectedFile, Source, read_source

FIT_EPOCH = datetime(1989, 12, 31, tzinfo=UTC)
CENTRE = (51.5, -0.1)  # latitude, longitude of the circle's centre
RADIUS_M = 400.0
BASE_ALTITUDE_M = 100.0
_METRES_PER_DEGREE = 111_320.0

# --- FIT: the checksum ------------------------------------------------------------------------

# The FIT SDK's CRC-16 (CRC-16/ARC) works nibble by nibble with this table.
_CRC_NIBBLES = (
    0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
    0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
)  # fmt: skip


def fit_crc_reference(data: bytes, crc: int = 0) -> int:
    """The FIT CRC exactly as the SDK describes it (slow: two table steps per byte)."""
    for byte in data:
        tmp = _CRC_NIBBLES[crc & 0xF]
        crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ _CRC_NIBBLES[byte & 0xF]
        tmp = _CRC_NIBBLES[crc & 0xF]
        crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ _CRC_NIBBLES[(byte >> 4) & 0xF]
    return crc


@cache
def _crc_words() -> tuple[int, ...]:
    """The CRC of every 16-bit word from state 0: the register is 16 bits wide, so two bytes
    shift it out completely and one lookup per two bytes gives the same result."""
    by_byte = [fit_crc_reference(bytes([b])) for b in range(256)]
    return tuple(
        (lambda c: (c >> 8) ^ by_byte[(c ^ (w >> 8)) & 0xFF])(by_byte[w & 0xFF])
        for w in range(65536)
    )


def fit_crc(data: bytes, crc: int = 0) -> int:
    """The FIT CRC, fast enough to write a thousand files."""
    table = _crc_words()
    even = len(data) & ~1
    words = array("H", data[:even])
    if sys.byteorder == "big":
        words.byteswap()
    for word in words:
        crc = table[crc ^ word]
    if even < len(data):
        crc = fit_crc_reference(data[even:], crc)
    return crc


# --- FIT: messages ----------------------------------------------------------------------------

_BASE_TYPES = {  # name: (FIT base type byte, struct code)
    "enum": (0x00, "B"),
    "uint8": (0x02, "B"),
    "uint16": (0x84, "H"),
    "sint32": (0x85, "i"),
    "uint32": (0x86, "I"),
    "uint32z": (0x8C, "I"),
}

SPORTS = {
    "generic": 0,
    "running": 1,
    "cycling": 2,
    "transition": 3,
    "swimming": 5,
    "walking": 11,
    "hiking": 17,
    "training": 10,
}
SUB_SPORTS = {
    "generic": 0,
    "treadmill": 1,
    "street": 2,
    "trail": 3,
    "road": 7,
    "lap_swimming": 17,
    "open_water": 18,
    "indoor_running": 45,
}
GARMIN, FR945 = 1, 3113


@dataclass(frozen=True)
class _Message:
    """A FIT message layout: its local number, global number and fields (number, base type)."""

    local: int
    number: int
    fields: tuple[tuple[int, str], ...]

    def definition(self) -> bytes:
        head = struct.pack("<BBBHB", 0x40 | self.local, 0, 0, self.number, len(self.fields))
        parts = [head]
        for field_number, base in self.fields:
            code, fmt = _BASE_TYPES[base]
            parts.append(struct.pack("BBB", field_number, struct.calcsize(fmt), code))
        return b"".join(parts)

    def packer(self) -> struct.Struct:
        return struct.Struct("<B" + "".join(_BASE_TYPES[base][1] for _, base in self.fields))

    def data(self, *values: int) -> bytes:
        return self.packer().pack(self.local, *values)


_FILE_ID = _Message(
    0, 0, ((0, "enum"), (1, "uint16"), (2, "uint16"), (3, "uint32z"), (4, "uint32"))
)
_EVENT = _Message(1, 21, ((253, "uint32"), (0, "enum"), (1, "enum")))
_LAP = _Message(
    3,
    19,
    (
        (253, "uint32"),
        (2, "uint32"),
        (7, "uint32"),
        (8, "uint32"),
        (9, "uint32"),
        (25, "enum"),
        (39, "enum"),
        (0, "enum"),
        (1, "enum"),
    ),
)
_SESSION_FIELDS = (
    (253, "uint32"),
    (2, "uint32"),
    (5, "enum"),
    (6, "enum"),
    (7, "uint32"),
    (8, "uint32"),
    (9, "uint32"),
    (22, "uint16"),
    (23, "uint16"),
    (25, "uint16"),
    (26, "uint16"),
    (0, "enum"),
    (1, "enum"),
)
_ACTIVITY_FIELDS = (
    (253, "uint32"),
    (0, "uint32"),
    (1, "uint16"),
    (2, "enum"),
    (3, "enum"),
    (4, "enum"),
)


@dataclass(frozen=True)
class FitLeg:
    """One leg of a multisport FIT file (a transition is a leg with sport "transition")."""

    sport: str
    minutes: float
    speed_mps: float = 2.8
    sub_sport: str = "generic"
    cadence: float | None = 82.5  # strides per minute on foot, revolutions per minute on a bike


def fit_run(
    start: datetime,
    minutes: float = 30,
    *,
    step_s: int = 1,
    speed_mps: float = 2.8,
    strides_per_min: float | None = 82.5,
    sport: str = "running",
    sub_sport: str = "generic",
    gps: bool = True,
    local_offset_minutes: int | None = 60,
    hr: int | None = 140,
    climb_m: float = 0.0,
    legs: Sequence[FitLeg] | None = None,
    chained: bool = False,
    summary: bool = True,
    relative_times: bool = False,
    distance: bool = True,
) -> bytes:
    """A FIT activity: one session (or one per leg), records every ``step_s`` seconds.

    ``summary=False`` leaves out laps, sessions and the activity message, like a file cut off
    before its end. ``relative_times`` counts times from 1000 s after the device was switched
    on, as old Forerunners did. ``chained`` writes each leg as its own FIT file, one after the
    other, as a Forerunner 920XT does for a triathlon."""
    legs = legs or [FitLeg(sport, minutes, speed_mps, sub_sport, strides_per_min)]
    origin = 1000 if relative_times else _fit_time(start)
    writer = _FitFile(
        gps=gps,
        hr=hr,
        distance=distance,
        cadence=any(leg.cadence is not None for leg in legs),
        climb_m=climb_m,
    )
    files: list[bytes] = []
    clock, travelled = origin, 0.0
    for index, leg in enumerate(legs):
        if index == 0 or chained:
            writer.start_file(origin)
        clock, travelled = writer.leg(leg, clock, travelled, step_s, summary)
        last = index == len(legs) - 1
        if last and summary:
            offset = None if relative_times else local_offset_minutes
            writer.activity(clock - step_s, len(legs), offset)
        if chained or last:
            files.append(writer.finish_file())
    return b"".join(files)


def _fit_time(moment: datetime) -> int:
    return int((moment - FIT_EPOCH).total_seconds())


class _FitFile:
    """Writes the messages of one or more chained FIT files."""

    def __init__(
        self, *, gps: bool, hr: int | None, distance: bool, cadence: bool, climb_m: float
    ) -> None:
        fields: list[tuple[int, str]] = [(253, "uint32")]
        if gps:
            fields += [(0, "sint32"), (1, "sint32")]
        if distance:
            fields.append((5, "uint32"))
        fields += [(73, "uint32"), (2, "uint16")]
        if hr is not None:
            fields.append((3, "uint8"))
        if cadence:
            fields += [(4, "uint8"), (53, "uint8")]
        self.record = _Message(2, 20, tuple(fields))
        self.record_packer = self.record.packer()
        self.gps, self.hr, self.distance, self.cadence = gps, hr, distance, cadence
        self.climb_m = climb_m
        self.parts: list[bytes] = []
        self.laps = 0

    def start_file(self, origin: int) -> None:
        self.parts = [
            _FILE_ID.definition(),
            _FILE_ID.data(4, GARMIN, FR945, 12345, origin),
            _EVENT.definition(),
            _EVENT.data(origin, 0, 0),  # timer start
            self.record.definition(),
        ]

    def leg(
        self, leg: FitLeg, clock: int, travelled: float, step_s: int, summary: bool
    ) -> tuple[int, float]:
        """Records of one leg from ``clock``; returns the time and distance after it."""
        steps = round(leg.minutes * 60 / step_s)
        packer, local = self.record_packer, self.record.local
        whole = int(leg.cadence or 0)
        fraction = round(((leg.cadence or 0) - whole) * 128)
        duration = steps * step_s
        for k in range(steps + 1):
            seconds = k * step_s
            metres = travelled + leg.speed_mps * seconds
            values: list[int] = [clock + seconds]
            if self.gps:
                lat, lon = position(metres)
                values += [round(lat * 2**31 / 180), round(lon * 2**31 / 180)]
            if self.distance:
                values.append(round(metres * 100))
            fraction_done = seconds / duration if duration else 0.0
            altitude = BASE_ALTITUDE_M + self.climb_m * (1 - abs(1 - 2 * fraction_done))
            values += [round(leg.speed_mps * 1000), round((altitude + 500) * 5)]
            if self.hr is not None:
                values.append(self.hr)
            if self.cadence:
                values += [whole, fraction]
            self.parts.append(packer.pack(local, *values))
        end = clock + duration
        covered = leg.speed_mps * duration
        if summary:
            self._summaries(leg, clock, duration, covered)
        return end + step_s, travelled + covered

    def _summaries(self, leg: FitLeg, start: int, duration: int, covered: float) -> None:
        sport, sub = SPORTS[leg.sport], SUB_SPORTS[leg.sub_sport]
        end = start + duration
        self.parts += [
            _EVENT.data(end, 0, 4),  # timer stop all
            _LAP.definition(),
            _LAP.data(
                end, start, duration * 1000, duration * 1000, round(covered * 100), sport, sub, 9, 1
            ),
        ]
        fields = list(_SESSION_FIELDS)
        values = [
            end,
            start,
            sport,
            sub,
            duration * 1000,
            duration * 1000,
            round(covered * 100),
            round(self.climb_m),
            round(self.climb_m),
            self.laps,
            1,
            8,
            1,
        ]
        if self.hr is not None:
            fields.append((16, "uint8"))
            values.append(self.hr)
        if leg.cadence is not None:
            whole = int(leg.cadence)
            fields += [(18, "uint8"), (92, "uint8")]
            values += [whole, round((leg.cadence - whole) * 128)]
        session = _Message(4, 18, tuple(fields))
        self.parts += [session.definition(), session.data(*values)]
        self.laps += 1

    def activity(self, end: int, sessions: int, local_offset_minutes: int | None) -> None:
        fields = list(_ACTIVITY_FIELDS)
        values = [end, 0, sessions, 0, 26, 1]
        if local_offset_minutes is not None:
            fields.append((5, "uint32"))
            values.append(end + local_offset_minutes * 60)
        message = _Message(5, 34, tuple(fields))
        self.parts += [message.definition(), message.data(*values)]

    def finish_file(self) -> bytes:
        body = b"".join(self.parts)
        head = struct.pack("<BBHI4s", 14, 0x20, 2132, len(body), b".FIT")
        head += struct.pack("<H", fit_crc(head))
        whole = head + body
        return whole + struct.pack("<H", fit_crc(whole))


def position(metres: float) -> tuple[float, float]:
    """Where a runner is after this many metres round the circle."""
    angle = metres / RADIUS_M
    lat0, lon0 = CENTRE
    lat = lat0 + RADIUS_M * math.sin(angle) / _METRES_PER_DEGREE
    lon = lon0 + RADIUS_M * (1 - math.cos(angle)) / (
        _METRES_PER_DEGREE * math.cos(math.radians(lat0))
    )
    return lat, lon


# --- GPX --------------------------------------------------------------------------------------


def gpx_run(
    start: datetime,
    minutes: float = 30,
    *,
    step_s: int = 1,
    speed_mps: float = 2.8,
    type_: str | None = "running",
    strides_per_min: float | None = 82.5,
    hr: int | None = 140,
    version: str = "1.1",
    times: bool = True,
    fixed_time: datetime | None = None,
    name: str = "Morning Run",
    segments: int = 1,
) -> bytes:
    """A GPX track of a run. ``times=False`` makes a planned route (no times); ``fixed_time``
    gives every point the same time (a broken clock). Version 1.0 has no extensions."""
    steps = round(minutes * 60 / step_s)
    per_segment = math.ceil((steps + 1) / segments)
    lines = [
        f'<?xml version="1.0" encoding="UTF-8"?>\n{_gpx_root(version)}\n<trk>',
        f"<name>{name}</name>",
    ]
    if type_ is not None:
        lines.append(f"<type>{type_}</type>")
    lines.append("<trkseg>")
    for k in range(steps + 1):
        if k and k % per_segment == 0:
            lines.append("</trkseg><trkseg>")
        seconds = k * step_s
        lat, lon = position(speed_mps * seconds)
        point = [f'<trkpt lat="{lat:.7f}" lon="{lon:.7f}"><ele>{BASE_ALTITUDE_M:.1f}</ele>']
        if times:
            moment = fixed_time or start + timedelta(seconds=seconds)
            point.append(f"<time>{moment.strftime('%Y-%m-%dT%H:%M:%SZ')}</time>")
        if version == "1.0":
            point.append(f"<speed>{speed_mps}</speed>")
        else:
            point.append(_gpx_extensions(hr, strides_per_min))
        point.append("</trkpt>")
        lines.append("".join(point))
    lines.append("</trkseg></trk></gpx>")
    return "\n".join(lines).encode()


def _gpx_root(version: str) -> str:
    namespace = "http://www.topografix.com/GPX/" + version.replace(".", "/")
    return (
        f'<gpx version="{version}" creator="runrehab tests" xmlns="{namespace}" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
    )


def _gpx_extensions(hr: int | None, cadence: float | None) -> str:
    inner = ""
    if hr is not None:
        inner += f"<gpxtpx:hr>{hr}</gpxtpx:hr>"
    if cadence is not None:
        inner += f"<gpxtpx:cad>{round(cadence)}</gpxtpx:cad>"
    if not inner:
        return ""
    return (
        f"<extensions><gpxtpx:TrackPointExtension>{inner}</gpxtpx:TrackPointExtension></extensions>"
    )


# --- TCX --------------------------------------------------------------------------------------


def tcx_run(
    start: datetime,
    minutes: float = 30,
    *,
    step_s: int = 1,
    speed_mps: float = 2.8,
    sport: str = "Running",
    gps: bool = True,
    strides_per_min: float | None = 82.5,
    hr: int | None = 140,
    laps: int = 1,
    leading_spaces: int = 0,
    cadence_element: bool = False,
) -> bytes:
    """A TCX activity. ``gps=False`` writes no ``<Position>`` (a treadmill); cadence goes in the
    ``ns3:TPX/RunCadence`` extension, or in ``<Cadence>`` with ``cadence_element`` (Polar)."""
    steps = round(minutes * 60 / step_s)
    per_lap = math.ceil((steps + 1) / laps)
    out = [
        " " * leading_spaces + '<?xml version="1.0" encoding="UTF-8"?>',
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"'
        ' xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2">',
        f'<Activities><Activity Sport="{sport}"><Id>{_iso(start)}</Id>',
    ]
    for lap_start in range(0, steps + 1, per_lap):
        lap_end = min(steps, lap_start + per_lap - 1)
        lap_seconds = (lap_end - lap_start) * step_s
        out.append(
            f'<Lap StartTime="{_iso(start + timedelta(seconds=lap_start * step_s))}">'
            f"<TotalTimeSeconds>{lap_seconds}</TotalTimeSeconds>"
            f"<DistanceMeters>{speed_mps * lap_seconds:.2f}</DistanceMeters>"
            + (f"<AverageHeartRateBpm><Value>{hr}</Value></AverageHeartRateBpm>" if hr else "")
            + "<Track>"
        )
        for k in range(lap_start, lap_end + 1):
            out.append(
                _trackpoint(start, k * step_s, speed_mps, gps, hr, strides_per_min, cadence_element)
            )
        out.append("</Track></Lap>")
    out.append("</Activity></Activities></TrainingCenterDatabase>")
    return "\n".join(out).encode()


def _trackpoint(
    start: datetime,
    seconds: int,
    speed_mps: float,
    gps: bool,
    hr: int | None,
    cadence: float | None,
    cadence_element: bool,
) -> str:
    metres = speed_mps * seconds
    parts = [f"<Trackpoint><Time>{_iso(start + timedelta(seconds=seconds))}</Time>"]
    if gps:
        lat, lon = position(metres)
        parts.append(
            f"<Position><LatitudeDegrees>{lat:.7f}</LatitudeDegrees>"
            f"<LongitudeDegrees>{lon:.7f}</LongitudeDegrees></Position>"
        )
    parts.append(f"<AltitudeMeters>{BASE_ALTITUDE_M}</AltitudeMeters>")
    parts.append(f"<DistanceMeters>{metres:.2f}</DistanceMeters>")
    if hr is not None:
        parts.append(f"<HeartRateBpm><Value>{hr}</Value></HeartRateBpm>")
    if cadence is not None and cadence_element:
        parts.append(f"<Cadence>{round(cadence)}</Cadence>")
    extension = f"<ns3:Speed>{speed_mps}</ns3:Speed>"
    if cadence is not None and not cadence_element:
        extension += f"<ns3:RunCadence>{round(cadence)}</ns3:RunCadence>"
    parts.append(f"<Extensions><ns3:TPX>{extension}</ns3:TPX></Extensions></Trackpoint>")
    return "".join(parts)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


# --- bulk exports -----------------------------------------------------------------------------

_ZIP_TIME = (2024, 1, 1, 0, 0, 0)  # fixed, so the same files give the same zip


def gz(data: bytes) -> bytes:
    """Gzip with no timestamp, so the same bytes give the same archive."""
    return gzip.compress(data, compresslevel=6, mtime=0)


def _write(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, _ZIP_TIME)
    packed = name.endswith(".gz")  # deflating gzip again gains nothing
    info.compress_type = zipfile.ZIP_STORED if packed else zipfile.ZIP_DEFLATED
    archive.writestr(info, data, compresslevel=None if packed else 1)


def strava_export_zip(path: Path, activities: Sequence[tuple[str, bytes, str]]) -> Path:
    """A Strava bulk export: activities/… (gzipped when the name ends .gz), activities.csv
    (with Strava's columns, the type of each activity) and a few other files."""
    listing = io.StringIO()
    writer = csv.writer(listing)
    writer.writerow(
        [
            "Activity ID",
            "Activity Date",
            "Activity Name",
            "Activity Type",
            "Elapsed Time",
            "Distance",
            "Filename",
        ]
    )
    with zipfile.ZipFile(path, "w") as archive:
        for number, (filename, data, activity_type) in enumerate(activities, start=1):
            _write(archive, filename, gz(data) if filename.endswith(".gz") else data)
            writer.writerow(
                [
                    number,
                    "Jan 1, 2024, 7:00:00 AM",
                    f"Activity {number}",
                    activity_type,
                    1800,
                    5.0,
                    filename,
                ]
            )
        _write(archive, "activities.csv", listing.getvalue().encode())
        _write(archive, "profile.csv", b"Athlete ID,Email\n1,runner@example.org\n")
        _write(archive, "media/photo.jpg", b"\xff\xd8\xff\xe0 not really a photo")
    return path


def garmin_export_zip(path: Path, fit_files: Sequence[tuple[str, bytes]]) -> Path:
    """A Garmin Connect export: the FIT files sit in a zip inside the export's zip."""
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as uploaded:
        for name, data in fit_files:
            _write(uploaded, name, data)
    with zipfile.ZipFile(path, "w") as archive:
        _write(archive, "DI_CONNECT/DI-Connect-User/user_profile.json", b'{"userName": "r"}')
        _write(
            archive,
            "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip",
            inner.getvalue(),
        )
        _write(archive, "DI_CONNECT/DI-Connect-Fitness/summarizedActivities.json", b"[]")
    return path


def fit_without_records(start: datetime) -> bytes:
    """A FIT file with a file_id and nothing else, like a settings or course file."""
    body = _FILE_ID.definition() + _FILE_ID.data(2, GARMIN, FR945, 12345, _fit_time(start))
    head = struct.pack("<BBHI4s", 14, 0x20, 2132, len(body), b".FIT")
    head += struct.pack("<H", fit_crc(head))
    whole = head + body
    return whole + struct.pack("<H", fit_crc(whole))


# --- reading them back ------------------------------------------------------------------------


def read_bytes(
    folder: Path,
    name: str,
    data: bytes,
    *,
    limits: Limits | None = None,
    sport_hint: str | None = None,
) -> ReadFile | RejectedFile:
    """Write the bytes to folder/name and read them as the importer would."""
    path = folder / name
    path.write_bytes(data)
    return read_source(Source(str(path), str(path), sport_hint=sport_hint), limits or Limits())


def accepted(result: ReadFile | RejectedFile) -> ReadFile:
    """The read file, or a test failure that says why it was refused."""
    assert not isinstance(result, RejectedFile), f"refused: {result.reason}"
    return result


def refused(result: ReadFile | RejectedFile) -> str:
    """The reason the file was refused, or a test failure."""
    assert isinstance(result, RejectedFile), f"accepted: {result}"
    return result.reason


# --- Apple Health -----------------------------------------------------------------------------

APPLE_DOCTYPE = """<!DOCTYPE HealthData [
<!ELEMENT HealthData (ExportDate,Me,(Record|Workout|ActivitySummary)*)>
<!ATTLIST HealthData locale CDATA #REQUIRED>
<!ELEMENT Workout ((MetadataEntry|WorkoutEvent|WorkoutStatistics|WorkoutRoute)*)>
<!ATTLIST Workout workoutActivityType CDATA #REQUIRED duration CDATA #IMPLIED>
]>"""
APPLE_RUN_START = datetime(2026, 11, 30, 6, 0, 20, tzinfo=UTC)
"""The phone's run: 07:00:20 in Paris (+01:00), 30 minutes, 5.04 km, with its route."""


def apple_route_gpx(start: datetime, minutes: float, speed_mps: float, climb_m: float) -> bytes:
    """A route as the Health app writes it: positions, elevation, time and speed every 5 s;
    it climbs ``climb_m`` over its first kilometre and comes down over its last one."""
    steps = round(minutes * 60 / 5)
    total = speed_mps * steps * 5
    points = []
    for k in range(steps + 1):
        metres = speed_mps * k * 5
        lat, lon = position(metres)
        up = min(metres, 1000.0) / 1000.0
        down = max(0.0, metres - (total - 1000.0)) / 1000.0
        elevation = BASE_ALTITUDE_M + climb_m * (up - down)
        moment = (start + timedelta(seconds=k * 5)).strftime("%Y-%m-%dT%H:%M:%SZ")
        points.append(
            f'<trkpt lon="{lon:.7f}" lat="{lat:.7f}"><ele>{elevation:.2f}</ele>'
            f"<time>{moment}</time><extensions><speed>{speed_mps}</speed>"
            "<course>90.0</course><hAcc>3.5</hAcc><vAcc>2.1</vAcc></extensions></trkpt>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="Apple Health Export" '
        'xmlns="http://www.topografix.com/GPX/1/1">\n'
        f"<metadata><time>{start.strftime('%Y-%m-%dT%H:%M:%SZ')}</time></metadata>\n"
        "<trk><name>Route 2026-11-30 7:00</name><trkseg>\n"
        + "\n".join(points)
        + "\n</trkseg></trk></gpx>\n"
    ).encode()


def apple_health_xml(doctype: str = APPLE_DOCTYPE) -> bytes:
    """An export.xml: a run (km, with a route), a walk (miles, just after midnight local time),
    a ride (distance in its statistics only, as iOS 16 writes it) and a pool swim (yards), and
    records that are not workouts (steps, a yoga session, a day's rings)."""
    body = f"""<?xml version="1.0" encoding="UTF-8"?>
{doctype}
<HealthData locale="en_GB">
 <ExportDate value="2026-12-05 20:00:00 +0100"/>
 <Me HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale"/>
 <Record type="HKQuantityTypeIdentifierStepCount" sourceName="Anna's iPhone" unit="count"
  creationDate="2026-11-30 08:00:00 +0100" startDate="2026-11-30 07:00:00 +0100"
  endDate="2026-11-30 07:30:00 +0100" value="4800"/>
 <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Anna's iPhone" unit="count/min"
  startDate="2026-11-30 07:10:00 +0100" endDate="2026-11-30 07:10:00 +0100" value="150">
  <MetadataEntry key="HKMetadataKeyHeartRateMotionContext" value="2"/>
 </Record>
 <Workout workoutActivityType="HKWorkoutActivityTypeRunning" duration="30" durationUnit="min"
  totalDistance="5.04" totalDistanceUnit="km" sourceName="Anna's iPhone" sourceVersion="17.1"
  creationDate="2026-11-30 07:31:00 +0100" startDate="2026-11-30 07:00:20 +0100"
  endDate="2026-11-30 07:30:20 +0100">
  <MetadataEntry key="HKIndoorWorkout" value="0"/>
  <WorkoutEvent type="HKWorkoutEventTypeSegment" date="2026-11-30 07:00:20 +0100"/>
  <WorkoutStatistics type="HKQuantityTypeIdentifierActiveEnergyBurned"
   startDate="2026-11-30 07:00:20 +0100" endDate="2026-11-30 07:30:20 +0100" sum="320" unit="kcal"/>
  <WorkoutStatistics type="HKQuantityTypeIdentifierHeartRate"
   startDate="2026-11-30 07:00:20 +0100" endDate="2026-11-30 07:30:20 +0100"
   average="148" minimum="120" maximum="171" unit="count/min"/>
  <WorkoutRoute sourceName="Anna's iPhone" creationDate="2026-11-30 07:31:00 +0100">
   <FileReference path="/workout-routes/route_2026-11-30_7.30am.gpx"/>
  </WorkoutRoute>
 </Workout>
 <Workout workoutActivityType="HKWorkoutActivityTypeWalking" duration="35" durationUnit="min"
  totalDistance="1.5" totalDistanceUnit="mi" sourceName="Anna's iPhone"
  startDate="2026-12-01 00:30:00 +0100" endDate="2026-12-01 01:05:00 +0100"/>
 <Workout workoutActivityType="HKWorkoutActivityTypeYoga" duration="20" durationUnit="min"
  sourceName="Anna's iPhone" startDate="2026-12-01 18:00:00 +0100"
  endDate="2026-12-01 18:20:00 +0100"/>
 <Workout workoutActivityType="HKWorkoutActivityTypeCycling" duration="40" durationUnit="min"
  sourceName="Anna's iPhone" startDate="2026-12-02 17:00:00 +0100"
  endDate="2026-12-02 17:45:00 +0100">
  <WorkoutStatistics type="HKQuantityTypeIdentifierDistanceCycling"
   startDate="2026-12-02 17:00:00 +0100" endDate="2026-12-02 17:45:00 +0100"
   sum="12.3" unit="km"/>
 </Workout>
 <Workout workoutActivityType="HKWorkoutActivityTypeSwimming" duration="25" durationUnit="min"
  totalDistance="1000" totalDistanceUnit="yd" sourceName="Anna's Apple Watch"
  startDate="2026-12-03 12:00:00 +0100" endDate="2026-12-03 12:25:00 +0100">
  <MetadataEntry key="HKIndoorWorkout" value="1"/>
 </Workout>
 <ActivitySummary dateComponents="2026-11-30" activeEnergyBurned="420"/>
</HealthData>
"""
    return body.encode()


def apple_health_export_zip(path: Path, xml: bytes | None = None) -> Path:
    """An iPhone's export.zip: apple_health_export/export.xml (``xml``, else
    ``apple_health_xml()``), the run's route, and the clinical-records file beside them."""
    with zipfile.ZipFile(path, "w") as archive:
        _write(archive, "apple_health_export/export.xml", xml or apple_health_xml())
        _write(archive, "apple_health_export/export_cda.xml", b"<ClinicalDocument/>")
        _write(
            archive,
            "apple_health_export/workout-routes/route_2026-11-30_7.30am.gpx",
            apple_route_gpx(APPLE_RUN_START, 30, 2.8, climb_m=40.0),
        )
    return path
