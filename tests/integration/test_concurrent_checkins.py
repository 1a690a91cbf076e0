"""One runner's check-in for a day sent several times at once (two phones, a retry) is
recorded once per send, one after the other: never a failure, never a lost revision. SQLite
serialises every write (``BEGIN IMMEDIATE``); on PostgreSQL a writing unit of work holds the
runner's row (``repository._PERSON_TO_WRITE``)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

import pytest

from runrehab.adapters.db.database import open_database
from runrehab.adapters.documents import read_assessment, read_checkin
from runrehab.services.content import shipped_content
from runrehab.services.journal.programme import record_checkin, start_programme
from tests.conftest import typical_doc
from tests.fakes import FixedClock

DAY = date(2026, 12, 1)


def checkin(pain: int) -> dict[str, Any]:
    return {
        "date": DAY.isoformat(),
        "pain": {"now": pain, "at_rest": 0, "worst_24h": pain},
        "exercises": [{"id": "quad-set", "sets": 3, "reps": 10, "max_pain": pain}],
    }


@pytest.mark.parametrize("backend", ["sqlite_url", "postgres_url"])
def test_the_same_days_check_in_sent_at_once_is_recorded_each_time(
    backend: str, request: pytest.FixtureRequest
) -> None:
    db = open_database(request.getfixturevalue(backend))
    try:
        content, clock, doc = shipped_content(), FixedClock(), typical_doc()
        start_programme(db.unit_of_work(), clock, content, doc, read_assessment(doc), DAY, "bo")

        def send(pain: int) -> int:
            document = checkin(pain % 3)
            done = record_checkin(
                db.unit_of_work(), clock, content, document, read_checkin(document), "bo", DAY
            )
            return done.stored.revision

        with ThreadPoolExecutor(max_workers=6) as pool:
            revisions = sorted(pool.map(send, range(12)))
        assert revisions == list(range(1, 13))
        with db.unit_of_work(read_only=True) as uow:
            stored = uow.repo.get_checkin("bo", DAY)
            assert stored is not None and stored.revision == 12
    finally:
        db.dispose()
