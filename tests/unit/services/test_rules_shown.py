"""The rules a page states are named on it, in words, with their sources: the knowledge pages'
"Rules behind this page", the avoid list, the walk/run ladder, the phases of the plan and the
weekly load table."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from runrehab.adapters.documents import read_assessment
from runrehab.content.loader import Catalogue
from runrehab.engine.protocol import Protocol
from runrehab.services.activities.load_view import load_view
from runrehab.services.content import shipped_content
from runrehab.services.intake.preview import plan_view
from runrehab.services.journal.programme import start_programme
from runrehab.services.library.views import knowledge_view, library_view
from runrehab.services.progress.timeline import phase_timeline
from runrehab.services.views import jsonable
from tests.conftest import typical, typical_doc
from tests.fakes import FakeUnitOfWork, FixedClock
from tests.traceability_plugin import fires_each

START = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("topic", "words", "rule"),
    fires_each(
        [
            ("what-is-runners-knee", "16.5%", "facts-traced-prevalence"),
            ("symptoms", "sitting", "facts-break-up-long-sitting"),
            ("causes", "military recruits", "facts-causes-many-not-one"),
            ("causes", "sudden rise", "facts-load-spikes-trigger"),
            ("load-management", "longest run", "facts-load-spikes-trigger"),
            ("myths", "not harm", "facts-pain-is-not-damage"),
            ("pain-monitoring", "not harm", "facts-pain-is-not-damage"),
            ("pain-monitoring", "GREEN", "pain-traffic-light"),
            ("myths", "Rest", "facts-rest-alone-not-enough"),
            ("myths", "Stretching", "facts-strength-first-stretching-optional"),
            ("myths", "keyhole surgery", "facts-surgery-rarely-needed"),
            ("myths", "brace", "no-bracing"),
            ("taping-bracing-and-footwear", "brace", "no-bracing"),
            ("taping-bracing-and-footwear", "taping", "taping-short-term-with-exercise"),
            ("taping-bracing-and-footwear", "insert", "orthoses-short-term"),
            ("recovery-time", "12 weeks", "dose-long-term-strength"),
            ("how-the-programme-works", "24 minutes", "ladder-totals-computed"),
            ("how-the-programme-works", "set dose", "dose-start-values"),
        ]
    ),
)
def test_a_guide_names_the_rules_it_states(
    catalogue: Catalogue, topic: str, words: str, rule: str
) -> None:
    view = knowledge_view(catalogue, topic)
    assert view is not None and view["kind"] == "topic"
    shown = {r["rule"]: r for r in view["rules"]}
    assert rule in shown, f"{topic} does not show {rule}"
    assert shown[rule]["title"] == catalogue.rules[rule].title
    assert words in shown[rule]["text"] and shown[rule]["source"]


def test_every_rule_a_guide_names_is_shown_in_words(catalogue: Catalogue) -> None:
    for topic in catalogue.knowledge.topic:
        view = knowledge_view(catalogue, topic.id)
        assert view is not None
        assert [r["rule"] for r in view["rules"]] == topic.rules
        assert all(r["text"] and r["source"] for r in view["rules"])


@pytest.mark.fires("avoid-list-temporary")
def test_the_avoid_list_says_it_is_for_now_and_every_entry_comes_back(
    catalogue: Catalogue,
) -> None:
    view = jsonable(library_view(catalogue))
    assert view["avoid_rule"]["rule"] == "avoid-list-temporary"
    assert "not forever" in view["avoid_rule"]["text"]
    assert view["avoid"] and all(a["return_when"] and a["alternatives"] for a in view["avoid"])
    by_id = {a["id"]: a for a in view["avoid"]}
    article_003 = ("deep-squat", "lunge", "jump-squat", "box-jump", "downhill-running")
    assert all(5 not in by_id[i]["phases"] for i in article_003)  # back by the last phase


@pytest.mark.fires("ladder-totals-computed")
def test_the_plan_says_which_ladder_totals_it_corrected(
    protocol: Protocol, catalogue: Catalogue
) -> None:
    view = plan_view(typical(), START, 8, protocol, catalogue)
    assert view["ladder_rule"]["rule"] == "ladder-totals-computed"
    detail = view["ladder_rule"]["detail"]
    assert "rung 1: 24 minutes, not the article's 20" in detail
    assert "rung 6: 36 minutes, not the article's 30" in detail
    assert "rung 2" not in detail  # the article got rung 2 right
    totals = {row["rung"]: row["total_minutes"] for row in view["ladder"]}
    assert (totals[1], totals[6]) == (24, 36)


def _started() -> tuple[FakeUnitOfWork, str]:
    uow = FakeUnitOfWork()
    doc = typical_doc()
    started = start_programme(
        uow, FixedClock(), shipped_content(), doc, read_assessment(doc), START
    )
    return uow, started.person.id


@pytest.mark.fires("p5-build-rules", "ladder-totals-computed")
def test_the_plan_names_the_rule_of_every_phase_and_of_the_ladder() -> None:
    uow, person = _started()
    content = shipped_content()
    timeline = jsonable(phase_timeline(uow.repo, content, person, START))
    rules = [phase["rule"]["rule"] for phase in timeline["phases"]]
    assert rules == [p.rule for p in content.catalogue.protocol.phase]
    assert rules[-1] == "p5-build-rules"
    assert timeline["ladder_rule"]["detail"].startswith("rung 1: 24 minutes")


@pytest.mark.fires("load-no-weekly-ratio-caps")
def test_the_weekly_load_says_it_sets_no_weekly_or_ratio_caps() -> None:
    uow, person = _started()
    view = load_view(uow, shipped_content(), START + timedelta(days=3), 4, person)
    assert view["weekly_rule"]["rule"] == "load-no-weekly-ratio-caps"
    assert len(view["weeks"]) == 4
    assert not [k for w in view["weeks"] for k in w if "ratio" in k or "acute" in k]
