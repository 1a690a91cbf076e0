"""No improvement after six weeks, or worse two weeks running, sends the runner to a clinician
(digest 14(a) R7): Kujala gain < 10 or worst-pain drop < 2 (Crossley 2004), judged on the days
a questionnaire is answered, never from a missing answer."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from runrehab.content import loader
from runrehab.engine.checkin import Checkin, CheckinPain, ExerciseLog, Morning
from runrehab.engine.outcomes import KujalaScore, Outcomes, WeeklyPain
from runrehab.engine.pathway import PathwayChoice
from runrehab.engine.progression import replay, start_state, step_day
from runrehab.engine.protocol import Protocol
from runrehab.engine.questionnaire import score_kujala
from runrehab.engine.state import Action, Decision, ProgrammeState, Status
from runrehab.engine.values import Disposition, PathwayId

D0 = date(2026, 12, 1)
WEEK_6 = 42
NO_IMPROVEMENT = "r7-no-improvement-6-weeks"
WORSENING = "r7-worsening-two-weeks"
KUJALA = loader.engine_instrument(loader.catalogue().questionnaires["kujala"])


def day(n: int) -> date:
    return D0 + timedelta(days=n)


def maintaining(protocol: Protocol) -> ProgrammeState:
    """A runner in phase 5, where neither a gate nor the stall rule acts, so only R7 can refer."""
    return start_state(PathwayChoice(PathwayId.REST_AND_REBUILD, 5, ()), D0, protocol)


def outcomes(
    kujala: Sequence[tuple[int, int]] = (), worst: Sequence[tuple[int, int]] = ()
) -> Outcomes:
    """Kujala (day, score) and weekly (day, worst pain) reports; usual pain is worst - 1."""
    return Outcomes(
        tuple(KujalaScore(day(n), s) for n, s in kujala),
        tuple(WeeklyPain(day(n), max(0, w - 1), w) for n, w in worst),
    )


def judged(
    protocol: Protocol, reports: Outcomes, n: int, checkins: Sequence[Checkin] = ()
) -> Decision:
    return step_day(maintaining(protocol), checkins, protocol, day(n), reports)


def rules(decision: Decision) -> set[str]:
    return {r.rule for r in decision.reasons}


def exercised(n: int, pain: int = 1, **kw: object) -> Checkin:
    logs = (ExerciseLog("clamshell", 3, 15, None, pain),)
    return Checkin(day(n), CheckinPain(1, 0, max(1, pain)), Morning.SAME, exercises=logs, **kw)  # type: ignore[arg-type]


# --- no improvement -----------------------------------------------------------------------------


def test_a_small_kujala_gain_at_six_weeks_refers(protocol: Protocol) -> None:
    decision = judged(protocol, outcomes([(0, 60), (WEEK_6, 65)]), WEEK_6)
    assert decision.action is Action.REFER
    assert decision.state.status is Status.REFERRED
    assert decision.disposition is Disposition.SEE_CLINICIAN
    (reason,) = decision.reasons
    assert reason.rule == NO_IMPROVEMENT
    assert "Kujala 60 → 65 (+5" in reason.detail
    assert "training logged on 0% of days" in reason.detail


def test_a_gain_of_exactly_10_is_an_improvement(protocol: Protocol) -> None:
    decision = judged(protocol, outcomes([(0, 60), (WEEK_6, 70)]), WEEK_6)
    assert decision.action is not Action.REFER
    assert decision.state.status is Status.ACTIVE
    assert judged(protocol, outcomes([(0, 60), (WEEK_6, 69)]), WEEK_6).action is Action.REFER


def test_worst_pain_falling_less_than_2_refers_even_when_kujala_improved(
    protocol: Protocol,
) -> None:
    reports = outcomes([(0, 60), (WEEK_6, 80)], [(0, 6), (WEEK_6, 5)])
    decision = judged(protocol, reports, WEEK_6)
    assert rules(decision) == {NO_IMPROVEMENT}
    assert "worst pain 6 → 5/10 (-1" in decision.reasons[0].detail
    assert "Kujala 60 → 80 (+20" in decision.reasons[0].detail


def test_a_good_recovery_is_not_referred(protocol: Protocol) -> None:
    reports = outcomes([(0, 60), (WEEK_6, 80)], [(0, 6), (7, 5), (14, 4), (WEEK_6, 2)])
    for n in (0, 7, 14, WEEK_6):
        decision = judged(protocol, reports, n)
        assert decision.action is not Action.REFER, n
        assert not rules(decision) & {NO_IMPROVEMENT, WORSENING}


def test_a_missing_follow_up_never_refers(protocol: Protocol) -> None:
    only_baseline = outcomes([(0, 60)], [(0, 6)])
    assert judged(protocol, only_baseline, WEEK_6).action is not Action.REFER
    # the weekly report of week 6 is the first one: it is a baseline, not a follow-up
    first_weekly = outcomes([(0, 60)], [(WEEK_6, 6)])
    assert judged(protocol, first_weekly, WEEK_6).action is not Action.REFER
    # a Kujala of week 5 is not a six-week answer
    early = outcomes([(0, 60), (35, 60)], [(WEEK_6, 6)])
    assert judged(protocol, early, WEEK_6).action is not Action.REFER


def test_nothing_is_judged_before_six_weeks(protocol: Protocol) -> None:
    reports = outcomes([(0, 60), (WEEK_6 - 1, 60)], [(0, 6), (WEEK_6 - 1, 6)])
    assert judged(protocol, reports, WEEK_6 - 1).action is not Action.REFER


def test_only_a_day_with_an_answer_is_judged(protocol: Protocol) -> None:
    reports = outcomes([(0, 60), (WEEK_6, 60)])
    assert judged(protocol, reports, WEEK_6).action is Action.REFER
    assert judged(protocol, reports, WEEK_6 + 1).action is not Action.REFER


def test_answers_from_before_the_programme_are_not_its_baseline(protocol: Protocol) -> None:
    reports = outcomes([(-30, 75), (0, 60), (WEEK_6, 72)])
    assert judged(protocol, reports, WEEK_6).action is not Action.REFER


def test_no_room_to_improve_counts_only_getting_worse(protocol: Protocol) -> None:
    calm = outcomes([(0, 95), (WEEK_6, 95)], [(0, 1), (WEEK_6, 1)])
    assert judged(protocol, calm, WEEK_6).action is not Action.REFER
    worse = outcomes([(0, 95), (WEEK_6, 95)], [(0, 1), (WEEK_6, 3)])
    assert judged(protocol, worse, WEEK_6).action is Action.REFER


def test_refers_whatever_the_adherence_and_says_what_it_was(protocol: Protocol) -> None:
    reports = outcomes([(0, 60), (WEEK_6, 62)])
    every_day = [exercised(n) for n in range(WEEK_6 + 1)]
    decision = judged(protocol, reports, WEEK_6, every_day)
    assert decision.action is Action.REFER
    assert "training logged on 100% of days (R7 assumes 80%" in decision.reasons[0].detail
    some_days = every_day[::2]
    decision = judged(protocol, reports, WEEK_6, some_days)
    assert decision.action is Action.REFER
    assert "training logged on 51% of days" in decision.reasons[0].detail


# --- worsening ----------------------------------------------------------------------------------


@pytest.mark.fires("r7-worsening-two-weeks")
def test_worst_pain_rising_in_two_weekly_reports_in_a_row_refers(protocol: Protocol) -> None:
    reports = outcomes(worst=[(0, 3), (7, 4), (14, 5)])
    assert judged(protocol, reports, 7).action is not Action.REFER
    decision = judged(protocol, reports, 14)
    assert decision.action is Action.REFER
    assert decision.state.status is Status.REFERRED
    (reason,) = decision.reasons
    assert reason.rule == WORSENING
    assert "3 → 4 → 5/10" in reason.detail


def test_a_rise_then_a_plateau_is_not_worsening(protocol: Protocol) -> None:
    for worst in ([3, 5, 5], [5, 4, 6], [3, 4]):
        reports = outcomes(worst=[(7 * i, w) for i, w in enumerate(worst)])
        assert judged(protocol, reports, 7 * (len(worst) - 1)).action is not Action.REFER, worst


# --- place in the day's checks ------------------------------------------------------------------


def test_a_red_day_on_the_day_of_the_answer_does_not_hide_it(protocol: Protocol) -> None:
    red = exercised(WEEK_6, pain=7)
    decision = judged(protocol, outcomes([(0, 60), (WEEK_6, 60)]), WEEK_6, [red])
    assert decision.action is Action.REFER
    assert rules(decision) == {NO_IMPROVEMENT}


def test_a_runner_who_is_not_improving_is_not_moved_on(protocol: Protocol) -> None:
    start = start_state(PathwayChoice(PathwayId.REST_AND_REBUILD, 1, ()), D0, protocol)
    calm = [exercised(n) for n in range(WEEK_6 + 1)]
    reports = outcomes([(0, 60), (WEEK_6, 61)])
    final, decisions = replay(start, calm, protocol, day(WEEK_6), reports)
    assert final.status is Status.REFERRED
    assert decisions[-1].action is Action.REFER
    assert NO_IMPROVEMENT in rules(decisions[-1])
    after, _ = replay(final, calm, protocol, day(WEEK_6 + 10), reports)
    assert after.phase == final.phase  # referred: nothing moves on until a clinician has looked


# --- properties ---------------------------------------------------------------------------------

ANSWERS = st.fixed_dictionaries(
    {item.id: st.sampled_from([o.id for o in item.options]) for item in KUJALA.items}
)


@given(ANSWERS)
def test_kujala_scores_stay_between_0_and_100(answers: dict[str, str]) -> None:
    assert 0 <= score_kujala(answers, KUJALA) <= 100


@given(
    st.lists(st.tuples(st.integers(0, 41), st.integers(0, 100)), max_size=6),
    st.lists(st.tuples(st.integers(0, 41), st.integers(0, 10)), max_size=6),
    st.integers(0, 41),
)
def test_no_improvement_is_never_judged_before_six_weeks(
    kujala: list[tuple[int, int]], worst: list[tuple[int, int]], n: int
) -> None:
    reports = outcomes(sorted(dict(kujala).items()), sorted(dict(worst).items()))
    decision = judged(loader.protocol(), reports, n)
    assert NO_IMPROVEMENT not in rules(decision)
