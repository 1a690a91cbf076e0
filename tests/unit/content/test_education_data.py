"""education.toml: the week-1 lessons, each a knowledge page on a day of week 1, with its rule
and sources; mistakes are ContentErrors naming the file and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from runrehab.content import loader
from runrehab.content.loader import Catalogue
from runrehab.engine.protocol import Protocol
from runrehab.errors import ContentError
from tests.conftest import data_copy, edit_once


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return data_copy(tmp_path)


def test_the_core_lessons_are_scheduled_on_days_one_to_four(
    catalogue: Catalogue, protocol: Protocol
) -> None:
    assert [(x.topic, x.day) for x in catalogue.lessons] == [
        ("what-is-runners-knee", 1),
        ("pain-monitoring", 2),
        ("recovery-time", 3),
        ("pain-is-not-damage", 4),
    ]
    rule = catalogue.rules["education-week-one"]
    assert {"esculier-2018", "jospt-cpg-2019"} <= set(rule.sources)
    titles = {t.id: t.title for t in catalogue.knowledge.topic}
    assert [x.title for x in protocol.lessons] == [titles[x.topic] for x in catalogue.lessons]
    assert all(x.minutes >= 1 and x.rule == "education-week-one" for x in protocol.lessons)


def _refused(data: Path) -> ContentError:
    with pytest.raises(ContentError) as err:
        loader.load_catalogue(data)
    assert err.value.file.endswith("education.toml")
    return err.value


def test_an_unknown_topic_is_named(data: Path) -> None:
    edit_once(data / "education.toml", 'topic = "recovery-time"', 'topic = "moon-landing"')
    err = _refused(data)
    assert err.place == "$.lesson[2].topic"
    assert "unknown knowledge topic 'moon-landing'" in str(err)


def test_a_duplicate_lesson_id_is_named(data: Path) -> None:
    edit_once(data / "education.toml", 'id = "time-course"', 'id = "pain-and-load"')
    err = _refused(data)
    assert err.place == "$.lesson[2].id"
    assert "duplicate id 'pain-and-load'" in str(err)


def test_a_day_outside_week_one_is_refused(data: Path) -> None:
    edit_once(data / "education.toml", "day = 4", "day = 8")
    err = _refused(data)
    assert err.place == "$.lesson[3].day"


@pytest.mark.parametrize(
    ("old", "new", "place", "words"),
    [
        (
            'rule = "education-week-one"\nsources = ["esculier-2018", "jospt-cpg-2019", "digest"]'
            '\n\n[[lesson]]\nid = "pain-and-load"',
            'rule = "no-such-rule"\nsources = ["esculier-2018", "jospt-cpg-2019", "digest"]'
            '\n\n[[lesson]]\nid = "pain-and-load"',
            "$.lesson[0].rule",
            "unknown rule 'no-such-rule'",
        ),
        ("minutes = 4\n", "minutes = 4\ncolour = 'blue'\n", "$.lesson[0]", "colour"),
    ],
)
def test_an_unknown_rule_or_key_is_named(
    data: Path, old: str, new: str, place: str, words: str
) -> None:
    text = (data / "education.toml").read_text(encoding="utf-8")
    (data / "education.toml").write_text(text.replace(old, new, 1), encoding="utf-8")
    err = _refused(data)
    assert err.place == place
    assert words in str(err)
