"""The check-in form and the check-in contract document, both ways.

``document_from_form`` turns the posted fields into a checkin-v1 document and names every
field it could not read, in plain words, by its form name; ``form_from_document`` fills the
form from a stored check-in, so a day's check-in can be corrected or completed later.
``errors_from_problems`` puts the contract's JSON-path problems back beside their fields.
No clinical judgement happens here: the engine reads the document.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from runrehab.errors import Problem

# form name, contract key, the question, and the question's words inside a message
PAIN_FIELDS = (
    ("pain_now", "now", "How much does the knee hurt now?", "how much it hurts now"),
    (
        "pain_at_rest",
        "at_rest",
        "How much does it hurt at rest, sitting still?",
        "how much it hurts at rest",
    ),
    (
        "pain_worst",
        "worst_24h",
        "The worst it has been in the last 24 hours?",
        "the worst pain of the last 24 hours",
    ),
)
MORNING = (
    ("better", "Better than usual"),
    ("same", "About the same"),
    ("worse", "Worse than usual"),
)
SWELLING = (("none", "No swelling"), ("mild", "A little swollen"), ("marked", "Clearly swollen"))
# The everyday signs first; the rarer, more serious ones after them.
SIGNS = (
    ("limp", "I am limping"),
    ("giving_way", "The knee gave way"),
    ("catching", "The knee catches or clicks painfully"),
    ("locked", "The knee locked: it got stuck and would not straighten"),
    ("hot", "The knee feels hot"),
    ("red", "The skin over the knee is red"),
    ("fever_or_unwell", "I have a fever or feel unwell"),
    ("calf_pain_or_swelling", "My calf is painful or swollen"),
    ("breathless_or_chest_pain", "I am short of breath or have chest pain"),
)
SETTLED = (
    ("0", "It did not hurt, or settled at once"),
    ("30", "Within half an hour"),
    ("60", "Within an hour"),
    ("240", "Within a few hours"),
    ("1440", "By the next morning"),
    ("", "It has not settled yet, or I am not sure"),
)
CROSS_KINDS = (
    ("walking", "Walking"),
    ("cycling", "Cycling"),
    ("swimming", "Swimming"),
    ("water_running", "Water running"),
    ("elliptical", "Elliptical"),
    ("other", "Something else"),
)
NOTES_MAX = 4000
YES = "yes"


@dataclass(frozen=True)
class FormExercise:
    """An exercise the form asks about: today's dose, which a tick reports as done."""

    id: str
    name: str
    sets: int
    reps: int | None = None
    hold_seconds: int | None = None


@dataclass(frozen=True)
class FormTest:
    """A readiness test the day's session holds (a phase gate), asked for with its own pain:
    the exercise's sets and reps, or the walk's minutes and a limp."""

    id: str
    kind: str  # "exercise_test" | "walk_test"
    name: str
    text: str
    exercise: str | None = None
    sets: int | None = None
    reps: int | None = None
    minutes: float | None = None

    @property
    def walk(self) -> bool:
        return self.kind == "walk_test"


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


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class _Reader:
    """Reads the form's fields one by one and keeps a plain-words message for each bad one."""

    def __init__(self, form: FormValues) -> None:
        self.form = form
        self.errors: dict[str, str] = {}

    def text(self, name: str) -> str:
        return self.form.get(name).strip()

    def flag(self, name: str) -> bool:
        return self.form.has(name, YES)

    def pain(self, name: str, required: bool, what: str) -> int | None:
        raw = self.text(name)
        if not raw:
            if required:
                self.errors[name] = f"Choose {what}, from 0 (no pain) to 10 (the worst)."
            return None
        # isdecimal, not isdigit ("²" is a digit int() refuses); short, as int() refuses
        # thousands of digits
        if len(raw) > 2 or not raw.isdecimal() or not 0 <= int(raw) <= 10:
            self.errors[name] = f"{what[:1].upper()}{what[1:]} is a whole number from 0 to 10."
            return None
        return int(raw)

    def number(
        self, name: str, what: str, high: float, required: bool = False, whole: bool = False
    ) -> float | None:
        raw = self.text(name).replace(",", ".")
        if not raw:
            if required:
                self.errors[name] = f"Give {what}."
            return None
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or not 0 <= value <= high or (whole and not value.is_integer()):
            kind = "a whole number" if whole else "a number"
            self.errors[name] = f"{what[:1].upper()}{what[1:]} must be {kind} from 0 to {high:g}."
            return None
        return value

    def choice(self, name: str, allowed: Iterable[tuple[str, str]], what: str) -> str | None:
        raw = self.text(name)
        if not raw:
            return None
        if raw not in {key for key, _ in allowed}:
            self.errors[name] = f"Choose one of the answers for {what}."
            return None
        return raw


def document_from_form(
    form: FormValues,
    today: date,
    exercises: Sequence[FormExercise],
    tests: Sequence[FormTest] = (),
) -> tuple[dict[str, Any], dict[str, str]]:
    """The checkin-v1 document the form describes, and the form's errors by field name."""
    read = _Reader(form)
    doc: dict[str, Any] = {"schema_version": 1, "date": _day(read, today)}
    pain = {key: read.pain(name, True, what) for name, key, _label, what in PAIN_FIELDS}
    doc["pain"] = pain
    morning = read.choice("morning", MORNING, "this morning")
    if morning is not None:
        doc["this_morning_vs_usual"] = morning
    doc["signs"] = _signs(read)
    logs = _exercises(read, exercises)
    if logs:
        doc["exercises"] = logs
    if read.text("ran") == YES:
        doc["run"] = _run(read)
    cross = _cross(read)
    if cross:
        doc["cross_training"] = [cross]
    _tests(read, tests, doc)
    notes = read.text("notes")
    if len(notes) > NOTES_MAX:
        read.errors["notes"] = f"Keep the note under {NOTES_MAX} characters (it has {len(notes)})."
    elif notes:
        doc["notes"] = notes
    return doc, read.errors


def _day(read: _Reader, today: date) -> str:
    raw = read.text("date")
    if not raw:
        return today.isoformat()
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        read.errors["date"] = "This is not a date: use the form YYYY-MM-DD."
        return today.isoformat()
    if day > today:
        read.errors["date"] = "That day has not come yet: check in for today or an earlier day."
    return day.isoformat()


def _signs(read: _Reader) -> dict[str, Any]:
    signs: dict[str, Any] = {"swelling": read.choice("swelling", SWELLING, "swelling") or "none"}
    for key, _label in SIGNS:
        if read.form.has("signs", key):
            signs[key] = True
    return signs


def _exercises(read: _Reader, exercises: Sequence[FormExercise]) -> list[dict[str, Any]]:
    done = [e for e in exercises if read.form.has("exercise", e.id)]
    if not done:
        return []
    worst = read.pain("exercise_pain", True, "how much the exercises hurt at most")
    logs: list[dict[str, Any]] = []
    for e in done:
        sets = read.number(f"sets_{e.id}", f"the sets of {e.name} you did", 20, True, True)
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
    minutes = read.number("run_minutes", "how many minutes you ran", 1440, required=True)
    if minutes == 0:
        read.errors["run_minutes"] = "Give the minutes you ran (more than 0), or answer No."
    elif minutes is not None:
        run["minutes"] = minutes
    km = read.number("run_km", "the distance in km", 500)
    if km is not None:
        run["distance_km"] = km
    pain = read.pain("run_pain", True, "the most it hurt during the run")
    if pain is not None:
        run["max_pain"] = pain
    settled = read.choice("run_settled", SETTLED, "how soon the pain settled")
    if settled:
        run["settled_within_minutes"] = int(settled)
    if read.flag("run_rose"):
        run["pain_rose_during"] = True
    if read.flag("run_stride"):
        run["changed_stride"] = True
    return run


def _cross(read: _Reader) -> dict[str, Any] | None:
    kind = read.choice("cross_kind", CROSS_KINDS, "the other exercise")
    if kind is None:
        return None
    minutes = read.number("cross_minutes", "how many minutes it lasted", 1440, required=True)
    entry: dict[str, Any] = {"kind": kind}
    if minutes == 0:
        read.errors["cross_minutes"] = "Give how many minutes it lasted (more than 0)."
    elif minutes is not None:
        entry["minutes"] = minutes
    pain = read.pain("cross_pain", False, "the most it hurt")
    if pain is not None:
        entry["max_pain"] = pain
    return entry


def _tests(read: _Reader, tests: Sequence[FormTest], doc: dict[str, Any]) -> None:
    """Each readiness test ticked as done, into the document: the exercise with its sets, reps
    and highest pain, or the walk with its minutes and highest pain (and a limp, if any)."""
    for test in tests:
        if not read.form.has("test", test.id):
            continue
        what = f"the most the {test.name.lower()} hurt"
        pain = read.pain(f"test_pain_{test.id}", True, what)
        if test.walk:
            minutes = read.number(
                f"test_minutes_{test.id}", "how many minutes you walked", 1440, required=True
            )
            if minutes == 0:
                read.errors[f"test_minutes_{test.id}"] = (
                    "Give the minutes you walked (more than 0)."
                )
            entry: dict[str, Any] = {"kind": "walking"}
            if minutes:
                entry["minutes"] = minutes
            if pain is not None:
                entry["max_pain"] = pain
            doc.setdefault("cross_training", []).append(entry)
            if read.flag(f"test_limp_{test.id}"):
                doc["signs"]["limp"] = True
            continue
        sets = read.number(f"test_sets_{test.id}", f"the sets of {test.name}", 20, True, True)
        reps = read.number(f"test_reps_{test.id}", f"the reps of {test.name}", 200, True, True)
        log: dict[str, Any] = {"id": test.exercise or test.id, "sets": int(sets or 0)}
        log["reps"] = int(reps or 0)
        if pain is not None:
            log["max_pain"] = pain
        logged = [e for e in doc.get("exercises", []) if e["id"] != log["id"]]
        doc["exercises"] = [*logged, log]


# --- back to the form ---------------------------------------------------------------------------


def form_from_document(doc: dict[str, Any], tests: Sequence[FormTest] = ()) -> FormValues:
    """The form filled in as ``doc`` says: to correct or complete a day's check-in. A readiness
    test the day holds is filled in from its own report (the exercise, or the walk)."""
    doc, done = _tests_to_form(doc, tests)
    form = FormValues()
    form.set("date", doc["date"])
    for name, key, _label, _what in PAIN_FIELDS:
        form.set(name, doc["pain"][key])
    if "this_morning_vs_usual" in doc:
        form.set("morning", doc["this_morning_vs_usual"])
    signs = doc.get("signs", {})
    form.set("swelling", signs.get("swelling", "none"))
    form.set("signs", *(k for k, _ in SIGNS if signs.get(k)))
    _exercises_to_form(form, doc.get("exercises", []))
    _run_to_form(form, doc.get("run"))
    crosses = doc.get("cross_training", [])
    if crosses:
        form.set("cross_kind", crosses[0]["kind"])
        form.set("cross_minutes", crosses[0]["minutes"])
        if "max_pain" in crosses[0]:
            form.set("cross_pain", crosses[0]["max_pain"])
    if doc.get("notes"):
        form.set("notes", doc["notes"])
    for name, values in done.values.items():
        form.values[name] = values
    return form


def _tests_to_form(
    doc: dict[str, Any], tests: Sequence[FormTest]
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
    problems: Iterable[Problem], logged: Sequence[dict[str, Any]]
) -> dict[str, str]:
    """The contract's problems beside the form's fields (``form`` for the rest)."""
    errors: dict[str, str] = {}
    for p in problems:
        name = _PATHS.get(p.path) or _exercise_field(p.path, logged) or "form"
        errors.setdefault(name, f"{p.message[:1].upper()}{p.message[1:]}.")
    return errors


def _exercise_field(path: str, logged: Sequence[dict[str, Any]]) -> str | None:
    found = _EXERCISE_PATH.match(path)
    if found is None or int(found.group(1)) >= len(logged):
        return None
    exercise = logged[int(found.group(1))]["id"]
    return f"sets_{exercise}" if found.group(2) == "sets" else "exercise"
