"""The daily check-in (form and API) and the questionnaires: what is stored, the answer shown,
bad input re-shown with nothing stored, future and too-early days refused, CSRF, and Kujala
from due to answered to its score and change."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.fakes import FixedClock
from tests.web.conftest import ProgrammeRunner
from tests.web.test_today import check_in

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
KUJALA = json.loads((EXAMPLES / "kujala-start.json").read_text())["answers"]
GOOD_DAY = {"date": "2026-12-01", "pain": {"now": 1, "at_rest": 0, "worst_24h": 2}}


def stored(me: ProgrammeRunner) -> list[dict[str, Any]]:
    checkins: list[dict[str, Any]] = me.client.get("/api/v1/checkins").json()["checkins"]
    return checkins


# --- the form ---------------------------------------------------------------------------------


def test_the_form_asks_about_the_knee_and_the_days_exercises(
    runner_with_programme: ProgrammeRunner,
) -> None:
    page = runner_with_programme.page("/checkin")
    assert page.status_code == 200
    html = page.text
    assert '<a href="/checkin" aria-current="page">Check in</a>' in html
    assert "<legend>Pain now</legend>" in html
    assert 'name="pain_worst" value="10"' in html
    assert 'value="calf_pain_or_swelling"' in html
    assert 'name="exercise" value="quad-set"' in html
    assert 'name="sets_quad-set" inputmode="numeric" min="0" max="20" step="1" value="3"' in html
    assert 'type="date" id="date" name="date" value="2026-12-01"' in html
    assert 'name="csrf_token"' in html and "data-prefill" in html
    # a fresh form is filled in from the day's plan: the exercises ticked as done, at their dose
    assert 'name="exercise" value="quad-set" data-ticks=' in html
    assert 'data-sets="sets_quad-set" checked>' in html
    assert "Exercises: all " in html and " done as planned" in html
    # no browser bubble on an invisible control: the server checks, the page says what is wrong
    assert 'class="checkin" novalidate' in html


def test_an_incomplete_check_in_says_what_is_missing_beside_the_field(
    runner_with_programme: ProgrammeRunner,
) -> None:
    me = runner_with_programme
    me.page("/checkin")
    answer = me.submit("/checkin", {"pain_now": "1", "pain_worst": "2", "date": "2026-12-01"})
    assert answer.status_code == 400
    html = answer.text
    message = "Choose how much it hurts at rest, from 0 (no pain) to 10 (the worst)."
    # announced (the alert lists it, linked to its field), and beside the field itself
    alert = html[html.index('role="alert"') : html.index("</div>", html.index('role="alert"'))]
    assert f'<a href="#f-pain_at_rest">{message}</a>' in alert
    field = html[
        html.index('id="f-pain_at_rest"') : html.index(
            "</fieldset>", html.index('id="f-pain_at_rest"')
        )
    ]
    assert '<p class="field-error" id="pain_at_rest-error">' in field and message in field
    assert 'aria-invalid="true" aria-describedby="scale-ends pain_at_rest-error"' in field
    # the answers given are kept, the others not marked
    assert 'name="pain_now" value="1" checked required aria-describedby="scale-ends">' in html
    assert 'id="pain_now-error"' not in html
    assert stored(me) == []


def test_a_check_in_is_stored_as_the_contract_document_and_answered(
    runner_with_programme: ProgrammeRunner,
) -> None:
    me = runner_with_programme
    me.page("/checkin")
    posted = check_in(
        me,
        morning="same",
        swelling="none",
        exercise=["quad-set", "clamshell"],
        **{"sets_quad-set": "3", "sets_clamshell": "1"},
        exercise_pain="1",
        cross_kind="walking",
        cross_minutes="20",
        cross_pain="1",
        notes="  Stairs felt easier.  ",
    )
    assert posted.status_code == 303
    assert posted.headers["location"] == "/checkin/done?date=2026-12-01"
    done = me.page(posted.headers["location"])
    assert done.status_code == 200
    assert "Check-in saved" in done.text and "Carry on as planned." in done.text
    assert "A green session" in done.text and "Can I run today?" in done.text
    assert "worst pain in the last 24 hours" not in done.text  # worst 2: in the green zone
    [one] = stored(me)
    assert one["revision"] == 1
    assert one["checkin"] == {
        "schema_version": 1,
        "date": "2026-12-01",
        "pain": {"now": 1, "at_rest": 0, "worst_24h": 2},
        "this_morning_vs_usual": "same",
        "signs": {"swelling": "none"},
        "exercises": [
            {"id": "quad-set", "sets": 3, "reps": 10, "max_pain": 1},
            {"id": "clamshell", "sets": 1, "reps": 10, "max_pain": 1},
        ],
        "cross_training": [{"kind": "walking", "minutes": 20.0, "max_pain": 1}],
        "notes": "Stairs felt easier.",
    }
    today = me.page("/today").text
    assert "Check in today" not in today


def test_a_run_is_reported_with_how_it_felt(runner_with_programme: ProgrammeRunner) -> None:
    me = runner_with_programme
    me.page("/checkin")
    posted = check_in(
        me,
        ran="yes",
        run_minutes="24,5",
        run_km="4",
        run_pain="2",
        run_settled="30",
        run_stride="yes",
    )
    assert posted.status_code == 303
    run = stored(me)[0]["checkin"]["run"]
    assert run == {
        "minutes": 24.5,
        "distance_km": 4.0,
        "max_pain": 2,
        "settled_within_minutes": 30,
        "changed_stride": True,
    }


def test_bad_input_is_shown_again_with_messages_and_nothing_is_stored(
    runner_with_programme: ProgrammeRunner,
) -> None:
    me = runner_with_programme
    me.page("/checkin")
    answer = me.submit(
        "/checkin",
        {
            "pain_now": "11",
            "pain_worst": "2",
            "morning": "sideways",
            "ran": "yes",
            "run_minutes": "nan",
            "exercise": "clamshell",
            "sets_clamshell": "abc",
            "exercise_pain": "²",
            "cross_kind": "walking",
            "notes": "x" * 4001,
        },
    )
    assert answer.status_code == 400
    html = answer.text
    assert "Nothing was saved yet." in html
    for message in (
        "How much it hurts now is a whole number from 0 to 10.",
        "Choose how much it hurts at rest, from 0 (no pain) to 10 (the worst).",
        "Choose one of the answers for this morning.",
        "How many minutes you ran must be a number from 0 to 1440.",
        "Choose the most it hurt during the run",
        "The sets of Clamshell you did must be a whole number from 0 to 20.",
        "How much the exercises hurt at most is a whole number from 0 to 10.",
        "Give how many minutes it lasted.",
        "Keep the note under 4000 characters (it has 4001).",
    ):
        assert message in html, message
    # what was typed is still there
    assert 'name="pain_worst" value="2" checked required' in html
    assert 'name="sets_clamshell" inputmode="numeric" min="0" max="20" step="1" value="abc"' in html
    assert 'aria-invalid="true" aria-describedby="notes-error"' in html
    assert stored(me) == []


def test_no_day_in_the_future_or_before_the_programme(
    runner_with_programme: ProgrammeRunner,
) -> None:
    me = runner_with_programme
    me.page("/checkin")
    future = check_in(me, date="2026-12-02")
    assert future.status_code == 400 and "has not happened yet" in future.text
    early = check_in(me, date="2026-11-30")
    assert early.status_code == 400 and "before your programme started" in early.text
    nonsense = check_in(me, date="yesterday")
    assert nonsense.status_code == 400 and "This is not a date" in nonsense.text
    assert me.client.get("/checkin?date=2026-12-02").status_code == 400
    assert stored(me) == []


def test_a_missed_day_can_be_caught_up_and_a_day_corrected(
    runner_with_programme: ProgrammeRunner, clock: FixedClock
) -> None:
    me = runner_with_programme
    clock.advance(days=2)
    today = me.page("/today").text
    assert '<a href="/checkin?date=2026-12-01">' in today
    form = me.page("/checkin?date=2026-12-01").text
    assert "Check-in for Tue 1 Dec" in form and "That morning, the knee is" in form
    assert check_in(me, date="2026-12-01").status_code == 303
    again = me.page("/checkin?date=2026-12-01").text
    assert "You have already checked in for this day" in again
    assert 'name="pain_worst" value="2" checked required' in again
    assert "data-prefill" not in again
    assert check_in(me, date="2026-12-01", pain_worst="3").status_code == 303
    [one] = stored(me)
    assert one["revision"] == 2 and one["checkin"]["pain"]["worst_24h"] == 3


def test_posts_without_the_csrf_token_are_refused(runner_with_programme: ProgrammeRunner) -> None:
    me = runner_with_programme
    form = {"pain_now": "1", "pain_at_rest": "0", "pain_worst": "2"}
    assert me.client.post("/checkin", data=form, follow_redirects=False).status_code == 403
    api = me.client.post("/api/v1/checkins", json=GOOD_DAY)
    assert api.status_code == 403
    answers = me.client.post("/api/v1/questionnaires/weekly_pain", json={"answers": {}})
    assert answers.status_code == 403
    page = me.client.post("/questionnaires/weekly_pain", data={"usual": "3", "worst": "4"})
    assert page.status_code == 403
    assert me.client.get("/api/v1/history").json()["questionnaires"] == []
    assert stored(me) == []


# --- the API ----------------------------------------------------------------------------------


def test_the_api_records_a_contract_check_in(
    runner_with_programme: ProgrammeRunner, clock: FixedClock
) -> None:
    me = runner_with_programme
    doc = json.loads((EXAMPLES / "checkin-good-day.json").read_text())
    first = me.api("POST", "/api/v1/checkins", json=doc)
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["recorded"] is True and body["replaced"] is False and body["revision"] == 1
    assert body["decision"]["date"] == "2026-12-01" and "reasons" in body["decision"]
    assert body["programme"]["phase"]["number"] == 1
    again = me.api("POST", "/api/v1/checkins", json=doc)
    assert again.status_code == 200 and again.json()["replaced"] is True
    assert stored(me)[0]["checkin"] == doc
    one = me.client.get("/api/v1/checkins?date=2026-12-01").json()["checkins"]
    assert len(one) == 1 and one[0]["revision"] == 2
    assert me.client.get("/api/v1/checkins?date=2026-11-01").json() == {"checkins": []}
    clock.advance(days=2)
    for day in ("2026-12-03", "2026-12-02"):
        assert me.api("POST", "/api/v1/checkins", json={**GOOD_DAY, "date": day}).status_code == 201
    assert [c["date"] for c in stored(me)] == ["2026-12-03", "2026-12-02", "2026-12-01"]


def test_the_api_names_what_is_wrong(runner_with_programme: ProgrammeRunner) -> None:
    me = runner_with_programme
    bad = me.api(
        "POST",
        "/api/v1/checkins",
        json={"date": "2026-12-01", "pain": {"now": 11, "at_rest": 0}, "mood": "ok"},
    )
    assert bad.status_code == 422
    fields = {e["field"] for e in bad.json()["errors"]}
    assert {"$.pain.now", "$.pain.worst_24h", "$.mood"} <= fields
    broken = me.api(
        "POST",
        "/api/v1/checkins",
        content=b"{not json",
        headers={"content-type": "application/json"},
    )
    assert broken.status_code == 422 and broken.json()["errors"][0]["field"] == "$"
    future = me.api("POST", "/api/v1/checkins", json={**GOOD_DAY, "date": "2026-12-02"})
    assert future.status_code == 422
    assert future.json()["errors"] == [
        {
            "field": "$.date",
            "message": "Wed 2 Dec 2026 has not happened yet: today is Tue 1 Dec 2026.",
        }
    ]
    early = me.api("POST", "/api/v1/checkins", json={**GOOD_DAY, "date": "2026-11-30"})
    assert early.status_code == 422 and early.json()["errors"][0]["field"] == "$.date"
    unknown = me.api(
        "POST", "/api/v1/checkins", json={**GOOD_DAY, "exercises": [{"id": "moonwalk", "sets": 1}]}
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "$.exercises[0].id"
    assert me.client.get("/api/v1/checkins?date=soon").status_code == 400
    assert stored(me) == []


def test_a_red_flag_through_the_api_says_where_to_go(
    runner_with_programme: ProgrammeRunner,
) -> None:
    me = runner_with_programme
    doc = {**GOOD_DAY, "signs": {"breathless_or_chest_pain": True}}
    body = me.api("POST", "/api/v1/checkins", json=doc).json()
    assert body["decision"]["disposition"] == "emergency"
    assert body["headline"].startswith("Go to an emergency department now")
    assert body["programme"]["status"] == "stopped"
    page = me.page("/checkin/done?date=2026-12-01").text
    assert "Go to an emergency department now" in page and 'class="emergency"' in page


# --- questionnaires -----------------------------------------------------------------------------


def test_kujala_from_due_to_its_score_and_change(
    runner_with_programme: ProgrammeRunner, clock: FixedClock
) -> None:
    me = runner_with_programme
    assert '<a href="/questionnaires/kujala">' in me.page("/today").text
    page = me.page("/questionnaires/kujala")
    assert page.status_code == 200
    assert page.text.count("<fieldset") == 13
    assert "<legend>1. Do you limp when you walk?</legend>" in page.text

    half = dict(list(KUJALA.items())[:6])
    refused = me.submit(
        "/questionnaires/kujala", {"date": "2026-12-01", **half, "limp": "9" * 5000}
    )
    assert refused.status_code == 400
    assert refused.text.count("Choose an answer.") == 7
    assert "Choose one of these." in refused.text
    assert 'value="yes_without_pain" required checked' in refused.text  # answers kept
    assert me.client.get("/api/v1/history").json()["questionnaires"] == []

    posted = me.submit("/questionnaires/kujala", {"date": "2026-12-01", **KUJALA})
    assert posted.status_code == 303
    assert posted.headers["location"] == "/questionnaires/kujala/done?date=2026-12-01"
    done = me.page(posted.headers["location"]).text
    assert "77 out of 100" in done and "This is your starting score" in done
    assert '<a href="/questionnaires/kujala">' not in me.page("/today").text

    clock.advance(days=14)
    assert '<a href="/questionnaires/kujala">' in me.page("/today").text
    better = {**KUJALA, "stairs": "no_trouble", "squatting": "no_trouble", "jumping": "no_trouble"}
    me.page("/questionnaires/kujala")
    again = me.submit("/questionnaires/kujala", {"date": "2026-12-15", **better})
    changed = me.page(again.headers["location"]).text
    assert "+15 points" in changed and "A change that matters" in changed


def test_the_questionnaire_pages_and_api_refuse_what_is_not_there(
    runner_with_programme: ProgrammeRunner,
) -> None:
    me = runner_with_programme
    assert me.client.get("/questionnaires/sf36").status_code == 404
    me.page("/questionnaires/kujala")
    assert me.submit("/questionnaires/sf36", {"a": "b"}).status_code == 404
    future = me.submit("/questionnaires/weekly_pain", {"date": "2026-12-09", "usual": "3"})
    assert future.status_code == 400 and "has not happened yet" in future.text
    assert me.client.get("/questionnaires/kujala/done?date=2026-12-01").status_code == 404
    assert me.client.get("/questionnaires/kujala?date=someday").status_code == 400
    due = me.client.get("/api/v1/questionnaires/due").json()
    assert {d["instrument"] for d in due["due"]} == {"kujala", "weekly_pain", "fear_of_movement"}
    assert me.client.get("/api/v1/questionnaires/due?date=2027-01-01").status_code == 400
    items = me.client.get("/api/v1/questionnaires/kujala").json()["items"]
    assert len(items) == 13
    assert me.client.get("/api/v1/questionnaires/sf36").status_code == 404
    assert me.api("POST", "/api/v1/questionnaires/sf36", json={"answers": {}}).status_code == 404
    wrong = me.api(
        "POST", "/api/v1/questionnaires/weekly_pain", json={"answers": {"usual": 11}, "x": 1}
    )
    assert wrong.status_code == 422
    assert {e["field"] for e in wrong.json()["errors"]} == {"$.x"}
    wrong = me.api("POST", "/api/v1/questionnaires/weekly_pain", json={"answers": {"usual": 11}})
    assert {e["field"] for e in wrong.json()["errors"]} == {"$.answers.usual", "$.answers.worst"}
    ok = me.api(
        "POST", "/api/v1/questionnaires/weekly_pain", json={"answers": {"usual": 3, "worst": 5}}
    )
    assert ok.status_code == 201
    assert ok.json()["score"] == 5 and ok.json()["change"] is None
    due = me.client.get("/api/v1/questionnaires/due").json()
    assert [d["instrument"] for d in due["due"]] == ["kujala", "fear_of_movement"]


def test_a_green_session_with_a_worse_day_is_never_called_a_green_day(
    runner_with_programme: ProgrammeRunner,
) -> None:
    """Exercise pain 1 is a green session; a worst pain of 3 over the day is said beside it,
    with the green zone's own number, so the answer never calls that day green."""
    me = runner_with_programme
    me.page("/checkin")
    posted = check_in(
        me,
        morning="same",
        swelling="none",
        exercise=["quad-set"],
        **{"sets_quad-set": "3"},
        exercise_pain="1",
        pain_worst="3",
    )
    assert posted.status_code == 303, posted.text
    done = me.page(posted.headers["location"]).text
    assert "A green session" in done and "A green day" not in done
    parts = me.client.app.state.parts  # type: ignore[attr-defined]
    green = parts.content.protocol.settings.green_max_pain
    assert f"worst pain in the last 24 hours was 3/10, above the green zone (0–{green}/10)" in done


def test_text_that_cannot_be_stored_or_shown_is_refused_naming_its_field(
    runner_with_programme: ProgrammeRunner,
) -> None:
    """Issue 13, finding 1: a lone surrogate or a NUL in a check-in's notes was accepted, and
    from then on the runner's check-ins, history, export and check-in page answered 500."""
    me = runner_with_programme
    for bad in ('"a\\ud800b"', '"a\\u0000b"', '"bell \\u0007"'):
        body = json.dumps(GOOD_DAY)[:-1] + ', "notes": ' + bad + "}"
        answer = me.client.post(
            "/api/v1/checkins",
            content=body.encode(),
            headers={"Content-Type": "application/json", "X-CSRF-Token": me.csrf},
        )
        assert answer.status_code == 422, answer.text
        assert [e["field"] for e in answer.json()["errors"]] == ["$.notes"]
    form = me.submit("/checkin", {"date": "2026-12-01", "notes": "a\x00b"})
    assert form.status_code == 400 and "&#39;notes&#39; contains a NUL character" in form.text
    assert stored(me) == []  # nothing half-saved
    kept = me.api("POST", "/api/v1/checkins", json={**GOOD_DAY, "notes": "Stairs ok.\n\tSore."})
    assert kept.status_code == 201  # newline and tab are text
    for path in ("/api/v1/checkins", "/api/v1/history", "/api/v1/export", "/checkin"):
        assert me.client.get(path).status_code == 200, path
