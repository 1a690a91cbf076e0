"""Library search: folding, matching, ranking, snippets and marks, on the shipped content and
on small hand-made indexes."""

from __future__ import annotations

import pytest

from runrehab.content import loader
from runrehab.services.library.search import (
    MAX_QUERY,
    Entry,
    Hit,
    QueryTooLong,
    SearchIndex,
    build_index,
    fold,
    query_terms,
    search,
)


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return build_index(loader.catalogue())


def _marked(parts: tuple[tuple[str, bool], ...]) -> list[str]:
    return [text for text, mark in parts if mark]


def _ids(hits: tuple[Hit, ...]) -> list[tuple[str, str]]:
    return [(h.kind, h.id) for h in hits]


def test_folding_drops_case_accents_apostrophes_and_punctuation() -> None:
    folded = fold("Crème Brûlée, runner’s STEP-up")
    assert folded.folded == "creme brulee  runners step up"
    # every folded character points back at the original one it came from
    assert folded.text[folded.origin[folded.folded.index("brulee")]] == "B"
    assert len(fold("Straße").folded) == len(fold("Straße").origin) == 7


def test_query_terms_leave_out_common_words_unless_nothing_else_is_left() -> None:
    assert query_terms("Can I run with a knee brace?") == ("run", "knee", "brace")
    assert query_terms("why") == ("why",)
    assert query_terms("knee KNEE knee") == ("knee",)
    assert query_terms("?!  ") == ()


def test_finds_an_exercise_by_a_cue_word(index: SearchIndex) -> None:
    result = search(index, "bounce")
    assert _ids(result.hits) == [("exercise", "step-up")]
    assert _marked(result.hits[0].snippet_parts) == ["bounce"]


def test_finds_an_faq_by_a_question_word_ignoring_case_and_accents(index: SearchIndex) -> None:
    for query in ("brace", "BRACE", "bráce"):
        hits = search(index, query).hits
        assert ("faq", "brace-or-strap") in _ids(hits[:3]), query
    assert search(index, "CLÁMSHELL").hits[0].id == "clamshell"


def test_titles_rank_first_and_pages_for_runners_before_rules(index: SearchIndex) -> None:
    hits = search(index, "clamshell").hits
    assert (hits[0].kind, hits[0].id) == ("exercise", "clamshell")
    titled = [bool(_marked(h.title_parts)) for h in hits]
    assert titled == sorted(titled, reverse=True)  # every title match before any body match


def test_plurals_apostrophes_and_word_starts(index: SearchIndex) -> None:
    assert ("avoid", "lunge") in _ids(search(index, "lunges").hits[:2])
    assert search(index, "runners knee").hits[0].id == "what-is-runners-knee"
    assert search(index, "runner's knee").hits[0].id == "what-is-runners-knee"
    assert search(index, "clam").hits[0].id == "clamshell"  # a word start is enough
    assert search(index, "lamshell").total == 0  # the middle of a word is not


def test_every_word_must_match(index: SearchIndex) -> None:
    both = search(index, "wall sit").hits
    assert both[0].id == "wall-sit"
    assert search(index, "wall zebra").total == 0


def test_rules_are_found_by_id(index: SearchIndex) -> None:
    hits = search(index, "e2-possible-joint-infection").hits
    assert _ids(hits)[0] == ("rule", "e2-possible-joint-infection")
    assert hits[0].url == "/library/rules/e2-possible-joint-infection"


def test_empty_queries_find_nothing(index: SearchIndex) -> None:
    for query in ("", "   ", "!!!"):
        result = search(index, query)
        assert result.total == 0 and result.hits == ()


def test_long_queries_are_refused(index: SearchIndex) -> None:
    search(index, "k" * MAX_QUERY)
    with pytest.raises(QueryTooLong, match="201 characters"):
        search(index, "k" * (MAX_QUERY + 1))


def test_limit_keeps_the_best_and_counts_all(index: SearchIndex) -> None:
    result = search(index, "knee", limit=5)
    assert len(result.hits) == 5 and result.total > 5
    scores = [h.score for h in result.hits]
    assert scores == sorted(scores, reverse=True)


def test_urls_point_at_the_page_that_shows_each_kind(index: SearchIndex) -> None:
    hits: dict[str, str] = {}
    for hit in search(index, "brace").hits:
        hits.setdefault(hit.kind, hit.url)  # the best of each kind
    assert hits["faq"] == "/library/faq#brace-or-strap"
    assert hits["avoid"].startswith("/library/avoid#")
    assert search(index, "patella").hits[0].url == "/library/glossary#patella"


def _one_entry(title: str, body: str) -> SearchIndex:
    return SearchIndex((Entry("topic", "t", "/t", fold(title), (), (fold(body),)),))


def test_marks_cover_the_original_accented_text() -> None:
    hit = search(_one_entry("Café notes", "A crème brûlée and a CREME caramel."), "creme").hits[0]
    assert _marked(hit.snippet_parts) == ["crème", "CREME"]
    assert hit.snippet == "A crème brûlée and a CREME caramel."
    assert _marked(hit.title_parts) == []


def test_long_texts_give_a_short_snippet_around_the_match() -> None:
    body = "Filler words here. " * 30 + "The needle sits here. " + "More filler after it. " * 30
    hit = search(_one_entry("Haystack", body), "needle").hits[0]
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")
    assert len(hit.snippet) < 260
    assert _marked(hit.snippet_parts) == ["needle"]


def test_markup_in_the_text_stays_plain_text() -> None:
    hit = search(_one_entry("<b>Bold</b>", "x <script>alert(1)</script>"), "script").hits[0]
    assert "".join(t for t, _ in hit.snippet_parts) == "x <script>alert(1)</script>"
    assert _marked(hit.snippet_parts) == ["script", "script"]
