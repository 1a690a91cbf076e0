"""The clinic's care of a patient in the API: clinical notes, virtual sessions (and the
clinic's video-call link), the clinic's own exercises with their pictures and videos; and, for
a runner without a clinic, "a physiotherapist or doctor has seen my knee".

Each operation is one use case (``services.clinic.notes``, ``.sessions``, ``.exercises``,
``services.journal.clinician_seen``). As in ``web.api.clinic``, a clinician reaches only the
runners of their own clinic, and anything else (another clinic's runner or session, an
exercise of another clinic) answers 404, as for an id that does not exist."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema
from starlette.concurrency import run_in_threadpool

from runrehab.services.clinic import exercises, notes, sessions
from runrehab.services.clinic.exercises import MEDIA_TYPES
from runrehab.services.journal import clinician_seen
from runrehab.services.journal.clinician_seen import ADVICE_MAX, ClinicianSeenRefused
from runrehab.services.views import jsonable
from runrehab.web import invite_download
from runrehab.web.api_docs import api_error_responses
from runrehab.web.deps import AppParts, ClinicianDep, Csrf, Parts, Runner, RunnerDep
from runrehab.web.downloads import ICS_TYPE, NO_STORE, answer, file_answer
from runrehab.web.errors import BadRequest
from runrehab.web.forms.clinic_exercise import exercise_form
from runrehab.web.query import DAY_SCHEMA

router = APIRouter(dependencies=[Csrf], tags=["clinic"])
PATIENT = "/api/v1/clinic/patients/{patient_id}"
SESSION = "/api/v1/clinic/sessions/{session_id}"
EXERCISE = "/api/v1/clinic/exercises/{exercise_id}"


DayOrNull = Annotated[str | None, WithJsonSchema({"anyOf": [DAY_SCHEMA, {"type": "null"}]})]
"""A day in a body (``YYYY-MM-DD``), or null or left out for the default."""


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NoteBody(_Body):
    day: DayOrNull = Field(
        None, description="The day the note is about (YYYY-MM-DD; default the clinician's today)."
    )
    subjective: str = Field("", max_length=notes.NOTE_MAX, description="What the runner says.")
    objective: str = Field("", max_length=notes.NOTE_MAX, description="What was found.")
    assessment: str = Field("", max_length=notes.NOTE_MAX, description="The clinician's view.")
    plan: str = Field("", max_length=notes.NOTE_MAX, description="What comes next.")


class SettingsBody(_Body):
    video_link: str = Field(
        max_length=sessions.LINK_MAX,
        description="The clinic's video-call address (https://), put in every session proposed "
        "from now on.",
    )


class SessionBody(_Body):
    starts_at: str | None = Field(
        None,
        max_length=40,
        description="The start, a date and time with its offset (2026-12-03T14:00:00+01:00); "
        "or leave it out and give `date` and `time`.",
    )
    date: DayOrNull = Field(
        None, description="The day, in the clinician's own time zone (with `time`)."
    )
    time: str | None = Field(
        None, max_length=8, description="The time of day, HH:MM, in the clinician's time zone."
    )
    minutes: int = Field(
        ge=sessions.MINUTES[0], le=sessions.MINUTES[1], description="How long the session is."
    )


class SeenBody(_Body):
    day: DayOrNull = Field(
        None, description="The day the clinician saw the knee (YYYY-MM-DD; default today)."
    )
    advice: str = Field(
        min_length=1, max_length=ADVICE_MAX, description="What they advised, 1 to 2000 chars."
    )


def _described(schema: dict[str, Any], *, description: str) -> dict[str, Any]:
    """A schema with its description (the OpenAPI document's words, for developers)."""
    return {**schema, "description": description}


EXERCISE_FORM: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["name", "purpose", "how", "cues", "sets"],
                    "properties": {
                        "name": {"type": "string", "maxLength": exercises.NAME_MAX},
                        "purpose": {"type": "string", "maxLength": exercises.PURPOSE_MAX},
                        "how": _described(
                            {"type": "array", "items": {"type": "string"}},
                            description="The steps, in order (a value of several lines is a "
                            "step a line).",
                        ),
                        "cues": {"type": "array", "items": {"type": "string"}},
                        "sets": {"type": "integer", "minimum": 1, "maximum": 10},
                        "reps": {"type": "integer", "minimum": 1, "maximum": 100},
                        "hold_seconds": {"type": "integer", "minimum": 1, "maximum": 600},
                        "media": _described(
                            {"type": "string", "format": "binary"},
                            description="A picture (PNG, JPEG, WebP; at most 2 MB) or a short "
                            "video (MP4, WebM; at most 20 MB), known by its first bytes.",
                        ),
                    },
                }
            }
        },
    }
}
"""The body of ``POST /api/v1/clinic/exercises``: a form with the file, which FastAPI cannot
describe from the route's signature."""


# --- clinical notes ---------------------------------------------------------------------------


@router.get(
    PATIENT + "/notes",
    summary="The clinic's clinical notes on the patient, newest first (never shown to them)",
    response_model=None,
    responses=api_error_responses(401, 404),
)
def api_notes(app_parts: Parts, staff: ClinicianDep, patient_id: str) -> Any:
    view = notes.clinical_notes_of(
        app_parts.writer(), app_parts.clock, app_parts.content.words, staff.clinician, patient_id
    )
    return jsonable(view)


@router.post(
    PATIENT + "/notes",
    summary="Write a clinical note (subjective, objective, assessment, plan) on the patient",
    response_model=None,
    status_code=201,
    responses=api_error_responses(400, 401, 403, 404, 422),
)
def api_add_note(app_parts: Parts, staff: ClinicianDep, patient_id: str, body: NoteBody) -> Any:
    row = notes.add_clinical_note(
        app_parts.writer(),
        app_parts.clock,
        app_parts.content.words,
        staff.clinician,
        patient_id,
        body.model_dump(),
        staff.today,
    )
    return JSONResponse(jsonable(row), status_code=201)


# --- virtual sessions -------------------------------------------------------------------------


@router.put(
    "/api/v1/clinic/settings",
    summary="Set the clinic's video-call link for virtual sessions (admins)",
    response_model=None,
    responses=api_error_responses(400, 401, 403, 404, 422),
)
def api_settings(app_parts: Parts, staff: ClinicianDep, body: SettingsBody) -> Any:
    view = sessions.set_video_link(
        app_parts.writer(),
        app_parts.clock,
        app_parts.content.words,
        staff.clinician,
        body.video_link,
    )
    return jsonable(view)


@router.get(
    PATIENT + "/sessions",
    summary="The patient's virtual sessions, in the clinician's time zone",
    response_model=None,
    responses=api_error_responses(401, 404),
)
def api_patient_sessions(app_parts: Parts, staff: ClinicianDep, patient_id: str) -> Any:
    view = sessions.sessions_of(
        app_parts.writer(),
        app_parts.clock,
        app_parts.content.words,
        staff.clinician,
        patient_id,
        staff.runner.account.timezone,
    )
    return jsonable(view)


@router.post(
    PATIENT + "/sessions",
    summary="Propose the patient a virtual session (with the clinic's video-call link)",
    response_model=None,
    status_code=201,
    responses=api_error_responses(400, 401, 403, 404, 422),
)
def api_propose_session(
    app_parts: Parts, staff: ClinicianDep, patient_id: str, body: SessionBody
) -> Any:
    row = sessions.propose_session(
        app_parts.writer(),
        app_parts.clock,
        app_parts.content.words,
        staff.clinician,
        patient_id,
        body.model_dump(),
        staff.runner.account.timezone,
    )
    return JSONResponse(jsonable(row), status_code=201)


@router.get(
    "/api/v1/clinic/sessions",
    summary="One's virtual sessions with one's clinic, in one's own time zone",
    response_model=None,
    responses=api_error_responses(401, 404),
)
def api_my_sessions(app_parts: Parts, runner: RunnerDep) -> Any:
    view = sessions.my_sessions(
        app_parts.reader(), app_parts.content.words, runner.person_id, runner.account.timezone
    )
    return jsonable(view)


@router.post(
    SESSION + "/accept",
    summary="Accept a virtual session one's clinic proposed",
    response_model=None,
    responses=api_error_responses(400, 401, 403, 404),
)
def api_accept_session(app_parts: Parts, runner: RunnerDep, session_id: str) -> Any:
    return _answer(app_parts, runner, session_id, accept=True)


@router.post(
    SESSION + "/decline",
    summary="Decline a virtual session one's clinic proposed",
    response_model=None,
    responses=api_error_responses(400, 401, 403, 404),
)
def api_decline_session(app_parts: Parts, runner: RunnerDep, session_id: str) -> Any:
    return _answer(app_parts, runner, session_id, accept=False)


def _answer(app_parts: AppParts, runner: Runner, session_id: str, accept: bool) -> Any:
    row = sessions.answer_session(
        app_parts.writer(),
        app_parts.clock,
        app_parts.content.words,
        runner.person_id,
        session_id,
        accept,
        runner.account.timezone,
    )
    return jsonable(row)


@router.get(
    SESSION + ".ics",
    summary="A virtual session's invitation as an iCalendar file (its runner or clinicians)",
    response_class=Response,
    responses={
        **file_answer(media_type=ICS_TYPE, description="One event, with the video-call link."),
        **api_error_responses(401, 404),
    },
)
def api_session_invite(
    request: Request, app_parts: Parts, runner: RunnerDep, session_id: str
) -> Response:
    found = sessions.session_invite(
        app_parts.writer(),
        app_parts.clock,
        app_parts.content.words,
        runner.account.id,
        runner.person_id,
        request.client.host if request.client else "",
        session_id,
        runner.account.timezone,
        invite_download.WRITER,
    )
    return invite_download.invite(found)


# --- the clinic's own exercises ---------------------------------------------------------------


@router.get(
    "/api/v1/clinic/exercises",
    summary="The clinic's own exercises (its clinicians and patients)",
    response_model=None,
    responses=api_error_responses(401, 404),
)
def api_exercises(app_parts: Parts, runner: RunnerDep) -> Any:
    view = exercises.clinic_exercises(
        app_parts.reader(), app_parts.content.words, runner.account.id, runner.person_id
    )
    return jsonable(view)


@router.post(
    "/api/v1/clinic/exercises",
    summary="Add an exercise to the clinic's library, with a picture or a short video",
    response_model=None,
    status_code=201,
    responses=api_error_responses(400, 401, 403, 404, 413),
    openapi_extra=EXERCISE_FORM,
)
async def api_add_exercise(request: Request, app_parts: Parts, staff: ClinicianDep) -> Any:
    words = app_parts.content.words
    fields, media = await exercise_form(request, words)
    row = await run_in_threadpool(
        exercises.add_clinic_exercise,
        app_parts.writer(),
        app_parts.clock,
        words,
        staff.clinician,
        fields,
        media,
    )
    return JSONResponse(jsonable(row), status_code=201)


@router.get(
    EXERCISE,
    summary="One of the clinic's own exercises",
    response_model=None,
    responses=api_error_responses(401, 404),
)
def api_exercise(app_parts: Parts, runner: RunnerDep, exercise_id: str) -> Any:
    view = exercises.clinic_exercise(
        app_parts.reader(),
        app_parts.content.words,
        runner.account.id,
        runner.person_id,
        exercise_id,
    )
    return jsonable(view)


@router.get(
    EXERCISE + "/media",
    summary="A clinic exercise's picture or video, served by RunRehab itself",
    response_class=Response,
    responses={
        200: {
            **answer(description="The picture or video, typed as its first bytes say."),
            "content": {kind: {} for kind in MEDIA_TYPES},
        },
        **api_error_responses(401, 404),
    },
)
def api_exercise_media(app_parts: Parts, runner: RunnerDep, exercise_id: str) -> Response:
    found = exercises.clinic_exercise_media(
        app_parts.reader(),
        app_parts.content.words,
        runner.account.id,
        runner.person_id,
        exercise_id,
    )
    headers = {
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": NO_STORE,
        "Content-Disposition": "inline",
    }
    return Response(found.data, media_type=found.media_type, headers=headers)


# --- a clinician has seen my knee -------------------------------------------------------------


@router.post(
    "/api/v1/clinician-seen",
    tags=["assessment"],
    summary="Record that a physiotherapist or doctor has seen one's knee, and their advice; "
    "then take the knee check again (`next`)",
    response_model=None,
    status_code=201,
    responses=api_error_responses(400, 401, 403, 422),
)
def api_clinician_seen(app_parts: Parts, runner: RunnerDep, body: SeenBody) -> Any:
    try:
        kept = clinician_seen.clinician_seen(
            app_parts.writer(),
            app_parts.clock,
            app_parts.content.words,
            runner.person_id,
            body.day,
            body.advice,
            runner.today,
        )
    except ClinicianSeenRefused as err:
        raise BadRequest(str(err), err.field) from err
    return JSONResponse(jsonable(kept), status_code=201)
