"""The library through the pages and the API: every page renders the shipped content without
signing in, search (plain form, htmx fragment and JSON), 404s for unknown ids, long and hostile
queries, and the weight and security rules every page keeps."""

from __future__ import annotations

import re
from html import escape
from typing import Any

from fastapi.testclient import TestClient

from runrehab.content import loader
from tests.web.conftest import Browser

PAGES = (
    "/library",
    "/library?q=knee",
    "/library/exercises/step-up",
    "/library/knowledge/what-is-runners-knee",
    "/library/faq",
    "/library/glossary",
    "/library/avoid",
    "/library/rules",
    "/library/rules/e2-possible-joint-infection",
    "/library/traceability",
)
_ASSET = re.compile(r'(?:src|href)="(/static/[^"]+)"')


def _main(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def test_every_page_renders_without_signing_in_and_keeps_the_rules(client: TestClient) -> None:
    for path in PAGES:
        page = client.get(path)
        assert page.status_code == 200, path
        html = page.text
        assert html.count("<h1") == 1, path
        assert 'class="main-nav"' not in html, path  # the nav is for signed-in runners
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), path  # no inline scripts
        assert ' style="' not in html and not re.search(r"\son[a-z]+=", html), path
        assets = set(_ASSET.findall(html))
        weight = len(page.content) + sum(len(client.get(a).content) for a in assets)
        assert weight < 100_000, f"{path} weighs {weight} bytes"


def test_a_signed_in_runner_sees_the_nav_with_library_current(runner: Browser) -> None:
    html = runner.page("/library").text
    assert 'class="main-nav"' in html
    assert '<a href="/library" aria-current="page">Library</a>' in html


def test_the_library_lists_guides_questions_and_exercises_by_type(client: TestClient) -> None:
    html = _main(client.get("/library").text)
    catalogue = loader.catalogue()
    for exercise in catalogue.exercises.values():
        assert f'href="/library/exercises/{exercise.id}"' in html
    for topic in catalogue.knowledge.topic:
        assert f'href="/library/knowledge/{topic.id}"' in html
    for faq in catalogue.knowledge.faq:
        assert f'href="/library/faq#{faq.id}"' in html
    assert html.index('id="ex-strength"') < html.index('href="/library/exercises/step-up"')
    assert 'href="/library/glossary"' in html and 'href="/library/rules"' in html
    assert 'role="search"' in html and 'name="q"' in html and 'hx-get="/library/search"' in html


def test_an_exercise_page_has_everything_to_do_it_safely(client: TestClient) -> None:
    html = _main(client.get("/library/exercises/step-up").text)
    assert "<h1>Step-up</h1>" in html
    assert "Place the whole foot of the working leg flat on the step." in html  # a step
    assert "do not bounce off the bottom foot" in html  # a cue
    assert "Pushing off the floor foot" in html  # a common mistake
    assert "Stop and ease off if" in html and "Sharp pain, catching or giving way." in html
    assert "Phase 3, Load" in html and "3 × 10 each side · rest 60 s" in html
    assert 'href="/library/exercises/step-down"' in html  # harder
    assert 'href="/library/exercises/shallow-squat"' in html  # easier
    assert "Willy et al. 2019" in html  # a source
    # found by an alias, it moves to its one stable address
    moved = client.get("/library/exercises/step-ups", follow_redirects=False)
    assert moved.status_code == 303
    assert moved.headers["location"] == "/library/exercises/step-up"


def test_unknown_ids_are_404_as_a_page_and_as_json(client: TestClient) -> None:
    for path in (
        "/library/exercises/no-such-exercise",
        "/library/knowledge/no-such-topic",
        "/library/rules/no-such-rule",
    ):
        page = client.get(path)
        assert page.status_code == 404 and "<h1>Not found</h1>" in page.text, path
        answer = client.get("/api/v1" + path)
        assert answer.status_code == 404, path
        assert "no" in answer.json()["detail"].lower(), path


def test_a_guide_has_its_caveats_questions_and_sources_and_others_redirect(
    client: TestClient,
) -> None:
    html = _main(client.get("/library/knowledge/what-is-runners-knee").text)
    assert "What is runner&#39;s knee?" in html
    assert "patellofemoral pain" in html
    assert "Where the articles and the evidence disagree" in html
    assert "Smith" in html and "Sources" in html
    related = _main(client.get("/library/knowledge/pain-monitoring").text)
    assert 'href="/library/faq#can-i-run"' in related
    # a question or a glossary term asked for as knowledge goes to its own page
    faq = client.get("/library/knowledge/taping", follow_redirects=False)
    assert faq.headers["location"] == "/library/faq#taping"
    term = client.get("/library/knowledge/kneecap", follow_redirects=False)
    assert term.headers["location"] == "/library/glossary#patella"


def test_the_faq_answers_every_question_with_sources(client: TestClient) -> None:
    html = _main(client.get("/library/faq").text)
    for faq in loader.catalogue().knowledge.faq:
        assert f'<section id="{faq.id}"' in html
    assert "Should I wear a knee brace, sleeve or patellar strap?" in html
    assert "Sources:" in html


def test_the_glossary_is_a_list_from_a_to_z_with_letter_anchors(client: TestClient) -> None:
    html = _main(client.get("/library/glossary").text)
    assert '<dl class="glossary">' in html
    letters = re.findall(r'<a href="#letter-([a-z])">', html)
    assert letters == sorted(letters) and "p" in letters
    for letter in letters:
        assert f'id="letter-{letter}"' in html
    terms = re.findall(r'<dt id="[^"]+">([^<]+)</dt>', html)
    assert len(terms) == len(loader.catalogue().knowledge.glossary)
    assert terms == sorted(terms, key=str.casefold)
    assert '<dt id="patella">Patella</dt>' in html


def test_the_traceability_page_lists_every_article_rule_with_its_stance_and_tests(
    client: TestClient,
) -> None:
    catalogue = loader.catalogue()
    html = _main(client.get("/library/traceability").text)
    cards = re.findall(r'<li id="s(\d+)" class="card">', html)
    assert cards == [str(n) for n in range(1, 89)]
    for word in ("Used", "Replaced", "Rejected"):
        assert f"{word}</span>" in html
    assert "88 article rules: " in html
    firing = catalogue.firing_tests
    for rule in catalogue.rules.values():
        if rule.id.startswith("s") and rule.id[1].isdigit():
            assert f'href="/library/rules/{rule.id}"' in html
            for product_rule in rule.implemented_by:
                assert f'href="/library/rules/{product_rule}"' in html
                for test in firing[product_rule]:
                    assert f"<code>{escape(test)}</code>" in html
    assert "tests/unit/engine/test_triage.py::test_each_rule_sets_its_disposition[" in html
    assert 'href="/library/traceability"' in _main(client.get("/library").text)
    assert 'href="/library/traceability"' in _main(client.get("/library/rules").text)


def test_a_guide_shows_the_rules_behind_it(client: TestClient) -> None:
    html = _main(client.get("/library/knowledge/taping-bracing-and-footwear").text)
    assert "Rules behind this page" in html
    for rule in ("no-bracing", "taping-short-term-with-exercise", "orthoses-short-term"):
        assert f'href="/library/rules/{rule}"' in html
    avoid = _main(client.get("/library/avoid").text)
    assert 'href="/library/rules/avoid-list-temporary"' in avoid
    rule = _main(client.get("/library/rules/no-bracing").text)
    assert "Tests that make it fire" in rule
    assert "test_rules_shown.py::test_a_guide_names_the_rules_it_states[" in rule


def test_every_rule_and_what_to_avoid_have_their_pages(client: TestClient) -> None:
    catalogue = loader.catalogue()
    html = _main(client.get("/library/rules").text)
    for rule_id in catalogue.rules:
        assert f'href="rules/{rule_id}"' in html
    page = _main(client.get("/library/rules/e2-possible-joint-infection").text)
    assert "Swollen knee with heat and redness, or with fever" in page
    assert '<span class="badge stop">Emergency: go now</span>' in page
    assert "Margaretten" in page  # its source
    article = _main(client.get("/library/rules/s24-stop-run-above-three").text)
    assert "How RunRehab carries it out" in article
    avoid = _main(client.get("/library/avoid").text)  # what to leave out, and when it returns
    assert '<section id="lunge"' in avoid
    assert "Comes back:" in avoid and 'href="/library/exercises/step-up"' in avoid


# --- search ---------------------------------------------------------------------------------


def _result_links(html: str) -> list[str]:
    _, found, rest = html.partition('<ol class="results">')
    return re.findall(r'<li><a href="([^"]+)">', rest.split("</ol>")[0]) if found else []


def test_search_finds_an_exercise_by_a_cue_and_a_question_by_a_word(client: TestClient) -> None:
    cue = client.get("/library", params={"q": "bounce"})
    assert cue.status_code == 200
    assert _result_links(cue.text) == ["/library/exercises/step-up"]
    assert "<mark>bounce</mark>" in cue.text and "1 result for" in cue.text
    for query in ("BRACE", "bráce"):
        question = client.get("/library", params={"q": query}).text
        assert "/library/faq#brace-or-strap" in _result_links(question)[:3]
    accented = client.get("/library", params={"q": "CLÁMSHELL"}).text
    assert _result_links(accented)[0] == "/library/exercises/clamshell"


def test_an_empty_search_shows_nothing_and_no_match_says_so(client: TestClient) -> None:
    for query in ("", "   "):
        page = client.get("/library", params={"q": query})
        assert page.status_code == 200 and _result_links(page.text) == []
    assert client.get("/api/v1/library/search", params={"q": ""}).json()["results"] == []
    page = client.get("/library", params={"q": "zebra"})
    assert page.status_code == 200 and "Nothing found for “zebra”" in page.text


def test_a_very_long_search_is_a_400_with_a_message(client: TestClient) -> None:
    long = "knee " * 41
    page = client.get("/library", params={"q": long})
    assert page.status_code == 400
    assert "keep it to 200 or fewer" in page.text and 'aria-invalid="true"' in page.text
    answer = client.get("/api/v1/library/search", params={"q": long})
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "q"
    fragment = client.get("/library/search", params={"q": long}, headers={"HX-Request": "true"})
    assert fragment.status_code == 400


def test_markup_in_a_search_is_shown_as_text(client: TestClient) -> None:
    for query in ("<script>alert(1)</script>", 'knee"><img src=x onerror=alert(1)>'):
        for path in ("/library", "/library/search"):
            answer = client.get(path, params={"q": query}, headers={"HX-Request": "true"})
            assert "<script>alert" not in answer.text, path
            assert "<img src=x" not in answer.text, path
            assert "&lt;" in answer.text, path


def test_htmx_gets_the_results_alone_and_the_address_of_the_page(client: TestClient) -> None:
    fragment = client.get("/library/search", params={"q": "clam"}, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<html" not in fragment.text and "<h1" not in fragment.text
    assert "/library/exercises/clamshell" in fragment.text
    assert 'id="search-status" hx-swap-oob="innerHTML"' in fragment.text
    assert fragment.headers["HX-Push-Url"] == "/library?q=clam"
    cleared = client.get("/library/search", params={"q": ""}, headers={"HX-Request": "true"})
    assert cleared.headers["HX-Push-Url"] == "/library" and "<li>" not in cleared.text
    plain = client.get("/library/search", params={"q": "clam"}, follow_redirects=False)
    assert plain.status_code == 303 and plain.headers["location"] == "/library?q=clam"


def test_every_search_result_leads_to_a_page_that_exists(client: TestClient) -> None:
    results = [
        result
        for query in ("squat", "brace", "patella")
        for result in client.get("/api/v1/library/search", params={"q": query}).json()["results"]
    ]
    assert {r["kind"] for r in results} == {"exercise", "topic", "faq", "glossary", "avoid", "rule"}
    pages: dict[str, str] = {}
    for url in sorted({r["url"] for r in results}):
        page, _, anchor = url.partition("#")
        if page not in pages:
            answer = client.get(page)
            assert answer.status_code == 200, url
            pages[page] = answer.text
        assert not anchor or f'id="{anchor}"' in pages[page], url


# --- API ------------------------------------------------------------------------------------


def test_api_search_returns_ranked_results_with_marks(client: TestClient) -> None:
    answer = client.get("/api/v1/library/search", params={"q": "Clamshell"})
    assert answer.status_code == 200
    body: dict[str, Any] = answer.json()
    assert body["terms"] == ["clamshell"] and body["total"] >= len(body["results"]) > 1
    first = body["results"][0]
    assert (first["kind"], first["id"], first["url"]) == (
        "exercise",
        "clamshell",
        "/library/exercises/clamshell",
    )
    for result in body["results"]:
        for start, end in result["title_marks"]:
            assert result["title"][start:end].lower().startswith("clamshell")
        for start, end in result["snippet_marks"]:
            assert result["snippet"][start:end].lower().startswith("clamshell")


def test_api_reads_the_whole_library_without_signing_in_and_is_documented(
    client: TestClient,
) -> None:
    catalogue = loader.catalogue()
    exercises = client.get("/api/v1/library/exercises").json()
    assert len(exercises["exercises"]) == len(catalogue.exercises) and exercises["avoid"]
    one = client.get("/api/v1/library/exercises/step-up").json()
    assert one["id"] == "step-up" and one["cues"] and one["sources"][0]["short"]
    index = client.get("/api/v1/library/knowledge").json()
    assert {"topics", "faq", "glossary"} <= index.keys()
    topic = client.get("/api/v1/library/knowledge/what-is-runners-knee").json()
    assert topic["kind"] == "topic" and topic["body"] and topic["sources"]
    faq = client.get("/api/v1/library/faq").json()["faq"]
    assert len(faq) == len(catalogue.knowledge.faq) and faq[0]["answer"] and faq[0]["sources"]
    glossary = client.get("/api/v1/library/glossary").json()["glossary"]
    terms = [t["term"] for t in glossary]
    assert terms == sorted(terms, key=str.casefold) and glossary[0]["definition"]
    rules = client.get("/api/v1/library/rules").json()["rules"]
    assert len(rules) == len(catalogue.rules)
    rule = client.get("/api/v1/library/rules/e2-possible-joint-infection").json()
    assert rule["id"] == "e2-possible-joint-infection" and rule["source"] and rule["text"]
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/v1/library/search",
        "/api/v1/library/exercises",
        "/api/v1/library/exercises/{exercise_id}",
        "/api/v1/library/knowledge",
        "/api/v1/library/knowledge/{topic}",
        "/api/v1/library/faq",
        "/api/v1/library/glossary",
        "/api/v1/library/rules",
        "/api/v1/library/rules/{rule_id}",
    ):
        operation = paths[path]["get"]
        assert operation["tags"] == ["library"] and operation["summary"], path
    assert not any(p.startswith("/library") for p in paths)  # pages stay out of the schema


def test_the_library_takes_no_posts(runner: Browser) -> None:
    # Reading only: nothing here changes, so a post is refused, with or without a token.
    assert runner.client.post("/library", data={"q": "knee"}).status_code == 405
    assert runner.submit("/library/search", {"q": "knee"}).status_code == 405
    assert runner.api("POST", "/api/v1/library/search", json={"q": "knee"}).status_code == 405
