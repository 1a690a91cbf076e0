"""The clinic through its API: invitations, joining, the caseload, overrides, messages,
leaving (issue 15)."""

from __future__ import annotations

from tests.clinic.conftest import Clinic


def test_a_runner_joins_and_the_clinician_sees_them_with_why(clinic: Clinic) -> None:
    runner = clinic.new_runner("rita@example.com")
    answer = clinic.admin.call("GET", "/api/v1/clinic/patients")
    assert answer.status_code == 200, answer.text
    patients = answer.json()["patients"]
    assert [p["id"] for p in patients] == [runner.person_id]
    assert patients[0]["attention"][0]["rule"].startswith("attention-")
    assert patients[0]["attention"][0]["text"]


def test_a_runner_on_a_clinic_route_and_a_stranger_get_404(clinic: Clinic) -> None:
    runner = clinic.new_runner("rita@example.com")
    stranger = clinic.new_runner("sam@example.com", join=False)
    assert runner.call("GET", "/api/v1/clinic/patients").status_code == 404
    assert (
        clinic.admin.call("GET", f"/api/v1/clinic/patients/{stranger.person_id}").status_code == 404
    )
    assert (
        clinic.admin.call("GET", f"/api/v1/clinic/patients/{runner.person_id}").status_code == 200
    )


def test_a_hold_with_a_reason_reaches_the_runner_and_can_be_undone(clinic: Clinic) -> None:
    runner = clinic.new_runner("rita@example.com")
    path = f"/api/v1/clinic/patients/{runner.person_id}/overrides"
    made = clinic.admin.call(
        "POST", path, json={"kind": "hold_phase", "reason": "Let the knee settle after the race"}
    )
    assert made.status_code == 201, made.text
    row = made.json()
    assert row["rule"] == "clinic-hold-phase" and row["active"]
    page = runner.call("GET", "/today", headers={"accept": "text/html"})
    assert "Let the knee settle after the race" in page.text
    undone = clinic.admin.call("DELETE", f"{path}/{row['id']}")
    assert undone.status_code == 200
    assert clinic.admin.call("DELETE", f"{path}/{row['id']}").status_code == 404


def test_a_release_never_lifts_a_stop_for_a_red_flag(clinic: Clinic) -> None:
    runner = clinic.new_runner("rita@example.com", **{"signs.calf_pain_or_swelling": True})
    path = f"/api/v1/clinic/patients/{runner.person_id}/overrides"
    refused = clinic.admin.call(
        "POST", path, json={"kind": "release_hold", "reason": "seen", "phase": 2}
    )
    assert refused.status_code == 400
    assert "new knee check" in refused.json()["detail"]


def test_messages_go_both_ways_with_unread_counts(clinic: Clinic) -> None:
    runner = clinic.new_runner("rita@example.com")
    path = f"/api/v1/clinic/patients/{runner.person_id}/messages"
    assert (
        clinic.admin.call("POST", path, json={"text": "How did the stairs feel?"}).status_code
        == 201
    )
    mine = runner.call("GET", "/api/v1/clinic/messages").json()
    assert mine["unread"] == 1 and mine["messages"][0]["text"] == "How did the stairs feel?"
    assert runner.call("GET", "/api/v1/clinic/messages").json()["unread"] == 0
    assert (
        runner.call("POST", "/api/v1/clinic/messages", json={"text": "Better, thanks"}).status_code
        == 201
    )
    rows = clinic.admin.call("GET", "/api/v1/clinic/patients").json()["patients"]
    assert rows[0]["unread"] == 1


def test_leaving_ends_the_clinics_access_at_once(clinic: Clinic) -> None:
    runner = clinic.new_runner("rita@example.com")
    assert runner.call("DELETE", "/api/v1/clinic/membership").json()["left"] is True
    assert (
        clinic.admin.call("GET", f"/api/v1/clinic/patients/{runner.person_id}").status_code == 404
    )
    assert clinic.admin.call("GET", "/api/v1/clinic/patients").json()["patients"] == []


def test_every_look_at_a_runners_data_is_theirs_to_see(clinic: Clinic) -> None:
    runner = clinic.new_runner("rita@example.com")
    clinic.admin.call("GET", f"/api/v1/clinic/patients/{runner.person_id}")
    looked = runner.call("GET", "/api/v1/clinic/membership").json()
    assert looked["clinic"] == "Knee Clinic"
    assert any(
        e["what"] == "Opened your page" and e["who"] == "Ada Admin" for e in looked["looked"]
    )
    log = clinic.admin.call("GET", "/api/v1/clinic/audit").json()
    assert any(e["patient"] == "Rita" for e in log["entries"])


def test_the_clinician_exports_a_patients_record_as_a_valid_fhir_bundle(clinic: Clinic) -> None:
    from fhir.resources.R4B.bundle import Bundle

    runner = clinic.new_runner("rita@example.com")
    clinic.admin.call(
        "POST", f"/api/v1/clinic/patients/{runner.person_id}/messages", json={"text": "Hi"}
    )
    answer = clinic.admin.call("GET", f"/api/v1/clinic/patients/{runner.person_id}/fhir")
    assert answer.status_code == 200, answer.text
    bundle = Bundle.model_validate(answer.json())
    kinds = {e.resource.get_resource_type() for e in bundle.entry or []}
    assert {"Patient", "Condition", "CarePlan", "Communication"} <= kinds
