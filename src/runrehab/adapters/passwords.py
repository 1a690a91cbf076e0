"""argon2id password hashes (argon2-cffi's defaults, RFC 9106's second recommendation), behind
the ``PasswordHasher`` port."""

from __future__ import annotations

from argon2 import PasswordHasher as Argon2Hasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError


class Argon2Passwords:
    def __init__(self, hasher: Argon2Hasher | None = None) -> None:
        self._hasher = hasher or Argon2Hasher()

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        return self._hasher.check_needs_rehash(password_hash)


def fast_passwords() -> Argon2Passwords:
    """argon2id with tiny costs, for tests only: the same code path in a millisecond."""
    return Argon2Passwords(Argon2Hasher(time_cost=1, memory_cost=64, parallelism=1))
