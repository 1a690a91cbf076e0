"""Another clinic beside the fixture's: its admin, to show that nothing of one clinic's
patients, sessions or exercises reaches the other's clinicians."""

from __future__ import annotations

from runrehab.services.accounts.account import AccountTools
from runrehab.services.clinic.membership import create_clinic
from tests.clinic.conftest import Actor, Clinic, sign_in
from tests.web.conftest import PASSWORD


def other_clinic(clinic: Clinic, email: str = "olga@other.test") -> Actor:
    """The admin of a second clinic, "Other Clinic", signed in."""
    parts = clinic.parts
    tools = AccountTools(clinic.clock, parts.passwords, parts.content.words)
    create_clinic(parts.db.unit_of_work(), tools, "Other Clinic", email, PASSWORD, "Olga Other")
    return sign_in(clinic.client, email)


def looked(runner: Actor) -> list[dict[str, str]]:
    """What the runner sees of who looked at their data (My clinic)."""
    entries: list[dict[str, str]] = runner.call("GET", "/api/v1/clinic/membership").json()["looked"]
    return entries
