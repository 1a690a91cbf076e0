"""What the web app is built from: the database, the clock, the password hasher and limits.

``create_app`` hands these to the composition root (``runrehab.bootstrap``), which builds the
adapters. Tests pass a settable clock and fast password hashing; ``runrehab serve`` passes
the real ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from runrehab.services.accounts.account import PasswordHasher
from runrehab.services.ports import Clock
from runrehab.web.security import Network


@dataclass(frozen=True)
class WebConfig:
    database: str
    """A SQLite path or a database URL, as ``--db`` takes."""
    clock: Clock | None = None
    passwords: PasswordHasher | None = None
    default_timezone: str = "UTC"
    """Offered on the sign-up form; the browser's own zone replaces it when JavaScript runs."""
    secure_cookies: bool | None = None
    """Mark cookies Secure; ``None`` means: when the request came over HTTPS or not to a
    loopback address (so a local http://127.0.0.1 server still works)."""
    trusted_proxies: tuple[Network, ...] = ()
    """Reverse proxies whose ``X-Forwarded-For`` and ``-Proto`` are believed
    (``RUNREHAB_TRUSTED_PROXIES``); none by default."""
    max_upload_bytes: int = 256 * 1024 * 1024
    import_workers: int | None = None
    """Processes measuring a bulk import; ``None``: ``RUNREHAB_IMPORT_WORKERS``, else one a
    core."""
    threads: int | None = None
    """Requests worked on at once (the rest wait their turn); ``None``:
    ``RUNREHAB_WEB_THREADS``, else 4."""
