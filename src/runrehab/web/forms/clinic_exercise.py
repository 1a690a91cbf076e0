"""The form of a clinic's own exercise (the card's fields and a picture or a short video), as
the page and the API post it: read into the fields and the file's bytes the use case takes.
A body too large for any exercise is refused before it is read (413), one that is not a form
with a clear 400."""

from __future__ import annotations

from fastapi import HTTPException, Request
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from runrehab.content.words import Words
from runrehab.services.clinic import exercises
from runrehab.services.clinic.exercises import PICTURE_MAX, VIDEO_MAX
from runrehab.web.errors import BadRequest

FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
FORM_ROOM = 1024 * 1024
"""What an exercise's form may hold beside its file (the card's text)."""


async def exercise_form(
    request: Request, words: Words
) -> tuple[dict[str, list[str]], bytes | None]:
    """The card's fields (each field's values) and the media's bytes (None without a file)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > VIDEO_MAX + FORM_ROOM:
        raise HTTPException(413, too_large(words))
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind not in FORM_TYPES:
        raise BadRequest(words.say("clinic_care.exercise.form"), "body")
    fields: dict[str, list[str]] = {}
    media: bytes | None = None
    try:
        form = await request.form()
    except (StarletteHTTPException, HTTPException):
        raise
    except Exception as err:  # not a form at all, or a broken one
        raise BadRequest(words.say("clinic_care.exercise.form"), "body") from err
    try:
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                if key == "media":
                    data = await value.read(VIDEO_MAX + 1)
                    media = data or None  # a file input left empty sends an empty part
            elif key == "media":
                media = value.encode("utf-8", "replace")
            else:
                fields.setdefault(key, []).append(value)
    finally:
        await form.close()
    return fields, media


def too_large(words: Words) -> str:
    return words.say(
        "clinic_care.exercise.upload_too_large",
        picture=exercises.size_words(words, PICTURE_MAX),
        video=exercises.size_words(words, VIDEO_MAX),
    )
