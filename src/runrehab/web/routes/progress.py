"""The progress pages and their JSON API (filled in by the progress work)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
