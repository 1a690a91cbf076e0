"""One runner's journal as a FHIR R4 bundle (``collection``), for a clinic's record system.

Built with the FHIR models of ``fhir.resources`` (R4B, whose resources here are R4's), from
what ``services.progress.fhir_export`` read (``FhirSource``):

- ``Patient``: the person (``id`` the person id; the name when they gave one);
- ``Condition``: patellofemoral pain, SNOMED CT coded, from the assessments: the knee's side as
  ``bodySite``, the onset from "how many weeks" of the first, recorded on its day;
- ``CarePlan``: the current programme, its phase and the phase's exercises with their doses;
- ``Observation``: each pain score of each check-in (LOINC 72514-3, told apart by a RunRehab
  code of ``PAIN_CONTEXT``), the running km of each Monday-to-Sunday week, each Kujala score;
- ``Questionnaire`` (the Kujala scale, from the content) and a ``QuestionnaireResponse`` per
  Kujala answer, each item answered with the stored option id;
- ``Communication``: the messages the clinic gives (``FhirMessage``).

Every resource's id is a UUID made from the person id and what the resource is (a day, an
index), so the same journal gives the same ids; each entry's ``fullUrl`` is ``urn:uuid:<it>``
and every reference points at a ``fullUrl``. ``read_bundle`` and the two ``*_by_day``
functions read a bundle back (the tests' round trip).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from fhir.resources.R4B.bundle import Bundle, BundleEntry
from fhir.resources.R4B.careplan import CarePlan, CarePlanActivity, CarePlanActivityDetail
from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.communication import Communication, CommunicationPayload
from fhir.resources.R4B.condition import Condition
from fhir.resources.R4B.extension import Extension
from fhir.resources.R4B.humanname import HumanName
from fhir.resources.R4B.identifier import Identifier
from fhir.resources.R4B.observation import Observation, ObservationComponent
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.period import Period
from fhir.resources.R4B.quantity import Quantity
from fhir.resources.R4B.questionnaire import (
    Questionnaire,
    QuestionnaireItem,
    QuestionnaireItemAnswerOption,
)
from fhir.resources.R4B.questionnaireresponse import (
    QuestionnaireResponse,
    QuestionnaireResponseItem,
    QuestionnaireResponseItemAnswer,
)
from fhir.resources.R4B.reference import Reference
from fhir.resources.R4B.resource import Resource

from runrehab.content.schema import ChoiceItem, ScaleItem
from runrehab.content.schema import Questionnaire as QuestionnaireContent
from runrehab.engine.assessment import Side
from runrehab.engine.checkin import Checkin
from runrehab.engine.load import WeekLoad, pain_began
from runrehab.engine.state import Status
from runrehab.engine.values import Disposition
from runrehab.services.content import ProgrammeContent
from runrehab.services.progress.fhir_export import CurrentPlan, FhirMessage, FhirSource
from runrehab.services.records import Person, StoredAssessment, StoredCheckin
from runrehab.services.records import QuestionnaireResponse as StoredResponse

# --- the systems and codes (data: what a record system reads, not sentences) ------------------

BASE = "https://runrehab.org/fhir"
PAIN_CONTEXT = f"{BASE}/CodeSystem/pain-context"
"""Which of a check-in's pain scores an Observation is (``PAIN_CONTEXTS``)."""
RUNREHAB_CODES = f"{BASE}/CodeSystem/observation"
EXERCISES = f"{BASE}/CodeSystem/exercise"
PERSON_IDS = f"{BASE}/NamingSystem/person-id"
PROGRAMME_IDS = f"{BASE}/NamingSystem/programme-id"
MESSAGE_IDS = f"{BASE}/NamingSystem/message-id"
KUJALA = "kujala"
KUJALA_URL = f"{BASE}/Questionnaire/{KUJALA}"

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
DATA_ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"

# SNOMED CT 430725003 |Patellofemoral stress syndrome (disorder)|, the concept clinical
# references code patellofemoral pain syndrome with (VisualDx's entry for it, among others);
# there was no terminology server here to check it against: a clinic's may.
PATELLOFEMORAL_PAIN = ("430725003", "Patellofemoral stress syndrome")
CONDITION_TEXT = "Patellofemoral pain (runner's knee)"
# Body structures: knee region of each side, and both knees.
KNEE_SITES = {
    Side.LEFT: ("82169009", "Structure of left knee region"),
    Side.RIGHT: ("6757004", "Structure of right knee region"),
    Side.BOTH: ("36701003", "Both knees"),
}
PAIN_SEVERITY = ("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")

PAIN_CONTEXTS = {
    "now": "Knee pain now",
    "at-rest": "Knee pain at rest",
    "worst-24h": "Worst knee pain in the last 24 hours",
    "run": "Highest knee pain during the run",
}
"""The pain scores of a check-in, by their ``PAIN_CONTEXT`` code."""
WEEKLY_KM = ("weekly-running-distance", "Running distance in the week (Monday to Sunday)")
WEEKLY_MINUTES = ("weekly-running-minutes", "Running time in the week")
WEEKLY_RUNS = ("weekly-runs", "Runs in the week")
KUJALA_SCORE = ("kujala-score", "Kujala anterior knee pain scale score (0-100)")

PLAN_STATUS = {
    Status.ACTIVE: ("active", "in-progress"),
    # see a clinician: only gentle work until they have assessed the knee; it resumes after
    Status.REFERRED: ("on-hold", "on-hold"),
    # a red flag: the programme does not resume by itself (a new assessment starts a new one)
    Status.STOPPED: ("revoked", "stopped"),
}
"""CarePlan.status and each activity's status, by the programme's status."""

FHIR_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")


def pain_scores(checkin: Checkin) -> dict[str, int]:
    """The check-in's pain scores (0-10) by ``PAIN_CONTEXT`` code: the run's only on a day
    with a run."""
    scores = {
        "now": checkin.pain.now,
        "at-rest": checkin.pain.at_rest,
        "worst-24h": checkin.pain.worst_24h,
    }
    if checkin.run is not None:
        scores["run"] = checkin.run.max_pain
    return scores


# --- the bundle -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Ids:
    """Stable ids for one person's resources."""

    person_id: str

    def of(self, *parts: object) -> str:
        return str(
            uuid.uuid5(uuid.NAMESPACE_URL, "/".join((BASE, self.person_id, *map(str, parts))))
        )

    @property
    def patient(self) -> Reference:
        return _ref(self.of("patient"))


def fhir_bundle(
    source: FhirSource,
    content: ProgrammeContent,
    messages: Sequence[FhirMessage] = (),
    *,
    now: datetime,
) -> dict[str, Any]:
    """The journal of ``source`` and ``messages`` as a FHIR bundle's JSON document, stamped
    ``now`` (UTC)."""
    journal = source.journal
    ids = _Ids(journal.person.id)
    resources: list[Resource] = [_patient(journal.person, ids)]
    condition = _condition(journal.assessments, ids)
    if condition is not None:
        resources.append(condition)
    if source.plan is not None:
        resources.append(_care_plan(source.plan, ids, condition))
    kujala = content.catalogue.questionnaires[KUJALA]
    resources.append(_questionnaire(kujala))
    resources += [o for c in journal.checkins for o in _pain_observations(c, ids)]
    resources += [_load_observation(week, ids) for week in source.weeks]
    for response in (r for r in journal.responses if r.instrument == KUJALA):
        answered = _response(response, kujala, ids)
        resources += [answered, _kujala_score(response, answered, ids)]
    resources += [_communication(m, ids) for m in messages]
    bundle = Bundle(
        id=ids.of("bundle"),
        type="collection",
        timestamp=_utc(now),
        entry=[BundleEntry(fullUrl=_url(r, ids), resource=r) for r in resources],
    )
    document: dict[str, Any] = bundle.model_dump(mode="json")
    return document


def _url(resource: Resource, ids: _Ids) -> str:
    """The entry's ``fullUrl``: what references to the resource say."""
    if isinstance(resource, Patient):  # its id is the person's, its fullUrl a derived UUID
        return str(ids.patient.reference)
    return f"urn:uuid:{resource.id}"


def _ref(resource_id: str) -> Reference:
    return Reference(reference=f"urn:uuid:{resource_id}")


def _utc(moment: datetime) -> datetime:
    """An instant as FHIR needs it: with its zone (a stored time without one is UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _day_precision(day: date) -> Any:
    """A FHIR ``date``/``dateTime`` of ``day`` to the day ("2026-12-01"): the models take a
    ``date`` for it, though their annotations name ``datetime`` only."""
    return day


def _concept(system: str, code: str, display: str, text: str | None = None) -> CodeableConcept:
    return CodeableConcept(coding=[Coding(system=system, code=code, display=display)], text=text)


def _category(code: str, display: str) -> list[CodeableConcept]:
    return [_concept(OBSERVATION_CATEGORY, code, display)]


# --- the person and their knee ----------------------------------------------------------------


def _patient(person: Person, ids: _Ids) -> Patient:
    """The person: their own id when FHIR takes it as an id (a derived one otherwise), always
    also as an identifier."""
    return Patient(
        id=person.id if FHIR_ID.match(person.id) else ids.of("patient"),
        identifier=[Identifier(system=PERSON_IDS, value=person.id)],
        name=[HumanName(text=person.name)] if person.name.strip() else None,
    )


def _condition(assessments: Sequence[StoredAssessment], ids: _Ids) -> Condition | None:
    """Patellofemoral pain as the assessments found it: ``provisional`` when the latest sends
    the runner to self-management (RunRehab is not a diagnosis), ``differential`` when it sends
    them to a clinician or to urgent care; None without an assessment."""
    if not assessments:
        return None
    first, latest = assessments[0], assessments[-1]
    code, display = PATELLOFEMORAL_PAIN
    site_code, site = KNEE_SITES[latest.assessment.side]
    verified = "provisional" if latest.disposition is Disposition.SELF_MANAGE else "differential"
    return Condition(
        id=ids.of("condition"),
        clinicalStatus=_concept(CONDITION_CLINICAL, "active", "Active"),
        verificationStatus=_concept(CONDITION_VERIFICATION, verified, verified.capitalize()),
        category=[_concept(CONDITION_CATEGORY, "problem-list-item", "Problem List Item")],
        code=_concept(SNOMED, code, display, CONDITION_TEXT),
        bodySite=[_concept(SNOMED, site_code, site, site)],
        subject=ids.patient,
        onsetDateTime=_day_precision(pain_began(first.assessment, first.recorded_on)),
        recordedDate=_day_precision(first.recorded_on),
    )


def _care_plan(plan: CurrentPlan, ids: _Ids, condition: Condition | None) -> CarePlan:
    status, activity_status = PLAN_STATUS[plan.status]
    return CarePlan(
        id=ids.of("careplan", plan.programme_id),
        identifier=[Identifier(system=PROGRAMME_IDS, value=plan.programme_id)],
        status=status,
        intent="plan",
        title=plan.phase_name,
        description=plan.description,
        subject=ids.patient,
        period=Period(start=_day_precision(plan.started_on)),
        addresses=None if condition is None else [_ref(str(condition.id))],
        activity=[
            CarePlanActivity(
                detail=CarePlanActivityDetail(
                    code=_concept(EXERCISES, e.exercise_id, e.name, e.name),
                    status=activity_status,
                    description=e.dose or None,
                )
            )
            for e in plan.exercises
        ],
    )


# --- observations -----------------------------------------------------------------------------


def _pain_observations(stored: StoredCheckin, ids: _Ids) -> Iterator[Observation]:
    day = stored.day
    for context, value in pain_scores(stored.checkin).items():
        text = PAIN_CONTEXTS[context]
        loinc, loinc_display = PAIN_SEVERITY
        yield Observation(
            id=ids.of("pain", day.isoformat(), context),
            status="final",
            category=_category("survey", "Survey"),
            code=CodeableConcept(
                coding=[
                    Coding(system=LOINC, code=loinc, display=loinc_display),
                    Coding(system=PAIN_CONTEXT, code=context, display=text),
                ],
                text=text,
            ),
            subject=ids.patient,
            effectiveDateTime=_day_precision(day),
            issued=_utc(stored.recorded_at),
            valueInteger=value,
        )


def _load_observation(week: WeekLoad, ids: _Ids) -> Observation:
    """A week's running: the km of its runs that have a distance (a run reported without one
    adds none; a week whose runs all lack one has no km, ``dataAbsentReason`` unknown), with
    the running minutes and the number of runs as components."""
    year, number, _ = week.monday.isocalendar()
    distance_known = week.runs == 0 or week.longest_km is not None
    code, display = WEEKLY_KM
    return Observation(
        id=ids.of("running-load", f"{year}-W{number:02d}"),
        status="final",
        category=_category("activity", "Activity"),
        code=_concept(RUNREHAB_CODES, code, display, display),
        subject=ids.patient,
        effectivePeriod=Period(
            start=_day_precision(week.monday),
            end=_day_precision(week.monday + timedelta(days=6)),
        ),
        valueQuantity=_quantity(week.run_km, "km", "km") if distance_known else None,
        dataAbsentReason=None if distance_known else _concept(DATA_ABSENT, "unknown", "Unknown"),
        component=[
            ObservationComponent(
                code=_concept(RUNREHAB_CODES, *WEEKLY_MINUTES),
                valueQuantity=_quantity(week.run_minutes, "min", "min"),
            ),
            ObservationComponent(
                code=_concept(RUNREHAB_CODES, *WEEKLY_RUNS), valueInteger=week.runs
            ),
        ],
    )


def _quantity(value: float, unit: str, ucum: str) -> Quantity:
    return Quantity(value=Decimal(str(round(value, 2))), unit=unit, system=UCUM, code=ucum)


# --- the Kujala scale -------------------------------------------------------------------------


def _answer_system(item_id: str) -> str:
    return f"{BASE}/CodeSystem/{KUJALA}-{item_id}"


def _questionnaire(kujala: QuestionnaireContent) -> Questionnaire:
    """The scale as RunRehab asks it: its own words, each option with its points."""
    return Questionnaire(
        id=str(uuid.uuid5(uuid.NAMESPACE_URL, KUJALA_URL)),
        url=KUJALA_URL,
        name="KujalaAnteriorKneePainScale",
        title=kujala.name,
        status="active",
        subjectType=["Patient"],
        copyright=kujala.licence_note or None,
        item=[_question(item) for item in kujala.item],
    )


def _question(item: ChoiceItem | ScaleItem) -> QuestionnaireItem:
    if not isinstance(item, ChoiceItem):
        return QuestionnaireItem(linkId=item.id, text=item.question, type="integer", required=True)
    return QuestionnaireItem(
        linkId=item.id,
        text=item.question,
        type="choice",
        required=True,
        answerOption=[
            QuestionnaireItemAnswerOption(
                valueCoding=Coding(
                    system=_answer_system(item.id),
                    code=option.id,
                    display=option.label,
                    extension=[Extension(url=ORDINAL_VALUE, valueDecimal=Decimal(option.points))],
                )
            )
            for option in item.options
        ],
    )


def _response(
    response: StoredResponse, kujala: QuestionnaireContent, ids: _Ids
) -> QuestionnaireResponse:
    labels = {
        (item.id, o.id): o.label
        for item in kujala.item
        if isinstance(item, ChoiceItem)
        for o in item.options
    }
    return QuestionnaireResponse(
        id=ids.of(KUJALA, response.day.isoformat()),
        questionnaire=KUJALA_URL,
        status="completed",
        subject=ids.patient,
        authored=_day_precision(response.day),
        item=[
            QuestionnaireResponseItem(linkId=item_id, answer=[_answer(item_id, value, labels)])
            for item_id, value in _in_order(response.answers, kujala)
        ],
    )


def _in_order(answers: dict[str, Any], kujala: QuestionnaireContent) -> Iterable[tuple[str, Any]]:
    """The answers in the scale's order, any the scale does not have after them."""
    order = {item.id: n for n, item in enumerate(kujala.item)}
    return sorted(answers.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))


def _answer(
    item_id: str, value: Any, labels: dict[tuple[str, str], str]
) -> QuestionnaireResponseItemAnswer:
    if isinstance(value, int) and not isinstance(value, bool):
        return QuestionnaireResponseItemAnswer(valueInteger=value)
    code = str(value)
    display = labels.get((item_id, code))
    coding = Coding(system=_answer_system(item_id), code=code, display=display)
    return QuestionnaireResponseItemAnswer(valueCoding=coding)


def _kujala_score(
    response: StoredResponse, answered: QuestionnaireResponse, ids: _Ids
) -> Observation:
    code, display = KUJALA_SCORE
    return Observation(
        id=ids.of(KUJALA, response.day.isoformat(), "score"),
        status="final",
        category=_category("survey", "Survey"),
        code=_concept(RUNREHAB_CODES, code, display, display),
        subject=ids.patient,
        effectiveDateTime=_day_precision(response.day),
        valueQuantity=Quantity(
            value=Decimal(str(response.score)), unit="score", system=UCUM, code="{score}"
        ),
        derivedFrom=[_ref(str(answered.id))],
    )


# --- messages ---------------------------------------------------------------------------------


def _communication(message: FhirMessage, ids: _Ids) -> Communication:
    """A message: from the clinician to the runner, or from the runner (to the clinic)."""
    by_runner = not message.from_clinician
    return Communication(
        id=ids.of("message", message.id),
        identifier=[Identifier(system=MESSAGE_IDS, value=message.id)],
        status="completed",
        subject=ids.patient,
        sent=_utc(message.sent_at),
        sender=Reference(
            reference=ids.patient.reference if by_runner else None, display=message.sender_name
        ),
        recipient=None if by_runner else [ids.patient],
        payload=[CommunicationPayload(contentString=message.text)],
    )


# --- reading a bundle back --------------------------------------------------------------------


def read_bundle(document: object) -> Bundle:
    """A bundle's JSON document as the FHIR models read it (``pydantic.ValidationError`` on
    one that is not a valid R4 bundle)."""
    return Bundle.model_validate(document)


def resources_of(bundle: Bundle) -> list[Resource]:
    return [e.resource for e in bundle.entry or () if e.resource is not None]


def pain_by_day(bundle: Bundle) -> dict[date, dict[str, int]]:
    """The check-ins' pain scores, by day and ``PAIN_CONTEXT`` code."""
    found: dict[date, dict[str, int]] = {}
    for resource in resources_of(bundle):
        if not isinstance(resource, Observation):
            continue
        context = _code_in(resource.code, PAIN_CONTEXT)
        if context is not None and resource.valueInteger is not None:
            day = _day(resource.effectiveDateTime)
            found.setdefault(day, {})[context] = resource.valueInteger
    return found


def kujala_by_day(bundle: Bundle) -> dict[date, tuple[dict[str, Any], float]]:
    """The Kujala answers (item id to option id) and their score, by day."""
    resources = resources_of(bundle)
    scores = {
        _day(r.effectiveDateTime): float(r.valueQuantity.value)
        for r in resources
        if isinstance(r, Observation)
        and _code_in(r.code, RUNREHAB_CODES) == KUJALA_SCORE[0]
        and r.valueQuantity is not None
        and r.valueQuantity.value is not None
    }
    found: dict[date, tuple[dict[str, Any], float]] = {}
    for r in resources:
        if isinstance(r, QuestionnaireResponse) and r.questionnaire == KUJALA_URL:
            day = _day(r.authored)
            found[day] = ({str(i.linkId): _value(i) for i in r.item or ()}, scores[day])
    return found


def _code_in(concept: CodeableConcept | None, system: str) -> str | None:
    codings = [] if concept is None else concept.coding or []
    return next((c.code for c in codings if c.system == system), None)


def _day(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _value(item: QuestionnaireResponseItem) -> Any:
    answer = (item.answer or [])[0]
    if answer.valueCoding is not None:
        return answer.valueCoding.code
    return answer.valueInteger
