"""The one text rule (``runrehab.text``): newline, carriage return and tab are text; NUL, other
control characters and lone surrogates are not, and each refusal says where."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from runrehab.text import bad_texts, text_problem


def test_ordinary_writing_is_text() -> None:
    for good in (
        "",
        "Stairs were fine.\nSore after.\r\n\tRan 3 km",
        "Genou très doux 🦵",
        "é\u0301",
    ):
        assert text_problem(good) is None


def test_what_is_not_text_is_named_with_its_place() -> None:
    assert text_problem("a\x00b") == "contains a NUL character (U+0000, at character 2)"
    assert "(a lone surrogate, U+D800, at character 1)" in (text_problem("\ud800") or "")
    assert "control character (U+001B" in (text_problem("\x1b[31m") or "")
    assert "U+0085" in (text_problem("next\x85line") or "")  # a C1 control
    assert "U+007F" in (text_problem("del\x7f") or "")


def test_every_bad_string_of_a_document_is_found_by_its_json_path() -> None:
    doc = {"notes": "ok", "exercises": [{"id": "a\x00"}], "bad\ud800key": 1, "n": 3}
    found = dict(bad_texts(doc))
    assert set(found) == {"$.exercises[0].id", '$["bad\\ud800key"]'}


@given(st.text(st.characters(codec=None, exclude_categories=())))
def test_whatever_passes_can_be_stored_as_utf8(value: str) -> None:
    if text_problem(value) is None:
        encoded = value.encode("utf-8")  # never raises: no surrogates
        assert b"\x00" not in encoded
