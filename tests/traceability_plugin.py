"""The ``fires`` marker: which tests make which product rule fire, checked while they run.

``@pytest.mark.fires("rule-id", ...)`` on a test function, a class, a module (``pytestmark``) or
a ``pytest.param(..., marks=pytest.mark.fires("rule-id"))`` case claims that the test makes the
product emit those rules. The claim is verified every time the test runs: during its setup and
its call, every rule id the product emits is recorded, and the test fails, naming the rule,
when a claimed rule never fired. So a marker cannot lie.

What counts as emitted: a ``runrehab.engine.values.Reason`` (or a triage ``Finding``) built by
RunRehab's own code, and a rule id passed to ``ReasonBook.describe`` by RunRehab's own code. A
``Reason("x")`` written in the test itself, or ``book.describe(...)`` called straight from the
test, does not count: the frame that builds the value (or, for ``describe``, the first frame
outside ``services/reasons.py``) must lie inside the ``runrehab`` package.

Only tests under ``tests/unit/`` count as firing tests for the traceability table:
:func:`collect_firing_tests` runs ``pytest --collect-only`` on that folder with
``--traceability-out FILE``, which writes ``{rule_id: [test node ids]}`` from the markers.
``--traceability-report FILE`` (a developer aid) records what every test fires, marked or not,
appending a JSON line ``{node id: [rule ids]}`` per test, to find a test worth marking.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from _pytest.mark.structures import ParameterSet

import runrehab

MARKER = "fires"
PACKAGE = str(Path(runrehab.__file__).resolve().parent) + os.sep
REASONS = str(Path(PACKAGE) / "services" / "reasons.py")
ROOT = Path(__file__).resolve().parent.parent
UNIT = "tests/unit"

# The values whose construction means a rule fired: (module, class). Missing ones are skipped,
# so the triage ``Finding`` may live in either module while that code moves.
EMITTERS = (
    ("runrehab.engine.values", "Reason"),
    ("runrehab.engine.red_flags", "Finding"),
    ("runrehab.engine.triage", "Finding"),
)

_recording = pytest.StashKey["Recorder"]()


def _in_product(frame: FrameType | None) -> bool:
    return frame is not None and frame.f_code.co_filename.startswith(PACKAGE)


class Recorder:
    """Patches the emitters for as long as it is active and collects the rule ids they emit."""

    def __init__(self) -> None:
        self.fired: set[str] = set()
        self._undo: list[Callable[[], None]] = []

    def start(self) -> None:
        seen: set[type] = set()
        for module_name, name in EMITTERS:
            try:
                cls = getattr(importlib.import_module(module_name), name)
            except (ImportError, AttributeError):
                continue
            if cls not in seen:
                seen.add(cls)
                self._wrap_init(cls)
        from runrehab.services.reasons import ReasonBook

        self._wrap_describe(ReasonBook)

    def stop(self) -> None:
        while self._undo:
            self._undo.pop()()

    def _wrap_init(self, cls: Any) -> None:
        original = cls.__init__
        fired = self.fired

        def __init__(obj: Any, *args: Any, **kwargs: Any) -> None:
            original(obj, *args, **kwargs)
            if _in_product(sys._getframe(1)):
                fired.add(obj.rule)

        cls.__init__ = __init__
        self._undo.append(lambda: setattr(cls, "__init__", original))

    def _wrap_describe(self, cls: Any) -> None:
        original = cls.describe
        fired = self.fired

        def describe(book: Any, reason: Any) -> Any:
            frame: FrameType | None = sys._getframe(1)
            while frame is not None and frame.f_code.co_filename == REASONS:
                frame = frame.f_back  # describe_all: judge whoever called it
            if _in_product(frame):
                fired.add(reason.rule)
            return original(book, reason)

        cls.describe = describe
        self._undo.append(lambda: setattr(cls, "describe", original))


def fires_each(rows: Iterable[Sequence[Any]], column: int = -1) -> list[Any]:
    """A parametrize table whose rows each claim the rule id in ``column`` (the last one by
    default): ``parametrize(("changes", "rule"), fires_each([...]))``. Rows that are already a
    ``pytest.param`` keep their id and marks and get the claim added."""
    params = []
    for row in rows:
        if isinstance(row, ParameterSet):
            mark = pytest.mark.fires(row.values[column])
            params.append(pytest.param(*row.values, id=row.id, marks=(*row.marks, mark)))
        else:
            params.append(pytest.param(*row, marks=pytest.mark.fires(row[column])))
    return params


def claimed(item: pytest.Item) -> list[str]:
    """The rule ids the ``fires`` markers of ``item`` claim, in order, without repeats."""
    rules: dict[str, None] = {}
    for mark in item.iter_markers(MARKER):
        if not mark.args or not all(isinstance(a, str) and a for a in mark.args):
            raise pytest.UsageError(f"{item.nodeid}: @pytest.mark.fires needs rule ids")
        rules.update(dict.fromkeys(mark.args))
    return list(rules)


# --- hooks ----------------------------------------------------------------------------------


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("traceability")
    group.addoption(
        "--traceability-out",
        metavar="FILE",
        help="write {rule id: [node ids]} of the collected tests' fires markers to FILE",
    )
    group.addoption(
        "--traceability-report",
        metavar="FILE",
        help="record the rule ids every test fires: one JSON line {node id: [rule ids]} each",
    )


def pytest_configure(config: pytest.Config) -> None:
    if not any(line.startswith(f"{MARKER}(") for line in config.getini("markers")):
        config.addinivalue_line("markers", f"{MARKER}(*rule_ids): the test makes these rules fire")


def pytest_collection_finish(session: pytest.Session) -> None:
    out = session.config.getoption("--traceability-out")
    if not out:
        return
    found: dict[str, list[str]] = {}
    for item in session.items:
        for rule in claimed(item):
            found.setdefault(rule, []).append(item.nodeid)
    firing = {rule: sorted(ids) for rule, ids in sorted(found.items())}
    Path(out).write_text(json.dumps(firing, indent=1), encoding="utf-8")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    if claimed(item) or item.config.getoption("--traceability-report"):
        recorder = Recorder()
        item.stash[_recording] = recorder
        recorder.start()
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    recorder = item.stash.get(_recording, None)
    try:
        result = yield
    finally:
        if recorder is not None:
            recorder.stop()
    if recorder is not None:
        _report(item, recorder.fired)
        missing = [rule for rule in claimed(item) if rule not in recorder.fired]
        if missing:
            named = ", ".join(repr(r) for r in missing)
            fired = ", ".join(sorted(recorder.fired)) or "none"
            pytest.fail(
                f"@pytest.mark.fires: the product never emitted {named} during this test "
                f"(rules it did emit: {fired})",
                pytrace=False,
            )
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[None]:
    recorder = item.stash.get(_recording, None)
    if recorder is not None:  # setup failed before the call: undo the patches all the same
        recorder.stop()
    return (yield)


def _report(item: pytest.Item, fired: set[str]) -> None:
    out = item.config.getoption("--traceability-report")
    if out and fired:
        with Path(out).open("a", encoding="utf-8") as report:
            report.write(json.dumps({item.nodeid: sorted(fired)}) + "\n")


# --- collection for the traceability table --------------------------------------------------


def collect_firing_tests(root: Path = ROOT) -> Mapping[str, list[str]]:
    """``{rule id: [node ids]}`` of the fast tests (``tests/unit``) that claim to fire each rule,
    read from their markers by ``pytest --collect-only`` in a subprocess; any collection error
    is an error here too."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "firing.json"
        command = [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-p",
            "no:cacheprovider",
            "--traceability-out",
            str(out),
            UNIT,
        ]
        done = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
        if done.returncode != 0 or not out.exists():
            raise RuntimeError(f"collecting {UNIT} failed:\n{done.stdout[-4000:]}{done.stderr}")
        firing: dict[str, list[str]] = json.loads(out.read_text(encoding="utf-8"))
        return firing
