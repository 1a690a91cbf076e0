"""The check-in form and the check-in contract document, both ways.

``document_from_form`` turns the posted fields into a checkin-v1 document and names every
field it could not read, in plain words, by its form name; ``form_from_document`` fills the
form from a stored check-in, so a day's check-in can be corrected or completed later.
``errors_from_problems`` puts the check-in's problems (by JSON path: the contract's, the day's,
the exercises') back beside their fields. No clinical judgement and no check of the day happen
here: the use case (``services.journal.checkin``) does both, as for the API and the command line.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from runrehab.content.words import Words
from runrehab.errors import Problem
from runrehab.services.journal.checkin import CheckinForm, FormExercise, FormTest
from runrehab.web.query import iso_day

# form name, contract key, and the words of the question inside a message (checkin.what)
PAIN_FIELDS = (
    ("pain_now", "now"),
    ("pain_at_rest", "at_rest"),
    ("pain_worst", "worst_24h"),
)
MORNING = ("better", "same", "worse")
SWELLING = ("none", "mild", "marked")
# The everyday signs first; the rarer, more serious ones after them.
SIGNS = (
    "limp",
    "giving_way",
    "catching",
    "locked",
    "hot",
    "red",
    "fever_or_unwell",
    "calf_pain_or_swelling",
    "breathless_or_chest_pain",
)
SETTLED = (  # minutes (the contract's value), and its words' key
    ("0", "at_once"),
    ("30", "half_hour"),
    ("60", "hour"),
    ("240", "hours"),
    ("1440", "next_morning"),
    ("", "unsure"),
)
CROSS_KINDS = ("walking", "cycling", "swimming", "water_running", "elliptical", "other")
NOTES_MAX = 4000
YES = "yes"

Choices = tuple[tuple[str, str], ...]
"""A question's answers: (the value sent, its words)."""


@dataclass(frozen=True, slots=True)
class FormChoices:
    """The answers of the form's multiple-choice questions, in the runner's words."""

    morning: Choices
    swelling: Choices
    signs: Choices
    settled: Choices
    cross_kinds: Choices


def choices(words: Words) -> FormChoices:
    def of(table: str, values: Iterable[str]) -> Choices:
        return tuple((v, words.say(f"checkin.choice.{table}.{v}")) for v in values)

    settled = tuple((v, words.say(f"checkin.choice.settled.{key}")) for v, key in SETTLED)
    return FormChoices(
        of("morning", MORNING),
        of("swelling", SWELLING),
        of("signs", SIGNS),
        settled,
        of("cross_kind", CROSS_KINDS),
    )


@dataclass
class FormValues:
    """What the form shows: every field's values (checkbox groups have several)."""

    values: dict[str, list[str]] = field(default_factory=dict)

    def get(self, name: str, default: str = "") -> str:
        found = self.values.get(name)
        return found[-1] if found else default

    def has(self, name: str, value: str) -> bool:
        return value in self.values.get(name, [])

    def set(self, name: str, *values: object) -> None:
        self.values[name] = [_text(v) for v in values]

    def offer(self, name: str, value: object) -> None:
        """``value`` in the field, unless it holds the runner's own answer already."""
        if value is not None and name not in self.values:
            self.set(name, value)


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def blank(day: date) -> FormValues:
    """A fresh form for ``day``: no swelling, no run."""
    form = FormValues()
    form.set("date", day)
    form.set("swelling", "none")
    form.set("ran", "no")
    return form


def as_planned(form: FormValues, checkin: CheckinForm) -> FormValues:
    """A fresh form filled in from the day's plan: each of the day's exercises ticked as done
    at its dose, and the planned run as run (its minutes), so that a normal day asks only
    for the knee. Readiness tests are never ticked: a test counts only with its own report."""
    form.set("exercise", *(e.id for e in checkin.exercises))
    if checkin.run_minutes:
        form.set("ran", YES)
        form.set("run_minutes", checkin.run_minutes)
    return form


def offer_doses(form: FormValues, checkin: CheckinForm) -> None:
    """A fresh form offers the day's dose of each exercise, and each readiness test's, to be
    ticked once done."""
    for e in checkin.exercises:
        form.offer(f"sets_{e.id}", e.sets)
    for t in checkin.tests:
        form.offer(f"test_sets_{t.id}", t.sets)
        form.offer(f"test_reps_{t.id}", t.reps)
        form.offer(f"test_minutes_{t.id}", t.minutes)


def _capital(text: str) -> str:
    return f"{text[:1].upper()}{text[1:]}"


class _Reader:
    """Reads the form's fields one by one and keeps a plain-words message for each bad one."""

    def __init__(self, form: FormValues, words: Words) -> None:
        self.form = form
        self.words = words
        self.errors: dict[str, str] = {}

    def what(self, key: str, **values: object) -> str:
        return self.words.say(f"checkin.what.{key}", **values)

    def text(self, name: str) -> str:
        return self.form.get(name).strip()

    def flag(self, name: str) -> bool:
        return self.form.has(name, YES)

    def error(self, name: str, key: str, **values: object) -> None:
        self.errors[name] = self.words.say(f"checkin.error.{key}", **values)

    def pain(self, name: str, required: bool, what: str) -> int | None:
        raw = self.text(name)
        if not raw:
            if required:
                self.error(name, "choose_pain", what=what)
            return None
        # isdecimal, not isdigit ("²" is a digit int() refuses); short, as int() refuses
        # thousands of digits
        if len(raw) > 2 or not raw.isdecimal() or not 0 <= int(raw) <= 10:
            self.error(name, "pain_scale", What=_capital(what))
            return None
        return int(raw)

    def number(
        self, name: str, what: str, high: float, required: bool = False, whole: bool = False
    ) -> float | None:
        raw = self.text(name).replace(",", ".")
        if not raw:
            if required:
                self.error(name, "give", what=what)
            return None
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or not 0 <= value <= high or (whole and not value.is_integer()):
            key = "whole_number" if whole else "number"
            self.error(name, key, What=_capital(what), high=f"{high:g}")
            return None
        return value

    def choice(self, name: str, allowed: Iterable[str], what: str) -> str | None:
        raw = self.text(name)
        if not raw:
            return None
        if raw not in set(allowed):
            self.error(name, "choose_one", what=what)
            return None
        return raw


def document_from_form(
    form: FormValues, words: Words, checkin: CheckinForm
) -> tuple[dict[str, Any], dict[str, str]]:
    """The checkin-v1 document the form describes (the day's exercises and tests are
    ``checkin``'s), and the form's errors by field name."""
    read = _Reader(form, words)
    doc: dict[str, Any] = {"schema_version": 1, "date": _day(read, checkin.today)}
    doc["pain"] = {key: read.pain(name, True, read.what(name)) for name, key in PAIN_FIELDS}
    morning = read.choice("morning", MORNING, read.what("morning"))
    if morning is not None:
        doc["this_morning_vs_usual"] = morning
    doc["signs"] = _signs(read)
    logs = _exercises(read, checkin.exercises)
    if logs:
        doc["exercises"] = logs
    if read.text("ran") == YES:
        doc["run"] = _run(read)
    cross = _cross(read)
    if cross:
        doc["cross_training"] = [cross]
    _tests(read, checkin.tests, doc)
    notes = read.text("notes")
    if len(notes) > NOTES_MAX:
        read.error("notes", "notes_too_long", most=NOTES_MAX, n=len(notes))
    elif notes:
        doc["notes"] = notes
    return doc, read.errors


def _day(read: _Reader, today: date) -> str:
    """The day the form reports, as written; whether it may be reported is the check-in's
    rule (not after today, not before the programme), checked by the use case."""
    raw = read.text("date")
    if not raw:
        return today.isoformat()
    day = iso_day(raw)
    if day is None:
        read.error("date", "not_a_date")
        return today.isoformat()
    return day.isoformat()


def _signs(read: _Reader) -> dict[str, Any]:
    swelling = read.choice("swelling", SWELLING, read.what("swelling")) or "none"
    signs: dict[str, Any] = {"swelling": swelling}
    for key in SIGNS:
        if read.form.has("signs", key):
            signs[key] = True
    return signs


def _exercises(read: _Reader, exercises: Sequence[FormExercise]) -> list[dict[str, Any]]:
    done = [e for e in exercises if read.form.has("exercise", e.id)]
    if not done:
        return []
    # optional: the day's worst pain covers the exercises; when given, each log carries it
    worst = read.pain("exercise_pain", False, read.what("exercise_pain"))
    logs: list[dict[str, Any]] = []
    for e in done:
        what = read.what("exercise_sets", name=e.name)
        sets = read.number(f"sets_{e.id}", what, 20, True, True)
        log: dict[str, Any] = {"id": e.id, "sets": int(sets) if sets is not None else e.sets}
        if e.reps is not None:
            log["reps"] = e.reps
        if e.hold_seconds is not None:
            log["hold_seconds"] = e.hold_seconds
        if worst is not None:
            log["max_pain"] = worst  # one answer for the session: the highest of any exercise
        logs.append(log)
    return logs


def _run(read: _Reader) -> dict[str, Any]:
    run: dict[str, Any] = {}
    minutes = read.number("run_minutes", read.what("run_minutes"), 1440, required=True)
    if minutes == 0:
        read.error("run_minutes", "run_minutes_zero")
    elif minutes is not None:
        run["minutes"] = minutes
    km = read.number("run_km", read.what("run_km"), 500)
    if km is not None:
        run["distance_km"] = km
    pain = read.pain("run_pain", True, read.what("run_pain"))
    if pain is not None:
        run["max_pain"] = pain
    settled = read.choice("run_settled", (v for v, _ in SETTLED), read.what("run_settled"))
    if settled:
        run["settled_within_minutes"] = int(settled)
    if read.flag("run_rose"):
        run["pain_rose_during"] = True
    if read.flag("run_stride"):
        run["changed_stride"] = True
    return run


def _cross(read: _Reader) -> dict[str, Any] | None:
    kind = read.choice("cross_kind", CROSS_KINDS, read.what("cross_kind"))
    if kind is None:
        return None
    minutes = read.number("cross_minutes", read.what("cross_minutes"), 1440, required=True)
    entry: dict[str, Any] = {"kind": kind}
    if minutes == 0:
        read.error("cross_minutes", "cross_minutes_zero")
    elif minutes is not None:
        entry["minutes"] = minutes
    pain = read.pain("cross_pain", False, read.what("cross_pain"))
    if pain is not None:
        entry["max_pain"] = pain
    return entry


def _tests(read: _Reader, tests: Sequence[FormTest], doc: dict[str, Any]) -> None:
    """Each readiness test ticked as done, into the document: the exercise with its sets, reps
    and highest pain, or the walk with its minutes and highest pain (and a limp, if any)."""
    for test in tests:
        if not read.form.has("test", test.id):
            continue
        what = read.what("test_pain", name=test.name.lower())
        pain = read.pain(f"test_pain_{test.id}", True, what)
        if test.walk:
            _walk_test(read, test, pain, doc)
            continue
        sets = read.number(
            f"test_sets_{test.id}", read.what("test_sets", name=test.name), 20, True, True
        )
        reps = read.number(
            f"test_reps_{test.id}", read.what("test_reps", name=test.name), 200, True, True
        )
        log: dict[str, Any] = {"id": test.exercise or test.id, "sets": int(sets or 0)}
        log["reps"] = int(reps or 0)
        if pain is not None:
            log["max_pain"] = pain
        logged = [e for e in doc.get("exercises", []) if e["id"] != log["id"]]
        doc["exercises"] = [*logged, log]


def _walk_test(read: _Reader, test: FormTest, pain: int | None, doc: dict[str, Any]) -> None:
    name = f"test_minutes_{test.id}"
    minutes = read.number(name, read.what("test_minutes"), 1440, required=True)
    if minutes == 0:
        read.error(name, "test_minutes_zero")
    entry: dict[str, Any] = {"kind": "walking"}
    if minutes:
        entry["minutes"] = minutes
    if pain is not None:
        entry["max_pain"] = pain
    doc.setdefault("cross_training", []).append(entry)
    if read.flag(f"test_limp_{test.id}"):
        doc["signs"]["limp"] = True


# --- back to the form ---------------------------------------------------------------------------


def form_from_document(doc: Mapping[str, Any], tests: Sequence[FormTest] = ()) -> FormValues:
    """The form filled in as ``doc`` says: to correct or complete a day's check-in. A readiness
    test the day holds is filled in from its own report (the exercise, or the walk)."""
    rest, done = _tests_to_form(doc, tests)
    form = FormValues()
    form.set("date", rest["date"])
    for name, key in PAIN_FIELDS:
        form.set(name, rest["pain"][key])
    if "this_morning_vs_usual" in rest:
        form.set("morning", rest["this_morning_vs_usual"])
    signs = rest.get("signs", {})
    form.set("swelling", signs.get("swelling", "none"))
    form.set("signs", *(k for k in SIGNS if signs.get(k)))
    _exercises_to_form(form, rest.get("exercises", []))
    _run_to_form(form, rest.get("run"))
    crosses = rest.get("cross_training", [])
    if crosses:
        form.set("cross_kind", crosses[0]["kind"])
        form.set("cross_minutes", crosses[0]["minutes"])
        if "max_pain" in crosses[0]:
            form.set("cross_pain", crosses[0]["max_pain"])
    if rest.get("notes"):
        form.set("notes", rest["notes"])
    for name, values in done.values.items():
        form.values[name] = values
    return form


def _tests_to_form(
    doc: Mapping[str, Any], tests: Sequence[FormTest]
) -> tuple[dict[str, Any], FormValues]:
    """The test fields of a stored check-in, and the document without the test reports (so the
    other fields show only the rest)."""
    form = FormValues()
    ticked: list[str] = []
    exercises = list(doc.get("exercises", []))
    crosses = list(doc.get("cross_training", []))
    for test in tests:
        if test.walk:
            walks = [x for x in crosses if x["kind"] == "walking" and "max_pain" in x]
            if not walks:
                continue
            walk = walks[-1]
            crosses.remove(walk)
            form.set(f"test_minutes_{test.id}", walk["minutes"])
            form.set(f"test_pain_{test.id}", walk["max_pain"])
            if doc.get("signs", {}).get("limp"):
                form.set(f"test_limp_{test.id}", YES)
        else:
            log = next((e for e in exercises if e["id"] == test.exercise), None)
            if log is None:
                continue
            exercises.remove(log)
            form.set(f"test_sets_{test.id}", log["sets"])
            form.set(f"test_reps_{test.id}", log.get("reps", 0))
            if "max_pain" in log:
                form.set(f"test_pain_{test.id}", log["max_pain"])
        ticked.append(test.id)
    form.set("test", *ticked)
    rest = {**doc, "exercises": exercises, "cross_training": crosses}
    return rest, form


def _exercises_to_form(form: FormValues, logs: list[dict[str, Any]]) -> None:
    form.set("exercise", *(e["id"] for e in logs))
    for e in logs:
        form.set(f"sets_{e['id']}", e["sets"])
    pains = [e["max_pain"] for e in logs if "max_pain" in e]
    if pains:
        form.set("exercise_pain", max(pains))


def _run_to_form(form: FormValues, run: dict[str, Any] | None) -> None:
    if run is None:
        form.set("ran", "no")
        return
    form.set("ran", YES)
    form.set("run_minutes", run["minutes"])
    form.set("run_pain", run["max_pain"])
    if "distance_km" in run:
        form.set("run_km", run["distance_km"])
    settled = run.get("settled_within_minutes")
    if settled is not None:
        # the nearest answer that is not quicker than what was reported
        form.set("run_settled", next((k for k, _ in SETTLED if k and int(k) >= settled), ""))
    if run.get("pain_rose_during"):
        form.set("run_rose", YES)
    if run.get("changed_stride"):
        form.set("run_stride", YES)


_PATHS = {
    "$.date": "date",
    "$.pain.now": "pain_now",
    "$.pain.at_rest": "pain_at_rest",
    "$.pain.worst_24h": "pain_worst",
    "$.this_morning_vs_usual": "morning",
    "$.signs.swelling": "swelling",
    "$.run.minutes": "run_minutes",
    "$.run.distance_km": "run_km",
    "$.run.max_pain": "run_pain",
    "$.run.settled_within_minutes": "run_settled",
    "$.cross_training[0].kind": "cross_kind",
    "$.cross_training[0].minutes": "cross_minutes",
    "$.cross_training[0].max_pain": "cross_pain",
    "$.notes": "notes",
}
_EXERCISE_PATH = re.compile(r"^\$\.exercises\[(\d+)\]\.(\w+)$")


def errors_from_problems(
    problems: Iterable[Problem], logged: Sequence[Mapping[str, Any]]
) -> dict[str, str]:
    """The check-in's problems beside the form's fields (``form`` for the rest), each said as
    a sentence."""
    errors: dict[str, str] = {}
    for p in problems:
        name = _PATHS.get(p.path) or _exercise_field(p.path, logged) or "form"
        errors.setdefault(name, f"{_capital(p.message).removesuffix('.')}.")
    return errors


def _exercise_field(path: str, logged: Sequence[Mapping[str, Any]]) -> str | None:
    found = _EXERCISE_PATH.match(path)
    if found is None or int(found.group(1)) >= len(logged):
        return None
    exercise = logged[int(found.group(1))]["id"]
    return f"sets_{exercise}" if found.group(2) == "sets" else "exercise"
