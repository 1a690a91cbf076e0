"""German content for tests while its translation is still landing: a complete tree made of
the German files there are and the English ones for the rest, in place of the shipped German
folder (``content.locale.data_folder``), every per-language cache emptied before and after."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from runrehab.content import intake, loader, locale, words
from runrehab.services import content
from runrehab.services.intake import questions


def clear_language_caches() -> None:
    for cached in (
        locale.ready,
        loader._catalogue,
        loader._protocol,
        words._shipped_words,
        content._shipped_content,
        intake._shipped_intake,
        questions._intake_questions,
    ):
        cached.cache_clear()


def complete_tree(folder: Path, language: str = "de") -> Path:
    """``folder`` filled with ``language``'s files, and the English file where it has none."""
    shipped = locale.DATA / "locales" / language
    for english in locale.DATA.rglob("*.toml"):
        rel = english.relative_to(locale.DATA)
        if rel.parts[0] == "locales" or rel.name in locale.ENGLISH_ONLY:
            continue
        translated = shipped / rel
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(translated if translated.exists() else english, target)
    return folder


@pytest.fixture
def german(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """German content, complete: the shipped translation where it exists (see the module)."""
    tree = complete_tree(tmp_path / "locales" / "de")
    real = locale.data_folder
    monkeypatch.setattr(
        locale, "data_folder", lambda language: tree if language == "de" else real(language)
    )
    clear_language_caches()
    yield tree
    monkeypatch.undo()
    clear_language_caches()
