"""Shared test fixtures: the shipped protocol, and a typical assessment to vary."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from runrehab.adapters.documents import read_assessment
from runrehab.content import loader
from runrehab.engine.assessment import Assessment
from runrehab.engine.protocol import Protocol

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

TYPICAL: dict[str, Any] = {
    "age": 34,
    "side": "right",
    "pain": {
        "now": 3,
        "at_rest": 1,
        "worst_last_week": 6,
        "location": ["around_kneecap", "behind_kneecap"],
        "provoked_by": ["running", "stairs_down", "squatting", "prolonged_sitting"],
    },
    "running": {
        "currently_running": True,
        "pain_during_run": 5,
        "pain_rises_during_run": True,
        "pain_settles_within_24h": True,
        "weekly_km_before_pain": 30,
        "longest_run_km_last_30_days": 12,
        "runs_per_week_before_pain": 3,
    },
    "history": {"symptom_weeks": 4, "trend": "unchanged", "onset": "gradual"},
    "signs": {"swelling": "none"},
}


def typical_doc(**changes: Any) -> dict[str, Any]:
    """The typical assessment with dotted-path changes: typical_doc(**{"signs.hot": True})."""
    doc = copy.deepcopy(TYPICAL)
    for dotted, value in changes.items():
        node = doc
        *parents, leaf = dotted.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        if value is None:
            node.pop(leaf, None)
        else:
            node[leaf] = value
    return doc


def typical(**changes: Any) -> Assessment:
    return read_assessment(typical_doc(**changes))


@pytest.fixture(scope="session")
def protocol() -> Protocol:
    return loader.protocol()


@pytest.fixture(scope="session")
def catalogue() -> loader.Catalogue:
    return loader.catalogue()
