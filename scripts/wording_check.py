"""List the sentences for a person still written in code: ``uv run python
scripts/wording_check.py [PATH ...]`` (paths below src/runrehab, or files; default: every
module ``tests/test_wording_is_content.py`` scans). Each line: file, line, the text."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_wording_is_content import SRC, _modules, english_literals  # noqa: E402


def main(argv: list[str]) -> int:
    paths = [Path(a) if Path(a).exists() else SRC / a for a in argv] or _modules()
    total = 0
    for path in paths:
        for line, text in english_literals(path.resolve()):
            total += 1
            print(f"{path}:{line}: {text!r}")
    print(f"{total} sentence(s) in code", file=sys.stderr)
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
