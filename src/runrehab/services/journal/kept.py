"""What this process worked out from a person's journal, kept while the journal is unchanged.

The store names the state of a person's rows in ``Person.data_version`` (the database changes
it in the same transaction as any change to the rows a day is planned from, whoever makes it).
A view worked out from rows read under one version is the view of every later read under the
same version, so it is handed out again in place of reading and planning the day once more;
a new check-in, a physiotherapist's change, a watch import or a questionnaire makes a new
version, and the next read works the day out afresh. A store without versions (None) keeps
nothing. The kept views are frozen values; the number kept is bounded (least recently used
go first).
"""

from __future__ import annotations

from datetime import date
from typing import Generic, TypeVar

from runrehab.content import locale
from runrehab.services.lru import Lru
from runrehab.services.records import Person

KEPT = 1024
"""How many (person, day) views a process keeps (about 12 KB each: 12 MB at most)."""

View = TypeVar("View")


Key = tuple[str, str, date, str, str]


def _key(person: Person, version: str, day: date) -> Key:
    """The view's words are said in the reader's language and distances in their units (the
    ``content.locale`` of the work under way): another language or unit is another view."""
    return (person.id, version, day, locale.current(), locale.units())


class KeptViews(Generic[View]):
    """(person, their data version, day, language, units) → the view worked out from them,
    with the content (words, protocol) it was worked out with."""

    def __init__(self, size: int = KEPT) -> None:
        self._kept: Lru[Key, tuple[object, View]] = Lru(size)

    def get(self, person: Person, day: date, content: object) -> View | None:
        if person.data_version is None:
            return None
        found = self._kept.peek(_key(person, person.data_version, day))
        if found is None:
            return None
        kept_content, view = found
        return view if kept_content is content else None

    def put(self, person: Person, day: date, content: object, view: View) -> None:
        if person.data_version is not None:
            self._kept.put(_key(person, person.data_version, day), (content, view))

    def clear(self) -> None:
        self._kept.clear()

    def __len__(self) -> int:
        return len(self._kept)
