"""The week-1 lessons on the web: Today lists them with the exercises and marks them read (with
htmx and without JavaScript), Plan shows each day's, and the API answers the same."""

from __future__ import annotations

from tests.fakes import FixedClock
from tests.web.conftest import ProgrammeRunner

LESSON = (
    'href="/library/knowledge/what-is-runners-knee">Read: What is runner&#39;s knee?</a> · 4 min'
)


def test_today_lists_the_day_s_lesson_with_its_page_and_a_button(
    runner_with_programme: ProgrammeRunner,
) -> None:
    html = runner_with_programme.page("/today").text
    assert LESSON in html
    assert 'action="/today/lessons/what-is-runners-knee/read"' in html
    assert 'data-swap="#reading"' in html  # swapped in place by today.js
    assert "Mark as read" in html
    assert "0 of 1 read today · Education: 0 of 4 read" in html
    assert 'href="/library/rules/education-week-one"' in html  # the evidence, one tap away
    assert runner_with_programme.page("/library/knowledge/what-is-runners-knee").status_code == 200


def test_marking_read_without_javascript_comes_back_to_today_read(
    runner_with_programme: ProgrammeRunner,
) -> None:
    runner = runner_with_programme
    runner.page("/today")
    answer = runner.submit("/today/lessons/what-is-runners-knee/read", {"date": "2026-12-01"})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/today#lesson-what-is-runners-knee"

    html = runner.page("/today").text
    assert "Read ✓" in html and "Mark as read" not in html
    assert "1 of 1 read today · Education: 1 of 4 read" in html


def test_marking_read_with_htmx_swaps_in_the_reading_section(
    runner_with_programme: ProgrammeRunner, clock: FixedClock
) -> None:
    runner = runner_with_programme
    clock.advance(days=1)  # day 2: the first lesson carried over, the second due
    html = runner.page("/today").text
    assert "Still to read" in html and 'href="#lesson-what-is-runners-knee"' in html
    answer = runner.submit(
        "/today/lessons/pain-and-load/read",
        {"date": "2026-12-02"},
        headers={"HX-Request": "true"},
    )
    assert answer.status_code == 200
    fragment = answer.text
    assert fragment.lstrip().startswith("<section") and 'id="reading"' in fragment
    assert fragment.count("Read ✓") == 1 and fragment.count("Mark as read") == 1
    assert "1 of 2 read today · Education: 1 of 4 read" in fragment


def test_a_form_without_its_csrf_token_marks_nothing(
    runner_with_programme: ProgrammeRunner,
) -> None:
    runner = runner_with_programme
    refused = runner.client.post("/today/lessons/what-is-runners-knee/read", data={})
    assert refused.status_code == 403
    assert runner.client.get("/api/v1/today").json()["education"]["read"] == 0


def test_an_unknown_lesson_is_404_naming_it(runner_with_programme: ProgrammeRunner) -> None:
    runner = runner_with_programme
    runner.page("/today")
    page = runner.submit("/today/lessons/moon-walk/read", {"date": "2026-12-01"})
    assert page.status_code == 404 and "moon-walk" in page.text and "Traceback" not in page.text
    api = runner.api("POST", "/api/v1/lessons/moon-walk/read")
    assert api.status_code == 404
    assert "there is no lesson 'moon-walk'" in api.json()["detail"]


def test_the_api_lists_and_marks_the_lessons(runner_with_programme: ProgrammeRunner) -> None:
    runner = runner_with_programme
    today = runner.client.get("/api/v1/today").json()
    assert [(r["id"], r["read"]) for r in today["session"]["reading"]] == [
        ("what-is-runners-knee", False)
    ]
    marked = runner.api("POST", "/api/v1/lessons/what-is-runners-knee/read")
    again = runner.api("POST", "/api/v1/lessons/what-is-runners-knee/read")
    assert marked.status_code == again.status_code == 200
    assert (marked.json()["already_read"], again.json()["already_read"]) == (False, True)
    assert marked.json()["education"]["text"] == "Education: 1 of 4 read"
    future = runner.api("POST", "/api/v1/lessons/time-course/read?date=2027-01-01")
    assert future.status_code == 400
    assert runner.client.get("/api/v1/today").json()["education"]["today"] == {
        "done": 1,
        "planned": 1,
    }
    plan = runner.client.get("/api/v1/plan?days=5").json()
    listed = [[(r["id"], r["read"]) for r in s["reading"]] for s in plan["sessions"]]
    assert listed == [
        [("what-is-runners-knee", True)],
        [("pain-and-load", False)],
        [("time-course", False)],
        [("pain-is-not-damage", False)],
        [],
    ]


def test_plan_shows_each_day_s_lesson(runner_with_programme: ProgrammeRunner) -> None:
    html = runner_with_programme.page("/plan").text
    assert "1 to read" in html
    for topic, title in (
        ("what-is-runners-knee", "What is runner&#39;s knee?"),
        ("pain-monitoring", "Pain monitoring: the traffic light"),
        ("recovery-time", "How long does recovery take?"),
        ("pain-is-not-damage", "Pain is not damage"),
    ):
        assert f'Read: <a href="/library/knowledge/{topic}">{title}</a>' in html


def test_the_worry_check_is_asked_in_today_and_plan_and_a_high_score_prompts_help(
    runner_with_programme: ProgrammeRunner,
) -> None:
    """The fear-of-movement screen is due on day 1 (Today asks, Plan lists it); a high score
    shows the reassurance page and the prompt to talk it over, and leaves the day's plan as
    it was."""
    me = runner_with_programme
    today = me.page("/today").text
    assert 'href="/questionnaires/fear_of_movement"' in today
    assert "Worry check (fear of movement) is" in today
    assert 'Questionnaire: <a href="/questionnaires/fear_of_movement">' in me.page("/plan").text
    before = me.client.get("/api/v1/today").json()
    assert before["prompts"] == []
    high = {"worry_damage": "mostly", "pain_means_harm": "mostly", "avoid_for_fear": "mostly"}
    answered = me.api("POST", "/api/v1/questionnaires/fear_of_movement", json={"answers": high})
    assert answered.status_code == 201 and answered.json()["score"] == 9
    after = me.client.get("/api/v1/today").json()
    (prompt,) = after["prompts"]
    assert prompt["rule"] == "fear-of-movement-high"
    assert prompt["reading"]["topic"] == "pain-is-not-damage"
    assert after["run_today"] == before["run_today"]  # a prompt never changes the programme
    assert after["session"] == before["session"]
    page = me.page("/today").text
    assert 'id="prompt-fear-of-movement-high"' in page
    assert 'href="/library/knowledge/pain-is-not-damage"' in page
