"""Use cases after the intake: a red flag that stops it, and the answer that stands now.

A red flag (an emergency or urgent triage rule) found on the warning-sign steps stops the
intake at once. Those steps are not a whole assessment, and inventing the other answers to
store one would put words in the runner's mouth that a clinician would then read. So the stop
is kept as a note by RunRehab in the runner's journal (the history, the report and the export
show it, with every rule id) and the current programme, if any, ends that day: no page can go
on saying "you can run" after a red flag. The stop stands until the runner completes a new
assessment; a red flag found in a complete assessment is stored with it, as the journal's
``start_programme`` does (a stopped programme).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from runrehab.engine.assessment import Assessment
from runrehab.engine.triage import findings
from runrehab.engine.values import Disposition, Reason
from runrehab.services.content import ProgrammeContent
from runrehab.services.intake.preview import plan_view
from runrehab.services.intake.questions import facts
from runrehab.services.intake.triage import HEADLINES, meanwhile, triage_view
from runrehab.services.journal.programme import resolve_person
from runrehab.services.ports import Clock, UnitOfWork
from runrehab.services.records import Note, Programme, StoredAssessment

STOP_AUTHOR = "RunRehab"
RED_FLAGS = (Disposition.EMERGENCY.value, Disposition.URGENT.value)
PLAN_WEEKS = 12
_FIRST_LINE = re.compile(r"^Intake stopped at the warning signs: (emergency|urgent)\.$")
_REASON_LINE = re.compile(r"^(Why|Also): (?P<detail>.*) \(rule (?P<rule>[a-z0-9-]+)\)$")


@dataclass(frozen=True, slots=True)
class WarningSigns:
    """The red flags among the answers so far: those at the most urgent level lead."""

    disposition: Disposition
    leading: tuple[Reason, ...]
    also: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class Standing:
    """What RunRehab last told the runner at intake, and stands until a new assessment."""

    view: dict[str, Any]
    """Shaped like ``triage_view`` (plus ``warning_signs_only``)."""
    day: date
    assessment: StoredAssessment | None
    """None when the intake stopped at the warning signs."""
    programme: Programme | None
    """The current programme when it was started from this assessment."""

    @property
    def red_flag(self) -> bool:
        return self.view["disposition"] in RED_FLAGS


# --- the warning signs ------------------------------------------------------------------------


def warning_signs(assessment: Assessment, content: ProgrammeContent) -> WarningSigns | None:
    """The emergency and urgent rules that fire for ``assessment``; None when none does."""
    found = [
        f
        for f in findings(assessment, content.settings[1])
        if f.disposition.severity >= Disposition.URGENT.severity
    ]
    if not found:
        return None
    top = found[0].disposition  # findings come most urgent first
    return WarningSigns(
        top,
        tuple(Reason(f.rule, f.detail) for f in found if f.disposition is top),
        tuple(Reason(f.rule, f.detail) for f in found if f.disposition is not top),
    )


def stop_intake(
    uow: UnitOfWork, clock: Clock, signs: WarningSigns, day: date, person_id: str
) -> None:
    """Keep the stop in the journal and end the current programme (one transaction)."""
    with uow:
        repo = uow.repo
        person = resolve_person(repo, person_id)
        current = repo.current_programme(person.id)
        if current is not None:
            repo.end_programme(current.id, day)
        text = _stop_text(signs)
        repo.add_note(Note(uuid.uuid4().hex, person.id, day, STOP_AUTHOR, text, clock.now()))
        uow.commit()


def _stop_text(signs: WarningSigns) -> str:
    lines = [
        f"Intake stopped at the warning signs: {signs.disposition.value}.",
        HEADLINES[signs.disposition],
    ]
    lines += [f"Why: {r.detail} (rule {r.rule})" for r in signs.leading]
    lines += [f"Also: {r.detail} (rule {r.rule})" for r in signs.also]
    return "\n".join(lines)


def _read_stop(note: Note, content: ProgrammeContent) -> dict[str, Any] | None:
    """The triage-shaped view of a stop note; None when the note is not one."""
    lines = note.text.splitlines()
    first = _FIRST_LINE.match(lines[0]) if lines else None
    if note.author != STOP_AUTHOR or first is None:
        return None
    disposition = Disposition(first.group(1))
    why: list[Reason] = []
    also: list[Reason] = []
    for line in lines[2:]:
        found = _REASON_LINE.match(line)
        if found and found["rule"] in content.book.rules:  # a rule retired since: left out
            (why if found[1] == "Why" else also).append(Reason(found["rule"], found["detail"]))
    return {
        "schema_version": 1,
        "disposition": disposition.value,
        "programme_allowed": False,
        "headline": HEADLINES[disposition],
        "reasons": content.book.describe_all(why),
        "also_noted": content.book.describe_all(also),
        "likely_condition": None,
        "differentials": [],
        "meanwhile": meanwhile(disposition, content.pain),
        "pathway": None,
        "warning_signs_only": True,
    }


# --- what stands ------------------------------------------------------------------------------


def standing(uow: UnitOfWork, content: ProgrammeContent, person_id: str) -> Standing | None:
    """The runner's latest intake answer: a stop at the warning signs when it is newer than
    their latest assessment (on a tie the stop wins: safety first), else that assessment's
    triage. None before any intake."""
    with uow:
        repo = uow.repo
        person = resolve_person(repo, person_id)
        stored = repo.assessments(person.id)
        notes = repo.notes(person.id)
        programme = repo.current_programme(person.id)
    latest = stored[-1] if stored else None
    stop = _latest_stop(notes, content)
    if stop is not None and (latest is None or stop[0].created_at >= latest.recorded_at):
        return Standing(stop[1], stop[0].day, None, programme)
    if latest is None:
        return None
    view = assessment_view(latest, content)
    mine = programme is not None and programme.assessment_version == latest.version
    return Standing(view, latest.recorded_on, latest, programme if mine else None)


def _latest_stop(
    notes: Sequence[Note], content: ProgrammeContent
) -> tuple[Note, dict[str, Any]] | None:
    stops = [(n, v) for n in notes if (v := _read_stop(n, content)) is not None]
    return max(stops, key=lambda s: s[0].created_at) if stops else None


def assessment_view(stored: StoredAssessment, content: ProgrammeContent) -> dict[str, Any]:
    """The triage of a stored assessment (by today's rules, as ``runrehab triage`` gives it)."""
    view = triage_view(
        stored.assessment, content.catalogue.protocol, content.book, content.settings
    )
    view["warning_signs_only"] = False
    return view


def is_repeat(uow: UnitOfWork, person_id: str, document: dict[str, Any], day: date) -> bool:
    """Whether ``document`` is the runner's latest assessment, sent again the same day (a
    form posted twice): nothing new to store then."""
    with uow:
        repo = uow.repo
        stored = repo.assessments(person_id)
        notes = repo.notes(person_id)
    if not stored:
        return False
    latest = stored[-1]
    stopped_since = any(
        n.author == STOP_AUTHOR and n.created_at >= latest.recorded_at for n in notes
    )
    return latest.recorded_on == day and latest.document == document and not stopped_since


# --- words for the result pages ---------------------------------------------------------------


def tell_them(view: dict[str, Any], document: dict[str, Any] | None) -> list[str]:
    """What to tell the doctor or physiotherapist: what was found, then the main answers."""
    found = [r["detail"] for r in (*view["reasons"], *view["also_noted"]) if r.get("detail")]
    lines = [*found, *(facts(document) if document else [])]
    return _unique(line[:1].upper() + line[1:] for line in lines)


def suspected(view: dict[str, Any]) -> list[str]:
    """The conditions the answers point to, in plain words, the likeliest first."""
    likely = view.get("likely_condition") or {}
    names = [likely["name"]] if likely.get("id") not in (None, "needs-assessment") else []
    names += [d["name"] for d in view.get("differentials", []) if d["fits"]]
    return _unique(names)


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def projection(stored: StoredAssessment, start: date, content: ProgrammeContent) -> dict[str, Any]:
    """The dated projection of the programme (``plan_view``), without the day-by-day list
    beyond the first week, which the result page does not show."""
    plan = plan_view(stored.assessment, start, PLAN_WEEKS, content.protocol, content.catalogue)
    plan["first_week"] = plan.pop("days")[:7]
    plan.pop("ladder", None)
    return plan
