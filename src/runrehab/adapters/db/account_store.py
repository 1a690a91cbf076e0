"""Storage for the web app's accounts and sessions, behind the ``AccountStore`` port (on the SQL
unit of work beside the journal)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, bindparam, delete, insert, select, update

from runrehab.adapters.db.tables import accounts, web_sessions
from runrehab.services.accounts.account import Account, WebSession

_ACCOUNT = select(accounts).where(accounts.c.id == bindparam("account_id"))
_SIGNED_IN = (
    select(
        accounts,
        web_sessions.c.csrf_token.label("session_csrf_token"),
        web_sessions.c.created_at.label("session_created_at"),
        web_sessions.c.expires_at.label("session_expires_at"),
    )
    .join(accounts, accounts.c.id == web_sessions.c.account_id)
    .where(web_sessions.c.token_hash == bindparam("token_hash"))
)
"""Built once: asked on every request, where building a query costs more than running it."""


class SqlAccountStore:
    def __init__(self, connection: Callable[[], Connection]) -> None:
        self._connection = connection

    def add_account(self, account: Account) -> None:
        self._connection().execute(
            insert(accounts).values(
                id=account.id,
                email=account.email,
                password_hash=account.password_hash,
                person_id=account.person_id,
                timezone=account.timezone,
                created_at=account.created_at,
                password_changed_at=account.password_changed_at,
                language=account.language,
                units=account.units,
            )
        )

    def account_by_email(self, email: str) -> Account | None:
        row = self._connection().execute(select(accounts).where(accounts.c.email == email)).first()
        return None if row is None else _account(row)

    def get_account(self, account_id: str) -> Account | None:
        row = self._connection().execute(_ACCOUNT, {"account_id": account_id}).first()
        return None if row is None else _account(row)

    def set_password(self, account_id: str, password_hash: str, changed_at: datetime) -> None:
        self._connection().execute(
            update(accounts)
            .where(accounts.c.id == account_id)
            .values(password_hash=password_hash, password_changed_at=changed_at)
        )

    def set_timezone(self, account_id: str, timezone: str) -> None:
        self._connection().execute(
            update(accounts).where(accounts.c.id == account_id).values(timezone=timezone)
        )

    def set_preferences(self, account_id: str, language: str, units: str) -> None:
        self._connection().execute(
            update(accounts)
            .where(accounts.c.id == account_id)
            .values(language=language, units=units)
        )

    def add_session(self, session: WebSession) -> None:
        self._connection().execute(
            insert(web_sessions).values(
                token_hash=session.token_hash,
                account_id=session.account_id,
                csrf_token=session.csrf_token,
                created_at=session.created_at,
                expires_at=session.expires_at,
            )
        )

    def signed_in(self, token_hash: str) -> tuple[WebSession, Account] | None:
        """The session and its account, in one query (every signed-in request asks)."""
        row = self._connection().execute(_SIGNED_IN, {"token_hash": token_hash}).first()
        if row is None:
            return None
        session = WebSession(
            token_hash=token_hash,
            account_id=row.id,
            csrf_token=row.session_csrf_token,
            created_at=row.session_created_at,
            expires_at=row.session_expires_at,
        )
        return session, _account(row)

    def delete_session(self, token_hash: str) -> None:
        self._connection().execute(
            delete(web_sessions).where(web_sessions.c.token_hash == token_hash)
        )

    def delete_expired(self, account_id: str, now: datetime) -> None:
        self._connection().execute(
            delete(web_sessions).where(
                web_sessions.c.account_id == account_id, web_sessions.c.expires_at <= now
            )
        )

    def delete_sessions(self, account_id: str, keep: str | None = None) -> None:
        query = delete(web_sessions).where(web_sessions.c.account_id == account_id)
        if keep is not None:
            query = query.where(web_sessions.c.token_hash != keep)
        self._connection().execute(query)


def _account(row: Row[Any]) -> Account:
    return Account(
        id=row.id,
        email=row.email,
        person_id=row.person_id,
        password_hash=row.password_hash,
        timezone=row.timezone,
        created_at=row.created_at,
        password_changed_at=row.password_changed_at,
        language=row.language,
        units=row.units,
    )
