"""Outcome measures the engine reads: Kujala scores, the weekly usual and worst pain, and the
fear-of-movement screen.

Kujala and weekly pain feed the "no improvement after six weeks" rule (digest 14(a) R7); the
fear-of-movement screen only prompts a conversation with a clinician (``fear_screen``). The
engine only reads what the runner reported; a missing questionnaire is asked for by the
services, never invented.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class KujalaScore:
    """A Kujala anterior knee pain scale total on ``date``: 0-100, 100 = no problem."""

    date: date
    score: int


@dataclass(frozen=True, slots=True)
class WeeklyPain:
    """Usual and worst knee pain over the past week, each 0-10, reported on ``date``."""

    date: date
    usual: int
    worst: int


@dataclass(frozen=True, slots=True)
class FearScreen:
    """RunRehab's own fear-of-movement screen on ``date``: three statements agreed with from 0
    (not at all) to 4 (completely), summed to 0-12; higher is more worry. [M] unvalidated."""

    date: date
    score: int


@dataclass(frozen=True, slots=True)
class Outcomes:
    """Every outcome report of one runner, each tuple in date order."""

    kujala: tuple[KujalaScore, ...] = ()
    weekly_pain: tuple[WeeklyPain, ...] = ()
    fear_of_movement: tuple[FearScreen, ...] = ()

    def until(self, day: date) -> Outcomes:
        """The reports made on or before ``day``."""
        return Outcomes(
            tuple(k for k in self.kujala if k.date <= day),
            tuple(w for w in self.weekly_pain if w.date <= day),
            tuple(f for f in self.fear_of_movement if f.date <= day),
        )


NO_OUTCOMES = Outcomes()
