"""Rendering pages: the Jinja2 environment, the context every page gets, and form reading.

Templates live in ``web/templates``; every page extends ``base.html``. Static files are named
with a hash of their content (``static_url``) so browsers may keep them for a year.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Hashable
from contextlib import suppress
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import starlette
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2.bccache import Bucket, BytecodeCache
from markupsafe import Markup

from runrehab.content import cache, locale
from runrehab.content.words import shipped_words
from runrehab.services import units
from runrehab.text import text_problem
from runrehab.web import i18n
from runrehab.web.deps import Visitor, parts, visitor
from runrehab.web.errors import BadRequest
from runrehab.web.kept import PAGES
from runrehab.web.security import CSRF_FIELD, secure_cookies, set_csrf_cookie

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"


class KeptTemplates(BytecodeCache):
    """The compiled templates, kept between runs beside the parsed content
    (``~/.cache/runrehab/templates``): every server process compiled every template as it
    started (``web.app.settle``), about a second of CPU each time; now only the first one after
    a change does. What is kept is used only for the same template source, the same
    environment (this module, which sets it up, and the Jinja and Starlette that compile) and
    the same Python (Jinja's own check); anything else, or a file that cannot be read, and the
    template is compiled again. A folder that cannot be written is no error."""

    def get_source_checksum(self, source: str) -> str:
        return hashlib.sha1(_ENVIRONMENT + source.encode()).hexdigest()

    def load_bytecode(self, bucket: Bucket) -> None:
        # whatever a damaged file makes pickle or marshal raise: compiled again instead
        with suppress(Exception), self._path(bucket).open("rb") as kept:
            bucket.load_bytecode(kept)
            return
        bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        compiled = io.BytesIO()
        bucket.write_bytecode(compiled)
        cache.write_atomically(self._path(bucket), compiled.getvalue())

    @staticmethod
    def _path(bucket: Bucket) -> Path:
        return cache.cache_dir("templates") / f"{bucket.key}.jinja"


_ENVIRONMENT = "|".join(
    (
        jinja2.__version__,
        starlette.__version__,
        hashlib.sha256(Path(__file__).read_bytes()).hexdigest(),
    )
).encode()
"""What a template is compiled with, besides its source (``KeptTemplates``)."""
templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.bytecode_cache = KeptTemplates()
# templates ship with the product and do not change under a running server: not looked at on
# disk again for every page (and every template a page extends or imports)
templates.env.auto_reload = False
# the templates' own words are marked for translation ({{ _("...") }}, {% trans %}), said in
# the request's language (``content.locale``, ``web.i18n``)
templates.env.add_extension("jinja2.ext.i18n")
templates.env.install_gettext_callables(  # type: ignore[attr-defined]
    i18n.gettext_,
    i18n.ngettext_,
    newstyle=True,
    pgettext=i18n.pgettext_,
    npgettext=i18n.npgettext_,
)
# the same words, each looked up and formatted once per language where it has no values
templates.env.globals.update(gettext=i18n.page_gettext, _=i18n.page_gettext)


def _(message: str) -> str:
    """Marks a word of this module for the templates' catalogue (said through ``_()`` there)."""
    return message


NAV = (
    ("today", _("Today"), "/today"),
    ("checkin", _("Check in"), "/checkin"),
    ("plan", _("Plan"), "/plan"),
    ("progress", _("Progress"), "/progress"),
    ("runs", _("Runs"), "/runs"),
    ("library", _("Library"), "/library"),
)


@lru_cache(maxsize=256)
def _digest(path: str) -> str:
    file = STATIC / path
    try:
        return hashlib.sha256(file.read_bytes()).hexdigest()[:12]
    except OSError:
        return "0"


def static_url(path: str) -> str:
    """``/static/<path>?v=<hash>``: a new file gets a new address, so caches never go stale."""
    return f"/static/{path}?v={_digest(path)}"


def csrf_input(token: str) -> Markup:
    return Markup('<input type="hidden" name="{}" value="{}">').format(CSRF_FIELD, token)


def nice_date(value: date | str | None, with_year: bool = False) -> str:
    """The one way a page writes a day, in the request's language (``content.locale``):
    "Wed 2 Dec", or "Wed 2 Dec 2026" with the year ("Mi., 2. Dez." in German). Takes a date,
    an ISO date or the date part of an ISO timestamp ("2026-12-02T08:00:00+00:00")."""
    if value is None or value == "":
        return ""
    day = date.fromisoformat(value[:10]) if isinstance(value, str) else value
    return locale.day_text(day, with_year)


def distance(km: float | None, digits: int = 1) -> str:
    """``{{ run.distance_km | distance }}``: "5.2 km", or "3.2 mi" for a runner who reads
    miles (``services.units``); nothing for an unknown distance."""
    if km is None:
        return ""
    return units.distance_text(shipped_words(), km, digits=digits)


def in_units(km: float | None, digits: int = 1) -> str:
    """A distance's number alone, in the runner's units (a table whose heading names them)."""
    if km is None:
        return ""
    return locale.number_text(units.in_units(km), digits)


def pace(minutes_per_km: float | None) -> str:
    """ "5:30 /km", or "8:51 /mi" in miles; nothing for an unknown pace."""
    if minutes_per_km is None:
        return ""
    return units.pace_text(shipped_words(), minutes_per_km * 60)


def unit() -> str:
    """ "km" or "mi": the runner's unit of distance, for a table's heading."""
    return locale.units()


def plural(n: int | float, one: str, other: str | None = None) -> str:
    """A count with its noun: ``{{ 1 | plural('run') }}`` is "1 run", ``{{ 3 | plural('run') }}``
    "3 runs"; ``other`` for a noun that is not made plural with an "s". English only: a page
    in another language counts with ``ngettext`` (``{% trans count=n %}``)."""
    many = other if other is not None else f"{one}s"
    return f"{n} {one if n == 1 else many}"


def emergency_call(request: Request) -> dict[str, str]:
    """The number a red-flag screen offers to call, and the words beside it: a setting of the
    content (``words/emergency.toml``), not a guess from the time zone."""
    words = parts(request).content.words
    return {
        "number": words.say("emergency.call.number"),
        "where": words.say("emergency.call.where"),
    }


templates.env.globals.update(
    static_url=static_url,
    NAV=NAV,
    emergency_call=emergency_call,
    unit=unit,
    language=locale.current,
)
templates.env.filters["nice_date"] = nice_date
templates.env.filters["plural"] = plural
templates.env.filters["distance"] = distance
templates.env.filters["in_units"] = in_units
templates.env.filters["pace"] = pace


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    status_code: int = 200,
    active: str | None = None,
    kept: tuple[object, Hashable] | None = None,
) -> HTMLResponse:
    """A page, with the visitor, their CSRF token and the active navigation item.

    ``kept``: (the kept value the page shows, the rest of what the context holds), for a page
    drawn from a view kept while its data is unchanged (``services.journal.kept``): the page
    drawn once for the same view, the same rest, the same visitor, language and units is
    handed out again (``web.kept``)."""
    who: Visitor = visitor(request)
    values: dict[str, Any] = {
        "visitor": who,
        "signed_in": who.signed is not None,
        "csrf_token": who.csrf_token,
        "csrf_input": csrf_input(who.csrf_token),
        "active": active,
        # the pain numbers of the settings, for every page: {{ pain.green_max_pain }}
        "pain": parts(request).content.pain,
    }
    values.update(context or {})
    if kept is not None and not who.new_csrf_cookie:
        shown, rest = kept
        said_as = (who.csrf_token, who.signed is not None, locale.current(), locale.units())
        key = (template, active, status_code, said_as, rest)
        # as TemplateResponse does; a kept page reads only the request's language from it
        values["request"] = request
        html = PAGES.drawn(shown, key, lambda: templates.get_template(template).render(values))
        return HTMLResponse(html, status_code=status_code)
    response = templates.TemplateResponse(request, template, values, status_code=status_code)
    if who.new_csrf_cookie:
        secure = secure_cookies(request, parts(request).config.secure_cookies)
        set_csrf_cookie(response, who.csrf_token, secure)
    return response


async def form_fields(request: Request) -> dict[str, str]:
    """The submitted form's text fields (a repeated field keeps its last value); files are
    left out. Malformed bodies read as empty, and each page then says what is missing."""
    try:
        form = await request.form()
    except Exception:  # a body that is not a form at all: treated as an empty form
        return {}
    return {k: _valid(k, v) for k, v in form.items() if isinstance(v, str)}


async def form_lists(request: Request) -> dict[str, list[str]]:
    """Like ``form_fields`` but every value of a repeated field (checkbox groups)."""
    try:
        form = await request.form()
    except Exception:
        return {}
    found: dict[str, list[str]] = {}
    for key, value in form.multi_items():
        if isinstance(value, str):
            found.setdefault(key, []).append(_valid(key, value))
    return found


def _valid(field: str, value: str) -> str:
    """A form field's text, refused (400, naming the field) when it breaks the text rule of
    ``runrehab.text``: a browser never sends NUL or other control characters from a form."""
    problem = text_problem(value) or text_problem(field)
    if problem is not None:
        shown = field if text_problem(field) is None else "a field"
        raise BadRequest(f"The form's {shown!r} {problem}; remove it and send the form again.")
    return value
