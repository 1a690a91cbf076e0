"""Outcome questionnaires: scoring the answers, checking them, saying which are due, adherence.

The Kujala anterior knee pain scale (digest 5.1) is 13 choice items whose points sum to a
0-100 total (100 = no problem); the weekly pain report is the usual and the worst knee pain of
the past week, each 0-10. Both feed the "no improvement after six weeks" rule (digest 14(a) R7,
``runrehab.engine.progression``). The fear-of-movement screen is RunRehab's own three
statements, 0-12 (higher is more worry; [M], unvalidated): it only prompts a clinician's help
(``runrehab.engine.fear_screen``). The items themselves are data (``questionnaires.toml``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from runrehab.engine.checkin import Checkin
from runrehab.engine.outcomes import FearScreen, KujalaScore, Outcomes, WeeklyPain
from runrehab.engine.protocol import Settings
from runrehab.errors import Problem

KUJALA = "kujala"
WEEKLY_PAIN = "weekly_pain"
FEAR_OF_MOVEMENT = "fear_of_movement"


@dataclass(frozen=True, slots=True)
class Option:
    id: str
    label: str
    points: int


@dataclass(frozen=True, slots=True)
class Item:
    """A choice item (``options``) or, without options, a whole number from ``low`` to ``high``."""

    id: str
    question: str
    options: tuple[Option, ...] = ()
    low: int = 0
    high: int = 10

    @property
    def is_choice(self) -> bool:
        return bool(self.options)

    @property
    def max_points(self) -> int:
        return max(o.points for o in self.options) if self.options else self.high

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


@dataclass(frozen=True, slots=True)
class Instrument:
    """A questionnaire. Its score is the sum of the chosen options' points, or, when
    ``score_item`` is set, the value given to that item (the weekly report scores worst pain)."""

    id: str
    name: str
    items: tuple[Item, ...]
    score_item: str | None = None

    def item(self, item_id: str) -> Item | None:
        return next((i for i in self.items if i.id == item_id), None)

    @property
    def max_score(self) -> int:
        if self.score_item is not None:
            item = self.item(self.score_item)
            return item.high if item is not None else 0
        return sum(i.max_points for i in self.items)


# --- checking and scoring ---------------------------------------------------------------------


def check_answers(answers: object, instrument: Instrument) -> tuple[Problem, ...]:
    """Everything wrong with ``answers`` (item id -> option id, or -> a number for a scale
    item), each at its JSON path: a missing item, an unknown item, an unknown option."""
    if not isinstance(answers, Mapping):
        return (Problem("$.answers", "must be an object of item id -> answer"),)
    problems = [_check_item(item, answers) for item in instrument.items]
    known = {i.id for i in instrument.items}
    unknown = [
        Problem(f"$.answers.{key}", f"not a question of {instrument.name}")
        for key in answers
        if key not in known
    ]
    return (*(p for p in problems if p is not None), *unknown)


def _check_item(item: Item, answers: Mapping[object, object]) -> Problem | None:
    at = f"$.answers.{item.id}"
    if item.id not in answers:
        return Problem(at, f"missing: {_expected(item)}")
    value = answers[item.id]
    if item.is_choice:
        if not isinstance(value, str) or item.option(value) is None:
            return Problem(at, f"{value!r} is not an answer to this question: {_expected(item)}")
        return None
    # bool is an int in Python, but true/false is not a pain score
    if isinstance(value, bool) or not isinstance(value, int) or not item.low <= value <= item.high:
        return Problem(at, f"{value!r} is not {_expected(item)}")
    return None


def _expected(item: Item) -> str:
    if item.is_choice:
        return "one of " + ", ".join(o.id for o in item.options)
    return f"a whole number from {item.low} to {item.high}"


def score_answers(answers: Mapping[str, object], instrument: Instrument) -> int:
    """The instrument's score. The answers must have passed :func:`check_answers`."""
    problems = check_answers(answers, instrument)
    if problems:
        raise ValueError(f"answers to score must be valid: {problems[0]}")
    if instrument.score_item is not None:
        value = answers[instrument.score_item]
        assert isinstance(value, int)  # checked above
        return value
    return sum(_points(item, answers[item.id]) for item in instrument.items)


def _points(item: Item, value: object) -> int:
    option = item.option(str(value))
    assert option is not None  # checked by score_answers
    return option.points


def score_kujala(answers: Mapping[str, str], instrument: Instrument) -> int:
    """The Kujala total, 0-100 (100 = no problem): the sum of the chosen options' points."""
    return score_answers(answers, instrument)


# --- what is due ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Due:
    """A questionnaire to answer: due since ``since``; ``last`` is the previous answer, if any
    (None: this one is the baseline the later ones are compared with)."""

    instrument: str
    since: date
    last: date | None

    @property
    def baseline(self) -> bool:
        return self.last is None


def due_questionnaires(
    programme_started: date, outcomes: Outcomes, day: date, settings: Settings
) -> tuple[Due, ...]:
    """The questionnaires due on ``day``: each from the programme's first day when it has no
    answer yet, then every ``kujala_every_days`` (Kujala), ``weekly_pain_every_days`` (weekly
    pain) or ``fear_screen_again_days`` (the fear-of-movement screen: at the start, then at
    week 6) days after the last answer. Answers from before the programme started belong to an
    earlier programme and do not count."""
    if day < programme_started:
        return ()
    return _due_on(
        _answered(outcomes.until(day), programme_started), programme_started, day, settings
    )


def falling_due(
    programme_started: date, outcomes: Outcomes, first: date, days: int, settings: Settings
) -> tuple[tuple[date, tuple[Due, ...]], ...]:
    """The questionnaires falling due on each of the ``days`` days from ``first``, by the rule of
    :func:`due_questionnaires`, assuming each is answered on the day it is listed (an overdue one
    is listed on ``first``). Only the days with something due are given, in date order.

    Example: a programme starting on day 1 with nothing answered lists all three questionnaires
    on day 1, the weekly pain on days 8, 15, ..., Kujala on days 15, 29, 43, ..., and the
    fear-of-movement screen again on day 43 (week 6)."""
    answered = _answered(outcomes.until(first), programme_started)
    found = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        if day < programme_started:
            continue
        due = _due_on(answered, programme_started, day, settings)
        for d in due:
            answered[d.instrument].append(day)
        if due:
            found.append((day, due))
    return tuple(found)


def _answered(outcomes: Outcomes, start: date) -> dict[str, list[date]]:
    """The days each questionnaire was answered in the programme that began on ``start``."""
    reports: dict[str, tuple[KujalaScore | WeeklyPain | FearScreen, ...]] = {
        KUJALA: outcomes.kujala,
        WEEKLY_PAIN: outcomes.weekly_pain,
        FEAR_OF_MOVEMENT: outcomes.fear_of_movement,
    }
    return {k: [r.date for r in found if r.date >= start] for k, found in reports.items()}


def _due_on(
    answered: Mapping[str, list[date]], start: date, day: date, settings: Settings
) -> tuple[Due, ...]:
    every = {
        KUJALA: settings.kujala_every_days,
        WEEKLY_PAIN: settings.weekly_pain_every_days,
        FEAR_OF_MOVEMENT: settings.fear_screen_again_days,
    }
    candidates = (_due(k, answered[k], start, every[k], day) for k in every)
    return tuple(d for d in candidates if d is not None)


def _due(instrument: str, dates: list[date], start: date, every: int, day: date) -> Due | None:
    last = max(dates, default=None)
    since = start if last is None else last + timedelta(days=every)
    return Due(instrument, since, last) if since <= day else None


# --- adherence --------------------------------------------------------------------------------


def adherence(checkins: Iterable[Checkin], start: date, through: date) -> float | None:
    """The share of the days from ``start`` to ``through`` (both included) on which the runner
    trained: exercises, a run or cross-training logged (each day's session is one of these, as
    strength work is kept off run days). None when the range holds no day. A day without a log
    is not a failure: this is only a ratio for reports and for the R7 rule's detail."""
    days = (through - start).days + 1
    if days <= 0:
        return None
    logged = {c.date for c in checkins if trained(c) and start <= c.date <= through}
    return len(logged) / days


def trained(c: Checkin) -> bool:
    """True when the check-in logs any of the day's training."""
    return any(e.sets > 0 for e in c.exercises) or c.run is not None or bool(c.cross_training)
