"""A view becomes JSON in one way (``services.views.jsonable``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from runrehab.services.views import jsonable


class Colour(StrEnum):
    GREEN = "green"


@dataclass(frozen=True)
class Inner:
    day: date
    colour: Colour


@dataclass(frozen=True)
class Outer:
    name: str
    items: tuple[Inner, ...]
    start: date = field(metadata={"json": "from"})
    page_only: str = field(default="x", metadata={"json": None})
    extra: dict[str, int] = field(default_factory=dict)


def test_a_view_is_plain_json_with_its_fields_in_order() -> None:
    view = Outer("a", (Inner(date(2026, 12, 1), Colour.GREEN),), date(2026, 12, 2), extra={"k": 1})
    assert jsonable(view) == {
        "name": "a",
        "items": [{"day": "2026-12-01", "colour": "green"}],
        "from": "2026-12-02",
        "extra": {"k": 1},
    }
    assert list(jsonable(view)) == ["name", "items", "from", "extra"]
