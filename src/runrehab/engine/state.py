"""Where a runner stands, and what a day decided: the values the fold passes from day to day.

``ProgrammeState`` is the runner's place in the programme (pathway, phase, rung, dose, holds,
status); ``Decision`` is one day's outcome with its reasons. They live apart from the fold
(``progression``) so that the gates, which read the state, and the fold, which reads the gates,
do not import each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from runrehab.engine.red_flags import NOTHING_KNOWN, Background
from runrehab.engine.values import Colour, Disposition, PathwayId, Reason


class Status(StrEnum):
    ACTIVE = "active"
    STOPPED = "stopped"
    """A red flag: emergency or urgent care first; the programme does not resume by itself."""
    REFERRED = "referred"
    """See a clinician: only gentle work until they have assessed the knee."""


class Action(StrEnum):
    CONTINUE = "continue"
    ADVANCE = "advance"
    CLIMB = "climb"
    HOLD = "hold"
    REGRESS = "regress"
    REFER = "refer"
    STOP = "stop"
    CLINIC = "clinic"
    """The runner's physiotherapist moved them (a phase, a rung, a referral released)."""


@dataclass(frozen=True, slots=True)
class ProgrammeState:
    """Where a runner stands. Dates are the runner's local calendar dates."""

    pathway: PathwayId
    phase: int
    programme_started: date
    phase_started: date
    rung: int = 0
    rung_started: date | None = None
    dose_level: int = 0
    dose_changed: date | None = None
    hold_running_until: date | None = None
    gates_met_on: date | None = None
    status: Status = Status.ACTIVE
    evaluated_through: date | None = None
    last_moved_on: date | None = None
    """The day the runner last moved on (a phase or a rung); stepping back does not reset it,
    so a knee that keeps flaring is still sent to a clinician when the weeks run out."""
    background: Background = NOTHING_KNOWN
    """What the intake learnt that changes what a sign in a check-in means (its standing part:
    the age and a raised risk of joint infection)."""

    def days_in_phase(self, today: date) -> int:
        """1 on the day the phase started."""
        return (today - self.phase_started).days + 1


@dataclass(frozen=True, slots=True)
class Decision:
    state: ProgrammeState
    action: Action
    reasons: tuple[Reason, ...]
    colour: Colour | None = None
    disposition: Disposition = Disposition.SELF_MANAGE
