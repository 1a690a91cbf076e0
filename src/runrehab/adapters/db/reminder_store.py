"""Storage for the reminders and the calendar feed, behind the ``ReminderStore`` port (on the
SQL unit of work beside the journal). Every row but the server's push keys hangs off the
person, so it goes when they delete themselves."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Connection, delete, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from runrehab.adapters.db.tables import (
    accounts,
    calendar_feeds,
    push_keys,
    push_subscriptions,
    reminder_settings,
    reminders_sent,
)
from runrehab.services.reminders.ports import FeedOwner, Recipient, ReminderSettings


class SqlReminderStore:
    def __init__(self, connection: Callable[[], Connection]) -> None:
        self._connection = connection

    def _insert(self) -> Any:
        connection = self._connection()
        return postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert

    # --- the feed ---------------------------------------------------------------------------

    def feed_owner(self, token_hash: str) -> FeedOwner | None:
        query = (
            select(calendar_feeds.c.person_id, accounts.c.timezone)
            .join(accounts, accounts.c.person_id == calendar_feeds.c.person_id)
            .where(calendar_feeds.c.token_hash == token_hash)
        )
        row = self._connection().execute(query).first()
        return None if row is None else FeedOwner(row.person_id, row.timezone)

    def set_feed(self, person_id: str, token_hash: str, at: datetime) -> None:
        statement = self._insert()(calendar_feeds).values(
            person_id=person_id, token_hash=token_hash, created_at=at
        )
        self._connection().execute(
            statement.on_conflict_do_update(
                index_elements=[calendar_feeds.c.person_id],
                set_={"token_hash": token_hash, "created_at": at},
            )
        )

    def has_feed(self, person_id: str) -> bool:
        query = select(calendar_feeds.c.person_id).where(calendar_feeds.c.person_id == person_id)
        return self._connection().execute(query).first() is not None

    # --- the reminders chosen ---------------------------------------------------------------

    def settings(self, person_id: str) -> ReminderSettings | None:
        query = select(reminder_settings).where(reminder_settings.c.person_id == person_id)
        row = self._connection().execute(query).first()
        return None if row is None else _settings(row)

    def save_settings(self, settings: ReminderSettings, at: datetime) -> None:
        values = {
            "checkin_at": _hhmm(settings.checkin_at),
            "run_day_at": _hhmm(settings.run_day_at),
            "by_email": settings.by_email,
            "by_push": settings.by_push,
            "updated_at": at,
        }
        statement = self._insert()(reminder_settings).values(person_id=settings.person_id, **values)
        self._connection().execute(
            statement.on_conflict_do_update(
                index_elements=[reminder_settings.c.person_id], set_=values
            )
        )

    def recipients(self) -> list[Recipient]:
        query = (
            select(reminder_settings, accounts.c.email, accounts.c.timezone)
            .join(accounts, accounts.c.person_id == reminder_settings.c.person_id)
            .where(
                or_(
                    reminder_settings.c.checkin_at.is_not(None),
                    reminder_settings.c.run_day_at.is_not(None),
                )
            )
            .order_by(reminder_settings.c.person_id)
        )
        return [
            Recipient(_settings(row), row.email, row.timezone)
            for row in self._connection().execute(query)
        ]

    # --- push subscriptions -----------------------------------------------------------------

    def add_subscription(self, person_id: str, endpoint: str, document: str, at: datetime) -> None:
        values = {"person_id": person_id, "subscription": document, "created_at": at}
        statement = self._insert()(push_subscriptions).values(endpoint=endpoint, **values)
        self._connection().execute(
            statement.on_conflict_do_update(
                index_elements=[push_subscriptions.c.endpoint], set_=values
            )
        )

    def remove_subscription(self, person_id: str, endpoint: str) -> bool:
        result = self._connection().execute(
            delete(push_subscriptions).where(
                push_subscriptions.c.person_id == person_id,
                push_subscriptions.c.endpoint == endpoint,
            )
        )
        return result.rowcount > 0

    def subscriptions(self, person_id: str) -> list[str]:
        query = (
            select(push_subscriptions.c.subscription)
            .where(push_subscriptions.c.person_id == person_id)
            .order_by(push_subscriptions.c.id)
        )
        return [str(text) for text in self._connection().execute(query).scalars()]

    # --- what was sent ----------------------------------------------------------------------

    def claim_sent(self, person_id: str, kind: str, day: date, at: datetime) -> bool:
        statement = self._insert()(reminders_sent).values(
            person_id=person_id, kind=kind, day=day, sent_at=at
        )
        claimed = statement.on_conflict_do_nothing().returning(reminders_sent.c.day)
        return self._connection().execute(claimed).first() is not None

    def was_sent(self, person_id: str, kind: str, day: date) -> bool:
        query = select(reminders_sent.c.day).where(
            reminders_sent.c.person_id == person_id,
            reminders_sent.c.kind == kind,
            reminders_sent.c.day == day,
        )
        return self._connection().execute(query).first() is not None

    def unclaim_sent(self, person_id: str, kind: str, day: date) -> None:
        self._connection().execute(
            delete(reminders_sent).where(
                reminders_sent.c.person_id == person_id,
                reminders_sent.c.kind == kind,
                reminders_sent.c.day == day,
            )
        )

    # --- the server's push keys -------------------------------------------------------------

    def push_keys(self) -> tuple[str, str] | None:
        row = self._connection().execute(select(push_keys).where(push_keys.c.id == 1)).first()
        return None if row is None else (row.private_key, row.public_key)

    def keep_push_keys(self, private_key: str, public_key: str, at: datetime) -> tuple[str, str]:
        statement = self._insert()(push_keys).values(
            id=1, private_key=private_key, public_key=public_key, created_at=at
        )
        self._connection().execute(statement.on_conflict_do_nothing())
        kept = self.push_keys()
        assert kept is not None
        return kept


def _hhmm(at: time | None) -> str | None:
    return None if at is None else at.strftime("%H:%M")


def _time(text: str | None) -> time | None:
    return None if not text else time.fromisoformat(text)


def _settings(row: Any) -> ReminderSettings:
    return ReminderSettings(
        person_id=row.person_id,
        checkin_at=_time(row.checkin_at),
        run_day_at=_time(row.run_day_at),
        by_email=bool(row.by_email),
        by_push=bool(row.by_push),
    )
