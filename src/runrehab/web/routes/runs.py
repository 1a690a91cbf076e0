"""The runs pages and their JSON API (filled in by the runs work)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
