"""The library: exercises, plain-language guides, the FAQ, the glossary, what to leave out for
now, and every clinical rule with its source, all searchable.

It is general information, so every page and API route here answers without signing in (the
main navigation still shows only to a signed-in runner). Search works as a plain GET form; with
htmx the results update as the runner types, from the ``/library/search`` fragment.
``/library/rules/{rule_id}`` is a stable address: the "why?" links of the other rooms land there.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

import msgspec
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from runrehab.content.loader import Catalogue
from runrehab.services.library import search as library_search
from runrehab.services.library.search import Part, QueryTooLong, SearchIndex, SearchResult
from runrehab.services.library.traceability_doc import summary, traceability_view
from runrehab.services.library.views import (
    exercise_view,
    knowledge_index,
    knowledge_view,
    library_view,
    rules_view,
)
from runrehab.web.deps import Csrf, Parts
from runrehab.web.errors import problem
from runrehab.web.rendering import render
from runrehab.web.routes.system import api_error_responses

router = APIRouter(dependencies=[Csrf])

CATEGORIES = (
    ("strength", "Strength"),
    ("activation", "Activation"),
    ("balance", "Balance"),
    ("mobility", "Mobility"),
    ("stretch", "Stretches"),
    ("foam_rolling", "Foam rolling"),
    ("warm_up", "Warm-up"),
    ("cross_training", "Cross-training"),
)
FREQUENCY = {
    "daily": "every day",
    "alternate_days": "every other day",
    "after_runs": "after runs",
    "as_needed": "when needed",
}
AREAS = (
    ("triage", "Safety checks"),
    ("pathway", "Which route through the programme"),
    ("readiness", "Can I run today?"),
    ("progression", "Moving through the phases"),
    ("dose", "Exercise doses"),
    ("load", "Running load"),
    ("session", "During and after a session"),
    ("content", "What the articles say, and what RunRehab does"),
)
KINDS = {
    "exercise": "Exercise",
    "topic": "Guide",
    "faq": "Question",
    "glossary": "Glossary",
    "avoid": "Leave out for now",
    "rule": "Rule",
}
VERDICTS = {
    "supported": "The evidence supports it.",
    "partly": "The evidence partly supports it.",
    "silent": "The evidence says nothing either way.",
    "contradicted": "The evidence goes against it.",
    "product": "A rule of RunRehab's own.",
}
STANCES = {
    "follows": "RunRehab follows it.",
    "adapts": "RunRehab adapts it.",
    "replaces": "RunRehab replaces it with a better-supported rule.",
    "rejects": "RunRehab does not follow it.",
    "adds": "RunRehab adds it.",
}
DISPOSITIONS = {
    "emergency": ("stop", "Emergency: go now"),
    "urgent": ("stop", "See a doctor today"),
    "see_clinician": ("caution", "See a clinician"),
    "self_manage": ("go", "Fine to self-manage"),
}

PAGE_RESULTS = 20  # a page shows the best 20 (the API up to 50): the page stays light

NOT_FOUND = {
    "exercise": "There is no exercise by that name in the library.",
    "knowledge": "There is no guide, question or glossary term by that name in the library.",
    "rule": "There is no rule with that id. The list of rules is at /library/rules.",
}


def _catalogue(app_parts: Parts) -> Catalogue:
    return app_parts.content.catalogue


_INDEXES: dict[int, tuple[Catalogue, SearchIndex]] = {}


def _index(catalogue: Catalogue) -> SearchIndex:
    """The search index, built once per catalogue (folding ~300 entries takes ~0.1 s)."""
    cached = _INDEXES.get(id(catalogue))
    if cached is not None and cached[0] is catalogue:
        return cached[1]
    index = library_search.build_index(catalogue)
    _INDEXES[id(catalogue)] = (catalogue, index)
    return index


def _not_found(request: Request, what: str) -> Response:
    return problem(request, 404, NOT_FOUND[what])


def _sources(catalogue: Catalogue, ids: Iterable[str]) -> list[dict[str, str]]:
    found = (catalogue.sources[i] for i in ids)
    return [{"id": s.id, "short": s.short, "title": s.title} for s in found]


def _phases(numbers: Iterable[int]) -> str:
    """Phase numbers as words: "2", "1, 3", or a run of phases as a range, "2–4"."""
    ordered = sorted(set(numbers))
    if not ordered:
        return ""
    if len(ordered) > 2 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{ordered[0]}–{ordered[-1]}"
    return ", ".join(str(n) for n in ordered)


# --- search ---------------------------------------------------------------------------------


def _search(
    catalogue: Catalogue, q: str, limit: int = library_search.MAX_RESULTS
) -> tuple[SearchResult | None, str]:
    """The result (None when the query has no words) or the message saying what is wrong."""
    try:
        result = library_search.search(_index(catalogue), q, limit)
    except QueryTooLong as err:
        return None, str(err)
    return (result if result.terms else None), ""


def _search_status(result: SearchResult | None, q: str) -> str:
    if result is None:
        return ""
    if result.total == 0:
        return f"Nothing found for “{q.strip()}”. Try a shorter or different word."
    shown = len(result.hits)
    found = f"{result.total} result{'s' if result.total != 1 else ''} for “{q.strip()}”"
    return found + (f", the best {shown} shown." if shown < result.total else ".")


def _search_context(catalogue: Catalogue, q: str) -> dict[str, Any]:
    result, error = _search(catalogue, q, PAGE_RESULTS)
    return {
        "q": q,
        "result": result,
        "search_error": error,
        "search_status": error or _search_status(result, q),
        "kinds": KINDS,
    }


# --- pages ----------------------------------------------------------------------------------


@router.get("/library", include_in_schema=False)
def library_page(request: Request, app_parts: Parts, q: str = "") -> Response:
    catalogue = _catalogue(app_parts)
    context = _search_context(catalogue, q)
    context.update(_browse_context(catalogue))
    status = 400 if context["search_error"] else 200
    return render(request, "library/index.html", context, status_code=status, active="library")


@router.get("/library/search", include_in_schema=False)
def search_fragment(request: Request, app_parts: Parts, q: str = "") -> Response:
    """The results alone, for htmx; a browser that asks for it directly gets the full page."""
    target = "/library" + (f"?{urlencode({'q': q})}" if q.strip() else "")
    if request.headers.get("hx-request") != "true":
        return RedirectResponse(target, status_code=303)
    context = _search_context(_catalogue(app_parts), q)
    status = 400 if context["search_error"] else 200
    response = render(request, "library/_search.html", context, status_code=status)
    response.headers["HX-Push-Url"] = target  # the address bar shows the page, not the fragment
    response.headers["Vary"] = "HX-Request"
    return response


def _browse_context(catalogue: Catalogue) -> dict[str, Any]:
    view = library_view(catalogue)
    rows = [dict(e, phase_text=_phases(e["phases"])) for e in view["exercises"]]
    groups = []
    for key, label in CATEGORIES:
        members = sorted((e for e in rows if e["category"] == key), key=lambda e: e["name"])
        if members:
            groups.append({"id": key.replace("_", "-"), "label": label, "exercises": members})
    return {"groups": groups, "knowledge": knowledge_index(catalogue)}


def _named(ids: Iterable[str], names: dict[str, str]) -> list[dict[str, str]]:
    return [{"id": i, "name": names[i]} for i in ids if i in names]


@router.get("/library/avoid", include_in_schema=False)
def avoid_page(request: Request, app_parts: Parts) -> Response:
    catalogue = _catalogue(app_parts)
    names = {e.id: e.name for e in catalogue.exercises.values()}
    view = library_view(catalogue)
    avoid = [
        dict(a, phase_text=_phases(a["phases"]), alternatives=_named(a["alternatives"], names))
        for a in view["avoid"]
    ]
    context = {"avoid": avoid, "rule": view["avoid_rule"]}
    return render(request, "library/avoid.html", context, active="library")


@router.get("/library/exercises/{exercise_id}", include_in_schema=False)
def exercise_page(request: Request, app_parts: Parts, exercise_id: str) -> Response:
    catalogue = _catalogue(app_parts)
    view = exercise_view(catalogue, exercise_id)
    if view is None:
        return _not_found(request, "exercise")
    if view["id"] != exercise_id:  # found by a name or alias: send to the one stable address
        return RedirectResponse(f"/library/exercises/{view['id']}", status_code=303)
    context = _exercise_context(catalogue, view)
    return render(request, "library/exercise.html", context, active="library")


def _exercise_context(catalogue: Catalogue, view: dict[str, Any]) -> dict[str, Any]:
    names = {e.id: e.name for e in catalogue.exercises.values()}
    phase_names = {p.number: p.name for p in catalogue.protocol.phase}
    doses = [
        {"phase": d["phase"], "name": phase_names[d["phase"]], "text": _dose_text(d), **d}
        for d in view["doses"]
    ]
    return {
        "exercise": view,
        "category": dict(CATEGORIES).get(view["category"], view["category"]),
        "doses": doses,
        "used_in": _used_in(catalogue, view["id"]),
        "progression": _link(view["progression"], names),
        "regression": _link(view["regression"], names),
        "substitutes": _named(view["substitutes"], names),
    }


def _dose_text(dose: dict[str, Any]) -> str:
    """ "3 × 10 each side · rest 60 s · up 2 s, down 2 s · every other day"."""
    sets = dose["sets"]
    if dose.get("reps"):
        amount = f"{sets} × {dose['reps']}"
    elif dose.get("hold_seconds"):
        amount = f"{sets} × {dose['hold_seconds']} s hold"
    elif dose.get("minutes"):
        amount = f"{dose['minutes']} min" if sets == 1 else f"{sets} × {dose['minutes']} min"
    else:
        amount = f"{sets} set{'s' if sets != 1 else ''}"
    pieces = [amount + (" each side" if dose.get("per_side") else "")]
    if sets > 1 and dose.get("rest_seconds"):
        pieces.append(f"rest {dose['rest_seconds']} s")
    if dose.get("tempo"):
        pieces.append(str(dose["tempo"]))
    pieces.append(FREQUENCY.get(dose["frequency"], dose["frequency"]))
    return " · ".join(pieces)


def _used_in(catalogue: Catalogue, exercise_id: str) -> list[str]:
    protocol = catalogue.protocol
    used = [
        f"Phase {p.number}, {p.name}" + (" (every day)" if exercise_id in p.daily_exercises else "")
        for p in protocol.phase
        if exercise_id in p.exercises or exercise_id in p.daily_exercises
    ]
    if exercise_id in protocol.warm_up:
        used.append("The warm-up before a run")
    if any(item.exercise == exercise_id for item in protocol.after_run):
        used.append("The routine after a run")
    return used


def _link(link: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    target = link.get("exercise")
    return {"how": link["how"], "id": target, "name": names.get(target or "")}


@router.get("/library/knowledge/{topic}", include_in_schema=False)
def knowledge_page(request: Request, app_parts: Parts, topic: str) -> Response:
    catalogue = _catalogue(app_parts)
    view = knowledge_view(catalogue, topic)
    if view is None:
        return _not_found(request, "knowledge")
    if view["kind"] == "faq":
        return RedirectResponse(f"/library/faq#{view['id']}", status_code=303)
    if view["kind"] == "glossary":
        return RedirectResponse(f"/library/glossary#{view['id']}", status_code=303)
    if view["id"] != topic:
        return RedirectResponse(f"/library/knowledge/{view['id']}", status_code=303)
    faqs = [f for f in catalogue.knowledge.faq if view["id"] in f.topics]
    context = {"topic": view, "faqs": faqs}
    return render(request, "library/topic.html", context, active="library")


@router.get("/library/faq", include_in_schema=False)
def faq_page(request: Request, app_parts: Parts) -> Response:
    catalogue = _catalogue(app_parts)
    context = {"faqs": _faqs(catalogue)}
    return render(request, "library/faq.html", context, active="library")


def _faqs(catalogue: Catalogue) -> list[dict[str, Any]]:
    titles = {t.id: t.title for t in catalogue.knowledge.topic}
    return [
        {
            **msgspec.to_builtins(f),
            "sources": _sources(catalogue, f.sources),
            "topic_links": [{"id": t, "title": titles[t]} for t in f.topics if t in titles],
        }
        for f in catalogue.knowledge.faq
    ]


@router.get("/library/glossary", include_in_schema=False)
def glossary_page(request: Request, app_parts: Parts) -> Response:
    letters: dict[str, dict[str, Any]] = {}
    for term in _glossary(_catalogue(app_parts)):
        letter = term["letter"]
        anchor = f"letter-{letter.lower()}" if letter.isalpha() else "letter-other"
        letters.setdefault(letter, {"letter": letter, "anchor": anchor, "terms": []})
        letters[letter]["terms"].append(term)
    context = {"letters": list(letters.values())}
    return render(request, "library/glossary.html", context, active="library")


def _glossary(catalogue: Catalogue) -> list[dict[str, Any]]:
    """Every term, A to Z (ignoring case and accents), with its related terms named."""
    entries = catalogue.knowledge.glossary
    names = {g.id: g.term for g in entries}

    def key(term: str) -> str:
        return library_search.fold(term).folded.strip()

    terms = [
        {
            **msgspec.to_builtins(g),
            "letter": _letter(key(g.term)),
            "sources": _sources(catalogue, g.sources),
            "related_terms": _named(g.related, names),
        }
        for g in entries
    ]
    return sorted(terms, key=lambda t: key(t["term"]))


def _letter(folded: str) -> str:
    first = folded[:1].upper()
    return first if first.isalpha() else "#"


@router.get("/library/rules", include_in_schema=False)
def rules_page(request: Request, app_parts: Parts) -> Response:
    view = rules_view(_catalogue(app_parts)) or {"rules": []}
    groups = [
        {"id": key, "label": label, "rules": [r for r in view["rules"] if r["area"] == key]}
        for key, label in AREAS
    ]
    context = {"groups": [g for g in groups if g["rules"]], "total": len(view["rules"])}
    return render(request, "library/rules.html", context, active="library")


TRACE_STYLE = {"used": "go", "replaced": "caution", "rejected": "stop"}


@router.get("/library/traceability", include_in_schema=False)
def traceability_page(request: Request, app_parts: Parts) -> Response:
    """Each article rule S1–S88: what RunRehab does with it, the rules that carry it out, and
    the tests that make those rules fire (docs/traceability.md, from the same data)."""
    view = traceability_view(_catalogue(app_parts))
    context = {"view": view, "summary": summary(view), "styles": TRACE_STYLE}
    return render(request, "library/traceability.html", context, active="library")


@router.get("/library/rules/{rule_id}", include_in_schema=False)
def rule_page(request: Request, app_parts: Parts, rule_id: str) -> Response:
    catalogue = _catalogue(app_parts)
    view = rules_view(catalogue, rule_id)
    if view is None:
        return _not_found(request, "rule")
    rule = view["rules"][0]
    titles = {r.id: r.title for r in catalogue.rules.values()}
    carries_out = [r.id for r in catalogue.rules.values() if rule_id in r.implemented_by]
    context = {
        "rule": rule,
        "area": dict(AREAS).get(rule["area"], rule["area"]),
        "verdict": VERDICTS.get(rule["verdict"], ""),
        "stance": STANCES.get(rule["stance"], ""),
        "disposition": DISPOSITIONS.get(rule.get("disposition") or ""),
        "sources": _sources(catalogue, rule["sources"]),
        "implemented_by": [{"id": i, "title": titles[i]} for i in rule["implemented_by"]],
        "carries_out": [{"id": i, "title": titles[i]} for i in carries_out],
        "tests": catalogue.firing_tests.get(rule_id, ()),
    }
    return render(request, "library/rule.html", context, active="library")


# --- API ------------------------------------------------------------------------------------


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


def _marks(parts: Iterable[Part]) -> list[tuple[int, int]]:
    marks, at = [], 0
    for part in parts:
        if part.mark:
            marks.append((at, at + len(part.text)))
        at += len(part.text)
    return marks


@router.get(
    "/api/v1/library/search",
    tags=["library"],
    summary="Search exercises, guides, FAQ, glossary, what to avoid and rules",
    response_model=SearchOut,
    responses=api_error_responses(400, database=False),
)
def api_search(request: Request, app_parts: Parts, q: str = "") -> Response | SearchOut:
    result, error = _search(_catalogue(app_parts), q)
    if error:
        return problem(request, 400, error, [{"field": "q", "message": error}])
    hits = result.hits if result else ()
    return SearchOut(
        query=q,
        terms=list(result.terms) if result else [],
        total=result.total if result else 0,
        results=[
            SearchHitOut(
                kind=h.kind,
                id=h.id,
                title=h.title,
                url=h.url,
                snippet=h.snippet,
                title_marks=_marks(h.title_parts),
                snippet_marks=_marks(h.snippet_parts),
            )
            for h in hits
        ],
    )


@router.get(
    "/api/v1/library/exercises",
    tags=["library"],
    summary="Every exercise (with its phases) and what to leave out for now",
)
def api_exercises(app_parts: Parts) -> dict[str, Any]:
    return library_view(_catalogue(app_parts))


@router.get(
    "/api/v1/library/exercises/{exercise_id}",
    tags=["library"],
    summary="One exercise in full: how, cues, doses by phase, progressions, sources",
    responses=api_error_responses(404, database=False),
)
def api_exercise(request: Request, app_parts: Parts, exercise_id: str) -> Any:
    view = exercise_view(_catalogue(app_parts), exercise_id)
    return view if view is not None else _not_found(request, "exercise")


@router.get(
    "/api/v1/library/knowledge",
    tags=["library"],
    summary="The guides, the FAQ questions and the glossary terms",
)
def api_knowledge(app_parts: Parts) -> dict[str, Any]:
    return knowledge_index(_catalogue(app_parts))


@router.get(
    "/api/v1/library/knowledge/{topic}",
    tags=["library"],
    summary="One guide, FAQ or glossary term (by id, title or alias), with its sources",
    responses=api_error_responses(404, database=False),
)
def api_topic(request: Request, app_parts: Parts, topic: str) -> Any:
    view = knowledge_view(_catalogue(app_parts), topic)
    return view if view is not None else _not_found(request, "knowledge")


@router.get(
    "/api/v1/library/faq",
    tags=["library"],
    summary="Every question with its answer and sources",
)
def api_faq(app_parts: Parts) -> dict[str, Any]:
    faqs = _faqs(_catalogue(app_parts))
    for faq in faqs:
        faq.pop("topic_links")
    return {"faq": faqs}


@router.get(
    "/api/v1/library/glossary",
    tags=["library"],
    summary="Every glossary term, A to Z, with its definition and sources",
)
def api_glossary(app_parts: Parts) -> dict[str, Any]:
    terms = _glossary(_catalogue(app_parts))
    for term in terms:
        del term["letter"], term["related_terms"]
    return {"glossary": terms}


@router.get(
    "/api/v1/library/rules",
    tags=["library"],
    summary="Every clinical rule with its id, words, sources and what RunRehab does with it",
)
def api_rules(app_parts: Parts) -> dict[str, Any]:
    return rules_view(_catalogue(app_parts)) or {"rules": []}


@router.get(
    "/api/v1/library/rules/{rule_id}",
    tags=["library"],
    summary="One clinical rule (the stable id that every reason names)",
    responses=api_error_responses(404, database=False),
)
def api_rule(request: Request, app_parts: Parts, rule_id: str) -> Any:
    view = rules_view(_catalogue(app_parts), rule_id)
    return view["rules"][0] if view is not None else _not_found(request, "rule")
