"""questionnaires.toml loads through a strict schema, and the loader checks the scale adds up."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from runrehab.content import loader
from runrehab.content.loader import Catalogue
from runrehab.errors import ContentError


@pytest.fixture
def data(tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(loader.DATA, copy)
    return copy


def _edit(data: Path, old: str, new: str) -> None:
    path = data / "questionnaires.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _refused(data: Path) -> ContentError:
    with pytest.raises(ContentError) as err:
        loader.load_questionnaires(data)
    assert err.value.file.endswith("questionnaires.toml")
    return err.value


def test_the_shipped_questionnaires_load(catalogue: Catalogue) -> None:
    assert set(catalogue.questionnaires) == {"kujala", "weekly_pain", "fear_of_movement"}
    kujala = catalogue.questionnaires["kujala"]
    assert len(kujala.item) == 13
    assert {"kujala-1993", "crossley-2004"} <= set(kujala.sources)


def test_variant_points_are_noted_not_used(catalogue: Catalogue) -> None:
    limp = catalogue.questionnaires["kujala"].item[0]
    assert limp.id == "limp"
    always = next(o for o in limp.options if o.id == "always")  # type: ignore[union-attr]
    assert always.points == 0 and "2 points" in always.note


def test_maxima_that_do_not_sum_to_100_are_an_error(data: Path) -> None:
    _edit(
        data,
        'id = "limp"\nquestion = "Do you limp when you walk?"\nmax_points = 5',
        'id = "limp"\nquestion = "Do you limp when you walk?"\nmax_points = 6',
    )
    err = _refused(data)
    assert err.place.startswith("$.questionnaire[0].item")


def test_points_above_the_item_maximum_are_an_error(data: Path) -> None:
    _edit(
        data, '{ id = "no", label = "No", points = 5 }', '{ id = "no", label = "No", points = 7 }'
    )
    err = _refused(data)
    assert err.place == "$.questionnaire[0].item[0].options[0].points"


def test_an_item_needs_a_zero_and_a_full_answer(data: Path) -> None:
    _edit(data, 'label = "All the time", points = 0', 'label = "All the time", points = 1')
    err = _refused(data)
    assert err.place == "$.questionnaire[0].item[0].options"


def test_duplicate_ids_are_an_error(data: Path) -> None:
    _edit(data, 'id = "support"', 'id = "limp"')
    assert _refused(data).place == "$.questionnaire[0].item[1].id"
    shutil.copy(loader.DATA / "questionnaires.toml", data / "questionnaires.toml")
    _edit(data, '{ id = "yes_with_pain"', '{ id = "yes_without_pain"')
    assert _refused(data).place == "$.questionnaire[0].item[1].options[1].id"


def test_a_score_item_must_be_a_scale(data: Path) -> None:
    _edit(data, 'score_item = "worst"', 'score_item = "worse"')
    assert _refused(data).place == "$.questionnaire[1].score_item"


def test_unknown_keys_and_unknown_sources_are_errors(data: Path) -> None:
    _edit(data, 'id = "bending"', 'id = "bending"\ncolour = "blue"')
    assert "colour" in str(_refused(data))
    shutil.copy(loader.DATA / "questionnaires.toml", data / "questionnaires.toml")
    _edit(data, 'sources = ["kujala-1993"', 'sources = ["no-such-paper"')
    assert "no-such-paper" in str(_refused(data))


def test_the_screens_maxima_must_sum_to_its_max_score(data: Path) -> None:
    _edit(data, "max_score = 12", "max_score = 13")
    err = _refused(data)
    assert err.place == "$.questionnaire[2].item" and "sum to 13, got 12" in str(err)


def test_a_questionnaire_the_engine_asks_for_cannot_go_missing(data: Path) -> None:
    _edit(data, 'id = "fear_of_movement"', 'id = "fear_of_moving"')
    err = _refused(data)
    assert err.place == "$.questionnaire" and "'fear_of_movement'" in str(err)


def test_a_high_fear_score_must_be_one_the_screen_can_reach(data: Path) -> None:
    path = data / "protocol.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("fear_screen_high_from = 8 ", "fear_screen_high_from = 13 ", 1),
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as err:
        loader.load_catalogue(data)
    assert err.value.file.endswith("protocol.toml")
    assert err.value.place == "$.settings.fear_screen_high_from"
