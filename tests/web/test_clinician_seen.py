"""A referral that can end (item 9): a runner without a clinic, on hold for an assessment or
stopped for a warning sign, records that a physiotherapist or doctor has seen their knee and
what they advised (a journal note), then takes the knee check again, which starts a new
programme."""

from __future__ import annotations

from typing import Any

from runrehab.services.journal.clinician_seen import AUTHOR
from tests.conftest import typical_doc
from tests.fakes import FixedClock
from tests.web.conftest import Browser, ProgrammeRunner
from tests.web.test_onboarding import TYPICAL_STEPS, stored, walk

ADVICE = "Patellofemoral pain, no structural damage. Carry on with hip and quad work."


def check_in(runner: Browser, **fields: Any) -> Any:
    runner.page("/checkin")
    form = {"pain_now": "1", "pain_at_rest": "0", "pain_worst": "2", "ran": "no", **fields}
    return runner.submit("/checkin", form)


def status_of(me: ProgrammeRunner) -> str | None:
    _, programmes, _ = stored(me.client, me.person_id)
    current = [p for p in programmes if p.ended_on is None]
    return current[-1].state.status.value if current else None


def test_a_referred_runner_records_the_advice_then_a_new_knee_check_starts_again(
    runner_with_programme: ProgrammeRunner, clock: FixedClock
) -> None:
    me = runner_with_programme
    check_in(me, signs="giving_way")
    assert status_of(me) == "referred"
    clock.advance(days=5)  # seen on the 5th, back on the 6th
    today = me.page("/today").text
    assert 'href="/clinician-seen"' in today
    assert "A physiotherapist or doctor has seen my knee" in today
    page = me.page("/clinician-seen")
    assert page.status_code == 200
    assert "on hold until a physiotherapist or doctor has assessed your knee" in page.text
    posted = me.submit("/clinician-seen", {"day": "2026-12-05", "advice": ADVICE})
    assert posted.status_code == 303 and posted.headers["location"] == "/start/new"
    _, _, notes = stored(me.client, me.person_id)
    [note] = [n for n in notes if n.author == AUTHOR]
    assert ADVICE in note.text and str(note.day) == "2026-12-05"
    assert "Sat 5 Dec 2026" in note.text
    assert status_of(me) == "referred"  # the note alone restarts nothing
    done = walk(me, TYPICAL_STEPS)
    assert done.status_code == 303 and done.headers["location"] == "/start/result"
    _, programmes, _ = stored(me.client, me.person_id)
    assert len(programmes) == 2 and programmes[-1].started_on.isoformat() == "2026-12-06"
    assert status_of(me) == "active"
    today = me.page("/today").text
    assert "Day 1 of your programme" in today and "waiting for an assessment" not in today
    assert 'href="/clinician-seen"' not in today  # active again: nothing to end
    history = me.client.get("/api/v1/history").text
    assert ADVICE in history


def test_a_red_flag_still_needs_the_new_knee_check_and_the_same_path_works(
    runner_with_programme: ProgrammeRunner, clock: FixedClock
) -> None:
    me = runner_with_programme
    check_in(me, signs="calf_pain_or_swelling")
    assert status_of(me) == "stopped"
    clock.advance(days=3)
    today = me.page("/today").text
    assert 'class="emergency" role="alert"' in today and 'href="/clinician-seen"' in today
    page = me.page("/clinician-seen").text
    assert "stopped for a warning sign" in page and "new knee check" in page
    answer = me.api("POST", "/api/v1/clinician-seen", json={"advice": ADVICE})
    assert answer.status_code == 201, answer.text
    kept = answer.json()
    assert kept["status"] == "stopped" and kept["next"] == "/start/new"
    assert kept["note"]["date"] == "2026-12-04" and kept["note"]["author"] == AUTHOR
    assert status_of(me) == "stopped"
    # the new knee check begins afresh, whatever stands
    assert "Step 1 of 7" in me.page(kept["next"]).text
    started = me.api("POST", "/api/v1/assessment", json=typical_doc())
    assert started.status_code == 201, started.text
    assert started.json()["programme"]["status"] == "active"
    assert status_of(me) == "active"
    today = me.page("/today").text
    assert 'class="emergency"' not in today and "Can I run today?" in today


def test_bad_input_is_refused_naming_the_field_and_nothing_is_kept(
    runner_with_programme: ProgrammeRunner,
) -> None:
    me = runner_with_programme
    check_in(me, signs="giving_way")
    for body, field, words in (
        ({"day": "2026-12-02", "advice": ADVICE}, "day", "has not happened yet"),
        ({"day": "1999-12-31", "advice": ADVICE}, "day", "2000-01-01"),
        ({"day": "yesterday", "advice": ADVICE}, "day", "YYYY-MM-DD"),
        ({"day": "", "advice": ADVICE}, "day", "YYYY-MM-DD"),
        ({"advice": "   "}, "advice", "1 to 2000 characters"),
    ):
        answer = me.api("POST", "/api/v1/clinician-seen", json=body)
        assert answer.status_code == 400, (body, answer.text)
        assert words in answer.json()["detail"]
        assert answer.json()["errors"] == [{"field": field, "message": answer.json()["detail"]}]
    too_long = me.api("POST", "/api/v1/clinician-seen", json={"advice": "x" * 2001})
    assert too_long.status_code == 422 and too_long.json()["errors"][0]["field"] == "advice"
    control = me.api("POST", "/api/v1/clinician-seen", json={"advice": "ok\x1b"})
    assert control.status_code == 422
    # the page shows the form again with why, keeping what was written
    again = me.submit("/clinician-seen", {"day": "2026-12-02", "advice": ADVICE})
    assert again.status_code == 400
    assert "has not happened yet" in again.text and ADVICE in again.text
    empty = me.submit("/clinician-seen", {"day": "", "advice": ""})
    assert empty.status_code == 400 and 'id="advice-error"' in empty.text
    _, _, notes = stored(me.client, me.person_id)
    assert [n for n in notes if n.author == AUTHOR] == []


def test_signing_in_is_required(runner: Browser) -> None:
    runner.client.cookies.clear()
    assert runner.client.get("/clinician-seen", follow_redirects=False).status_code == 303
    answer = runner.client.post("/api/v1/clinician-seen", json={"advice": ADVICE})
    assert answer.status_code == 401


def test_seen_and_checked_again_the_same_day_the_morning_check_in_does_not_refer_again(
    runner_with_programme: ProgrammeRunner, clock: FixedClock
) -> None:
    """The morning's check-in referred the runner; a physiotherapist saw the knee at noon;
    the new knee check that afternoon starts a programme that the morning's check-in (of the
    programme before) does not send back to the clinician."""
    me = runner_with_programme
    check_in(me, signs="giving_way")
    assert status_of(me) == "referred"
    clock.advance(hours=5)
    posted = me.submit("/clinician-seen", {"day": "2026-12-01", "advice": ADVICE})
    assert posted.status_code == 303
    done = walk(me, TYPICAL_STEPS)
    assert done.status_code == 303
    assert status_of(me) == "active"
    assert "waiting for an assessment" not in me.page("/today").text
    check_in(me, signs="giving_way")  # a new sign after the knee check still refers
    assert status_of(me) == "referred"
