"""The pain-monitoring traffic light of one day (digest 14(c) shared definitions).

One pain model for running and for exercise. GREEN: pain at most ``green_max_pain`` (2/10)
during the session, back to baseline within 60 minutes, the next morning no worse. AMBER: pain
up to ``amber_max_pain`` (3/10: repeat, never climb), or slow to settle, but fine the next
morning. RED: pain above it (where a run and an exercise stop), pain that rose during the run, a
worse morning, a limp, swelling or giving way, or a day whose worst pain from any cause is above
``day_worst_pain_red_above`` (5/10, [M]). The zones follow the runner trials (Esculier 2018;
TREK), not the 5/10 ceiling of the Achilles pain-monitoring model (Silbernagel 2007).
"""

from __future__ import annotations

from functools import lru_cache

from runrehab.engine.assessment import Swelling
from runrehab.engine.checkin import Checkin, Morning
from runrehab.engine.protocol import Settings
from runrehab.engine.said import Said, english, said
from runrehab.engine.values import Colour


def session_pain(checkin: Checkin) -> int | None:
    """The highest pain reported during the day's exercise or running, if any was reported."""
    pains = [e.max_pain for e in checkin.exercises if e.max_pain is not None]
    pains += [c.max_pain for c in checkin.cross_training if c.max_pain is not None]
    if checkin.run is not None:
        pains.append(checkin.run.max_pain)
    return max(pains) if pains else None


def red_signs(checkin: Checkin, settings: Settings) -> list[str]:
    """What makes the day RED, in plain English words (empty when nothing does)."""
    return [english(s) for s in red_said(checkin, settings)]


def red_said(checkin: Checkin, settings: Settings) -> list[Said]:
    """What makes the day RED, as words' keys and facts (``engine.said``)."""
    found: list[Said] = []
    pain = session_pain(checkin)
    if pain is not None and pain > settings.amber_max_pain:
        found.append(said("session_pain", pain=pain))
    if checkin.pain.worst > settings.day_worst_pain_red_above:
        found.append(said("worst_pain_day", pain=checkin.pain.worst))
    run = checkin.run
    if run is not None and run.pain_rose_during:
        found.append(said("run_pain_rose"))
    if run is not None and run.changed_stride:
        found.append(said("stride_changed"))
    if checkin.this_morning_vs_usual is Morning.WORSE:
        found.append(said("morning_worse"))
    signs = checkin.signs
    if signs.limp:
        found.append(said("sign_limp"))
    if signs.swelling is not Swelling.NONE:
        found.append(said("sign_swelling"))
    if signs.giving_way:
        found.append(said("knee_gave_way"))
    return found


def amber_signs(checkin: Checkin, settings: Settings) -> list[str]:
    """What makes the day AMBER (empty when nothing does); only meaningful when not RED."""
    return [english(s) for s in amber_said(checkin, settings)]


def amber_said(checkin: Checkin, settings: Settings) -> list[Said]:
    """``amber_signs`` as words' keys and facts (``engine.said``)."""
    found: list[Said] = []
    pain = session_pain(checkin)
    if pain is not None and pain > settings.green_max_pain:
        found.append(said("session_pain", pain=pain))
    run = checkin.run
    settled = None if run is None else run.settled_within_minutes
    if run is not None and (settled is None or settled > settings.settle_minutes_green):
        found.append(said("slow_to_settle" if settled is not None else "settling_unknown"))
    return found


# Progression looks back over the history every day, so each check-in is judged many times.
@lru_cache(maxsize=8192)
def colour_of(checkin: Checkin, settings: Settings) -> Colour | None:
    """The day's colour; None for a day without exercise or running and without RED signs."""
    if red_signs(checkin, settings):
        return Colour.RED
    if not checkin.had_session:
        return None
    return Colour.AMBER if amber_signs(checkin, settings) else Colour.GREEN
