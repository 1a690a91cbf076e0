"""What every route needs, as FastAPI dependencies: the app's parts, who is asking, CSRF.

``Visitor`` is who made the request (signed in or not) and the CSRF token their forms carry.
``require_runner`` gives the signed-in ``Runner`` or sends the browser to the log-in page (the
API answers 401). Nothing here reads another person's data: every use case is handed the
runner's own person id.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Depends, Query, Request
from starlette.concurrency import run_in_threadpool

from runrehab.adapters.db.database import Database
from runrehab.adapters.db.unit_of_work import SqlUnitOfWork
from runrehab.content import locale
from runrehab.services.accounts.account import Account, PasswordHasher, SignedIn, signed_in
from runrehab.services.clinic.access import Clinician, signed_clinician
from runrehab.services.content import ProgrammeContent, in_language
from runrehab.services.jobs import JobQueue
from runrehab.services.journal.days import ProgrammeDay, programme_day
from runrehab.services.ports import Clock
from runrehab.web.config import WebConfig
from runrehab.web.query import DayText, iso_day
from runrehab.web.security import (
    CSRF_FIELD,
    CSRF_HEADER,
    SAFE_METHODS,
    SESSION_COOKIE,
    anonymous_csrf,
    tokens_match,
)


class _InLanguage:
    """``parts.content``: the content the app was built with, in the language of the request
    under way (``content.locale``, set by ``web.language.Language``)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = f"_{name}"

    def __get__(self, parts: object, owner: type | None = None) -> ProgrammeContent:
        if parts is None:
            raise AttributeError(self._name)  # a dataclass field without a default
        given: ProgrammeContent = parts.__dict__[self._name]
        return in_language(given, locale.current())

    def __set__(self, parts: object, content: ProgrammeContent) -> None:
        parts.__dict__[self._name] = content


@dataclass
class AppParts:
    """Built once by ``create_app`` and kept on ``app.state.parts``."""

    config: WebConfig
    db: Database
    clock: Clock
    passwords: PasswordHasher
    background: Executor
    content: _InLanguage = _InLanguage()
    """The content, in the language of the request under way (a descriptor: ``_InLanguage``)."""
    import_workers: int | None = None
    """Processes measuring a bulk import (None: one a core)."""
    jobs: JobQueue | None = None
    """Where background work goes (``services.jobs``): set by ``create_app``."""

    def reader(self) -> SqlUnitOfWork:
        """A unit of work for pages that only read: on SQLite it waits for no writer."""
        return self.db.unit_of_work(read_only=True)

    def writer(self) -> SqlUnitOfWork:
        """A unit of work that may write (one transaction per use case)."""
        return self.db.unit_of_work()

    def queue(self) -> JobQueue:
        """The app's job queue (``create_app`` sets it before any request)."""
        assert self.jobs is not None
        return self.jobs


class NotSignedIn(Exception):
    """The route needs a signed-in runner; pages redirect to the log-in, the API answers 401."""


class CsrfRefused(Exception):
    """An unsafe request without the right CSRF token: refused with 403, nothing done."""


@dataclass(frozen=True)
class Visitor:
    signed: SignedIn | None
    csrf_token: str
    new_csrf_cookie: bool = False
    by_bearer: bool = False


@dataclass(frozen=True)
class Runner:
    """A signed-in runner: their account, their person id and their own calendar day."""

    signed: SignedIn
    now: datetime

    @property
    def account(self) -> Account:
        return self.signed.account

    @property
    def person_id(self) -> str:
        return self.signed.account.person_id

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.signed.account.timezone)

    @property
    def today(self) -> date:
        return self.now.astimezone(self.zone).date()


def parts(request: Request) -> AppParts:
    found: AppParts = request.app.state.parts
    return found


async def _parts(request: Request) -> AppParts:
    # a dependency that does no I/O runs on the event loop: a plain ``def`` would take a
    # thread from the pool, and back, on every request
    return parts(request)


Parts = Annotated[AppParts, Depends(_parts)]


def visitor(request: Request) -> Visitor:
    """Who is asking: by the session cookie, or by ``Authorization: Bearer <token>``."""
    return _visitor(request, None)


def _visitor(request: Request, reader: SqlUnitOfWork | None) -> Visitor:
    """``visitor``, read through ``reader`` when the request's trip has one open."""
    cached = getattr(request.state, "visitor", None)
    if isinstance(cached, Visitor):
        return cached
    app_parts = parts(request)
    bearer = _bearer(request)
    token = bearer or request.cookies.get(SESSION_COOKIE, "")
    uow = reader or app_parts.reader()
    who = signed_in(uow, app_parts.clock, token) if token else None
    if who is not None:
        found = Visitor(who, who.session.csrf_token, by_bearer=bool(bearer))
    else:
        csrf, new = anonymous_csrf(request)
        found = Visitor(None, csrf, new_csrf_cookie=new)
    request.state.visitor = found
    return found


def _bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


Who = Annotated[Visitor, Depends(visitor)]


async def require_runner(request: Request, who: Who) -> Runner:  # no I/O: on the loop
    return _runner(request, who)


def _runner(request: Request, who: Visitor) -> Runner:
    if who.signed is None:
        raise NotSignedIn
    return Runner(who.signed, parts(request).clock.now())


RunnerDep = Annotated[Runner, Depends(require_runner)]


@dataclass(frozen=True)
class StaffUser:
    """A signed-in clinician: who (for the audit log, with where from) and their own day."""

    clinician: Clinician
    runner: Runner

    @property
    def today(self) -> date:
        return self.runner.today


def require_clinician(request: Request, runner: RunnerDep) -> StaffUser:
    """A clinician of a clinic; anyone else signed in gets 404 (no clinic route exists for
    them), anyone signed out the log-in (401 for the API)."""
    address = request.client.host if request.client else ""
    who = signed_clinician(parts(request).reader(), runner.account.id, runner.person_id, address)
    return StaffUser(who, runner)


ClinicianDep = Annotated[StaffUser, Depends(require_clinician)]


async def check_csrf(request: Request) -> None:
    """Refuse an unsafe request whose CSRF token is missing or wrong (see ``security``)."""
    if request.method in SAFE_METHODS:
        return
    cached = getattr(request.state, "visitor", None)
    who = cached if isinstance(cached, Visitor) else await run_in_threadpool(visitor, request)
    if who.by_bearer:
        return
    if who.signed is None and request.url.path.startswith("/api/"):
        # No ambient credential to abuse, and the API takes only JSON, which a cross-site
        # form cannot send: signing up or in through the API needs no token.
        return
    sent = request.headers.get(CSRF_HEADER)
    form = None
    if sent is None and _is_form(request):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not tokens_match(sent, who.csrf_token):
        if form is not None:
            await form.close()  # a refused upload's temporary files go now, not at exit
        raise CsrfRefused


def _is_form(request: Request) -> bool:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return kind in {"application/x-www-form-urlencoded", "multipart/form-data"}


Csrf = Depends(check_csrf)


# --- the day a request is about -----------------------------------------------------------------


@dataclass(frozen=True)
class RunnerDay:
    """A signed-in runner, their programme's first day and the day the request is about
    (``services.journal.days``: the same days are refused everywhere, in the same words)."""

    runner: Runner
    when: ProgrammeDay

    @property
    def day(self) -> date:
        return self.when.day

    @property
    def started(self) -> date:
        return self.when.started


def _runner_day(
    request: Request,
    runner: Runner,
    text: str | None,
    strict: bool,
    reader: SqlUnitOfWork | None = None,
) -> RunnerDay:
    from runrehab.web.errors import BadRequest

    app_parts = parts(request)
    asked = None
    if text or (strict and text is not None):
        asked = iso_day(text)
        if asked is None:
            words = app_parts.content.words
            raise BadRequest(words.say("journal.day.not_a_date", text=text[:40]), field="date")
    when = programme_day(
        reader or app_parts.reader(), app_parts.content.words, runner.person_id, asked, runner.today
    )
    return RunnerDay(runner, when)


def page_day(request: Request, runner: RunnerDep, when: PageDate = None) -> RunnerDay:
    """A page's ``?date=``: empty or left out is the runner's today. Without a programme the
    page sends the runner to the knee check (``NoProgrammeYet``, see ``web.errors``)."""
    return _runner_day(request, runner, when, strict=False)


ApiDate = Annotated[
    DayText,
    Query(
        alias="date",
        description="The day (YYYY-MM-DD), from the programme's first to the runner's "
        "today; default the runner's today. Any other day is a 400 saying why.",
    ),
]
"""The API's ``date`` parameter of a day of the programme (``api_day``)."""
PageDate = Annotated[str | None, Query(alias="date")]
"""A page's ``?date=`` (``page_day``)."""


def api_day(request: Request, runner: RunnerDep, when: ApiDate = None) -> RunnerDay:
    """An API's ``date`` parameter, documented as ``format: date``: left out is the runner's
    today; anything else must be a day (an empty ``?date=`` is not)."""
    return _runner_day(request, runner, when, strict=True)


PageDay = Annotated[RunnerDay, Depends(page_day)]
ApiDay = Annotated[RunnerDay, Depends(api_day)]


# --- one trip ---------------------------------------------------------------------------------
# FastAPI runs each plain-``def`` dependency on a thread of the pool, and back, and each opens its
# own read of the journal. The pages asked most often (Today, the API's today) make one trip
# instead: the route is ``async`` and hands one function to the pool, which reads who is asking,
# the day and the page through one open reader (a reader entered again joins its read). Same
# rules, same refusals, in the same order; measured, a third more Today pages a second.


@contextmanager
def day_in_trip(
    request: Request, when: str | None, *, strict: bool
) -> Iterator[tuple[SqlUnitOfWork, RunnerDay]]:
    """Inside a route's own trip: one reader, open, and the day asked for, by ``PageDay``'s
    rules (``strict=False``) or ``ApiDay``'s (``strict=True``), read through it."""
    reader = parts(request).reader()
    with reader:
        runner = _runner(request, _visitor(request, reader))
        yield reader, _runner_day(request, runner, when, strict, reader)
