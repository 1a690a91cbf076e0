"""The clinician sees a patient's movement checks: listed on the patient's page, each opened
with its reps and key frames (without the runner's navigation), every read logged for the
runner to see; a clinician of another clinic, or of a runner who left, sees nothing."""

from __future__ import annotations

from tests.clinic.conftest import Clinic
from tests.clinic.others import looked, other_clinic
from tests.movement_fakes import FakeAnalyser, install, tiny_mp4


def test_the_clinician_sees_the_patients_movement_checks(clinic: Clinic) -> None:
    install(clinic.client.app, FakeAnalyser(reps=4))
    rita = clinic.new_runner("rita@example.com")
    started = rita.call(
        "POST",
        "/api/v1/movement-checks",
        files={"video": ("sls.mp4", tiny_mp4(), "video/mp4")},
        data={"exercise": "single_leg_squat", "view": "front"},
    )
    assert started.status_code == 202, started.text
    check_id = started.json()["id"]
    carl = clinic.new_clinician("carl@clinic.test")

    page = carl.call("GET", f"/clinic/patients/{rita.person_id}")
    assert page.status_code == 200
    assert 'id="movement"' in page.text and f'href="/movement/{check_id}"' in page.text

    check = carl.call("GET", f"/movement/{check_id}")
    assert check.status_code == 200
    assert "4 reps counted" in check.text and check.text.count('<tr id="rep-') == 4
    assert 'class="main-nav"' not in check.text  # the clinician's view, not the runner's
    assert "Delete this movement check" not in check.text  # only the runner deletes it
    assert carl.call("GET", f"/movement/{check_id}/frames/1.jpg").content[:2] == b"\xff\xd8"
    api = carl.call("GET", f"/api/v1/movement-checks/{check_id}").json()
    assert api["rep_count"] == 4
    assert carl.call("DELETE", f"/api/v1/movement-checks/{check_id}").status_code == 404
    assert carl.call("GET", f"/movement/{check_id}/video").status_code == 404
    assert any("movement" in entry["what"] for entry in looked(rita))

    olga = other_clinic(clinic)
    assert olga.call("GET", f"/movement/{check_id}").status_code == 404
    assert olga.call("GET", f"/movement/{check_id}/frames/1.jpg").status_code == 404

    assert rita.call("DELETE", "/api/v1/clinic/membership").status_code == 200
    assert carl.call("GET", f"/movement/{check_id}").status_code == 404  # she left: at once
