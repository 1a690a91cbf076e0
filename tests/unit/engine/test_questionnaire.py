"""Outcome questionnaires (digest 5.1): Kujala scoring, answer checks, what is due, adherence."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from runrehab.content.loader import Catalogue, engine_instrument
from runrehab.engine.checkin import Checkin, CheckinPain, ExerciseLog, Morning, RunLog
from runrehab.engine.outcomes import FearScreen, KujalaScore, Outcomes, WeeklyPain
from runrehab.engine.protocol import Settings
from runrehab.engine.questionnaire import (
    Instrument,
    adherence,
    check_answers,
    due_questionnaires,
    score_answers,
    score_kujala,
)

D0 = date(2026, 12, 1)
ITEMS = (
    "limp",
    "support",
    "walking",
    "stairs",
    "squatting",
    "running",
    "jumping",
    "sitting",
    "pain",
    "swelling",
    "kneecap_movements",
    "thigh_wasting",
    "bending",
)
WORKED = {
    "limp": "no",  # 5
    "support": "yes_with_pain",  # 3
    "walking": "as_far_as_i_like",  # 5
    "stairs": "pain_down_and_up",  # 5
    "squatting": "hurts_every_time",  # 3
    "running": "severe_pain",  # 3
    "jumping": "hurts_every_time",  # 2
    "sitting": "always_hurts",  # 6
    "pain": "disturbs_sleep",  # 6
    "swelling": "no",  # 10
    "kneecap_movements": "no",  # 10
    "thigh_wasting": "no",  # 5
    "bending": "yes",  # 5
}


def day(n: int) -> date:
    return D0 + timedelta(days=n)


@pytest.fixture(scope="module")
def kujala(catalogue: Catalogue) -> Instrument:
    return engine_instrument(catalogue.questionnaires["kujala"])


@pytest.fixture(scope="module")
def weekly(catalogue: Catalogue) -> Instrument:
    return engine_instrument(catalogue.questionnaires["weekly_pain"])


def _pick(instrument: Instrument, best: bool) -> dict[str, str]:
    pick = max if best else min
    return {i.id: pick(i.options, key=lambda o: o.points).id for i in instrument.items}


# --- the scale ----------------------------------------------------------------------------------


def test_kujala_has_the_13_items_with_maxima_summing_to_100(kujala: Instrument) -> None:
    assert tuple(i.id for i in kujala.items) == ITEMS
    maxima = {i.id: i.max_points for i in kujala.items}
    assert maxima["stairs"] == 10 and maxima["limp"] == 5 and maxima["bending"] == 5
    assert sum(maxima.values()) == kujala.max_score == 100


def test_items_12_and_13_ask_for_the_persons_own_view(catalogue: Catalogue) -> None:
    items = {i.id: i for i in catalogue.questionnaires["kujala"].item}
    assert "look thinner" in items["thigh_wasting"].question
    assert "own view" in items["thigh_wasting"].note
    assert "own view" in items["bending"].note


def test_the_licence_question_is_written_down(catalogue: Catalogue) -> None:
    note = catalogue.questionnaires["kujala"].licence_note
    assert "unclear" in note.lower() and "legal check" in note and "pending" in note


def test_all_best_scores_100_and_all_worst_0(kujala: Instrument) -> None:
    assert score_kujala(_pick(kujala, best=True), kujala) == 100
    assert score_kujala(_pick(kujala, best=False), kujala) == 0


def test_a_worked_example(kujala: Instrument) -> None:
    assert score_kujala(WORKED, kujala) == 68


def test_the_weekly_report_scores_the_worst_pain(weekly: Instrument) -> None:
    assert score_answers({"usual": 3, "worst": 6}, weekly) == 6
    assert weekly.max_score == 10


# --- checking answers ---------------------------------------------------------------------------


def test_valid_answers_have_no_problems(kujala: Instrument, weekly: Instrument) -> None:
    assert check_answers(WORKED, kujala) == ()
    assert check_answers({"usual": 0, "worst": 10}, weekly) == ()


def test_a_missing_item_is_named_by_its_path(kujala: Instrument) -> None:
    answers = {k: v for k, v in WORKED.items() if k != "stairs"}
    (problem,) = check_answers(answers, kujala)
    assert problem.path == "$.answers.stairs"
    assert "missing" in problem.message and "no_trouble" in problem.message


def test_an_unknown_item_and_an_unknown_option_are_named(kujala: Instrument) -> None:
    answers = {**WORKED, "limp": "sometimes", "colour": "blue"}
    problems = {p.path: p.message for p in check_answers(answers, kujala)}
    assert set(problems) == {"$.answers.limp", "$.answers.colour"}
    assert "'sometimes'" in problems["$.answers.limp"]


def test_answers_that_are_not_an_object_are_refused(kujala: Instrument) -> None:
    (problem,) = check_answers(["no"], kujala)
    assert problem.path == "$.answers"


@pytest.mark.parametrize("value", [-1, 11, 2.5, "3", True, None])
def test_a_pain_score_must_be_a_whole_number_0_to_10(weekly: Instrument, value: object) -> None:
    (problem,) = check_answers({"usual": 2, "worst": value}, weekly)
    assert problem.path == "$.answers.worst"


def test_invalid_answers_are_never_scored(kujala: Instrument) -> None:
    with pytest.raises(ValueError, match=r"\$\.answers\.limp"):
        score_kujala({**WORKED, "limp": "often"}, kujala)


# --- what is due --------------------------------------------------------------------------------


DEFAULTS = Settings()
SCREENED = (FearScreen(D0, 3),)  # the worry check answered on the first day


def _due(outcomes: Outcomes, n: int, settings: Settings = DEFAULTS) -> dict[str, date]:
    return {d.instrument: d.since for d in due_questionnaires(D0, outcomes, day(n), settings)}


def test_all_are_due_from_the_first_day_without_a_baseline() -> None:
    due = due_questionnaires(D0, Outcomes(), day(0), Settings())
    assert [(d.instrument, d.since, d.baseline) for d in due] == [
        ("kujala", D0, True),
        ("weekly_pain", D0, True),
        ("fear_of_movement", D0, True),
    ]
    still = {"kujala": D0, "weekly_pain": D0, "fear_of_movement": D0}
    assert _due(Outcomes(), 5) == still  # still due, since day 1


def test_nothing_is_due_before_the_programme_starts() -> None:
    assert due_questionnaires(D0, Outcomes(), day(-1), Settings()) == ()


def test_kujala_every_14_days_and_weekly_pain_every_7_after_the_last() -> None:
    answered = Outcomes((KujalaScore(day(0), 60),), (WeeklyPain(day(0), 3, 6),), SCREENED)
    assert _due(answered, 0) == {}
    assert _due(answered, 6) == {}
    assert _due(answered, 7) == {"weekly_pain": day(7)}
    assert _due(answered, 14) == {"kujala": day(14), "weekly_pain": day(7)}
    later = replace(answered, weekly_pain=(*answered.weekly_pain, WeeklyPain(day(9), 3, 5)))
    assert _due(later, 15) == {"kujala": day(14)}
    assert _due(later, 16) == {"kujala": day(14), "weekly_pain": day(16)}


def test_the_intervals_are_settings() -> None:
    answered = Outcomes((KujalaScore(day(0), 60),), (WeeklyPain(day(0), 3, 6),), SCREENED)
    settings = Settings(kujala_every_days=7, weekly_pain_every_days=3)
    assert _due(answered, 3, settings) == {"weekly_pain": day(3)}
    assert _due(answered, 7, settings) == {"kujala": day(7), "weekly_pain": day(3)}


def test_answers_after_the_day_or_before_the_programme_do_not_count() -> None:
    outcomes = Outcomes((KujalaScore(day(-30), 50), KujalaScore(day(3), 60)), ())
    due = {d.instrument: d for d in due_questionnaires(D0, outcomes, day(1), Settings())}
    assert due["kujala"].baseline and due["kujala"].since == D0
    assert "kujala" not in _due(outcomes, 3)


# --- adherence ----------------------------------------------------------------------------------


def _logged(n: int) -> Checkin:
    return Checkin(
        day(n), CheckinPain(1, 0, 1), Morning.SAME, exercises=(ExerciseLog("quad-set", 3),)
    )


def test_adherence_is_the_share_of_days_with_training_logged() -> None:
    checkins = [_logged(n) for n in (0, 1, 3)]
    assert adherence(checkins, D0, day(3)) == 0.75
    assert adherence(checkins, D0, day(0)) == 1.0
    assert adherence(checkins, D0, day(1)) == 1.0


def test_adherence_is_none_before_any_day_and_ignores_days_outside() -> None:
    assert adherence([_logged(0)], D0, day(-1)) is None
    assert adherence([_logged(-2), _logged(5)], D0, day(3)) == 0.0


def test_a_run_day_counts_as_training_but_a_pain_report_alone_does_not() -> None:
    run_only = Checkin(day(0), CheckinPain(1, 0, 1), Morning.SAME, run=RunLog(20, 1))
    pain_only = Checkin(day(1), CheckinPain(1, 0, 1), Morning.SAME)
    assert adherence([run_only, pain_only], D0, day(1)) == 0.5
