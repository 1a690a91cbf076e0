"""The fear-of-movement screen ([M], RunRehab's own three questions): its score, when it is high,
when it is due (the start and week 6), on which days the plan lists each questionnaire, and the
prompt to get help, which only a high latest screen gives."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from runrehab.content.loader import Catalogue, engine_instrument
from runrehab.engine.fear_screen import FEAR_HIGH, fear_prompt, is_high, latest_screen
from runrehab.engine.outcomes import FearScreen, KujalaScore, Outcomes, WeeklyPain
from runrehab.engine.protocol import Settings
from runrehab.engine.questionnaire import (
    FEAR_OF_MOVEMENT,
    KUJALA,
    WEEKLY_PAIN,
    Instrument,
    check_answers,
    due_questionnaires,
    falling_due,
    score_answers,
)

D0 = date(2026, 12, 1)
S = Settings()
ITEMS = ("worry_damage", "pain_means_harm", "avoid_for_fear")
AGREEMENT = ("not_at_all", "a_little", "somewhat", "mostly", "completely")


def day(n: int) -> date:
    """Programme day ``n`` (day 1 is the first)."""
    return D0 + timedelta(days=n - 1)


def screens(*scores: tuple[int, int]) -> Outcomes:
    return Outcomes(fear_of_movement=tuple(FearScreen(day(n), s) for n, s in scores))


@pytest.fixture(scope="module")
def screen(catalogue: Catalogue) -> Instrument:
    return engine_instrument(catalogue.questionnaires[FEAR_OF_MOVEMENT])


# --- scoring and the threshold ------------------------------------------------------------------


def test_three_statements_each_agreed_with_from_0_to_4_sum_to_0_to_12(screen: Instrument) -> None:
    assert tuple(i.id for i in screen.items) == ITEMS
    for item in screen.items:
        assert [(o.id, o.points) for o in item.options] == list(
            zip(AGREEMENT, range(5), strict=True)
        )
    assert screen.max_score == 12
    assert score_answers(dict.fromkeys(ITEMS, "not_at_all"), screen) == 0
    assert score_answers(dict.fromkeys(ITEMS, "completely"), screen) == 12
    worked = {"worry_damage": "mostly", "pain_means_harm": "somewhat", "avoid_for_fear": "mostly"}
    assert score_answers(worked, screen) == 8


def test_the_screen_is_marked_as_the_products_own_and_unverified(catalogue: Catalogue) -> None:
    q = catalogue.questionnaires[FEAR_OF_MOVEMENT]
    assert q.sources == ["product"]
    assert "[M]" in q.licence_note and "RunRehab's own" in q.licence_note
    notes = catalogue.protocol.settings.notes
    assert notes["fear_screen_high_from"].startswith("[M]")
    assert notes["fear_screen_again_days"].startswith("[M]")
    assert catalogue.rules[FEAR_HIGH].unverified_numbers
    assert "[M]" in catalogue.rules[FEAR_HIGH].why


def test_high_from_the_setting_and_the_setting_can_move() -> None:
    assert S.fear_screen_high_from == 8
    assert not is_high(7, S) and is_high(8, S) and is_high(12, S)
    assert is_high(6, Settings(fear_screen_high_from=6))


def test_a_bad_answer_names_the_item(screen: Instrument) -> None:
    answers = {"worry_damage": "sometimes", "pain_means_harm": "mostly"}
    problems = {p.path: p.message for p in check_answers(answers, screen)}
    assert set(problems) == {"$.answers.worry_damage", "$.answers.avoid_for_fear"}
    assert "'sometimes'" in problems["$.answers.worry_damage"]
    assert "not_at_all" in problems["$.answers.avoid_for_fear"]
    assert "missing" in problems["$.answers.avoid_for_fear"]


# --- when it is due -----------------------------------------------------------------------------


def _due(outcomes: Outcomes, n: int, settings: Settings = S) -> dict[str, date]:
    return {d.instrument: d.since for d in due_questionnaires(D0, outcomes, day(n), settings)}


def test_due_at_the_start_then_again_at_week_6() -> None:
    assert _due(Outcomes(), 1)[FEAR_OF_MOVEMENT] == day(1)
    answered = screens((1, 5))
    assert all(FEAR_OF_MOVEMENT not in _due(answered, n) for n in range(1, 43))
    assert _due(answered, 43)[FEAR_OF_MOVEMENT] == day(43)  # day 43: the start of week 7
    assert _due(answered, 50)[FEAR_OF_MOVEMENT] == day(43)  # asked for until answered
    again = screens((1, 5), (43, 4))
    assert FEAR_OF_MOVEMENT not in _due(again, 84)
    assert _due(again, 85)[FEAR_OF_MOVEMENT] == day(85)


def test_the_interval_is_a_setting_and_counts_from_the_last_answer() -> None:
    late = screens((3, 5))  # the intake's screen answered on day 3
    assert _due(late, 45)[FEAR_OF_MOVEMENT] == day(45)
    assert FEAR_OF_MOVEMENT not in _due(late, 44)
    assert _due(late, 17, Settings(fear_screen_again_days=14))[FEAR_OF_MOVEMENT] == day(17)


def test_a_screen_from_an_earlier_programme_does_not_count() -> None:
    before = Outcomes(fear_of_movement=(FearScreen(D0 - timedelta(days=10), 2),))
    assert _due(before, 1)[FEAR_OF_MOVEMENT] == D0


# --- on which days each falls due (the plan) ----------------------------------------------------


def _listed(outcomes: Outcomes, first: int, days: int) -> dict[int, set[str]]:
    found = falling_due(D0, outcomes, day(first), days, S)
    return {(d - D0).days + 1: {x.instrument for x in due} for d, due in found}


def test_the_plan_lists_the_screen_on_day_1_and_day_43() -> None:
    listed = _listed(Outcomes(), 1, 12 * 7)
    assert [n for n, due in listed.items() if FEAR_OF_MOVEMENT in due] == [1, 43]
    assert listed[1] == {KUJALA, WEEKLY_PAIN, FEAR_OF_MOVEMENT}
    assert [n for n, due in listed.items() if KUJALA in due] == [1, 15, 29, 43, 57, 71]
    assert [n for n, due in listed.items() if WEEKLY_PAIN in due] == list(range(1, 85, 7))
    assert listed[43] == {KUJALA, WEEKLY_PAIN, FEAR_OF_MOVEMENT}
    assert 2 not in listed


def test_the_plan_starts_from_the_real_answers_and_lists_an_overdue_one_first() -> None:
    answered = Outcomes(
        (KujalaScore(day(1), 60),), (WeeklyPain(day(1), 3, 5),), (FearScreen(day(1), 9),)
    )
    listed = _listed(answered, 40, 10)
    assert listed[40] == {KUJALA, WEEKLY_PAIN}  # overdue since days 15 and 8: listed first
    assert listed[43] == {FEAR_OF_MOVEMENT}
    overdue = _listed(Outcomes((KujalaScore(day(1), 60),), (WeeklyPain(day(1), 3, 5),)), 20, 30)
    assert FEAR_OF_MOVEMENT in overdue[20]  # never answered: listed on the first day shown
    assert [n for n, due in overdue.items() if FEAR_OF_MOVEMENT in due] == [20]


def test_the_plan_follows_the_due_rule_day_by_day() -> None:
    """One rule: answering each questionnaire on the day ``due_questionnaires`` asks for it
    gives exactly the days ``falling_due`` lists."""
    outcomes = Outcomes()
    asked: dict[int, set[str]] = {}
    for n in range(1, 100):
        due = {d.instrument for d in due_questionnaires(D0, outcomes, day(n), S)}
        if due:
            asked[n] = due
        outcomes = Outcomes(
            (*outcomes.kujala, *((KujalaScore(day(n), 50),) if KUJALA in due else ())),
            (*outcomes.weekly_pain, *((WeeklyPain(day(n), 3, 5),) if WEEKLY_PAIN in due else ())),
            (
                *outcomes.fear_of_movement,
                *((FearScreen(day(n), 4),) if FEAR_OF_MOVEMENT in due else ()),
            ),
        )
    assert _listed(Outcomes(), 1, 99) == asked


def test_nothing_falls_due_before_the_programme() -> None:
    found = falling_due(D0, Outcomes(), D0 - timedelta(days=3), 4, S)
    assert [d for d, _ in found] == [D0]


# --- the prompt ---------------------------------------------------------------------------------


@pytest.mark.fires("fear-of-movement-high")
def test_a_high_screen_prompts_with_its_rule_and_the_score() -> None:
    reason = fear_prompt(screens((1, 9)), D0, day(1), S)
    assert reason is not None
    assert reason.rule == FEAR_HIGH == "fear-of-movement-high"
    assert "scored 9" in reason.detail and "8 or more" in reason.detail
    assert fear_prompt(screens((1, 8)), D0, day(20), S) is not None  # until the next screen


def test_a_low_screen_or_none_gives_no_prompt() -> None:
    assert fear_prompt(Outcomes(), D0, day(1), S) is None
    assert fear_prompt(screens((1, 7)), D0, day(1), S) is None
    assert fear_prompt(screens((1, 0)), D0, day(30), S) is None


def test_only_the_latest_screen_counts() -> None:
    better = screens((1, 10), (43, 5))
    assert fear_prompt(better, D0, day(42), S) is not None
    assert fear_prompt(better, D0, day(43), S) is None
    worse = screens((1, 3), (43, 11))
    assert fear_prompt(worse, D0, day(42), S) is None
    assert fear_prompt(worse, D0, day(43), S) is not None


def test_screens_after_the_day_or_before_the_programme_do_not_prompt() -> None:
    later = screens((5, 12))
    assert fear_prompt(later, D0, day(4), S) is None
    old = Outcomes(fear_of_movement=(FearScreen(D0 - timedelta(days=1), 12),))
    assert latest_screen(old, D0, day(10)) is None
    assert fear_prompt(old, D0, day(10), S) is None


def test_the_threshold_of_the_prompt_is_the_setting() -> None:
    assert fear_prompt(screens((1, 6)), D0, day(1), Settings(fear_screen_high_from=6)) is not None
