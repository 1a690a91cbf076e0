"""Use case: triage an intake assessment and say what to do next, with every reason."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from runrehab.content.placeholders import pain_numbers, render
from runrehab.content.schema import ProtocolFile
from runrehab.engine.assessment import Assessment
from runrehab.engine.pathway import choose_pathway
from runrehab.engine.protocol import Settings, TriageSettings
from runrehab.engine.triage import TriageResult, triage
from runrehab.engine.values import Disposition
from runrehab.services.intake.conditions import name_of
from runrehab.services.reasons import ReasonBook

HEADLINES = {
    Disposition.EMERGENCY: "Go to an emergency department now, or call your emergency number.",
    Disposition.URGENT: "See a doctor today.",
    Disposition.SEE_CLINICIAN: "Book an assessment with a physiotherapist or doctor.",
    Disposition.SELF_MANAGE: "Your answers fit runner's knee: you can start the programme.",
}
MEANWHILE = {  # {placeholders} of the settings: read them through meanwhile()
    Disposition.EMERGENCY: ["Do not start the programme.", "Do not run or exercise the knee."],
    Disposition.URGENT: [
        "Do not start the programme until a doctor has seen the knee.",
        "Do not run.",
    ],
    Disposition.SEE_CLINICIAN: [
        "Until you are assessed: no running, and nothing that hurts more than {green_max_pain}/10.",
        "Walking and swimming as comfortable, and the gentle settle-phase exercises (quad sets, "
        "straight-leg raises, clamshells, glute bridges) if they stay at most {green_max_pain}/10.",
        "Stop and seek help sooner if the knee becomes hot, swollen, locked or gives way.",
    ],
    Disposition.SELF_MANAGE: [],
}


def meanwhile(disposition: Disposition, pain: Mapping[str, str]) -> list[str]:
    """What is safe until the runner is seen, its pain numbers those of the settings
    (``ProgrammeContent.pain``)."""
    return [render(line, pain) for line in MEANWHILE[disposition]]


def triage_view(
    assessment: Assessment,
    protocol: ProtocolFile,
    book: ReasonBook,
    settings: tuple[Settings, TriageSettings],
) -> dict[str, Any]:
    """The triage answer as a document: the contract's fields and more."""
    result = triage(assessment, settings[1])
    # a red flag: its instruction and reasons only; anything milder is kept for the clinician
    red_flag = result.disposition.severity >= Disposition.URGENT.severity
    shown = result.leading_reasons if red_flag else result.reasons
    view: dict[str, Any] = {
        "schema_version": 1,
        "disposition": result.disposition.value,
        "programme_allowed": result.programme_allowed,
        "headline": HEADLINES[result.disposition],
        "reasons": book.describe_all(shown),
        "also_noted": book.describe_all(result.reasons[len(shown) :]),
        "likely_condition": {
            "id": result.likely_condition,
            "name": name_of(result.likely_condition),
        },
        "differentials": _differentials(result),
        "meanwhile": meanwhile(result.disposition, pain_numbers(*settings)),
        "pathway": None,
    }
    if result.disposition is Disposition.SELF_MANAGE:
        view["pathway"] = _pathway(assessment, protocol, book, settings[0])
    return view


def _differentials(result: TriageResult) -> list[dict[str, Any]]:
    return [
        {"condition": d.condition, "name": name_of(d.condition), "fits": d.fits, "rule": d.rule}
        for d in result.differentials
    ]


def _pathway(
    assessment: Assessment, protocol: ProtocolFile, book: ReasonBook, settings: Settings
) -> dict[str, Any]:
    choice = choose_pathway(assessment, settings)
    pathway = next(p for p in protocol.pathway if p.id == choice.pathway.value)
    phase = next(p for p in protocol.phase if p.number == choice.start_phase)
    return {
        "id": pathway.id,
        "name": pathway.name,
        "summary": pathway.summary,
        "running": pathway.running,
        "start_phase": {"number": phase.number, "name": phase.name, "goal": phase.goal},
        "phases": list(pathway.phases),
        "reasons": book.describe_all(choice.reasons),
    }
