"""The onboarding pages and their JSON API (filled in by the onboarding work)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
