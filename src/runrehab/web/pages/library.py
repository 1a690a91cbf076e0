"""The library's pages: exercises, plain-language guides, the FAQ, the glossary, what to leave
out for now, and every clinical rule with its source, all searchable.

It is general information, so every page answers without signing in (the main navigation still
shows only to a signed-in runner). Search works as a plain GET form; with htmx the results
update as the runner types, from the ``/library/search`` fragment. ``/library/rules/{rule_id}``
is a stable address: the "why?" links of the other rooms land there. An entry asked for by a
name or an alias is sent to its one stable address.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from runrehab.services.library.pages import (
    NotInLibrary,
    avoid_page,
    exercise_page,
    faq_list,
    glossary_page,
    library_page,
    rule_page,
    rules_page,
    search_page,
    topic_page,
    traceability_page,
)
from runrehab.web.deps import Csrf, Parts
from runrehab.web.rendering import render

router = APIRouter(dependencies=[Csrf])


def _moved(address: str) -> RedirectResponse:
    return RedirectResponse(address, status_code=303)


@router.get("/library", include_in_schema=False)
def library(request: Request, app_parts: Parts, q: str = "") -> Response:
    view = library_page(app_parts.content, q)
    status = 400 if view.search.error else 200
    return render(request, "library/index.html", {"view": view}, status, active="library")


@router.get("/library/search", include_in_schema=False)
def search_fragment(request: Request, app_parts: Parts, q: str = "") -> Response:
    """The results alone, for htmx; a browser that asks for it directly gets the full page."""
    target = "/library" + (f"?{urlencode({'q': q})}" if q.strip() else "")
    if request.headers.get("hx-request") != "true":
        return _moved(target)
    found = search_page(app_parts.content, q)
    status = 400 if found.error else 200
    response = render(request, "library/_search.html", {"search": found}, status_code=status)
    response.headers["HX-Push-Url"] = target  # the address bar shows the page, not the fragment
    response.headers["Vary"] = "HX-Request"
    return response


@router.get("/library/avoid", include_in_schema=False)
def avoid(request: Request, app_parts: Parts) -> Response:
    view = avoid_page(app_parts.content)
    return render(request, "library/avoid.html", {"view": view}, active="library")


@router.get("/library/exercises/{exercise_id}", include_in_schema=False)
def exercise(request: Request, app_parts: Parts, exercise_id: str) -> Response:
    try:
        view = exercise_page(app_parts.content, exercise_id)
    except NotInLibrary as err:
        raise HTTPException(404, str(err)) from None
    if view.address != f"/library/exercises/{exercise_id}":  # found by a name or an alias
        return _moved(view.address)
    return render(request, "library/exercise.html", {"view": view}, active="library")


@router.get("/library/knowledge/{topic}", include_in_schema=False)
def knowledge(request: Request, app_parts: Parts, topic: str) -> Response:
    try:
        view = topic_page(app_parts.content, topic)
    except NotInLibrary as err:
        raise HTTPException(404, str(err)) from None
    if view.address != f"/library/knowledge/{topic}":  # a question, a term, or by its title
        return _moved(view.address)
    return render(request, "library/topic.html", {"view": view}, active="library")


@router.get("/library/faq", include_in_schema=False)
def faq(request: Request, app_parts: Parts) -> Response:
    view = faq_list(app_parts.content)
    return render(request, "library/faq.html", {"view": view}, active="library")


@router.get("/library/glossary", include_in_schema=False)
def glossary(request: Request, app_parts: Parts) -> Response:
    view = glossary_page(app_parts.content)
    return render(request, "library/glossary.html", {"view": view}, active="library")


@router.get("/library/rules", include_in_schema=False)
def rules(request: Request, app_parts: Parts) -> Response:
    view = rules_page(app_parts.content)
    return render(request, "library/rules.html", {"view": view}, active="library")


@router.get("/library/traceability", include_in_schema=False)
def traceability(request: Request, app_parts: Parts) -> Response:
    view = traceability_page(app_parts.content)
    return render(request, "library/traceability.html", {"view": view}, active="library")


@router.get("/library/rules/{rule_id}", include_in_schema=False)
def rule(request: Request, app_parts: Parts, rule_id: str) -> Response:
    try:
        view = rule_page(app_parts.content, rule_id)
    except NotInLibrary as err:
        raise HTTPException(404, str(err)) from None
    return render(request, "library/rule.html", {"view": view}, active="library")
