"""The ports of the reminders: their storage (on the SQL unit of work as ``reminders``), and the
two ways out, e-mail and Web Push (``adapters.mail``, ``adapters.push``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Protocol

from runrehab.services.accounts.account import AccountUnitOfWork


@dataclass(frozen=True, slots=True)
class ReminderSettings:
    """What a runner chose: each reminder at a local time of day (None: off), and how."""

    person_id: str
    checkin_at: time | None = None
    run_day_at: time | None = None
    by_email: bool = False
    by_push: bool = False


@dataclass(frozen=True, slots=True)
class Recipient:
    """A runner with reminders on: their settings, their account's e-mail and time zone."""

    settings: ReminderSettings
    email: str
    timezone: str


@dataclass(frozen=True, slots=True)
class FeedOwner:
    person_id: str
    timezone: str


class ReminderStore(Protocol):
    def feed_owner(self, token_hash: str) -> FeedOwner | None: ...
    def set_feed(self, person_id: str, token_hash: str, at: datetime) -> None:
        """Keep the feed's token hash, replacing the runner's earlier one."""
        ...

    def has_feed(self, person_id: str) -> bool: ...
    def settings(self, person_id: str) -> ReminderSettings | None: ...
    def save_settings(self, settings: ReminderSettings, at: datetime) -> None: ...
    def recipients(self) -> list[Recipient]:
        """Every runner with at least one reminder on."""
        ...

    def add_subscription(self, person_id: str, endpoint: str, document: str, at: datetime) -> None:
        """Keep a browser's subscription (a browser already kept moves to this runner)."""
        ...

    def remove_subscription(self, person_id: str, endpoint: str) -> bool: ...
    def subscriptions(self, person_id: str) -> list[str]:
        """The runner's subscriptions, each the JSON document the browser gave."""
        ...

    def claim_sent(self, person_id: str, kind: str, day: date, at: datetime) -> bool:
        """Record the reminder as sent; False when it was already (never twice a day)."""
        ...

    def was_sent(self, person_id: str, kind: str, day: date) -> bool: ...
    def unclaim_sent(self, person_id: str, kind: str, day: date) -> None: ...
    def push_keys(self) -> tuple[str, str] | None:
        """The server's VAPID key pair (private PEM, public application server key)."""
        ...

    def keep_push_keys(self, private_key: str, public_key: str, at: datetime) -> tuple[str, str]:
        """Keep the pair unless one is kept already; the pair kept."""
        ...


class Mailer(Protocol):
    def send(self, to: str, subject: str, body: str) -> None:
        """Send a plain-text e-mail (raises ``OSError`` or ``smtplib.SMTPException``)."""
        ...


class Pusher(Protocol):
    def send(self, subscription: str, title: str, body: str, url: str) -> bool:
        """Push a notification to the subscription (JSON); False when the browser's push
        service says the subscription is gone."""
        ...


class ReminderUnitOfWork(AccountUnitOfWork, Protocol):
    """A unit of work that reaches the journal, the accounts and the reminders (the SQL one)."""

    reminders: ReminderStore

    def rollback(self) -> None: ...
