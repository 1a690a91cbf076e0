"""Read the contract documents (assessment-v1, checkin-v1) into engine values.

Validation is against the schema files themselves (``runrehab/contracts``), run by the
reference implementation (``contract_check``), so the product accepts exactly what the contract
accepts. Every problem is reported with its JSON path.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from runrehab.engine import assessment as a
from runrehab.engine import checkin as c
from runrehab.errors import InvalidDocument, Problem
from runrehab.text import bad_texts

CONTRACTS = Path(__file__).resolve().parent.parent / "contracts"
Doc = dict[str, Any]


@cache
def schema(name: str) -> Doc:
    """The contract schema ``name`` ("assessment" or "checkin") as shipped in the product."""
    loaded: Doc = json.loads((CONTRACTS / f"{name}.schema.json").read_text(encoding="utf-8"))
    return loaded


def parse_json(text: str | bytes, kind: str) -> Any:
    """Parse JSON text, turning a syntax error into an InvalidDocument that says where, and
    refusing text that breaks the text rule (``runrehab.text``: a lone surrogate, NUL or
    another control character) in any string or key, each named by its JSON path."""
    try:
        document = json.loads(text)
    except UnicodeDecodeError:
        raise InvalidDocument(kind, [Problem("$", "is not UTF-8 text")]) from None
    except json.JSONDecodeError as err:
        where = f"line {err.lineno}, column {err.colno}"
        raise InvalidDocument(
            kind, [Problem("$", f"is not valid JSON ({err.msg} at {where})")]
        ) from None
    problems = [Problem(path, problem) for path, problem in bad_texts(document)]
    if problems:
        raise InvalidDocument(kind, problems)
    return document


def validate(document: Any, kind: str) -> Doc:
    """Check ``document`` against its contract (``contract_check``: the published schema, and
    valid text); raise InvalidDocument listing every problem."""
    from runrehab.adapters import contract_check  # jsonschema: only where a document comes in

    problems = contract_check.problems(document, schema(kind), kind)
    if problems:
        raise InvalidDocument(kind, problems)
    assert isinstance(document, dict)
    return document


def read_assessment(document: Any) -> a.Assessment:
    """An engine Assessment from a document valid under assessment-v1."""
    return assessment_from_valid(validate(document, "assessment"))


def assessment_from_valid(d: Doc) -> a.Assessment:
    """An engine Assessment from a document already validated (one read back from the
    journal, which validated it on the way in): skips the validation, which costs more than
    the rest (a command line answer would pay for importing the schema checker)."""
    return a.Assessment(
        age=int(d["age"]),
        side=a.Side(d["side"]),
        sex=a.Sex(d["sex"]) if "sex" in d else None,
        pain=_pain(d["pain"]),
        running=_running(d["running"]) if "running" in d else None,
        history=_history(d["history"]),
        signs=_signs(d["signs"]),
        preferences=_preferences(d.get("preferences", {})),
    )


def _pain(p: Doc) -> a.Pain:
    return a.Pain(
        now=int(p["now"]),
        at_rest=int(p["at_rest"]),
        worst_last_week=int(p["worst_last_week"]),
        location=frozenset(a.Location(x) for x in p["location"]),
        provoked_by=frozenset(a.Provocation(x) for x in p["provoked_by"]),
        wakes_at_night=p.get("wakes_at_night", False),
        constant_not_eased_by_rest=p.get("constant_not_eased_by_rest", False),
    )


def _running(r: Doc) -> a.Running:
    race = r.get("goal_race")
    return a.Running(
        currently_running=r.get("currently_running", False),
        pain_during_run=_int_or_none(r.get("pain_during_run")),
        pain_rises_during_run=r.get("pain_rises_during_run", False),
        pain_settles_within_24h=r.get("pain_settles_within_24h", False),
        changes_stride_when_running=r.get("changes_stride_when_running", False),
        weekly_km_before_pain=r.get("weekly_km_before_pain"),
        longest_run_km_last_30_days=r.get("longest_run_km_last_30_days"),
        runs_per_week_before_pain=_int_or_none(r.get("runs_per_week_before_pain")),
        recent_increase_in_load=r.get("recent_increase_in_load", False),
        goal_race=None
        if race is None
        else a.GoalRace(date.fromisoformat(race["date"]), race.get("distance_km")),
    )


def _history(h: Doc) -> a.History:
    injury = h.get("injury")
    return a.History(
        symptom_weeks=h["symptom_weeks"],
        trend=a.Trend(h["trend"]),
        onset=a.Onset(h["onset"]),
        weeks_following_programme=h.get("weeks_following_programme"),
        injury=None if injury is None else _injury(injury),
        cancer_history=h.get("cancer_history", False),
        immunocompromised_or_diabetic=h.get("immunocompromised_or_diabetic", False),
        recent_knee_injection_or_surgery=h.get("recent_knee_injection_or_surgery", False),
    )


def _injury(i: Doc) -> a.Injury:
    flags = {k: v for k, v in i.items() if k != "mechanism"}
    return a.Injury(mechanism=a.Mechanism(i["mechanism"]), **flags)


def _signs(s: Doc) -> a.Signs:
    flags = {k: v for k, v in s.items() if k != "swelling"}
    return a.Signs(swelling=a.Swelling(s["swelling"]), **flags)


def _preferences(p: Doc) -> a.Preferences:
    minutes = p.get("minutes_per_session")
    return a.Preferences(
        equipment=frozenset(a.Equipment(x) for x in p.get("equipment", [])),
        training_days=frozenset(a.Weekday(x) for x in p.get("training_days", [])),
        minutes_per_session=None if minutes is None else int(minutes),
    )


def read_checkin(document: Any) -> c.Checkin:
    """An engine Checkin from a document valid under checkin-v1."""
    return checkin_from_valid(validate(document, "checkin"))


def checkin_from_valid(d: Doc) -> c.Checkin:
    """An engine Checkin from a document already validated (one read back from the journal,
    which validated it on the way in): skips the validation, which costs more than the rest."""
    p = d["pain"]
    run = d.get("run")
    signs = d.get("signs", {})
    return c.Checkin(
        date=date.fromisoformat(d["date"]),
        pain=c.CheckinPain(int(p["now"]), int(p["at_rest"]), int(p["worst_24h"])),
        this_morning_vs_usual=c.Morning(d["this_morning_vs_usual"])
        if "this_morning_vs_usual" in d
        else None,
        signs=a.Signs(
            swelling=a.Swelling(signs.get("swelling", "none")),
            **{k: v for k, v in signs.items() if k != "swelling"},
        ),
        exercises=tuple(
            c.ExerciseLog(
                e["id"],
                int(e["sets"]),
                _int_or_none(e.get("reps")),
                _int_or_none(e.get("hold_seconds")),
                _int_or_none(e.get("max_pain")),
            )
            for e in d.get("exercises", [])
        ),
        run=None
        if run is None
        else c.RunLog(
            minutes=float(run["minutes"]),
            max_pain=int(run["max_pain"]),
            distance_km=run.get("distance_km"),
            pain_rose_during=run.get("pain_rose_during", False),
            settled_within_minutes=run.get("settled_within_minutes"),
            changed_stride=run.get("changed_stride", False),
            activity_id=run.get("activity_id"),
        ),
        cross_training=tuple(
            c.CrossTraining(
                c.CrossTrainingKind(x["kind"]), float(x["minutes"]), _int_or_none(x.get("max_pain"))
            )
            for x in d.get("cross_training", [])
        ),
        notes=d.get("notes", ""),
    )


def _int_or_none(value: Any) -> int | None:
    return None if value is None else int(value)
