"""Where what is slow to make is kept between runs: the parsed content
(``~/.cache/runrehab/content``: parsing TOML is the slow part of loading it, and a command line
answer has 0.3 s in all) and the compiled page templates (``~/.cache/runrehab/templates``),
under ``~/.cache`` unless the composition root (``bootstrap``, from ``XDG_CACHE_HOME``) says
otherwise."""

from __future__ import annotations

import os
from collections.abc import Iterable
from contextlib import suppress
from pathlib import Path

CACHE_HOME: Path | None = None
"""Set by ``runrehab.bootstrap`` from ``XDG_CACHE_HOME`` (None: ``~/.cache``)."""


def cache_dir(kind: str = "content") -> Path:
    """The folder of one kind of kept thing: the parsed ``content``, the compiled
    ``templates`` (``runrehab.web.rendering``)."""
    return (CACHE_HOME or Path.home() / ".cache") / "runrehab" / kind


def write_atomically(path: Path, data: bytes) -> None:
    """``data`` into ``path`` so that a reader never sees half a file; a folder that cannot
    be written is no error (the cache is only a cache)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(data)
        temporary.replace(path)
    except OSError:
        pass


def keep_newest(paths: Iterable[Path], count: int) -> None:
    """Delete all but the ``count`` most recently written of ``paths``; one that cannot be
    read or deleted is left (another process may be replacing it)."""
    written = []
    for path in paths:
        with suppress(OSError):
            written.append((path.stat().st_mtime_ns, path))
    for _, path in sorted(written, reverse=True)[count:]:
        with suppress(OSError):
            path.unlink()
