"""The health check: 200 when the database answers, 503 when it does not."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from runrehab.services.health import health
from runrehab.services.views import jsonable
from runrehab.web.api_docs import answer_doc
from runrehab.web.deps import Parts

router = APIRouter()


class HealthOut(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: str = Field(description="ok, or unavailable when the database does not answer.")
    database: str = Field(description="ok or down.")


@router.get(
    "/healthz",
    tags=["system"],
    summary="Health: 200 when the database answers",
    response_model=HealthOut,
    responses={503: answer_doc(description="The database does not answer.", model=HealthOut)},
)
def healthz(app_parts: Parts) -> JSONResponse:
    found = health(app_parts.reader())
    return JSONResponse(jsonable(found), status_code=200 if found.ok else 503)
