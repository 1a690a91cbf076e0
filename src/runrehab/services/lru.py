"""The one store a process keeps what it worked out in: at most ``size`` values, the least
recently used going first, safe to share between a server's threads.

What is kept in one is only ever a shortcut: its key holds everything the value depends on
(``journal.folds``, ``journal.kept``, ``progress.drawn``, ``web.kept``), so a kept value is
never stale, only sometimes missing, and then it is made again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Lru(Generic[K, V]):
    """A thread-safe least-recently-used store."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._kept: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def peek(self, key: K) -> V | None:
        """The value kept for ``key`` (now the most recently used), None when none is."""
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
            return kept

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._kept[key] = value
            self._kept.move_to_end(key)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)

    def get(self, key: K, make: Callable[[], V]) -> V:
        """The value of ``key``, made now (outside the lock) when it is not kept."""
        kept = self.peek(key)
        if kept is not None:
            return kept
        value = make()
        self.put(key, value)
        return value

    def __contains__(self, key: K) -> bool:
        with self._lock:
            return key in self._kept

    def __len__(self) -> int:
        return len(self._kept)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
