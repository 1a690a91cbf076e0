"""The library's pages and its search, as views: what each page of ``/library`` shows, in the
product's words, and the search's answer for the pages and the API.

General information: nothing here reads a journal. An entry asked for by a name or an alias is
found, and its view says its one stable ``address`` (the pages send the browser there); one
that is not in the library is ``NotInLibrary``, in words.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from runrehab.content.words import Words
from runrehab.errors import RunRehabError
from runrehab.services.content import ProgrammeContent
from runrehab.services.library import search as library_search
from runrehab.services.library.search import Part, QueryTooLong, SearchResult
from runrehab.services.library.traceability_doc import summary, traceability_view
from runrehab.services.library.views import (
    KnowledgeIndex,
    QuestionRow,
    SourceRef,
    exercise_view,
    knowledge_index,
    knowledge_view,
    library_view,
    rules_view,
    sources_of,
)
from runrehab.services.reasons import ReasonView

CATEGORIES = (
    "strength",
    "activation",
    "balance",
    "mobility",
    "stretch",
    "foam_rolling",
    "warm_up",
    "cross_training",
)
"""The exercise categories in the order the library lists them."""
AREAS = (
    "triage",
    "pathway",
    "readiness",
    "progression",
    "dose",
    "load",
    "session",
    "clinic",
    "content",
)
"""The rules' areas in the order the rules page lists them."""
KINDS = ("exercise", "topic", "faq", "glossary", "avoid", "rule")
DISPOSITION_STYLES = {
    "emergency": "stop",
    "urgent": "stop",
    "see_clinician": "caution",
    "self_manage": "go",
}
TRACE_STYLES = {"used": "go", "replaced": "caution", "rejected": "stop"}
PAGE_RESULTS = 20  # a page shows the best 20 (the API up to 50): the page stays light


class NotInLibrary(RunRehabError, LookupError):
    """No exercise, guide, question, term or rule by that name; the message says so."""


class BadSearch(RunRehabError, ValueError):
    """A search that cannot be run (too long); the message says why."""


# --- shared parts -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Named:
    """A link to another entry of the library."""

    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Titled:
    """A link to a guide or a rule, by its title."""

    id: str
    title: str


def _named(ids: Iterable[str], names: dict[str, str]) -> tuple[Named, ...]:
    return tuple(Named(i, names[i]) for i in ids if i in names)


def phase_text(numbers: Iterable[int]) -> str:
    """Phase numbers as words: "2", "1, 3", or a run of phases as a range, "2–4"."""
    ordered = sorted(set(numbers))
    if not ordered:
        return ""
    if len(ordered) > 2 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{ordered[0]}–{ordered[-1]}"
    return ", ".join(str(n) for n in ordered)


def _say(words: Words, key: str, **values: object) -> str:
    return words.say(f"library.{key}", **values)


def _label(words: Words, table: str, key: str, otherwise: str | None = None) -> str:
    """A code's label (``library.category.warm_up``); when it has none, ``otherwise`` (by
    default the code itself)."""
    place = f"library.{table}.{key}"
    if words.has(place):
        return words.say(place)
    return key if otherwise is None else otherwise


# --- search -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SearchFound:
    """A search as the library page shows it: the best results, or what is wrong."""

    q: str
    result: SearchResult | None
    """None when the query holds no words, or could not be run."""
    error: str
    status: str
    """What the search found, in words (or the error), read out by screen readers."""
    kinds: dict[str, str]
    """Each kind of entry's label."""


def search_page(content: ProgrammeContent, q: str) -> SearchFound:
    words = content.words
    kinds = {k: _say(words, f"kind.{k}") for k in KINDS}
    try:
        result = _search(content, q, PAGE_RESULTS)
    except BadSearch as err:
        return SearchFound(q, None, str(err), str(err), kinds)
    return SearchFound(q, result, "", _status(words, result, q), kinds)


def _search(content: ProgrammeContent, q: str, limit: int) -> SearchResult | None:
    try:
        result = library_search.search(library_search.index_of(content.catalogue), q, limit)
    except QueryTooLong as err:
        raise BadSearch(
            _say(content.words, "search.too_long", length=err.length, most=library_search.MAX_QUERY)
        ) from None
    return result if result.terms else None


def _status(words: Words, result: SearchResult | None, q: str) -> str:
    if result is None:
        return ""
    if result.total == 0:
        return _say(words, "search.nothing", q=q.strip())
    found = words.say_count("library.search.found", result.total, q=q.strip())
    shown = len(result.hits)
    if shown < result.total:
        return _say(words, "search.best", found=found, shown=shown)
    return _say(words, "search.all", found=found)


@dataclass(frozen=True, slots=True)
class HitDoc:
    kind: str
    id: str
    title: str
    url: str
    snippet: str
    title_marks: tuple[tuple[int, int], ...]
    """Where the query's words are in the title: [start, end) character offsets."""
    snippet_marks: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class SearchDoc:
    """The search as the API answers it."""

    query: str
    terms: tuple[str, ...]
    total: int
    results: tuple[HitDoc, ...]


def search_doc(content: ProgrammeContent, q: str) -> SearchDoc:
    """The best results (up to ``MAX_RESULTS``); ``BadSearch`` for a query too long."""
    result = _search(content, q, library_search.MAX_RESULTS)
    if result is None:
        return SearchDoc(q, (), 0, ())
    hits = tuple(
        HitDoc(
            h.kind, h.id, h.title, h.url, h.snippet, _marks(h.title_parts), _marks(h.snippet_parts)
        )
        for h in result.hits
    )
    return SearchDoc(q, result.terms, result.total, hits)


def _marks(parts: Iterable[Part]) -> tuple[tuple[int, int], ...]:
    marks, at = [], 0
    for part in parts:
        if part.mark:
            marks.append((at, at + len(part.text)))
        at += len(part.text)
    return tuple(marks)


# --- the library's front page and what to leave out ---------------------------------------------


@dataclass(frozen=True, slots=True)
class ExerciseListed:
    id: str
    name: str
    phases: tuple[int, ...]
    phase_text: str
    equipment: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ExerciseGroup:
    id: str
    """The anchor of the group's heading."""
    label: str
    exercises: tuple[ExerciseListed, ...]


@dataclass(frozen=True, slots=True)
class LibraryPage:
    search: SearchFound
    groups: tuple[ExerciseGroup, ...]
    knowledge: KnowledgeIndex


def library_page(content: ProgrammeContent, q: str) -> LibraryPage:
    """The library's front page with the search's results for ``q`` (none when empty)."""
    view = library_view(content.catalogue)
    groups = []
    for key in CATEGORIES:
        members = sorted((e for e in view.exercises if e.category == key), key=lambda e: e.name)
        if members:
            listed = tuple(
                ExerciseListed(e.id, e.name, e.phases, phase_text(e.phases), e.equipment)
                for e in members
            )
            label = _label(content.words, "category", key)
            groups.append(ExerciseGroup(key.replace("_", "-"), label, listed))
    return LibraryPage(search_page(content, q), tuple(groups), knowledge_index(content.catalogue))


@dataclass(frozen=True, slots=True)
class AvoidShown:
    id: str
    name: str
    phases: tuple[int, ...]
    phase_text: str
    why: str
    return_when: str
    alternatives: tuple[Named, ...]


@dataclass(frozen=True, slots=True)
class AvoidPage:
    avoid: tuple[AvoidShown, ...]
    rule: ReasonView
    """The rule that says the list is for now."""


def avoid_page(content: ProgrammeContent) -> AvoidPage:
    catalogue = content.catalogue
    names = {e.id: e.name for e in catalogue.exercises.values()}
    view = library_view(catalogue)
    avoid = tuple(
        AvoidShown(
            a.id,
            a.name,
            a.phases,
            phase_text(a.phases),
            a.why,
            a.return_when,
            _named(a.alternatives, names),
        )
        for a in view.avoid
    )
    return AvoidPage(avoid, view.avoid_rule)


# --- an exercise --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DoseShown:
    phase: int
    name: str
    """The phase's name."""
    text: str
    note: str


@dataclass(frozen=True, slots=True)
class LinkShown:
    """An easier or harder version: how, and the exercise it names (if any)."""

    how: str
    id: str | None
    name: str | None


@dataclass(frozen=True, slots=True)
class ExercisePage:
    exercise: dict[str, Any]
    """The exercise as the content holds it (``exercise_view``)."""
    address: str
    category: str
    doses: tuple[DoseShown, ...]
    used_in: tuple[str, ...]
    progression: LinkShown
    regression: LinkShown
    substitutes: tuple[Named, ...]


def exercise(content: ProgrammeContent, asked: str) -> dict[str, Any]:
    """An exercise by id, name or alias, as the API answers it (``exercise_view``);
    ``NotInLibrary`` when there is none."""
    view = exercise_view(content.catalogue, asked)
    if view is None:
        raise NotInLibrary(_say(content.words, "not_found.exercise"))
    return view


def exercise_page(content: ProgrammeContent, asked: str) -> ExercisePage:
    """An exercise by id, name or alias; ``NotInLibrary`` when there is none."""
    catalogue, words = content.catalogue, content.words
    view = exercise(content, asked)
    names = {e.id: e.name for e in catalogue.exercises.values()}
    phase_names = {p.number: p.name for p in catalogue.protocol.phase}
    doses = tuple(
        DoseShown(d["phase"], phase_names[d["phase"]], _dose_text(words, d), d["note"])
        for d in view["doses"]
    )
    return ExercisePage(
        view,
        f"/library/exercises/{view['id']}",
        _label(words, "category", view["category"]),
        doses,
        _used_in(content, view["id"]),
        _link(view["progression"], names),
        _link(view["regression"], names),
        _named(view["substitutes"], names),
    )


def _dose_text(words: Words, dose: dict[str, Any]) -> str:
    """ "3 × 10 each side · rest 60 s · up 2 s, down 2 s · every other day"."""
    sets = dose["sets"]
    if dose.get("reps"):
        amount = _say(words, "dose.reps", sets=sets, reps=dose["reps"])
    elif dose.get("hold_seconds"):
        amount = _say(words, "dose.hold", sets=sets, hold=dose["hold_seconds"])
    elif dose.get("minutes"):
        minutes = dose["minutes"]
        if sets == 1:
            amount = _say(words, "dose.minutes", minutes=minutes)
        else:
            amount = _say(words, "dose.sets_minutes", sets=sets, minutes=minutes)
    else:
        amount = words.say_count("library.dose.sets", sets)
    if dose.get("per_side"):
        amount = _say(words, "dose.each_side", amount=amount)
    pieces = [amount]
    if sets > 1 and dose.get("rest_seconds"):
        pieces.append(_say(words, "dose.rest", seconds=dose["rest_seconds"]))
    if dose.get("tempo"):
        pieces.append(str(dose["tempo"]))
    pieces.append(_label(words, "frequency", dose["frequency"]))
    return " · ".join(pieces)


def _used_in(content: ProgrammeContent, exercise_id: str) -> tuple[str, ...]:
    protocol, words = content.catalogue.protocol, content.words
    used = [
        _say(
            words,
            "used_in.phase_daily" if exercise_id in p.daily_exercises else "used_in.phase",
            number=p.number,
            name=p.name,
        )
        for p in protocol.phase
        if exercise_id in p.exercises or exercise_id in p.daily_exercises
    ]
    if exercise_id in protocol.warm_up:
        used.append(_say(words, "used_in.warm_up"))
    if any(item.exercise == exercise_id for item in protocol.after_run):
        used.append(_say(words, "used_in.after_run"))
    return tuple(used)


def _link(link: dict[str, Any], names: dict[str, str]) -> LinkShown:
    target = link.get("exercise")
    return LinkShown(link["how"], target, names.get(target or ""))


# --- knowledge: a guide, the questions, the glossary --------------------------------------------


@dataclass(frozen=True, slots=True)
class TopicPage:
    topic: dict[str, Any]
    """The guide, question or term as ``knowledge_view`` answers it."""
    address: str
    """The page that shows it: a question's or a term's is on the FAQ's or glossary's page."""
    faqs: tuple[QuestionRow, ...]
    """The questions about a guide."""


def knowledge(content: ProgrammeContent, asked: str) -> dict[str, Any]:
    """A guide, question or term by id, title or alias, as the API answers it
    (``knowledge_view``); ``NotInLibrary`` when there is none."""
    view = knowledge_view(content.catalogue, asked)
    if view is None:
        raise NotInLibrary(_say(content.words, "not_found.knowledge"))
    return view


def topic_page(content: ProgrammeContent, asked: str) -> TopicPage:
    """A guide, question or term by id, title or alias; ``NotInLibrary`` when there is none."""
    catalogue = content.catalogue
    view = knowledge(content, asked)
    pages = {"faq": "/library/faq#", "glossary": "/library/glossary#"}
    address = pages.get(view["kind"], "/library/knowledge/") + view["id"]
    faqs = tuple(
        QuestionRow(f.id, f.question) for f in catalogue.knowledge.faq if view["id"] in f.topics
    )
    return TopicPage(view, address, faqs)


@dataclass(frozen=True, slots=True)
class FaqShown:
    id: str
    question: str
    answer: tuple[str, ...]
    topics: tuple[str, ...]
    sources: tuple[SourceRef, ...]
    topic_links: tuple[Titled, ...] = field(metadata={"json": None})
    """The guides it belongs to, by title (the page's links)."""


@dataclass(frozen=True, slots=True)
class FaqList:
    faq: tuple[FaqShown, ...]


def faq_list(content: ProgrammeContent) -> FaqList:
    """Every question with its answer and sources."""
    catalogue = content.catalogue
    titles = {t.id: t.title for t in catalogue.knowledge.topic}
    return FaqList(
        tuple(
            FaqShown(
                f.id,
                f.question,
                tuple(f.answer),
                tuple(f.topics),
                sources_of(catalogue, f.sources),
                tuple(Titled(t, titles[t]) for t in f.topics if t in titles),
            )
            for f in catalogue.knowledge.faq
        )
    )


@dataclass(frozen=True, slots=True)
class TermShown:
    id: str
    term: str
    aliases: tuple[str, ...]
    definition: str
    related: tuple[str, ...]
    sources: tuple[SourceRef, ...]
    letter: str = field(metadata={"json": None})
    """The letter it is listed under ("#" for a term that does not start with one)."""
    related_terms: tuple[Named, ...] = field(metadata={"json": None})


@dataclass(frozen=True, slots=True)
class Glossary:
    glossary: tuple[TermShown, ...]
    """Every term, A to Z, ignoring case and accents."""


@dataclass(frozen=True, slots=True)
class Letter:
    letter: str
    anchor: str
    terms: tuple[TermShown, ...]


@dataclass(frozen=True, slots=True)
class GlossaryPage:
    letters: tuple[Letter, ...]


def glossary(content: ProgrammeContent) -> Glossary:
    """Every term, A to Z (ignoring case and accents), with its related terms named."""
    catalogue = content.catalogue
    entries = catalogue.knowledge.glossary
    names = {g.id: g.term for g in entries}

    def key(term: str) -> str:
        return library_search.fold(term).folded.strip()

    terms = [
        TermShown(
            g.id,
            g.term,
            tuple(g.aliases),
            g.definition,
            tuple(g.related),
            sources_of(catalogue, g.sources),
            _letter(key(g.term)),
            _named(g.related, names),
        )
        for g in entries
    ]
    return Glossary(tuple(sorted(terms, key=lambda t: key(t.term))))


def _letter(folded: str) -> str:
    first = folded[:1].upper()
    return first if first.isalpha() else "#"


def glossary_page(content: ProgrammeContent) -> GlossaryPage:
    letters: dict[str, list[TermShown]] = {}
    for term in glossary(content).glossary:
        letters.setdefault(term.letter, []).append(term)
    return GlossaryPage(
        tuple(
            Letter(
                letter,
                f"letter-{letter.lower()}" if letter.isalpha() else "letter-other",
                tuple(terms),
            )
            for letter, terms in letters.items()
        )
    )


# --- the rules ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RuleGroup:
    id: str
    label: str
    rules: tuple[dict[str, Any], ...]


@dataclass(frozen=True, slots=True)
class RulesPage:
    groups: tuple[RuleGroup, ...]
    total: int


def rules_page(content: ProgrammeContent) -> RulesPage:
    """Every rule, by area."""
    view = rules_view(content.catalogue)
    rules = () if view is None else view.rules
    groups = (
        RuleGroup(
            key, _label(content.words, "area", key), tuple(r for r in rules if r["area"] == key)
        )
        for key in AREAS
    )
    return RulesPage(tuple(g for g in groups if g.rules), len(rules))


@dataclass(frozen=True, slots=True)
class Badge:
    style: str
    label: str


@dataclass(frozen=True, slots=True)
class RulePage:
    rule: dict[str, Any]
    """The rule as ``rules_view`` answers it."""
    area: str
    verdict: str
    stance: str
    disposition: Badge | None
    sources: tuple[SourceRef, ...]
    implemented_by: tuple[Titled, ...]
    """The product rules that carry out an article's rule."""
    carries_out: tuple[Titled, ...]
    """The article rules a product rule carries out."""
    tests: tuple[str, ...]
    """The fast tests that make it fire."""


def rule(content: ProgrammeContent, rule_id: str) -> dict[str, Any]:
    """One rule as the API answers it; ``NotInLibrary`` when there is none."""
    view = rules_view(content.catalogue, rule_id)
    if view is None:
        raise NotInLibrary(_say(content.words, "not_found.rule"))
    return view.rules[0]


def rule_page(content: ProgrammeContent, rule_id: str) -> RulePage:
    catalogue, words = content.catalogue, content.words
    found = rule(content, rule_id)
    titles = {r.id: r.title for r in catalogue.rules.values()}
    carries_out = [r.id for r in catalogue.rules.values() if rule_id in r.implemented_by]
    disposition = found.get("disposition") or ""
    return RulePage(
        found,
        _label(words, "area", found["area"]),
        _label(words, "verdict", found["verdict"], ""),
        _label(words, "stance", found["stance"], ""),
        _badge(words, disposition),
        sources_of(catalogue, found["sources"]),
        tuple(Titled(i, titles[i]) for i in found["implemented_by"]),
        tuple(Titled(i, titles[i]) for i in carries_out),
        tuple(catalogue.firing_tests.get(rule_id, ())),
    )


def _badge(words: Words, disposition: str) -> Badge | None:
    """A triage rule's disposition as a badge: "Emergency: go now", in red."""
    if disposition not in DISPOSITION_STYLES:
        return None
    return Badge(DISPOSITION_STYLES[disposition], _say(words, f"disposition.{disposition}"))


@dataclass(frozen=True, slots=True)
class TraceabilityPage:
    table: dict[str, Any]
    """The table (``traceability_doc.traceability_view``)."""
    summary: str
    styles: dict[str, str]
    """Each stance's badge style."""


def traceability_page(content: ProgrammeContent) -> TraceabilityPage:
    """Each article rule S1–S88: what RunRehab does with it, the rules that carry it out, and
    the tests that make those rules fire (docs/traceability.md, from the same data)."""
    view = traceability_view(content.catalogue)
    return TraceabilityPage(view, summary(view, content.words), TRACE_STYLES)
