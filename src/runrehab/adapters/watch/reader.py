"""Reading one activity file: its bytes, its format (from the content, not only the name), its
recordings, or the plain reason it gives none."""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET

from runrehab.adapters.watch import apple_health
from runrehab.adapters.watch.fit import is_fit, read_fit
from runrehab.adapters.watch.gpx import read_gpx
from runrehab.adapters.watch.model import (
    DEFAULT_LIMITS,
    Limits,
    ReadFile,
    RejectedFile,
    Source,
    Unreadable,
)
from runrehab.adapters.watch.sources import NOT_ACTIVITY, activity_suffix, load, strip_xml_start
from runrehab.adapters.watch.tcx import read_tcx
from runrehab.adapters.watch.track import Draft, finish
from runrehab.engine.activity import Recording

_XML_CHUNK = 64 * 1024
_DECLARED_ENCODING = re.compile(rb"""^<\?xml[^>]*encoding=["']([A-Za-z0-9._-]+)["']""")


def read_source(source: Source, limits: Limits = DEFAULT_LIMITS) -> ReadFile | RejectedFile:
    """The file's recordings, or why it has none. Never raises for a bad file."""
    try:
        return _read(source, limits)
    except Unreadable as refusal:
        return RejectedFile(source, refusal.reason)
    except MemoryError:
        return RejectedFile(source, "too big to read in memory")
    except Exception as error:  # the last resort: one bad file must not stop an import
        return RejectedFile(source, f"the file could not be read ({type(error).__name__}: {error})")


def _read(source: Source, limits: Limits) -> ReadFile:
    if source.members and apple_health.is_export(source.members[-1]):
        return apple_health.read_export(source, limits)  # streamed: it can be hundreds of MB
    data = load(source, limits)
    content_hash = hashlib.sha256(data).hexdigest()
    file_format, drafts = _parse(data, source)
    recordings: list[Recording] = []
    reasons: list[str] = []
    for draft in drafts:
        outcome = finish(draft, source, limits)
        if isinstance(outcome, Recording):
            recordings.append(outcome)
        else:
            reasons.append(outcome)
    if not recordings:
        raise Unreadable(reasons[0])
    return ReadFile(source, content_hash, len(data), file_format, tuple(recordings))


def _parse(data: bytes, source: Source) -> tuple[str, list[Draft]]:
    """The format, found from the content, and its drafts."""
    if is_fit(data):
        return "fit", read_fit(data)
    suffix = activity_suffix(source.name)
    if suffix == ".fit":
        raise Unreadable("not a FIT file: it has no FIT header")
    xml = strip_xml_start(data)
    if not xml.startswith(b"<") and suffix is None:
        raise Unreadable(NOT_ACTIVITY)
    root = _xml_root(xml)
    if root == "gpx":
        return "gpx", read_gpx(_xml_text(xml))
    if root == "TrainingCenterDatabase":
        return "tcx", read_tcx(xml)
    raise Unreadable(f"{NOT_ACTIVITY}: its XML is <{root}>")


def _xml_root(xml: bytes) -> str:
    """The local name of the root element, reading only as far as it."""
    parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("start",))
    try:
        for offset in range(0, len(xml), _XML_CHUNK):
            parser.feed(xml[offset : offset + _XML_CHUNK])
            for event in parser.read_events():
                element = event[-1]
                if isinstance(element, ET.Element):
                    return str(element.tag).rpartition("}")[2]
        parser.close()
    except ET.ParseError as error:
        raise Unreadable(f"not valid XML: {error}") from error
    raise Unreadable("not valid XML: it has no element")


def _xml_text(xml: bytes) -> str:
    """The XML as text, in its declared encoding (UTF-8 unless it says otherwise)."""
    try:
        return xml.decode("utf-8")
    except UnicodeDecodeError:
        declared = _DECLARED_ENCODING.match(xml)
        encoding = declared.group(1).decode("ascii") if declared else "latin-1"
        try:
            return xml.decode(encoding, errors="replace")
        except LookupError:
            return xml.decode("latin-1")
