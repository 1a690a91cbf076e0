"""Text drawn from a view that ``services.journal.kept`` keeps while its data is unchanged: the
Today page's HTML (``rendering.render(kept=...)``) and the API's today document, drawn once
and handed out again for as long as the same view object is (with everything else the text
depends on in the key)."""

from __future__ import annotations

from collections.abc import Callable, Hashable

from runrehab.services.lru import Lru


class KeptPages:
    """Pages and documents drawn from a kept view: (the view, the rest of the key) → the
    text drawn (a page's HTML, a document's JSON).

    A kept view is the same object for as long as the data it was worked out from is unchanged
    (``services.journal.kept``), so the view's identity, with everything else the page's
    context holds, names the page: the same key draws the same page. Each entry holds its view,
    so no other object takes its id while the entry is kept; the number of pages kept is
    bounded (least recently used go first)."""

    def __init__(self, size: int = 512) -> None:  # a Today page is about 17 KB: 9 MB at most
        self._kept: Lru[tuple[int, Hashable], tuple[object, str]] = Lru(size)

    def drawn(self, shown: object, key: Hashable, draw: Callable[[], str]) -> str:
        full = (id(shown), key)
        found = self._kept.peek(full)
        if found is not None and found[0] is shown:
            return found[1]
        text = draw()
        self._kept.put(full, (shown, text))
        return text

    def clear(self) -> None:
        self._kept.clear()

    def __len__(self) -> int:
        return len(self._kept)


PAGES = KeptPages()
