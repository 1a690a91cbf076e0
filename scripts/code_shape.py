"""Print the shape of ``src/runrehab``: modules over 300 lines, functions over 40 lines, the
median function length, how many ``dict[str, Any]`` annotations there are, and repository reads
(``.repo``, ``.db`` and the stores) inside the web routes.
Run: ``uv run python scripts/code_shape.py``.

The figures the one-trip redesign (issue 14) is measured by; ``duplicates`` (a tool of the
workplace, not of this repository) gives the duplicated pairs."""

from __future__ import annotations

import ast
import re
import statistics
import sys
from pathlib import Path

SRC = (
    Path(sys.argv[1])
    if len(sys.argv) > 1
    else Path(__file__).resolve().parent.parent / "src" / "runrehab"
)
DICT_ANY = re.compile(r"dict\[str,\s*Any\]")
STORAGE = frozenset({"repo", "db", "jobs", "accounts", "throttle", "engine"})


def main() -> int:
    modules = sorted(SRC.rglob("*.py"))
    long_modules: list[tuple[int, str]] = []
    lengths: list[int] = []
    long_functions: list[tuple[int, str]] = []
    dict_any = 0
    route_reads = 0
    for path in modules:
        text = path.read_text(encoding="utf-8")
        name = str(path.relative_to(SRC.parent))
        lines = text.count("\n")
        if lines > 300:
            long_modules.append((lines, name))
        dict_any += len(DICT_ANY.findall(text))
        if any(f"/web/{room}/" in str(path) for room in ("routes", "pages", "api")):
            route_reads += sum(
                1
                for node in ast.walk(ast.parse(text))
                if isinstance(node, ast.Attribute) and node.attr in STORAGE
            )
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                lengths.append(length)
                if length > 40:
                    long_functions.append((length, f"{name}:{node.name}"))
    print(f"modules: {len(modules)}, over 300 lines: {len(long_modules)}")
    for lines, name in sorted(long_modules, reverse=True):
        print(f"  {lines:5d}  {name}")
    print(f"functions: {len(lengths)}, over 40 lines: {len(long_functions)}")
    for length, name in sorted(long_functions, reverse=True)[:15]:
        print(f"  {length:5d}  {name}")
    print(f"median function length: {statistics.median(lengths):.0f} lines")
    print(f"dict[str, Any]: {dict_any}")
    print(f"storage reached from web routes (.repo, .db, the stores): {route_reads}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
