"""The headline of the progress page: what a runner takes in within two seconds. The worst
pain of the last weeks and its latest value, which way it goes in plain words, the phase among
the phases, and the days checked in in a row. From the progress figures; every word is the
content's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import mean

from runrehab.content.words import Words
from runrehab.services.progress.chart_series import day_words, pain_change_words
from runrehab.services.progress.figures import PAIN_TREND_POINTS, DayRow, Progress

SPARK_DAYS = 28
"""The sparkline's days: the last four weeks."""
TREND_DAYS = 7
"""The trend compares the mean worst pain of the last week with the week before."""
TREND_LEAST = 2
"""Check-ins each of those weeks needs before a trend is said."""


@dataclass(frozen=True, slots=True)
class PhaseStep:
    number: int
    name: str
    current: bool
    done: bool


@dataclass(frozen=True, slots=True)
class Headline:
    """The picture at the top of the page, with its words."""

    days: tuple[date, ...]
    """The sparkline's days, the last ``SPARK_DAYS`` of the programme (fewer early on)."""
    worst: tuple[int | None, ...]
    """The worst pain of each of ``days`` (None: no check-in)."""
    latest: int | None
    """The latest worst pain reported (0-10), and its day."""
    latest_day: date | None
    latest_words: str
    trend: str
    """"down", "up", "steady" or "unknown"."""
    trend_words: str
    spark_desc: str
    """The sparkline in words, its text alternative."""
    phases: tuple[PhaseStep, ...]
    phase_words: str
    streak: int
    streak_words: str


def headline(progress: Progress, phases: Sequence[tuple[int, str]]) -> Headline:
    """The headline of ``progress``; ``phases`` are the protocol's (number, name) in order."""
    words = progress.words
    days = progress.days[-SPARK_DAYS:]
    reported = [d for d in progress.days if d.pain_worst is not None]
    last = reported[-1] if reported else None
    trend = pain_trend(progress.days)
    streak = checked_in_streak(progress.days)
    return Headline(
        tuple(d.day for d in days),
        tuple(d.pain_worst for d in days),
        None if last is None else last.pain_worst,
        None if last is None else last.day,
        _latest_words(words, last, progress.through),
        trend,
        words.say(f"progress.headline.trend_{trend}"),
        _spark_desc(words, days),
        _steps(phases, progress.programme.phase),
        _phase_words(words, progress, len(phases)),
        streak,
        words.say_count("progress.headline.streak", streak)
        if streak
        else words.say("progress.headline.streak_none"),
    )


def pain_trend(days: Sequence[DayRow]) -> str:
    """Which way worst pain goes: the last ``TREND_DAYS`` days' mean against the days before,
    a change of ``PAIN_TREND_POINTS`` or more; "unknown" with too few check-ins to say."""
    if not days:
        return "unknown"
    end = days[-1].day
    recent = _worst_between(days, end - timedelta(days=TREND_DAYS - 1), end)
    before_end = end - timedelta(days=TREND_DAYS)
    before = _worst_between(days, before_end - timedelta(days=TREND_DAYS - 1), before_end)
    if len(recent) < TREND_LEAST or len(before) < TREND_LEAST:
        return "unknown"
    change = mean(recent) - mean(before)
    if change <= -PAIN_TREND_POINTS:
        return "down"
    if change >= PAIN_TREND_POINTS:
        return "up"
    return "steady"


def _worst_between(days: Sequence[DayRow], first: date, last: date) -> list[int]:
    return [d.pain_worst for d in days if first <= d.day <= last and d.pain_worst is not None]


def checked_in_streak(days: Sequence[DayRow]) -> int:
    """Days checked in in a row, up to the last day; a last day without a check-in yet (today,
    not over) does not break the streak."""
    rows = list(days)
    if rows and not rows[-1].checked_in:
        rows.pop()
    streak = 0
    for d in reversed(rows):
        if not d.checked_in:
            break
        streak += 1
    return streak


def _latest_words(words: Words, last: DayRow | None, through: date) -> str:
    if last is None:
        return words.say("progress.headline.latest_none")
    if last.day == through:
        return words.say("progress.headline.latest_today")
    return words.say("progress.headline.latest", day=day_words(last.day))


def _phase_words(words: Words, progress: Progress, phases: int) -> str:
    """ "Phase 2 of 5: Foundation", with the hold the programme is in, if any."""
    values = {
        "phase": progress.programme.phase,
        "phases": phases,
        "name": progress.programme.phase_name,
    }
    hold = progress.hold
    if hold is None:
        return words.say("progress.headline.phase", **values)
    status = words.say(f"progress.chart.hold_{hold['status']}")
    return words.say("progress.headline.phase_held", status=status, **values)


def _spark_desc(words: Words, days: Sequence[DayRow]) -> str:
    reported = [d for d in days if d.pain_worst is not None]
    if not reported:
        return words.say("progress.headline.latest_none")
    first, last = reported[0], reported[-1]
    assert first.pain_worst is not None and last.pain_worst is not None
    return pain_change_words(words, first.pain_worst, last.pain_worst, first.day, last.day)


def _steps(phases: Sequence[tuple[int, str]], current: int) -> tuple[PhaseStep, ...]:
    return tuple(PhaseStep(n, name, n == current, n < current) for n, name in phases)
