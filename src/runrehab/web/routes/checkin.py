"""The checkin pages and their JSON API (filled in by the checkin work)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
