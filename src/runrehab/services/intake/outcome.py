"""Use cases after the intake: a red flag that stops it, and the answer that stands now.

A red flag (an emergency or urgent triage rule) found on the warning-sign steps stops the
intake at once. Those steps are not a whole assessment, and inventing the other answers to
store one would put words in the runner's mouth that a clinician would then read. So the stop
is kept as a note by RunRehab in the runner's journal (the history, the report and the export
show it, with every rule id) and the current programme, if any, ends that day: no page can go
on saying "you can run" after a red flag. The stop stands until the runner completes a new
assessment; a red flag found in a complete assessment is stored with it, as the journal's
``start_programme`` does (a stopped programme).

The note's lines are the words of ``intake.stop``, and a stop is read back from a note by those
same words.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import date
from functools import lru_cache
from string import Template
from typing import Any

from runrehab.content.locale import LANGUAGES
from runrehab.content.words import Words, shipped_words
from runrehab.engine.assessment import Assessment
from runrehab.engine.triage import findings
from runrehab.engine.values import Disposition, Reason
from runrehab.services.content import ProgrammeContent
from runrehab.services.details import detail_text
from runrehab.services.intake.preview import PlanView, plan_projection
from runrehab.services.intake.questions import intake_questions
from runrehab.services.intake.triage import (
    SCHEMA_VERSION,
    TriageView,
    headline,
    reasons_of,
    triage_of,
    until_seen,
)
from runrehab.services.journal.programme import resolve_person
from runrehab.services.ports import Clock, UnitOfWork
from runrehab.services.records import Document, Note, Programme, StoredAssessment

STOP_AUTHOR = "RunRehab"
RED_FLAGS = (Disposition.EMERGENCY.value, Disposition.URGENT.value)
PLAN_WEEKS = 12
NEEDS_ASSESSMENT = "needs-assessment"
"""The likely condition when triage cannot name one: never shown as a suspected condition."""
_STOP_VALUES = {"disposition": "[a-z_]+", "detail": ".*", "rule": "[a-z0-9-]+"}
"""What each value of a stop note's lines may be, to read the lines back."""


@dataclass(frozen=True, slots=True)
class WarningSigns:
    """The red flags among the answers so far: those at the most urgent level lead."""

    disposition: Disposition
    leading: tuple[Reason, ...]
    also: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class IntakeAnswer(TriageView):
    """What RunRehab told the runner at intake: a triage (``TriageView``), or a stop at the
    warning signs (``warning_signs_only``: no condition, no pathway, nothing stored)."""

    warning_signs_only: bool


@dataclass(frozen=True, slots=True)
class Standing:
    """What RunRehab last told the runner at intake, and stands until a new assessment."""

    answer: IntakeAnswer
    day: date
    assessment: StoredAssessment | None
    """None when the intake stopped at the warning signs."""
    programme: Programme | None
    """The current programme when it was started from this assessment."""

    @property
    def red_flag(self) -> bool:
        return self.answer.red_flag


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
        tuple(Reason(f.rule, f.detail, f.said) for f in found if f.disposition is top),
        tuple(Reason(f.rule, f.detail, f.said) for f in found if f.disposition is not top),
    )


def stop_intake(
    uow: UnitOfWork, clock: Clock, words: Words, signs: WarningSigns, day: date, person_id: str
) -> None:
    """Keep the stop in the journal and end the current programme (one transaction)."""
    with uow:
        repo = uow.repo
        person = resolve_person(repo, person_id)
        current = repo.current_programme(person.id)
        if current is not None:
            repo.end_programme(current.id, day)
        text = _stop_text(signs, words)
        repo.add_note(Note(uuid.uuid4().hex, person.id, day, STOP_AUTHOR, text, clock.now()))
        uow.commit()


def _stop_text(signs: WarningSigns, words: Words) -> str:
    lines = [
        words.say("intake.stop.first", disposition=signs.disposition.value),
        headline(words, signs.disposition),
    ]
    said = [("intake.stop.why", r) for r in signs.leading]
    said += [("intake.stop.also", r) for r in signs.also]
    lines += [
        words.say(key, detail=detail_text(words, r.detail, r.said), rule=r.rule) for key, r in said
    ]
    return "\n".join(lines)


def _read_stop(note: Note, content: ProgrammeContent) -> IntakeAnswer | None:
    """The answer a stop note kept; None when the note is not one."""
    lines = note.text.splitlines()
    if note.author != STOP_AUTHOR or not lines:
        return None
    # the note is in the language of whoever stopped: read it in every language RunRehab
    # speaks, or a runner who switched language would lose their red-flag stop
    for words in (content.words, *(shipped_words(language) for language in LANGUAGES)):
        first = _line("intake.stop.first", words).match(lines[0])
        if first is not None and first["disposition"] in RED_FLAGS:
            return _stop_answer(lines, Disposition(first["disposition"]), words, content)
    return None


def _stop_answer(
    lines: list[str], disposition: Disposition, read: Words, content: ProgrammeContent
) -> IntakeAnswer:
    """The answer a stop note's lines keep, read with the words it was written in."""
    words = content.words
    why: list[Reason] = []
    also: list[Reason] = []
    for line in lines[2:]:
        for key, found in (("intake.stop.why", why), ("intake.stop.also", also)):
            got = _line(key, read).match(line)
            if got and got["rule"] in content.book.rules:  # a rule retired since: left out
                found.append(Reason(got["rule"], got["detail"]))
    return IntakeAnswer(
        schema_version=SCHEMA_VERSION,
        disposition=disposition,
        programme_allowed=False,
        headline=headline(words, disposition),
        reasons=reasons_of(content.book, why),
        also_noted=reasons_of(content.book, also),
        likely_condition=None,
        differentials=(),
        meanwhile=until_seen(words, disposition),
        pathway=None,
        warning_signs_only=True,
    )


def _line(key: str, words: Words) -> re.Pattern[str]:
    return _pattern(words.texts[key])


@lru_cache(maxsize=16)
def _pattern(text: str) -> re.Pattern[str]:
    """A stop note's line as a regular expression, each ``$value`` a named group."""
    parts, end = [], 0
    for found in Template.pattern.finditer(text):
        parts.append(re.escape(text[end : found.start()]))
        name = found["named"] or found["braced"]
        parts.append(f"(?P<{name}>{_STOP_VALUES[name]})" if name else re.escape("$"))
        end = found.end()
    parts.append(re.escape(text[end:]))
    return re.compile("^" + "".join(parts) + "$")


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
    answer = assessment_answer(latest, content)
    mine = programme is not None and programme.assessment_version == latest.version
    return Standing(answer, latest.recorded_on, latest, programme if mine else None)


def _latest_stop(
    notes: Sequence[Note], content: ProgrammeContent
) -> tuple[Note, IntakeAnswer] | None:
    stops = [(n, a) for n in notes if (a := _read_stop(n, content)) is not None]
    return max(stops, key=lambda s: s[0].created_at) if stops else None


def assessment_answer(stored: StoredAssessment, content: ProgrammeContent) -> IntakeAnswer:
    """The triage of a stored assessment (by today's rules, as ``runrehab triage`` gives it)."""
    return answer_of(triage_of(stored.assessment, content))


def answer_of(view: TriageView) -> IntakeAnswer:
    """A whole assessment's triage as the intake's answer."""
    return IntakeAnswer(**view_fields(view), warning_signs_only=False)


def view_fields(view: TriageView) -> dict[str, Any]:
    """The fields of a triage (or of an intake answer) by name, to extend it into a view of
    more fields (the API's answers)."""
    return {f.name: getattr(view, f.name) for f in fields(view)}


def is_repeat(uow: UnitOfWork, person_id: str, document: Document, day: date) -> bool:
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


def tell_them(answer: TriageView, document: Document | None, words: Words) -> tuple[str, ...]:
    """What to tell the doctor or physiotherapist: what was found, then the main answers."""
    found = [r.detail for r in (*answer.reasons, *answer.also_noted) if r.detail]
    facts = intake_questions().facts(document, words) if document else []
    return _unique(line[:1].upper() + line[1:] for line in [*found, *facts])


def suspected(answer: TriageView) -> tuple[str, ...]:
    """The conditions the answers point to, in plain words, the likeliest first."""
    likely = answer.likely_condition
    names = [likely.name] if likely is not None and likely.id != NEEDS_ASSESSMENT else []
    names += [d.name for d in answer.differentials if d.fits]
    return _unique(names)


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def projection(stored: StoredAssessment, start: date, content: ProgrammeContent) -> PlanView:
    """The dated projection of the programme (``plan_projection``) over ``PLAN_WEEKS``."""
    return plan_projection(
        stored.assessment, start, PLAN_WEEKS, content.protocol, content.catalogue, content.words
    )
