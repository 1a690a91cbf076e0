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
    kinds = {e.resource.get_resource_type() for e in bundle.entry or [] if e.resource}
    assert {"Patient", "Condition", "CarePlan", "Communication"} <= kinds


def test_a_phase_set_by_the_physio_shows_alike_on_today_and_the_plan(clinic: Clinic) -> None:
    runner = clinic.new_runner("rita@example.com")
    before = runner.call("GET", "/api/v1/today").json()["phase"]["number"]
    path = f"/api/v1/clinic/patients/{runner.person_id}/overrides"
    made = clinic.admin.call(
        "POST", path, json={"kind": "set_phase", "phase": before + 1, "reason": "Strong enough"}
    )
    assert made.status_code == 201, made.text
    today = runner.call("GET", "/api/v1/today").json()
    assert today["phase"]["number"] == before + 1
    assert "clinic-set-phase" in {r["rule"] for r in today["reasons"]} or today["phase"]
    plan = runner.call("GET", "/api/v1/plan?days=3").json()
    assert plan["sessions"][0]["phase"]["number"] == before + 1
    history = runner.call("GET", "/api/v1/history").json()
    decisions = [d for p in history["programmes"] for d in p["decisions"]]
    assert any(r["rule"] == "clinic-set-phase" for d in decisions for r in d["reasons"]), decisions


def test_an_override_is_checked_before_anything_is_kept(clinic: Clinic) -> None:
    runner = clinic.new_runner("rita@example.com")
    path = f"/api/v1/clinic/patients/{runner.person_id}/overrides"
    for body, field in (
        ({"kind": "set_phase", "phase": 9, "reason": "x"}, "phase"),
        ({"kind": "set_rung", "rung": 19, "reason": "x"}, "rung"),
        ({"kind": "dose", "exercise": "no-such-thing", "reason": "x"}, "exercise"),
        ({"kind": "run_minutes", "reason": "x"}, "minutes"),
        ({"kind": "release_hold", "phase": 2, "reason": "x"}, "kind"),  # not on hold
    ):
        refused = clinic.admin.call("POST", path, json=body)
        assert refused.status_code in (400, 422), (body, refused.text)  # 422: the schema's bounds
        assert refused.json()["errors"][0]["field"] == field
    assert clinic.admin.call("GET", path).json()["overrides"] == []


def test_the_caseload_puts_a_flare_first_and_filters_and_searches(clinic: Clinic) -> None:
    quiet = clinic.new_runner("quinn@example.com")
    flared = clinic.new_runner("zoe@example.com")
    day = clinic.clock.now().date().isoformat()
    checkin = {
        "date": day,
        "pain": {"now": 5, "at_rest": 3, "worst_24h": 8},
        "this_morning_vs_usual": "worse",
    }
    sent = flared.call("POST", "/api/v1/checkins", json=checkin)
    assert sent.status_code in (200, 201), sent.text
    rows = clinic.admin.call("GET", "/api/v1/clinic/patients").json()
    assert [p["id"] for p in rows["patients"]] == [flared.person_id, quiet.person_id]
    assert rows["patients"][0]["attention"][0]["rule"] == "attention-flare"
    counts = {c["rule"]: c["count"] for c in rows["counts"]}
    assert counts["attention-flare"] == 1
    only = clinic.admin.call("GET", "/api/v1/clinic/patients?needs=attention-flare").json()
    assert [p["id"] for p in only["patients"]] == [flared.person_id]
    found = clinic.admin.call("GET", "/api/v1/clinic/patients?q=QUI").json()
    assert [p["name"] for p in found["patients"]] == ["Quinn"]


def test_the_runners_own_export_carries_what_the_physio_set(clinic: Clinic) -> None:
    from runrehab.adapters.transfer import journal_from_json

    runner = clinic.new_runner("rita@example.com")
    path = f"/api/v1/clinic/patients/{runner.person_id}/overrides"
    row = clinic.admin.call("POST", path, json={"kind": "wait_days", "days": 3, "reason": "Slow"})
    clinic.admin.call("DELETE", f"{path}/{row.json()['id']}")
    clinic.admin.call("POST", path, json={"kind": "hold_phase", "reason": "Hold for now"})
    exported = runner.call("GET", "/progress/export.json")
    assert exported.status_code == 200, exported.text
    content = clinic.parts.content
    journal = journal_from_json(exported.json(), content.book.rules)
    with clinic.parts.db.unit_of_work() as uow:
        kept = uow.repo.overrides(runner.person_id)
    assert journal.overrides == tuple(kept)
    assert [o.override.kind.value for o in journal.overrides] == ["wait_days", "hold_phase"]
    assert journal.overrides[0].undone_at is not None


def test_the_patients_charts_and_report_are_the_clinicians_to_see(clinic: Clinic) -> None:
    runner = clinic.new_runner("rita@example.com")
    day = clinic.clock.now().date().isoformat()
    checkin = {"date": day, "pain": {"now": 2, "at_rest": 1, "worst_24h": 3}}
    assert runner.call("POST", "/api/v1/checkins", json=checkin).status_code in (200, 201)
    base = f"/clinic/patients/{runner.person_id}"
    chart = clinic.admin.call("GET", f"{base}/charts/pain.svg")
    assert chart.status_code == 200 and chart.text.lstrip().startswith("<?xml"), chart.text[:200]
    assert clinic.admin.call("GET", f"{base}/charts/nope.svg").status_code == 404
    report = clinic.admin.call("GET", f"{base}/report.pdf")
    assert report.status_code == 200 and report.content.startswith(b"%PDF")
    stranger = clinic.new_runner("sam@example.com", join=False)
    assert (
        clinic.admin.call("GET", f"/clinic/patients/{stranger.person_id}/report.pdf").status_code
        == 404
    )
