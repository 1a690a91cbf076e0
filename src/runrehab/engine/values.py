"""Small shared values of the engine: dispositions, traffic-light colours, reasons."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from runrehab.engine.said import Said, english


class Disposition(StrEnum):
    """Where triage sends a person, from most to least urgent."""

    EMERGENCY = "emergency"
    URGENT = "urgent"
    SEE_CLINICIAN = "see_clinician"
    SELF_MANAGE = "self_manage"

    @property
    def severity(self) -> int:
        """3 for emergency down to 0 for self-management: higher is more urgent."""
        return _SEVERITY[self]


_SEVERITY = {
    Disposition.EMERGENCY: 3,
    Disposition.URGENT: 2,
    Disposition.SEE_CLINICIAN: 1,
    Disposition.SELF_MANAGE: 0,
}


class RunToday(StrEnum):
    """The answer to "can I run today?", from least to most permissive."""

    NO = "no"
    REDUCED = "reduced"
    YES = "yes"

    @property
    def permissiveness(self) -> int:
        return ("no", "reduced", "yes").index(self.value)


class Colour(StrEnum):
    """The pain-monitoring traffic light of a day (digest 14(c) shared definitions)."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"


class PathwayId(StrEnum):
    REST_AND_REBUILD = "rest_and_rebuild"
    MODIFIED_RUNNING = "modified_running"


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a decision was taken: a rule id (whose words and source live in the rules catalogue)
    and, where useful, the person's own facts that made the rule fire ("rest pain 7/10")."""

    rule: str
    detail: str = ""
    said: Said | None = field(default=None, compare=False)
    """``detail`` as words' key and facts, for the reader's language (``engine.said``)."""

    @classmethod
    def of(cls, rule: str, facts: Said) -> Reason:
        """The reason ``rule`` with the facts ``facts`` (its ``detail`` their English)."""
        return cls(rule, english(facts), facts)
