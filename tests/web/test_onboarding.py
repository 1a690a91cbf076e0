"""The intake: the wizard step by step without JavaScript, the red-flag stop, the result pages,
and the assessment API (start, latest, triage) with its bad input."""

from __future__ import annotations

import html
import itertools
import json
import re
from typing import Any

from fastapi.testclient import TestClient

from runrehab.adapters.documents import read_assessment
from runrehab.engine.triage import findings
from runrehab.engine.values import Disposition
from runrehab.services.content import shipped_content
from runrehab.services.intake.outcome import STOP_AUTHOR
from runrehab.services.intake.questions import intake_questions
from tests.conftest import typical_doc
from tests.fakes import FixedClock
from tests.web.conftest import Browser, ProgrammeRunner, sign_up

QUESTIONS = intake_questions()
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')

Form = dict[str, Any]

SAFE_SIGNS: Form = {"age": "34", "signs.swelling": "none", "history.injury.mechanism": "none"}
TYPICAL_STEPS: list[Form] = [
    SAFE_SIGNS,
    {},
    {
        "side": "right",
        "pain.location": ["around_kneecap", "behind_kneecap"],
        "pain.provoked_by": ["running", "stairs_down", "squatting", "prolonged_sitting"],
    },
    {"pain.now": "3", "pain.at_rest": "1", "pain.worst_last_week": "6"},
    {"history.onset": "gradual", "history.symptom_weeks": "4", "history.trend": "unchanged"},
    {
        "running.currently_running": "yes",
        "running.pain_during_run": "5",
        "running.pain_rises_during_run": "yes",
        "running.pain_settles_within_24h": "yes",
        "running.weekly_km_before_pain": "30",
        "running.longest_run_km_last_30_days": "12",
        "running.runs_per_week_before_pain": "3",
    },
    {},
]


def post_step(browser: Browser, page: str, answers: Form, go: str = "next") -> Any:
    """Submit the form of ``page`` as a browser would: its hidden fields and the answers."""
    data: dict[str, list[str]] = {}
    for name, value in _HIDDEN.findall(page):
        if name != "csrf_token":
            data.setdefault(name, []).append(html.unescape(value))
    data.update({k: v if isinstance(v, list) else [v] for k, v in answers.items()})
    data["go"] = [go]
    return browser.submit("/start/step", data)


def walk(browser: Browser, steps: list[Form]) -> Any:
    """Answer the steps in turn from ``/start``; the last answer (a redirect or a page)."""
    page = browser.page("/start/new").text
    answer = None
    for number, answers in enumerate(steps, start=1):
        assert f"Step {number} of {len(QUESTIONS.steps)}" in page
        answer = post_step(browser, page, answers)
        if answer.status_code != 200:
            return answer
        page = answer.text
    return answer


def stored(client: TestClient, person_id: str) -> Any:
    parts = client.app.state.parts  # type: ignore[attr-defined]
    with parts.db.unit_of_work() as uow:
        repo = uow.repo
        return (
            repo.assessments(person_id),
            repo.programmes(person_id),
            repo.notes(person_id),
        )


def person_of(browser: Browser) -> str:
    person: str = browser.client.get("/api/v1/account").json()["person"]
    return person


# --- the wizard -------------------------------------------------------------------------------


def test_the_wizard_without_javascript_reaches_self_management(runner: Browser) -> None:
    done = walk(runner, TYPICAL_STEPS)
    assert done.status_code == 303 and done.headers["location"] == "/start/result"
    result = runner.page("/start/result")
    assert result.status_code == 200
    text = result.text
    assert "you can start the programme" in text
    assert "Rest and rebuild" in text and "Phase 1: Settle" in text
    assert "sm-fits-runners-knee" in text and "pathway-rest-and-rebuild" in text
    assert "The weeks ahead" in text and "Your first week" in text
    assert 'href="/today"' in text and 'href="/start/new"' in text
    assessments, programmes, _ = stored(runner.client, person_of(runner))
    assert len(assessments) == 1 and len(programmes) == 1
    assert programmes[0].state.status.value == "active"
    assert assessments[0].document == {
        "schema_version": 1,
        "age": 34,
        "side": "right",
        "pain": {
            "now": 3,
            "at_rest": 1,
            "worst_last_week": 6,
            "location": ["around_kneecap", "behind_kneecap"],
            "provoked_by": ["running", "stairs_down", "squatting", "prolonged_sitting"],
        },
        "history": {"symptom_weeks": 4, "trend": "unchanged", "onset": "gradual"},
        "signs": {"swelling": "none"},
        "running": {
            "currently_running": True,
            "pain_during_run": 5,
            "pain_rises_during_run": True,
            "pain_settles_within_24h": True,
            "weekly_km_before_pain": 30,
            "longest_run_km_last_30_days": 12,
            "runs_per_week_before_pain": 3,
        },
    }


def test_every_question_of_the_contract_can_be_answered(runner: Browser) -> None:
    steps = [dict(s) for s in TYPICAL_STEPS]
    steps[0] |= {"history.injury.mechanism": "landing", "history.injury.heard_pop": "yes"}
    steps[4] |= {
        "history.weeks_following_programme": "2,5",
        "signs.morning_stiffness_minutes": "10",
    }
    steps[5] |= {
        "running.changes_stride_when_running": "yes",
        "running.recent_increase_in_load": "yes",
        "running.goal_race.date": "2027-04-18",
        "running.goal_race.distance_km": "21.1",
    }
    steps[6] = {
        "sex": "female",
        "preferences.training_days": ["mon", "wed", "fri"],
        "preferences.minutes_per_session": "30",
        "preferences.equipment": ["resistance_band", "step"],
    }
    assert walk(runner, steps).status_code == 303
    document = stored(runner.client, person_of(runner))[0][0].document
    assert document["history"]["injury"] == {"mechanism": "landing", "heard_pop": True}
    assert document["history"]["weeks_following_programme"] == 2.5
    assert document["running"]["goal_race"] == {"date": "2027-04-18", "distance_km": 21.1}
    assert document["preferences"] == {
        "training_days": ["mon", "wed", "fri"],
        "minutes_per_session": 30,
        "equipment": ["resistance_band", "step"],
    }
    assert document["sex"] == "female"
    read_assessment(document)  # valid under the contract


def test_the_wizard_reaches_see_a_clinician_with_what_to_tell_them(runner: Browser) -> None:
    steps = [dict(s) for s in TYPICAL_STEPS]
    steps[2] = steps[2] | {"pain.location": ["outer_knee"]}
    steps[4] = steps[4] | {"signs.giving_way": "yes"}
    assert walk(runner, steps).status_code == 303
    text = runner.page("/start/result").text
    assert "Book an assessment with a physiotherapist or doctor." in text
    assert "Iliotibial band syndrome" in text and "Kneecap instability" in text
    assert "r2-outer-knee-pain" in text and "r1-instability-catching-or-swelling" in text
    assert "What to tell them" in text and "Age 34; right knee" in text
    assert "Until you are assessed: no running" in text
    assert "The weeks ahead" not in text  # no programme to project
    programmes = stored(runner.client, person_of(runner))[1]
    assert programmes[0].state.status.value == "referred"


def test_progress_and_back_keep_the_answers(runner: Browser) -> None:
    first = runner.page("/start").text
    assert "Step 1 of 7" in first and 'aria-current="page"' in first
    second = post_step(runner, first, SAFE_SIGNS).text
    third = post_step(runner, second, {}).text
    assert "Step 3 of 7" in third and "Where it hurts" in third
    back = post_step(runner, third, {"side": "left"}, go="back")
    assert back.status_code == 200 and "Step 2 of 7" in back.text
    assert '<input type="hidden" name="side" value="left">' in back.text
    assert '<input type="hidden" name="age" value="34">' in back.text
    again = post_step(runner, back.text, {})
    assert 'value="left" checked' in again.text  # the answer is shown where it was given


def test_a_step_with_bad_answers_is_shown_again_with_the_problems(runner: Browser) -> None:
    first = runner.page("/start").text
    bad = post_step(
        runner,
        first,
        {"age": "three", "history.injury.mechanism": "none", "history.injury.heard_pop": "yes"},
    )
    assert bad.status_code == 400 and "Step 1 of 7" in bad.text
    assert "Enter a whole number from 8 to 100." in bad.text
    assert 'value="three"' in bad.text and 'aria-invalid="true"' in bad.text
    assert "Is the knee swollen?</a> Choose one." in bad.text
    assert "said the pain did not start with one" in bad.text
    odd = post_step(runner, first, SAFE_SIGNS | {"age": "7", "signs.swelling": "huge"})
    assert odd.status_code == 400
    assert "from 8 to 100" in odd.text and "Choose one of the options shown." in odd.text
    assert stored(runner.client, person_of(runner)) == ([], [], [])


def test_running_answers_that_do_not_fit_together_are_asked_again(runner: Browser) -> None:
    steps = [dict(s) for s in TYPICAL_STEPS[:5]]
    page = walk(runner, steps).text
    assert "Step 6 of 7" in page
    bad = post_step(
        runner,
        page,
        {"running.currently_running": "yes", "running.goal_race.distance_km": "-3"},
    )
    assert bad.status_code == 400
    assert "Choose how much it hurts when you run" in bad.text
    assert "Enter a number above 0 to 500 (km)." in bad.text
    assert "Give the race date too" in bad.text


def test_changed_hidden_answers_are_checked_again_and_never_stored(runner: Browser) -> None:
    page = walk(runner, TYPICAL_STEPS[:6]).text
    assert "Step 7 of 7" in page
    forged = page.replace('name="pain.now" value="3"', 'name="pain.now" value="12"')
    answer = post_step(runner, forged, {"not-a-question": "x"})
    assert answer.status_code == 400 and "Step 4 of 7" in answer.text
    assert "Choose a number from 0 to 10." in answer.text
    assert "not-a-question" not in answer.text
    for step in ("99", "²", "-1", ""):
        lost = runner.submit("/start/step", {"step": step, "go": "next", "age": "٣٤"})
        assert lost.status_code == 400 and "Step 1 of 7" in lost.text
    assert stored(runner.client, person_of(runner))[0] == []


def test_the_final_step_sent_twice_stores_one_assessment(runner: Browser) -> None:
    page = walk(runner, TYPICAL_STEPS[:6]).text
    assert post_step(runner, page, {}).status_code == 303
    assert post_step(runner, page, {}).status_code == 303
    assessments, programmes, _ = stored(runner.client, person_of(runner))
    assert len(assessments) == 1 and len(programmes) == 1


# --- red flags --------------------------------------------------------------------------------


def _only_the_instruction(text: str) -> None:
    assert 'class="main-nav"' not in text and "/today" not in text
    assert 'class="foot"' not in text and 'class="account-links"' not in text
    # on a shared phone the runner can still log out: a small button, not the navigation
    assert 'action="/logout"' in text
    for other in ("Your pathway", "The weeks ahead", "Your first week", "You can start"):
        assert other not in text
    assert "Library" not in text and "Re-assess" not in text


def test_a_red_flag_on_the_first_screen_shows_only_the_instruction(
    runner_with_programme: ProgrammeRunner, clock: FixedClock
) -> None:
    runner = runner_with_programme
    first = runner.page("/start").text
    assert "You already have a programme" in first
    answer = post_step(runner, first, SAFE_SIGNS | {"signs.foot_numb_cold_or_pale": "yes"})
    assert answer.status_code == 303 and answer.headers["location"] == "/start/result"
    page = runner.page("/start/result")
    text = page.text
    assert page.status_code == 200
    assert "<h1" in text and text.count("<h1") == 1
    assert "Go to an emergency department now, or call your emergency number." in text
    assert 'href="tel:112"' in text  # the emergency number setting (words/emergency.toml)
    assert 'href="tel:999"' in text  # and the runner's zone (Europe/London) suggests 999
    assert "e1-neurovascular-compromise" in text and "NHS Gloucestershire" in text
    assert "Do not run or exercise the knee." in text
    _only_the_instruction(text)
    # kept for the clinician, the programme ended, and it stands at /start
    _, programmes, notes = stored(runner.client, runner.person_id)
    assert programmes[0].ended_on is not None
    assert notes[0].author == STOP_AUTHOR and "e1-neurovascular-compromise" in notes[0].text
    again = runner.page("/start").text
    assert "Go to an emergency department now" in again
    _only_the_instruction(again)
    latest = runner.api("GET", "/api/v1/assessment").json()
    assert latest["disposition"] == "emergency" and latest["warning_signs_only"] is True
    # a new, complete assessment ends it
    clock.advance(days=1)
    assert walk(runner, TYPICAL_STEPS).status_code == 303
    assert "Step 1 of 7" in runner.page("/start").text
    assert runner.api("GET", "/api/v1/assessment").json()["disposition"] == "self_manage"


def test_an_urgent_sign_on_the_second_screen_stops_too(runner: Browser) -> None:
    first = runner.page("/start").text
    second = post_step(runner, first, SAFE_SIGNS).text
    answer = post_step(runner, second, {"signs.locked": "yes", "history.cancer_history": "yes"})
    assert answer.status_code == 303
    text = runner.page("/start/result").text
    assert "See a doctor today." in text
    assert "u2-locked-knee" in text and "u7-possible-serious-disease" in text
    assert "tel:" not in text  # a call button is for emergencies only
    _only_the_instruction(text)
    assert stored(runner.client, person_of(runner))[0] == []  # not a whole assessment


def test_a_red_flag_in_a_whole_assessment_is_stored_and_stands(runner: Browser) -> None:
    document = typical_doc(**{"signs.calf_pain_or_swelling": True})
    answer = runner.api("POST", "/api/v1/assessment", json=document)
    assert answer.status_code == 201
    assert answer.json()["disposition"] == "urgent"
    assert answer.json()["programme"]["status"] == "stopped"
    text = runner.page("/start").text
    assert "See a doctor today." in text and "u6-possible-dvt" in text
    assert "Age 34; right knee" in text  # what to tell them, from the whole assessment
    _only_the_instruction(text)
    assert "Step 1 of 7" in runner.page("/start/new").text


def test_the_warning_sign_steps_hold_every_answer_a_red_flag_rule_reads() -> None:
    """An early stop never says less than the whole assessment would: whatever the later
    steps answer, the emergency and urgent rules that fire are the same."""
    content = shipped_content()
    mild = _later_answers(alarming=False)
    alarming = _later_answers(alarming=True)
    early = [
        {"age": [age], "signs.swelling": [swelling], "history.injury.mechanism": [how], **flag}
        for age, swelling, how, flag in itertools.product(
            ("9", "34", "60"),
            ("none", "mild", "marked"),
            ("none", "twisting"),
            ({}, {"signs.hot": ["yes"]}, {"signs.limp": ["yes"]}, {"signs.deformity": ["yes"]}),
        )
    ]
    for answers in early:
        expected = _red_flag_rules(QUESTIONS.warning_signs_document(answers), content)
        for later in (mild, alarming):
            whole = QUESTIONS.build_document({**answers, **later})
            assert _red_flag_rules(whole, content) == expected, (answers, later)


def _red_flag_rules(document: dict[str, Any], content: Any) -> list[str]:
    found = findings(read_assessment(document), content.settings[1])
    return [f.rule for f in found if f.disposition.severity >= Disposition.URGENT.severity]


def _later_answers(alarming: bool) -> dict[str, list[str]]:
    """Answers to every question after the warning-sign steps, all mild or all alarming."""
    answers: dict[str, list[str]] = {}
    for step in QUESTIONS.steps[2:]:
        for q in step.questions:
            options = [o.value for o in q.options]
            if q.kind == "flags":
                answers |= {n: ["yes"] for n in q.field_names if alarming}
            elif q.kind in ("choice", "multi"):
                everything = options if q.kind == "multi" else options[-1:]
                answers[q.name] = everything if alarming else options[:1]
            elif q.kind == "scale":
                answers[q.name] = ["10" if alarming else "0"]
            elif q.kind == "date":
                answers[q.name] = ["2027-04-18"]
            else:
                mild = "1" if q.above_low else f"{q.low:g}"
                answers[q.name] = [f"{q.high:g}" if alarming else mild]
    return answers


# --- the API ----------------------------------------------------------------------------------


def test_the_api_starts_a_programme_and_gives_the_latest(runner: Browser) -> None:
    assert runner.api("GET", "/api/v1/assessment").status_code == 404
    answer = runner.api("POST", "/api/v1/assessment", json=typical_doc())
    assert answer.status_code == 201
    body = answer.json()
    assert body["disposition"] == "self_manage" and body["programme_allowed"] is True
    assert body["reasons"][0]["rule"] == "sm-fits-runners-knee"
    assert body["reasons"][0]["source"]
    assert body["assessment_version"] == 1 and body["date"] == "2026-12-01"
    assert body["programme"]["status"] == "active"
    assert body["programme"]["phase"] == {"number": 1, "name": "Settle"}
    latest = runner.api("GET", "/api/v1/assessment").json()
    assert latest["disposition"] == "self_manage" and latest["assessment_version"] == 1
    assert latest["programme"]["id"] == body["programme"]["id"]
    second = runner.api("POST", "/api/v1/assessment", json=typical_doc()).json()
    assert second["assessment_version"] == 2
    assert "Step 1 of 7" in runner.page("/start").text  # no red flag: a new one may be taken


def test_the_api_refuses_bad_documents_and_triage_stores_nothing(runner: Browser) -> None:
    for path in ("/api/v1/assessment", "/api/v1/triage"):
        missing = runner.api("POST", path, json=typical_doc(**{"pain.now": None}))
        assert missing.status_code == 422
        assert {"field": "$.pain.now", "message": "is required"} in missing.json()["errors"]
        wrong = runner.api("POST", path, json=typical_doc(**{"pain.now": 11, "extra": 1}))
        fields = {e["field"] for e in wrong.json()["errors"]}
        assert wrong.status_code == 422 and fields == {"$.pain.now", "$.extra"}
        garbled = runner.api(
            "POST", path, content=b"{not json", headers={"content-type": "application/json"}
        )
        assert garbled.status_code == 422 and garbled.json()["errors"][0]["field"] == "$"
        huge = runner.api("POST", path, content=b" " * 70_000)
        assert huge.status_code == 413
    triaged = runner.api("POST", "/api/v1/triage", json=typical_doc(**{"signs.locked": True}))
    assert triaged.status_code == 200 and triaged.json()["disposition"] == "urgent"
    assert triaged.json()["reasons"][0]["rule"] == "u2-locked-knee"
    assert runner.api("GET", "/api/v1/assessment").status_code == 404  # nothing stored


def test_each_runner_sees_only_their_own_assessment(client: TestClient) -> None:
    first = sign_up(client, "first@example.com")
    assert first.api("POST", "/api/v1/assessment", json=typical_doc()).status_code == 201
    client.cookies.clear()
    second = sign_up(client, "second@example.com")
    assert second.api("GET", "/api/v1/assessment").status_code == 404
    assert second.client.get("/start/result", follow_redirects=False).headers["location"] == (
        "/start"
    )


def test_csrf_and_sign_in_are_required(runner: Browser) -> None:
    forged = runner.client.post("/start/step", data={"step": "1", **SAFE_SIGNS})
    assert forged.status_code == 403
    no_header = runner.client.post("/api/v1/assessment", json=typical_doc())
    assert no_header.status_code == 403
    assert runner.api("GET", "/api/v1/assessment").status_code == 404  # nothing was stored
    runner.client.cookies.clear()
    assert (
        runner.client.get("/start", follow_redirects=False).headers["location"].startswith("/login")
    )
    assert runner.client.post("/api/v1/triage", json=typical_doc()).status_code == 401


def test_the_api_is_documented_with_the_contract_schema(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    start = spec["paths"]["/api/v1/assessment"]["post"]
    assert start["tags"] == ["assessment"] and {"401", "403", "422"} <= set(start["responses"])
    body = start["requestBody"]["content"]["application/json"]["schema"]
    assert body["required"] == ["age", "side", "pain", "history", "signs"]
    assert "$defs" not in json.dumps(body)
    assert "/start" not in spec["paths"]


def test_pages_stay_light(runner_with_programme: ProgrammeRunner) -> None:
    browser = runner_with_programme
    for path in ("/start", "/start/result"):
        page = browser.page(path)
        assert page.status_code == 200
        assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page.text)
        weight = len(page.content) + sum(len(browser.client.get(a).content) for a in assets)
        assert weight < 100_000, path
