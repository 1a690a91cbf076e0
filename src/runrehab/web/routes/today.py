"""Today: can I run, today's exercises with set ticks and a hold timer, the run with its
walk/run interval timer, and what is still to report. Also the history, for the API.

The page only shows ``services.journal.today.today_view``: every clinical answer (the run
answer, the session, the reasons) comes from there. A stopped programme shows only where to go.
``?date=`` looks at another day: not after the runner's today, not before the programme.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from runrehab.errors import JournalError
from runrehab.services.journal.questionnaires import due_view
from runrehab.services.journal.today import history_view, today_view
from runrehab.web.deps import AppParts, Csrf, Parts, Runner, RunnerDep
from runrehab.web.errors import BadRequest
from runrehab.web.query import DayText, iso_day
from runrehab.web.rendering import nice_date, render
from runrehab.web.routes.system import api_error_responses

router = APIRouter(dependencies=[Csrf])

RED_FLAG = ("emergency", "urgent")
ACTION_WORDS = {
    "continue": "Carry on as planned.",
    "advance": "Well done: you move on to the next phase.",
    "climb": "Well done: one rung up the walk/run ladder.",
    "hold": "Hold: stay at this level for now.",
    "regress": "A step back: an easier level for now.",
    "refer": "Book an assessment with a physiotherapist or doctor.",
    "stop": "The programme stops here.",
}


class BadDay(BadRequest):
    """A ``date`` the runner may not ask about; the message says why, in plain words (400)."""


def programme_start(app_parts: AppParts, person_id: str) -> date | None:
    """The first day of the runner's current programme, or None when there is none yet."""
    with app_parts.reader() as uow:
        programme = uow.repo.current_programme(person_id)
    return None if programme is None else programme.started_on


def parse_day(text: str | None, today: date, started: date | None) -> date:
    """``text`` (YYYY-MM-DD, or empty for today) as a day between the programme's first day
    and the runner's today; BadDay naming the problem otherwise."""
    if not text:
        return today
    day = iso_day(text)
    if day is None:
        raise BadDay(f"“{text[:40]}” is not a date: use the form YYYY-MM-DD.")
    if day > today:
        raise BadDay(
            f"{nice_date(day, True)} has not happened yet: today is {nice_date(today, True)}."
        )
    if started is not None and day < started:
        raise BadDay(
            f"{nice_date(day, True)} is before your programme started ({nice_date(started, True)})."
        )
    return day


def query_day(text: str | None, today: date, started: date | None) -> date:
    """An API's ``date`` parameter as ``parse_day`` reads it, but only left out is the runner's
    today: ``?date=`` (empty) is not a day either (a page's empty field still means today)."""
    if text == "":
        raise BadDay("“” is not a date: use the form YYYY-MM-DD, or leave it out for today.")
    return parse_day(text, today, started)


# --- the page ---------------------------------------------------------------------------------


@router.get("/today", include_in_schema=False)
def today_page(
    request: Request,
    app_parts: Parts,
    runner: RunnerDep,
    when: str | None = Query(None, alias="date"),
) -> Response:
    started = programme_start(app_parts, runner.person_id)
    if started is None:
        return RedirectResponse("/start", status_code=303)
    if not when and runner.today < started:
        return render(request, "today/not_started.html", {"started": started}, active="today")
    day = parse_day(when, runner.today, started)
    try:
        view = today_view(app_parts.reader(), app_parts.content, day, runner.person_id)
    except JournalError:  # the programme ended between the two reads
        return RedirectResponse("/start", status_code=303)
    if view["programme"]["status"] == "stopped":
        return render(request, "today/stopped.html", _stopped_context(view), active="today")
    context = _today_context(app_parts, runner, view, day)
    return render(request, "today/today.html", context, active="today")


def _stopped_context(view: dict[str, Any]) -> dict[str, Any]:
    decision = view.get("status_decision") or {}
    return {"view": view, "red_flag": decision.get("disposition", "urgent") in RED_FLAG}


def _today_context(
    app_parts: AppParts, runner: Runner, view: dict[str, Any], day: date
) -> dict[str, Any]:
    started = date.fromisoformat(view["programme"]["started"])
    session = view["session"]
    shown = [*session.get("exercises", []), *session.get("after_run", [])]
    catalogue = app_parts.content.catalogue.exercises
    following = day + timedelta(days=1)
    return {
        "view": view,
        "day": day,
        "is_today": day == runner.today,
        "previous": day - timedelta(days=1) if day > started else None,
        "next": following if day < runner.today else None,
        "next_href": "/today" if following == runner.today else f"/today?date={following}",
        "run_answer": view["run_answer"]["words"],
        "run_style": view["run_answer"]["style"],
        "guides": {e["id"]: catalogue[e["id"]] for e in shown if e["id"] in catalogue},
        "asks": _asks(app_parts, runner, view, day),
    }


def _asks(
    app_parts: AppParts, runner: Runner, view: dict[str, Any], day: date
) -> list[dict[str, str]]:
    """The view's asks as links a person can follow (the view's own text names commands)."""
    links: list[dict[str, str]] = []
    for ask in view.get("asks", []):
        if ask["kind"] == "checkin":
            links.extend(_checkin_link(d, runner.today) for d in ask["dates"])
        elif ask["kind"] == "run_report":
            links.extend(
                {
                    "href": f"/checkin?date={d}",
                    "text": f"Your watch recorded a run on {nice_date(d)}: add it to that "
                    "day's check-in (how much it hurt and how soon it settled).",
                }
                for d in ask["dates"]
            )
        elif ask["kind"] == "readiness_check":
            check = next(c for c in view["readiness_checks"] if c["id"] == ask["gate"])
            links.append(
                {
                    "href": f"#test-{check['id']}",
                    "text": f"Readiness check, {check['when']}: {check['text']}",
                }
            )
        elif ask["kind"] == "reading":
            titles = {r["id"]: r["title"] for r in view["session"].get("reading", [])}
            links.extend(
                {"href": f"#lesson-{i}", "text": f"Still to read: {titles.get(i, i)}"}
                for i in ask["lessons"]
            )
    if any(a["kind"] == "questionnaire" for a in view.get("asks", [])):
        links.extend(_questionnaire_links(app_parts, runner, day))
    return links


def _checkin_link(day_text: str, today: date) -> dict[str, str]:
    if day_text == today.isoformat():
        return {
            "href": "/checkin",
            "text": "Check in today: how your knee is this morning decides today's run.",
        }
    return {
        "href": f"/checkin?date={day_text}",
        "text": f"No check-in for {nice_date(day_text)}. If you remember how the knee was, "
        "add it; the programme does not guess.",
    }


def _questionnaire_links(app_parts: AppParts, runner: Runner, day: date) -> list[dict[str, str]]:
    due = due_view(app_parts.reader(), app_parts.content, day, runner.person_id)
    suffix = "" if day == runner.today else f"?date={day.isoformat()}"
    return [
        {
            "href": f"/questionnaires/{d['instrument']}{suffix}",
            "text": f"{d['name']} is due"
            + (": your starting score, to compare with later." if d["baseline"] else "."),
        }
        for d in due["due"]
    ]


# --- API --------------------------------------------------------------------------------------


@router.get(
    "/api/v1/today",
    tags=["today"],
    summary="What to do on a day: can I run, the session, the reasons, what to report",
    response_model=None,
    responses={
        200: {"description": "The today document (the contract's fields and more)."},
        **api_error_responses(400, 401, 409),
    },
)
def api_today(
    request: Request,
    app_parts: Parts,
    runner: RunnerDep,
    when: Annotated[
        DayText,
        Query(
            alias="date",
            description="The day (YYYY-MM-DD), from the programme's first to the runner's "
            "today; default the runner's today. Any other day is a 400 saying why.",
        ),
    ] = None,
) -> Response:
    started = programme_start(app_parts, runner.person_id)
    if started is None:
        raise JournalError("no programme yet: start one first (POST the intake assessment)")
    day = query_day(when, runner.today, started)
    view = today_view(app_parts.reader(), app_parts.content, day, runner.person_id)
    return JSONResponse(view)


@router.get(
    "/api/v1/history",
    tags=["today"],
    summary="Every assessment, check-in, questionnaire, note and decision, in date order",
    response_model=None,
    responses={200: {"description": "The history document."}, **api_error_responses(401)},
)
def api_history(app_parts: Parts, runner: RunnerDep) -> dict[str, Any]:
    return history_view(app_parts.reader(), app_parts.content, runner.person_id)
