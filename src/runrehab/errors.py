"""RunRehab's exceptions. Clinical outcomes are values, never exceptions; these are for bad data.

    RunRehabError
    ├── InvalidDocument      a JSON document (assessment, check-in, export) breaks its contract
    ├── JournalError         a request the journal cannot meet (no programme yet, not empty...)
    ├── DatabaseError        the database cannot be opened or is not RunRehab's
    └── ContentError         a protocol data file breaks its schema or names something missing

The command line turns InvalidDocument and JournalError into exit status 2, and ContentError and
DatabaseError into exit status 1.
"""

from __future__ import annotations

from dataclasses import dataclass


class RunRehabError(Exception):
    """Base of every error RunRehab raises on purpose."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a document: where (a JSON path such as ``$.pain.now``) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class InvalidDocument(RunRehabError, ValueError):
    """A document broke its contract. Carries every problem found, each with its JSON path."""

    def __init__(self, kind: str, problems: list[Problem]) -> None:
        self.kind = kind
        self.problems = tuple(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"invalid {kind}:\n{lines}")


class ContentError(RunRehabError, ValueError):
    """A protocol data file is invalid: names the file and the place inside it."""

    def __init__(self, file: str, place: str, message: str) -> None:
        self.file = file
        self.place = place
        super().__init__(f"{file}: {place}: {message}")


class JournalError(RunRehabError, ValueError):
    """The journal cannot do what was asked: says what is missing and what to do instead."""


class DatabaseError(RunRehabError):
    """The database could not be opened, migrated or reached."""
