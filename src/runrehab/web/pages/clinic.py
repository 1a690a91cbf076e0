"""The clinic's pages: the caseload dashboard, a patient's page (overrides with reasons,
messages), invitations, a clinician's sign-up by invitation, the admin's log; and the runner's
side: joining with a code (after reading what the clinic will see), My clinic (messages, who
looked at my data, leaving).

Each route calls one use case of ``services.clinic`` and renders its view; a refusal
(``ClinicError``) shows the page again with the use case's words; anything not the visitor's
to see is a 404, as for what does not exist."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from runrehab.engine.overrides import VALUES
from runrehab.services.accounts.account import AccountError
from runrehab.services.accounts.views import sign_up_page
from runrehab.services.clinic import care, caseload, exercises, membership, notes, patient, sessions
from runrehab.services.clinic.access import ClinicError
from runrehab.services.clinic.records import InvitationKind
from runrehab.services.movement.checks import patient_checks
from runrehab.services.progress.downloads import UnknownChart
from runrehab.web import downloads
from runrehab.web.deps import ClinicianDep, Csrf, Parts, RunnerDep
from runrehab.web.forms.clinic_exercise import exercise_form
from runrehab.web.rendering import form_fields, render
from runrehab.web.signing import account_tools, set_session_cookies

router = APIRouter(dependencies=[Csrf])

OVERRIDE_FIELDS = ("kind", "reason", *VALUES)


@router.get("/clinic", include_in_schema=False)
def dashboard(
    request: Request,
    app_parts: Parts,
    staff: ClinicianDep,
    needs: Annotated[str | None, Query(max_length=64)] = None,
    q: Annotated[str, Query(max_length=80)] = "",
) -> Response:
    view = caseload.caseload(
        app_parts.reader(),
        app_parts.clock,
        app_parts.content,
        staff.clinician,
        staff.today,
        needs or None,
        q,
    )
    context = {"view": view, "staff": staff.clinician, "hide_nav": True}
    return render(request, "clinic/dashboard.html", context, active="clinic")


@router.post("/clinic/invitations", include_in_schema=False)
async def invitation(request: Request, app_parts: Parts, staff: ClinicianDep) -> Response:
    form = await form_fields(request)
    kind = InvitationKind.CLINICIAN if form.get("kind") == "clinician" else InvitationKind.PATIENT
    view = membership.invite(
        app_parts.writer(), app_parts.clock, app_parts.content.words, staff.clinician, kind
    )
    link = str(request.base_url).rstrip("/") + view.url
    context = {"view": view, "link": link, "hide_nav": True}
    return render(request, "clinic/invitation.html", context, active="clinic")


@router.get("/clinic/patients/{patient_id}", include_in_schema=False)
def patient_page(
    request: Request, app_parts: Parts, staff: ClinicianDep, patient_id: str
) -> Response:
    return _patient(request, app_parts, staff, patient_id)


def _patient(
    request: Request,
    app_parts: Parts,
    staff: ClinicianDep,
    patient_id: str,
    error: ClinicError | None = None,
) -> Response:
    view = patient.patient_page(
        app_parts.reader(),
        app_parts.clock,
        app_parts.content,
        staff.clinician,
        patient_id,
        staff.today,
        staff.runner.account.timezone,
    )
    movement = patient_checks(  # the patient's movement checks (after the page's own checks)
        app_parts.reader(), app_parts.clock, app_parts.content.words, staff.clinician, patient_id
    )
    context = {
        "view": view,
        "movement": movement,
        "error": error,
        "hide_nav": True,
        "phases": app_parts.content.protocol.phases,
        "rungs": app_parts.content.protocol.rungs,
        "exercises": sorted(app_parts.content.catalogue.exercises.values(), key=lambda e: e.name),
    }
    return render(
        request, "clinic/patient.html", context, active="clinic", status_code=400 if error else 200
    )


@router.get("/clinic/patients/{patient_id}/charts/{name}.svg", include_in_schema=False)
def patient_chart(
    request: Request, app_parts: Parts, staff: ClinicianDep, patient_id: str, name: str
) -> Response:
    content = app_parts.content
    try:
        view = patient.patient_chart(
            app_parts.reader(),
            app_parts.clock,
            content,
            staff.clinician,
            patient_id,
            staff.today,
            name,
        )
    except UnknownChart as err:
        raise HTTPException(404, str(err)) from None
    return downloads.chart(request, view, content)


@router.get("/clinic/patients/{patient_id}/report.pdf", include_in_schema=False)
def patient_report(app_parts: Parts, staff: ClinicianDep, patient_id: str) -> Response:
    """The physio report of the patient, as the runner's own (the clinic's printout)."""
    content = app_parts.content
    view = patient.patient_report(
        app_parts.reader(), app_parts.clock, content, staff.clinician, patient_id, staff.today
    )
    return downloads.report(view, content, f"runrehab-report-{staff.today.isoformat()}.pdf")


@router.post("/clinic/patients/{patient_id}/overrides", include_in_schema=False)
async def add_override(
    request: Request, app_parts: Parts, staff: ClinicianDep, patient_id: str
) -> Response:
    form = await form_fields(request)
    fields = {k: form.get(k) for k in OVERRIDE_FIELDS}
    try:
        care.set_override(
            app_parts.writer(),
            app_parts.clock,
            app_parts.content,
            staff.clinician,
            patient_id,
            fields,
            staff.today,
        )
    except ClinicError as err:
        return _patient(request, app_parts, staff, patient_id, err)
    return RedirectResponse(f"/clinic/patients/{patient_id}#overrides", status_code=303)


@router.post("/clinic/patients/{patient_id}/overrides/{override_id}/undo", include_in_schema=False)
def undo_override(
    app_parts: Parts, staff: ClinicianDep, patient_id: str, override_id: str
) -> Response:
    care.undo_override(
        app_parts.writer(),
        app_parts.clock,
        app_parts.content,
        staff.clinician,
        patient_id,
        override_id,
        staff.today,
    )
    return RedirectResponse(f"/clinic/patients/{patient_id}#overrides", status_code=303)


@router.post("/clinic/patients/{patient_id}/messages", include_in_schema=False)
async def message_patient(
    request: Request, app_parts: Parts, staff: ClinicianDep, patient_id: str
) -> Response:
    form = await form_fields(request)
    try:
        care.send_message(
            app_parts.writer(),
            app_parts.clock,
            app_parts.content.words,
            patient_id,
            form.get("text", ""),
            staff.clinician,
        )
    except ClinicError as err:
        return _patient(request, app_parts, staff, patient_id, err)
    return RedirectResponse(f"/clinic/patients/{patient_id}#messages", status_code=303)


@router.post("/clinic/patients/{patient_id}/notes", include_in_schema=False)
async def add_note(
    request: Request, app_parts: Parts, staff: ClinicianDep, patient_id: str
) -> Response:
    form = await form_fields(request)
    try:
        notes.add_clinical_note(
            app_parts.writer(),
            app_parts.clock,
            app_parts.content.words,
            staff.clinician,
            patient_id,
            form,
            staff.today,
        )
    except ClinicError as err:
        return _patient(request, app_parts, staff, patient_id, err)
    return RedirectResponse(f"/clinic/patients/{patient_id}#notes", status_code=303)


@router.post("/clinic/patients/{patient_id}/sessions", include_in_schema=False)
async def propose_session(
    request: Request, app_parts: Parts, staff: ClinicianDep, patient_id: str
) -> Response:
    form = await form_fields(request)
    try:
        sessions.propose_session(
            app_parts.writer(),
            app_parts.clock,
            app_parts.content.words,
            staff.clinician,
            patient_id,
            form,
            staff.runner.account.timezone,
        )
    except ClinicError as err:
        return _patient(request, app_parts, staff, patient_id, err)
    return RedirectResponse(f"/clinic/patients/{patient_id}#sessions", status_code=303)


@router.get("/clinic/exercises", include_in_schema=False)
def exercises_page(request: Request, app_parts: Parts, staff: ClinicianDep) -> Response:
    return _exercises(request, app_parts, staff)


def _exercises(
    request: Request, app_parts: Parts, staff: ClinicianDep, error: ClinicError | None = None
) -> Response:
    runner = staff.runner
    view = exercises.clinic_exercises(
        app_parts.reader(), app_parts.content.words, runner.account.id, runner.person_id
    )
    context = {"view": view, "error": error, "hide_nav": True, "staff": staff.clinician}
    status = 400 if error else 200
    return render(request, "clinic/exercises.html", context, active="clinic", status_code=status)


@router.post("/clinic/exercises", include_in_schema=False)
async def add_exercise(request: Request, app_parts: Parts, staff: ClinicianDep) -> Response:
    words = app_parts.content.words
    fields, media = await exercise_form(request, words)
    try:
        await run_in_threadpool(
            exercises.add_clinic_exercise,
            app_parts.writer(),
            app_parts.clock,
            words,
            staff.clinician,
            fields,
            media,
        )
    except ClinicError as err:
        return _exercises(request, app_parts, staff, err)
    return RedirectResponse("/clinic/exercises", status_code=303)


@router.post("/clinic/settings", include_in_schema=False)
async def clinic_settings(request: Request, app_parts: Parts, staff: ClinicianDep) -> Response:
    form = await form_fields(request)
    sessions.set_video_link(
        app_parts.writer(),
        app_parts.clock,
        app_parts.content.words,
        staff.clinician,
        form.get("video_link", ""),
    )
    return RedirectResponse("/clinic", status_code=303)


@router.get("/clinic/audit", include_in_schema=False)
def audit_log(request: Request, app_parts: Parts, staff: ClinicianDep) -> Response:
    view = patient.clinic_log(
        app_parts.reader(),
        app_parts.content.words,
        staff.clinician,
        staff.runner.account.timezone,
    )
    return render(request, "clinic/audit.html", {"view": view, "hide_nav": True}, active="clinic")


# --- a clinician joins by invitation --------------------------------------------------------


@router.get("/clinic/staff/join", include_in_schema=False)
def staff_join_page(
    request: Request, app_parts: Parts, code: Annotated[str, Query(max_length=64)] = ""
) -> Response:
    view = sign_up_page("", "", app_parts.config.default_timezone)
    return render(request, "clinic/staff_join.html", {"view": view, "code": code, "hide_nav": True})


@router.post("/clinic/staff/join", include_in_schema=False)
async def staff_join(request: Request, app_parts: Parts) -> Response:
    form = await form_fields(request)
    name, email, code = form.get("name", ""), form.get("email", ""), form.get("code", "")
    try:
        opened = membership.join_staff(
            app_parts.writer(),
            account_tools(app_parts),
            code,
            email,
            form.get("password", ""),
            form.get("timezone") or app_parts.config.default_timezone,
            name,
        )
    except (AccountError, ClinicError) as err:
        view = sign_up_page(name, email, form.get("timezone"))
        context = {"view": view, "code": code, "error": err, "hide_nav": True}
        return render(request, "clinic/staff_join.html", context, status_code=400)
    response = RedirectResponse("/clinic", status_code=303)
    set_session_cookies(request, app_parts, response, opened)
    return response


# --- the runner's side ---------------------------------------------------------------------


@router.get("/clinic/join", include_in_schema=False)
def join_page(
    request: Request,
    app_parts: Parts,
    runner: RunnerDep,
    code: Annotated[str, Query(max_length=64)] = "",
) -> Response:
    if not code:
        return render(request, "clinic/join_code.html", {}, active="my-clinic")
    try:
        view = membership.join_preview(
            app_parts.reader(), app_parts.clock, app_parts.content.words, code
        )
    except ClinicError as err:
        return render(
            request,
            "clinic/join_code.html",
            {"error": err, "code": code},
            active="my-clinic",
            status_code=400,
        )
    return render(request, "clinic/join.html", {"view": view}, active="my-clinic")


@router.post("/clinic/join", include_in_schema=False)
async def join(request: Request, app_parts: Parts, runner: RunnerDep) -> Response:
    form = await form_fields(request)
    code = form.get("code", "")
    try:
        membership.join_clinic(
            app_parts.writer(), app_parts.clock, app_parts.content.words, runner.person_id, code
        )
    except ClinicError as err:
        return render(
            request,
            "clinic/join_code.html",
            {"error": err, "code": code},
            active="my-clinic",
            status_code=400,
        )
    return RedirectResponse("/my-clinic", status_code=303)


@router.get("/my-clinic", include_in_schema=False)
def my_clinic(request: Request, app_parts: Parts, runner: RunnerDep) -> Response:
    view = patient.runner_clinic_page(
        app_parts.writer(),
        app_parts.clock,
        app_parts.content.words,
        runner.person_id,
        runner.account.timezone,
    )
    return render(request, "clinic/mine.html", {"view": view}, active="my-clinic")


@router.post("/my-clinic/messages", include_in_schema=False)
async def message_clinic(request: Request, app_parts: Parts, runner: RunnerDep) -> Response:
    form = await form_fields(request)
    try:
        care.send_message(
            app_parts.writer(),
            app_parts.clock,
            app_parts.content.words,
            runner.person_id,
            form.get("text", ""),
            runner_name=runner.account.email,
        )
    except ClinicError as err:
        view = patient.runner_clinic_page(
            app_parts.writer(),
            app_parts.clock,
            app_parts.content.words,
            runner.person_id,
            runner.account.timezone,
        )
        return render(
            request,
            "clinic/mine.html",
            {"view": view, "error": err},
            active="my-clinic",
            status_code=400,
        )
    return RedirectResponse("/my-clinic#messages", status_code=303)


@router.post("/my-clinic/sessions/{session_id}/{answer}", include_in_schema=False)
def answer_session(
    app_parts: Parts, runner: RunnerDep, session_id: str, answer: Literal["accept", "decline"]
) -> Response:
    sessions.answer_session(
        app_parts.writer(),
        app_parts.clock,
        app_parts.content.words,
        runner.person_id,
        session_id,
        answer == "accept",
        runner.account.timezone,
    )
    return RedirectResponse("/my-clinic#sessions", status_code=303)


@router.post("/my-clinic/leave", include_in_schema=False)
def leave(app_parts: Parts, runner: RunnerDep) -> Response:
    membership.leave_clinic(app_parts.writer(), runner.person_id)
    return RedirectResponse("/my-clinic", status_code=303)
