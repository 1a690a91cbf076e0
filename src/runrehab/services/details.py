"""The engine's details (``engine.said``) in the reader's language: the words of
``words/details.toml`` with each fact written the reader's way (a day "Wed 2 Dec" or
"Mi., 2. Dez.", a number "2.5" or "2,5")."""

from __future__ import annotations

from datetime import date

from runrehab.content import locale
from runrehab.content.words import Words
from runrehab.engine.said import Said, Speaker, spoken
from runrehab.services import units


def speaker(words: Words) -> Speaker:
    """How ``words``' language says a detail (days and numbers in the current language)."""
    return Speaker(
        text=lambda key: words.texts[f"details.{key}"],
        day=locale.day_text,
        number=lambda n: locale.number_text(n, 1),
        joined=lambda items: f" {words.say('details.and')} ".join(items),
        # the English details have always written these days as 2026-12-08
        iso=date.isoformat if locale.current() == locale.DEFAULT else locale.day_text,
        distance=lambda km: units.distance_text(words, km),
    )


def detail_text(words: Words, detail: str, facts: Said | None) -> str:
    """``facts`` in ``words``' language; ``detail`` (the engine's English) when there are no
    facts, as for a decision stored before details were words."""
    if facts is None:
        return detail
    return spoken(facts, speaker(words))
