"""Plain names of the conditions triage considers (digest section 9.2), from the words."""

from __future__ import annotations

from runrehab.content.words import Words


def name_of(words: Words, condition: str) -> str:
    """The condition's name (``intake.condition.<id>``); an id the words do not name yet is
    shown as itself, in words rather than as a code."""
    key = f"intake.condition.{condition.replace('-', '_')}"
    return words.say(key) if words.has(key) else condition.replace("-", " ").capitalize()
