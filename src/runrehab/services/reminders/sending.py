"""Who is due a reminder, and sending them: a runner's reminder is due once their own local
time of day has reached the one they chose, if it was not sent on their day already; the
run-day reminder only on the days the planner gives a run, the check-in reminder only until
the day's check-in is in. Each is recorded as sent before it goes: never twice a day."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from runrehab.errors import RunRehabError
from runrehab.services.content import ProgrammeContent
from runrehab.services.journal.day_plan import plan_for_day
from runrehab.services.ports import Clock, Repository
from runrehab.services.reminders.ports import Mailer, Pusher, Recipient, ReminderUnitOfWork

REMINDERS = "reminders.send_due"
"""The kind of job that sends the reminders due (``services.jobs``): ``runrehab worker``
runs one each minute; a web process that runs its own jobs has a thread for it instead."""
EVERY = "* * * * *"
"""When ``runrehab worker`` runs a ``REMINDERS`` job (a cron line: each minute)."""

CHECKIN = "checkin"
RUN_DAY = "run_day"
KINDS = (CHECKIN, RUN_DAY)
LINKS = {CHECKIN: "/checkin", RUN_DAY: "/today"}

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class DueReminder:
    person_id: str
    kind: str
    """``checkin`` or ``run_day``."""
    day: date
    """The runner's own day it is for."""
    email: str
    by_email: bool
    by_push: bool


def due_reminders(
    uow: ReminderUnitOfWork, content: ProgrammeContent, now: datetime
) -> list[DueReminder]:
    """The reminders due at ``now`` (an aware instant), not sent yet."""
    due = []
    with uow:
        for recipient in uow.reminders.recipients():
            due += _due_for(uow, content, recipient, now)
    return due


def _due_for(
    uow: ReminderUnitOfWork, content: ProgrammeContent, who: Recipient, now: datetime
) -> list[DueReminder]:
    chosen = who.settings
    local = now.astimezone(ZoneInfo(who.timezone))
    day, clock_time = local.date(), local.time().replace(tzinfo=None)
    found = []
    times: dict[str, time | None] = {CHECKIN: chosen.checkin_at, RUN_DAY: chosen.run_day_at}
    for kind, at in times.items():
        if at is None or clock_time < at:
            continue
        if uow.reminders.was_sent(chosen.person_id, kind, day):
            continue
        if kind == CHECKIN and uow.repo.get_checkin(chosen.person_id, day) is not None:
            continue  # already checked in: nothing to remind
        if kind == RUN_DAY and not runs_on(uow.repo, content, chosen.person_id, day):
            continue
        found.append(
            DueReminder(chosen.person_id, kind, day, who.email, chosen.by_email, chosen.by_push)
        )
    return found


def runs_on(repo: Repository, content: ProgrammeContent, person_id: str, day: date) -> bool:
    """Whether the planner gives the runner a run on ``day``, as their Today page has it (no
    programme, a stopped one, or a day before it: no)."""
    programme = repo.current_programme(person_id)
    if programme is None:
        return False
    try:
        session = plan_for_day(repo, content, programme, day).plan.session
    except (RunRehabError, ValueError):
        return False
    return session is not None and session.run is not None


@dataclass(frozen=True, slots=True)
class Sent:
    reminder: DueReminder
    emails: int
    pushes: int


def send_due_reminders(
    unit_of_work: Callable[[], ReminderUnitOfWork],
    content: ProgrammeContent,
    clock: Clock,
    mailer: Mailer | None,
    pusher: Pusher | None,
) -> list[Sent]:
    """Send every reminder due now, by the ways each runner chose (those this server has);
    each is recorded first, so a second pass (or a second server) never sends it again. A
    reminder that could not go at all is forgotten again, to be tried on the next pass."""
    now = clock.now()
    words = content.words
    sent = []
    for due in due_reminders(unit_of_work(), content, now):
        with unit_of_work() as uow:
            claimed = uow.reminders.claim_sent(due.person_id, due.kind, due.day, now)
            uow.commit()
            subscriptions = uow.reminders.subscriptions(due.person_id) if due.by_push else []
        if not claimed:
            continue
        title = words.say(f"reminders.message.{due.kind}_subject")
        body = words.say(f"reminders.message.{due.kind}_body")
        emails = pushes = 0
        if due.by_email and mailer is not None:
            try:
                mailer.send(due.email, title, body)
                emails = 1
            except Exception:  # the mail server's failure must not stop the others
                log.exception("could not e-mail a reminder")
        if pusher is not None:
            for subscription in subscriptions:
                try:
                    if pusher.send(subscription, title, body, LINKS[due.kind]):
                        pushes += 1
                    else:
                        _forget_gone(unit_of_work(), due.person_id, subscription)
                except Exception:
                    log.exception("could not push a reminder")
        if emails + pushes == 0:
            with unit_of_work() as uow:
                uow.reminders.unclaim_sent(due.person_id, due.kind, due.day)
                uow.commit()
            continue
        sent.append(Sent(due, emails, pushes))
    return sent


def _forget_gone(uow: ReminderUnitOfWork, person_id: str, subscription: str) -> None:
    endpoint = str(json.loads(subscription).get("endpoint", ""))
    with uow:
        uow.reminders.remove_subscription(person_id, endpoint)
        uow.commit()
