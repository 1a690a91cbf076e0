"""argon2id password hashes (argon2-cffi's defaults, RFC 9106's second recommendation), behind
the ``PasswordHasher`` port.

argon2-cffi is imported when a password is first hashed or checked: every command builds the
hasher (``bootstrap.runtime``), and most never use it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from argon2 import PasswordHasher as Argon2Hasher


class Argon2Passwords:
    def __init__(self, hasher: Argon2Hasher | None = None) -> None:
        self._made = hasher

    @property
    def _hasher(self) -> Argon2Hasher:
        if self._made is None:
            from argon2 import PasswordHasher as Argon2Hasher

            self._made = Argon2Hasher()
        return self._made

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

        try:
            return self._hasher.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        return self._hasher.check_needs_rehash(password_hash)


def fast_passwords() -> Argon2Passwords:
    """argon2id with tiny costs, for tests only: the same code path in a millisecond."""
    from argon2 import PasswordHasher as Argon2Hasher

    return Argon2Passwords(Argon2Hasher(time_cost=1, memory_cost=64, parallelism=1))
