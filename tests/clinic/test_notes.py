"""Clinical notes (SOAP): kept for the clinic only, dated, checked field by field; the runner
sees that one was written (the audit log), never what it says."""

from __future__ import annotations

from runrehab.content.words import shipped_words
from runrehab.services.clinic.patient import what_words
from tests.clinic.conftest import Clinic
from tests.clinic.others import looked, other_clinic

NOTE = {
    "day": "2026-11-30",
    "subjective": "Stairs down hurt, 4/10; running paused for a week.",
    "objective": "No swelling. Step-down: knee drifts inward.",
    "assessment": "Patellofemoral pain, settling.",
    "plan": "Hip strength; step-downs to a mirror.",
}


def notes_path(person_id: str) -> str:
    return f"/api/v1/clinic/patients/{person_id}/notes"


def test_a_clinician_writes_notes_and_reads_them_newest_first(clinic: Clinic) -> None:
    runner = clinic.new_runner("rita@example.com")
    path = notes_path(runner.person_id)
    first = clinic.admin.call("POST", path, json=NOTE)
    assert first.status_code == 201, first.text
    kept = first.json()
    assert kept["day"] == "2026-11-30" and kept["author"] == "Ada Admin"
    assert kept["subjective"] == NOTE["subjective"] and kept["plan"] == NOTE["plan"]
    # only one part, dated today by default (the clinician's today)
    second = clinic.admin.call("POST", path, json={"plan": "  Review in two weeks.  "})
    assert second.status_code == 201, second.text
    assert second.json()["day"] == "2026-12-01" and second.json()["plan"] == "Review in two weeks."
    assert second.json()["subjective"] == ""
    # another clinician of the same clinic reads them too
    carl = clinic.new_clinician("carl@clinic.test")
    listed = carl.call("GET", path)
    assert listed.status_code == 200, listed.text
    assert [n["day"] for n in listed.json()["notes"]] == ["2026-12-01", "2026-11-30"]
    assert listed.json()["patient_id"] == runner.person_id


def test_the_runner_never_reads_a_note_only_that_one_was_written(clinic: Clinic) -> None:
    runner = clinic.new_runner("rita@example.com")
    path = notes_path(runner.person_id)
    assert clinic.admin.call("POST", path, json=NOTE).status_code == 201
    # the clinician's route is not the runner's, even for their own notes
    assert runner.call("GET", path).status_code == 404
    assert runner.call("POST", path, json=NOTE).status_code == 404
    entries = looked(runner)
    words = shipped_words()
    assert any(
        e["what"] == what_words("clinical_note", words) and e["who"] == "Ada Admin" for e in entries
    )
    everything = str(runner.call("GET", "/api/v1/clinic/membership").json())
    everything += runner.call("GET", "/api/v1/export").text
    everything += runner.call("GET", "/api/v1/history").text
    assert "Step-down: knee drifts inward" not in everything
    assert "Patellofemoral pain, settling" not in everything


def test_reading_the_notes_is_logged(clinic: Clinic) -> None:
    runner = clinic.new_runner("rita@example.com")
    assert clinic.admin.call("GET", notes_path(runner.person_id)).status_code == 200
    words = shipped_words()
    assert any(e["what"] == what_words("clinical_notes", words) for e in looked(runner))


def test_bad_notes_are_refused_naming_the_field_and_nothing_is_kept(clinic: Clinic) -> None:
    runner = clinic.new_runner("rita@example.com")
    path = notes_path(runner.person_id)
    for body, field, words in (
        ({**NOTE, "day": "2026-12-02"}, "day", "has not happened yet"),
        ({**NOTE, "day": "1999-12-31"}, "day", "2000-01-01"),
        ({**NOTE, "day": "30/11/2026"}, "day", "YYYY-MM-DD"),
        ({**NOTE, "day": "2026-02-30"}, "day", "is not a date"),
        ({**NOTE, "day": ""}, "day", "is not a date"),
        ({"subjective": "  ", "objective": "", "plan": "\n"}, "subjective", "at least one"),
    ):
        answer = clinic.admin.call("POST", path, json=body)
        assert answer.status_code == 400, (body, answer.text)
        assert words in answer.json()["detail"]
        assert answer.json()["errors"][0]["field"] == field
    too_long = clinic.admin.call("POST", path, json={**NOTE, "objective": "x" * 4001})
    assert too_long.status_code == 422
    assert too_long.json()["errors"][0]["field"] == "objective"
    control = clinic.admin.call("POST", path, json={**NOTE, "plan": "rest\x00"})
    assert control.status_code == 422 and control.json()["errors"][0]["field"] == "$.plan"
    unknown = clinic.admin.call("POST", path, json={**NOTE, "diagnosis": "x"})
    assert unknown.status_code == 422
    assert clinic.admin.call("GET", path).json()["notes"] == []


def test_another_clinics_clinician_and_a_stranger_get_404(clinic: Clinic) -> None:
    runner = clinic.new_runner("rita@example.com")
    stranger = clinic.new_runner("sam@example.com", join=False)
    olga = other_clinic(clinic)
    for person in (runner.person_id, stranger.person_id, "no-such-person"):
        path = notes_path(person)
        assert olga.call("GET", path).status_code == 404
        assert olga.call("POST", path, json=NOTE).status_code == 404
    assert clinic.admin.call("GET", notes_path(stranger.person_id)).status_code == 404
    assert clinic.admin.call("POST", notes_path(stranger.person_id), json=NOTE).status_code == 404
    assert clinic.admin.call("GET", notes_path(runner.person_id)).json()["notes"] == []


def test_a_runner_who_left_is_no_longer_reachable(clinic: Clinic) -> None:
    runner = clinic.new_runner("rita@example.com")
    path = notes_path(runner.person_id)
    assert clinic.admin.call("POST", path, json=NOTE).status_code == 201
    assert runner.call("DELETE", "/api/v1/clinic/membership").status_code == 200
    assert clinic.admin.call("GET", path).status_code == 404
    assert clinic.admin.call("POST", path, json=NOTE).status_code == 404
