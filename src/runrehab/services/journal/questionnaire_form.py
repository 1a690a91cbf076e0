"""The questionnaires' web form: the page that asks every question, the answers it posts, and
the page of the answer stored.

A form posts its day in its hidden ``date`` field, checked as every programme day is
(``asked_day``); a refused form comes back with the answers kept and what needs another look,
by field, in the runner's words; nothing is stored then.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from runrehab.content.words import Words
from runrehab.errors import InvalidDocument, JournalError, Problem
from runrehab.services.content import ProgrammeContent
from runrehab.services.journal.asked_day import AskedDay, asked_day
from runrehab.services.journal.days import DayNotAllowed, day_text
from runrehab.services.journal.questionnaires import (
    ChoiceItemView,
    QuestionnaireView,
    ResponseView,
    ScaleItemView,
    instrument_of,
    questionnaire_view,
    record_response,
    response_view,
)
from runrehab.services.ports import Clock, UnitOfWork
from runrehab.services.records import QuestionnaireResponse


class NothingAnswered(JournalError, LookupError):
    """No answer of that questionnaire on that day (the web answers 404)."""


@dataclass(frozen=True, slots=True)
class QuestionnaireForm:
    """The questionnaire's page: its questions, the day, the answers shown (a stored answer of
    the day, or what was just sent) and, when refused, what needs another look by field."""

    questionnaire: QuestionnaireView
    day: date
    answers: Mapping[str, str]
    errors: Mapping[str, str]
    answered: bool
    """An answer of that day is stored already: saving again replaces it."""


@dataclass(frozen=True, slots=True)
class Answered:
    """A form's answers were stored for ``day``: the page goes on to the score."""

    instrument: str
    day: date


def questionnaire_form(
    uow: UnitOfWork, content: ProgrammeContent, instrument: str, day: date, person_id: str
) -> QuestionnaireForm:
    """The questionnaire's page for ``day``, with the answers stored for that day, if any."""
    shown = questionnaire_view(content, instrument)
    stored = _stored(uow, person_id, instrument, day)
    answers = {} if stored is None else {k: str(v) for k, v in stored.answers.items()}
    return QuestionnaireForm(shown, day, answers, {}, stored is not None)


def answer_form(
    uow: UnitOfWork,
    clock: Clock,
    content: ProgrammeContent,
    instrument: str,
    fields: Mapping[str, str],
    today: date,
    person_id: str,
) -> QuestionnaireForm | Answered:
    """Store the answers a form sent for the day of its ``date`` field (empty: ``today``), or
    give the form back with what needs another look and the answers kept, nothing stored. A
    day after ``today`` or before the programme is the form's ``date`` error."""
    shown_form = questionnaire_view(content, instrument)
    items = {item.id: item for item in shown_form.items}
    shown = {k: fields[k] for k in items if fields.get(k, "").strip()}
    try:
        asked = AskedDay(fields.get("date"), today)
        day = asked_day(uow, content.words, person_id, asked).day
    except DayNotAllowed as err:
        return QuestionnaireForm(shown_form, today, shown, {"date": str(err)}, False)
    answers = {k: _form_answer(items[k], text) for k, text in shown.items()}
    try:
        record_response(uow, clock, content, instrument, day, answers, person_id)
    except InvalidDocument as err:
        errors = _form_errors(content.words, err.problems, shown)
        return QuestionnaireForm(shown_form, day, shown, errors, False)
    return Answered(instrument, day)


def _form_answer(item: ChoiceItemView | ScaleItemView, raw: str) -> str | int:
    """A scale item's answer is a number; a choice item's the option's id."""
    text = raw.strip()
    number = item.kind == "scale" and len(text) <= 3 and text.isdecimal()
    return int(text) if number else text


def _form_errors(
    words: Words, problems: tuple[Problem, ...], shown: Mapping[str, str]
) -> dict[str, str]:
    """Each refused question's field: "choose an answer" when it had none, else "choose one of
    these"; the first word for a field stands."""
    errors: dict[str, str] = {}
    for p in problems:
        name = p.path.removeprefix("$.answers.").removeprefix("$.")
        if name in shown:
            said = words.say("questionnaires.form.choose_one")
        else:
            said = words.say("questionnaires.form.choose_an_answer")
        errors.setdefault(name if name != "answers" else "form", said)
    return errors


def answered_view(
    uow: UnitOfWork, content: ProgrammeContent, instrument: str, day: date, person_id: str
) -> ResponseView:
    """The answer of ``instrument`` stored for ``day``, as ``response_view`` shows it;
    ``NothingAnswered`` when there is none."""
    instrument_of(content, instrument)  # an unknown one is refused first
    response = _stored(uow, person_id, instrument, day)
    if response is None:
        raise NothingAnswered(
            content.words.say("questionnaires.refused.nothing_answered", day=day_text(day, True))
        )
    return response_view(uow, content, response, person_id)


def _stored(
    uow: UnitOfWork, person_id: str, instrument: str, day: date
) -> QuestionnaireResponse | None:
    with uow:
        found = [r for r in uow.repo.responses(person_id, instrument) if r.day == day]
    return found[-1] if found else None
