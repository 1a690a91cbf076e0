"""The warning signs, read in one place for the intake and for every check-in (digest 14(a), 9.1).

The intake triage (``engine.triage``) and the re-triage of every check-in
(``engine.progression``) both call :func:`findings` with a :class:`Signs` value: the intake's
signs in full, a check-in's with the signs it asks about (the rest left at "no"). So a sign
means the same thing whenever it is reported, and no rule is written twice.

What a sign means can depend on what the intake learnt: an injury, a history that makes a joint
infection likelier, night pain. That is the :class:`Background`; a check-in keeps only its
standing part (:meth:`Background.standing`), since the one-off answers were judged at intake.

Every sign on its own sends the person at least to a clinician (a property test holds this for
every sign and their combinations), and the rules err towards over-triage: symptom checkers
miss more than 40 % of emergencies (Schmieding 2022).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from runrehab.engine.assessment import Assessment, Injury, Signs, Swelling
from runrehab.engine.protocol import TriageSettings
from runrehab.engine.said import Said, english, said
from runrehab.engine.values import Disposition

E, U, C = Disposition.EMERGENCY, Disposition.URGENT, Disposition.SEE_CLINICIAN


@dataclass(frozen=True, slots=True)
class Finding:
    """A triage rule that fired: its disposition and the condition it points to."""

    rule: str
    disposition: Disposition
    condition: str
    detail: str
    said: Said | None = field(default=None, compare=False)
    """``detail`` as words' key and facts, for the reader's language (``engine.said``)."""


def _found(rule: str, disposition: Disposition, condition: str, facts: Said) -> Finding:
    return Finding(rule, disposition, condition, english(facts), facts)


@dataclass(frozen=True, slots=True)
class Background:
    """What the intake knows of the person that changes what a sign means.

    ``age`` None: not known (treated as an adult). The injury, the cancer history and the
    pain's night and rest pattern are one-off intake answers; the age and the raised risk of a
    joint infection stand for the whole programme (see :meth:`standing`).
    """

    age: int | None = None
    immunocompromised_or_diabetic: bool = False
    recent_knee_injection_or_surgery: bool = False
    injury: Injury | None = None
    cancer_history: bool = False
    wakes_at_night: bool = False
    constant_not_eased_by_rest: bool = False

    @classmethod
    def of(cls, a: Assessment) -> Background:
        """Everything the intake assessment tells."""
        return cls(
            a.age,
            a.history.immunocompromised_or_diabetic,
            a.history.recent_knee_injection_or_surgery,
            a.history.injury,
            a.history.cancer_history,
            a.pain.wakes_at_night,
            a.pain.constant_not_eased_by_rest,
        )

    def standing(self) -> Background:
        """The part that still holds on a later day and changes what a new sign means."""
        return Background(
            self.age, self.immunocompromised_or_diabetic, self.recent_knee_injection_or_surgery
        )


NOTHING_KNOWN = Background()
"""No background: an adult with no raised risk (the default of a programme state)."""

Check = Callable[[Signs, Background, TriageSettings], Iterable[Finding]]


def findings(
    signs: Signs, background: Background, settings: TriageSettings | None = None
) -> list[Finding]:
    """Every warning-sign rule that fires, most urgent first."""
    t = settings or TriageSettings()
    found = [f for check in CHECKS for f in check(signs, background, t)]
    return sorted(found, key=lambda f: -f.disposition.severity)


def worst(found: Iterable[Finding]) -> Disposition:
    """The most urgent disposition among ``found`` (self-management when nothing fired)."""
    return max((f.disposition for f in found), default=Disposition.SELF_MANAGE, key=_severity)


def _severity(d: Disposition) -> int:
    return d.severity


# --- what the signs add up to -------------------------------------------------------------


def _swollen(s: Signs) -> bool:
    return s.swelling is not Swelling.NONE


def _inflamed(s: Signs) -> bool:
    return s.hot or s.red


def _infection(s: Signs) -> bool:
    """A swollen knee that is hot and red, or swollen with a fever or feeling unwell. Heat or
    redness is not required with a fever: fever is missing in many joint infections and heat in
    some, and a swollen knee with a fever is an infection until shown otherwise (Margaretten
    2007; Gloucestershire pathway)."""
    return _swollen(s) and ((s.hot and s.red) or s.fever_or_unwell)


def _signs_present(s: Signs) -> Said:
    words = [
        said(w)
        for hit, w in ((s.hot, "rf_hot"), (s.red, "rf_red"), (s.fever_or_unwell, "rf_unwell"))
        if hit
    ]
    if _swollen(s):
        words.append(said(f"rf_swelling_{s.swelling.value}"))
    return said("signs", signs=tuple(words))


# --- emergency ----------------------------------------------------------------------------


def _deformity_after_injury(s: Signs, b: Background, t: TriageSettings) -> Iterable[Finding]:
    if s.deformity and b.injury is not None:
        yield _found(
            "e1-deformity-after-injury",
            E,
            "fracture-or-dislocation",
            said("rf_deformed_after_injury"),
        )


def _neurovascular(s: Signs, b: Background, t: TriageSettings) -> Iterable[Finding]:
    if s.foot_numb_cold_or_pale:
        yield _found(
            "e1-neurovascular-compromise",
            E,
            "neurovascular-injury",
            said("rf_foot_numb"),
        )


def _joint_infection(s: Signs, b: Background, t: TriageSettings) -> Iterable[Finding]:
    if _infection(s):
        yield _found("e2-possible-joint-infection", E, "septic-arthritis", _signs_present(s))


def _fracture(s: Signs, b: Background, t: TriageSettings) -> Iterable[Finding]:
    injury = b.injury
    if injury is None:
        return
    older = b.age is not None and b.age >= t.ottawa_age
    flags = [
        (injury.cannot_walk_4_steps, said("rf_cannot_walk_4")),
        (injury.cannot_bend_to_90_degrees, said("rf_cannot_bend_90")),
        (injury.tender_kneecap_or_bony_point, said("rf_tender_bone")),
        (older, said("rf_ottawa_age", age=b.age, limit=t.ottawa_age)),
    ]
    present = tuple(words for hit, words in flags if hit)
    if present:
        facts = said("rf_after_injury", signs=said("signs", signs=present))
        yield _found("e3-possible-fracture", E, "fracture", facts)


def _chest(s: Signs, b: Background, t: TriageSettings) -> Iterable[Finding]:
    if s.breathless_or_chest_pain and s.calf_pain_or_swelling:
        yield _found(
            "e4-possible-clot-in-lung",
            E,
            "pulmonary-embolism",
            said("rf_calf_and_breathless"),
        )
    elif s.breathless_or_chest_pain:
        yield _found("e4-chest-pain-or-breathlessness", E, "chest-emergency", said("rf_breathless"))


def _tendon_rupture(s: Signs, b: Background, t: TriageSettings) -> Iterable[Finding]:
    injury = b.injury
    if injury is not None and injury.cannot_straighten_or_lift_straight_leg:
        key = "rf_pop_cannot_straighten" if injury.heard_pop else "rf_injury_cannot_straighten"
        yield _found("e5-possible-tendon-rupture", E, "extensor-mechanism-rupture", said(key))


# --- urgent -------------------------------------------------------------------------------


def _swelling_after_injury(s: Signs, b: Background, t: TriageSettings) -> Iterable[Finding]:
    injury = b.injury
    if injury is None:
        return
    if injury.swelling_within_2_hours or (injury.heard_pop and _swollen(s)):
        yield _found(
            "u1-swelling-after-injury",
            U,
            "ligament-or-bone-injury",
            said("rf_swelling_after_injury"),
        )


def _severe_swelling(s: Signs, b: Background, t: TriageSettings) -> Iterable[Finding]:
    if s.swelling is Swelling.MARKED:
        yield _found("u1-severe-swelling", U, "joint-effusion", said("rf_marked_swelling"))


def _locked(s: Signs, b: Background, t: TriageSettings) -> Iterable[Finding]:
    if s.locked:
        yield _found("u2-locked-knee", U, "meniscal-tear", said("rf_locked"))


def _dislocation(s: Signs, b: Background, t: TriageSettings) -> Iterable[Finding]:
    if b.injury is not None and b.injury.kneecap_dislocated:
        yield _found("u3-kneecap-dislocation", U, "patellar-dislocation", said("rf_kneecap_out"))


def _young(b: Background, t: TriageSettings) -> bool:
    return b.age is not None and b.age <= t.adolescent_hip_max_age


def _adolescent_hip(s: Signs, b: Background, t: TriageSettings) -> Iterable[Finding]:
    if _young(b, t) and (s.limp or s.hip_groin_or_thigh_pain):
        yield _found(
            "u4-adolescent-hip-problem",
            U,
            "slipped-upper-femoral-epiphysis",
            said("rf_young_limp", age=b.age),
        )


def _hot_swollen(s: Signs, b: Background, t: TriageSettings) -> Iterable[Finding]:
    if not _infection(s) and _inflamed(s) and (_swollen(s) or s.fever_or_unwell):
        yield _found(
            "u5-hot-swollen-knee",
            U,
            "septic-arthritis",
            said("rf_warm_swollen"),
        )


def _infection_risk(s: Signs, b: Background, t: TriageSettings) -> Iterable[Finding]:
    at_risk = b.immunocompromised_or_diabetic or b.recent_knee_injection_or_surgery
    if at_risk and (_swollen(s) or _inflamed(s)):
        yield _found(
            "u5-swelling-with-infection-risk",
            U,
            "septic-arthritis",
            said("rf_infection_risk"),
        )


def _dvt(s: Signs, b: Background, t: TriageSettings) -> Iterable[Finding]:
    if s.calf_pain_or_swelling and not s.breathless_or_chest_pain:
        yield _found("u6-possible-dvt", U, "deep-vein-thrombosis", said("rf_calf"))


def _serious_disease(s: Signs, b: Background, t: TriageSettings) -> Iterable[Finding]:
    flags = [
        (b.wakes_at_night, "rf_wakes_at_night"),
        (b.constant_not_eased_by_rest, "rf_constant_pain"),
        (s.unexplained_weight_loss, "rf_weight_loss"),
        (b.cancer_history, "rf_cancer"),
        (s.hard_lump_near_knee, "rf_hard_lump"),
    ]
    present = tuple(said(words) for hit, words in flags if hit)
    if present:
        facts = said("signs", signs=present)
        yield _found("u7-possible-serious-disease", U, "serious-disease", facts)


def _deformity_without_injury(s: Signs, b: Background, t: TriageSettings) -> Iterable[Finding]:
    if s.deformity and b.injury is None:
        yield _found("u8-deformity-without-injury", U, "serious-disease", said("rf_deformed"))


def _fever(s: Signs, b: Background, t: TriageSettings) -> Iterable[Finding]:
    # with swelling, heat or redness the infection rules (E2, U5) speak instead
    if s.fever_or_unwell and not (_swollen(s) or _inflamed(s)):
        yield _found("u9-fever-or-unwell", U, "infection-or-illness", said("rf_fever"))


# --- see a clinician ----------------------------------------------------------------------


def _instability(s: Signs, b: Background, t: TriageSettings) -> Iterable[Finding]:
    present = [
        w
        for hit, w in [
            (s.giving_way, "sign_giving_way"),
            (s.catching, "rf_catching"),
            (s.swelling is Swelling.MILD, "rf_visible_swelling"),
        ]
        if hit
    ]
    if present:
        condition = "meniscal-tear" if s.catching else "patellar-instability"
        facts = said("signs", signs=tuple(said(w) for w in present))
        yield _found("r1-instability-catching-or-swelling", C, condition, facts)


def _warm_or_red(s: Signs, b: Background, t: TriageSettings) -> Iterable[Finding]:
    # with swelling or fever the urgent rules (E2, U5) speak instead
    if _inflamed(s) and not _swollen(s) and not s.fever_or_unwell:
        yield _found("r1-warm-or-red-knee", C, "joint-inflammation", _signs_present(s))


def _difficulty_walking(s: Signs, b: Background, t: TriageSettings) -> Iterable[Finding]:
    if s.limp:
        yield _found("r1-difficulty-walking", C, "needs-assessment", said("rf_walking_limp"))


def _hip_or_thigh(s: Signs, b: Background, t: TriageSettings) -> Iterable[Finding]:
    if s.hip_groin_or_thigh_pain and not _young(b, t):
        yield _found("r2-hip-or-thigh-pain", C, "referred-hip-pain", said("rf_hip_thigh"))


def _long_stiffness(s: Signs, b: Background, t: TriageSettings) -> Iterable[Finding]:
    stiffness = s.morning_stiffness_minutes
    if stiffness is not None and stiffness > t.osteoarthritis_max_stiffness_minutes:
        yield _found(
            "r4-long-morning-stiffness",
            C,
            "inflammatory-arthritis",
            said("rf_stiffness", minutes=float(stiffness)),
        )


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
    _fever,
    _instability,
    _warm_or_red,
    _difficulty_walking,
    _hip_or_thigh,
    _long_stiffness,
)
