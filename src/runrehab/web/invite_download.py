"""A virtual session's invitation, answered as a private download: the writer the clinic's
use case is given (``adapters.exports.invite``), and the answer, as ``web.downloads`` does for
the programme's calendar. (Routes may not import the adapters themselves.)"""

from __future__ import annotations

from fastapi.responses import Response

from runrehab.adapters.exports.invite import session_ics
from runrehab.services.clinic.sessions import InviteFile, InviteWriter
from runrehab.web.downloads import ICS_TYPE, saved_as

WRITER: InviteWriter = session_ics
"""Makes the invitation's iCalendar file (``services.clinic.sessions.session_invite``)."""


def invite(file: InviteFile) -> Response:
    """The invitation saved as its own name, typed as iCalendar."""
    return Response(file.data, media_type=ICS_TYPE, headers=saved_as(file.name))
