"""The FHIR export (issue 15, item 8): six weeks of a runner's journal as a FHIR R4 bundle that
the FHIR models read back, whose pain scores and Kujala answers are the journal's own, with
stable ids and references that resolve inside the bundle."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.careplan import CarePlan
from fhir.resources.R4B.communication import Communication
from fhir.resources.R4B.condition import Condition
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.questionnaire import Questionnaire

from runrehab.adapters.exports.fhir import (
    KUJALA_URL,
    PAIN_CONTEXT,
    fhir_bundle,
    kujala_by_day,
    pain_by_day,
    read_bundle,
    resources_of,
)
from runrehab.engine.activity import Sport, SportSource
from runrehab.engine.metrics import Metrics
from runrehab.engine.state import Status
from runrehab.services.content import shipped_content
from runrehab.services.journal.ownership import read_journal
from runrehab.services.progress.fhir_export import (
    FhirMessage,
    FhirSource,
    current_plan,
    fhir_for_person,
    fhir_source,
)
from runrehab.services.records import Journal, Person, StoredActivity
from tests.conftest import typical_doc
from tests.drivers import ServiceDriver
from tests.fakes import FakeUnitOfWork
from tests.simulation import Simulation, faithful
from tests.unit.services.test_questionnaires import FAIR

D0 = date(2026, 12, 1)
DAYS = 42
NOW = datetime(2027, 1, 12, 9, 30, tzinfo=UTC)
BETTER = {**FAIR, "stairs": "no_trouble", "running": "no_trouble"}  # 11 -> 31
MESSAGES = (
    FhirMessage("m-1", datetime(2026, 12, 2, 9, 0, tzinfo=UTC), True, "Alex (physio)", "How?"),
    FhirMessage("m-2", datetime(2026, 12, 2, 18, 0, tzinfo=UTC), False, "Sam", "Better, thanks"),
)


def watch_run(person_id: str, day: date, km: float) -> StoredActivity:
    """A run imported from a watch file, on ``day``."""
    start = datetime(day.year, day.month, day.day, 7, 0, tzinfo=UTC)
    metrics = Metrics(
        elapsed_s=1830.0,
        moving_s=1800.0,
        distance_km=km,
        pace_min_per_km=round(30 / km, 2),
        elevation_gain_m=5.0,
        elevation_loss_m=5.0,
        downhill_km=0.1,
        cadence_spm=168.0,
        cadence=None,
        avg_hr=140.0,
        max_hr=155.0,
        speed_work=None,
        walk_run=None,
    )
    return StoredActivity(
        id=f"watch-{day.isoformat()}",
        person_id=person_id,
        content_hash=f"hash-{day.isoformat()}",
        leg=0,
        file_name="run.fit",
        file_format="fit",
        sport=Sport.RUNNING,
        sport_source=SportSource.FILE,
        start=start,
        utc_offset_minutes=0,
        local_date=day,
        metrics=metrics,
        imported_at=start,
    )


@pytest.fixture(scope="module")
def lived() -> FakeUnitOfWork:
    """Six weeks of a runner who does each day's session with pain 1 at most, a Kujala answer
    on the first day and on the last, and the last run of the six weeks also from a watch."""
    driver = ServiceDriver()
    driver.start(typical_doc(), D0)
    driver.questionnaire("kujala", D0, FAIR)
    simulation = Simulation(driver, D0)
    simulation.live(DAYS, faithful(pain=1))
    driver.questionnaire("kujala", D0 + timedelta(days=DAYS - 1), BETTER)
    uow = driver.uow
    with uow:
        (person,) = uow.repo.people()
        uow.repo.add_activity(watch_run(person.id, simulation.run_days()[-1], 5.2))
        uow.commit()
    return uow


@pytest.fixture(scope="module")
def journal(lived: FakeUnitOfWork) -> Journal:
    return read_journal(lived)


@pytest.fixture(scope="module")
def document(lived: FakeUnitOfWork) -> dict[str, Any]:
    return fhir_for_person(lived, shipped_content(), None, MESSAGES, NOW, fhir_bundle)


@pytest.fixture(scope="module")
def bundle(document: dict[str, Any]) -> Bundle:
    return read_bundle(document)


def of_type(bundle: Bundle, kind: type[Any]) -> list[Any]:
    return [r for r in resources_of(bundle) if isinstance(r, kind)]


def test_six_weeks_are_a_valid_r4_collection_bundle(
    document: dict[str, Any], bundle: Bundle, journal: Journal
) -> None:
    assert Bundle.model_validate(document).model_dump(mode="json") == document
    assert bundle.type == "collection" and bundle.timestamp == NOW
    run_days = [c for c in journal.checkins if c.checkin.run is not None]
    assert len(journal.checkins) == DAYS and run_days
    weeks = (run_days[-1].day - run_days[0].day).days // 7 + 1
    pain = 3 * len(journal.checkins) + len(run_days)
    counts = Counter(r.get_resource_type() for r in resources_of(bundle))
    assert counts == {
        "Patient": 1,
        "Condition": 1,
        "CarePlan": 1,
        "Questionnaire": 1,
        "QuestionnaireResponse": 2,
        "Observation": pain + weeks + 2,  # each pain score, each week's running, each Kujala
        "Communication": 2,
    }


def test_every_reference_points_at_an_entry_and_every_id_is_stable(
    document: dict[str, Any], bundle: Bundle, lived: FakeUnitOfWork
) -> None:
    urls = [str(e.fullUrl) for e in bundle.entry or ()]
    assert len(set(urls)) == len(urls) and all(u.startswith("urn:uuid:") for u in urls)
    references = _references(document)
    assert references and references <= set(urls)
    again = fhir_for_person(lived, shipped_content(), None, MESSAGES, NOW, fhir_bundle)
    assert again == document
    (patient,) = of_type(bundle, Patient)
    (person,) = lived.repo.people()
    assert patient.id == person.id and patient.identifier[0].value == person.id


def _references(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["reference"]} if isinstance(node.get("reference"), str) else set()
        return found.union(*(_references(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_references(v) for v in node))
    return set()


def test_the_pain_observations_are_the_check_ins_pain_scores(
    bundle: Bundle, journal: Journal
) -> None:
    expected = {}
    for stored in journal.checkins:
        pain = stored.document["pain"]
        scores = {"now": pain["now"], "at-rest": pain["at_rest"], "worst-24h": pain["worst_24h"]}
        if stored.document.get("run"):
            scores["run"] = stored.document["run"]["max_pain"]
        expected[stored.day] = scores
    assert pain_by_day(bundle) == expected
    assert any("run" in scores for scores in expected.values())
    first = next(
        o
        for o in of_type(bundle, Observation)
        if o.effectiveDateTime == D0 and "at rest" in (o.code.text or "")
    )
    assert [(c.system, c.code) for c in first.code.coding] == [
        ("http://loinc.org", "72514-3"),
        (PAIN_CONTEXT, "at-rest"),
    ]


def test_the_kujala_responses_are_the_stored_answers_and_scores(
    bundle: Bundle, journal: Journal
) -> None:
    stored = {r.day: (r.answers, r.score) for r in journal.responses if r.instrument == "kujala"}
    assert (
        kujala_by_day(bundle)
        == stored
        == {
            D0: (FAIR, 11.0),
            D0 + timedelta(days=DAYS - 1): (BETTER, 31.0),
        }
    )
    (questionnaire,) = of_type(bundle, Questionnaire)
    kujala = shipped_content().catalogue.questionnaires["kujala"]
    assert questionnaire.url == KUJALA_URL and questionnaire.title == kujala.name
    assert [i.linkId for i in questionnaire.item] == [i.id for i in kujala.item]
    assert questionnaire.item[0].text == kujala.item[0].question


def test_the_condition_is_the_assessed_knee(bundle: Bundle) -> None:
    (condition,) = of_type(bundle, Condition)
    assert condition.code.coding[0].code == "430725003"
    assert condition.clinicalStatus.coding[0].code == "active"
    assert condition.verificationStatus.coding[0].code == "provisional"
    assert condition.bodySite[0].coding[0].code == "6757004"  # the right knee
    assert condition.recordedDate == D0
    assert condition.onsetDateTime == D0 - timedelta(weeks=4)  # pain for 4 weeks


def test_the_care_plan_is_the_current_phase_with_its_doses(
    bundle: Bundle, journal: Journal
) -> None:
    (plan,) = of_type(bundle, CarePlan)
    (programme,) = journal.programmes
    content = shipped_content()
    phase = content.protocol.phase(programme.state.phase)
    assert plan.status == "active" and plan.intent == "plan"
    assert plan.period.start == D0
    assert plan.description == f"Phase {phase.number}: {phase.name}"
    names = [a.detail.code.text for a in plan.activity]
    ids = dict.fromkeys((*phase.daily_exercises, *phase.exercises))
    assert names == [content.protocol.exercises[i].name for i in ids]
    assert all(a.detail.description and "×" in a.detail.description for a in plan.activity)


@pytest.mark.parametrize(
    ("status", "shown"), [(Status.REFERRED, "on-hold"), (Status.STOPPED, "revoked")]
)
def test_a_held_programme_is_a_held_care_plan(journal: Journal, status: Status, shown: str) -> None:
    (programme,) = journal.programmes
    held = replace(programme, state=replace(programme.state, status=status))
    content = shipped_content()
    shown_journal = replace(journal, programmes=(held,))
    source = FhirSource(shown_journal, (), current_plan(shown_journal, content))
    (plan,) = of_type(read_bundle(fhir_bundle(source, content, now=NOW)), CarePlan)
    assert plan.status == shown


def test_the_running_load_is_a_week_by_week_observation(bundle: Bundle, journal: Journal) -> None:
    weeks = sorted(
        (o for o in of_type(bundle, Observation) if o.effectivePeriod is not None),
        key=lambda o: o.effectivePeriod.start,
    )
    watch_day = journal.activities[0].local_date
    for week in weeks:
        start, end = week.effectivePeriod.start, week.effectivePeriod.end
        assert start.weekday() == 0 and end == start + timedelta(days=6)
        runs = [
            (c.day, c.checkin.run)
            for c in journal.checkins
            if c.checkin.run is not None and start <= c.day <= end
        ]
        minutes, count = week.component
        assert count.valueInteger == len(runs)
        # the watch's run is the check-in's run of its day, with the watch's measured minutes
        reported = sum(run.minutes for day, run in runs if run is not None and day != watch_day)
        measured = 30.0 if start <= watch_day <= end else 0.0
        assert float(minutes.valueQuantity.value) == reported + measured
        if start <= watch_day <= end:  # the watch run's km; the reported runs had none
            assert float(week.valueQuantity.value) == 5.2 and week.valueQuantity.code == "km"
        else:
            assert week.valueQuantity is None and week.dataAbsentReason.coding[0].code == "unknown"


def test_messages_are_communications_between_runner_and_clinician(bundle: Bundle) -> None:
    (patient_url,) = [e.fullUrl for e in bundle.entry or () if isinstance(e.resource, Patient)]
    clinician, runner = of_type(bundle, Communication)
    assert clinician.sender.display == "Alex (physio)" and clinician.sender.reference is None
    assert clinician.recipient[0].reference == patient_url
    assert clinician.payload[0].contentString == "How?"
    assert runner.sender.reference == patient_url and runner.recipient is None
    assert runner.sent == datetime(2026, 12, 2, 18, 0, tzinfo=UTC)


def test_a_person_with_nothing_yet_is_a_named_patient_and_the_scale() -> None:
    person = Person("runner 1", "Sam", datetime(2026, 12, 1, tzinfo=UTC))
    document = fhir_bundle(FhirSource(Journal(person), (), None), shipped_content(), now=NOW)
    resources = resources_of(read_bundle(document))
    assert [r.get_resource_type() for r in resources] == ["Patient", "Questionnaire"]
    patient = resources[0]
    assert isinstance(patient, Patient) and patient.name and patient.identifier
    assert patient.name[0].text == "Sam"
    # "runner 1" is no FHIR id: the id is made from it, and the person id kept as identifier
    assert patient.id != "runner 1" and patient.identifier[0].value == "runner 1"


def test_the_source_reads_the_journal_inside_a_unit_of_work(lived: FakeUnitOfWork) -> None:
    source = fhir_source(lived, shipped_content(), None)
    assert source.journal == read_journal(lived)
    assert source.plan is not None and source.weeks
