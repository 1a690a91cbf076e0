"""The compiled templates are kept between processes (``rendering.KeptTemplates``): a second
process uses what the first compiled, a changed template is compiled again, and a kept file
that is damaged or a folder that cannot be written changes nothing a person sees."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from jinja2 import DictLoader, Environment
from jinja2.bccache import bc_magic

from runrehab.content import cache
from runrehab.web import rendering
from runrehab.web.rendering import KeptTemplates


@pytest.fixture(autouse=True)
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(cache, "CACHE_HOME", tmp_path)
    return tmp_path


def a_process(source: str) -> Environment:
    """A new environment, as a new server process has, on the same kept folder."""
    return Environment(loader=DictLoader({"page.html": source}), bytecode_cache=KeptTemplates())


def compiled_by(env: Environment) -> list[str]:
    """The templates ``env`` compiles from their source (not from what is kept)."""
    compiled: list[str] = []
    compile_source = env.compile

    def counting(source: Any, name: str | None = None, *args: Any, **kwargs: Any) -> Any:
        compiled.append(str(name))
        return compile_source(source, name, *args, **kwargs)

    env.compile = counting  # type: ignore[method-assign]
    return compiled


def test_a_second_process_uses_what_the_first_compiled() -> None:
    first = a_process("Hello {{ name }}")
    compiled = compiled_by(first)
    assert first.get_template("page.html").render(name="Ann") == "Hello Ann"
    assert compiled == ["page.html"]
    assert len(list(cache.cache_dir("templates").iterdir())) == 1

    second = a_process("Hello {{ name }}")
    compiled = compiled_by(second)
    assert second.get_template("page.html").render(name="Bob") == "Hello Bob"
    assert compiled == []


def test_a_changed_template_is_compiled_again() -> None:
    a_process("Hello {{ name }}").get_template("page.html")
    changed = a_process("Goodbye {{ name }}")
    compiled = compiled_by(changed)
    assert changed.get_template("page.html").render(name="Ann") == "Goodbye Ann"
    assert compiled == ["page.html"]
    again = a_process("Goodbye {{ name }}")
    compiled = compiled_by(again)
    assert again.get_template("page.html").render(name="Ann") == "Goodbye Ann"
    assert compiled == []


@pytest.mark.parametrize("damage", ["empty", "cut short", "its checksum broken", "not ours"])
def test_a_damaged_kept_file_is_compiled_again(damage: str) -> None:
    a_process("Hello {{ name }}").get_template("page.html")
    (kept,) = cache.cache_dir("templates").iterdir()
    whole = kept.read_bytes()
    magic = len(bc_magic)
    kept.write_bytes(
        {
            "empty": b"",
            "cut short": whole[: len(whole) - 20],
            "its checksum broken": whole[:magic] + b"\x80\x05garbage" + whole[magic + 20 :],
            "not ours": b"not a kept template at all" * 10,
        }[damage]
    )
    env = a_process("Hello {{ name }}")
    compiled = compiled_by(env)
    assert env.get_template("page.html").render(name="Ann") == "Hello Ann"
    assert compiled == ["page.html"]


def test_a_folder_that_cannot_be_written_is_no_error(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = cache_home / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setattr(cache, "CACHE_HOME", blocker)  # cache_dir() cannot be made
    for _ in range(2):
        env = a_process("Hello {{ name }}")
        compiled = compiled_by(env)
        assert env.get_template("page.html").render(name="Ann") == "Hello Ann"
        assert compiled == ["page.html"]


def test_the_apps_templates_are_kept() -> None:
    from runrehab.web.rendering import templates

    assert isinstance(templates.env.bytecode_cache, KeptTemplates)


def test_a_changed_environment_compiles_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """Another Jinja, Starlette or rendering module (which sets the environment up) is
    another compiler: what the old one kept is not used."""
    a_process("Hello {{ name }}").get_template("page.html")
    monkeypatch.setattr(rendering, "_ENVIRONMENT", rendering._ENVIRONMENT + b"|upgraded")
    env = a_process("Hello {{ name }}")
    compiled = compiled_by(env)
    assert env.get_template("page.html").render(name="Ann") == "Hello Ann"
    assert compiled == ["page.html"]
