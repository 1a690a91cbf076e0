"""The API's shared contract, for every room's operations: ``api_error_responses`` documents
the error answers an operation can give, each with the body it has (``ErrorOut``,
``BadInputOut``, ``InvalidOut``: the shapes ``web.errors`` writes); ``TEXT_PATTERN`` is the
text rule as a schema pattern and ``TIME_ZONES`` the zones an account can take. How a day is
written in a query is ``web.query``'s.

These are the OpenAPI document's words, read by developers: they stay here, in the API's
own language, rather than in the runner's words (``content/data/words``).
"""

from __future__ import annotations

from typing import Any
from zoneinfo import available_timezones

from pydantic import BaseModel, ConfigDict, Field


class ErrorOut(BaseModel):
    """The body of every error answer of the API."""

    model_config = ConfigDict(extra="forbid")

    detail: str = Field(description="What is wrong, in plain words.")


class FieldProblem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    field: str = Field(
        description="Where: a body field (`password`), a parameter (`query.days`) or a place "
        "in a document, as a JSON path (`$.pain.now`)."
    )
    message: str


class BadInputOut(ErrorOut):
    """A 400: the message, and the fields it is about when there are some."""

    errors: list[FieldProblem] | None = Field(
        None, description="The fields that are not right, each with why (not always given)."
    )


class InvalidOut(ErrorOut):
    """A 422: the request does not have the shape the operation takes; each problem named."""

    errors: list[FieldProblem] = Field(description="Every problem found, with its place.")


_ERRORS: dict[int, tuple[str, type[ErrorOut]]] = {
    400: (
        "Bad input: the message names what is wrong. (Also the answer to an address with a "
        "NUL character in it, for every operation.)",
        BadInputOut,
    ),
    401: ("Not signed in: send `Authorization: Bearer <token>`.", ErrorOut),
    403: ("Refused (a missing CSRF token with cookie sign-in).", ErrorOut),
    404: ("No such thing, or not yours.", ErrorOut),
    409: ("Not possible now (e.g. no programme yet).", ErrorOut),
    413: ("Too large.", ErrorOut),
    422: ("Invalid request: each error names its field.", InvalidOut),
    429: ("Too many attempts: wait Retry-After seconds.", ErrorOut),
    503: ("The database is not answering: try again in a minute.", ErrorOut),
}
_HEADERS: dict[int, dict[str, Any]] = {
    401: {
        "WWW-Authenticate": {
            "description": "How to sign in: `Bearer`.",
            "required": True,
            "schema": {"type": "string"},
        }
    },
    429: {
        "Retry-After": {
            "description": "Seconds to wait before trying again.",
            "required": True,
            "schema": {"type": "integer", "minimum": 0},
        }
    },
}


def answer_doc(description: str, model: type[BaseModel]) -> dict[str, Any]:
    """An answer's OpenAPI description with its body's model (FastAPI's ``responses`` form)."""
    return {"description": description, "model": model}


def api_error_responses(*codes: int, database: bool = True) -> dict[int | str, dict[str, Any]]:
    """OpenAPI descriptions of the error answers a route can give, each with its body schema
    (all ``{"detail": ...}``; 422 and some 400s add ``errors``, each with its ``field``).

    ``database``: the route reads or writes the database, so it may also answer 503 when the
    database does not answer. Every operation may answer 400 (the NUL guard, see
    ``web.app``), documented there when a route does not list 400 itself."""
    wanted = sorted({*codes, 503} if database else set(codes))
    return {code: error_response(code) for code in wanted}


def error_response(code: int) -> dict[str, Any]:
    """One error answer's OpenAPI description (FastAPI's ``responses`` form)."""
    words, model = _ERRORS[code]
    answer: dict[str, Any] = {"description": words, "model": model}
    if code in _HEADERS:
        answer["headers"] = _HEADERS[code]
    return answer


TEXT_PATTERN = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
"""The text rule of ``runrehab.text`` as a JSON Schema pattern: no control character but tab,
newline and carriage return (a lone surrogate, which no schema pattern can name portably, is
refused too). ``web.app`` puts it on every string and key a JSON body may hold."""
TIME_ZONES = tuple(sorted(available_timezones()))
"""The time zones an account can take (``services.accounts.account.check_timezone`` takes these)."""

WATCH_UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["files"],
                    "properties": {
                        "files": {
                            "type": "array",
                            "minItems": 1,
                            "items": {"type": "string", "format": "binary"},
                            "description": "FIT, GPX or TCX files (also .gz), or .zip exports.",
                        },
                        "timezone": {
                            "type": "string",
                            "enum": ["", *TIME_ZONES],
                            "description": "Where GPX/TCX runs without an offset were recorded "
                            "(left out or empty: the account's time zone).",
                            "example": "Europe/London",
                        },
                    },
                }
            }
        },
    }
}
"""The body of ``POST /api/v1/activities``: watch files as a multipart form, which FastAPI
cannot describe from the route's signature."""
