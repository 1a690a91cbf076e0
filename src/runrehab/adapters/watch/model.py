"""The values the watch-file importers hand out: what to read, what was read, what was refused."""

from __future__ import annotations

from dataclasses import dataclass

from runrehab.engine.activity import Recording


@dataclass(frozen=True, slots=True)
class Source:
    """One activity file to read: a plain file, or a member of a zip (members of a zip inside a
    zip for Garmin exports). Picklable: a worker process reopens it."""

    label: str  # what the runner sees: the path as given, or "export.zip:activities/1.fit.gz"
    path: str  # the file on disk (the outer zip for members)
    members: tuple[str, ...] = ()  # zip member chain, outermost first
    sport_hint: str | None = None  # from a bulk export's list (Strava "Activity Type"), raw

    @property
    def name(self) -> str:
        """The innermost file name: the last zip member, or the path."""
        return self.members[-1] if self.members else self.path


@dataclass(frozen=True, slots=True)
class ReadFile:
    """A file read: one recording per activity (several for a multisport file)."""

    source: Source
    content_hash: str  # sha256 hex of the decompressed file bytes
    size_bytes: int  # decompressed size
    format: str  # "fit" | "gpx" | "tcx"
    recordings: tuple[Recording, ...]  # at least one


@dataclass(frozen=True, slots=True)
class RejectedFile:
    """A file (or a path) that gave no activity, and why, in plain words."""

    source: Source
    reason: str


@dataclass(frozen=True, slots=True)
class Discovery:
    """What a list of paths holds: the activity files to read, and what was set aside."""

    sources: tuple[Source, ...]
    rejected: tuple[RejectedFile, ...]  # missing paths, unreadable zips, named non-activity files
    skipped: int  # files inside folders/zips that are not activity files (csv, json, jpg...)


@dataclass(frozen=True, slots=True)
class Limits:
    """Guards against hostile or useless files."""

    max_file_bytes: int = 64 * 1024 * 1024  # decompressed size of one activity file
    max_sparse_gap_s: float = 60.0  # typical seconds between samples above this: too sparse


DEFAULT_LIMITS = Limits()


class Unreadable(Exception):
    """A file that cannot give an activity; the message is the reason shown to the runner."""

    @property
    def reason(self) -> str:
        return str(self.args[0])


def size_words(limit: int) -> str:
    """A byte limit in plain words: 64 MB, 10 KB, 500 bytes."""
    for unit, size in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if limit >= size and limit % size == 0:
            return f"{limit // size} {unit}"
    return f"{limit} bytes"
