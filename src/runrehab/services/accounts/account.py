"""Accounts for the web app: sign up, sign in, sessions, password change, deleting oneself.

One account per person. The password is kept only as an argon2id hash (the ``PasswordHasher``
port; ``runrehab.adapters.passwords`` implements it) and a session is known to the database
only by the SHA-256 of its token, so neither a database copy nor a log leaks a way in.
Signing in with an unknown e-mail and with a wrong password fail alike, after the same work.

Each use case is one trip of a page, an API operation or a command: signing up or in opens the
session and trusts the browser in the same call, and hands back the view to answer with
(``services.accounts.views``). Every refusal is said in the words of ``accounts.toml``.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from types import TracebackType
from typing import Protocol, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from runrehab.content import locale
from runrehab.content.words import Words
from runrehab.errors import RunRehabError
from runrehab.services.accounts import throttle
from runrehab.services.accounts.throttle import ThrottleStore
from runrehab.services.accounts.views import (
    AccountPage,
    AccountView,
    SessionView,
    moment_text,
    zone_choices,
)
from runrehab.services.ports import Clock, Repository
from runrehab.services.records import Person
from runrehab.text import text_problem

PASSWORD_MIN = 10
PASSWORD_MAX = 256
"""Long enough for a pass-phrase; capped because hashing a megabyte is a denial of service."""
EMAIL_MAX = 254
NAME_MAX = 80
SESSION_DAYS = 30
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_COMMON = frozenset(
    {
        "password123",
        "1234567890",
        "0123456789",
        "qwertyuiop",
        "iloveyou12",
        "runnersknee",
        "letmein123",
        "passw0rd12",
        "abcdefghij",
        "password12",
        "qwerty1234",
        "1q2w3e4r5t",
    }
)


class AccountError(RunRehabError, ValueError):
    """A sign-up, sign-in or password change that cannot be done; ``field`` names the form
    field at fault (``None`` when it is the whole request)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        self.field = field
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class Account:
    id: str
    email: str
    person_id: str
    password_hash: str
    timezone: str
    created_at: datetime
    password_changed_at: datetime
    language: str = locale.DEFAULT
    """The language the runner reads RunRehab in (``content.locale.LANGUAGES``)."""
    units: str = locale.DEFAULT_UNITS
    """How their distances are shown: "km" or "mi" (``content.locale.UNITS``)."""


@dataclass(frozen=True, slots=True)
class WebSession:
    token_hash: str
    account_id: str
    csrf_token: str
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class SignedIn:
    """Who a request comes from: the account, and the session it signed in with."""

    account: Account
    session: WebSession


class AccountStore(Protocol):
    def add_account(self, account: Account) -> None: ...
    def account_by_email(self, email: str) -> Account | None: ...
    def get_account(self, account_id: str) -> Account | None: ...
    def set_password(self, account_id: str, password_hash: str, changed_at: datetime) -> None: ...
    def set_timezone(self, account_id: str, timezone: str) -> None: ...
    def set_preferences(self, account_id: str, language: str, units: str) -> None: ...
    def add_session(self, session: WebSession) -> None: ...
    def signed_in(self, token_hash: str) -> tuple[WebSession, Account] | None:
        """The session ``token_hash`` names and its account (None when either is gone)."""
        ...

    def delete_session(self, token_hash: str) -> None: ...
    def delete_expired(self, account_id: str, now: datetime) -> None: ...
    def delete_sessions(self, account_id: str, keep: str | None = None) -> None:
        """Every session of the account but ``keep`` (a token hash), e.g. after a password
        change."""
        ...


class AccountUnitOfWork(Protocol):
    """A unit of work that also reaches the accounts (the SQL one does)."""

    repo: Repository
    accounts: AccountStore
    throttle: ThrottleStore

    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def commit(self) -> None: ...


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...
    def verify(self, password_hash: str, password: str) -> bool: ...
    def needs_rehash(self, password_hash: str) -> bool: ...


@dataclass(frozen=True, slots=True)
class AccountTools:
    """What the account use cases work with besides the storage: the clock, the password
    hasher, and the words their refusals are said in."""

    clock: Clock
    hasher: PasswordHasher
    words: Words


# --- rules --------------------------------------------------------------------------------------


def normal_email(words: Words, email: str) -> str:
    """The e-mail as stored and compared: trimmed and lower-cased; refused when it is not one."""
    cleaned = email.strip().lower()
    if not cleaned.isprintable():
        raise AccountError(words.say("accounts.email.control"), "email")
    if not cleaned:
        raise AccountError(words.say("accounts.email.missing"), "email")
    if len(cleaned) > EMAIL_MAX or not _EMAIL.match(cleaned):
        raise AccountError(words.say("accounts.email.invalid"), "email")
    return cleaned


def check_password(words: Words, password: str, email: str = "") -> None:
    """The password rules: 10 to 256 characters, not a well-known one, not the e-mail."""
    if len(password) < PASSWORD_MIN:
        raise AccountError(words.say("accounts.password.too_short", min=PASSWORD_MIN), "password")
    if len(password) > PASSWORD_MAX:
        raise AccountError(words.say("accounts.password.too_long", max=PASSWORD_MAX), "password")
    if text_problem(password) is not None:
        raise AccountError(words.say("accounts.password.control"), "password")
    lowered = password.lower()
    if lowered in _COMMON or len(set(password)) < 4:
        raise AccountError(words.say("accounts.password.too_easy"), "password")
    if email and lowered == email.strip().lower():
        raise AccountError(words.say("accounts.password.is_email"), "password")


def check_timezone(words: Words, timezone: str) -> str:
    """The IANA zone named (trimmed); refused when there is none by that name."""
    name = timezone.strip()
    try:
        if not name or len(name) > 64 or name.startswith(("/", ".")) or not name.isprintable():
            raise ZoneInfoNotFoundError(name)
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as err:
        unknown = words.say("accounts.timezone.unknown", given=repr(timezone))
        raise AccountError(unknown, "timezone") from err
    return name


def check_name(words: Words, name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned.isprintable():
        raise AccountError(words.say("accounts.name.control"), "name")
    if len(cleaned) > NAME_MAX:
        raise AccountError(words.say("accounts.name.too_long", max=NAME_MAX), "name")
    return cleaned


def check_language(words: Words, language: str) -> str:
    """One of the languages RunRehab speaks ("en", "de"); refused naming the field."""
    if language not in locale.LANGUAGES:
        shown = ", ".join(locale.LANGUAGES)
        raise AccountError(
            words.say("settings.language.unknown", given=repr(language[:20]), known=shown),
            "language",
        )
    return language


def check_units(words: Words, units: str) -> str:
    """ "km" or "mi"; refused naming the field."""
    if units not in locale.UNITS:
        shown = ", ".join(locale.UNITS)
        raise AccountError(
            words.say("settings.units.unknown", given=repr(units[:20]), known=shown), "units"
        )
    return units


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# --- views ------------------------------------------------------------------------------------


def account_view(account: Account, timezone: str | None = None) -> AccountView:
    """The account as the API shows it (``timezone``: a zone just changed to)."""
    return AccountView(
        id=account.id,
        email=account.email,
        person=account.person_id,
        timezone=account.timezone if timezone is None else timezone,
        created_at=moment_text(account.created_at),
        language=account.language,
        units=account.units,
    )


def account_page(who: SignedIn, notice: str | None = None) -> AccountPage:
    """The account page of the signed-in runner, with what was just done."""
    account = who.account
    return AccountPage(
        email=account.email,
        member_since=account.created_at.date(),
        timezone=account.timezone,
        zones=zone_choices(account.timezone),
        notice=notice,
        language=account.language,
        units=account.units,
        languages=locale.LANGUAGES,
        unit_choices=locale.UNITS,
    )


# --- signing up and in -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Attempt:
    """Where a sign-in comes from: the client's address and the browser's device cookie."""

    client: str
    device_token: str | None = None


def sign_up(
    uow: AccountUnitOfWork,
    tools: AccountTools,
    email: str,
    password: str,
    timezone: str,
    name: str = "",
    also: Callable[[Account], None] | None = None,
    language: str = locale.DEFAULT,
) -> SessionView:
    """Make a person and their account, trust the browser and open a session; refused
    (nothing saved) when a rule is broken or the e-mail is taken. ``also`` writes what goes
    with the account in the same transaction (a clinician's place in their clinic);
    ``language`` is the one the person signed up in (their browser's)."""
    words = tools.words
    address = normal_email(words, email)
    check_password(words, password, address)
    zone = check_timezone(words, timezone)
    shown = check_name(words, name)
    now = tools.clock.now()
    hashed = tools.hasher.hash(password)
    with uow:
        if uow.accounts.account_by_email(address) is not None:
            raise AccountError(words.say("accounts.email.taken"), "email")
        person = Person(id=uuid.uuid4().hex, name=shown, created_at=now)
        uow.repo.add_person(person)
        account = Account(
            id=uuid.uuid4().hex,
            email=address,
            person_id=person.id,
            password_hash=hashed,
            timezone=zone,
            created_at=now,
            password_changed_at=now,
            language=check_language(words, language),
        )
        uow.accounts.add_account(account)
        if also is not None:
            also(account)
        uow.commit()
    device = _trust_device(uow, tools.clock, account)
    return _open_session(uow, tools.clock, account, device)


def sign_in(
    uow: AccountUnitOfWork,
    tools: AccountTools,
    email: str,
    password: str,
    attempt: Attempt,
) -> SessionView:
    """``log_in`` behind the throttle (``services.accounts.throttle``), then a new session. A
    browser that signed in to this account before is judged by its own failures alone; any
    other attempt by the e-mail's failures from unknown browsers and by its address's.
    ``Throttled`` while a key waits (the password is not even tried), ``AccountError`` for a
    wrong one (counted)."""
    now = tools.clock.now()
    address = email.strip().lower()
    device = _trusted_device(uow, attempt.device_token, address, now)
    if device is not None:
        counted = [(throttle.device_key(device), throttle.LOG_IN)]
    else:
        counted = [
            (throttle.email_key(address), throttle.LOG_IN),
            (throttle.client_key(attempt.client), throttle.CLIENT),
        ]
    with uow:
        keys = [k for k, _ in counted]
        throttle.check_allowed(uow.throttle, keys, now, tools.words, "accounts.throttle.log_ins")
    try:
        account = log_in(uow, tools, email, password)
    except AccountError:
        with uow:
            throttle.record_failure(uow.throttle, counted, now)
            uow.commit()
        raise
    with uow:
        uow.throttle.forget(counted[0][0])  # the e-mail's (or this browser's) slate is clean
        uow.commit()
    token = attempt.device_token if device is not None else None
    trusted = _trust_device(uow, tools.clock, account, token)
    return _open_session(uow, tools.clock, account, trusted)


def log_in(uow: AccountUnitOfWork, tools: AccountTools, email: str, password: str) -> Account:
    """The account whose password this is; the same refusal for a wrong e-mail or password."""
    hasher, wrong = tools.hasher, tools.words.say("accounts.log_in.wrong")
    try:
        address = normal_email(tools.words, email)
    except AccountError:
        address = ""
    with uow:
        account = uow.accounts.account_by_email(address) if address else None
        unusable = len(password) > PASSWORD_MAX or text_problem(password) is not None
        if account is None or unusable:  # no such password can be right: the same cost
            hasher.verify(_DUMMY_HASH.value(hasher), "x" * min(len(password), PASSWORD_MAX))
            raise AccountError(wrong)
        if not hasher.verify(account.password_hash, password):
            raise AccountError(wrong)
        if hasher.needs_rehash(account.password_hash):
            uow.accounts.set_password(
                account.id, hasher.hash(password), account.password_changed_at
            )
            uow.commit()
    return account


def _trusted_device(
    uow: AccountUnitOfWork, token: str | None, email: str, now: datetime
) -> str | None:
    """The hash of the browser's device cookie when it was given to the account of ``email``."""
    if not token or len(token) > 128:
        return None
    hashed = throttle.device_hash(token)
    with uow:
        account_id = uow.throttle.device_account(hashed, now)
        if account_id is None:
            return None
        account = uow.accounts.get_account(account_id)
    return hashed if account is not None and account.email == email else None


def _trust_device(
    uow: AccountUnitOfWork, clock: Clock, account: Account, token: str | None = None
) -> str:
    """Remember the browser that just signed in (or signed up) as the account's own for a
    year: the token for its device cookie (``token`` again when it was already trusted)."""
    token = token or secrets.token_urlsafe(32)
    now = clock.now()
    with uow:
        uow.throttle.trust_device(
            throttle.device_hash(token),
            account.id,
            now,
            now + timedelta(days=throttle.DEVICE_DAYS),
        )
        uow.commit()
    return token


def _open_session(
    uow: AccountUnitOfWork, clock: Clock, account: Account, device_token: str
) -> SessionView:
    """A new session for the account (its expired ones swept first): the view to answer with."""
    token = secrets.token_urlsafe(32)
    now = clock.now()
    with uow:
        uow.accounts.delete_expired(account.id, now)
        uow.commit()
    session = WebSession(
        token_hash=token_hash(token),
        account_id=account.id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        expires_at=now + timedelta(days=SESSION_DAYS),
    )
    with uow:
        uow.accounts.add_session(session)
        uow.commit()
    return SessionView(
        token=token,
        csrf_token=session.csrf_token,
        expires_at=moment_text(session.expires_at),
        account=account_view(account),
        device_token=device_token,
        lasts_seconds=SESSION_DAYS * 86_400,
    )


def signed_in(uow: AccountUnitOfWork, clock: Clock, token: str) -> SignedIn | None:
    """Who holds ``token``, or None when it is unknown or has expired (then it is dropped)."""
    if not token or len(token) > 128:
        return None
    hashed = token_hash(token)
    with uow:
        found = uow.accounts.signed_in(hashed)
    if found is None:
        return None
    session, account = found
    if session.expires_at <= clock.now():
        return None  # expired ones are swept at the next sign-in (this path only reads)
    return SignedIn(account, session)


def log_out(uow: AccountUnitOfWork, session: WebSession) -> None:
    with uow:
        uow.accounts.delete_session(session.token_hash)
        uow.commit()


# --- the signed-in runner's own account ----------------------------------------------------------


def confirm_password(
    uow: AccountUnitOfWork,
    tools: AccountTools,
    who: SignedIn,
    password: str,
    refusal: str,
    field: str = "password",
) -> None:
    """Check the signed-in person's password again (before a change or a deletion), behind
    the account's own re-check throttle: ``Throttled`` while it waits, ``AccountError`` in the
    words named ``refusal``, naming ``field``, when the password is wrong (counted)."""
    now = tools.clock.now()
    key = throttle.recheck_key(who.account.id)
    with uow:
        throttle.check_allowed(uow.throttle, [key], now, tools.words, "accounts.throttle.rechecks")
    usable = len(password) <= PASSWORD_MAX and text_problem(password) is None
    if usable and tools.hasher.verify(who.account.password_hash, password):
        with uow:
            uow.throttle.forget(key)
            uow.commit()
        return
    with uow:
        throttle.record_failure(uow.throttle, [(key, throttle.RECHECK)], now)
        uow.commit()
    raise AccountError(tools.words.say(refusal), field)


def change_password(
    uow: AccountUnitOfWork,
    tools: AccountTools,
    who: SignedIn,
    current: str,
    new: str,
) -> AccountPage:
    """Change the password after checking the current one (``confirm_password``, throttled);
    every other session is closed. The account page, saying so."""
    words = tools.words
    confirm_password(
        uow, tools, who, current, "accounts.password.current_wrong", "current_password"
    )
    check_password(words, new, who.account.email)
    if new == current:
        raise AccountError(words.say("accounts.password.same_as_before"), "new_password")
    hashed = tools.hasher.hash(new)
    with uow:
        uow.accounts.set_password(who.account.id, hashed, tools.clock.now())
        uow.accounts.delete_sessions(who.account.id, keep=who.session.token_hash)
        uow.commit()
    return account_page(who, words.say("accounts.password.changed"))


def change_timezone(
    uow: AccountUnitOfWork, words: Words, who: SignedIn, timezone: str
) -> AccountView:
    """Set the zone that decides the runner's day; the account with its new zone."""
    zone = check_timezone(words, timezone)
    with uow:
        uow.accounts.set_timezone(who.account.id, zone)
        uow.commit()
    return account_view(who.account, zone)


def change_preferences(
    uow: AccountUnitOfWork,
    words: Words,
    who: SignedIn,
    language: str | None = None,
    units: str | None = None,
) -> AccountView:
    """Set the language the runner reads RunRehab in and how distances are shown (None: as
    it was); refused, nothing saved, naming the field, for a language or units not offered."""
    account = who.account
    chosen = check_language(words, account.language if language is None else language)
    shown = check_units(words, account.units if units is None else units)
    with uow:
        uow.accounts.set_preferences(account.id, chosen, shown)
        uow.commit()
    return account_view(replace(account, language=chosen, units=shown))


def delete_account(
    uow: AccountUnitOfWork,
    tools: AccountTools,
    who: SignedIn,
    password: str,
) -> None:
    """The person, their account, sessions and every piece of their data, gone for good, once
    the password is confirmed (``confirm_password``, throttled)."""
    confirm_password(uow, tools, who, password, "accounts.delete.wrong_password")
    with uow:
        uow.repo.delete_person(who.account.person_id)  # cascades to the account and sessions
        uow.commit()


class _DummyHash:
    """A hash of a random password, made once, to verify against when no account matches."""

    def __init__(self) -> None:
        self._hash: str | None = None

    def value(self, hasher: PasswordHasher) -> str:
        if self._hash is None:
            self._hash = hasher.hash(secrets.token_urlsafe(16))
        return self._hash


_DUMMY_HASH = _DummyHash()
