"""A programme on hold: referred (only gentle work until a clinician has assessed the knee) or
stopped (a red flag). Since when, and which rule put it there, for every view that has to say
so: the load, the projection in the report, the plan and the calendar, the phase timeline.

The engine decides the hold (``progression.Status``) and what a day on hold holds
(``day.plan_day``); this only finds the decision that began it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypedDict

from runrehab.content import locale
from runrehab.content.words import Words
from runrehab.engine.state import Action, Decision, ProgrammeState, Status
from runrehab.engine.values import Reason
from runrehab.services.content import ProgrammeContent
from runrehab.services.journal.programme import decision_record
from runrehab.services.ports import Repository
from runrehab.services.records import DecisionRecord, Programme


class HoldDoc(TypedDict):
    """A hold as the views show it: in words, since when, and the rules with sources."""

    status: str
    since: str
    text: str
    rule: str
    reasons: list[dict[str, str]]


@dataclass(frozen=True, slots=True)
class Hold:
    """Why a programme is on hold: its status, the day of the decision that put it there, and
    that decision's reasons (the rule that referred or stopped it first)."""

    status: Status
    since: date
    reasons: tuple[Reason, ...]

    def words(self, words: Words) -> str:
        """The status in words: "On hold until a clinician has assessed the knee"."""
        return words.say(f"today.status.{self.status.value}")

    def view(self, content: ProgrammeContent) -> HoldDoc:
        """The hold as the views show it: in words, since when, and the rules with sources."""
        reasons = [r for r in self.reasons if r.rule != f"programme-{self.status.value}"]
        described = content.book.describe_all([*reasons, Reason(f"programme-{self.status.value}")])
        words = content.words
        text = words.say(
            "today.hold.text",
            status=self.words(words),
            since=locale.day_text(self.since, True),
            plan=words.say(f"today.status_plan.{self.status.value}"),
        )
        return {
            "status": self.status.value,
            "since": self.since.isoformat(),
            "text": text,
            "rule": described[0]["rule"],
            "reasons": described,
        }


def hold_of(
    repo: Repository,
    programme: Programme,
    state: ProgrammeState,
    folded: Sequence[Decision] = (),
) -> Hold | None:
    """The hold ``state`` is in, or None when it is active. ``folded``: the decisions folded in
    memory past the stored ones (``fold_for_day``), where a newer referral may be."""
    if state.status is Status.ACTIVE:
        return None
    through = state.evaluated_through or programme.started_on
    found: DecisionRecord | None = None
    for d in reversed(folded):
        if d.action in (Action.STOP, Action.REFER):
            found = decision_record(programme.id, d)
            break
    if found is None:
        stored = [
            d
            for d in repo.decisions(programme.id)
            if d.action in (Action.STOP, Action.REFER) and d.day <= through
        ]
        found = stored[-1] if stored else None
    if found is None:  # a state on hold without its decision: an imported journal, say
        return Hold(state.status, through, ())
    return Hold(state.status, found.day, found.reasons)
