"""Use cases of the outcome questionnaires: answer one, show one, say which are due.

An answer is checked in full before anything is written, scored, stored, and folded into the
programme, so the "no improvement after six weeks" rule (digest 14(a) R7) is applied on the day
it was answered. Missing answers are asked for (``due_view``), never filled in.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from runrehab.content import schema
from runrehab.engine.questionnaire import (
    KUJALA,
    Instrument,
    check_answers,
    due_questionnaires,
    score_answers,
)
from runrehab.errors import InvalidDocument, Problem
from runrehab.services.content import ProgrammeContent
from runrehab.services.journal import (
    outcomes_of,
    refold,
    require_programme,
    require_started,
    resolve_person,
)
from runrehab.services.ports import Clock, Repository, UnitOfWork
from runrehab.services.reasons import ReasonBook
from runrehab.services.records import DecisionRecord, Programme, QuestionnaireResponse
from runrehab.services.triage import HEADLINES

KIND = "questionnaire"


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
    """Kujala: higher is better; weekly (worst) pain: lower is better."""
    s = content.protocol.settings
    change = round(response.score - first.score)
    better = change if measure.id == KUJALA else -change
    mic = s.kujala_mic if measure.id == KUJALA else s.worst_pain_mic
    return {
        "baseline_date": first.day.isoformat(),
        "baseline": round(first.score),
        "change": change,
        "mic": mic,
        "reaches_mic": better >= mic,
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
