"""Every word a person reads is content (issue 14, item 3).

The use cases (``services/``), the web's routes and the command line hold no sentence a person
reads: they ask the content's words for one by key (``content.words``). This test reads every
string literal of those folders (f-strings included, docstrings and comments not) and fails on
one that reads like English words for a person, outside a short allow-list of technical
strings. And every key the code asks for exists, with the values its text names.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from runrehab.content.words import MissingWords, shipped_words

SRC = Path(__file__).resolve().parent.parent / "src" / "runrehab"
SCANNED = ("services", "web/routes", "web/pages", "web/api", "cli")

ENGLISH = re.compile(r"[A-Za-z]{2,}[,;:]? [A-Za-z]{2,}")
"""Two words of letters side by side: "no programme", "Check in"; not "text/html" or "$.x"."""

TECHNICAL_KEYWORDS = frozenset(
    {
        # OpenAPI documentation: read by developers, in the API's own language
        "summary",
        "description",
        "response_description",
        "title",
        "tags",
        "pattern",
        "examples",
        "example",
        # names and formats
        "alias",
        "metavar",
        "envvar",
        "media_type",
        "name",
        "thread_name_prefix",
    }
)
"""Keyword arguments whose strings are never read by a runner."""

LOGGING = frozenset({"debug", "info", "warning", "error", "exception", "critical"})

ALLOWED: frozenset[str] = frozenset(
    {
        "unknown programme state field ",  # a stored state from another release: for the admin
    }
)
"""Strings that look like words but are technical (a header value, a format, an error only
an administrator of a damaged database ever sees)."""


def _modules() -> list[Path]:
    return sorted(p for folder in SCANNED for p in (SRC / folder).rglob("*.py") if p.is_file())


def english_literals(path: Path) -> Iterator[tuple[int, str]]:
    """(line, text) of every string literal of ``path`` that reads like words for a person."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and _is_string_statement(body[0]):
            skip.add(id(body[0].value))  # a docstring
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            skip.add(id(node.value))  # a bare string: an attribute's docstring
        if isinstance(node, ast.keyword) and node.arg in TECHNICAL_KEYWORDS:
            skip.update(id(n) for n in ast.walk(node.value))
        if isinstance(node, ast.Call) and _is_logging(node.func):
            skip.update(id(n) for arg in node.args for n in ast.walk(arg))
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        if id(node) not in skip and node.value not in ALLOWED and ENGLISH.search(node.value):
            yield node.lineno, node.value


def _is_string_statement(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def _is_logging(func: ast.expr) -> bool:
    return (
        isinstance(func, ast.Attribute)
        and func.attr in LOGGING
        and (isinstance(func.value, ast.Name) and func.value.id in {"log", "logger", "logging"})
    )


def _name(path: Path) -> str:
    return str(path.relative_to(SRC))


@pytest.mark.parametrize("path", _modules(), ids=_name)
def test_no_sentence_for_a_person_is_written_in_code(path: Path) -> None:
    found = list(english_literals(path))
    assert not found, "\n".join(
        f"{_name(path)}:{line}: {text!r} (move it to content/data/words/)" for line, text in found
    )


KEY_CALL = re.compile(
    r"""\.(say|say_count|has)\(\s*(["'])(?P<key>[a-z][a-z0-9_]*\.[a-z0-9_.]+)\2"""
)


def test_every_key_the_code_asks_for_exists() -> None:
    words = shipped_words()
    missing = []
    for path in SRC.rglob("*.py"):
        if path.name == "words.py":
            continue  # its docstring's examples
        for match in KEY_CALL.finditer(path.read_text(encoding="utf-8")):
            key = match["key"]
            exists = words.has(key) if match[1] != "say_count" else words.has(f"{key}.other")
            if not exists:
                missing.append(f"{_name(path)}: {key}")
    assert not missing, "\n".join(missing)


def test_a_text_is_given_exactly_the_values_it_names() -> None:
    words = shipped_words()
    assert words.say_count("common.count.run", 1) == "1 run"
    assert words.say_count("common.count.run", 3) == "3 runs"
    with pytest.raises(MissingWords, match="no words named"):
        words.say("common.nowhere")
    with pytest.raises(MissingWords, match="names"):
        words.say("common.count.run.one")  # $n not given
    with pytest.raises(MissingWords, match="names"):
        words.say("common.count.run.one", n=1, extra=2)


def test_the_words_kept_between_runs_are_the_words_of_the_files() -> None:
    """``shipped_words`` reads its rendered cache when the files have not changed since: it
    must say what rendering the files now says."""
    from runrehab.content.loader import placeholder_values
    from runrehab.content.words import WORDS, load_words

    assert dict(shipped_words().texts) == dict(load_words(WORDS, placeholder_values()).texts)
