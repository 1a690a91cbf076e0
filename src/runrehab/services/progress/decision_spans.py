"""The report's decisions, folded for a physiotherapist: a run of consecutive identical
decisions is one row with its first and last day, and the days the programme carried on
applying the same rule (a dose step, a hold's daily reminder) are one row with their days; and
the rules the report cites, each once.

Pure: read from a ``Progress`` (``figures``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from runrehab.content import locale
from runrehab.content.words import Words
from runrehab.services.progress.figures import DecisionRow, Progress, action_words


@dataclass(frozen=True, slots=True)
class DecisionSpan:
    """Decisions folded into one row, with the last day's reasons: a run of consecutive
    identical ones (the same action, phase, rung and rules), or every day the programme
    carried on applying the same rules (a dose step, the daily reminder of a hold)."""

    first: date
    last: date
    action: str
    words: str
    phase: int
    phase_name: str
    rung: int
    colours: tuple[tuple[str, int], ...]
    """(traffic light, days) in the row; days without a check-in carry none."""
    reasons: tuple[dict[str, Any], ...]
    dates: tuple[date, ...] = ()
    """Every day folded into the row."""
    phases: tuple[int, ...] = ()
    """The phases of those days."""

    @property
    def count(self) -> int:
        return len(self.dates)

    @property
    def contiguous(self) -> bool:
        """One unbroken range of days: its first and last day say them all."""
        return (self.last - self.first).days + 1 == len(self.dates)

    @property
    def phases_words(self) -> str:
        """The phases: "2", "1–4", or "1, 3" when not one run of numbers."""
        first, last = self.phases[0], self.phases[-1]
        if len(self.phases) == 1:
            return str(first)
        if last - first + 1 == len(self.phases):
            return f"{first}–{last}"
        return ", ".join(map(str, self.phases))

    @property
    def dates_words(self) -> str:
        """The days, month by month: "03, 09, 11 Mar; 02 Apr"."""
        return days_by_month(self.dates)


def days_by_month(days: Sequence[date]) -> str:
    """Days month by month, as a report lists them: "03, 09, 11 Mar; 02 Apr"."""
    months: dict[str, list[str]] = {}
    for day in days:
        months.setdefault(locale.month_text(day), []).append(f"{day:%d}")
    return "; ".join(f"{', '.join(numbers)} {month}" for month, numbers in months.items())


@dataclass(frozen=True, slots=True)
class SourceRow:
    rule: str
    title: str
    source: str


# --- folding ----------------------------------------------------------------------------------


def _noteworthy(d: DecisionRow) -> bool:
    return d.action != "continue" or bool(d.reasons)


def quiet_days(progress: Progress) -> int:
    noted = {d.day for d in progress.decisions if _noteworthy(d)}
    return sum(1 for d in progress.days if d.checked_in and d.day not in noted)


def decision_spans(progress: Progress) -> tuple[DecisionSpan, ...]:
    """The decisions worth a row, in the order of their first day. A run of consecutive
    identical decisions (the same action, phase, rung and rules; any other decision between
    breaks it) is one row with its first and last day; the days the programme carried on
    applying the same rules are one row with their days. Each row counts its traffic lights
    and shows its last day's reasons."""
    runs: list[list[DecisionRow]] = []
    carried: dict[tuple[str, ...], list[DecisionRow]] = {}
    previous: DecisionRow | None = None
    for d in progress.decisions:
        if not _noteworthy(d):
            pass
        elif d.action == "continue":
            rules = _rules(d)
            if rules in carried:
                carried[rules].append(d)
            else:
                carried[rules] = [d]
                runs.append(carried[rules])
        elif previous is not None and _key(previous) == _key(d):
            runs[-1].append(d)
        else:
            runs.append([d])
        previous = d
    return tuple(_span(progress.words, run) for run in runs)


def _rules(d: DecisionRow) -> tuple[str, ...]:
    return tuple(r["rule"] for r in d.reasons)


def _key(d: DecisionRow) -> tuple[object, ...]:
    return (d.action, d.phase, d.rung, _rules(d))


def _span(words: Words, run: list[DecisionRow]) -> DecisionSpan:
    first, last = run[0], run[-1]
    colours = Counter(d.colour for d in run if d.colour is not None)
    return DecisionSpan(
        first.day,
        last.day,
        last.action,
        action_words(words, last.action).capitalize(),
        last.phase,
        last.phase_name,
        last.rung,
        tuple(sorted(colours.items(), key=lambda c: ("green", "amber", "red").index(c[0]))),
        last.reasons,
        tuple(d.day for d in run),
        tuple(sorted({d.phase for d in run})),
    )


# --- sources ------------------------------------------------------------------------------------


def cited_rules(progress: Progress, spans: Sequence[DecisionSpan]) -> tuple[SourceRow, ...]:
    """Every rule the report cites, once, in the order it first appears: the assessment's,
    the hold's, then the decisions'."""
    cited: list[dict[str, Any]] = []
    triage = progress.triage
    if triage is not None:
        cited += [*triage.reasons, *triage.pathway_reasons]
    if progress.hold is not None:
        cited += progress.hold["reasons"]
    cited += [r for s in spans for r in s.reasons]
    seen: dict[str, SourceRow] = {}
    for r in cited:
        seen.setdefault(r["rule"], SourceRow(r["rule"], r["title"], r["source"]))
    return tuple(seen.values())
