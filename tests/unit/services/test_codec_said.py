"""A stored decision keeps its reasons' words key and facts, so that it reads in the reader's
language later, not only in the English it was stored with (issue 16, languages)."""

from __future__ import annotations

import json
from datetime import date

from runrehab.engine.said import Iso, Km, said
from runrehab.engine.values import Reason
from runrehab.services.codec import reasons_from_json, reasons_to_json, said_from_json
from runrehab.services.content import shipped_content
from runrehab.services.details import detail_text


def test_a_reason_with_every_kind_of_fact_comes_back_as_it_was_stored() -> None:
    facts = said(
        "gate_exercise_done",
        name=said("both", first=said("place_around_kneecap"), second="x"),
        sets=3,
        reps=10.5,
        day=date(2026, 12, 8),
        pain=(Iso(date(2026, 12, 9)), Km(4.2), True),
    )
    stored = json.loads(json.dumps(reasons_to_json((Reason.of("g1", facts), Reason("g2", "d")))))
    back = reasons_from_json(stored)
    assert [r.rule for r in back] == ["g1", "g2"]
    assert back[0].said == facts and back[1].said is None
    assert back[0].detail == Reason.of("g1", facts).detail


def test_a_decision_stored_in_english_reads_in_german() -> None:
    reason = Reason.of("sm-fits-runners-knee", said("place_behind_kneecap"))
    [back] = reasons_from_json(json.loads(json.dumps(reasons_to_json((reason,)))))
    german = shipped_content("de").words
    assert back.said is not None
    assert detail_text(german, back.detail, back.said) == "hinter der Kniescheibe"


def test_a_row_stored_before_the_facts_were_kept_keeps_its_english() -> None:
    [old] = reasons_from_json([{"rule": "r", "detail": "rest pain 7/10"}])
    assert (old.detail, old.said) == ("rest pain 7/10", None)
    assert said_from_json({"key": "k", "facts": [["x", {"unknown": 1}]]}) is None
