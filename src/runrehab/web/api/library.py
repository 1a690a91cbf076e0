"""The library's API: the same use cases as its pages and ``runrehab exercises/explain/rules``,
answering ``jsonable`` of their views. General information: no signing in."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field

from runrehab.services.library.pages import (
    BadSearch,
    NotInLibrary,
    exercise,
    faq_list,
    glossary,
    knowledge,
    rule,
    search_doc,
)
from runrehab.services.library.views import knowledge_index, library_view, rules_view
from runrehab.services.views import jsonable
from runrehab.web.api_docs import api_error_responses
from runrehab.web.deps import Csrf, Parts
from runrehab.web.errors import BadRequest

router = APIRouter(dependencies=[Csrf])


class SearchHitOut(BaseModel):
    kind: str = Field(description="exercise, topic, faq, glossary, avoid or rule")
    id: str
    title: str
    url: str = Field(description="The page that shows it.")
    snippet: str
    title_marks: list[tuple[int, int]] = Field(
        description="Where the query's words are in the title: [start, end) character offsets."
    )
    snippet_marks: list[tuple[int, int]] = Field(description="The same, in the snippet.")


class SearchOut(BaseModel):
    query: str
    terms: list[str] = Field(description="The words searched for, folded.")
    total: int = Field(description="How many entries match; at most 50 are returned.")
    results: list[SearchHitOut]


@router.get(
    "/api/v1/library/search",
    tags=["library"],
    summary="Search exercises, guides, FAQ, glossary, what to avoid and rules",
    response_model=SearchOut,
    responses=api_error_responses(400, database=False),
)
def api_search(app_parts: Parts, q: str = "") -> Any:
    try:
        found = search_doc(app_parts.content, q)
    except BadSearch as err:
        raise BadRequest(str(err), field="q") from None
    return jsonable(found)


@router.get(
    "/api/v1/library/exercises",
    tags=["library"],
    summary="Every exercise (with its phases) and what to leave out for now",
)
def api_exercises(app_parts: Parts) -> dict[str, Any]:
    found: dict[str, Any] = jsonable(library_view(app_parts.content.catalogue))
    return found


@router.get(
    "/api/v1/library/exercises/{exercise_id}",
    tags=["library"],
    summary="One exercise in full: how, cues, doses by phase, progressions, sources",
    responses=api_error_responses(404, database=False),
)
def api_exercise(app_parts: Parts, exercise_id: str) -> Any:
    try:
        return exercise(app_parts.content, exercise_id)
    except NotInLibrary as err:
        raise HTTPException(404, str(err)) from None


@router.get(
    "/api/v1/library/knowledge",
    tags=["library"],
    summary="The guides, the FAQ questions and the glossary terms",
)
def api_knowledge(app_parts: Parts) -> dict[str, Any]:
    found: dict[str, Any] = jsonable(knowledge_index(app_parts.content.catalogue))
    return found


@router.get(
    "/api/v1/library/knowledge/{topic}",
    tags=["library"],
    summary="One guide, FAQ or glossary term (by id, title or alias), with its sources",
    responses=api_error_responses(404, database=False),
)
def api_topic(app_parts: Parts, topic: str) -> Any:
    try:
        return knowledge(app_parts.content, topic)
    except NotInLibrary as err:
        raise HTTPException(404, str(err)) from None


@router.get(
    "/api/v1/library/faq",
    tags=["library"],
    summary="Every question with its answer and sources",
)
def api_faq(app_parts: Parts) -> dict[str, Any]:
    found: dict[str, Any] = jsonable(faq_list(app_parts.content))
    return found


@router.get(
    "/api/v1/library/glossary",
    tags=["library"],
    summary="Every glossary term, A to Z, with its definition and sources",
)
def api_glossary(app_parts: Parts) -> dict[str, Any]:
    found: dict[str, Any] = jsonable(glossary(app_parts.content))
    return found


@router.get(
    "/api/v1/library/rules",
    tags=["library"],
    summary="Every clinical rule with its id, words, sources and what RunRehab does with it",
)
def api_rules(app_parts: Parts) -> dict[str, Any]:
    found: dict[str, Any] = jsonable(rules_view(app_parts.content.catalogue))
    return found


@router.get(
    "/api/v1/library/rules/{rule_id}",
    tags=["library"],
    summary="One clinical rule (the stable id that every reason names)",
    responses=api_error_responses(404, database=False),
)
def api_rule(app_parts: Parts, rule_id: str) -> Any:
    try:
        return rule(app_parts.content, rule_id)
    except NotInLibrary as err:
        raise HTTPException(404, str(err)) from None
