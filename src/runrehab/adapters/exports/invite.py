"""A virtual session's invitation as an iCalendar file (RFC 5545), for any calendar app.

One event at the session's time (in UTC), with the clinic's video-call link as its LOCATION
and URL and in its DESCRIPTION. The UID is the session's own (``<session>@runrehab``), so the
runner's and the clinician's calendars hold the same event; its STATUS follows the session's
(proposed: tentative, accepted: confirmed, declined or cancelled: cancelled).
"""

from __future__ import annotations

from datetime import UTC, datetime

from icalendar import Calendar, Event

from runrehab.services.clinic.records import SessionStatus
from runrehab.services.clinic.sessions import Invite

PRODID = "-//RunRehab//Virtual session//EN"
STATUS = {
    SessionStatus.PROPOSED: "TENTATIVE",
    SessionStatus.ACCEPTED: "CONFIRMED",
    SessionStatus.DECLINED: "CANCELLED",
    SessionStatus.CANCELLED: "CANCELLED",
}
"""A session's status as the event's STATUS."""


def session_ics(invite: Invite, *, now: datetime) -> bytes:
    """The invitation of ``invite``, stamped ``now`` (DTSTAMP)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", invite.calendar)
    event = Event()
    event.add("uid", invite.uid)
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", invite.starts_at.astimezone(UTC))
    event.add("dtend", invite.ends_at.astimezone(UTC))
    event.add("summary", invite.summary)
    event.add("description", invite.description)
    event.add("location", invite.video_link)
    event.add("url", invite.video_link)
    event.add("status", STATUS[invite.status])
    event.add("categories", ["RunRehab"])
    calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical
