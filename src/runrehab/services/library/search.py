"""Searching the library: exercises, knowledge pages, FAQ, glossary, what to avoid and rules.

Pure and in memory: ``build_index`` folds every entry of the catalogue once, ``search`` ranks
the entries for a query. Matching ignores case, accents and punctuation, matches word starts
("clam" finds "Clamshell"), lets a plural find its singular, and needs every word of the query.
An entry whose title holds the words ranks above one that only mentions them.

Results carry their title and a snippet as ``Part``s (text, marked or not) rather than HTML, so
whoever shows them escapes the text and adds the ``<mark>`` itself.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, NamedTuple

from runrehab.content.loader import Catalogue

MAX_QUERY = 200
"""Longer queries are refused: nobody types that much into a search box."""
MAX_RESULTS = 50
SNIPPET_CHARS = 180
_LEAD_CHARS = 50  # how much text a snippet keeps before the first match

Kind = Literal["exercise", "topic", "faq", "glossary", "avoid", "rule"]
KIND_ORDER: dict[str, int] = {
    "exercise": 0,
    "topic": 1,
    "faq": 2,
    "glossary": 3,
    "avoid": 4,
    "rule": 5,
}
# A runner mostly looks for what to do and what it means; the ~200 clinical rules are there
# for the "why?", so among equally good matches they come after the pages written for runners.
KIND_BONUS: dict[str, int] = {
    "exercise": 30,
    "topic": 25,
    "faq": 25,
    "glossary": 20,
    "avoid": 15,
    "rule": 0,
}

# Words too common to tell entries apart; dropped unless the query has nothing else.
STOPWORDS = frozenset(
    {
        *("a", "an", "and", "are", "at", "be", "can", "do", "does", "for", "how", "i", "if"),
        *("in", "is", "it", "me", "my", "of", "on", "or", "should", "the", "to", "what"),
        *("when", "which", "who", "why", "will", "with", "you", "your"),
    }
)
_APOSTROPHES = frozenset("'’‘`´")


class QueryTooLong(ValueError):
    """The query is over ``MAX_QUERY`` characters (``length``); whoever asked says so in the
    product's words."""

    def __init__(self, length: int) -> None:
        super().__init__(f"{length} characters > {MAX_QUERY}")
        self.length = length


class Part(NamedTuple):
    """A piece of a title or snippet; ``mark`` pieces matched the query."""

    text: str
    mark: bool


@dataclass(frozen=True, slots=True)
class Folded:
    """A text, its folded form (lower case, no accents, only letters, digits and spaces) and
    for each folded character the index of the original character it came from."""

    text: str
    folded: str
    origin: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Entry:
    kind: Kind
    id: str
    url: str
    title: Folded
    names: tuple[Folded, ...]  # aliases and ids: count almost as much as the title
    body: tuple[Folded, ...]


@dataclass(frozen=True, slots=True)
class SearchIndex:
    entries: tuple[Entry, ...]


@dataclass(frozen=True, slots=True)
class Hit:
    kind: Kind
    id: str
    title: str
    url: str
    score: int
    title_parts: tuple[Part, ...]
    snippet_parts: tuple[Part, ...]

    @property
    def snippet(self) -> str:
        return "".join(p.text for p in self.snippet_parts)


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: str
    terms: tuple[str, ...]
    total: int
    hits: tuple[Hit, ...]


# --- folding --------------------------------------------------------------------------------


def fold(text: str) -> Folded:
    """Fold ``text`` character by character so every match maps back onto the original."""
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if char in _APOSTROPHES:
            continue  # "runner's" folds to "runners", which "runner" and "runners" both find
        plain = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        for piece in plain.casefold():
            out.append(piece if piece.isalnum() else " ")
            origin.append(index)
    return Folded(text, "".join(out), tuple(origin))


def query_terms(query: str) -> tuple[str, ...]:
    """The words of ``query`` to look for: folded, without repeats, common words left out."""
    words = list(dict.fromkeys(fold(query).folded.split()))
    kept = [w for w in words if w not in STOPWORDS]
    return tuple(kept or words)


def _pattern(term: str) -> re.Pattern[str]:
    # A word start; a plural ("squats", "stairs") also finds its singular.
    stem = term[:-1] if len(term) > 3 and term.endswith("s") and not term.endswith("ss") else term
    return re.compile(r"(?<!\S)" + re.escape(stem))


# --- the index ------------------------------------------------------------------------------


_INDEXES: dict[int, tuple[Catalogue, SearchIndex]] = {}


def index_of(catalogue: Catalogue) -> SearchIndex:
    """The search index of ``catalogue``, built once (folding ~300 entries takes ~0.1 s)."""
    cached = _INDEXES.get(id(catalogue))
    if cached is not None and cached[0] is catalogue:
        return cached[1]
    index = build_index(catalogue)
    _INDEXES[id(catalogue)] = (catalogue, index)
    return index


def build_index(catalogue: Catalogue) -> SearchIndex:
    entries = [
        *_exercises(catalogue),
        *_knowledge(catalogue),
        *_avoid(catalogue),
        *_rules(catalogue),
    ]
    return SearchIndex(tuple(entries))


def _entry(
    kind: Kind, id_: str, url: str, title: str, names: Iterable[str], body: Iterable[str]
) -> Entry:
    return Entry(
        kind,
        id_,
        url,
        fold(title),
        tuple(fold(n) for n in names if n),
        tuple(fold(b) for b in body if b),
    )


def _exercises(catalogue: Catalogue) -> list[Entry]:
    return [
        _entry(
            "exercise",
            e.id,
            f"/library/exercises/{e.id}",
            e.name,
            [*e.aliases, e.id],
            [*e.cues, e.starting_position, *e.steps, *e.common_mistakes, ", ".join(e.muscles)],
        )
        for e in catalogue.exercises.values()
    ]


def _knowledge(catalogue: Catalogue) -> list[Entry]:
    k = catalogue.knowledge
    topics = [
        _entry(
            "topic",
            t.id,
            f"/library/knowledge/{t.id}",
            t.title,
            [t.id],
            [t.summary, *t.body, *t.caveats],
        )
        for t in k.topic
    ]
    faqs = [
        _entry("faq", f.id, f"/library/faq#{f.id}", f.question, [f.id], f.answer) for f in k.faq
    ]
    terms = [
        _entry("glossary", g.id, f"/library/glossary#{g.id}", g.term, g.aliases, [g.definition])
        for g in k.glossary
    ]
    return [*topics, *faqs, *terms]


def _avoid(catalogue: Catalogue) -> list[Entry]:
    return [
        _entry("avoid", a.id, f"/library/avoid#{a.id}", a.name, a.aliases, [a.why, a.return_when])
        for a in catalogue.avoid
    ]


def _rules(catalogue: Catalogue) -> list[Entry]:
    return [
        _entry("rule", r.id, f"/library/rules/{r.id}", r.title, [r.id], [r.text, r.why])
        for r in catalogue.rules.values()
    ]


# --- searching ------------------------------------------------------------------------------


def search(index: SearchIndex, query: str, limit: int = MAX_RESULTS) -> SearchResult:
    """The entries holding every word of ``query``, best first; an empty query finds nothing.

    Raises ``QueryTooLong`` when the query is over ``MAX_QUERY`` characters.
    """
    if len(query) > MAX_QUERY:
        raise QueryTooLong(len(query))
    terms = query_terms(query.strip())
    if not terms:
        return SearchResult(query, (), 0, ())
    patterns = [_pattern(t) for t in terms]
    phrase = " ".join(terms)
    scored = [
        (score, entry)
        for entry in index.entries
        if (score := _score(entry, patterns, phrase)) is not None
    ]
    scored.sort(key=lambda se: (-se[0], KIND_ORDER[se[1].kind], se[1].title.text.casefold()))
    hits = tuple(_hit(entry, score, patterns) for score, entry in scored[:limit])
    return SearchResult(query, terms, len(scored), hits)


def _score(entry: Entry, patterns: list[re.Pattern[str]], phrase: str) -> int | None:
    """None unless every word is somewhere in the entry; title words weigh most."""
    score = KIND_BONUS[entry.kind]
    in_title = in_names = 0
    for pattern in patterns:
        title = bool(pattern.search(entry.title.folded))
        names = any(pattern.search(n.folded) for n in entry.names)
        body = sum(len(pattern.findall(b.folded)) for b in entry.body)
        if not (title or names or body):
            return None
        in_title += title
        in_names += title or names
        score += 40 * title + 20 * names + min(body, 10)
    title_text = " ".join(entry.title.folded.split())
    if in_title == len(patterns):
        score += 1000  # every word in the title: above anything that only mentions them
    elif in_names == len(patterns):
        score += 500
    if title_text == phrase:
        score += 300
    elif title_text.startswith(phrase):
        score += 150
    elif phrase in title_text:
        score += 100
    return score


def _hit(entry: Entry, score: int, patterns: list[re.Pattern[str]]) -> Hit:
    title = entry.title
    return Hit(
        entry.kind,
        entry.id,
        title.text,
        entry.url,
        score,
        _parts(title.text, _spans(title, patterns), 0, len(title.text)),
        _snippet(entry, patterns),
    )


def _spans(field: Folded, patterns: list[re.Pattern[str]]) -> list[tuple[int, int]]:
    """Where the words match, in the original text's characters, merged and in order."""
    found = []
    for pattern in patterns:
        for match in pattern.finditer(field.folded):
            start, end = match.span()
            found.append((field.origin[start], field.origin[end - 1] + 1))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _snippet(entry: Entry, patterns: list[re.Pattern[str]]) -> tuple[Part, ...]:
    """A short stretch of the text that matched most words (or the entry's first text)."""
    fields = entry.body or entry.names
    if not fields:
        return ()
    best, best_count = fields[0], -1
    for field in fields:
        count = sum(bool(p.search(field.folded)) for p in patterns)
        if count > best_count:
            best, best_count = field, count
    best_spans = _spans(best, patterns)
    text = best.text
    first = best_spans[0][0] if best_spans else 0
    start = _word_start(text, max(0, first - _LEAD_CHARS)) if first > _LEAD_CHARS else 0
    end = _word_end(text, start + SNIPPET_CHARS)
    parts = list(_parts(text, best_spans, start, end))
    if start > 0:
        parts.insert(0, Part("…", False))
    if end < len(text):
        parts.append(Part("…", False))
    return tuple(parts)


def _word_start(text: str, at: int) -> int:
    space = text.find(" ", at)
    return space + 1 if 0 <= space < at + 20 else at


def _word_end(text: str, at: int) -> int:
    if at >= len(text):
        return len(text)
    space = text.rfind(" ", 0, at)
    return space if space > at - 30 else at


def _parts(text: str, spans: list[tuple[int, int]], start: int, end: int) -> tuple[Part, ...]:
    parts: list[Part] = []
    at = start
    for s, e in spans:
        s, e = max(s, start), min(e, end)
        if s >= e:
            continue
        if s > at:
            parts.append(Part(text[at:s], False))
        parts.append(Part(text[s:e], True))
        at = e
    if at < end:
        parts.append(Part(text[at:end], False))
    return tuple(parts)
