"""Distances and paces as the runner reads them: in kilometres or in miles, by their account's
setting (``content.locale.units()``, set for each request or command). Everything RunRehab keeps,
computes and answers in its API is in kilometres; only what a person reads is converted, here.
"""

from __future__ import annotations

from runrehab.content import locale
from runrehab.content.words import Words

KM_PER_MILE = 1.609344


def in_units(km: float, units: str | None = None) -> float:
    """``km`` kilometres in ``units`` ("km" or "mi"; default the current ones)."""
    return km / KM_PER_MILE if (units or locale.units()) == "mi" else km


def distance_text(words: Words, km: float, units: str | None = None, digits: int = 1) -> str:
    """ "5.2 km", "3.2 mi" (German "5,2 km"): ``km`` in the runner's units, rounded."""
    chosen = units or locale.units()
    value = locale.number_text(in_units(km, chosen), digits)
    return words.say(f"settings.distance.{chosen}", value=value)


def pace_text(words: Words, seconds_per_km: float, units: str | None = None) -> str:
    """ "5:30 /km", "8:51 /mi": minutes and seconds per kilometre or per mile."""
    chosen = units or locale.units()
    seconds = round(seconds_per_km * (KM_PER_MILE if chosen == "mi" else 1))
    return words.say(f"settings.pace.{chosen}", value=f"{seconds // 60}:{seconds % 60:02d}")
