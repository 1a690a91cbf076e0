"""The folds this process has made, kept per programme, so that the next one steps only the days
whose inputs changed (``progression.refold``): a replaced or late check-in refolds from its day,
and "today" from the day after the last one folded, in place of the programme's first.

A kept fold is only ever a shortcut: every fold compares the inputs it reads now (from the
database, as before) with those the kept one read, so what another process wrote is never
missed; and it is used only where its state on the stored day equals the stored state. The
number of programmes kept is bounded (least recently used go first).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from runrehab.engine.checkin import Checkin
from runrehab.engine.outcomes import Outcomes
from runrehab.engine.overrides import Override
from runrehab.engine.progression import Fold, first_change, refold
from runrehab.engine.protocol import Protocol
from runrehab.engine.state import Decision, ProgrammeState
from runrehab.services.lru import Lru
from runrehab.services.records import Programme

KEPT = 2048
"""How many programmes' folds a process keeps (about 30 KB each for 100 days)."""


class Folds:
    """Programme id → the last fold of it from its first day (with the protocol it used)."""

    def __init__(self, size: int = KEPT) -> None:
        self._kept: Lru[str, tuple[Protocol, Fold]] = Lru(size)

    def get(self, programme: Programme, protocol: Protocol) -> Fold | None:
        found = self._kept.peek(programme.id)
        if found is None:
            return None
        kept_protocol, fold = found
        if kept_protocol is not protocol or fold.begin != programme.start:
            return None
        return fold

    def put(self, programme: Programme, protocol: Protocol, fold: Fold) -> None:
        self._kept.put(programme.id, (protocol, fold))

    def clear(self) -> None:
        self._kept.clear()


FOLDS = Folds()


def fold_from_start(
    protocol: Protocol,
    programme: Programme,
    checkins: Sequence[Checkin],
    outcomes: Outcomes,
    overrides: Sequence[Override],
    through: date,
) -> Fold:
    """The programme folded from its first day through ``through`` (at least): from the kept
    fold where there is one, stepping only the days from the first whose inputs changed."""
    kept = FOLDS.get(programme, protocol)
    if kept is not None:
        last = kept.state.evaluated_through
        through = max(through, last) if last is not None else through
    fold = refold(kept, programme.start, checkins, protocol, through, outcomes, overrides)
    if fold is not kept:
        FOLDS.put(programme, protocol, fold)
    return fold


def fold_from_stored(
    protocol: Protocol,
    programme: Programme,
    checkins: Sequence[Checkin],
    outcomes: Outcomes,
    overrides: Sequence[Override],
    through: date,
) -> tuple[ProgrammeState, list[Decision]]:
    """``replay`` from the stored state (folded through ``done``, on or before ``through``)
    through ``through``: the kept fold's days when its state on ``done`` is the stored one,
    otherwise stepping the days since ``done``."""
    done = programme.state.evaluated_through
    kept = FOLDS.get(programme, protocol)
    if done is not None and kept is not None and kept.state_through(done) == programme.state:
        fold = fold_from_start(protocol, programme, checkins, outcomes, overrides, through)
        if fold.state_through(done) == programme.state:
            state = fold.state_through(through)
            if state is not None:
                return state, fold.between(done + timedelta(days=1), through)
    fold = refold(None, programme.state, checkins, protocol, through, outcomes, overrides)
    return fold.state, list(fold.decisions)


def refold_after(
    protocol: Protocol,
    programme: Programme,
    checkins: Sequence[Checkin],
    outcomes: Outcomes,
    overrides: Sequence[Override],
    changed: date,
) -> tuple[ProgrammeState, list[Decision], date]:
    """The fold a report for ``changed`` asks for: the state through ``changed`` (or the
    stored day, if later), the decisions of the days from the first one that changed, and
    that day (the stored decisions before it stand)."""
    done = programme.state.evaluated_through
    through = changed if done is None else max(done, changed)
    kept = FOLDS.get(programme, protocol)
    if kept is None and done is not None and changed > done:
        fold = refold(None, programme.state, checkins, protocol, through, outcomes, overrides)
        return fold.state, list(fold.decisions), fold.first_day  # the days since the stored one
    first = programme.started_on
    if kept is not None:
        moved = first_change(kept, _by_date(checkins), outcomes, tuple(overrides))
        # the days not stored yet, those whose inputs changed since the kept fold, the day
        # reported: stored again from the first of them
        unstored = first if done is None else done + timedelta(days=1)
        first = max(first, min(d for d in (unstored, changed, moved) if d is not None))
    fold = fold_from_start(protocol, programme, checkins, outcomes, overrides, through)
    state = fold.state_through(through)
    assert state is not None  # folded through ``through`` at least
    return state, fold.between(first, through), first


def _by_date(checkins: Sequence[Checkin]) -> tuple[Checkin, ...]:
    return tuple(sorted(checkins, key=lambda c: c.date))
