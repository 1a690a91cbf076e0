"""Triage again at every check-in (digest 14(a), last paragraph): a red flag overrides the phase.

A check-in carries fewer signs than the intake assessment; these are the rules that its signs can
trigger. Emergency and urgent answers stop the programme; instability and catching send the
runner to a clinician.
"""

from __future__ import annotations

from runrehab.engine.assessment import Swelling
from runrehab.engine.checkin import Checkin
from runrehab.engine.values import Disposition, Reason

E, U, C, OK = (
    Disposition.EMERGENCY,
    Disposition.URGENT,
    Disposition.SEE_CLINICIAN,
    Disposition.SELF_MANAGE,
)


def _findings(c: Checkin) -> list[tuple[Disposition, Reason]]:
    s = c.signs
    swollen = s.swelling is not Swelling.NONE
    inflamed = s.hot or s.red
    infection = swollen and ((s.hot and s.red) or (inflamed and s.fever_or_unwell))
    rows: list[tuple[bool, Disposition, str, str]] = [
        (
            infection,
            E,
            "e2-possible-joint-infection",
            "a swollen knee that is hot and red, or warm or red with fever",
        ),
        (
            s.calf_pain_or_swelling and s.breathless_or_chest_pain,
            E,
            "e4-possible-clot-in-lung",
            "calf pain with breathlessness or chest pain",
        ),
        (
            s.breathless_or_chest_pain and not s.calf_pain_or_swelling,
            E,
            "e4-chest-pain-or-breathlessness",
            "breathlessness or chest pain",
        ),
        (s.swelling is Swelling.MARKED, U, "u1-severe-swelling", "marked swelling"),
        (s.locked, U, "u2-locked-knee", "the knee is locked"),
        (
            not infection and ((inflamed and swollen) or (inflamed and s.fever_or_unwell)),
            U,
            "u5-hot-swollen-knee",
            "a warm or red knee with swelling or fever",
        ),
        (
            s.calf_pain_or_swelling and not s.breathless_or_chest_pain,
            U,
            "u6-possible-dvt",
            "calf pain or swelling",
        ),
        (
            s.giving_way or s.catching or s.swelling is Swelling.MILD,
            C,
            "r1-instability-catching-or-swelling",
            ", ".join(
                w
                for hit, w in (
                    (s.giving_way, "the knee gave way"),
                    (s.catching, "catching"),
                    (s.swelling is Swelling.MILD, "swelling"),
                )
                if hit
            ),
        ),
        (
            inflamed and not swollen and not s.fever_or_unwell,
            C,
            "r1-warm-or-red-knee",
            "a warm or red knee",
        ),
    ]
    return [(d, Reason(rule, words)) for hit, d, rule, words in rows if hit]


def triage_checkin(checkin: Checkin) -> tuple[Disposition, tuple[Reason, ...]]:
    """The most urgent disposition the check-in's signs call for, with every reason."""
    found = sorted(_findings(checkin), key=lambda f: -f[0].severity)
    if not found:
        return OK, ()
    return found[0][0], tuple(r for _, r in found)
