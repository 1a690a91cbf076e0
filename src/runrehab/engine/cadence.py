"""The step-rate target: the runner's own median step rate and the +5-10 % to aim for, with
the metronome's beats (digest §6: Heiderscheit 2011; Lenhart 2014; Willy 2016)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

from runrehab.engine.load import (
    PROTOCOL_DEFAULTS,
    TOLERANCE,
)
from runrehab.engine.protocol import Settings
from runrehab.engine.said import said
from runrehab.engine.values import Reason


@dataclass(frozen=True, slots=True)
class CadenceTarget:
    """The runner's usual step rate (median of their runs), the +5-10 % range to aim for, and
    the beats a minute to set on a metronome (the +5 % end first)."""

    usual_spm: float
    low_spm: float
    high_spm: float
    metronome_bpm: int
    reason: Reason


def cadence_target(
    runs_cadence_spm: Sequence[float], protocol_settings: Settings = PROTOCOL_DEFAULTS
) -> CadenceTarget | None:
    """The runner's own median step rate, the +5-10 % to aim for (Heiderscheit 2011; Lenhart
    2014; Willy 2016 cued +7.5 %), and the metronome beats a minute at the +5 % end: the
    smaller change first, changing one thing at a time (digest §6). None without step rates."""
    rates = [c for c in runs_cadence_spm if c > 0]
    if not rates:
        return None
    usual = float(median(rates))
    low = usual * (1 + protocol_settings.cadence_increase_min_percent / 100)
    high = usual * (1 + protocol_settings.cadence_increase_max_percent / 100)
    bpm = math.ceil(low - TOLERANCE)
    if bpm > high:  # a range narrower than one beat: only at implausibly low step rates
        bpm = round(low)
    facts = said(
        "cadence_target",
        usual=f"{usual:.0f}",
        runs=len(rates),
        low=math.ceil(low - TOLERANCE),
        high=math.floor(high + TOLERANCE),
        bpm=bpm,
    )
    return CadenceTarget(usual, low, high, bpm, Reason.of("cadence-target", facts))
