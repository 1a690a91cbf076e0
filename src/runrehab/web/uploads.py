"""Uploaded watch files, from the request to the import worker.

``save_uploads`` copies the request's files into a new private folder (one sub-folder per file,
so two files of the same name never collide), counting bytes against the upload limit. The
folder is made in the process's scratch folder (``activity_import.scratch_folder``), so the
uploads of a server that was killed are deleted when one starts again (``remove_leftovers``).
The request's own temporary files (Starlette's spooled form parts) have no name on disk on
Linux, so nothing of them outlives the process.
``scanner`` finds and measures what the folder holds for
``services.activities.background_import.run_import``: each file is named explicitly, so a file
that is not an activity is refused with its reason rather than skipped, and the runner sees
their own file names, never the temporary folder.

Measuring a big export is spread over worker processes by ``measure_all``; the server is
multi-threaded, so it asks for workers from a forkserver rather than forked from itself.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Protocol

from runrehab.adapters import activity_import
from runrehab.adapters.activity_import import measure_all, own_folder, scratch_folder
from runrehab.adapters.watch import Source, discover
from runrehab.adapters.watch.model import size_words
from runrehab.engine.metrics import MetricsSettings
from runrehab.services.activities.background_import import Scan, Scanner
from runrehab.services.activities.watch_import import MeasuredFile, RefusedFile

FOLDER_PREFIX = "upload-"
LEGACY_PREFIX = "runrehab-upload-"
LEGACY_AFTER_S = 24 * 3600.0
"""Releases before the scratch folder kept uploads straight in the temporary folder as
``runrehab-upload-*``: a day-old one is a leftover of a server that was killed."""
MAX_NAME_CHARS = 120
_CHUNK = 1024 * 1024
CANNOT_STORE = (
    "The server could not store the upload (its disk may be full), so nothing was kept. "
    "Try again later, or tell the admin."
)
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:]+")


class UploadedFile(Protocol):
    """What Starlette's ``UploadFile`` offers that is needed here."""

    filename: str | None
    file: BinaryIO


class UploadRefused(Exception):
    """The upload as a whole cannot be taken (nothing is kept): a status and a message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True, slots=True)
class SavedUpload:
    folder: Path
    names: list[str]
    size: int


def chosen(files: Sequence[UploadedFile]) -> list[UploadedFile]:
    """The files really chosen: a form sent with no file chosen has one part with no name."""
    picked = [f for f in files if (f.filename or "").strip()]
    if not picked:
        raise UploadRefused(400, "Choose at least one file to upload (FIT, GPX, TCX or a .zip).")
    return picked


def too_large_message(limit: int) -> str:
    return (
        f"That upload is larger than this server takes ({size_words(limit)} at a time). "
        "Upload the files in smaller groups, or ask the admin to raise the limit."
    )


def save_uploads(files: Sequence[UploadedFile], limit: int) -> SavedUpload:
    """Copy the chosen files into a new private folder; nothing is left behind when refused."""
    picked = chosen(files)
    try:
        folder = Path(tempfile.mkdtemp(prefix=FOLDER_PREFIX, dir=scratch_folder()))  # mode 0700
    except OSError as err:
        raise UploadRefused(503, CANNOT_STORE) from err
    try:
        names, size = [], 0
        for number, upload in enumerate(picked):
            name = safe_name(upload.filename or "")
            target = folder / f"{number:04d}" / name
            target.parent.mkdir()
            size += _copy(upload.file, target, limit - size, limit)
            names.append(name)
    except OSError as err:
        shutil.rmtree(folder, ignore_errors=True)
        raise UploadRefused(503, CANNOT_STORE) from err
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return SavedUpload(folder, names, size)


def _copy(source: BinaryIO, target: Path, room: int, limit: int) -> int:
    """Copy one file, refusing once the whole upload passes the limit."""
    copied = 0
    source.seek(0)
    with target.open("wb") as out:
        while chunk := source.read(_CHUNK):
            copied += len(chunk)
            if copied > room:
                raise UploadRefused(413, too_large_message(limit))
            out.write(chunk)
    return copied


def safe_name(given: str) -> str:
    """The file's own name, without any folder a browser sent and without odd characters."""
    base = PurePosixPath(given.replace("\\", "/")).name
    clean = _UNSAFE.sub("_", base).strip(" .")
    if not clean:
        return "upload"
    if len(clean) > MAX_NAME_CHARS:  # keep the end: it carries the file type (.fit.gz)
        clean = clean[-MAX_NAME_CHARS:]
    return clean


def discard(upload: SavedUpload) -> None:
    shutil.rmtree(upload.folder, ignore_errors=True)


def remove_leftovers(temp_root: Path | None = None) -> list[Path]:
    """What servers killed before they could clean up left in the temporary folder (their
    uploads, their workers' folders), deleted; the folders removed. See
    ``activity_import.remove_leftovers``: nothing of a running process, nothing not ours."""
    root = Path(tempfile.gettempdir()) if temp_root is None else temp_root
    removed = activity_import.remove_leftovers(root)
    try:
        legacy = [e for e in root.iterdir() if e.name.startswith(LEGACY_PREFIX)]
    except OSError:
        return removed
    for folder in legacy:
        info = own_folder(folder)
        if info is not None and time.time() - info.st_mtime > LEGACY_AFTER_S:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


# --- finding and measuring --------------------------------------------------------------------


def scanner(settings: MetricsSettings, workers: int | None) -> Scanner:
    """A ``Scanner`` for the import worker, with the protocol's metric settings."""
    return functools.partial(_scan, settings=settings, workers=workers)


def _scan(folder: Path, settings: MetricsSettings, workers: int | None) -> Scan:
    files = sorted(p for p in folder.glob("*/*") if p.is_file())
    found = discover(files)
    sources = [replace(s, label=_label(s.label, folder)) for s in found.sources]
    refused = [RefusedFile(_label(r.source.label, folder), r.reason) for r in found.rejected]
    return Scan(
        total=len(sources) + len(refused),
        skipped=found.skipped,
        items=_items(refused, sources, settings, workers),
    )


def _label(label: str, folder: Path) -> str:
    """ "/tmp/runrehab-tmp-x/upload-y/0003/export.zip:a/1.fit" -> "export.zip:a/1.fit"."""
    prefix = str(folder) + os.sep
    if not label.startswith(prefix):
        return label
    _number, _, rest = label[len(prefix) :].partition(os.sep)
    return rest or label


def _items(
    refused: list[RefusedFile],
    sources: list[Source],
    settings: MetricsSettings,
    workers: int | None,
) -> Iterator[MeasuredFile | RefusedFile]:
    yield from refused
    yield from measure_all(sources, settings, workers, threaded_caller=True)
