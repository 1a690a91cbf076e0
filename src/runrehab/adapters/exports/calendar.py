"""The coming sessions as an iCalendar file: one all-day event a day, for any calendar app.

UIDs are stable (``<person>-<date>@runrehab``), so importing a newer calendar updates each
day's event in place instead of adding a second one. Every event says it is a projection.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from icalendar import Calendar, Event

from runrehab.adapters.exports.sessions import session_words
from runrehab.content.words import Words
from runrehab.services.progress.sessions import SessionWords

PRODID = "-//RunRehab//Knee programme//EN"


def sessions_ics(
    sessions: Sequence[dict[str, Any]],
    person_id: str,
    *,
    stamp: datetime | None = None,
    words: Words | None = None,
) -> bytes:
    """An iCalendar (RFC 5545) file of ``sessions`` (``coming_sessions`` documents), in
    ``words`` (the shipped words by default).

    ``stamp`` is the events' DTSTAMP (when the file was made): the current time by default."""
    say = session_words(words)
    name, notice = (say.words.say(f"plan.calendar.{key}") for key in ("name", "notice"))
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    made = stamp or datetime.now(UTC)
    for session in sessions:
        calendar.add_component(_event(session, person_id, made, say, notice))
    ical: bytes = calendar.to_ical()
    return ical


def _event(
    session: dict[str, Any], person_id: str, stamp: datetime, say: SessionWords, notice: str
) -> Event:
    day = date.fromisoformat(session["date"])
    event = Event()
    event.add("uid", f"{person_id}-{day.isoformat()}@runrehab")
    event.add("dtstamp", stamp)
    event.add("dtstart", day)  # a date, not a time: an all-day event
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", say.title(session))
    event.add("description", "\n".join([*say.lines(session), "", notice]))
    event.add("transp", "TRANSPARENT")  # a plan for the day, not a busy slot
    event.add("categories", ["RunRehab"])
    return event
