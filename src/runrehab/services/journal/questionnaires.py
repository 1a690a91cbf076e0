"""Use cases of the outcome questionnaires: answer one, show one, say which are due.

An answer is checked in full before anything is written, scored, stored, and folded into the
programme, so the "no improvement after six weeks" rule (digest 14(a) R7) is applied on the day
it was answered. Missing answers are asked for (``questionnaires_due``), never filled in.

Each use case returns a view (a frozen dataclass, ``services.views``): the web page reads its
fields, and the API and ``runrehab questionnaire --json`` answer ``jsonable(view)``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

from runrehab.content import schema
from runrehab.content.words import Words
from runrehab.engine.fear_screen import fear_prompt, is_high
from runrehab.engine.outcomes import Outcomes
from runrehab.engine.protocol import Settings
from runrehab.engine.questionnaire import (
    FEAR_OF_MOVEMENT,
    KUJALA,
    Instrument,
    check_answers,
    due_questionnaires,
    falling_due,
    score_answers,
)
from runrehab.engine.values import Reason
from runrehab.errors import InvalidDocument, Problem, RunRehabError
from runrehab.services.content import ProgrammeContent
from runrehab.services.intake.triage import headline
from runrehab.services.journal.asked_day import AskedDay, asked_day
from runrehab.services.journal.described import describe, described
from runrehab.services.journal.programme import (
    outcomes_of,
    refold,
    require_programme,
    require_started,
    resolve_person,
)
from runrehab.services.ports import Clock, Repository, UnitOfWork
from runrehab.services.reasons import ReasonView
from runrehab.services.records import DecisionRecord, Programme, QuestionnaireResponse
from runrehab.text import bad_texts

KIND = "questionnaire"
REASSURANCE_TOPIC = "pain-is-not-damage"
"""The knowledge page a high fear-of-movement screen points to."""
ANSWERS_EXAMPLE = '{"answers": {...}}'
ANSWERS_MAX_BYTES = 64 * 1024
"""Answers are a few hundred bytes; anything this big is not answers."""

Answers = Mapping[str, object]
"""A questionnaire's answers: item id -> option id (a choice) or a whole number (a scale)."""


class UnknownQuestionnaire(InvalidDocument, LookupError):
    """No questionnaire has that id: a problem at ``$.instrument`` naming the ones there are
    (the command line exits 2; the web answers 404)."""


class AnswersTooLarge(RunRehabError, ValueError):
    """An answers document far larger than any answers (the web answers 413)."""


# --- the views ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OptionView:
    id: str
    label: str
    points: int
    note: str


@dataclass(frozen=True, slots=True)
class ChoiceItemView:
    """A question answered by picking one of its ``options``."""

    id: str
    question: str
    note: str
    kind: Literal["choice"]
    max_points: int
    options: tuple[OptionView, ...]


@dataclass(frozen=True, slots=True)
class ScaleItemView:
    """A question answered by a whole number from ``low`` to ``high``."""

    id: str
    question: str
    note: str
    kind: Literal["scale"]
    low: int
    high: int
    low_label: str
    high_label: str


@dataclass(frozen=True, slots=True)
class QuestionnaireView:
    """A questionnaire's questions and answers, for showing or asking."""

    schema_version: int
    id: str
    name: str
    intro: str
    recall: str
    note: str
    licence_note: str
    sources: tuple[str, ...]
    items: tuple[ChoiceItemView | ScaleItemView, ...]


@dataclass(frozen=True, slots=True)
class DueQuestionnaire:
    instrument: str
    name: str
    since: date
    last: date | None
    baseline: bool
    """No answer yet: this one is the one later answers are compared with."""
    overdue_days: int


@dataclass(frozen=True, slots=True)
class ProgrammeStarted:
    started: date


@dataclass(frozen=True, slots=True)
class DueView:
    """The questionnaires due on ``date`` for the current programme."""

    schema_version: int
    date: date
    programme: ProgrammeStarted
    due: tuple[DueQuestionnaire, ...]


@dataclass(frozen=True, slots=True)
class ChangeView:
    """The change since the programme's first answer (the baseline); ``mic`` is the change
    known to matter and ``reaches_mic`` whether it was reached (None for the worry check)."""

    baseline_date: date
    baseline: int
    change: int
    mic: int | None
    reaches_mic: bool | None


@dataclass(frozen=True, slots=True)
class PageLink:
    """A knowledge page to read: its id, title and summary."""

    topic: str
    title: str
    summary: str


@dataclass(frozen=True, slots=True)
class PromptView:
    """A prompt to get help: its rule's words, source and detail, and the page to read. A
    prompt never changes the programme."""

    rule: str
    title: str
    text: str
    source: str
    detail: str
    reading: PageLink


@dataclass(frozen=True, slots=True)
class ScreenView:
    """The worry check's answer: high or not, the prompt when it is, a kind note when not."""

    high: bool
    high_from: int
    prompt: PromptView | None
    note: str | None
    reassurance: PageLink


@dataclass(frozen=True, slots=True)
class AnswerDecision:
    """The decision of the answer's day, when the fold kept one, with its reasons in words."""

    date: date
    action: str
    disposition: str
    reasons: tuple[ReasonView, ...]


@dataclass(frozen=True, slots=True)
class ProgrammeStatus:
    status: str


@dataclass(frozen=True, slots=True)
class ResponseView:
    """A stored answer: its score, the change since the programme's first answer of the same
    questionnaire, the worry check's screen, and the day's decision."""

    schema_version: int
    instrument: str
    name: str
    date: date
    answers: Mapping[str, object]
    score: int
    max_score: int
    change: ChangeView | None
    screen: ScreenView | None
    decision: AnswerDecision | None
    headline: str | None
    programme: ProgrammeStatus | None


# --- answering ----------------------------------------------------------------------------------


def record_response(
    uow: UnitOfWork,
    clock: Clock,
    content: ProgrammeContent,
    instrument: str,
    day: date,
    answers: Answers,
    person_id: str | None = None,
) -> QuestionnaireResponse:
    """Check, score and store one questionnaire answered on ``day`` (replacing one of the same
    instrument and day), then fold the programme through ``day``. Nothing is written when the
    answers are refused: every check comes before the first write, in one transaction."""
    measure = instrument_of(content, instrument)
    problems = check_answers(answers, measure)
    if problems:
        raise InvalidDocument(KIND, list(problems))
    with uow:
        repo = uow.repo
        person = resolve_person(repo, person_id)
        programme = repo.current_programme(person.id)
        _check_date(content.words, programme, day)
        score = score_answers(answers, measure)
        response = QuestionnaireResponse(
            person.id, measure.id, day, dict(answers), float(score), clock.now()
        )
        repo.put_response(response)
        if programme is not None:
            refold(repo, content, programme, day)
        uow.commit()
    return response


def answer_questionnaire(
    uow: UnitOfWork,
    clock: Clock,
    content: ProgrammeContent,
    instrument: str,
    day: date,
    answers: Answers,
    person_id: str | None = None,
) -> ResponseView:
    """Record the answers (``record_response``) and show what they led to (``response_view``)."""
    response = record_response(uow, clock, content, instrument, day, answers, person_id)
    return response_view(uow, content, response, person_id)


def answer_document(
    uow: UnitOfWork,
    clock: Clock,
    content: ProgrammeContent,
    instrument: str,
    document: bytes,
    asked: AskedDay,
    person_id: str,
) -> ResponseView:
    """Answer from an answers document, JSON text ``{"answers": {...}}`` (the API's body), on
    the day ``asked`` names. Refused in this order, nothing stored: a questionnaire that is not
    there, a document far too large, one that is not an answers document, a day that may not
    be asked for, answers that do not fit the questions."""
    instrument_of(content, instrument)
    if len(document) > ANSWERS_MAX_BYTES:
        raise AnswersTooLarge(content.words.say("questionnaires.refused.too_large"))
    answers = read_answers_json(document, content.words)
    day = asked_day(uow, content.words, person_id, asked).day
    return answer_questionnaire(uow, clock, content, instrument, day, answers, person_id)


def read_answers(document: object, words: Words) -> dict[str, object]:
    """The answers of an answers document, ``{"answers": {item id: answer, ...}}``."""
    if not isinstance(document, dict):
        example = words.say(
            "questionnaires.refused.not_an_answers_document", example=ANSWERS_EXAMPLE
        )
        raise InvalidDocument(KIND, [Problem("$", example)])
    unknown = words.say("questionnaires.refused.unknown_field")
    problems = [Problem(f"$.{key}", unknown) for key in document if key != "answers"]
    answers = document.get("answers")
    if not isinstance(answers, dict):
        not_an_object = words.say("questionnaires.refused.answers_not_an_object")
        problems.insert(0, Problem("$.answers", not_an_object))
    if problems:
        raise InvalidDocument(KIND, problems)
    assert isinstance(answers, dict)
    return answers


def read_answers_json(text: bytes | str, words: Words) -> dict[str, object]:
    """``read_answers`` of JSON text: text that is not JSON, or breaks the text rule
    (``runrehab.text``) anywhere, is refused naming where."""
    try:
        document = json.loads(text)
    except UnicodeDecodeError:
        said = words.say("questionnaires.refused.not_utf8")
        raise InvalidDocument(KIND, [Problem("$", said)]) from None
    except json.JSONDecodeError as err:
        said = words.say(
            "questionnaires.refused.not_json", reason=err.msg, line=err.lineno, column=err.colno
        )
        raise InvalidDocument(KIND, [Problem("$", said)]) from None
    problems = [Problem(path, problem) for path, problem in bad_texts(document)]
    if problems:
        raise InvalidDocument(KIND, problems)
    return read_answers(document, words)


def instrument_of(content: ProgrammeContent, instrument: str) -> Instrument:
    """The questionnaire ``instrument``; ``UnknownQuestionnaire`` naming the ones there are."""
    found = content.instruments.get(instrument)
    if found is None:
        said = content.words.say(
            "questionnaires.refused.not_a_questionnaire",
            instrument=repr(instrument),
            known=", ".join(sorted(content.instruments)),
        )
        raise UnknownQuestionnaire(KIND, [Problem("$.instrument", said)])
    return found


def _check_date(words: Words, programme: Programme | None, day: date) -> None:
    """An answer from before the programme started would belong to no programme."""
    if programme is not None and day < programme.started_on:
        said = words.say(
            "questionnaires.refused.before_start",
            day=day.isoformat(),
            started=programme.started_on.isoformat(),
        )
        raise InvalidDocument(KIND, [Problem("$.date", said)])


# --- showing ------------------------------------------------------------------------------------


def questionnaire_view(content: ProgrammeContent, instrument: str) -> QuestionnaireView:
    """A questionnaire's questions and answers, for showing or asking."""
    instrument_of(content, instrument)  # an unknown id is refused the same way everywhere
    q = content.catalogue.questionnaires[instrument]
    return QuestionnaireView(
        schema_version=1,
        id=q.id,
        name=q.name,
        intro=q.intro,
        recall=q.recall,
        note=q.note,
        licence_note=q.licence_note,
        sources=tuple(q.sources),
        items=tuple(_item_view(item) for item in q.item),
    )


def _item_view(item: schema.ChoiceItem | schema.ScaleItem) -> ChoiceItemView | ScaleItemView:
    if isinstance(item, schema.ChoiceItem):
        options = tuple(OptionView(o.id, o.label, o.points, o.note) for o in item.options)
        return ChoiceItemView(item.id, item.question, item.note, "choice", item.max_points, options)
    return ScaleItemView(
        item.id,
        item.question,
        item.note,
        "scale",
        item.low,
        item.high,
        item.low_label,
        item.high_label,
    )


def questionnaires_due(
    uow: UnitOfWork, content: ProgrammeContent, day: date, person_id: str | None = None
) -> DueView:
    """The questionnaires due on ``day`` for the current programme."""
    with uow:
        repo = uow.repo
        person = resolve_person(repo, person_id)
        programme = require_programme(repo, person)
        require_started(programme, day)
        outcomes = outcomes_of(repo.responses(person.id))
    due = due_questionnaires(programme.started_on, outcomes, day, content.protocol.settings)
    names = content.instruments
    return DueView(
        schema_version=1,
        date=day,
        programme=ProgrammeStarted(programme.started_on),
        due=tuple(
            DueQuestionnaire(
                instrument=d.instrument,
                name=names[d.instrument].name,
                since=d.since,
                last=d.last,
                baseline=d.baseline,
                overdue_days=(day - d.since).days,
            )
            for d in due
        ),
    )


def response_view(
    uow: UnitOfWork,
    content: ProgrammeContent,
    response: QuestionnaireResponse,
    person_id: str | None = None,
) -> ResponseView:
    """A stored answer: its score, the change since the programme's first answer of the same
    questionnaire and whether it reaches the change that matters, and the day's decision."""
    with uow:
        repo = uow.repo
        person = resolve_person(repo, person_id)
        programme = repo.current_programme(person.id)
        since = None if programme is None else programme.started_on
        earlier = [
            r
            for r in repo.responses(person.id, response.instrument)
            if since is None or r.day >= since
        ]
        decision = None if programme is None else _decision_on(repo, programme, response.day)
        status = None if programme is None else programme.state.status.value
    measure = content.instruments[response.instrument]
    screen = None
    if response.instrument == FEAR_OF_MOVEMENT:
        screen = _screen_part(content, response, earlier, since)
    return ResponseView(
        schema_version=1,
        instrument=measure.id,
        name=measure.name,
        date=response.day,
        answers=dict(response.answers),
        score=round(response.score),
        max_score=measure.max_score,
        change=_change_since_first(content, measure, earlier, response),
        screen=screen,
        decision=_decision_part(decision, content),
        headline=None if decision is None else headline(content.words, decision.disposition),
        programme=None if status is None else ProgrammeStatus(status),
    )


def _change_since_first(
    content: ProgrammeContent,
    measure: Instrument,
    earlier: list[QuestionnaireResponse],
    response: QuestionnaireResponse,
) -> ChangeView | None:
    """None when this answer is the baseline. Kujala: higher is better; weekly (worst) pain:
    lower is better. The fear-of-movement screen has no change known to matter (``mic`` and
    ``reaches_mic`` None)."""
    first = earlier[0] if earlier else None
    if first is None or first.day >= response.day:
        return None
    change = round(response.score - first.score)
    if measure.id == FEAR_OF_MOVEMENT:
        return ChangeView(first.day, round(first.score), change, None, None)
    s = content.protocol.settings
    better = change if measure.id == KUJALA else -change
    mic = s.kujala_mic if measure.id == KUJALA else s.worst_pain_mic
    return ChangeView(first.day, round(first.score), change, mic, better >= mic)


# --- the fear-of-movement screen --------------------------------------------------------------


def _screen_part(
    content: ProgrammeContent,
    response: QuestionnaireResponse,
    earlier: list[QuestionnaireResponse],
    since: date | None,
) -> ScreenView:
    """Whether the screen is high, with the prompt (its rule's words) and the reassurance page
    when it is, and a short kind note when it is not."""
    outcomes = outcomes_of([r for r in earlier if r.day <= response.day])
    start = response.day if since is None else since
    settings = content.protocol.settings
    prompt = fear_prompt(outcomes, start, response.day, settings)
    return ScreenView(
        high=is_high(round(response.score), settings),
        high_from=settings.fear_screen_high_from,
        prompt=None if prompt is None else prompt_view(content, prompt),
        note=None if prompt is not None else content.words.say("questionnaires.screen.not_high"),
        reassurance=reassurance_view(content),
    )


def reassurance_view(content: ProgrammeContent) -> PageLink:
    """The reassurance page ("Pain is not damage"): its id, title and summary."""
    topic = next(t for t in content.catalogue.knowledge.topic if t.id == REASSURANCE_TOPIC)
    return PageLink(topic.id, topic.title, topic.summary)


def prompt_view(content: ProgrammeContent, reason: Reason) -> PromptView:
    """A prompt as the views show it: the rule's words, source and detail, and the page to
    read. A prompt asks the runner to get help; it never changes the programme."""
    said = describe(content, reason)
    return PromptView(
        said.rule, said.title, said.text, said.source, said.detail, reassurance_view(content)
    )


def day_prompts(
    content: ProgrammeContent, programme_started: date, outcomes: Outcomes, day: date
) -> tuple[PromptView, ...]:
    """The prompts of ``day``: the fear-of-movement prompt while the latest screen is high."""
    found = fear_prompt(outcomes, programme_started, day, content.protocol.settings)
    return () if found is None else (prompt_view(content, found),)


# --- on which days each falls due -------------------------------------------------------------


def due_by_day(
    questionnaires: Mapping[str, schema.Questionnaire],
    settings: Settings,
    programme_started: date,
    outcomes: Outcomes,
    first: date,
    days: int,
) -> dict[str, list[dict[str, str]]]:
    """ISO day -> the questionnaires falling due that day (``falling_due``: each taken as
    answered on the day it is listed), for the ``days`` days from ``first``."""
    found = falling_due(programme_started, outcomes, first, days, settings)
    return {
        day.isoformat(): [
            {"instrument": d.instrument, "name": questionnaires[d.instrument].name} for d in due
        ]
        for day, due in found
    }


def _decision_on(repo: Repository, programme: Programme, day: date) -> DecisionRecord | None:
    """The day's decision, when the fold kept one (a quiet day keeps none). The intake
    decision comes first and is not the answer's doing, so it is left out."""
    found = [d for d in repo.decisions(programme.id)[1:] if d.day == day]
    return found[-1] if found else None


def _decision_part(
    decision: DecisionRecord | None, content: ProgrammeContent
) -> AnswerDecision | None:
    if decision is None:
        return None
    return AnswerDecision(
        date=decision.day,
        action=decision.action.value,
        disposition=decision.disposition.value,
        reasons=described(content, decision.reasons),
    )
