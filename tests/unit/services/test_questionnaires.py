"""Answering a questionnaire: checked before anything is written, stored, and folded into the
programme so that R7 (no improvement after six weeks) is applied on the day it was answered."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

import pytest

from runrehab.adapters.documents import read_assessment
from runrehab.engine.state import Action, Status
from runrehab.errors import InvalidDocument, JournalError
from runrehab.services.content import shipped_content
from runrehab.services.journal.programme import start_programme
from runrehab.services.journal.questionnaires import (
    questionnaire_view,
    questionnaires_due,
    read_answers,
    record_response,
    response_view,
)
from runrehab.services.views import jsonable
from tests.conftest import typical_doc
from tests.drivers import ServiceDriver
from tests.fakes import FakeUnitOfWork, FixedClock
from tests.simulation import Simulation, faithful

D0 = date(2026, 12, 1)
WEEK_6_DAY = 42
WEEK_6 = D0 + timedelta(days=WEEK_6_DAY)
WORST = {  # every item at its lowest: 0 points
    "limp": "always",
    "support": "no",
    "walking": "not_at_all",
    "stairs": "cannot",
    "squatting": "cannot",
    "running": "cannot",
    "jumping": "cannot",
    "sitting": "cannot",
    "pain": "severe_all_the_time",
    "swelling": "all_the_time",
    "kneecap_movements": "dislocated_more_than_twice",
    "thigh_wasting": "clearly",
    "bending": "much_less",
}
FAIR = {**WORST, "limp": "no", "support": "yes_with_pain", "walking": "over_2_km"}  # 11
CALM = {"worry_damage": "a_little", "pain_means_harm": "not_at_all", "avoid_for_fear": "a_little"}


@pytest.fixture
def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    doc = typical_doc()
    start_programme(uow, FixedClock(), shipped_content(), doc, read_assessment(doc), D0)
    return uow


def record(uow: FakeUnitOfWork, instrument: str, day: date, answers: dict[str, Any]) -> Any:
    return record_response(uow, FixedClock(), shipped_content(), instrument, day, answers, None)


def snapshot(uow: FakeUnitOfWork) -> Any:
    return copy.deepcopy((uow.repo.t.responses, uow.repo.t.programmes, uow.repo.t.decisions))


# --- refused answers write nothing --------------------------------------------------------------


@pytest.mark.parametrize(
    ("instrument", "answers", "path"),
    [
        ("kujala", {k: v for k, v in FAIR.items() if k != "stairs"}, "$.answers.stairs"),
        ("kujala", {**FAIR, "limp": "often"}, "$.answers.limp"),
        ("kujala", {**FAIR, "colour": "blue"}, "$.answers.colour"),
        ("weekly_pain", {"usual": 2, "worst": 11}, "$.answers.worst"),
        ("koos", {"usual": 2}, "$.instrument"),
    ],
)
def test_invalid_answers_write_nothing(
    uow: FakeUnitOfWork, instrument: str, answers: dict[str, Any], path: str
) -> None:
    before, commits = snapshot(uow), uow.commits
    with pytest.raises(InvalidDocument) as err:
        record(uow, instrument, D0, answers)
    assert err.value.kind == "questionnaire"
    assert path in {p.path for p in err.value.problems}
    assert snapshot(uow) == before
    assert uow.commits == commits


def test_an_answer_from_before_the_programme_is_refused(uow: FakeUnitOfWork) -> None:
    before = snapshot(uow)
    with pytest.raises(InvalidDocument) as err:
        record(uow, "weekly_pain", D0 - timedelta(days=1), {"usual": 2, "worst": 4})
    assert [p.path for p in err.value.problems] == ["$.date"]
    assert snapshot(uow) == before


def test_an_answers_document_has_answers_and_nothing_else() -> None:
    words = shipped_content().words
    assert read_answers({"answers": {"usual": 1}}, words) == {"usual": 1}
    with pytest.raises(InvalidDocument) as err:
        read_answers({"answer": {}}, words)
    assert [p.path for p in err.value.problems] == ["$.answers", "$.answer"]
    with pytest.raises(InvalidDocument):
        read_answers([], words)


# --- stored and scored --------------------------------------------------------------------------


def test_an_answer_is_scored_and_stored(uow: FakeUnitOfWork) -> None:
    response = record(uow, "kujala", D0, FAIR)
    assert response.score == 11
    assert response.instrument == "kujala"
    assert list(uow.repo.t.responses.values()) == [response]
    pain = record(uow, "weekly_pain", D0, {"usual": 3, "worst": 6})
    assert pain.score == 6 and pain.answers == {"usual": 3, "worst": 6}


def test_a_second_answer_on_the_same_day_replaces_the_first(uow: FakeUnitOfWork) -> None:
    record(uow, "kujala", D0, WORST)
    record(uow, "kujala", D0, FAIR)
    assert [r.score for r in uow.repo.t.responses.values()] == [11]


def lived_six_weeks(kujala_then: dict[str, str]) -> FakeUnitOfWork:
    """A runner who checks in every day, doing exactly the day's session without pain, with a
    Kujala answer on the first day and ``kujala_then`` on the last day of week 6."""
    driver = ServiceDriver()
    driver.start(typical_doc(), D0)
    driver.questionnaire("kujala", D0, FAIR)
    Simulation(driver, D0).live(WEEK_6_DAY, faithful(pain=0))
    driver.questionnaire("kujala", WEEK_6, kujala_then)
    return driver.uow


def test_no_improvement_at_week_six_refers_the_programme() -> None:
    uow = lived_six_weeks({**FAIR, "stairs": "slight_pain_going_down"})  # 11 -> 19
    (programme,) = uow.repo.t.programmes.values()
    assert programme.state.status is Status.REFERRED
    assert programme.state.evaluated_through == WEEK_6
    decision = uow.repo.decisions(programme.id)[-1]
    assert decision.day == WEEK_6 and decision.action is Action.REFER
    assert [r.rule for r in decision.reasons] == ["r7-no-improvement-6-weeks"]
    assert "Kujala 11 → 19 (+8" in decision.reasons[0].detail
    assert "training logged on" in decision.reasons[0].detail


def test_a_real_improvement_at_week_six_carries_on() -> None:
    better = {**FAIR, "stairs": "no_trouble", "running": "no_trouble"}  # 11 -> 31
    uow = lived_six_weeks(better)
    (programme,) = uow.repo.t.programmes.values()
    assert programme.state.status is Status.ACTIVE
    assert not any(
        r.rule.startswith("r7-") for d in uow.repo.decisions(programme.id) for r in d.reasons
    )


def test_the_answer_view_gives_the_change_and_the_decision(uow: FakeUnitOfWork) -> None:
    content = shipped_content()
    first = record(uow, "kujala", D0, FAIR)
    view = jsonable(response_view(uow, content, first))
    assert view["score"] == 11 and view["max_score"] == 100
    assert view["change"] is None and view["decision"] is None  # intake is not the answer's
    later = record(uow, "kujala", WEEK_6, {**FAIR, "stairs": "no_trouble", "running": "no_trouble"})
    view = jsonable(response_view(uow, content, later))
    assert view["change"] == {
        "baseline_date": D0.isoformat(),
        "baseline": 11,
        "change": 20,
        "mic": 10,
        "reaches_mic": True,
    }
    assert view["programme"]["status"] in {"active", "referred"}


def test_a_weekly_change_counts_a_drop_as_better(uow: FakeUnitOfWork) -> None:
    content = shipped_content()
    record(uow, "weekly_pain", D0, {"usual": 3, "worst": 6})
    later = record(uow, "weekly_pain", D0 + timedelta(days=7), {"usual": 2, "worst": 4})
    change = jsonable(response_view(uow, content, later))["change"]
    assert change["change"] == -2 and change["mic"] == 2 and change["reaches_mic"]


# --- showing and asking -------------------------------------------------------------------------


def test_due_view_asks_for_the_baselines_then_the_weekly_report(uow: FakeUnitOfWork) -> None:
    content = shipped_content()
    due = jsonable(questionnaires_due(uow, content, D0))["due"]
    assert [(d["instrument"], d["baseline"]) for d in due] == [
        ("kujala", True),
        ("weekly_pain", True),
        ("fear_of_movement", True),
    ]
    record(uow, "kujala", D0, FAIR)
    record(uow, "weekly_pain", D0, {"usual": 3, "worst": 6})
    record(uow, "fear_of_movement", D0, CALM)
    assert jsonable(questionnaires_due(uow, content, D0))["due"] == []
    (weekly,) = jsonable(questionnaires_due(uow, content, D0 + timedelta(days=9)))["due"]
    assert weekly["instrument"] == "weekly_pain" and weekly["overdue_days"] == 2


def test_due_view_needs_a_programme() -> None:
    with pytest.raises(JournalError):
        questionnaires_due(FakeUnitOfWork(), shipped_content(), D0)


def test_questionnaire_view_lists_items_and_options() -> None:
    view = jsonable(questionnaire_view(shipped_content(), "kujala"))
    assert len(view["items"]) == 13
    assert view["items"][0]["options"][0] == {
        "id": "no",
        "label": "No",
        "points": 5,
        "note": "",
    }
    assert "legal check" in view["licence_note"]
    scale = jsonable(questionnaire_view(shipped_content(), "weekly_pain"))["items"][1]
    assert (scale["id"], scale["kind"], scale["low"], scale["high"]) == ("worst", "scale", 0, 10)
    with pytest.raises(InvalidDocument):
        questionnaire_view(shipped_content(), "koos")
