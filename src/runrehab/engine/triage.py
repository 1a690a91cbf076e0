"""Triage of an intake assessment (digest section 14(a)): where should this person go first?

Every rule is checked; the most urgent one that fires sets the disposition, and every rule that
fired is reported, most urgent first. Emergency and urgent rules come before anything else, and
when in doubt the rules err towards sending the person to a clinician (symptom checkers miss
more than 40 % of emergencies: Schmieding 2022).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from runrehab.engine.assessment import (
    PATELLOFEMORAL_LOCATIONS,
    PATELLOFEMORAL_PROVOCATIONS,
    Assessment,
    Location,
    Mechanism,
    Onset,
    Swelling,
    Trend,
)
from runrehab.engine.protocol import TriageSettings
from runrehab.engine.values import Disposition, Reason

E, U, C = Disposition.EMERGENCY, Disposition.URGENT, Disposition.SEE_CLINICIAN


@dataclass(frozen=True, slots=True)
class Finding:
    """A triage rule that fired: its disposition and the condition it points to."""

    rule: str
    disposition: Disposition
    condition: str
    detail: str


@dataclass(frozen=True, slots=True)
class Differential:
    """A condition considered, whether the answers fit it, and the rule that judged it."""

    condition: str
    fits: bool
    rule: str


@dataclass(frozen=True, slots=True)
class TriageResult:
    disposition: Disposition
    reasons: tuple[Reason, ...]
    likely_condition: str
    differentials: tuple[Differential, ...]
    leading: int = 1
    """How many of ``reasons`` (from the start) are at the disposition itself."""

    @property
    def leading_reasons(self) -> tuple[Reason, ...]:
        return self.reasons[: self.leading]

    @property
    def programme_allowed(self) -> bool:
        return self.disposition is Disposition.SELF_MANAGE

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(r.rule for r in self.reasons)


Check = Callable[[Assessment, TriageSettings], Iterable[Finding]]


# --- emergency ----------------------------------------------------------------------------


def _deformity_after_injury(a: Assessment, t: TriageSettings) -> Iterable[Finding]:
    if a.signs.deformity and a.history.injury is not None:
        yield Finding(
            "e1-deformity-after-injury",
            E,
            "fracture-or-dislocation",
            "the knee looks deformed after an injury",
        )


def _neurovascular(a: Assessment, t: TriageSettings) -> Iterable[Finding]:
    if a.signs.foot_numb_cold_or_pale:
        yield Finding(
            "e1-neurovascular-compromise",
            E,
            "neurovascular-injury",
            "the foot is numb, cold or pale",
        )


def _signs_present(a: Assessment) -> str:
    s = a.signs
    words = [
        w
        for hit, w in ((s.hot, "hot"), (s.red, "red"), (s.fever_or_unwell, "fever or unwell"))
        if hit
    ]
    if s.swelling is not Swelling.NONE:
        words.append(f"{s.swelling.value} swelling")
    return ", ".join(words)


def _joint_infection(a: Assessment, t: TriageSettings) -> Iterable[Finding]:
    s = a.signs
    swollen = s.swelling is not Swelling.NONE
    # fever is absent in many joint infections (Margaretten 2007): heat and redness suffice
    if swollen and ((s.hot and s.red) or ((s.hot or s.red) and s.fever_or_unwell)):
        yield Finding("e2-possible-joint-infection", E, "septic-arthritis", _signs_present(a))


def _fracture(a: Assessment, t: TriageSettings) -> Iterable[Finding]:
    injury = a.history.injury
    if injury is None:
        return
    signs = [
        (injury.cannot_walk_4_steps, "cannot take 4 steps"),
        (injury.cannot_bend_to_90_degrees, "cannot bend the knee to 90°"),
        (injury.tender_kneecap_or_bony_point, "tender kneecap or bony point"),
        (a.age >= t.ottawa_age, f"age {a.age} (Ottawa rules: {t.ottawa_age} or over)"),
    ]
    present = [words for hit, words in signs if hit]
    if present:
        yield Finding(
            "e3-possible-fracture", E, "fracture", "after an injury: " + ", ".join(present)
        )


def _chest(a: Assessment, t: TriageSettings) -> Iterable[Finding]:
    s = a.signs
    if s.breathless_or_chest_pain and s.calf_pain_or_swelling:
        yield Finding(
            "e4-possible-clot-in-lung",
            E,
            "pulmonary-embolism",
            "calf pain or swelling with breathlessness or chest pain",
        )
    elif s.breathless_or_chest_pain:
        yield Finding(
            "e4-chest-pain-or-breathlessness", E, "chest-emergency", "breathlessness or chest pain"
        )


def _tendon_rupture(a: Assessment, t: TriageSettings) -> Iterable[Finding]:
    injury = a.history.injury
    if injury is not None and injury.cannot_straighten_or_lift_straight_leg:
        detail = "a pop, then" if injury.heard_pop else "after an injury,"
        yield Finding(
            "e5-possible-tendon-rupture",
            E,
            "extensor-mechanism-rupture",
            f"{detail} cannot straighten the knee or lift the straight leg",
        )


# --- urgent -------------------------------------------------------------------------------


def _swelling_after_injury(a: Assessment, t: TriageSettings) -> Iterable[Finding]:
    injury = a.history.injury
    if injury is None:
        return
    if injury.swelling_within_2_hours or (
        injury.heard_pop and a.signs.swelling is not Swelling.NONE
    ):
        yield Finding(
            "u1-swelling-after-injury",
            U,
            "ligament-or-bone-injury",
            "swelling that came on soon after an injury",
        )


def _severe_swelling(a: Assessment, t: TriageSettings) -> Iterable[Finding]:
    if a.signs.swelling is Swelling.MARKED:
        yield Finding("u1-severe-swelling", U, "joint-effusion", "marked swelling of the knee")


def _locked(a: Assessment, t: TriageSettings) -> Iterable[Finding]:
    if a.signs.locked:
        yield Finding("u2-locked-knee", U, "meniscal-tear", "the knee is locked")


def _dislocation(a: Assessment, t: TriageSettings) -> Iterable[Finding]:
    if a.history.injury is not None and a.history.injury.kneecap_dislocated:
        yield Finding(
            "u3-kneecap-dislocation", U, "patellar-dislocation", "the kneecap came out of place"
        )


def _adolescent_hip(a: Assessment, t: TriageSettings) -> Iterable[Finding]:
    if a.age <= t.adolescent_hip_max_age and (a.signs.limp or a.signs.hip_groin_or_thigh_pain):
        yield Finding(
            "u4-adolescent-hip-problem",
            U,
            "slipped-upper-femoral-epiphysis",
            f"age {a.age} with a limp or hip, groin or thigh pain",
        )


def _hot_swollen(a: Assessment, t: TriageSettings) -> Iterable[Finding]:
    s = a.signs
    swollen = s.swelling is not Swelling.NONE
    inflamed = s.hot or s.red
    infection = swollen and ((s.hot and s.red) or (inflamed and s.fever_or_unwell))
    if not infection and inflamed and (swollen or s.fever_or_unwell):
        yield Finding(
            "u5-hot-swollen-knee",
            U,
            "septic-arthritis",
            "a warm or red knee with swelling or fever",
        )


def _infection_risk(a: Assessment, t: TriageSettings) -> Iterable[Finding]:
    h, s = a.history, a.signs
    at_risk = h.immunocompromised_or_diabetic or h.recent_knee_injection_or_surgery
    if at_risk and (s.swelling is not Swelling.NONE or s.hot or s.red):
        yield Finding(
            "u5-swelling-with-infection-risk",
            U,
            "septic-arthritis",
            "swelling, warmth or redness with diabetes, a weak immune system, "
            "or a recent injection or operation on the knee",
        )


def _dvt(a: Assessment, t: TriageSettings) -> Iterable[Finding]:
    if a.signs.calf_pain_or_swelling and not a.signs.breathless_or_chest_pain:
        yield Finding("u6-possible-dvt", U, "deep-vein-thrombosis", "calf pain or swelling")


def _serious_disease(a: Assessment, t: TriageSettings) -> Iterable[Finding]:
    flags = [
        (a.pain.wakes_at_night, "pain that wakes you at night"),
        (a.pain.constant_not_eased_by_rest, "constant pain not eased by rest"),
        (a.signs.unexplained_weight_loss, "unexplained weight loss"),
        (a.history.cancer_history, "a history of cancer"),
        (a.signs.hard_lump_near_knee, "a hard lump near the knee"),
    ]
    present = [words for hit, words in flags if hit]
    if present:
        yield Finding("u7-possible-serious-disease", U, "serious-disease", ", ".join(present))


def _deformity_without_injury(a: Assessment, t: TriageSettings) -> Iterable[Finding]:
    if a.signs.deformity and a.history.injury is None:
        yield Finding(
            "u8-deformity-without-injury", U, "serious-disease", "the knee looks deformed"
        )


# --- see a clinician ----------------------------------------------------------------------


def _instability(a: Assessment, t: TriageSettings) -> Iterable[Finding]:
    s = a.signs
    present = [
        w
        for hit, w in [
            (s.giving_way, "giving way"),
            (s.catching, "catching"),
            (s.swelling is Swelling.MILD, "visible swelling"),
        ]
        if hit
    ]
    if present:
        condition = "meniscal-tear" if s.catching else "patellar-instability"
        yield Finding("r1-instability-catching-or-swelling", C, condition, ", ".join(present))


def _warm_or_red(a: Assessment, t: TriageSettings) -> Iterable[Finding]:
    s = a.signs
    # with swelling or fever the urgent rules (E2, U5) speak instead
    if (s.hot or s.red) and s.swelling is Swelling.NONE and not s.fever_or_unwell:
        yield Finding("r1-warm-or-red-knee", C, "joint-inflammation", _signs_present(a))


def _difficulty_walking(a: Assessment, t: TriageSettings) -> Iterable[Finding]:
    if a.signs.limp:
        yield Finding("r1-difficulty-walking", C, "needs-assessment", "walking with a limp")


_LOCATION_RULES: dict[Location, tuple[str, str, str]] = {
    Location.OUTER_KNEE: (
        "r2-outer-knee-pain",
        "iliotibial-band-syndrome",
        "pain on the outer knee",
    ),
    Location.BELOW_KNEECAP: (
        "r2-below-kneecap-pain",
        "patellar-tendinopathy",
        "pain below the kneecap",
    ),
    Location.TIBIAL_TUBERCLE: (
        "r2-tibial-tubercle-pain",
        "osgood-schlatter",
        "pain on the bony bump below the knee",
    ),
    Location.INNER_JOINT_LINE: (
        "r2-joint-line-pain",
        "meniscal-tear",
        "pain on the inner joint line",
    ),
    Location.INNER_KNEE: ("r2-inner-knee-pain", "pes-anserine-bursitis", "pain on the inner knee"),
    Location.BACK_OF_KNEE: (
        "r2-back-of-knee-pain",
        "posterior-knee-problem",
        "pain at the back of the knee",
    ),
}


def _location(a: Assessment, t: TriageSettings) -> Iterable[Finding]:
    young = a.age < t.clinician_confirms_below_age
    for where in sorted(a.pain.location):
        if where not in _LOCATION_RULES:
            continue
        rule, condition, words = _LOCATION_RULES[where]
        if young and where is Location.BELOW_KNEECAP:
            condition = "sinding-larsen-johansson"
        if not young and where is Location.TIBIAL_TUBERCLE:
            condition = "patellar-tendinopathy"
        yield Finding(rule, C, condition, words)


def _hip_or_thigh(a: Assessment, t: TriageSettings) -> Iterable[Finding]:
    if a.signs.hip_groin_or_thigh_pain and a.age > t.adolescent_hip_max_age:
        yield Finding("r2-hip-or-thigh-pain", C, "referred-hip-pain", "hip, groin or thigh pain")


def _young(a: Assessment, t: TriageSettings) -> Iterable[Finding]:
    if a.age < t.clinician_confirms_below_age:
        yield Finding("r3-under-16", C, "adolescent-knee-pain", f"age {a.age}")


def _osteoarthritis(a: Assessment, t: TriageSettings) -> Iterable[Finding]:
    stiffness = a.signs.morning_stiffness_minutes
    long_stiffness = stiffness is not None and stiffness > t.osteoarthritis_max_stiffness_minutes
    if a.age >= t.osteoarthritis_min_age and not long_stiffness:
        yield Finding(
            "r4-possible-osteoarthritis",
            C,
            "knee-osteoarthritis",
            f"age {a.age} with activity-related knee pain",
        )
    if long_stiffness:
        yield Finding(
            "r4-long-morning-stiffness",
            C,
            "inflammatory-arthritis",
            f"morning stiffness of {stiffness:g} minutes",
        )


def _injury_at_onset(a: Assessment, t: TriageSettings) -> Iterable[Finding]:
    injury = a.history.injury
    if injury is None:
        return
    if injury.mechanism is Mechanism.FALL_OR_DIRECT_BLOW:
        yield Finding(
            "r5-fall-or-direct-blow",
            C,
            "bone-or-cartilage-bruise",
            "the pain started with a fall or a blow to the knee",
        )
    else:
        condition = "meniscal-tear" if injury.mechanism is Mechanism.TWISTING else "ligament-injury"
        yield Finding(
            "r5-injury-at-onset",
            C,
            condition,
            f"the pain started with an injury ({injury.mechanism.value.replace('_', ' ')})",
        )


def _sudden_onset(a: Assessment, t: TriageSettings) -> Iterable[Finding]:
    if a.history.onset is Onset.SUDDEN and a.history.injury is None:
        yield Finding("r5-sudden-onset", C, "needs-assessment", "the pain came on suddenly")


def _rest_pain(a: Assessment, t: TriageSettings) -> Iterable[Finding]:
    if a.pain.at_rest > t.rest_pain_refer_above:
        yield Finding(
            "r6-rest-pain-above-6",
            C,
            "needs-assessment",
            f"pain at rest {a.pain.at_rest}/10 (above {t.rest_pain_refer_above}/10)",
        )


def _no_improvement(a: Assessment, t: TriageSettings) -> Iterable[Finding]:
    weeks = a.history.weeks_following_programme or 0
    trend = a.history.trend
    if weeks >= t.no_improvement_weeks and trend is not Trend.IMPROVING:
        yield Finding(
            "r7-no-improvement-after-6-weeks",
            C,
            "needs-assessment",
            f"{weeks:g} weeks of a programme and the knee is {trend.value}",
        )
    elif weeks >= t.worsening_weeks_on_programme and trend is Trend.WORSENING:
        yield Finding(
            "r7-worsening-despite-programme",
            C,
            "needs-assessment",
            f"worse after {weeks:g} weeks of a programme",
        )


def _not_typical(a: Assessment, t: TriageSettings) -> Iterable[Finding]:
    at_kneecap = bool(a.pain.location & PATELLOFEMORAL_LOCATIONS)
    provoked = bool(a.pain.provoked_by & PATELLOFEMORAL_PROVOCATIONS)
    if not at_kneecap or not provoked:
        missing = [] if at_kneecap else ["the pain is not around or behind the kneecap"]
        if not provoked:
            missing.append(
                "no squatting, stairs, running, jumping, kneeling or long sitting brings it on"
            )
        yield Finding("r9-picture-not-typical", C, "needs-assessment", "; ".join(missing))


CHECKS: tuple[Check, ...] = (
    _deformity_after_injury,
    _neurovascular,
    _joint_infection,
    _fracture,
    _chest,
    _tendon_rupture,
    _swelling_after_injury,
    _severe_swelling,
    _locked,
    _dislocation,
    _adolescent_hip,
    _hot_swollen,
    _infection_risk,
    _dvt,
    _serious_disease,
    _deformity_without_injury,
    _instability,
    _warm_or_red,
    _difficulty_walking,
    _location,
    _hip_or_thigh,
    _young,
    _osteoarthritis,
    _injury_at_onset,
    _sudden_onset,
    _rest_pain,
    _no_improvement,
    _not_typical,
)


def findings(assessment: Assessment, settings: TriageSettings) -> list[Finding]:
    """Every triage rule that fires for ``assessment``, most urgent first."""
    found = [f for check in CHECKS for f in check(assessment, settings)]
    return sorted(found, key=lambda f: -f.disposition.severity)


def triage(assessment: Assessment, settings: TriageSettings | None = None) -> TriageResult:
    """Decide where the person should go first, with every reason and the differentials.

    Example: a hot, swollen, red knee gives ``emergency`` with reason
    ``e2-possible-joint-infection``, whatever else the assessment says.
    """
    settings = settings or TriageSettings()
    found = findings(assessment, settings)
    considered = _differentials(assessment, found, settings)
    if not found:
        fit = (Reason("sm-fits-runners-knee", _fit_detail(assessment)),)
        return TriageResult(Disposition.SELF_MANAGE, fit, "patellofemoral-pain", considered)
    top = found[0].disposition
    reasons = tuple(Reason(f.rule, f.detail) for f in found)
    likely = next(f.condition for f in found if f.disposition is top)
    other_place = any(f.rule.startswith("r2-") for f in found)
    if top is Disposition.SEE_CLINICIAN and _fits_pfp(assessment) and not other_place:
        likely = "patellofemoral-pain"  # the picture fits; the clinician is there to confirm it
    leading = sum(1 for f in found if f.disposition is top)
    return TriageResult(top, reasons, likely, considered, leading)


def _fits_pfp(a: Assessment) -> bool:
    return bool(a.pain.location & PATELLOFEMORAL_LOCATIONS) and bool(
        a.pain.provoked_by & PATELLOFEMORAL_PROVOCATIONS
    )


def _fit_detail(a: Assessment) -> str:
    where = " and ".join(sorted(x.value.replace("_", " ") for x in a.pain.location))
    what = ", ".join(
        sorted(
            p.value.replace("_", " ")
            for p in a.pain.provoked_by
            if p in PATELLOFEMORAL_PROVOCATIONS
        )
    )
    return f"pain {where}, brought on by {what}, that came on gradually"


def _differentials(
    a: Assessment, found: list[Finding], t: TriageSettings
) -> tuple[Differential, ...]:
    """The conditions considered: runner's knee and each one a rule pointed to."""
    rows = [Differential("patellofemoral-pain", _fits_pfp(a) and not found, "sm-fits-runners-knee")]
    seen = {"patellofemoral-pain"}
    for f in found:
        if f.condition not in seen and f.condition != "needs-assessment":
            seen.add(f.condition)
            rows.append(Differential(f.condition, True, f.rule))
    rows.extend(_ruled_out(a, seen, t))
    return tuple(rows)


def _ruled_out(a: Assessment, seen: set[str], t: TriageSettings) -> Iterable[Differential]:
    """Conditions runner's knee is usually told apart from, shown as considered, not fitting."""
    usual = [
        ("iliotibial-band-syndrome", "r2-outer-knee-pain"),
        ("patellar-tendinopathy", "r2-below-kneecap-pain"),
        ("meniscal-tear", "r2-joint-line-pain"),
    ]
    if a.age < t.clinician_confirms_below_age:
        usual.append(("osgood-schlatter", "r2-tibial-tubercle-pain"))
    if a.age >= t.osteoarthritis_min_age:
        usual.append(("knee-osteoarthritis", "r4-possible-osteoarthritis"))
    for condition, rule in usual:
        if condition not in seen:
            yield Differential(condition, False, rule)
