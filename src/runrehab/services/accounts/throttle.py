"""Slowing down password guessing without locking runners out (OWASP's authentication and
"device cookies" guidance).

Every failed password check counts against one or more keys: the e-mail when it comes from a
browser the account does not know, the client address, a trusted browser of its own, or an
account's password re-checks (changing the password, deleting the account). Past a few free
failures each further failure makes that key wait longer before its next try: 1 s, 2 s, 4 s
and so on up to a ceiling, a delay that grows, never a lock that anyone can set off. A browser
that signed in to the account before carries a device cookie and has an allowance of its own,
so however many failures others send for that e-mail, the runner's own browser signs in at
once. The counts live in the database (``ThrottleStore``), so every server process sees them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from runrehab.content.words import Words
from runrehab.errors import RunRehabError

DEVICE_DAYS = 365
"""How long a browser stays trusted after its last sign-in."""


@dataclass(frozen=True, slots=True)
class Policy:
    """How a key is slowed: ``free`` failures cost nothing, the next waits ``first_delay_s``,
    each further one twice the one before, at most ``max_delay_s``; failures are forgotten once
    ``forget_after_s`` pass with none."""

    free: int
    first_delay_s: float = 1.0
    max_delay_s: float = 900.0
    forget_after_s: float = 86_400.0

    def delay(self, failures: int) -> timedelta:
        """The wait after the ``failures``-th failure in a row.

        Example: with 5 free, the 5th failure waits 1 s, the 6th 2 s, the 15th the ceiling."""
        if failures < self.free:
            return timedelta(0)
        seconds = self.first_delay_s * 2 ** min(failures - self.free, 30)
        return timedelta(seconds=min(seconds, self.max_delay_s))


LOG_IN = Policy(free=5)
"""Per e-mail from unknown browsers, and per trusted browser."""
CLIENT = Policy(free=20)
"""Per client address: many runners may share one (a household, an office, a proxy)."""
RECHECK = Policy(free=5)
"""An account's password re-checks, made by someone already signed in."""


class Throttled(RunRehabError):
    """Too many failures: wait ``retry_after`` seconds (the web answers 429 with Retry-After).
    The message is whole: it already says how long to wait."""

    def __init__(self, message: str, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class ThrottleStore(Protocol):
    def blocked_until(self, keys: Sequence[str]) -> datetime | None:
        """The latest time any of ``keys`` must wait until (None: none waits)."""
        ...

    def count_failure(self, key: str, now: datetime, forget_before: datetime) -> int:
        """Add one failure to ``key`` at ``now``, as one atomic step for every process,
        starting again from one when its last failure was before ``forget_before``; the count
        after this failure."""
        ...

    def block(self, key: str, until: datetime) -> None: ...
    def forget(self, key: str) -> None: ...
    def trust_device(
        self, token_hash: str, account_id: str, now: datetime, expires: datetime
    ) -> None: ...
    def device_account(self, token_hash: str, now: datetime) -> str | None:
        """The account a browser's device cookie was given to, while it is valid."""
        ...


def email_key(email: str) -> str:
    return "email:" + email.strip().lower()[:190]


def client_key(client: str) -> str:
    return "ip:" + client[:190]


def device_key(token_hash: str) -> str:
    return "device:" + token_hash


def recheck_key(account_id: str) -> str:
    return "recheck:" + account_id


def device_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def check_allowed(
    store: ThrottleStore, keys: Sequence[str], now: datetime, words: Words, refusal: str
) -> None:
    """``Throttled`` when any of ``keys`` must still wait, saying so in the words named
    ``refusal`` (given ``$wait``)."""
    until = store.blocked_until(keys)
    if until is not None and until > now:
        wait = max(1, int((until - now).total_seconds() + 0.999))
        raise Throttled(words.say(refusal, wait=waiting_words(wait, words)), wait)


def record_failure(
    store: ThrottleStore, counted: Sequence[tuple[str, Policy]], now: datetime
) -> None:
    """Count one failure against each key under its policy, and set how long it waits."""
    for key, policy in counted:
        forget_before = now - timedelta(seconds=policy.forget_after_s)
        failures = store.count_failure(key, now, forget_before)
        delay = policy.delay(failures)
        if delay:
            store.block(key, now + delay)


def waiting_words(seconds: int, said: Words) -> str:
    """ "about 2 minutes", "15 seconds": how long to wait, in words."""
    if seconds < 90:
        return said.say_count("accounts.wait.seconds", seconds)
    return said.say("accounts.wait.minutes", n=round(seconds / 60))
