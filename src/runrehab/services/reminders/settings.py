"""The reminders page and the private calendar feed: what a runner chose, saving a new choice
(refused whole, in words naming the field, when a time or a way is not right), and the feed's
secret address, made again on request (the old address then stops working)."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from runrehab.content.words import Words
from runrehab.errors import JournalError, RunRehabError
from runrehab.services.content import ProgrammeContent
from runrehab.services.ports import Clock
from runrehab.services.progress.downloads import CalendarView, calendar_view
from runrehab.services.reminders.ports import ReminderSettings, ReminderUnitOfWork

CHANNELS = ("email", "push")
FEED_DAYS = 28  # as the calendar download
TOKEN_BYTES = 32
ENDPOINT_MAX = 1000
SUBSCRIPTION_MAX = 4000


class ReminderRefused(RunRehabError, ValueError):
    """A choice that cannot be kept: the words say why, ``field`` names the field."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True, slots=True)
class RemindersPage:
    checkin_at: str
    """``HH:MM``, or empty: off."""
    run_day_at: str
    by_email: bool
    by_push: bool
    timezone: str
    push_key: str
    """The server's application server key for Web Push (empty: push cannot be offered)."""
    devices: int
    """The browsers subscribed to push."""
    has_feed: bool
    feed_token: str = ""
    """Only just after the address was made: the token is never kept, so it is shown once."""
    saved: bool = False


def _text(at: time | None) -> str:
    return "" if at is None else at.strftime("%H:%M")


def reminders_page(
    uow: ReminderUnitOfWork,
    person_id: str,
    timezone: str,
    *,
    feed_token: str = "",
    saved: bool = False,
) -> RemindersPage:
    with uow:
        chosen = uow.reminders.settings(person_id) or ReminderSettings(person_id)
        keys = uow.reminders.push_keys()
        return RemindersPage(
            checkin_at=_text(chosen.checkin_at),
            run_day_at=_text(chosen.run_day_at),
            by_email=chosen.by_email,
            by_push=chosen.by_push,
            timezone=timezone,
            push_key="" if keys is None else keys[1],
            devices=len(uow.reminders.subscriptions(person_id)),
            has_feed=uow.reminders.has_feed(person_id),
            feed_token=feed_token,
            saved=saved,
        )


def read_time(words: Words, text: str, field: str) -> time | None:
    """``HH:MM`` (24-hour) as a time of day; empty: off."""
    text = text.strip()
    if not text:
        return None
    hours, colon, minutes = text.partition(":")
    if (
        colon
        and hours.isdigit()
        and minutes.isdigit()
        and len(minutes) == 2
        and len(hours) in (1, 2)
        and int(hours) < 24
        and int(minutes) < 60
    ):
        return time(int(hours), int(minutes))
    raise ReminderRefused(words.say("reminders.refused.time", given=repr(text[:20])), field)


def choose_reminders(
    uow: ReminderUnitOfWork,
    clock: Clock,
    words: Words,
    person_id: str,
    checkin_at: str,
    run_day_at: str,
    channels: Sequence[str],
) -> ReminderSettings:
    """Keep the runner's choice, or refuse it whole (``ReminderRefused``)."""
    unknown = [c for c in channels if c not in CHANNELS]
    if unknown:
        raise ReminderRefused(
            words.say("reminders.refused.channel", given=repr(unknown[0][:20])), "channel"
        )
    checkin = read_time(words, checkin_at, "checkin_at")
    run_day = read_time(words, run_day_at, "run_day_at")
    if (checkin or run_day) is not None and not channels:
        raise ReminderRefused(words.say("reminders.refused.no_channel"), "channel")
    chosen = ReminderSettings(
        person_id, checkin, run_day, by_email="email" in channels, by_push="push" in channels
    )
    with uow:
        uow.reminders.save_settings(chosen, clock.now())
        uow.commit()
    return chosen


# --- the calendar feed ----------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_feed(uow: ReminderUnitOfWork, clock: Clock, person_id: str) -> str:
    """A new secret address for the runner's feed (the token: 32 random bytes); only its
    SHA-256 is kept, and the earlier address stops working."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with uow:
        uow.reminders.set_feed(person_id, token_hash(token), clock.now())
        uow.commit()
    return token


def feed_calendar(
    uow: ReminderUnitOfWork, content: ProgrammeContent, token: str, now: datetime
) -> CalendarView | None:
    """The coming sessions of the runner whose feed ``token`` is, from their own today, as the
    calendar download has them (the same planner); None for a token that is no feed's."""
    if not token or len(token) > 200:
        return None
    with uow:
        owner = uow.reminders.feed_owner(token_hash(token))
    if owner is None:
        return None
    today = now.astimezone(ZoneInfo(owner.timezone)).date()
    try:
        return calendar_view(uow, content, owner.person_id, today, FEED_DAYS)
    except JournalError:  # no programme (yet, or any more): an empty calendar
        return CalendarView(owner.person_id, ())


# --- Web Push subscriptions -----------------------------------------------------------------------


def add_subscription(
    uow: ReminderUnitOfWork,
    clock: Clock,
    words: Words,
    person_id: str,
    endpoint: str,
    document: dict[str, object],
) -> None:
    """Keep a browser's push subscription (its JSON as the browser gave it)."""
    if not endpoint.startswith("https://") or len(endpoint) > ENDPOINT_MAX:
        raise ReminderRefused(words.say("reminders.refused.endpoint"), "endpoint")
    text = json.dumps(document, separators=(",", ":"), sort_keys=True)
    if len(text) > SUBSCRIPTION_MAX:
        raise ReminderRefused(words.say("reminders.refused.endpoint"), "endpoint")
    with uow:
        uow.reminders.add_subscription(person_id, endpoint, text, clock.now())
        uow.commit()


def remove_subscription(uow: ReminderUnitOfWork, person_id: str, endpoint: str) -> bool:
    """Forget the runner's subscription; False when they had none at ``endpoint``."""
    with uow:
        removed = uow.reminders.remove_subscription(person_id, endpoint)
        uow.commit()
    return removed


def push_key(
    uow: ReminderUnitOfWork, clock: Clock, make_keys: Callable[[], tuple[str, str]]
) -> tuple[str, str]:
    """The server's VAPID key pair, made (by ``make_keys``) and kept at first start."""
    with uow:
        found = uow.reminders.push_keys()
        if found is not None:
            return found
        private, public = make_keys()
        kept = uow.reminders.keep_push_keys(private, public, clock.now())
        uow.commit()
    return kept
