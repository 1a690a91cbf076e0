"""The checked catalogue kept between runs (``loader.cached_catalogue``): the same catalogue as
a fresh load, never a stale one when a file changes (even keeping its size and time, as a
wheel's files may), and a broken copy is loaded afresh."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from runrehab.content import cache, loader, locale
from runrehab.errors import ContentError


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the English content, and a cache of this test's own."""
    monkeypatch.setattr(cache, "CACHE_HOME", tmp_path / "cache")
    copy = tmp_path / "data"
    shutil.copytree(locale.DATA, copy, ignore=shutil.ignore_patterns("locales", "words"))
    return copy


def kept() -> list[Path]:
    return sorted(cache.cache_dir().glob("catalogue-*.msgpack"))


def test_the_kept_catalogue_is_the_loaded_one(data: Path) -> None:
    fresh = loader.load_catalogue(data)
    assert loader.cached_catalogue(data) == fresh  # loaded, then kept
    assert len(kept()) == 1
    assert loader.cached_catalogue(data) == fresh  # read back


def test_a_changed_file_is_never_served_stale(data: Path) -> None:
    before = loader.cached_catalogue(data)
    protocol = data / "protocol.toml"
    text = protocol.read_text(encoding="utf-8")
    stat = protocol.stat()
    name = before.protocol.phase[1].name
    renamed = name[:-1] + ("X" if name[-1] != "X" else "Y")  # the same size
    assert text.count(f'"{name}"') == 1
    protocol.write_text(text.replace(f'"{name}"', f'"{renamed}"'), encoding="utf-8")
    os.utime(protocol, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the same time
    assert protocol.stat().st_size == stat.st_size

    after = loader.cached_catalogue(data)

    assert after.protocol.phase[1].name == renamed
    assert after == loader.load_catalogue(data)
    assert len(kept()) == 2


def test_only_the_newest_catalogues_are_kept(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "KEPT_CATALOGUES", 1)
    old = cache.cache_dir() / "catalogue-0123.msgpack"
    old.parent.mkdir(parents=True)
    old.write_bytes(b"")
    os.utime(old, ns=(0, 0))
    loader.cached_catalogue(data)
    (newest,) = kept()
    assert newest != old


def test_a_broken_copy_is_loaded_afresh(data: Path) -> None:
    fresh = loader.cached_catalogue(data)
    (copy,) = kept()
    copy.write_bytes(b"\x93not a catalogue")
    assert loader.cached_catalogue(data) == fresh
    assert copy.read_bytes() != b"\x93not a catalogue"  # kept again


def test_content_with_a_problem_is_never_kept(data: Path) -> None:
    (data / "avoid.toml").write_text("avoid = 3\n", encoding="utf-8")
    with pytest.raises(ContentError):
        loader.cached_catalogue(data)
    assert kept() == []


def test_an_unwritable_cache_is_no_error(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = data.parent / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setattr(cache, "CACHE_HOME", blocker)  # cache_dir() cannot be made
    assert loader.cached_catalogue(data) == loader.load_catalogue(data)
