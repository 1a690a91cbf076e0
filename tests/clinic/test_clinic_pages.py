"""The clinic's pages as a physiotherapist and a runner use them (forms posted as a browser
would, the session's token standing in for the cookie): notes, sessions, the clinic's own
exercises, the caseload's settings, My clinic."""

from __future__ import annotations

from datetime import timedelta

from tests.clinic.conftest import Clinic

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64


def test_a_note_a_session_and_the_runners_answer_go_through_the_pages(clinic: Clinic) -> None:
    runner = clinic.new_runner("rita@example.com")
    page = f"/clinic/patients/{runner.person_id}"
    form = {"subjective": "Stairs easier", "plan": "Add step-downs next week"}
    assert clinic.admin.call("POST", f"{page}/notes", data=form).status_code == 303
    shown = clinic.admin.call("GET", page).text
    assert "Stairs easier" in shown and "Add step-downs next week" in shown
    assert "Stairs easier" not in runner.call("GET", "/my-clinic").text  # private to the clinic

    tomorrow = (clinic.clock.now() + timedelta(days=1)).date().isoformat()
    session = {"date": tomorrow, "time": "18:30", "minutes": "30"}
    refused = clinic.admin.call("POST", f"{page}/sessions", data=session)
    assert refused.status_code == 400 and "link" in refused.text  # no video link yet
    link = {"video_link": "https://meet.example.org/knee-clinic"}
    assert clinic.admin.call("POST", "/clinic/settings", data=link).status_code == 303
    assert clinic.admin.call("POST", f"{page}/sessions", data=session).status_code == 303
    mine = runner.call("GET", "/my-clinic").text
    assert "18:30" in mine  # the runner's zone is the clinician's here (Europe/London, UTC)
    session_id = mine.split("/my-clinic/sessions/")[1].split("/")[0]
    accepted = runner.call("POST", f"/my-clinic/sessions/{session_id}/accept")
    assert accepted.status_code == 303
    assert "accepted" in clinic.admin.call("GET", page).text
    assert "Join the call" in runner.call("GET", "/my-clinic").text


def test_a_clinic_exercise_is_added_on_its_page_and_prescribed_on_the_patients(
    clinic: Clinic,
) -> None:
    runner = clinic.new_runner("rita@example.com")
    card = {
        "name": "Towel slide",
        "purpose": "Quadriceps control without load",
        "how": "Sit tall\nSlide the heel back",
        "cues": "Slow",
        "sets": "3",
        "reps": "10",
    }
    added = clinic.admin.call(
        "POST", "/clinic/exercises", data=card, files={"media": ("t.png", PNG, "image/png")}
    )
    assert added.status_code == 303, added.text
    listing = clinic.admin.call("GET", "/clinic/exercises").text
    assert "Towel slide" in listing and "/media" in listing
    exercise_id = listing.split('<article class="card" id="')[1].split('"')[0]
    page = f"/clinic/patients/{runner.person_id}"
    assert "Towel slide" in clinic.admin.call("GET", page).text  # offered to prescribe
    prescribe = {"kind": "add_exercise", "exercise": exercise_id, "reason": "Your own one"}
    assert clinic.admin.call("POST", f"{page}/overrides", data=prescribe).status_code == 303
    assert "Towel slide" in runner.call("GET", "/my-clinic").text
    bad = clinic.admin.call("POST", "/clinic/exercises", data={**card, "sets": "99"})
    assert bad.status_code == 400 and "sets" in bad.text


def test_a_refused_override_on_the_page_says_why_and_keeps_nothing(clinic: Clinic) -> None:
    runner = clinic.new_runner("rita@example.com")
    page = f"/clinic/patients/{runner.person_id}"
    refused = clinic.admin.call("POST", f"{page}/overrides", data={"kind": "hold_phase"})
    assert refused.status_code == 400
    assert "reason" in refused.text
    assert "Undo" not in clinic.admin.call("GET", page).text


def test_every_clinic_page_has_a_plain_title(clinic: Clinic) -> None:
    """A page's <title> is words only: no markup of the page leaks into the tab's name."""
    import re

    runner = clinic.new_runner("rita@example.com")
    pages = [
        (clinic.admin, "/clinic"),
        (clinic.admin, f"/clinic/patients/{runner.person_id}"),
        (clinic.admin, "/clinic/exercises"),
        (clinic.admin, "/clinic/audit"),
        (runner, "/my-clinic"),
        (runner, "/clinic/join"),
    ]
    for actor, path in pages:
        html = actor.call("GET", path).text
        title = re.search(r"<title>(.*?)</title>", html, re.S)
        assert title is not None and "<" not in title.group(1), (path, title)
        assert title.group(1).strip().endswith("· RunRehab"), (path, title.group(1)[:80])
