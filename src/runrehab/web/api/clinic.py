"""The clinic's API: invitations, joining and leaving, the caseload, a patient, their
overrides, messages and FHIR export; the runner's own thread and clinic; the admin's log.

Each operation is one use case of ``services.clinic``. A clinician reaches only the runners
of their own clinic: anyone else's id, a runner calling a clinician's route, or a runner who
left answers 404, as for an id that does not exist (nothing leaks)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from runrehab.services.clinic import care, caseload, membership, patient
from runrehab.services.clinic.care import MESSAGE_MAX, REASON_MAX
from runrehab.services.clinic.records import LIMITS, InvitationKind
from runrehab.services.views import jsonable
from runrehab.web import fhir_download
from runrehab.web.api_docs import api_error_responses
from runrehab.web.deps import ClinicianDep, Csrf, Parts, RunnerDep

router = APIRouter(dependencies=[Csrf], tags=["clinic"])
_CONTROL = r"\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F"
SOME_TEXT = rf"^[\t\n\r ]*[^\s{_CONTROL}][^{_CONTROL}]*$"
"""The text rule (``api_docs.TEXT_PATTERN``) with one character at least that is not a space:
a message or a reason of nothing but spaces says nothing."""
PATIENT = "/api/v1/clinic/patients/{patient_id}"


def _bounded(name: str) -> Any:
    """A number of an override, within the bounds the use case checks (``records.LIMITS``)."""
    low, high = LIMITS[name]
    return Field(None, ge=low, le=high)


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class InvitationBody(_Body):
    kind: Literal["patient", "clinician"] = Field(
        "patient", description="Invite a runner (any clinician) or a clinician (admins only)."
    )


class JoinBody(_Body):
    code: str = Field(max_length=64, description="The invitation code the clinic gave.")


class MessageBody(_Body):
    text: str = Field(
        min_length=1,
        max_length=MESSAGE_MAX,
        pattern=SOME_TEXT,
        description="The message, 1 to 4000 characters (not only spaces).",
    )


class OverrideBody(_Body):
    kind: Literal[
        "hold_phase",
        "set_phase",
        "set_rung",
        "wait_days",
        "release_hold",
        "dose",
        "add_exercise",
        "remove_exercise",
        "run_minutes",
    ]
    reason: str = Field(
        min_length=1, max_length=REASON_MAX, pattern=SOME_TEXT, description="Shown to the runner."
    )
    phase: int | None = _bounded("phase")
    rung: int | None = _bounded("rung")
    days: int | None = _bounded("days")
    exercise: str | None = Field(None, max_length=64)
    sets: int | None = _bounded("sets")
    reps: int | None = _bounded("reps")
    hold_seconds: int | None = _bounded("hold_seconds")
    minutes: int | None = _bounded("minutes")


@router.post(
    "/api/v1/clinic/invitations",
    summary="Invite a runner (or, for an admin, a clinician): the code and link, shown once",
    response_model=None,
    responses=api_error_responses(400, 401, 403, 404, 422),
)
def api_invite(app_parts: Parts, staff: ClinicianDep, body: InvitationBody | None = None) -> Any:
    kind = InvitationKind(body.kind if body else "patient")
    view = membership.invite(
        app_parts.writer(), app_parts.clock, app_parts.content.words, staff.clinician, kind
    )
    return JSONResponse(jsonable(view), status_code=201)


@router.post(
    "/api/v1/clinic/join",
    summary="Join the clinic of an invitation code (a runner)",
    response_model=None,
    responses=api_error_responses(400, 401, 403, 422),
)
def api_join(app_parts: Parts, runner: RunnerDep, body: JoinBody) -> Any:
    words = app_parts.content.words
    view = membership.join_clinic(
        app_parts.writer(), app_parts.clock, words, runner.person_id, body.code
    )
    return jsonable(view)


@router.delete(
    "/api/v1/clinic/membership",
    summary="Leave one's clinic: its access ends at once",
    response_model=None,
    responses=api_error_responses(401, 403),
)
def api_leave(app_parts: Parts, runner: RunnerDep) -> Any:
    return jsonable(membership.leave_clinic(app_parts.writer(), runner.person_id))


@router.get(
    "/api/v1/clinic/membership",
    summary="One's clinic, and every time a clinician looked at one's data",
    response_model=None,
    responses=api_error_responses(401),
)
def api_my_clinic(app_parts: Parts, runner: RunnerDep) -> Any:
    words = app_parts.content.words
    return jsonable(
        patient.my_clinic(app_parts.reader(), words, runner.person_id, runner.account.timezone)
    )


@router.get(
    "/api/v1/clinic/messages",
    summary="One's thread with one's clinic (what the clinic sent is marked read)",
    response_model=None,
    responses=api_error_responses(401, 404),
)
def api_my_messages(app_parts: Parts, runner: RunnerDep) -> Any:
    words = app_parts.content.words
    return jsonable(
        care.thread(
            app_parts.writer(),
            app_parts.clock,
            words,
            runner.person_id,
            zone=runner.account.timezone,
        )
    )


@router.post(
    "/api/v1/clinic/messages",
    summary="Send one's clinic a message",
    response_model=None,
    responses=api_error_responses(400, 401, 403, 404, 422),
)
def api_send_my_message(app_parts: Parts, runner: RunnerDep, body: MessageBody) -> Any:
    words = app_parts.content.words
    sent = care.send_message(
        app_parts.writer(),
        app_parts.clock,
        words,
        runner.person_id,
        body.text,
        runner_name=runner.account.email,
    )
    return JSONResponse(jsonable(sent), status_code=201)


@router.get(
    "/api/v1/clinic/patients",
    summary="The clinic's patients, most urgent first, each with why",
    response_model=None,
    responses=api_error_responses(401, 404, 422),
)
def api_patients(
    app_parts: Parts,
    staff: ClinicianDep,
    needs: Annotated[str | None, Query(max_length=64)] = None,
    q: Annotated[str, Query(max_length=80)] = "",
) -> Any:
    view = caseload.caseload(
        app_parts.reader(),
        app_parts.clock,
        app_parts.content,
        staff.clinician,
        staff.today,
        needs,
        q,
    )
    return jsonable(view)


@router.get(
    PATIENT,
    summary="A patient: the assessment, the timeline, scores, load, overrides, messages",
    response_model=None,
    responses=api_error_responses(401, 404),
)
def api_patient(app_parts: Parts, staff: ClinicianDep, patient_id: str) -> Any:
    view = patient.patient_page(
        app_parts.reader(),
        app_parts.clock,
        app_parts.content,
        staff.clinician,
        patient_id,
        staff.today,
        staff.runner.account.timezone,
    )
    return jsonable(view)


@router.get(
    PATIENT + "/fhir",
    summary="The patient's record as a FHIR R4 Bundle (validated with fhir.resources)",
    response_model=None,
    responses=api_error_responses(401, 404),
)
def api_patient_fhir(app_parts: Parts, staff: ClinicianDep, patient_id: str) -> Any:
    document = patient.patient_fhir(
        app_parts.reader(),
        app_parts.clock,
        app_parts.content,
        staff.clinician,
        patient_id,
        fhir_download.WRITER,
    )
    return fhir_download.bundle(document, f"runrehab-fhir-{patient_id[:8]}.json")


@router.get(
    PATIENT + "/overrides",
    summary="The patient's overrides, in force and undone",
    response_model=None,
    responses=api_error_responses(401, 404),
)
def api_overrides(app_parts: Parts, staff: ClinicianDep, patient_id: str) -> Any:
    view = care.overrides_of(
        app_parts.reader(),
        app_parts.clock,
        app_parts.content,
        staff.clinician,
        patient_id,
        staff.today,
    )
    return jsonable(view)


@router.post(
    PATIENT + "/overrides",
    summary="Change the patient's programme, with a reason the runner reads",
    response_model=None,
    responses=api_error_responses(400, 401, 403, 404, 422),
)
def api_set_override(
    app_parts: Parts, staff: ClinicianDep, patient_id: str, body: OverrideBody
) -> Any:
    row = care.set_override(
        app_parts.writer(),
        app_parts.clock,
        app_parts.content,
        staff.clinician,
        patient_id,
        body.model_dump(),
        staff.today,
    )
    return JSONResponse(jsonable(row), status_code=201)


@router.delete(
    PATIENT + "/overrides/{override_id}",
    summary="Undo an override from today on (the history keeps it)",
    response_model=None,
    responses=api_error_responses(401, 403, 404),
)
def api_undo_override(
    app_parts: Parts, staff: ClinicianDep, patient_id: str, override_id: str
) -> Any:
    view = care.undo_override(
        app_parts.writer(),
        app_parts.clock,
        app_parts.content,
        staff.clinician,
        patient_id,
        override_id,
        staff.today,
    )
    return jsonable(view)


@router.get(
    PATIENT + "/messages",
    summary="The thread with the patient (what they sent is marked read)",
    response_model=None,
    responses=api_error_responses(401, 404),
)
def api_patient_messages(app_parts: Parts, staff: ClinicianDep, patient_id: str) -> Any:
    words = app_parts.content.words
    view = care.thread(
        app_parts.writer(),
        app_parts.clock,
        words,
        patient_id,
        staff.clinician,
        staff.runner.account.timezone,
    )
    return jsonable(view)


@router.post(
    PATIENT + "/messages",
    summary="Send the patient a message (it shows on their Today)",
    response_model=None,
    responses=api_error_responses(400, 401, 403, 404, 422),
)
def api_send_patient_message(
    app_parts: Parts, staff: ClinicianDep, patient_id: str, body: MessageBody
) -> Any:
    words = app_parts.content.words
    sent = care.send_message(
        app_parts.writer(), app_parts.clock, words, patient_id, body.text, staff.clinician
    )
    return JSONResponse(jsonable(sent), status_code=201)


@router.get(
    "/api/v1/clinic/audit",
    summary="The clinic's audit log, newest first (admins)",
    response_model=None,
    responses=api_error_responses(401, 404),
)
def api_audit(app_parts: Parts, staff: ClinicianDep) -> Any:
    words = app_parts.content.words
    return jsonable(
        patient.clinic_log(
            app_parts.reader(), words, staff.clinician, staff.runner.account.timezone
        )
    )
