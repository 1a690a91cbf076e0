"""Finding activity files (in folders, zips, zips inside zips) and getting their bytes.

``discover`` only lists: it opens zips to read their directory and a Strava export's
``activities.csv`` for the sport of each file, but reads no activity file. ``load`` gets one
file's decompressed bytes, never trusting the sizes an archive declares: every read is capped.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import tempfile
import threading
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from runrehab.adapters.watch import apple_health
from runrehab.adapters.watch.model import (
    DEFAULT_LIMITS,
    Discovery,
    Limits,
    RejectedFile,
    Source,
    Unreadable,
)
from runrehab.adapters.watch.model import size_words as _size_words

ACTIVITY_SUFFIXES = (".fit", ".gpx", ".tcx")
GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGIC = b"PK\x03\x04"
SNIFF_BYTES = 4096

MAX_ARCHIVE_BYTES = 4 * 1024**3
"""A zip inside a zip is unpacked to a temporary file (on disk past 64 MB); larger is refused."""
SPOOL_IN_MEMORY_BYTES = 64 * 1024 * 1024
MAX_NESTING = 3
"""Zips inside zips inside zips: Garmin's export needs two levels."""
MAX_LIST_BYTES = 32 * 1024 * 1024
"""An export's activities.csv larger than this is ignored (its hints are a nicety)."""

NOT_ACTIVITY = "not a FIT, GPX or TCX file"
NO_SUCH_PATH = "no such file or folder"


def activity_suffix(name: str) -> str | None:
    """ ".fit", ".gpx" or ".tcx" for an activity file name (also "x.FIT", "x.fit.gz")."""
    lower = name.lower()
    if lower.endswith(".gz"):
        lower = lower[:-3]
    return next((s for s in ACTIVITY_SUFFIXES if lower.endswith(s)), None)


def is_junk(name: str) -> bool:
    """macOS resource forks ("__MACOSX/", "._run.fit"), which look like activity files."""
    parts = name.replace("\\", "/").split("/")
    return "__MACOSX" in parts or parts[-1].startswith("._")


@dataclass(slots=True)
class _Found:
    sources: list[Source] = field(default_factory=list)
    rejected: list[RejectedFile] = field(default_factory=list)
    skipped: int = 0

    def reject(self, source: Source, reason: str) -> None:
        self.rejected.append(RejectedFile(source, reason))


def discover(
    paths: Sequence[str | Path],
    limits: Limits = DEFAULT_LIMITS,  # the same signature as read_source
) -> Discovery:
    """The activity files named by these paths (files, folders, zips), in a stable order.

    Sizes are not judged here (``limits`` matter to ``read_source``): a member that is too
    big is refused when it is read, with the reason."""
    found = _Found()
    for given in paths:
        label = str(given)
        path = Path(given)
        if path.is_dir():
            _walk_folder(path, found)
        elif path.is_file():
            _add_file(path, label, found)
        else:
            found.reject(Source(label, os.path.abspath(label)), NO_SUCH_PATH)
    return Discovery(tuple(found.sources), tuple(found.rejected), found.skipped)


def _walk_folder(folder: Path, found: _Found) -> None:
    """Every activity file under the folder, sorted; zips in it are opened too."""
    files: list[Path] = []
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        files.extend(Path(root, name) for name in sorted(names))
    hints = _folder_hints(f for f in files if f.name.lower() == "activities.csv")
    for file in files:
        label = str(file)
        if is_junk(label):
            found.skipped += 1
        elif activity_suffix(file.name):
            key = os.path.normcase(os.path.abspath(file))
            found.sources.append(Source(label, os.path.abspath(file), (), hints.get(key)))
        elif file.name.lower().endswith(".zip"):
            _add_zip(file, label, found)
        else:
            found.skipped += 1


def _add_file(path: Path, label: str, found: _Found) -> None:
    """A file named explicitly: an activity file, a zip, or a refusal."""
    source = Source(label, os.path.abspath(path))
    if activity_suffix(path.name):
        found.sources.append(source)
        return
    head = _head(path)
    if path.name.lower().endswith(".zip") or head.startswith(ZIP_MAGIC):
        _add_zip(path, label, found)
    elif head and sniff(head) is not None:
        found.sources.append(source)
    else:
        found.reject(source, NOT_ACTIVITY)


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as file:
            return file.read(SNIFF_BYTES)
    except OSError:
        return b""


def sniff(data: bytes) -> str | None:
    """ "fit", "gpx" or "tcx" from the first bytes of a file; None when it is none of them."""
    if data[8:12] == b".FIT":
        return "fit"
    text = strip_xml_start(data)[:SNIFF_BYTES]
    if text.startswith(b"<"):
        if b"<gpx" in text:
            return "gpx"
        if b"TrainingCenterDatabase" in text:
            return "tcx"
    return None


def strip_xml_start(data: bytes) -> bytes:
    """Without a UTF-8 byte order mark and the whitespace some exporters put before ``<?xml``."""
    return data.removeprefix(b"\xef\xbb\xbf").lstrip()


# --- zips -------------------------------------------------------------------------------------


def _add_zip(path: Path, label: str, found: _Found) -> None:
    disk = os.path.abspath(path)
    try:
        with zipfile.ZipFile(path) as archive:
            _list_zip(archive, label, disk, (), found)
    except _ZIP_ERRORS as error:
        found.reject(Source(label, disk), f"not a readable zip archive: {error}")


def _list_zip(
    archive: zipfile.ZipFile,
    label: str,
    disk: str,
    chain: tuple[str, ...],
    found: _Found,
) -> None:
    """The activity files of an open zip; zips inside it are listed in turn."""
    infos = sorted((i for i in archive.infolist() if not i.is_dir()), key=lambda i: i.filename)
    hints = _zip_hints(archive, infos)
    health = [] if chain else [i.filename for i in infos if apple_health.is_export(i.filename)]
    for info in infos:
        name = info.filename
        members = (*chain, name)
        if is_junk(name) or any(apple_health.is_route(name, export) for export in health):
            found.skipped += 1  # an Apple Health route is read with its workout
        elif name in health:
            found.sources.append(Source(f"{label}:{name}", disk, members))
        elif activity_suffix(name):
            found.sources.append(Source(f"{label}:{name}", disk, members, hints.get(name)))
        elif name.lower().endswith(".zip") and len(members) < MAX_NESTING:
            _list_nested(archive, info, f"{label}:{name}", disk, members, found)
        else:
            found.skipped += 1


def _list_nested(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    label: str,
    disk: str,
    members: tuple[str, ...],
    found: _Found,
) -> None:
    try:
        with _unpack_archive(archive, info) as spooled, zipfile.ZipFile(spooled) as inner:
            _list_zip(inner, label, disk, members, found)
    except Unreadable as error:
        found.reject(Source(label, disk, members), error.reason)
    except _ZIP_ERRORS as error:
        found.reject(Source(label, disk, members), f"not a readable zip archive: {error}")


_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    EOFError,
    ValueError,
    NotImplementedError,
    RuntimeError,  # an encrypted member
    zlib.error,
)


def _unpack_archive(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> IO[bytes]:
    """A zip member that is itself a zip, copied out with a cap (memory, then disk)."""
    too_big = Unreadable(f"too big: over {_size_words(MAX_ARCHIVE_BYTES)} once decompressed")
    if info.file_size > MAX_ARCHIVE_BYTES:
        raise too_big
    spooled = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY_BYTES)  # noqa: SIM115
    try:
        with archive.open(info) as member:
            copied = _copy_capped(member, spooled, MAX_ARCHIVE_BYTES)
        if copied > MAX_ARCHIVE_BYTES:
            raise too_big
        spooled.seek(0)
    except BaseException:
        spooled.close()
        raise
    return spooled


def _copy_capped(source: IO[bytes], target: IO[bytes], cap: int) -> int:
    """Copy at most cap + 1 bytes; the count says whether the source was larger than cap."""
    copied = 0
    while copied <= cap:
        chunk = source.read(min(1024 * 1024, cap + 1 - copied))
        if not chunk:
            break
        target.write(chunk)
        copied += len(chunk)
    return copied


# --- the sport of each file in a Strava export ------------------------------------------------


def _zip_hints(archive: zipfile.ZipFile, infos: Iterable[zipfile.ZipInfo]) -> dict[str, str]:
    """Member name -> "Activity Type" from an activities.csv anywhere in the zip."""
    hints: dict[str, str] = {}
    for info in infos:
        base, _, name = info.filename.rpartition("/")
        if name.lower() != "activities.csv" or info.file_size > MAX_LIST_BYTES:
            continue
        try:
            with archive.open(info) as member:
                text = member.read(MAX_LIST_BYTES).decode("utf-8-sig", errors="replace")
        except _ZIP_ERRORS:
            continue
        prefix = f"{base}/" if base else ""
        for filename, hint in _list_rows(text):
            hints[prefix + filename] = hint
    return hints


def _folder_hints(lists: Iterable[Path]) -> dict[str, str]:
    """Absolute file path -> "Activity Type" from the activities.csv files of an export."""
    hints: dict[str, str] = {}
    for listing in lists:
        try:
            if listing.stat().st_size > MAX_LIST_BYTES:
                continue
            text = listing.read_text(encoding="utf-8-sig", errors="replace")
        except OSError:
            continue
        for filename, hint in _list_rows(text):
            key = os.path.normcase(os.path.abspath(listing.parent / filename))
            hints[key] = hint
    return hints


def _list_rows(text: str) -> list[tuple[str, str]]:
    """(Filename, Activity Type) pairs of a Strava activities.csv; missing columns give none."""
    rows: list[tuple[str, str]] = []
    try:
        for row in csv.DictReader(io.StringIO(text)):
            filename = (row.get("Filename") or "").strip()
            hint = (row.get("Activity Type") or "").strip()
            if filename and hint:
                rows.append((filename.replace("\\", "/"), hint))
    except csv.Error:
        return rows
    return rows


# --- reading one file's bytes -----------------------------------------------------------------


def load(source: Source, limits: Limits) -> bytes:
    """The file's decompressed bytes (zip members and gzip undone); raises Unreadable."""
    cap = limits.max_file_bytes
    data = _load_member(source, cap) if source.members else _load_plain(source.path, cap)
    if source.name.lower().endswith(".gz") or data.startswith(GZIP_MAGIC):
        data = _gunzip(data, cap)
    if not data:
        raise Unreadable("the file is empty")
    return data


def _too_big(limits_cap: int, compressed: bool) -> Unreadable:
    tail = " once decompressed" if compressed else ""
    return Unreadable(f"too big: over {_size_words(limits_cap)}{tail}")


def _load_plain(path: str, cap: int) -> bytes:
    try:
        with open(path, "rb") as file:
            data = file.read(cap + 1)
    except FileNotFoundError as error:
        raise Unreadable(NO_SUCH_PATH) from error
    except IsADirectoryError as error:
        raise Unreadable("it is a folder, not a file") from error
    except OSError as error:
        raise Unreadable(f"the file can't be read: {error.strerror or error}") from error
    if len(data) > cap:
        raise _too_big(cap, compressed=False)
    return data


def _load_member(source: Source, cap: int) -> bytes:
    try:
        with _ARCHIVES.lock:
            archive = _ARCHIVES.open(source.path, source.members[:-1])
            info = _member(archive, source.members[-1])
            if info.file_size > cap:
                raise _too_big(cap, compressed=True)
            with archive.open(info) as member:
                data = member.read(cap + 1)
    except FileNotFoundError as error:
        raise Unreadable(NO_SUCH_PATH) from error
    except _ZIP_ERRORS as error:
        raise Unreadable(f"not a readable zip archive: {error}") from error
    if len(data) > cap:
        raise _too_big(cap, compressed=True)
    return data


def _member(archive: zipfile.ZipFile, name: str) -> zipfile.ZipInfo:
    try:
        return archive.getinfo(name)
    except KeyError as error:
        raise Unreadable(f"the zip archive has no file named {name}") from error


def _gunzip(data: bytes, cap: int) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as unpacked:
            plain = unpacked.read(cap + 1)
    except (OSError, EOFError, zlib.error) as error:
        raise Unreadable("the gzip compression is corrupt") from error
    if len(plain) > cap:
        raise _too_big(cap, compressed=True)
    return plain


class _ArchiveCache:
    """The last zip opened (and the zips inside it), kept open: a worker reading the members of
    one export in turn then reads the zip's directory, and unpacks a zip inside it, once.
    Threads take turns through ``lock`` (only to get a member's bytes, not to decode them)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self._key: tuple[object, ...] | None = None
        self._archive: zipfile.ZipFile | None = None
        self._opened: list[IO[bytes] | zipfile.ZipFile] = []

    def open(self, path: str, chain: tuple[str, ...]) -> zipfile.ZipFile:
        status = os.stat(path)
        key = (path, status.st_ino, status.st_size, status.st_mtime_ns, chain)
        if key != self._key or self._archive is None:
            self.close()
            self._archive = self._open_chain(path, chain)
            self._key = key
        return self._archive

    def _open_chain(self, path: str, chain: tuple[str, ...]) -> zipfile.ZipFile:
        try:
            archive = zipfile.ZipFile(path)
            self._opened.append(archive)
            for name in chain:
                spooled = _unpack_archive(archive, _member(archive, name))
                self._opened.append(spooled)
                archive = zipfile.ZipFile(spooled)
                self._opened.append(archive)
        except BaseException:
            self.close()
            raise
        return archive

    def close(self) -> None:
        for opened in reversed(self._opened):
            opened.close()
        self._opened.clear()
        self._archive = None
        self._key = None

    def after_fork(self) -> None:
        """In a forked worker: a fresh lock, and no sharing of the parent's open files (their
        read positions are shared between the processes)."""
        self.lock = threading.Lock()
        self.close()


_ARCHIVES = _ArchiveCache()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_ARCHIVES.after_fork)


def close_archives() -> None:
    """Close the zip kept open between reads (tests, long-running servers)."""
    with _ARCHIVES.lock:
        _ARCHIVES.close()
