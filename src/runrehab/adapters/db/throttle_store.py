"""The log-in throttle's counts and the trusted browsers, behind the ``ThrottleStore`` port.

A failure is counted by one INSERT ... ON CONFLICT DO UPDATE ... RETURNING, so two server
processes counting at the same moment both count (SQLite and PostgreSQL both take it: the
conflicting row is locked until the first one commits), and a wait is only ever lengthened by
another process's, never shortened."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy import Connection, case, delete, func, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite

from runrehab.adapters.db.tables import UtcDateTime, throttle, trusted_devices


class SqlThrottleStore:
    def __init__(self, connection: Callable[[], Connection]) -> None:
        self._connection = connection

    def blocked_until(self, keys: Sequence[str]) -> datetime | None:
        if not keys:
            return None
        query = select(func.max(throttle.c.blocked_until)).where(throttle.c.key.in_(keys))
        found: datetime | None = self._connection().execute(query).scalar()
        return found

    def count_failure(self, key: str, now: datetime, forget_before: datetime) -> int:
        connection = self._connection()
        insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
        stale = throttle.c.last_failure_at < forget_before
        at = literal(now, UtcDateTime)
        first = insert(throttle).values(
            key=key, failures=1, first_failure_at=now, last_failure_at=now, blocked_until=None
        )
        statement = first.on_conflict_do_update(
            index_elements=[throttle.c.key],
            set_={
                "failures": case((stale, 1), else_=throttle.c.failures + 1),
                "first_failure_at": case((stale, at), else_=throttle.c.first_failure_at),
                "last_failure_at": at,
            },
        ).returning(throttle.c.failures)
        return int(connection.execute(statement).scalar_one())

    def block(self, key: str, until: datetime) -> None:
        """Wait until ``until``, or later if another process blocked the key for longer
        meanwhile (two failures counted at once each set their own wait: the longer wins)."""
        at = literal(until, UtcDateTime)
        longer = case(
            (throttle.c.blocked_until.is_(None), at),
            (throttle.c.blocked_until < at, at),
            else_=throttle.c.blocked_until,
        )
        self._connection().execute(
            update(throttle).where(throttle.c.key == key).values(blocked_until=longer)
        )

    def forget(self, key: str) -> None:
        self._connection().execute(delete(throttle).where(throttle.c.key == key))

    def trust_device(
        self, token_hash: str, account_id: str, now: datetime, expires: datetime
    ) -> None:
        connection = self._connection()
        insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
        statement = insert(trusted_devices).values(
            token_hash=token_hash, account_id=account_id, created_at=now, expires_at=expires
        )
        connection.execute(
            statement.on_conflict_do_update(
                index_elements=[trusted_devices.c.token_hash],
                set_={"expires_at": expires},
                where=trusted_devices.c.account_id == account_id,
            )
        )
        connection.execute(delete(trusted_devices).where(trusted_devices.c.expires_at <= now))

    def device_account(self, token_hash: str, now: datetime) -> str | None:
        query = select(trusted_devices.c.account_id).where(
            trusted_devices.c.token_hash == token_hash, trusted_devices.c.expires_at > now
        )
        found = self._connection().execute(query).scalar()
        return None if found is None else str(found)
