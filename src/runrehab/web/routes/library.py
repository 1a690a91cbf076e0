"""The library pages and their JSON API (filled in by the library work)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
