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
    assert "Contracts: 3 kept, 0 broken" in result.stdout
