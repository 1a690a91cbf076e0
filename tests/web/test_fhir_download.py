"""The FHIR download of the progress room: the signed-in runner's own journal as a FHIR R4
bundle, linked next to the JSON export, for nobody else."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from fhir.resources.R4B.patient import Patient

from runrehab.adapters.exports.fhir import pain_by_day, read_bundle, resources_of
from tests.fakes import FixedClock
from tests.web.conftest import Browser, ProgrammeRunner, sign_up
from tests.web.test_plan import START, check_in

PATH = "/progress/export.fhir.json"


def test_the_runner_downloads_their_journal_as_a_fhir_bundle(
    client: TestClient, clock: FixedClock, runner_with_programme: ProgrammeRunner
) -> None:
    for offset, worst in enumerate((3, 2)):
        check_in(client, clock, runner_with_programme.person_id, START + timedelta(offset), worst)
    clock.advance(days=2)
    assert f'href="{PATH}"' in runner_with_programme.page("/progress").text
    answer = runner_with_programme.client.get(PATH)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/fhir+json"
    assert answer.headers["content-disposition"] == (
        'attachment; filename="runrehab-fhir-2026-12-03.json"'
    )
    assert "no-store" in answer.headers["cache-control"]
    bundle = read_bundle(answer.json())
    kinds = [r.get_resource_type() for r in resources_of(bundle)]
    assert kinds[:4] == ["Patient", "Condition", "CarePlan", "Questionnaire"]
    patient = resources_of(bundle)[0]
    assert isinstance(patient, Patient) and patient.id == runner_with_programme.person_id
    assert pain_by_day(bundle) == {
        START: {"now": 1, "at-rest": 0, "worst-24h": 3},
        START + timedelta(1): {"now": 1, "at-rest": 0, "worst-24h": 2},
    }


def test_a_runner_without_a_programme_gets_their_patient_record_only(runner: Browser) -> None:
    assert f'href="{PATH}"' in runner.page("/progress").text
    mine = runner.client.get(PATH)
    assert mine.status_code == 200
    resources = resources_of(read_bundle(mine.json()))
    assert [r.get_resource_type() for r in resources] == ["Patient", "Questionnaire"]


def test_signed_out_visitors_are_sent_to_log_in(client: TestClient) -> None:
    answer = client.get(PATH, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")


def test_each_runner_gets_only_their_own(client: TestClient) -> None:
    first = sign_up(client, "first@example.com")
    first_id = first.client.get("/api/v1/account").json()["person"]
    other = sign_up(TestClient(client.app, base_url="http://127.0.0.1"), "other@example.com")
    theirs = other.client.get(PATH)
    assert theirs.status_code == 200 and first_id not in theirs.text
