"""Virtual sessions: the clinic's video-call link, a clinician proposing a time (an instant
with its offset, or a date and time in their own zone), the runner accepting or declining,
each reading the time in their own zone, and the invitation (.ics) for both and no one else."""

from __future__ import annotations

from datetime import UTC, datetime

from icalendar import Calendar

from runrehab.content.words import shipped_words
from runrehab.services.clinic.patient import what_words
from tests.clinic.conftest import Actor, Clinic
from tests.clinic.others import looked, other_clinic

LINK = "https://meet.example.org/knee-clinic"


def sessions_path(person_id: str) -> str:
    return f"/api/v1/clinic/patients/{person_id}/sessions"


def with_link(clinic: Clinic) -> None:
    answer = clinic.admin.call("PUT", "/api/v1/clinic/settings", json={"video_link": LINK})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"clinic": "Knee Clinic", "video_link": LINK}


def propose(clinic: Clinic, runner: Actor, **body: object) -> dict[str, object]:
    answer = clinic.admin.call("POST", sessions_path(runner.person_id), json=body)
    assert answer.status_code == 201, answer.text
    made: dict[str, object] = answer.json()
    return made


def test_only_an_admin_sets_a_valid_https_link(clinic: Clinic) -> None:
    carl = clinic.new_clinician("carl@clinic.test")
    runner = clinic.new_runner("rita@example.com")
    assert carl.call("PUT", "/api/v1/clinic/settings", json={"video_link": LINK}).status_code == 404
    assert (
        runner.call("PUT", "/api/v1/clinic/settings", json={"video_link": LINK}).status_code == 404
    )
    for bad in ("http://meet.example.org/x", "meet.example.org", "https://", "https://a b.org", ""):
        answer = clinic.admin.call("PUT", "/api/v1/clinic/settings", json={"video_link": bad})
        assert answer.status_code == 400, bad
        assert answer.json()["errors"][0]["field"] == "video_link"
        assert "https://" in answer.json()["detail"]
    too_long = "https://meet.example.org/" + "x" * 500
    assert (
        clinic.admin.call("PUT", "/api/v1/clinic/settings", json={"video_link": too_long})
    ).status_code == 422
    with_link(clinic)


def test_a_session_needs_the_clinics_link_first(clinic: Clinic) -> None:
    runner = clinic.new_runner("rita@example.com")
    answer = clinic.admin.call(
        "POST",
        sessions_path(runner.person_id),
        json={"starts_at": "2026-12-03T14:00:00+01:00", "minutes": 30},
    )
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "video_link"
    assert clinic.admin.call("GET", sessions_path(runner.person_id)).json()["sessions"] == []


def test_each_reads_the_time_in_their_own_zone_and_the_runner_answers(clinic: Clinic) -> None:
    runner = clinic.new_runner("rita@example.com")
    with_link(clinic)
    moved = runner.call("PUT", "/api/v1/account/timezone", json={"timezone": "America/New_York"})
    assert moved.status_code == 200, moved.text
    made = propose(clinic, runner, starts_at="2026-12-03T14:00:00+01:00", minutes=45)
    assert made["starts_at"] == "2026-12-03T13:00:00+00:00"
    assert made["ends_at"] == "2026-12-03T13:45:00+00:00"
    assert made["local_start"] == "2026-12-03T13:00:00+00:00"  # the admin's zone: UTC
    assert made["status"] == "proposed" and made["video_link"] == LINK
    assert made["clinician"] == "Ada Admin"
    mine = runner.call("GET", "/api/v1/clinic/sessions")
    assert mine.status_code == 200, mine.text
    row = mine.json()["sessions"][0]
    assert mine.json()["timezone"] == "America/New_York"
    assert row["local_start"] == "2026-12-03T08:00:00-05:00"
    assert "08:00–08:45 (America/New_York)" in row["when"]
    assert "Thu 3 Dec 2026" in row["when"]
    session_id = row["id"]
    accepted = runner.call("POST", f"/api/v1/clinic/sessions/{session_id}/accept")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    listed = clinic.admin.call("GET", sessions_path(runner.person_id)).json()
    assert [s["status"] for s in listed["sessions"]] == ["accepted"]
    declined = runner.call("POST", f"/api/v1/clinic/sessions/{session_id}/decline")
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    words = shipped_words()
    whats = {e["what"] for e in looked(runner)}
    assert {what_words("session_proposed", words), what_words("sessions", words)} <= whats


def test_a_local_date_and_time_is_the_clinicians_own_zone(clinic: Clinic) -> None:
    runner = clinic.new_runner("rita@example.com")
    with_link(clinic)
    carl = clinic.new_clinician("carl@clinic.test")  # Europe/London: summer time in June
    answer = carl.call(
        "POST",
        sessions_path(runner.person_id),
        json={"date": "2027-06-01", "time": "09:30", "minutes": 15},
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["starts_at"] == "2027-06-01T08:30:00+00:00"
    assert answer.json()["local_start"] == "2027-06-01T09:30:00+01:00"


def test_bad_times_are_refused_naming_the_field(clinic: Clinic) -> None:
    runner = clinic.new_runner("rita@example.com")
    with_link(clinic)
    carl = clinic.new_clinician("carl@clinic.test")
    path = sessions_path(runner.person_id)
    for body, field, words in (
        ({"starts_at": "2026-12-01T07:59:00+00:00", "minutes": 30}, "starts_at", "has passed"),
        ({"starts_at": "2026-12-03T14:00:00", "minutes": 30}, "starts_at", "offset"),
        ({"starts_at": "next Tuesday", "minutes": 30}, "starts_at", "offset"),
        ({"starts_at": "2028-12-03T14:00:00Z", "minutes": 30}, "starts_at", "365 days"),
        ({"minutes": 30}, "starts_at", "Give the time"),
        ({"date": "2026-12-03", "minutes": 30}, "time", "Give the time"),
        (
            {
                "starts_at": "2026-12-03T14:00:00Z",
                "date": "2026-12-03",
                "time": "10:00",
                "minutes": 30,
            },
            "starts_at",
            "not both",
        ),
        ({"date": "2026-12-03", "time": "25:00", "minutes": 30}, "time", "HH:MM"),
        ({"date": "3 Dec", "time": "10:00", "minutes": 30}, "date", "YYYY-MM-DD"),
        ({"date": "", "time": "10:00", "minutes": 30}, "date", "YYYY-MM-DD"),
        ({"starts_at": "", "minutes": 30}, "starts_at", "offset"),
        # the clocks go forward in London at 01:00 on 28 March 2027: 01:30 never happens
        ({"date": "2027-03-28", "time": "01:30", "minutes": 30}, "time", "does not exist"),
    ):
        answer = carl.call("POST", path, json=body)
        assert answer.status_code == 400, (body, answer.text)
        assert words in answer.json()["detail"], (body, answer.json())
        assert answer.json()["errors"][0]["field"] == field, body
    for minutes in (14, 121):
        answer = carl.call(
            "POST", path, json={"starts_at": "2026-12-03T14:00:00Z", "minutes": minutes}
        )
        assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "minutes"
    assert carl.call("GET", path).json()["sessions"] == []


def test_a_session_whose_time_has_passed_cannot_be_answered(clinic: Clinic) -> None:
    runner = clinic.new_runner("rita@example.com")
    with_link(clinic)
    made = propose(clinic, runner, starts_at="2026-12-01T10:00:00Z", minutes=30)
    clinic.clock.advance(hours=3)
    answer = runner.call("POST", f"/api/v1/clinic/sessions/{made['id']}/accept")
    assert answer.status_code == 400 and "has passed" in answer.json()["detail"]


def test_the_invitation_has_the_link_and_the_utc_start(clinic: Clinic) -> None:
    runner = clinic.new_runner("rita@example.com")
    with_link(clinic)
    made = propose(clinic, runner, starts_at="2026-12-03T14:00:00+01:00", minutes=45)
    path = f"/api/v1/clinic/sessions/{made['id']}.ics"
    for who in (runner, clinic.admin, clinic.new_clinician("carl@clinic.test")):
        answer = who.call("GET", path)
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"].startswith("text/calendar")
        assert answer.headers["content-disposition"].startswith("attachment;")
        calendar = Calendar.from_ical(answer.content)
        [event] = calendar.walk("VEVENT")
        assert event.decoded("dtstart") == datetime(2026, 12, 3, 13, 0, tzinfo=UTC)
        assert event.decoded("dtend") == datetime(2026, 12, 3, 13, 45, tzinfo=UTC)
        assert str(event["location"]) == LINK and str(event["url"]) == LINK
        assert LINK in str(event["description"])
        assert str(event["uid"]) == f"{made['id']}@runrehab"
        assert str(event["status"]) == "TENTATIVE"
    runner.call("POST", f"/api/v1/clinic/sessions/{made['id']}/accept")
    accepted = Calendar.from_ical(runner.call("GET", path).content)
    assert str(accepted.walk("VEVENT")[0]["status"]) == "CONFIRMED"
    words = shipped_words()
    assert any(e["what"] == what_words("session_invite", words) for e in looked(runner))


def test_no_one_else_reaches_a_session(clinic: Clinic) -> None:
    runner = clinic.new_runner("rita@example.com")
    other_runner = clinic.new_runner("otto@example.com")
    stranger = clinic.new_runner("sam@example.com", join=False)
    with_link(clinic)
    made = propose(clinic, runner, starts_at="2026-12-03T14:00:00Z", minutes=30)
    olga = other_clinic(clinic)
    session = f"/api/v1/clinic/sessions/{made['id']}"
    for who in (olga, other_runner, stranger):
        assert who.call("GET", session + ".ics").status_code == 404
        assert who.call("POST", session + "/accept").status_code == 404
        assert who.call("POST", session + "/decline").status_code == 404
    assert runner.call("GET", "/api/v1/clinic/sessions/nothing.ics").status_code == 404
    assert stranger.call("GET", "/api/v1/clinic/sessions").status_code == 404
    assert other_runner.call("GET", "/api/v1/clinic/sessions").json()["sessions"] == []
    for person in (runner.person_id, stranger.person_id):
        assert olga.call("GET", sessions_path(person)).status_code == 404
        body = {"starts_at": "2026-12-03T14:00:00Z", "minutes": 30}
        assert olga.call("POST", sessions_path(person), json=body).status_code == 404
    assert runner.call("GET", sessions_path(runner.person_id)).status_code == 404
    # once the runner leaves, the clinic's clinicians no longer reach the invitation
    assert runner.call("DELETE", "/api/v1/clinic/membership").status_code == 200
    assert clinic.admin.call("GET", session + ".ics").status_code == 404
    assert runner.call("GET", session + ".ics").status_code == 200
