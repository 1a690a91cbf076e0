"""Drawings kept in this process, by what they were drawn from: a chart's SVG or the report's
PDF, keyed by (what, person, journal revision, unit, language, drawing version).

Only ever an optimisation: several processes may serve, each with its own copy, and a key
holds everything the drawing depends on, so a kept drawing is never stale, only sometimes
missing (then it is drawn again). Least recently used drawings go first.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable

from runrehab.services.lru import Lru

CHARTS_KEPT = 512
"""Charts: five a runner, a few revisions each."""
REPORTS_KEPT = 32
"""PDF reports: about 60 kB each."""


Drawn = Lru[Hashable, bytes]
"""A thread-safe least-recently-used store of drawings (``Lru.get`` draws a missing one)."""


def etag(key: Hashable) -> str:
    """A strong ETag naming ``key``: the same drawing has the same tag in every process."""
    return '"' + hashlib.sha256(repr(key).encode("utf-8")).hexdigest()[:24] + '"'


def matches(if_none_match: str | None, tag: str) -> bool:
    """Whether an If-None-Match header names ``tag`` (a list, weak tags and ``*`` too)."""
    if not if_none_match:
        return False
    sent = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
    return "*" in sent or tag in sent


CHARTS = Drawn(CHARTS_KEPT)
REPORTS = Drawn(REPORTS_KEPT)
