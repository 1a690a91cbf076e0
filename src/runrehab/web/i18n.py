"""The templates' own words in the reader's language: gettext catalogues read from
``web/translations/<lang>/LC_MESSAGES/messages.po``.

The ``.po`` file is the only form kept (no compiled ``.mo`` in git): it is compiled in memory
the first time a language is asked for, once per process. Its words are marked in the templates
with ``{{ _("...") }}`` and ``{% trans %}``, extracted to ``messages.pot`` and merged into each
language's ``.po`` by ``scripts/translations.py``; a test fails when a template holds a word that
is not marked, or a marked one the ``.po`` has no translation for.
"""

from __future__ import annotations

import gettext
from functools import cache, lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from runrehab.content import locale

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
DOMAIN = "messages"


def catalogue_path(language: str) -> Path:
    return TRANSLATIONS / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalogue of ``language`` (English is the templates' own words)."""
    if language == locale.DEFAULT:
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with catalogue_path(language).open("rb") as po:
        catalog = read_po(po, locale=language, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog)  # fuzzy entries are left out: English until checked
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def gettext_(message: str) -> str:
    """``message`` in the current language (``content.locale``)."""
    return translations(locale.current()).gettext(message)


def ngettext_(singular: str, plural: str, n: int) -> str:
    return translations(locale.current()).ngettext(singular, plural, n)


def pgettext_(context: str, message: str) -> str:
    return translations(locale.current()).pgettext(context, message)


def npgettext_(context: str, singular: str, plural: str, n: int) -> str:
    return translations(locale.current()).npgettext(context, singular, plural, n)


# --- the templates' gettext ----------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _said(language: str, message: str) -> Markup:
    """``message`` in ``language`` as a template writes it with no values: marked safe and
    read as a format string, as Jinja's own new-style gettext does (``%%`` is a percent)."""
    return Markup(translations(language).gettext(message)) % {}


@pass_context
def page_gettext(context: Context, message: str, /, **values: Any) -> str:
    """Jinja's new-style ``gettext`` (and ``_``), giving the same text: a page says some
    eighty words, most without values, so those are looked up and formatted once per
    language, not once per page."""
    if not context.eval_ctx.autoescape:
        return translations(locale.current()).gettext(message) % values
    if not values:
        return _said(locale.current(), message)
    return Markup(translations(locale.current()).gettext(message)) % values
