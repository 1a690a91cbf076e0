"""Write src/runrehab/content/data/traceability.toml (each product rule and the fast tests whose
fires markers claim it) and docs/traceability.md (the S1–S88 table) from the data and the tests."""

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for tests.traceability_plugin

from tests.traceability_plugin import collect_firing_tests  # noqa: E402

from runrehab.content import loader  # noqa: E402
from runrehab.services.library.traceability_doc import render, render_data  # noqa: E402

started = time.perf_counter()
firing = collect_firing_tests(ROOT)
data = loader.DATA / "traceability.toml"
data.write_text(render_data(firing), encoding="utf-8")
doc = ROOT / "docs" / "traceability.md"
doc.write_text(render(loader.load_catalogue(), firing), encoding="utf-8")
print(f"wrote {data} and {doc} ({time.perf_counter() - started:.1f} s)")
