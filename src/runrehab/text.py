"""The one rule for text a person sends: valid Unicode that can be stored and shown, or refused.

Free text reaches RunRehab from JSON documents, forms, the command line and files. Two kinds of
character in it break things later rather than at once: a lone surrogate (``"\\ud800"`` is valid
JSON but no character, so it can never be encoded as UTF-8: every page and answer that shows it
fails) and control characters (NUL cannot be stored by PostgreSQL; the others are invisible and
only ever typed by accident or by an attacker). So every text is checked once, where it comes
in, and refused with its place named; newline, carriage return and tab are the only control
characters a person types.

Used by the document check (``adapters.contract_check``) and ``adapters.documents``, the
web form readers, the account rules and the note use case; it imports nothing of RunRehab's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

_ALLOWED_CONTROLS = "\t\n\r"
_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
"""C0 controls but tab, newline and carriage return; DEL and the C1 controls; surrogates."""


def text_problem(value: str) -> str | None:
    """Why ``value`` cannot be taken, in words, or None when it can.

    Example: ``text_problem("a\\x00b")`` is "contains a NUL character (U+0000)"."""
    found = _BAD.search(value)
    if found is None:
        return None
    code = ord(found.group())
    where = f"U+{code:04X}, at character {found.start() + 1}"
    if code == 0:
        return f"contains a NUL character ({where})"
    if 0xD800 <= code <= 0xDFFF:
        return f"contains half of a character (a lone surrogate, {where}), which is not text"
    return f"contains an invisible control character ({where})"


def check_text(value: str, field: str) -> str:
    """``value`` itself when it is valid text; else ``InvalidText`` naming ``field``."""
    problem = text_problem(value)
    if problem is not None:
        raise InvalidText(field, problem)
    return value


class InvalidText(ValueError):
    """Text that breaks the rule: ``field`` names where it was (a JSON path or a form field)."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


def bad_texts(value: Any, path: str = "$") -> Iterator[tuple[str, str]]:
    """Every (JSON path, problem) of a parsed JSON value's strings, object keys included."""
    if isinstance(value, str):
        problem = text_problem(value)
        if problem is not None:
            yield path, problem
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from bad_texts(item, f"{path}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            key_problem = text_problem(key)
            if key_problem is not None:
                yield f"{path}[{json.dumps(key)}]", f"has a field name that {key_problem}"
                continue
            yield from bad_texts(item, _join(path, key))


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if key.isidentifier() else f"{path}[{json.dumps(key)}]"
