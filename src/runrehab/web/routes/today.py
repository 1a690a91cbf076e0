"""The today pages and their JSON API (filled in by the today work)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
