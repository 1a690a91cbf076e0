"""The layers point one way: the engine imports only the standard library."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "src" / "runrehab"


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found


def test_the_engine_imports_only_the_standard_library_and_itself() -> None:
    for path in (PACKAGE / "engine").glob("*.py"):
        for name in _imports(path):
            top = name.split(".")[0]
            allowed = (
                top in sys.stdlib_module_names
                or name.startswith("runrehab.engine")
                or name == "runrehab.errors"
            )
            assert allowed, f"{path.name} imports {name}"


def test_the_engine_never_reads_the_clock() -> None:
    for path in (PACKAGE / "engine").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for call in ("date.today(", "datetime.now(", "time.time(", "random."):
            assert call not in text, f"{path.name} calls {call}"


def test_import_linter_contracts_hold() -> None:
    exe = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(exe)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 4 kept, 0 broken" in result.stdout


STORAGE = frozenset({"repo", "db", "jobs", "accounts", "throttle", "engine"})
"""Attributes that reach storage: a unit of work's stores, the database, its engine."""
ROUTE_PACKAGES = ("web/pages", "web/api")


def storage_reads(path: Path) -> list[str]:
    """``line: expression`` of every attribute access of ``path`` that reaches storage."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr in STORAGE:
            found.append(f"{node.lineno}: {ast.unparse(node)}")
    return found


def test_a_route_never_reaches_the_database_itself() -> None:
    """A request is one trip: the route calls one use case, which reaches the journal through
    a unit of work; the route never reads a store, the database or the repository itself."""
    for folder in ROUTE_PACKAGES:
        for path in sorted((PACKAGE / folder).glob("*.py")):
            name = f"{folder}/{path.name}"
            reads = storage_reads(path)
            assert not reads, f"{name} reaches storage: " + "; ".join(reads)


def test_the_route_check_catches_a_route_that_reads_the_repository(tmp_path: Path) -> None:
    route = tmp_path / "room.py"
    route.write_text(
        "def page(app_parts, runner):\n"
        "    with app_parts.reader() as uow:\n"
        "        return uow.repo.current_programme(runner.person_id)\n"
    )
    assert storage_reads(route) == ["3: uow.repo"]
