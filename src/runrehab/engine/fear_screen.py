"""The fear-of-movement screen: when worry about the knee calls for a clinician's help.

RunRehab's own three statements (``questionnaires.toml``, id ``fear_of_movement``), each agreed
with from 0 (not at all) to 4 (completely), sum to 0-12. A score at or above
``Settings.fear_screen_high_from`` is high. The questions and that threshold are unverified
product rules ([M]): the evidence digest does not review psychological screening.

A high score is a prompt, never a decision: it does not stop, hold or step back the programme,
and it is read apart from the red-flag and pain rules, so it can never weaken them.
"""

from __future__ import annotations

from datetime import date

from runrehab.engine.outcomes import FearScreen, Outcomes
from runrehab.engine.protocol import Settings
from runrehab.engine.said import Iso, said
from runrehab.engine.values import Reason

FEAR_HIGH = "fear-of-movement-high"


def is_high(score: int, settings: Settings) -> bool:
    """True when a screen's score (0-12) is at or above ``fear_screen_high_from``."""
    return score >= settings.fear_screen_high_from


def latest_screen(outcomes: Outcomes, programme_started: date, day: date) -> FearScreen | None:
    """The programme's last screen answered on or before ``day`` (None: not answered yet)."""
    found = [f for f in outcomes.until(day).fear_of_movement if f.date >= programme_started]
    return max(found, key=lambda f: f.date, default=None)


def fear_prompt(
    outcomes: Outcomes, programme_started: date, day: date, settings: Settings
) -> Reason | None:
    """The prompt to get help with worry about the knee, while the programme's latest screen
    on or before ``day`` is high; None when it is not high or not answered yet.

    Example: a screen of 9 on 1 Dec (high from 8) prompts every day until a later screen, at
    week 6, scores below 8."""
    latest = latest_screen(outcomes, programme_started, day)
    if latest is None or not is_high(latest.score, settings):
        return None
    facts = said(
        "worry_high",
        score=latest.score,
        day=Iso(latest.date),
        high=settings.fear_screen_high_from,
    )
    return Reason.of(FEAR_HIGH, facts)
