"""Watch files in: FIT, GPX and TCX (plain, gzipped, in zips and bulk exports) read into the
engine's ``Recording``.

``discover`` lists what a set of paths holds without reading any activity file; ``read_source``
reads one file (in any process: a ``Source`` is picklable) and never raises for a bad file:
what cannot be read comes back as a ``RejectedFile`` with the reason in plain words.
"""

from runrehab.adapters.watch.model import (
    DEFAULT_LIMITS,
    Discovery,
    Limits,
    ReadFile,
    RejectedFile,
    Source,
)
from runrehab.adapters.watch.reader import read_source
from runrehab.adapters.watch.sources import close_archives, discover

__all__ = [
    "DEFAULT_LIMITS",
    "Discovery",
    "Limits",
    "ReadFile",
    "RejectedFile",
    "Source",
    "close_archives",
    "discover",
    "read_source",
]
