"""What the account pages and answers show: the account, a session just opened, the account
page and the sign-up and log-in forms, as views (``services.views``), and the time zones a
form offers first.

Times are written as the API has always written them: ISO 8601, UTC as ``Z``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

COMMON_ZONES = (
    "UTC",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Amsterdam",
    "Europe/Stockholm",
    "Europe/Helsinki",
    "Europe/Athens",
    "Africa/Johannesburg",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Perth",
    "Australia/Sydney",
    "Pacific/Auckland",
    "America/Sao_Paulo",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
)
"""The zones a form's list offers (any other valid zone is taken too)."""


def zone_choices(current: str) -> tuple[str, ...]:
    """The zones a form offers: the common ones, after ``current`` when it is not one of them."""
    return COMMON_ZONES if current in COMMON_ZONES else (current, *COMMON_ZONES)


def moment_text(moment: datetime) -> str:
    """``2026-12-01T08:00:00Z``: ISO 8601, with UTC written ``Z``."""
    text = moment.isoformat()
    return text[: -len("+00:00")] + "Z" if text.endswith("+00:00") else text


@dataclass(frozen=True, slots=True)
class AccountView:
    """The account as ``GET /api/v1/account`` answers it."""

    id: str
    email: str
    person: str
    timezone: str
    created_at: str
    language: str = "en"
    """The language the runner reads RunRehab in: "en" or "de"."""
    units: str = "km"
    """How distances are shown to the runner: "km" or "mi" (the API's distances stay km)."""


@dataclass(frozen=True, slots=True)
class SessionView:
    """A session just opened (signing up or in): the token, the CSRF token for the cookie's
    forms, when it ends, the account; and, for the browser's cookies only, the device token
    and how long the session cookie lasts."""

    token: str
    csrf_token: str
    expires_at: str
    account: AccountView
    device_token: str = field(metadata={"json": None})
    lasts_seconds: int = field(metadata={"json": None})


@dataclass(frozen=True, slots=True)
class AccountPage:
    """The account page: who is signed in and since when, their zone among the zones to
    choose from, and what was just done (``notice``)."""

    email: str
    member_since: date
    timezone: str
    zones: tuple[str, ...]
    notice: str | None = None
    language: str = "en"
    units: str = "km"
    languages: tuple[str, ...] = ()
    """The languages to choose from (their codes; the page names each in itself)."""
    unit_choices: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SignUpPage:
    """The sign-up form, filled in with what was sent (never a password)."""

    name: str
    email: str
    timezone: str | None
    zones: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LogInPage:
    """The log-in form: where to go once in, and the e-mail sent."""

    next: str
    email: str = ""


def sign_up_page(name: str, email: str, timezone: str | None) -> SignUpPage:
    """The sign-up form with the zone sent chosen (None: a form sent without one)."""
    return SignUpPage(name, email, timezone, zone_choices("UTC" if timezone is None else timezone))
