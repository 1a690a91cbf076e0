"""Whether the journal's database answers: the health check (``GET /healthz``)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from runrehab.services.ports import UnitOfWork

log = logging.getLogger("runrehab.health")


@dataclass(frozen=True, slots=True)
class Health:
    """``ok`` and ``ok``, or ``unavailable`` when the database is ``down``."""

    status: str
    database: str

    @property
    def ok(self) -> bool:
        return self.database == "ok"


def health(uow: UnitOfWork) -> Health:
    """Ask the database a trivial question; any failure to answer is a database that is down
    (a health check must answer, whatever went wrong)."""
    try:
        with uow:
            uow.repo.get_person("")  # nobody's id is empty: one quick look-up, nothing found
    except Exception:
        log.warning("the database does not answer", exc_info=True)
        return Health("unavailable", "down")
    return Health("ok", "ok")
