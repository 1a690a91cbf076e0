"""FIT files (Garmin, COROS, Suunto, Wahoo, phone apps), decoded with fitdecode.

Every message is walked once: ``record`` messages become samples, ``session`` messages give the
legs (a triathlon has several, possibly in chained FIT files inside one file), and ``file_id``,
``sport`` and ``activity`` give the device, the sport of a file without sessions and the local
time offset. A file that breaks off keeps what was read before, but only when that is a whole,
consistent activity.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import fitdecode  # type: ignore[import-untyped]

from runrehab.adapters.watch.model import Unreadable
from runrehab.adapters.watch.track import Draft, Samples
from runrehab.engine.activity import FileSummary

# fitdecode warns about every oddity of a device's file (a CRC, an unknown field): the reader
# says what matters itself. One filter for the process, set once at import: a
# ``catch_warnings`` around each read is not thread-safe, and the import runs in a worker
# thread beside the web app's own (FastAPI builds its routes inside one).
warnings.filterwarnings("ignore", category=UserWarning, module="fitdecode")

FIT_MAGIC = b".FIT"
RELATIVE_TIME_BELOW = 0x10000000
"""FIT times below this count seconds from when the device was switched on, not real dates."""

DEGREES_PER_SEMICIRCLE = 180 / 2**31
SUMMARY_DISTANCE_SLACK = 1.01
"""Records a little past the session's total distance are rounding; more is a damaged file."""

WINDOW_SLACK_S = 1.0
"""Record times are whole seconds; a session's elapsed time has milliseconds."""
MIN_PARTIAL_SPAN_S = 60.0
MAX_SAMPLE_JUMP_S = 24 * 3600.0
"""In a damaged file, a jump of more than a day between two records is garbage, not a pause."""

FOOT_SPORT_WORDS = frozenset({"running", "walking", "hiking"})

RELATIVE_TIMES = (
    "its times count from when the device was switched on, not real dates, "
    "so the activity can't be placed on a day"
)
NO_SAMPLES = "the file holds no recorded samples (a settings or course file?)"


@dataclass(slots=True)
class _Session:
    sport: object | None
    sub_sport: str | None
    start: float | None  # UTC epoch seconds
    summary: FileSummary
    strides_per_min: float | None


@dataclass(slots=True)
class _Content:
    """Everything the walk over the messages keeps."""

    samples: Samples = field(default_factory=Samples)
    sessions: list[_Session] = field(default_factory=list)
    sport: object | None = None  # the first ``sport`` message's sport
    sub_sport: str | None = None
    device: str | None = None
    utc_offset_minutes: int | None = None
    error: Exception | None = None


def is_fit(data: bytes) -> bool:
    """A FIT file says ".FIT" at bytes 8 to 11 of its header."""
    return data[8:12] == FIT_MAGIC


def read_fit(data: bytes) -> list[Draft]:
    """One draft per leg (session) of the file; raises Unreadable with the reason."""
    if not is_fit(data):
        raise Unreadable("not a FIT file: it has no FIT header")
    content = _decode(data)
    if not content.samples.times:
        if content.error is not None:
            raise Unreadable(_damaged(content.error))
        raise Unreadable(NO_SAMPLES)
    drafts: list[Draft] = []
    for draft, summary_distance in _legs(content):
        if content.error is None:
            drafts.append(draft)
        elif _consistent(draft.samples, summary_distance):
            drafts.append(_with_partial(draft, content.error))
    if not drafts:
        raise Unreadable(_damaged(content.error) if content.error else NO_SAMPLES)
    return drafts


def _frames(data: bytes) -> Iterator[Any]:
    reader = fitdecode.FitReader(
        io.BytesIO(data),
        # A CRC mismatch only says that some byte changed; the structure and the sample checks
        # catch what matters, and not computing it saves a fifth of the decoding time.
        check_crc=fitdecode.CrcCheck.DISABLED,
        error_handling=fitdecode.ErrorHandling.IGNORE,
    )
    with reader:
        yield from reader


def _decode(data: bytes) -> _Content:
    """Walk every message once; an exception from fitdecode ends the walk and is kept."""
    content = _Content()
    frames = _frames(data)
    while True:
        try:
            frame = next(frames)
        except StopIteration:
            break
        except Exception as error:  # whatever fitdecode raises mid-file is damage
            content.error = error
            break
        if frame.frame_type == fitdecode.FIT_FRAME_DATA:
            _take(frame, content)
    return content


def _take(frame: Any, content: _Content) -> None:
    name = frame.name
    if name == "record":
        _take_record(frame, content.samples)
    elif name == "session":
        content.sessions.append(_session(frame))
    elif name == "sport" and content.sport is None:
        content.sport = frame.get_value("sport", fallback=None)
        content.sub_sport = _text(frame.get_value("sub_sport", fallback=None))
    elif name == "file_id" and content.device is None:
        content.device = _device(frame)
    elif name == "activity":
        content.utc_offset_minutes = _utc_offset(frame)


def _take_record(frame: Any, samples: Samples) -> None:
    """One ``record`` message into the columns (the hot loop: no objects per record)."""
    values = {fd.name: fd.value for fd in frame.fields}
    stamp = values.get("timestamp")
    if stamp is None:
        return
    if not isinstance(stamp, datetime):
        if not samples.times:
            raise Unreadable(RELATIVE_TIMES)
        return  # one damaged time among real ones: that record alone is dropped
    lat = values.get("position_lat")
    lon = values.get("position_long")
    if lat is None or lon is None:
        lat = lon = None
    else:
        lat *= DEGREES_PER_SEMICIRCLE
        lon *= DEGREES_PER_SEMICIRCLE
        if not -90.0 <= lat <= 90.0:
            lat = lon = None
    altitude = values.get("enhanced_altitude")
    if altitude is None:
        altitude = values.get("altitude")
    speed = values.get("enhanced_speed")
    if speed is None:
        speed = values.get("speed")
    cadence = values.get("cadence")
    if cadence is not None:
        cadence += values.get("fractional_cadence") or 0
    samples.append(
        stamp.timestamp(),
        values.get("distance"),
        lat,
        lon,
        altitude,
        values.get("heart_rate"),
        cadence,
        speed,
    )


def _session(frame: Any) -> _Session:
    def get(name: str) -> Any:
        return frame.get_value(name, fallback=None)

    start = get("start_time")
    if start is not None and not isinstance(start, datetime):
        raise Unreadable(RELATIVE_TIMES)
    sport = get("sport")
    strides = None
    if _text(sport) in FOOT_SPORT_WORDS:
        whole = get("avg_running_cadence") or get("avg_cadence")
        if whole:
            strides = whole + (get("avg_fractional_cadence") or 0)
    summary = FileSummary(
        elapsed_s=get("total_elapsed_time"),
        timer_s=get("total_timer_time"),
        distance_m=get("total_distance"),
        ascent_m=get("total_ascent"),
        descent_m=get("total_descent"),
        avg_heart_rate=get("avg_heart_rate"),
    )
    return _Session(
        sport=sport,
        sub_sport=_text(get("sub_sport")),
        start=None if start is None else start.timestamp(),
        summary=summary,
        strides_per_min=strides,
    )


def _legs(content: _Content) -> Iterator[tuple[Draft, float | None]]:
    """A draft per session that is not a transition, with the session's distance; one draft
    of every record when the file has no session (a file cut off before its summary)."""
    samples = content.samples
    offset, device = content.utc_offset_minutes, content.device
    if not content.sessions:
        yield Draft(samples, content.sport, content.sub_sport, offset, device), None
        return
    sessions = sorted(content.sessions, key=lambda s: s.start or 0.0)
    for i, session in enumerate(sessions):
        if _text(session.sport) == "transition":
            continue
        following = sessions[i + 1].start if i + 1 < len(sessions) else None
        leg = _window(samples, session, following, single=len(sessions) == 1)
        draft = Draft(
            leg,
            session.sport,
            session.sub_sport,
            offset,
            device,
            session.summary,
            session.strides_per_min,
        )
        yield draft, session.summary.distance_m


def _window(
    samples: Samples, session: _Session, following: float | None, *, single: bool
) -> Samples:
    """The records inside the session's [start, start + elapsed] window, give or take the
    second a record's whole-second time may fall after the session's fractional end; never
    into the next session."""
    start, elapsed = session.start, session.summary.elapsed_s
    if start is None:
        return samples if single else Samples()
    end = start + elapsed + WINDOW_SLACK_S if elapsed is not None else float("inf")
    if following is not None:
        end = min(end, following - 1e-6)
    times = samples.times
    inside = [i for i, t in enumerate(times) if start <= t <= end]
    return samples if len(inside) == len(times) else samples.pick(inside)


def _consistent(samples: Samples, summary_distance: float | None) -> bool:
    """Whether what was read before the damage is a whole activity worth keeping."""
    times = samples.times
    if len(times) < 2 or times[-1] - times[0] < MIN_PARTIAL_SPAN_S:
        return False
    for i in range(1, len(times)):
        gap = times[i] - times[i - 1]
        if gap < 0 or gap > MAX_SAMPLE_JUMP_S:
            return False
    distances = [d for d in samples.distance if d is not None]
    if summary_distance and distances:
        covered = distances[-1] - distances[0]
        if covered > summary_distance * SUMMARY_DISTANCE_SLACK:
            return False
    return True


def _with_partial(draft: Draft, error: Exception) -> Draft:
    count = len(draft.samples)
    where = _offset(error)
    if isinstance(error, fitdecode.FitEOFError):
        what = "the file is cut off" + (f" at byte {where}" if where is not None else "")
    else:
        what = "the file is damaged" + (f" at byte {where}" if where is not None else "")
    return replace(draft, partial=f"{what}; the {count} records before that were kept")


def _damaged(error: Exception) -> str:
    where = _offset(error)
    at = f" at byte {where}" if where is not None else ""
    return f"the file is damaged{at} and what comes before it is not a whole activity"


def _offset(error: Exception) -> int | None:
    offset = getattr(error, "offset", None)
    return offset if isinstance(offset, int) else None


def _device(frame: Any) -> str | None:
    """ "garmin fr945", "coros 841": the maker and the product as the file names them."""
    maker = frame.get_value("manufacturer", fallback=None)
    product = frame.get_value("product", fallback=None)
    words = [str(w) for w in (maker, product) if w is not None]
    return " ".join(words) or None


def _utc_offset(frame: Any) -> int | None:
    """The local offset the device recorded, to the nearest quarter hour."""
    stamp = frame.get_value("timestamp", fallback=None)
    local = frame.get_value("local_timestamp", fallback=None)
    if not isinstance(stamp, datetime) or not isinstance(local, datetime):
        return None
    minutes = (local.replace(tzinfo=None) - stamp.replace(tzinfo=None)).total_seconds() / 60
    quarters = round(minutes / 15) * 15
    return quarters if abs(quarters) <= 14 * 60 else None


def _text(value: object) -> str | None:
    return None if value is None else str(value)
