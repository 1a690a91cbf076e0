"""A check-in made offline and sent later: the guard that keeps the newer check-in.

The service worker (``web/pages/offline.py`` serves it) keeps a check-in form posted without a
connection, and sends it again when the connection is back, with two headers: ``X-Made-At``
(when the runner pressed Save) and ``X-Sent-At`` (when it is sent), both in milliseconds since
1970 on the phone's clock. Their difference is the check-in's age, which does not depend on the
phone's clock being right; the server's own clock, less that age, says when it was made.

A day holds one check-in, and a later one replaces it. A replayed one is recorded only when the
day's stored check-in is older than it: so the same replay sent twice is recorded once (the
first made the stored one newer), and a check-in the runner saved online after the offline one
is never overwritten by it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from runrehab.content.words import Words
from runrehab.errors import InvalidDocument, Problem
from runrehab.services.ports import Clock, UnitOfWork

MADE_AT = "X-Made-At"
SENT_AT = "X-Sent-At"
_MS_LIMIT = 10**15  # about year 33000: anything longer is not a time


@dataclass(frozen=True, slots=True)
class Replay:
    """A check-in sent after being offline: when it was made, and its age when it was sent."""

    made_ms: int
    sent_ms: int

    @property
    def age(self) -> timedelta:
        return timedelta(milliseconds=self.sent_ms - self.made_ms)


def replay_of(made: str | None, sent: str | None, words: Words) -> Replay | None:
    """The replay two header values describe; ``None`` for an ordinary post (no ``X-Made-At``).
    Without ``X-Sent-At`` the check-in is taken as sent when made. ``InvalidDocument`` naming
    the header when a value is not a whole number of milliseconds, or is sent before made."""
    if made is None:
        return None
    made_ms = _ms(MADE_AT, made, words)
    sent_ms = made_ms if sent is None else _ms(SENT_AT, sent, words)
    if sent_ms < made_ms:
        raise _invalid(SENT_AT, words.say("offline.replay.sent_before_made"), words)
    return Replay(made_ms, sent_ms)


def _ms(header: str, text: str, words: Words) -> int:
    value = text.strip()
    if not value.isascii() or not value.isdigit() or int(value) >= _MS_LIMIT:
        said = words.say("offline.replay.not_a_time", header=header, text=text[:40])
        raise _invalid(header, said, words)
    return int(value)


def _invalid(header: str, message: str, words: Words) -> InvalidDocument:
    return InvalidDocument(words.say("offline.replay.kind"), [Problem(header, message)])


def made_on_server(replay: Replay, clock: Clock) -> datetime:
    """When the replayed check-in was made, on the server's clock."""
    return clock.now() - replay.age


def newer_kept(
    uow: UnitOfWork,
    clock: Clock,
    person_id: str,
    posted: date | None,
    today: date,
    replay: Replay | None,
) -> date | None:
    """The day whose stored check-in is as new as the replayed one or newer (so the replay is
    not recorded, and the runner is shown that day's answer); ``None`` when the replay should
    be recorded (or it is no replay at all). ``posted``: the form's day (else ``today``)."""
    if replay is None:
        return None
    day = posted or today
    made = made_on_server(replay, clock)
    with uow:
        stored = uow.repo.get_checkin(person_id, day)
    if stored is None or _aware(stored.recorded_at) < _aware(made):
        return None
    return day


def _aware(moment: datetime) -> datetime:
    """Times read back from SQLite lose their zone; they are stored in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
