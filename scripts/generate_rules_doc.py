"""Write docs/rules.md from the rules catalogue."""

from pathlib import Path

from runrehab.content.loader import load_catalogue
from runrehab.services.library.rules_doc import render

target = Path(__file__).resolve().parent.parent / "docs" / "rules.md"
target.write_text(render(load_catalogue()), encoding="utf-8")
print(f"wrote {target}")
