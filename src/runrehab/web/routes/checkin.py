"""The daily check-in: the 30-second form, its answer (the day's decision and why), and the
check-in API. The questionnaires (Kujala, weekly pain) live in ``questionnaires`` and are
served by this router too.

The form builds the contract's check-in document (``checkin_form``) and hands it to
``services.journal.programme.record_checkin``, exactly as the API and the command line do. Bad input
re-shows the form with a message beside each field and stores nothing; a stored check-in is
followed by a redirect to its answer, so reloading never posts twice.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from runrehab.adapters.documents import parse_json, read_checkin
from runrehab.engine.values import Disposition
from runrehab.errors import InvalidDocument, JournalError, Problem
from runrehab.services.codec import decision_to_json
from runrehab.services.intake.triage import HEADLINES, meanwhile
from runrehab.services.journal.programme import CheckedIn, record_checkin
from runrehab.services.journal.today import checkin_view, history_view, today_view
from runrehab.services.records import DecisionRecord
from runrehab.web.deps import AppParts, Csrf, Parts, Runner, RunnerDep
from runrehab.web.errors import problem
from runrehab.web.query import DayText, iso_day
from runrehab.web.rendering import form_lists, nice_date, render
from runrehab.web.routes import checkin_form as cf
from runrehab.web.routes.system import api_error_responses
from runrehab.web.routes.today import (
    ACTION_WORDS,
    BadDay,
    parse_day,
    programme_start,
)

router = APIRouter(dependencies=[Csrf])

BODY_MAX = 256 * 1024  # a check-in is a few hundred bytes; this is far more than any needs
COLOUR_WORDS = {
    # the traffic light judges the session (pain during exercise and running, how fast it
    # settled, the next morning); RED also the day (worst pain, a limp, swelling)
    "green": ("go", "A green session", "Exercise and running stayed in the green zone."),
    "amber": ("caution", "An amber session", "The knee was a little irritated, within the limits."),
    "red": ("stop", "A red day", "The knee did not like it."),
}


# --- the form ---------------------------------------------------------------------------------


@router.get("/checkin", include_in_schema=False)
def checkin_page(
    request: Request,
    app_parts: Parts,
    runner: RunnerDep,
    when: str | None = Query(None, alias="date"),
) -> Response:
    started = programme_start(app_parts, runner.person_id)
    if started is None:
        return RedirectResponse("/start", status_code=303)
    day = parse_day(when, runner.today, started)
    stored = _stored_document(app_parts, runner.person_id, day)
    exercises, tests = _form_exercises(app_parts, runner, day, stored)
    form = cf.form_from_document(stored, tests) if stored else _blank(day)
    context = _form_context(runner, day, started, form, {}, stored, exercises, tests)
    return render(request, "checkin/form.html", context, active="checkin")


@router.post("/checkin", include_in_schema=False)
async def checkin_submit(request: Request, app_parts: Parts, runner: RunnerDep) -> Response:
    fields = await form_lists(request)
    fields.pop("csrf_token", None)
    return await run_in_threadpool(_submit, request, app_parts, runner, cf.FormValues(fields))


def _submit(request: Request, app_parts: AppParts, runner: Runner, form: cf.FormValues) -> Response:
    started = programme_start(app_parts, runner.person_id)
    if started is None:
        return RedirectResponse("/start", status_code=303)
    day = _shown_day(form, runner.today, started)
    stored = _stored_document(app_parts, runner.person_id, day)
    exercises, tests = _form_exercises(app_parts, runner, day, stored)
    document, errors = cf.document_from_form(form, runner.today, exercises, tests)
    if not errors:
        try:
            done = _record(app_parts, runner, document)
        except InvalidDocument as err:
            errors = cf.errors_from_problems(err.problems, document.get("exercises", []))
        else:
            return RedirectResponse(f"/checkin/done?date={done.stored.day}", status_code=303)
    context = _form_context(runner, day, started, form, errors, stored, exercises, tests)
    return render(request, "checkin/form.html", context, status_code=400, active="checkin")


def _shown_day(form: cf.FormValues, today: date, started: date) -> date:
    """The day whose session the form lists: the posted one when it is a day one may report,
    else today (the form then says what is wrong with the date)."""
    try:
        return parse_day(form.get("date"), today, started)
    except BadDay:
        return today


def _blank(day: date) -> cf.FormValues:
    form = cf.FormValues()
    form.set("date", day)
    form.set("swelling", "none")
    form.set("ran", "no")
    return form


def _form_context(
    runner: Runner,
    day: date,
    started: date,
    form: cf.FormValues,
    errors: dict[str, str],
    stored: dict[str, Any] | None,
    exercises: list[cf.FormExercise],
    tests: list[cf.FormTest],
) -> dict[str, Any]:
    for e in exercises:  # a fresh form offers the day's dose
        if f"sets_{e.id}" not in form.values:
            form.set(f"sets_{e.id}", e.sets)
    for t in tests:  # and each readiness test's, to be ticked once done
        for name, value in (
            (f"test_sets_{t.id}", t.sets),
            (f"test_reps_{t.id}", t.reps),
            (f"test_minutes_{t.id}", t.minutes),
        ):
            if value is not None and name not in form.values:
                form.set(name, value)
    return {
        "day": day,
        "today": runner.today,
        "started": started,
        "form": form,
        "errors": errors,
        "stored": stored is not None,
        "exercises": exercises,
        "tests": tests,
        "cf": cf,
        "range11": range(11),
    }


def _stored_document(app_parts: AppParts, person_id: str, day: date) -> dict[str, Any] | None:
    with app_parts.reader() as uow:
        stored = uow.repo.get_checkin(person_id, day)
    return None if stored is None else dict(stored.document)


def _form_exercises(
    app_parts: AppParts, runner: Runner, day: date, stored: dict[str, Any] | None
) -> tuple[list[cf.FormExercise], list[cf.FormTest]]:
    """The day's exercises (and after-run routine), then any others its stored check-in
    reported: the ones the form asks about; and the readiness tests the day's session holds,
    each asked about on its own with its own pain (so not in the exercise list)."""
    view = today_view(app_parts.reader(), app_parts.content, day, runner.person_id)
    session = view["session"]
    tests = _form_tests(view)
    known = app_parts.content.catalogue.exercises
    found: dict[str, cf.FormExercise] = {}
    tested = {t.exercise for t in tests if t.exercise}
    for e in [*session.get("exercises", []), *session.get("after_run", [])]:
        if e["id"] in tested and "readiness_test" in e:
            continue
        if e["id"] in known and e["id"] not in found:
            found[e["id"]] = cf.FormExercise(
                e["id"], e["name"], e["sets"], e.get("reps"), e.get("hold_seconds")
            )
    for e in (stored or {}).get("exercises", []):
        if e["id"] in known and e["id"] not in found:
            found[e["id"]] = cf.FormExercise(
                e["id"], known[e["id"]].name, e["sets"], e.get("reps"), e.get("hold_seconds")
            )
    return list(found.values()), tests


def _form_tests(view: dict[str, Any]) -> list[cf.FormTest]:
    """The readiness tests of the day's session, with the dose or minutes it gives them."""
    tests: list[cf.FormTest] = []
    for c in view.get("readiness_checks", []):
        if not c["today"]:
            continue
        report = c["report"]
        if c["kind"] == "walk_test":
            walk = report["cross_training"][0]
            tests.append(
                cf.FormTest(
                    c["id"], c["kind"], c["name"], c["text"], None, None, None, walk["minutes"]
                )
            )
        else:
            e = report["exercises"][0]
            tests.append(
                cf.FormTest(c["id"], c["kind"], c["name"], c["text"], e["id"], e["sets"], e["reps"])
            )
    return tests


def _record(app_parts: AppParts, runner: Runner, document: dict[str, Any]) -> CheckedIn:
    """Check the document against the contract and the runner's calendar, then store it."""
    checkin = read_checkin(document)
    if checkin.date > runner.today:
        raise InvalidDocument(
            "check-in",
            [Problem("$.date", f"{checkin.date} is after today ({runner.today}) where you live")],
        )
    return record_checkin(
        app_parts.db.unit_of_work(),
        app_parts.clock,
        app_parts.content,
        document,
        checkin,
        runner.person_id,
    )


# --- the answer -------------------------------------------------------------------------------


@router.get("/checkin/done", include_in_schema=False)
def checkin_done(
    request: Request,
    app_parts: Parts,
    runner: RunnerDep,
    when: str | None = Query(None, alias="date"),
) -> Response:
    started = programme_start(app_parts, runner.person_id)
    if started is None:
        return RedirectResponse("/start", status_code=303)
    day = parse_day(when, runner.today, started)
    stored = _stored_document(app_parts, runner.person_id, day)
    if stored is None:
        return problem(request, 404, f"There is no check-in for {nice_date(day, True)} yet.")
    decision = _decision_view(app_parts, runner.person_id, day, stored)
    context = {"day": day, "is_today": day == runner.today, "decision": decision}
    if day == runner.today and not decision["red_flag"]:
        view = today_view(app_parts.reader(), app_parts.content, day, runner.person_id)
        context["today"] = {
            "words": view["run_answer"]["words"],
            "style": view["run_answer"]["style"],
            "headline": view["headline"],
            "reason": view["reasons"][0] if view["reasons"] else None,
        }
    return render(request, "checkin/done.html", context, active="checkin")


def _decision_view(
    app_parts: AppParts, person_id: str, day: date, stored: dict[str, Any]
) -> dict[str, Any]:
    """The decision the day's check-in led to, in words, with its reasons."""
    found = _decision_on(app_parts, person_id, day)
    view: dict[str, Any] = {"found": found is not None, "red_flag": False}
    if found is None:
        return view
    disposition = found.disposition
    view.update(decision_to_json(found))
    view["reasons"] = app_parts.content.book.describe_all(found.reasons)
    view["red_flag"] = disposition.severity >= Disposition.URGENT.severity
    view["see_someone"] = disposition is not Disposition.SELF_MANAGE
    view["headline"] = HEADLINES[disposition]
    view["meanwhile"] = meanwhile(disposition, app_parts.content.pain)
    view["action_words"] = ACTION_WORDS[found.action.value]
    view["colour_words"] = COLOUR_WORDS.get(found.colour.value) if found.colour else None
    view["worst_note"] = _worst_note(app_parts, stored, found)
    return view


def _worst_note(app_parts: AppParts, stored: dict[str, Any], found: DecisionRecord) -> str | None:
    """A green or amber session with a day's worst pain above the green zone: said beside the
    session's colour, so that the day is never simply called green."""
    settings = app_parts.content.protocol.settings
    if found.colour is None or found.colour.value == "red":
        return None
    worst = read_checkin(stored).pain.worst
    if worst <= settings.green_max_pain:
        return None
    return (
        f"Your worst pain in the last 24 hours was {worst}/10, above the green zone "
        f"(0–{settings.green_max_pain}/10): go gently today, and say tomorrow morning how "
        "the knee feels."
    )


def _decision_on(app_parts: AppParts, person_id: str, day: date) -> DecisionRecord | None:
    """The fold's decision for ``day``; the intake decision (first) is not a check-in's."""
    with app_parts.reader() as uow:
        programme = uow.repo.current_programme(person_id)
        if programme is None:
            return None
        decisions = uow.repo.decisions(programme.id)[1:]
    return next((d for d in reversed(decisions) if d.day == day), None)


# --- API --------------------------------------------------------------------------------------


def _openapi_checkin_schema() -> dict[str, Any]:
    """The contract's schema with its ``$defs`` written in place, for the API documentation
    (a ``$ref`` inside the OpenAPI document would point at the wrong root)."""
    from runrehab.adapters.documents import schema

    nrs = schema("checkin")["$defs"]["nrs"]

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            if node.get("$ref") == "#/$defs/nrs":
                return dict(nrs)
            return {k: inline(v) for k, v in node.items() if k not in ("$schema", "$id", "$defs")}
        if isinstance(node, list):
            return [inline(v) for v in node]
        return node

    resolved: dict[str, Any] = inline(schema("checkin"))
    return resolved


@router.post(
    "/api/v1/checkins",
    tags=["today"],
    summary="Record a day's check-in (the checkin-v1 contract document); replaces that day's",
    response_model=None,
    status_code=201,
    responses={
        200: {"description": "Recorded, replacing the day's earlier check-in."},
        201: {"description": "Recorded: the day's decision with its reasons."},
        **api_error_responses(401, 403, 409, 413, 422),
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _openapi_checkin_schema()}},
        }
    },
)
async def api_checkin(request: Request, app_parts: Parts, runner: RunnerDep) -> Response:
    body = await request.body()
    if len(body) > BODY_MAX:
        return problem(request, 413, "A check-in is a small JSON document; this one is too large.")
    document = parse_json(body, "check-in")
    done = await run_in_threadpool(_record_api, app_parts, runner, document)
    answer = checkin_view(done, app_parts.content)
    return JSONResponse(answer, status_code=200 if done.replaced else 201)


def _record_api(app_parts: AppParts, runner: Runner, document: Any) -> CheckedIn:
    if programme_start(app_parts, runner.person_id) is None:
        raise JournalError("no programme yet: answer the intake assessment first")
    return _record(app_parts, runner, document)


@router.get(
    "/api/v1/checkins",
    tags=["today"],
    summary="The runner's check-ins, newest first (or one day's)",
    response_model=None,
    responses={200: {"description": '{"checkins": [...]}'}, **api_error_responses(400, 401)},
)
def api_checkins(
    request: Request,
    app_parts: Parts,
    runner: RunnerDep,
    when: Annotated[DayText, Query(alias="date", description="Only this day (YYYY-MM-DD).")] = None,
) -> Response:
    wanted = None
    if when is not None:
        day = iso_day(when)
        if day is None:
            return problem(request, 400, f"“{when[:40]}” is not a date: use YYYY-MM-DD.")
        wanted = day.isoformat()
    history = history_view(app_parts.reader(), app_parts.content, runner.person_id)
    found = [c for c in history["checkins"] if wanted is None or c["date"] == wanted]
    found.sort(key=lambda c: c["date"], reverse=True)
    return JSONResponse({"checkins": found})
