"""Use cases of the outcome questionnaires: answer one, show one, say which are due.

An answer is checked in full before anything is written, scored, stored, and folded into the
programme, so the "no improvement after six weeks" rule (digest 14(a) R7) is applied on the day
it was answered. Missing answers are asked for (``due_view``), never filled in.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from runrehab.content import schema
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
from runrehab.errors import InvalidDocument, Problem
from runrehab.services.content import ProgrammeContent
from runrehab.services.intake.triage import HEADLINES
from runrehab.services.journal.programme import (
    outcomes_of,
    refold,
    require_programme,
    require_started,
    resolve_person,
)
from runrehab.services.ports import Clock, Repository, UnitOfWork
from runrehab.services.reasons import ReasonBook
from runrehab.services.records import DecisionRecord, Programme, QuestionnaireResponse

KIND = "questionnaire"
REASSURANCE_TOPIC = "pain-is-not-damage"
"""The knowledge page a high fear-of-movement screen points to."""
NOT_HIGH_NOTE = (
    "Some worry about a sore knee is normal, and your answers do not suggest it is holding you "
    "back. If that changes, the page on why pain is not damage is there for you."
)
"""The short kind note of a screen that is not high."""


def record_response(
    uow: UnitOfWork,
    clock: Clock,
    content: ProgrammeContent,
    instrument: str,
    day: date,
    answers: dict[str, Any],
    person_id: str | None = None,
) -> QuestionnaireResponse:
    """Check, score and store one questionnaire answered on ``day`` (replacing one of the same
    instrument and day), then fold the programme through ``day``. Nothing is written when the
    answers are refused: every check comes before the first write, in one transaction."""
    measure = _instrument(content, instrument)
    problems = check_answers(answers, measure)
    if problems:
        raise InvalidDocument(KIND, list(problems))
    with uow:
        repo = uow.repo
        person = resolve_person(repo, person_id)
        programme = repo.current_programme(person.id)
        _check_date(programme, day)
        score = score_answers(answers, measure)
        response = QuestionnaireResponse(
            person.id, measure.id, day, dict(answers), float(score), clock.now()
        )
        repo.put_response(response)
        if programme is not None:
            refold(repo, content, programme, day)
        uow.commit()
    return response


def read_answers(document: object) -> dict[str, Any]:
    """The answers of an answers document, ``{"answers": {item id: answer, ...}}``."""
    if not isinstance(document, dict):
        raise InvalidDocument(KIND, [Problem("$", 'must be an object: {"answers": {...}}')])
    problems = [Problem(f"$.{key}", "unknown field") for key in document if key != "answers"]
    answers = document.get("answers")
    if not isinstance(answers, dict):
        problems.insert(0, Problem("$.answers", "must be an object of item id -> answer"))
    if problems:
        raise InvalidDocument(KIND, problems)
    assert isinstance(answers, dict)
    return answers


def _instrument(content: ProgrammeContent, instrument: str) -> Instrument:
    found = content.instruments.get(instrument)
    if found is None:
        known = ", ".join(sorted(content.instruments))
        raise InvalidDocument(
            KIND,
            [Problem("$.instrument", f"{instrument!r} is not a questionnaire: one of {known}")],
        )
    return found


def _check_date(programme: Programme | None, day: date) -> None:
    """An answer from before the programme started would belong to no programme."""
    if programme is not None and day < programme.started_on:
        raise InvalidDocument(
            KIND,
            [
                Problem(
                    "$.date",
                    f"{day.isoformat()} is before the programme started "
                    f"({programme.started_on.isoformat()})",
                )
            ],
        )


# --- showing ----------------------------------------------------------------------------------


def questionnaire_view(content: ProgrammeContent, instrument: str) -> dict[str, Any]:
    """A questionnaire's questions and answers, for showing or asking."""
    _instrument(content, instrument)  # an unknown id is refused the same way everywhere
    q = content.catalogue.questionnaires[instrument]
    return {
        "schema_version": 1,
        "id": q.id,
        "name": q.name,
        "intro": q.intro,
        "recall": q.recall,
        "note": q.note,
        "licence_note": q.licence_note,
        "sources": list(q.sources),
        "items": [_item_view(item) for item in q.item],
    }


def _item_view(item: schema.ChoiceItem | schema.ScaleItem) -> dict[str, Any]:
    view: dict[str, Any] = {"id": item.id, "question": item.question, "note": item.note}
    if isinstance(item, schema.ChoiceItem):
        view["kind"] = "choice"
        view["max_points"] = item.max_points
        view["options"] = [
            {"id": o.id, "label": o.label, "points": o.points, "note": o.note} for o in item.options
        ]
    else:
        view.update(
            kind="scale",
            low=item.low,
            high=item.high,
            low_label=item.low_label,
            high_label=item.high_label,
        )
    return view


def due_view(
    uow: UnitOfWork, content: ProgrammeContent, day: date, person_id: str | None = None
) -> dict[str, Any]:
    """The questionnaires due on ``day`` for the current programme."""
    with uow:
        repo = uow.repo
        person = resolve_person(repo, person_id)
        programme = require_programme(repo, person)
        require_started(programme, day)
        outcomes = outcomes_of(repo.responses(person.id))
    due = due_questionnaires(programme.started_on, outcomes, day, content.protocol.settings)
    names = content.instruments
    return {
        "schema_version": 1,
        "date": day.isoformat(),
        "programme": {"started": programme.started_on.isoformat()},
        "due": [
            {
                "instrument": d.instrument,
                "name": names[d.instrument].name,
                "since": d.since.isoformat(),
                "last": None if d.last is None else d.last.isoformat(),
                "baseline": d.baseline,
                "overdue_days": (day - d.since).days,
            }
            for d in due
        ],
    }


def response_view(
    uow: UnitOfWork,
    content: ProgrammeContent,
    response: QuestionnaireResponse,
    person_id: str | None = None,
) -> dict[str, Any]:
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
    view = _score_part(content, response, earlier)
    view["screen"] = None
    if response.instrument == FEAR_OF_MOVEMENT:
        view["screen"] = _screen_part(content, response, earlier, since)
    view["decision"] = _decision_part(decision, content.book)
    view["headline"] = None if decision is None else HEADLINES[decision.disposition]
    view["programme"] = None if status is None else {"status": status}
    return view


def _score_part(
    content: ProgrammeContent, response: QuestionnaireResponse, earlier: list[QuestionnaireResponse]
) -> dict[str, Any]:
    measure = content.instruments[response.instrument]
    view: dict[str, Any] = {
        "schema_version": 1,
        "instrument": measure.id,
        "name": measure.name,
        "date": response.day.isoformat(),
        "answers": dict(response.answers),
        "score": round(response.score),
        "max_score": measure.max_score,
        "change": None,
    }
    first = earlier[0] if earlier else None
    if first is None or first.day >= response.day:
        return view  # this answer is the baseline
    view["change"] = _change(content, measure, first, response)
    return view


def _change(
    content: ProgrammeContent,
    measure: Instrument,
    first: QuestionnaireResponse,
    response: QuestionnaireResponse,
) -> dict[str, Any]:
    """Kujala: higher is better; weekly (worst) pain: lower is better. The fear-of-movement
    screen has no change known to matter (``mic`` and ``reaches_mic`` None)."""
    s = content.protocol.settings
    change = round(response.score - first.score)
    view: dict[str, Any] = {
        "baseline_date": first.day.isoformat(),
        "baseline": round(first.score),
        "change": change,
        "mic": None,
        "reaches_mic": None,
    }
    if measure.id == FEAR_OF_MOVEMENT:
        return view
    better = change if measure.id == KUJALA else -change
    mic = s.kujala_mic if measure.id == KUJALA else s.worst_pain_mic
    return {**view, "mic": mic, "reaches_mic": better >= mic}


# --- the fear-of-movement screen --------------------------------------------------------------


def _screen_part(
    content: ProgrammeContent,
    response: QuestionnaireResponse,
    earlier: list[QuestionnaireResponse],
    since: date | None,
) -> dict[str, Any]:
    """Whether the screen is high, with the prompt (its rule's words) and the reassurance page
    when it is, and a short kind note when it is not."""
    outcomes = outcomes_of([r for r in earlier if r.day <= response.day])
    start = response.day if since is None else since
    prompt = fear_prompt(outcomes, start, response.day, content.protocol.settings)
    score = round(response.score)
    return {
        "high": is_high(score, content.protocol.settings),
        "high_from": content.protocol.settings.fear_screen_high_from,
        "prompt": None if prompt is None else prompt_view(content, prompt),
        "note": None if prompt is not None else NOT_HIGH_NOTE,
        "reassurance": reassurance_view(content),
    }


def reassurance_view(content: ProgrammeContent) -> dict[str, str]:
    """The reassurance page ("Pain is not damage"): its id, title and summary."""
    topic = next(t for t in content.catalogue.knowledge.topic if t.id == REASSURANCE_TOPIC)
    return {"topic": topic.id, "title": topic.title, "summary": topic.summary}


def prompt_view(content: ProgrammeContent, reason: Reason) -> dict[str, Any]:
    """A prompt as the views show it: the rule's words, source and detail, and the page to
    read. A prompt asks the runner to get help; it never changes the programme."""
    return {**content.book.describe(reason), "reading": reassurance_view(content)}


def prompts(
    content: ProgrammeContent, programme_started: date, outcomes: Outcomes, day: date
) -> list[dict[str, Any]]:
    """The prompts of ``day``: the fear-of-movement prompt while the latest screen is high."""
    found = fear_prompt(outcomes, programme_started, day, content.protocol.settings)
    return [] if found is None else [prompt_view(content, found)]


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


def _decision_part(decision: DecisionRecord | None, book: ReasonBook) -> dict[str, Any] | None:
    if decision is None:
        return None
    return {
        "date": decision.day.isoformat(),
        "action": decision.action.value,
        "disposition": decision.disposition.value,
        "reasons": book.describe_all(decision.reasons),
    }
