"""The Today page drawn once is handed out again only while everything it shows is unchanged.

A day's view is kept while the runner's journal is (``services.journal.kept``), and its page
while the view, the runner's today, their clinic panel, their session, language and units are
(``web.kept``), as is the API's today document; the page with its clinic panel is kept while
the runner's revision holds, which the clinic's rows change too (``services.clinic.care``).
After every kind of change a runner or their physiotherapist makes, the page served equals
the page drawn afresh with nothing kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from runrehab.services.clinic import care
from runrehab.services.journal import folds
from runrehab.services.journal.today import DAYS
from runrehab.services.lru import Lru
from runrehab.web.kept import PAGES
from tests.clinic.conftest import Actor, Clinic


def _checkin(day: str, pain: int) -> dict[str, Any]:
    return {
        "date": day,
        "pain": {"now": pain, "at_rest": 0, "worst_24h": pain + 1},
        "this_morning_vs_usual": "same",
        "exercises": [{"id": "quad-set", "sets": 3, "reps": 12, "max_pain": pain}],
    }


def test_the_kept_today_page_is_the_page_drawn_afresh(clinic: Clinic) -> None:
    runner = clinic.new_runner("rita@example.com")
    patient = f"/api/v1/clinic/patients/{runner.person_id}"
    held: dict[str, str] = {}

    def today() -> str:
        return clinic.clock.now().date().isoformat()

    def hold() -> None:
        made = clinic.admin.call(
            "POST", f"{patient}/overrides", json={"kind": "hold_phase", "reason": "Settle first"}
        )
        assert made.status_code == 201, made.text
        held["id"] = made.json()["id"]

    def sos() -> dict[str, Any]:
        return {**_checkin(today(), 1), "signs": {"breathless_or_chest_pain": True}}

    def next_day() -> None:
        clinic.clock.advance(days=1)

    changes: list[tuple[str, Callable[[], object]]] = [
        ("nothing yet", lambda: None),
        ("a check-in", lambda: _post(runner, "/api/v1/checkins", _checkin(today(), 1))),
        (
            "the check-in sent again",
            lambda: _post(runner, "/api/v1/checkins", _checkin(today(), 4)),
        ),
        ("a message", lambda: _post(clinic.admin, f"{patient}/messages", {"text": "Stairs?"})),
        ("the message read", lambda: runner.call("GET", "/api/v1/clinic/messages")),
        ("a hold", hold),
        (
            "the hold undone",
            lambda: clinic.admin.call("DELETE", f"{patient}/overrides/{held['id']}"),
        ),
        ("miles", lambda: _put(runner, {"language": "en", "units": "mi"})),
        ("German", lambda: _put(runner, {"language": "de", "units": "mi"})),
        ("the runner's message", lambda: _post(runner, "/api/v1/clinic/messages", {"text": "OK"})),
        ("another message", lambda: _post(clinic.admin, f"{patient}/messages", {"text": "Ice"})),
        ("the runner leaves the clinic", lambda: _left(runner)),
        ("the next day", next_day),
        (
            "an emergency sign: the programme stops",
            lambda: _post(runner, "/api/v1/checkins", sos()),
        ),
    ]
    started = clinic.clock.now().date()

    def paths() -> list[str]:
        """Today, the day before (once there is one), and each in the API."""
        day = clinic.clock.now().date()
        days = [day, *([day - timedelta(days=1)] if day > started else [])]
        pages = [f"/today?date={d}" for d in days[1:]]
        return ["/today", *pages, *(f"/api/v1/today?date={d}" for d in days)]

    shown: dict[str, str] = {}
    for name, change in changes:
        for path in paths():  # drawn, and kept, before the change
            assert _page(runner, path) == _page(runner, path), f"{name}: {path} asked twice"
        assert len(PAGES) > 0 and len(DAYS) > 0, "the days and pages were kept"
        change()
        for path in paths():
            kept = _page(runner, path)
            with nothing_kept():
                afresh = _page(runner, path)
            assert kept == afresh, f"{name}: {path} kept is not the page drawn afresh"
            shown[path] = kept
    assert 'class="emergency" role="alert"' in shown["/today"]  # the stopped page, kept too


@contextmanager
def nothing_kept() -> Iterator[None]:
    """Inside: this process keeps no fold, day or page (those kept before are back after)."""
    kept = [(each, each._kept) for each in (folds.FOLDS, DAYS, care.PAGES, PAGES)]
    for each, before in kept:
        each._kept = Lru(before.size)
    try:
        yield
    finally:
        for each, before in kept:
            each._kept = before


def _page(actor: Actor, path: str) -> str:
    answer = actor.call("GET", path, headers={"accept": "text/html"})
    assert answer.status_code == 200, answer.text
    text: str = answer.text
    return text


def _post(actor: Actor, path: str, body: dict[str, Any]) -> None:
    answer = actor.call("POST", path, json=body)
    assert answer.status_code in (200, 201), answer.text


def _left(actor: Actor) -> None:
    answer = actor.call("DELETE", "/api/v1/clinic/membership")
    assert answer.status_code in (200, 204), answer.text


def _put(actor: Actor, body: dict[str, Any]) -> None:
    answer = actor.call("PUT", "/api/v1/account", json=body)
    assert answer.status_code == 200, answer.text
