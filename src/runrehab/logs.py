"""The logs of a server or worker process: readable text by default, one JSON object a line
with ``RUNREHAB_LOG_FORMAT=json``, and on every line the id of the request (or the job) it
was written for.

``bound(request_id=...)`` (or ``bind``/``unbind``) puts fields in the context of what runs
now; every record logged in that context carries them, in whatever thread the request's work
runs (Starlette copies the context into its threads). ``configure`` installs the one handler,
on the root logger, so the lines of the libraries (procrastinate, uvicorn's errors) come in
the same form. Standard library only: every layer may log.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar, Token
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any, TextIO

FORMATS = ("text", "json")
_NONE: Mapping[str, str] = MappingProxyType({})
_fields: ContextVar[Mapping[str, str]] = ContextVar("runrehab_log_fields", default=_NONE)
_RESERVED = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message"}


def bind(**fields: str) -> Token[Mapping[str, str]]:
    """Add ``fields`` to every line logged in this context from now; ``unbind`` the token."""
    return _fields.set(MappingProxyType({**_fields.get(), **fields}))


def unbind(token: Token[Mapping[str, str]]) -> None:
    _fields.reset(token)


@contextmanager
def bound(**fields: str) -> Iterator[None]:
    token = bind(**fields)
    try:
        yield
    finally:
        unbind(token)


def current() -> Mapping[str, str]:
    """The fields bound now."""
    return _fields.get()


class ContextFilter(logging.Filter):
    """Puts the bound fields on each record (as ``record.context``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.context = dict(_fields.get())
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, the bound fields
    (``request_id``, ``job``), the record's own extras, and the traceback if any."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update(getattr(record, "context", {}))
        for name, value in record.__dict__.items():
            if name not in _RESERVED and name != "context" and not name.startswith("_"):
                line[name] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """``12:03:04 INFO runrehab.access [9f2c...] GET /today 200 12.3 ms``."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s%(ids)s %(message)s", "%H:%M:%S")

    def format(self, record: logging.LogRecord) -> str:
        context = getattr(record, "context", {})
        record.ids = f" [{' '.join(context.values())}]" if context else ""
        return super().format(record)


class _Stderr(logging.StreamHandler[TextIO]):
    """Writes to whatever ``sys.stderr`` is when a line is written (as Python's own last
    resort does), never to a stream replaced since."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        pass


def configure(form: str = "text", stream: TextIO | None = None) -> logging.Handler:
    """Log RunRehab's lines from INFO up, and everyone's from WARNING up, in ``form`` (text or
    json) to ``stream`` (standard error by default), in place of the handler a previous call
    installed; the handler. The line each request ends with (``runrehab.access``) is logged
    in JSON only."""
    handler: logging.Handler = _Stderr() if stream is None else logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter() if form == "json" else TextFormatter())
    handler.addFilter(ContextFilter())
    handler.set_name("runrehab")
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == "runrehab"]:
        root.removeHandler(old)
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.WARNING:
        root.setLevel(logging.WARNING)
    logging.getLogger("runrehab").setLevel(logging.INFO)
    logging.getLogger("procrastinate").setLevel(logging.INFO)
    # a line per request is for the log collector; a developer's terminal shows what matters
    access = logging.INFO if form == "json" else logging.WARNING
    logging.getLogger("runrehab.access").setLevel(access)
    return handler
