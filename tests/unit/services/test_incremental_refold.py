"""The journal folds again only from the day that changed (``services.journal.folds``), and
stores what a process that kept nothing stores: the same state, the same decisions, the same
"today", whatever order the check-ins came in (replaced, late, with gaps)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from runrehab.adapters.documents import read_assessment, read_checkin
from runrehab.services.content import shipped_content
from runrehab.services.journal import folds
from runrehab.services.journal.programme import record_checkin, start_programme
from runrehab.services.journal.today import today_view
from tests.conftest import typical_doc
from tests.fakes import FakeUnitOfWork, FixedClock

START = date(2026, 3, 2)
EXERCISES = ("quad-set", "straight-leg-raise", "clamshell", "glute-bridge")


def document(rng: random.Random, day: date) -> dict[str, Any]:
    worst = rng.choice((0, 1, 1, 2, 2, 3, 5, 7))
    return {
        "date": day.isoformat(),
        "pain": {"now": min(worst, 2), "at_rest": 0, "worst_24h": worst},
        "this_morning_vs_usual": rng.choice(("better", "same", "worse")),
        "exercises": [
            {"id": e, "sets": 3, "reps": 12, "max_pain": min(worst, 3)}
            for e in rng.sample(EXERCISES, 2)
        ],
    }


def reports(seed: int) -> list[dict[str, Any]]:
    """Thirty days reported mostly in order, some late, some sent twice, some never."""
    rng = random.Random(seed)
    days = [START + timedelta(days=n) for n in range(30) if rng.random() < 0.85]
    late = rng.sample(days, 5)
    sent = [d for d in days if d not in late]
    for d in late:
        sent.insert(rng.randrange(sent.index(d) if d in sent else len(sent), len(sent) + 1), d)
    sent += rng.sample(days, 6)  # replaced
    return [document(rng, d) for d in sent]


def journal(sent: list[dict[str, Any]], keep: bool) -> list[Any]:
    """What the journal holds after each report (state and decisions), and the last "today"."""
    content, clock, uow = shipped_content(), FixedClock(), FakeUnitOfWork()
    doc = typical_doc()
    start_programme(uow, clock, content, doc, read_assessment(doc), START, "runner")
    held: list[Any] = []
    for report in sent:
        if not keep:
            folds.FOLDS.clear()
        record_checkin(uow, clock, content, report, read_checkin(report), "runner")
        clock.advance(minutes=5)
        with uow:
            programme = uow.repo.current_programme("runner")
            assert programme is not None
            decisions = uow.repo.decisions(programme.id)
            held.append((programme.state, [replace(d, programme_id="") for d in decisions]))
    if not keep:
        folds.FOLDS.clear()
    today = today_view(uow, content, START + timedelta(days=30), "runner")
    today["programme"].pop("id")  # a new programme each time: its id differs
    return [*held, today]


@pytest.mark.parametrize("seed", range(6))
def test_keeping_the_folds_stores_what_folding_from_the_first_day_stores(seed: int) -> None:
    sent = reports(seed)
    assert journal(sent, keep=True) == journal(sent, keep=False)


def test_a_replaced_check_in_refolds_from_its_day() -> None:
    """With the folds kept, a check-in sent again for an earlier day steps the days from that
    day on: the decisions before it are the kept ones (the same objects)."""
    content, clock, uow = shipped_content(), FixedClock(), FakeUnitOfWork()
    doc = typical_doc()
    started = start_programme(uow, clock, content, doc, read_assessment(doc), START, "runner")
    rng = random.Random(1)
    for n in range(20):
        report = document(rng, START + timedelta(days=n))
        record_checkin(uow, clock, content, report, read_checkin(report), "runner")
    kept = folds.FOLDS.get(started.programme, content.protocol)
    assert kept is not None and len(kept.decisions) == 20
    report = document(rng, START + timedelta(days=12))
    report["pain"] = {"now": 6, "at_rest": 3, "worst_24h": 8}
    record_checkin(uow, clock, content, report, read_checkin(report), "runner")
    again = folds.FOLDS.get(started.programme, content.protocol)
    assert again is not None
    assert all(a is b for a, b in zip(again.decisions[:12], kept.decisions[:12], strict=True))
    assert again.decisions[12] != kept.decisions[12]


def test_days_without_a_report_are_folded_and_kept_as_from_the_first_day() -> None:
    """A check-in after weeks without one folds the days between (a stalled phase refers the
    runner on one of them), sent late and replaced ones too."""
    rng = random.Random(5)
    days = [0, 1, 2, 25, 26, 10, 1, 27]
    sent = [document(rng, START + timedelta(days=n)) for n in days]
    assert journal(sent, keep=True) == journal(sent, keep=False)
