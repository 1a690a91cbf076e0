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

``import_worker`` puts together what the import use cases are handed (the scanner, the app's
background worker), ``guard_uploads`` refuses an upload declared too large before its body is
read, ``start_upload`` queues the request's upload, and ``ready_for_imports`` is the runs
pages' lifespan: at start, it deletes what a server killed mid-import left in the temporary
folder.
"""

from __future__ import annotations

import functools
import logging
import re
import shutil
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Protocol

from fastapi import FastAPI, HTTPException, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from runrehab.adapters import activity_import
from runrehab.adapters.activity_import import measure_all as measure_all  # tests replace it
from runrehab.adapters.activity_import import own_folder, scratch_folder
from runrehab.adapters.queue import watch_scan
from runrehab.content.words import Words
from runrehab.engine.metrics import MetricsSettings
from runrehab.services.activities.background_import import (
    ImportWorker,
    Scanner,
    start_import,
)
from runrehab.services.activities.runs_views import ImportJobView, size_words
from runrehab.web.deps import AppParts, Parts, Runner

log = logging.getLogger("runrehab.import")

FOLDER_PREFIX = "upload-"
LEGACY_PREFIX = "runrehab-upload-"
LEGACY_AFTER_S = 24 * 3600.0
"""Releases before the scratch folder kept uploads straight in the temporary folder as
``runrehab-upload-*``: a day-old one is a leftover of a server that was killed."""
MAX_NAME_CHARS = 120
_CHUNK = 1024 * 1024
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


def chosen(files: Sequence[UploadedFile], words: Words) -> list[UploadedFile]:
    """The files really chosen: a form sent with no file chosen has one part with no name."""
    picked = [f for f in files if (f.filename or "").strip()]
    if not picked:
        raise UploadRefused(400, words.say("runs.upload.nothing_chosen"))
    return picked


def too_large_message(words: Words, limit: int) -> str:
    return words.say("runs.upload.too_large", size=size_words(words, limit))


def save_uploads(files: Sequence[UploadedFile], limit: int, words: Words) -> SavedUpload:
    """Copy the chosen files into a new private folder; nothing is left behind when refused."""
    picked = chosen(files, words)
    try:
        folder = Path(tempfile.mkdtemp(prefix=FOLDER_PREFIX, dir=scratch_folder()))  # mode 0700
    except OSError as err:
        raise UploadRefused(503, words.say("runs.upload.cannot_store")) from err
    try:
        names, size = [], 0
        for number, upload in enumerate(picked):
            name = safe_name(upload.filename or "")
            target = folder / f"{number:04d}" / name
            target.parent.mkdir()
            size += _copy(upload.file, target, limit - size, too_large_message(words, limit))
            names.append(name)
    except OSError as err:
        shutil.rmtree(folder, ignore_errors=True)
        raise UploadRefused(503, words.say("runs.upload.cannot_store")) from err
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return SavedUpload(folder, names, size)


def _copy(source: BinaryIO, target: Path, room: int, too_large: str) -> int:
    """Copy one file, refusing (``too_large``) once the whole upload passes the limit."""
    copied = 0
    source.seek(0)
    with target.open("wb") as out:
        while chunk := source.read(_CHUNK):
            copied += len(chunk)
            if copied > room:
                raise UploadRefused(413, too_large)
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


# --- the request's side -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UploadForm:
    """What an upload sends: its files, and the zone its runs were recorded in (None: left
    out or empty, the account's)."""

    files: list[UploadFile]
    zone: str | None


async def upload_form(request: Request) -> UploadForm:
    """The upload's form (a form with no file part has no files)."""
    form = await request.form()
    files = [value for _key, value in form.multi_items() if isinstance(value, UploadFile)]
    given = form.get("timezone")
    return UploadForm(files, given if isinstance(given, str) and given != "" else None)


async def start_upload(request: Request, app_parts: AppParts, runner: Runner) -> ImportJobView:
    """The request's upload, queued for import (``start_import``): ``UploadRefused``, or
    ``AccountError`` for a zone that is not one, with nothing kept."""
    form = await upload_form(request)
    return await run_in_threadpool(
        start_import,
        import_worker(app_parts),
        runner.person_id,
        form.zone or runner.account.timezone,
        saving(app_parts, form.files),
    )


def saving(app_parts: AppParts, files: Sequence[UploadedFile]) -> Callable[[], SavedUpload]:
    """The saving of ``files`` (under the app's upload limit) for ``start_import``."""
    words = app_parts.content.words
    return functools.partial(save_uploads, files, app_parts.config.max_upload_bytes, words)


def import_worker(app_parts: AppParts) -> ImportWorker:
    """What the import use cases are handed: units of work, the clock, the words, the scanner
    with the protocol's metric settings, and the app's job queue (``create_app`` sets it)."""
    return ImportWorker(
        new_uow=app_parts.writer,
        clock=app_parts.clock,
        words=app_parts.content.words,
        scan=scanner(app_parts.content.metrics, app_parts.import_workers),
        queue=app_parts.queue(),
    )


async def guard_uploads(request: Request, app_parts: Parts) -> AsyncIterator[None]:
    """Refuse an upload whose declared size is over the limit before its body is read (the
    CSRF check reads a form's body; an upload that does not declare its size is counted as
    it is saved). Afterwards, close the temporary files of a form read here, even when the
    request was refused half-way (a missing CSRF token)."""
    declared = request.headers.get("content-length", "")
    limit = app_parts.config.max_upload_bytes
    if request.method == "POST" and declared.isdigit() and int(declared) > limit:
        raise HTTPException(413, too_large_message(app_parts.content.words, limit))
    try:
        yield
    finally:
        form = getattr(request, "_form", None)  # Starlette keeps the parsed form there
        if isinstance(form, FormData):
            await form.close()


@asynccontextmanager
async def ready_for_imports(app: FastAPI) -> AsyncIterator[None]:
    """At start: what killed servers left in the temporary folder deleted (never anything
    of a server still running). A failure to clean never stops the app."""
    try:
        removed = await run_in_threadpool(remove_leftovers)
    except Exception:
        log.exception("could not clean the temporary folder")
    else:
        if removed:
            log.info("removed %d temporary folders left by a stopped server", len(removed))
    yield


# --- finding and measuring --------------------------------------------------------------------


def scanner(settings: MetricsSettings, workers: int | None) -> Scanner:
    """The worker's scan (``adapters.queue.watch_scan``), measuring through this module's
    ``measure_all``, looked up at each call so that a test may replace it."""
    return watch_scan.scanner(
        settings, workers, lambda *args, **kwargs: measure_all(*args, **kwargs)
    )
