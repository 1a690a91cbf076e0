"""The plan pages and their JSON API (filled in by the plan work)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
