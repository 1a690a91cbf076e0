"""The templates' own words in German: every word a template shows is marked for translation,
the German catalogue (``web/translations/de/LC_MESSAGES/messages.po``) translates every marked
one with the same placeholders, and it is read as the request's language says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from jinja2 import Environment

from runrehab.content import locale
from runrehab.web import i18n
from runrehab.web.rendering import nice_date, templates

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "src" / "runrehab" / "web" / "templates"
OWN_MARKING: tuple[str, ...] = ()
"""Templates whose words are not checked yet (none)."""

TAG = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^<>]*>", re.DOTALL | re.IGNORECASE)
ENTITY = re.compile(r"&[a-zA-Z]+;|&#\d+;")
ATTRIBUTE = re.compile(r'\b(aria-label|title|placeholder|alt)="([^"\x00]*)"')
NOT_WORDS = re.compile(r"\b(RunRehab|API|JSON|FHIR|PDF|ics|svg|px|em|rem)\b|https?://")
CODE = re.compile(r'^\s*[\w-]+="|="\s*$|^\s*[\w-]*"\s*$|^\s*[/?][\w/?=-]*\s*$')
"""A macro's attributes or a link it writes (``aria-invalid="true"``, ``/checkin?date=``)."""


def unmarked(source: str, env: Environment) -> list[str]:
    """The words of a template outside ``{{ _(...) }}`` and ``{% trans %}``: its text between
    tags, and the text of the attributes people read (a label, a title)."""
    shown, in_trans = [], False
    tokens = [t for t in env.lex(source) if t[1] != "whitespace"]
    for i, (_line, kind, value) in enumerate(tokens):
        if kind == "name" and tokens[i - 1][1] == "block_begin":
            in_trans = {"trans": True, "endtrans": False}.get(value, in_trans)
        if kind == "data" and not in_trans:
            shown.append(value)
        elif kind in ("variable_begin", "block_begin"):
            shown.append("\x00")
    text = "".join(shown)
    words = [v for _n, v in ATTRIBUTE.findall(text) if re.search("[A-Za-z]", NOT_WORDS.sub("", v))]
    between = ENTITY.sub(" ", TAG.sub("\x00", text))
    words += [
        " ".join(piece.split())
        for piece in between.split("\x00")
        if re.search("[A-Za-z]", NOT_WORDS.sub("", piece)) and not CODE.search(piece)
    ]
    return words


def template_names() -> list[str]:
    return sorted(
        str(p.relative_to(TEMPLATES))
        for p in TEMPLATES.rglob("*.html")
        if not str(p.relative_to(TEMPLATES)).startswith(OWN_MARKING)
    )


@pytest.mark.parametrize("name", template_names())
def test_every_word_of_a_template_is_marked_for_translation(name: str) -> None:
    source = (TEMPLATES / name).read_text(encoding="utf-8")
    assert unmarked(source, templates.env) == []


def test_an_unmarked_word_is_found() -> None:
    """The check above can fail: words in text, in a label, around a variable."""
    source = '<p>Hello {{ name }}</p><nav aria-label="Main"></nav>{% trans %}Kept{% endtrans %}'
    assert unmarked(source, templates.env) == ["Main", "Hello"]
    assert unmarked('<p>{{ _("Hello") }} · 3</p><a href="/x?date={{ d }}">', templates.env) == []


def marked() -> dict[str | tuple[str, ...], str]:
    """Every msgid the templates (and the menu) mark, as ``scripts/translations.py`` extracts
    them, with where it was found."""
    method_map = [
        ("src/runrehab/web/rendering.py", "python"),
        ("src/runrehab/web/templates/**.html", "jinja2"),
    ]
    options = {"src/runrehab/web/templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    found: dict[str | tuple[str, ...], str] = {}
    for filename, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map=options
    ):
        found[message] = filename
    return found


PLACEHOLDER = re.compile(r"%\([a-z0-9_]+\)s")


def test_the_german_catalogue_translates_every_marked_word() -> None:
    with i18n.catalogue_path("de").open("rb") as f:
        catalog = read_po(f, locale="de")
    missing, wrong = [], []
    for msgid, where in marked().items():
        if where.startswith(tuple("src/runrehab/web/templates/" + m for m in OWN_MARKING)):
            continue
        message = catalog.get(msgid)
        if (
            message is None
            or message.fuzzy
            or not all(message.string if isinstance(message.string, tuple) else [message.string])
        ):
            missing.append(msgid)
            continue
        strings = message.string
        last = strings if isinstance(strings, str) else (strings or ("",))[-1]
        names = set(PLACEHOLDER.findall(msgid if isinstance(msgid, str) else msgid[-1]))
        if set(PLACEHOLDER.findall(last)) != names:
            wrong.append(msgid)
    assert missing == [], "run scripts/translations.py and translate these"
    assert wrong == []


def test_the_catalogue_is_read_in_the_requests_language() -> None:
    assert i18n.translations("de") is i18n.translations("de")  # compiled once
    with locale.using("de"):
        assert i18n.gettext_("Your account") == "Dein Konto"
        assert i18n.ngettext_("%(count)s new message", "%(count)s new messages", 2) == (
            "%(count)s neue Nachrichten"
        )
        page = templates.env.from_string('{{ _("Your plan") }} {{ _(nav) }}').render(nav="Today")
        assert page == "Dein Plan Heute"
    assert templates.env.from_string('{{ _("Your plan") }}').render() == "Your plan"


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_kept_gettext_says_what_jinjas_own_says(language: str) -> None:
    """``i18n.page_gettext`` keeps the words without values: every marked word of every
    template, with and without values, and a percent sign, read as Jinja's new-style gettext
    reads them."""
    own, kept = (Environment(extensions=["jinja2.ext.i18n"], autoescape=True) for _ in "12")
    for env in (own, kept):
        env.install_gettext_callables(  # type: ignore[attr-defined]
            i18n.gettext_, i18n.ngettext_, newstyle=True
        )
    kept.globals.update(gettext=i18n.page_gettext, _=i18n.page_gettext)
    words = [m for m in marked() if isinstance(m, str)]
    assert len(words) > 100
    sources = [
        '{{ _("100%% of the sets") }}|{{ _("<b>Today</b>") }}',
        '{% trans n=3 %}{{ n }}% of <b>it</b>{% endtrans %}|{{ _("%(x)s & more", x="<i>") }}',
    ]
    # each source compiled once per environment, each word rendered through it
    compiled = {
        with_values: (kept.from_string(source), own.from_string(source))
        for with_values, source in (
            (True, "{{ _(w, **v) }}|{{ _(w, **v) }}"),
            (False, "{{ _(w) }}|{{ _(w) }}"),
        )
    }
    with locale.using(language):
        for word in words:
            values = dict.fromkeys(re.findall(r"%\(([a-z0-9_]+)\)s", word), "<&>")
            kept_template, own_template = compiled[bool(values)]
            said = kept_template.render(w=word, v=values)
            assert said == own_template.render(w=word, v=values), word
        for source in sources:
            assert kept.from_string(source).render() == own.from_string(source).render()


def test_the_day_filter_writes_the_requests_language() -> None:
    assert nice_date("2026-12-02") == "Wed 2 Dec"
    with locale.using("de"):
        assert nice_date("2026-12-02T08:00:00+00:00", True) == "Mi., 2. Dez. 2026"


def test_distances_follow_the_runners_units() -> None:
    from runrehab.web.rendering import distance, in_units, pace

    assert (distance(5.0), pace(5.5), in_units(None)) == ("5 km", "5:30 /km", "")
    with locale.using("en", "mi"):
        assert distance(1.609344) == "1 mi"
        assert distance(10.0) == "6.2 mi"
        assert pace(5.0) == "8:03 /mi"
    with locale.using("de", "km"):
        assert distance(5.25, 2) == "5,25 km"
