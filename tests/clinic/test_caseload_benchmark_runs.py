"""The clinic dashboard benchmark (``benchmarks/clinic_dashboard.py``, issue 15) still runs:
seeded small on SQLite, timed once, its figures printed, and a dashboard call sends as many
SQL statements for 5 patients as for 10."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "clinic_dashboard.py"
MS = r"p50 [\d.]+ ms, p95 [\d.]+ ms, max [\d.]+ ms"


def benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("clinic_dashboard_benchmark", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[spec.name]
        raise
    return module


def test_the_dashboard_benchmark_seeds_times_and_counts_statements(
    capsys: pytest.CaptureFixture[str],
) -> None:
    bench = benchmark()
    argv = ["--patients", "5", "--days", "10", "--repeat", "1", "--warmup", "0"]
    results = bench.main([*argv, "--compare-with", "10", "--database", "sqlite"])
    out = capsys.readouterr().out

    assert re.search(r"SQLite: seeded 5 patients × 10 days in [\d.]+ s", out), out
    assert re.search(rf"SQLite: dashboard use case, 5 patients \(.*\): {MS}", out), out
    assert re.search(rf"SQLite: GET /api/v1/clinic/patients, 5 patients \(.*\): {MS}", out), out
    found = re.search(r"statements per dashboard call: 5 patients (\d+), 10 patients (\d+)", out)
    assert found, out
    assert found.group(1) == found.group(2)
    [result] = results
    assert result.statements[5] == result.statements[10] > 0
    assert result.api_statements[5] == result.api_statements[10]
    assert result.checkins > 0
