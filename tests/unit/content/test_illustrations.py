"""Every exercise has its picture (start and end position) and the words that describe it: a
small, well-formed, self-contained SVG, drawn by ``scripts/draw_exercises.py``."""

from __future__ import annotations

import importlib.util
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import runrehab
from runrehab.content.loader import Catalogue

ILLUSTRATIONS = Path(runrehab.__file__).resolve().parent / "web" / "static" / "illustrations"
SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "draw_exercises.py"
SVG = "{http://www.w3.org/2000/svg}"
MAX_BYTES = 6 * 1024


def test_every_exercise_has_alt_text_for_its_start_and_end(catalogue: Catalogue) -> None:
    missing = [e.id for e in catalogue.exercises.values() if e.illustration is None]
    assert not missing, f"exercises without [illustration] alt text: {missing}"
    for e in catalogue.exercises.values():
        assert e.illustration is not None
        for words in (e.illustration.start, e.illustration.end):
            assert 15 <= len(words) <= 160, (e.id, words)
            assert words[0].isupper() and words.endswith("."), (e.id, words)
        assert e.illustration.start != e.illustration.end, e.id


def test_every_exercise_has_its_illustration_and_no_stray_files(catalogue: Catalogue) -> None:
    files = {p.stem for p in ILLUSTRATIONS.glob("*.svg")}
    assert files == set(catalogue.exercises)


@pytest.mark.parametrize("path", sorted(ILLUSTRATIONS.glob("*.svg")), ids=lambda p: p.stem)
def test_each_illustration_is_small_well_formed_titled_and_self_contained(path: Path) -> None:
    raw = path.read_bytes()
    assert len(raw) < MAX_BYTES, f"{path.name} is {len(raw)} bytes"
    root = ET.fromstring(raw)  # well-formed XML, or this raises
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("viewBox")
    title = root.find(f"{SVG}title")
    assert title is not None and title.text and "start and end" in title.text
    assert "currentColor" in raw.decode()  # follows the colour it is given (dark mode)
    text = raw.decode().lower()
    assert "<script" not in text and "javascript:" not in text
    assert not re.search(r"\s(on\w+)=", text), "event handlers"
    assert "href" not in text and "url(" not in text and "@import" not in text
    assert "http://" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in text
    for element in root.iter():
        assert element.tag.startswith(SVG), element.tag  # no foreign content


def test_the_drawing_script_reproduces_the_committed_files() -> None:
    spec = importlib.util.spec_from_file_location("draw_exercises", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    drawn = module.render_all()
    stale = [p.name for p, text in drawn.items() if p.read_text(encoding="utf-8") != text]
    assert not stale, f"run scripts/draw_exercises.py: {stale} differ from their poses"
