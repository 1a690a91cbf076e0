"""A serving process settles once its app is built (``web.app.settle``): every template is
compiled, and the long-lived objects are left out of the garbage collector's full passes, so
no request waits for a pass over them. Run in a process of its own: freezing is for good."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SETTLED = """
import gc, json, sys
from runrehab.web.app import create_app, settle
from runrehab.web.config import WebConfig
from runrehab.web.rendering import templates
create_app(WebConfig(database=sys.argv[1]))
before = len(gc.get_objects())
settle()
names = templates.env.list_templates(extensions=["html"])
print(json.dumps({"before": before, "frozen": gc.get_freeze_count(),
                  "tracked": len(gc.get_objects()),
                  "templates": len(names),
                  "cached": len(templates.env.cache)}))
"""


def test_a_settled_process_leaves_its_long_lived_objects_out_of_full_passes(
    tmp_path: Path,
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", SETTLED, str(tmp_path / "journal.db")],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["frozen"] >= found["before"] > 50_000
    assert found["tracked"] < found["before"] // 20
    assert found["cached"] >= found["templates"] > 50  # every page's template compiled
