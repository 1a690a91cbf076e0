"""A projected session in words for the exports (the calendar and the report), in the shipped
words unless others are given: ``services.progress.sessions.SessionWords`` says it."""

from __future__ import annotations

from runrehab.content.words import Words, shipped_words
from runrehab.services.progress.sessions import Doc, SessionWords


def session_words(words: Words | None = None) -> SessionWords:
    return SessionWords(shipped_words() if words is None else words)


def title(session: Doc, words: Words | None = None) -> str:
    """The calendar line: "Knee programme: phase 3 — 6 exercises, no run"."""
    return session_words(words).title(session)


def lines(session: Doc, words: Words | None = None) -> list[str]:
    """The session in full, one line each."""
    return session_words(words).lines(session)
