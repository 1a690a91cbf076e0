"""Triage (digest 14(a)): every red flag and every see-a-clinician criterion, one test each."""

from __future__ import annotations

from typing import Any

import pytest

from runrehab.engine.triage import triage
from runrehab.engine.values import Disposition
from tests.conftest import typical
from tests.traceability_plugin import fires_each

E, U, C, S = (
    Disposition.EMERGENCY,
    Disposition.URGENT,
    Disposition.SEE_CLINICIAN,
    Disposition.SELF_MANAGE,
)
TWIST = {"mechanism": "twisting"}
FALL = {"mechanism": "fall_or_direct_blow"}

# (changes to the typical runner, expected disposition, the rule that must fire); each row
# claims its rule (@pytest.mark.fires, checked as it runs: tests/traceability_plugin.py)
CASES: list[tuple[str, dict[str, Any], Disposition, str]] = [
    # emergency (E1-E5), and the product's chest-pain rule
    (
        "deformed knee after injury",
        {"history.injury": TWIST, "signs.deformity": True},
        E,
        "e1-deformity-after-injury",
    ),
    (
        "numb cold pale foot",
        {"signs.foot_numb_cold_or_pale": True},
        E,
        "e1-neurovascular-compromise",
    ),
    (
        "hot swollen red knee",
        {"signs.hot": True, "signs.swelling": "mild", "signs.red": True},
        E,
        "e2-possible-joint-infection",
    ),
    (
        "hot swollen knee with fever",
        {"signs.hot": True, "signs.swelling": "mild", "signs.fever_or_unwell": True},
        E,
        "e2-possible-joint-infection",
    ),
    (
        "cannot walk 4 steps after injury",
        {"history.injury": {**FALL, "cannot_walk_4_steps": True}},
        E,
        "e3-possible-fracture",
    ),
    (
        "cannot bend to 90 after injury",
        {"history.injury": {**TWIST, "cannot_bend_to_90_degrees": True}},
        E,
        "e3-possible-fracture",
    ),
    (
        "bony tenderness after injury",
        {"history.injury": {**FALL, "tender_kneecap_or_bony_point": True}},
        E,
        "e3-possible-fracture",
    ),
    ("injury at 55", {"age": 55, "history.injury": FALL}, E, "e3-possible-fracture"),
    (
        "calf pain and breathless",
        {"signs.calf_pain_or_swelling": True, "signs.breathless_or_chest_pain": True},
        E,
        "e4-possible-clot-in-lung",
    ),
    (
        "chest pain alone",
        {"signs.breathless_or_chest_pain": True},
        E,
        "e4-chest-pain-or-breathlessness",
    ),
    (
        "pop and cannot lift straight leg",
        {
            "history.injury": {
                **TWIST,
                "heard_pop": True,
                "cannot_straighten_or_lift_straight_leg": True,
            }
        },
        E,
        "e5-possible-tendon-rupture",
    ),
    # urgent (U1-U7), article 002's severe swelling, and deformity without injury
    (
        "swelling within 2 h of injury",
        {"history.injury": {**TWIST, "swelling_within_2_hours": True}},
        U,
        "u1-swelling-after-injury",
    ),
    (
        "pop then swelling",
        {"history.injury": {**TWIST, "heard_pop": True}, "signs.swelling": "mild"},
        U,
        "u1-swelling-after-injury",
    ),
    ("marked swelling", {"signs.swelling": "marked"}, U, "u1-severe-swelling"),
    ("locked knee", {"signs.locked": True}, U, "u2-locked-knee"),
    (
        "kneecap dislocated",
        {"history.injury": {**TWIST, "kneecap_dislocated": True}},
        U,
        "u3-kneecap-dislocation",
    ),
    ("12-year-old with a limp", {"age": 12, "signs.limp": True}, U, "u4-adolescent-hip-problem"),
    (
        "16-year-old with thigh pain",
        {"age": 16, "signs.hip_groin_or_thigh_pain": True},
        U,
        "u4-adolescent-hip-problem",
    ),
    (
        "hot swollen knee without fever",
        {"signs.hot": True, "signs.swelling": "mild"},
        U,
        "u5-hot-swollen-knee",
    ),
    (
        "swelling and diabetes",
        {"signs.swelling": "mild", "history.immunocompromised_or_diabetic": True},
        U,
        "u5-swelling-with-infection-risk",
    ),
    (
        "swelling after injection",
        {"signs.swelling": "mild", "history.recent_knee_injection_or_surgery": True},
        U,
        "u5-swelling-with-infection-risk",
    ),
    ("calf pain alone", {"signs.calf_pain_or_swelling": True}, U, "u6-possible-dvt"),
    ("night pain", {"pain.wakes_at_night": True}, U, "u7-possible-serious-disease"),
    ("constant pain", {"pain.constant_not_eased_by_rest": True}, U, "u7-possible-serious-disease"),
    ("weight loss", {"signs.unexplained_weight_loss": True}, U, "u7-possible-serious-disease"),
    ("cancer history", {"history.cancer_history": True}, U, "u7-possible-serious-disease"),
    ("hard lump", {"signs.hard_lump_near_knee": True}, U, "u7-possible-serious-disease"),
    ("deformity without injury", {"signs.deformity": True}, U, "u8-deformity-without-injury"),
    # see a clinician (R1-R9) and the articles' see-a-physio lists
    ("giving way", {"signs.giving_way": True}, C, "r1-instability-catching-or-swelling"),
    ("catching", {"signs.catching": True}, C, "r1-instability-catching-or-swelling"),
    ("visible swelling", {"signs.swelling": "mild"}, C, "r1-instability-catching-or-swelling"),
    ("warmth (article 000)", {"signs.hot": True}, C, "r1-warm-or-red-knee"),
    ("limp in an adult (article 002)", {"signs.limp": True}, C, "r1-difficulty-walking"),
    (
        "outer knee: ITB",
        {"pain.location": ["outer_knee"], "pain.provoked_by": ["downhill_running"]},
        C,
        "r2-outer-knee-pain",
    ),
    ("below kneecap: tendon", {"pain.location": ["below_kneecap"]}, C, "r2-below-kneecap-pain"),
    (
        "tibial tubercle",
        {"age": 17, "pain.location": ["tibial_tubercle"]},
        C,
        "r2-tibial-tubercle-pain",
    ),
    ("joint line: meniscus", {"pain.location": ["inner_joint_line"]}, C, "r2-joint-line-pain"),
    ("inner knee", {"pain.location": ["inner_knee"]}, C, "r2-inner-knee-pain"),
    ("back of knee", {"pain.location": ["back_of_knee"]}, C, "r2-back-of-knee-pain"),
    (
        "adult thigh pain: referred",
        {"signs.hip_groin_or_thigh_pain": True},
        C,
        "r2-hip-or-thigh-pain",
    ),
    ("age 15", {"age": 15}, C, "r3-under-16"),
    ("age 45: possible OA", {"age": 45}, C, "r4-possible-osteoarthritis"),
    (
        "long morning stiffness",
        {"signs.morning_stiffness_minutes": 60},
        C,
        "r4-long-morning-stiffness",
    ),
    ("fall onto the knee (article 000)", {"history.injury": FALL}, C, "r5-fall-or-direct-blow"),
    ("twist at onset", {"history.injury": TWIST}, C, "r5-injury-at-onset"),
    ("sudden onset", {"history.onset": "sudden"}, C, "r5-sudden-onset"),
    ("rest pain 7 (article 000)", {"pain.at_rest": 7}, C, "r6-rest-pain-above-6"),
    (
        "6 weeks no better (article 000)",
        {"history.weeks_following_programme": 6},
        C,
        "r7-no-improvement-after-6-weeks",
    ),
    (
        "worse despite programme (article 002)",
        {"history.weeks_following_programme": 3, "history.trend": "worsening"},
        C,
        "r7-worsening-despite-programme",
    ),
    ("nothing provokes it", {"pain.provoked_by": ["walking"]}, C, "r9-picture-not-typical"),
]


@pytest.mark.parametrize(
    ("label", "changes", "expected", "rule"), fires_each(CASES), ids=[c[0] for c in CASES]
)
def test_each_rule_sets_its_disposition(
    label: str, changes: dict[str, Any], expected: Disposition, rule: str
) -> None:
    result = triage(typical(**changes))
    assert result.disposition is expected
    assert rule in result.rules
    assert not result.programme_allowed


@pytest.mark.fires("sm-fits-runners-knee")
def test_a_typical_runner_self_manages_with_a_reason() -> None:
    result = triage(typical())
    assert result.disposition is S
    assert result.rules == ("sm-fits-runners-knee",)
    assert result.likely_condition == "patellofemoral-pain"
    assert result.programme_allowed


def test_emergency_reasons_come_first() -> None:
    result = triage(
        typical(
            **{"signs.hot": True, "signs.swelling": "marked", "signs.red": True, "pain.at_rest": 8}
        )
    )
    assert result.disposition is E
    assert result.rules[0] == "e2-possible-joint-infection"
    assert "r6-rest-pain-above-6" in result.rules  # lower rules are still reported


def test_itb_picture_is_named_as_the_likely_condition() -> None:
    result = triage(typical(**{"pain.location": ["outer_knee"]}))
    assert result.likely_condition == "iliotibial-band-syndrome"
    assert any(d.condition == "patellofemoral-pain" and not d.fits for d in result.differentials)


def test_adolescent_tubercle_pain_points_to_osgood_schlatter() -> None:
    result = triage(typical(age=13, **{"pain.location": ["tibial_tubercle"]}))
    assert result.disposition is C
    assert result.likely_condition == "osgood-schlatter"


def test_adolescent_below_kneecap_points_to_sinding_larsen_johansson() -> None:
    result = triage(typical(age=11, **{"pain.location": ["below_kneecap"]}))
    assert any(d.condition == "sinding-larsen-johansson" for d in result.differentials)


def test_a_runner_over_45_with_a_typical_picture_is_sent_to_confirm_it() -> None:
    result = triage(typical(age=50))
    assert result.disposition is C
    assert result.likely_condition == "patellofemoral-pain"
    assert any(d.condition == "knee-osteoarthritis" for d in result.differentials)


def test_age_boundaries() -> None:
    assert triage(typical(age=16)).disposition is S
    assert triage(typical(age=54, **{"history.injury": FALL})).disposition is C
    assert triage(typical(**{"pain.at_rest": 6})).disposition is S
