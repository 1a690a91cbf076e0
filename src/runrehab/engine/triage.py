"""Triage of an intake assessment (digest section 14(a)): where should this person go first?

Every rule is checked; the most urgent one that fires sets the disposition, and every rule that
fired is reported, most urgent first. The warning signs are read by ``engine.red_flags``, the
one home of those rules, which every check-in calls too; this module adds the rules about the
picture as a whole: where it hurts, the person's age, how it started and how it is going. When
in doubt the rules err towards sending the person to a clinician (symptom checkers miss more
than 40 % of emergencies: Schmieding 2022).
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
    Trend,
)
from runrehab.engine.protocol import TriageSettings
from runrehab.engine.red_flags import Background, Finding
from runrehab.engine.red_flags import findings as sign_findings
from runrehab.engine.said import Said, said
from runrehab.engine.values import Disposition, Reason

C = Disposition.SEE_CLINICIAN


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


# --- the picture: does it look like runner's knee? -----------------------------------------


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


def _young(a: Assessment, t: TriageSettings) -> Iterable[Finding]:
    if a.age < t.clinician_confirms_below_age:
        yield Finding("r3-under-16", C, "adolescent-knee-pain", f"age {a.age}")


def _osteoarthritis(a: Assessment, t: TriageSettings) -> Iterable[Finding]:
    stiffness = a.signs.morning_stiffness_minutes
    long_stiffness = stiffness is not None and stiffness > t.osteoarthritis_max_stiffness_minutes
    # long stiffness is a warning sign of its own (red_flags: r4-long-morning-stiffness)
    if a.age >= t.osteoarthritis_min_age and not long_stiffness:
        yield Finding(
            "r4-possible-osteoarthritis",
            C,
            "knee-osteoarthritis",
            f"age {a.age} with activity-related knee pain",
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
    elif trend is Trend.WORSENING:
        # article 002: pain that keeps getting worse needs a professional, programme or not
        yield Finding("r7-getting-worse", C, "needs-assessment", "the pain is getting worse")


def _recent_procedure(a: Assessment, t: TriageSettings) -> Iterable[Finding]:
    if a.history.recent_knee_injection_or_surgery:
        yield Finding(
            "r10-recent-knee-procedure",
            C,
            "needs-assessment",
            "a recent injection or operation on this knee",
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
    _location,
    _young,
    _osteoarthritis,
    _injury_at_onset,
    _sudden_onset,
    _rest_pain,
    _no_improvement,
    _recent_procedure,
    _not_typical,
)


def findings(assessment: Assessment, settings: TriageSettings) -> list[Finding]:
    """Every triage rule that fires for ``assessment``, most urgent first: the warning signs
    (``red_flags``), then the picture."""
    signs = sign_findings(assessment.signs, Background.of(assessment), settings)
    picture = [f for check in CHECKS for f in check(assessment, settings)]
    return sorted([*signs, *picture], key=lambda f: -f.disposition.severity)


def triage(assessment: Assessment, settings: TriageSettings | None = None) -> TriageResult:
    """Decide where the person should go first, with every reason and the differentials.

    Example: a hot, swollen, red knee gives ``emergency`` with reason
    ``e2-possible-joint-infection``, whatever else the assessment says.
    """
    settings = settings or TriageSettings()
    found = findings(assessment, settings)
    considered = _differentials(assessment, found, settings)
    if not found:
        fit = (Reason.of("sm-fits-runners-knee", _fit_detail(assessment)),)
        return TriageResult(Disposition.SELF_MANAGE, fit, "patellofemoral-pain", considered)
    top = found[0].disposition
    reasons = tuple(Reason(f.rule, f.detail, f.said) for f in found)
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


def _fit_detail(a: Assessment) -> Said:
    """Where it hurts and what brings it on, in the words of the reader's language."""
    where = [said(f"place_{x.value}") for x in sorted(a.pain.location)]
    what = tuple(
        said(f"provoked_{p.value}")
        for p in sorted(a.pain.provoked_by)
        if p in PATELLOFEMORAL_PROVOCATIONS
    )
    places = where[0] if len(where) == 1 else said("both", first=where[0], second=where[1])
    return said("fits_runners_knee", where=places, what=what)


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
