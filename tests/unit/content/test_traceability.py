"""Traceability: every article rule S1–S88 has a stance, the product rules that carry out the
used and replaced ones exist and each is made to fire by a fast test, the generated files are
current, and the ``fires`` marker cannot lie (tests/traceability_plugin.py)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from runrehab.content import loader
from runrehab.content.loader import Catalogue
from runrehab.errors import ContentError
from runrehab.services.library.traceability_doc import (
    STANCES,
    article_rules,
    render,
    render_data,
    traceability_view,
)
from tests.conftest import ROOT
from tests.traceability_plugin import collect_firing_tests

pytest_plugins = ["pytester"]

REGENERATE = "run: uv run python scripts/generate_traceability.py"


def test_the_generated_data_and_docs_traceability_md_are_current(catalogue: Catalogue) -> None:
    firing = collect_firing_tests()
    committed = (loader.DATA / "traceability.toml").read_text(encoding="utf-8")
    assert committed == render_data(firing), REGENERATE
    doc = (ROOT / "docs" / "traceability.md").read_text(encoding="utf-8")
    assert doc == render(catalogue, firing), REGENERATE
    assert all(t.startswith("tests/unit/") for tests in firing.values() for t in tests)


def test_every_article_rule_has_a_stance_the_table_can_show(catalogue: Catalogue) -> None:
    rules = article_rules(catalogue)
    assert [r.articles[0] for r in rules] == [f"S{n}" for n in range(1, 89)]
    assert not [r.id for r in rules if r.stance not in STANCES]


def test_every_used_rule_is_carried_out_and_every_carrier_fires_in_a_test(
    catalogue: Catalogue,
) -> None:
    view = traceability_view(catalogue)
    unimplemented = [r["id"] for r in view["rows"] if r["stance"] != "rejected" and not r["rules"]]
    untested = sorted({c["id"] for r in view["rows"] for c in r["rules"] if not c["tests"]})
    assert not unimplemented, (
        f"used or replaced article rules with no product rule: {unimplemented}"
    )
    assert not untested, f"product rules with no fast test marked @pytest.mark.fires: {untested}"


def test_every_implementing_rule_exists(catalogue: Catalogue) -> None:
    for rule in article_rules(catalogue):
        missing = [i for i in rule.implemented_by if i not in catalogue.rules]
        assert not missing, f"{rule.id}: unknown rules {missing}"
        assert not [i for i in rule.implemented_by if i.startswith("s") and i[1].isdigit()]


def test_a_firing_entry_for_an_unknown_rule_is_a_content_error(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(loader.DATA, data)
    (data / "traceability.toml").write_text(
        render_data({"no-such-rule": ["tests/unit/x.py::test_y"]}), encoding="utf-8"
    )
    with pytest.raises(ContentError, match="no-such-rule"):
        loader.load_catalogue(data)


def test_a_rule_listed_twice_or_without_tests_is_a_content_error(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(loader.DATA, data)
    path = data / "traceability.toml"
    once = render_data({"no-bracing": ['tests/unit/x.py::test_y["quoted"]']})
    path.write_text(render_data({}), encoding="utf-8")
    assert loader.load_traceability(data) == {}  # the header alone: nothing claimed
    path.write_text(once, encoding="utf-8")
    assert loader.load_traceability(data) == {"no-bracing": ('tests/unit/x.py::test_y["quoted"]',)}
    path.write_text(once + once.split("\n", 2)[2], encoding="utf-8")
    with pytest.raises(ContentError, match="duplicate 'no-bracing'"):
        loader.load_traceability(data)
    path.write_text('[[firing]]\nrule = "no-bracing"\ntests = []\n', encoding="utf-8")
    with pytest.raises(ContentError, match=r"traceability\.toml.*tests"):
        loader.load_traceability(data)


def test_a_guide_naming_an_unknown_rule_is_a_content_error(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(loader.DATA, data)
    path = data / "knowledge.toml"
    text = path.read_text(encoding="utf-8")
    assert 'rules = ["taping-short-term-with-exercise"' in text
    path.write_text(
        text.replace('rules = ["taping-short', 'rules = ["no-such-rule", "taping-short')
    )
    with pytest.raises(ContentError, match=r"topic\[\d+\]\.rules.*no-such-rule"):
        loader.load_catalogue(data)


def test_the_page_and_the_doc_name_the_counts(catalogue: Catalogue) -> None:
    view = traceability_view(catalogue)
    counts = view["counts"]
    assert sum(counts.values()) == 88
    assert f"{counts['used']} used, {counts['replaced']} replaced" in render(catalogue)


# --- the fires marker ------------------------------------------------------------------------

INNER = """
import pytest

from runrehab.content import loader
from runrehab.engine.values import Reason
from runrehab.services.library.views import knowledge_view
from runrehab.services.intake.preview import ladder_reason
from runrehab.services.reasons import ReasonBook


@pytest.mark.fires("ladder-totals-computed")
def test_claims_a_rule_it_never_fires():
    assert True


@pytest.mark.fires("ladder-totals-computed")
def test_builds_the_reason_itself():
    assert Reason("ladder-totals-computed").rule


@pytest.mark.fires("ladder-totals-computed")
def test_describes_the_reason_itself():
    c = loader.catalogue()
    ReasonBook(c.rules, c.sources).describe(Reason("ladder-totals-computed"))


@pytest.mark.fires("ladder-totals-computed")
def test_the_product_builds_it():
    assert "24 minutes" in ladder_reason(loader.protocol()).detail


@pytest.mark.fires("no-bracing")
def test_the_product_describes_it():
    assert knowledge_view(loader.catalogue(), "myths")["rules"]


@pytest.mark.parametrize(
    "topic",
    [
        pytest.param("myths", marks=pytest.mark.fires("no-bracing")),
        pytest.param("cadence", marks=pytest.mark.fires("no-bracing")),
    ],
)
def test_a_table_row(topic):
    assert knowledge_view(loader.catalogue(), topic)


@pytest.mark.fires("no-bracing")
def test_its_own_failure_comes_first():
    assert 1 == 2
"""


def _inner(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    pytester.makepyfile(test_inner=INNER)
    return pytester.runpytest("-p", "tests.traceability_plugin", "-p", "no:cacheprovider", *args)


def test_a_marked_test_that_does_not_fire_its_rule_fails(pytester: pytest.Pytester) -> None:
    result = _inner(pytester)
    outcomes = {r.nodeid.split("::")[1]: r.outcome for r in _reports(result)}
    assert outcomes == {
        "test_claims_a_rule_it_never_fires": "failed",
        "test_builds_the_reason_itself": "failed",
        "test_describes_the_reason_itself": "failed",
        "test_the_product_builds_it": "passed",
        "test_the_product_describes_it": "passed",
        "test_a_table_row[myths]": "passed",
        "test_a_table_row[cadence]": "failed",
        "test_its_own_failure_comes_first": "failed",
    }
    result.stdout.fnmatch_lines(
        ["*test_claims_a_rule_it_never_fires*", "*never emitted 'ladder-totals-computed'*"]
    )
    result.stdout.fnmatch_lines(
        ["*test_a_table_row?cadence?*", "*never emitted 'no-bracing'*(*emit: cadence-target)"]
    )
    assert "assert 1 == 2" in result.stdout.str()


def _reports(result: pytest.RunResult) -> list[pytest.TestReport]:
    calls = result.reprec.getreports("pytest_runtest_logreport")  # type: ignore[attr-defined]
    return [r for r in calls if r.when == "call"]


def test_the_patches_are_undone_after_each_test(pytester: pytest.Pytester) -> None:
    from runrehab.engine.values import Reason
    from runrehab.services.reasons import ReasonBook

    before = (Reason.__init__, ReasonBook.describe)
    _inner(pytester)
    assert (Reason.__init__, ReasonBook.describe) == before


def test_collection_writes_each_rule_with_its_node_ids(pytester: pytest.Pytester) -> None:
    out = pytester.path / "firing.json"
    result = _inner(pytester, "--collect-only", "-q", "--traceability-out", str(out))
    assert result.ret == 0
    firing = json.loads(out.read_text(encoding="utf-8"))
    assert firing["no-bracing"] == [
        "test_inner.py::test_a_table_row[cadence]",
        "test_inner.py::test_a_table_row[myths]",
        "test_inner.py::test_its_own_failure_comes_first",
        "test_inner.py::test_the_product_describes_it",
    ]
    assert len(firing["ladder-totals-computed"]) == 4
