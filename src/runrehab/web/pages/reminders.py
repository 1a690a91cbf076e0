"""The reminders page (a daily check-in reminder and a run-day reminder, at a time of the
runner's own day, by e-mail and/or a notification on this device), the private calendar feed's
address (made again on request), and the feed itself: ``/feed/{token}.ics`` needs no sign-in,
since a calendar app cannot sign in; the secret token in the address is the credential.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from runrehab.services.reminders.settings import (
    ReminderRefused,
    choose_reminders,
    feed_calendar,
    new_feed,
    reminders_page,
)
from runrehab.web import downloads
from runrehab.web.deps import Csrf, Parts, RunnerDep
from runrehab.web.rendering import form_lists, render

router = APIRouter(dependencies=[Csrf])


def _page(
    request: Request,
    app_parts: Parts,
    runner: RunnerDep,
    *,
    token: str = "",
    saved: bool = False,
    error: ReminderRefused | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    view = reminders_page(
        app_parts.writer(), runner.person_id, runner.account.timezone, feed_token=token, saved=saved
    )
    feed = str(request.url_for("calendar_feed", token=token)) if token else ""
    context = {"view": view, "feed_url": feed, "error": error, "typed": typed or {}}
    status = 400 if error is not None else 200
    return render(request, "reminders.html", context, status_code=status, active="account")


@router.get("/reminders", include_in_schema=False)
def reminders(
    request: Request, app_parts: Parts, runner: RunnerDep, saved: bool = False
) -> Response:
    return _page(request, app_parts, runner, saved=saved)


@router.post("/reminders", include_in_schema=False)
async def reminders_submit(request: Request, app_parts: Parts, runner: RunnerDep) -> Response:
    form = await form_lists(request)
    checkin_at = (form.get("checkin_at") or [""])[-1]
    run_day_at = (form.get("run_day_at") or [""])[-1]
    try:
        choose_reminders(
            app_parts.writer(),
            app_parts.clock,
            app_parts.content.words,
            runner.person_id,
            checkin_at,
            run_day_at,
            form.get("channel", []),
        )
    except ReminderRefused as err:
        typed = {"checkin_at": checkin_at[:20], "run_day_at": run_day_at[:20]}
        return _page(request, app_parts, runner, error=err, typed=typed)
    return RedirectResponse("/reminders?saved=true", status_code=303)


@router.post("/reminders/feed", include_in_schema=False)
def reminders_feed(request: Request, app_parts: Parts, runner: RunnerDep) -> Response:
    token = new_feed(app_parts.writer(), app_parts.clock, runner.person_id)
    return _page(request, app_parts, runner, token=token)


@router.get("/feed/{token}.ics", include_in_schema=False, name="calendar_feed")
def calendar_feed(app_parts: Parts, token: str) -> Response:
    content = app_parts.content
    now = app_parts.clock.now()
    view = feed_calendar(app_parts.reader(), content, token, now)
    if view is None:
        raise HTTPException(status_code=404)
    response = downloads.calendar(view, content, now, "runrehab.ics")
    response.headers["content-disposition"] = "; ".join(("inline", 'filename="runrehab.ics"'))
    return response
