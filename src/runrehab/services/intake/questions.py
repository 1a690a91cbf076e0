"""The intake assessment as questions in plain words, and the answers read into its document.

``STEPS`` asks every field of the assessment contract (``contracts/assessment.schema.json``),
one topic per step, the warning signs first: step 1 holds every answer an *emergency* rule
reads (and the injury questions), step 2 every other answer an *urgent* rule reads, so a red
flag stops the intake as soon as it is answered and nothing asked later can make it more urgent
(``tests/web/test_onboarding.py`` checks this against the triage rules).

Answers arrive as form fields named by their contract path (``pain.now``); each step is checked
on its own, with a message per question, and ``build_document`` turns checked answers into the
contract's document. Nothing here decides anything clinical: the triage does that.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

Answers = Mapping[str, Sequence[str]]
"""Raw answers by form field name: every value sent for it (checkbox groups send several)."""
Kind = Literal["int", "number", "scale", "choice", "multi", "flags", "date"]

NO_INJURY = "none"
MAX_VALUE_CHARS = 40
MAX_VALUES = 12
"""No question has more options than this: a form sending more is cut short, not echoed."""


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True, slots=True)
class Question:
    """One question. ``name`` is the form field and its contract path; for ``flags`` (tick any
    that apply) it only names the group, and each option's value is the path of its boolean."""

    name: str
    kind: Kind
    label: str
    hint: str = ""
    options: tuple[Option, ...] = ()
    required: bool = False
    low: float | None = None
    high: float | None = None
    above_low: bool = False
    """The lowest allowed value is ``low`` itself (False) or anything above it (True)."""
    unit: str = ""
    block: str = ""
    """A block of questions that only applies after an earlier answer (the page may fold it)."""

    @property
    def field_names(self) -> tuple[str, ...]:
        if self.kind == "flags":
            return tuple(o.value for o in self.options)
        return (self.name,)

    @property
    def dom_id(self) -> str:
        return "q-" + self.name.replace(".", "-").replace("_", "-")


@dataclass(frozen=True, slots=True)
class Step:
    key: str
    title: str
    intro: str
    questions: tuple[Question, ...]
    warning_signs: bool = False

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(n for q in self.questions for n in q.field_names)


def _options(*pairs: tuple[str, str]) -> tuple[Option, ...]:
    return tuple(Option(v, label) for v, label in pairs)


WARNING_SIGNS = Step(
    "warning-signs",
    "First, anything that needs a doctor now?",
    "A few quick questions to make sure nothing needs urgent care before we start.",
    (
        Question(
            "age",
            "int",
            "How old are you?",
            "Some signs mean different things at different ages.",
            required=True,
            low=8,
            high=100,
            unit="years",
        ),
        Question(
            "signs-now",
            "flags",
            "Is any of this true right now?",
            "Tick all that apply; leave them empty if none is.",
            _options(
                ("signs.foot_numb_cold_or_pale", "My foot or lower leg is numb, cold or pale"),
                ("signs.breathless_or_chest_pain", "I am short of breath, or have chest pain"),
                ("signs.calf_pain_or_swelling", "My calf is painful or swollen"),
                ("signs.deformity", "The knee looks out of shape or out of place"),
                ("signs.hot", "The knee feels hot"),
                ("signs.red", "The skin over the knee is red"),
                ("signs.fever_or_unwell", "I have a fever, or feel unwell or shivery"),
            ),
        ),
        Question(
            "signs.swelling",
            "choice",
            "Is the knee swollen?",
            options=_options(
                ("none", "No"),
                ("mild", "A little: slightly puffy"),
                ("marked", "A lot: clearly puffy, tight or bigger than the other knee"),
            ),
            required=True,
        ),
        Question(
            "history.injury.mechanism",
            "choice",
            "Did the pain start with an injury?",
            options=_options(
                (NO_INJURY, "No, it came on without an injury"),
                ("fall_or_direct_blow", "Yes: a fall, or a blow to the knee"),
                ("twisting", "Yes: a twist"),
                ("landing", "Yes: landing from a jump"),
                ("other", "Yes: another kind of injury"),
            ),
            required=True,
        ),
        Question(
            "injury-signs",
            "flags",
            "If it started with an injury: is any of this true?",
            "Tick all that apply.",
            _options(
                ("history.injury.heard_pop", "I heard or felt a pop when it happened"),
                ("history.injury.swelling_within_2_hours", "The knee swelled up within 2 hours"),
                ("history.injury.cannot_walk_4_steps", "I cannot take 4 steps on that leg"),
                (
                    "history.injury.cannot_bend_to_90_degrees",
                    "I cannot bend the knee to a right angle (90°)",
                ),
                (
                    "history.injury.cannot_straighten_or_lift_straight_leg",
                    "I cannot straighten the knee, or cannot lift the leg with the knee straight",
                ),
                (
                    "history.injury.tender_kneecap_or_bony_point",
                    "Pressing on the kneecap or a bony point of the knee really hurts",
                ),
                (
                    "history.injury.kneecap_dislocated",
                    "The kneecap came out of place (even if it went back)",
                ),
            ),
            block="injury",
        ),
    ),
    warning_signs=True,
)

MORE_CHECKS = Step(
    "more-checks",
    "A few more checks",
    "These are rare, but important to ask about.",
    (
        Question(
            "checks",
            "flags",
            "Is any of this true?",
            "Tick all that apply; leave them empty if none is.",
            _options(
                (
                    "signs.locked",
                    "The knee gets stuck and cannot fully straighten, as if something blocks it",
                ),
                ("signs.limp", "I am limping"),
                ("signs.hip_groin_or_thigh_pain", "I have pain in the hip, groin or thigh"),
                ("pain.wakes_at_night", "The knee pain wakes me at night"),
                (
                    "pain.constant_not_eased_by_rest",
                    "The pain is constant and rest does not ease it",
                ),
                ("signs.unexplained_weight_loss", "I have lost weight without trying"),
                ("signs.hard_lump_near_knee", "There is a hard lump near the knee"),
            ),
        ),
        Question(
            "health",
            "flags",
            "About your health",
            "Tick all that apply.",
            _options(
                ("history.cancer_history", "I have had cancer"),
                (
                    "history.immunocompromised_or_diabetic",
                    "I have diabetes, or a weak immune system (from an illness or medicines)",
                ),
                (
                    "history.recent_knee_injection_or_surgery",
                    "I recently had an injection or an operation on this knee",
                ),
            ),
        ),
    ),
    warning_signs=True,
)

WHERE = Step(
    "where",
    "Where it hurts",
    "This tells runner's knee apart from other knee problems.",
    (
        Question(
            "side",
            "choice",
            "Which knee hurts?",
            options=_options(("left", "Left"), ("right", "Right"), ("both", "Both")),
            required=True,
        ),
        Question(
            "pain.location",
            "multi",
            "Where does it hurt?",
            "Tick every place that hurts.",
            _options(
                ("around_kneecap", "Around the kneecap"),
                ("behind_kneecap", "Behind the kneecap"),
                ("below_kneecap", "Just below the kneecap, on the tendon"),
                ("tibial_tubercle", "On the bony bump below the knee"),
                ("outer_knee", "On the outside of the knee"),
                ("inner_knee", "On the inside, a little below the knee"),
                ("inner_joint_line", "On the inside, along the joint line"),
                ("back_of_knee", "At the back of the knee"),
            ),
            required=True,
        ),
        Question(
            "pain.provoked_by",
            "multi",
            "What brings it on or makes it worse?",
            "Tick all that apply.",
            _options(
                ("running", "Running"),
                ("downhill_running", "Running downhill"),
                ("stairs_down", "Going down stairs"),
                ("stairs_up", "Going up stairs"),
                ("squatting", "Squatting"),
                ("prolonged_sitting", "Sitting for a long time with the knee bent"),
                ("kneeling", "Kneeling"),
                ("jumping", "Jumping"),
                ("walking", "Walking"),
                ("cycling", "Cycling"),
            ),
        ),
    ),
)

PAIN = Step(
    "pain",
    "How much it hurts",
    "0 is no pain at all; 10 is the worst pain you can imagine.",
    (
        Question("pain.now", "scale", "How much does it hurt right now?", required=True),
        Question(
            "pain.at_rest",
            "scale",
            "How much does it hurt when you rest?",
            "Sitting or lying still.",
            required=True,
        ),
        Question(
            "pain.worst_last_week",
            "scale",
            "What was the worst it hurt in the last 7 days?",
            required=True,
        ),
    ),
)

STORY = Step(
    "story",
    "How it started and how it is going",
    "Roughly is fine.",
    (
        Question(
            "history.onset",
            "choice",
            "How did it start?",
            options=_options(
                ("gradual", "Gradually, over days or weeks"),
                ("sudden", "Suddenly, at one moment"),
            ),
            required=True,
        ),
        Question(
            "history.symptom_weeks",
            "number",
            "How many weeks have you had this pain?",
            "0.5 for a few days.",
            required=True,
            low=0,
            high=1040,
            unit="weeks",
        ),
        Question(
            "history.trend",
            "choice",
            "Over the last two weeks, is it…",
            options=_options(
                ("improving", "Getting better"),
                ("unchanged", "About the same"),
                ("worsening", "Getting worse"),
            ),
            required=True,
        ),
        Question(
            "history.weeks_following_programme",
            "number",
            "Have you already followed a rehab programme for this knee? For how many weeks?",
            "Leave it empty if you have not.",
            low=0,
            high=520,
            unit="weeks",
        ),
        Question(
            "knee-behaviour",
            "flags",
            "Does the knee…",
            "Tick all that apply.",
            _options(
                ("signs.catching", "catch or click in a way that stops you?"),
                ("signs.giving_way", "give way, or feel as if it will?"),
            ),
        ),
        Question(
            "signs.morning_stiffness_minutes",
            "number",
            "When you get up, for how many minutes is the knee stiff?",
            "Leave it empty if it is not stiff.",
            low=0,
            high=1440,
            unit="minutes",
        ),
    ),
)

RUNNING = Step(
    "running",
    "Your running",
    "This decides whether you can keep some running from the start.",
    (
        Question(
            "running.currently_running",
            "choice",
            "Are you running at the moment?",
            options=_options(("yes", "Yes"), ("no", "No, I have stopped for now")),
            required=True,
        ),
        Question(
            "running.pain_during_run",
            "scale",
            "If you are running: how much does it hurt during a run?",
            block="running-now",
        ),
        Question(
            "after-runs",
            "flags",
            "If you are running: is any of this true?",
            "Tick all that apply.",
            _options(
                ("running.pain_rises_during_run", "The pain gets worse as the run goes on"),
                (
                    "running.pain_settles_within_24h",
                    "The pain has settled by 24 hours after a run",
                ),
                (
                    "running.changes_stride_when_running",
                    "The pain makes me change how I run (a limp or a shorter stride)",
                ),
            ),
            block="running-now",
        ),
        Question(
            "running.longest_run_km_last_30_days",
            "number",
            "Your longest run in the last 30 days",
            "Leave it empty if you do not know.",
            low=0,
            high=250,
            unit="km",
        ),
        Question(
            "running.weekly_km_before_pain",
            "number",
            "Before the pain: how far did you run in a usual week?",
            low=0,
            high=400,
            unit="km",
        ),
        Question(
            "running.runs_per_week_before_pain",
            "int",
            "Before the pain: how many runs in a usual week?",
            low=0,
            high=21,
            unit="runs",
        ),
        Question(
            "load",
            "flags",
            "Before the pain started…",
            options=_options(
                (
                    "running.recent_increase_in_load",
                    "I had recently run further, faster or more often than before",
                ),
            ),
        ),
        Question(
            "running.goal_race.date",
            "date",
            "A race you are aiming for: its date",
            "Leave it empty if there is none.",
        ),
        Question(
            "running.goal_race.distance_km",
            "number",
            "The race distance",
            low=0,
            high=500,
            above_low=True,
            unit="km",
        ),
    ),
)

WEEK = Step(
    "week",
    "About you and your week",
    "All optional: they fit the programme around your life.",
    (
        Question(
            "sex",
            "choice",
            "Your sex",
            options=_options(
                ("female", "Female"),
                ("male", "Male"),
                ("other", "Other"),
                ("unspecified", "I would rather not say"),
            ),
        ),
        Question(
            "preferences.training_days",
            "multi",
            "Which days can you usually train?",
            options=_options(
                ("mon", "Monday"),
                ("tue", "Tuesday"),
                ("wed", "Wednesday"),
                ("thu", "Thursday"),
                ("fri", "Friday"),
                ("sat", "Saturday"),
                ("sun", "Sunday"),
            ),
        ),
        Question(
            "preferences.minutes_per_session",
            "int",
            "How many minutes can you give a session?",
            low=10,
            high=120,
            unit="minutes",
        ),
        Question(
            "preferences.equipment",
            "multi",
            "What can you use?",
            "Tick all that apply.",
            _options(
                ("resistance_band", "A resistance band"),
                ("step", "A step or stair"),
                ("wall", "A wall"),
                ("box_or_chair", "A box or a sturdy chair"),
                ("foam_roller", "A foam roller"),
                ("massage_ball", "A massage ball"),
                ("gym", "A gym"),
                ("pool", "A pool"),
                ("bike", "A bike or exercise bike"),
                ("elliptical", "A cross-trainer (elliptical)"),
            ),
        ),
    ),
)

STEPS: tuple[Step, ...] = (WARNING_SIGNS, MORE_CHECKS, WHERE, PAIN, STORY, RUNNING, WEEK)
QUESTIONS: dict[str, Question] = {q.name: q for s in STEPS for q in s.questions}
FIELD_NAMES: frozenset[str] = frozenset(n for s in STEPS for n in s.field_names)
FLAG_LABELS: dict[str, str] = {
    o.value: o.label for q in QUESTIONS.values() if q.kind == "flags" for o in q.options
}
INJURY_FLAGS = QUESTIONS["injury-signs"].field_names


# --- reading answers --------------------------------------------------------------------------


def known_answers(raw: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """Only the answers to questions RunRehab asks, without empty values: anything else in a
    form (tampered, or from an older page) is dropped here, never stored or sent back."""
    return {
        name: [v.strip() for v in values if v.strip()][:MAX_VALUES]
        for name, values in raw.items()
        if name in FIELD_NAMES and any(v.strip() for v in values)
    }


def carried(answers: Answers, step: Step) -> list[tuple[str, str]]:
    """The answers of the other steps, as hidden fields for the page of ``step``."""
    mine = set(step.field_names)
    return [
        (name, value) for name in sorted(answers) if name not in mine for value in answers[name]
    ]


def check_step(step: Step, answers: Answers) -> dict[str, str]:
    """The problems of one step's answers, by question name (empty: the step is fine)."""
    errors: dict[str, str] = {}
    for question in step.questions:
        problem = _check_question(question, answers)
        if problem:
            errors[question.name] = problem
    for name, problem in _cross_checks(step, answers).items():
        errors.setdefault(name, problem)
    return errors


def first_unfinished(answers: Answers) -> tuple[int, dict[str, str]] | None:
    """The index of the first step whose answers are not right, with its problems."""
    for index, step in enumerate(STEPS):
        errors = check_step(step, answers)
        if errors:
            return index, errors
    return None


def _check_question(q: Question, answers: Answers) -> str:
    if q.kind == "flags":
        wrong = [n for n in q.field_names if answers.get(n, ["yes"]) != ["yes"]]
        return "Tick the boxes that apply, or leave them empty." if wrong else ""
    values = answers.get(q.name, [])
    if not values:
        return _missing(q) if q.required else ""
    if q.kind != "multi" and len(values) > 1:
        return "Give one answer only."
    try:
        for value in values:
            parse(q, value)
    except ValueError as err:
        return str(err)
    if q.kind == "multi" and len(set(values)) != len(values):
        return "Tick each box once."
    return ""


def _missing(q: Question) -> str:
    if q.kind == "multi":
        return "Tick at least one."
    if q.kind in ("choice", "scale"):
        return "Choose one."
    return "Please answer this one."


def parse(q: Question, raw: str) -> Any:
    """The value of one answer, in the contract's type; ValueError says what is wrong."""
    if len(raw) > MAX_VALUE_CHARS:
        raise ValueError("That answer is too long.")
    if q.kind in ("choice", "multi"):
        if raw not in {o.value for o in q.options}:
            raise ValueError("Choose one of the options shown.")
        return raw
    if q.kind == "date":
        try:
            return date.fromisoformat(raw).isoformat()
        except ValueError:
            raise ValueError("Give a date as YYYY-MM-DD, for example 2027-04-18.") from None
    if q.kind == "scale":
        return _whole(raw, 0, 10, "Choose a number from 0 to 10.")
    low, high = q.low or 0, q.high or 0
    if q.kind == "int":
        return _whole(raw, low, high, f"Enter a whole number from {low:g} to {high:g}.")
    return _number(q, raw, low, high)


def _whole(raw: str, low: float, high: float, message: str) -> int:
    if not raw.removeprefix("-").isdecimal():
        raise ValueError(message)
    value = int(raw)
    if not low <= value <= high:
        raise ValueError(message)
    return value


def _number(q: Question, raw: str, low: float, high: float) -> float | int:
    lowest = f"above {low:g}" if q.above_low else f"from {low:g}"
    message = f"Enter a number {lowest} to {high:g}" + (f" ({q.unit})." if q.unit else ".")
    try:
        value = float(raw.replace(",", "."))  # "4,5" is how half of Europe writes 4.5
    except ValueError:
        raise ValueError(message) from None
    too_low = value <= low if q.above_low else value < low
    if not math.isfinite(value) or too_low or value > high:
        raise ValueError(message)
    return int(value) if value.is_integer() else value


def _cross_checks(step: Step, answers: Answers) -> dict[str, str]:
    """Answers that only make sense together."""
    errors: dict[str, str] = {}
    if step is WARNING_SIGNS:
        no_injury = answers.get("history.injury.mechanism") == [NO_INJURY]
        if no_injury and any(n in answers for n in INJURY_FLAGS):
            # never drop a warning sign silently: ask which answer is right
            errors["injury-signs"] = (
                "You ticked signs of an injury but said the pain did not start with one. "
                "Choose how the injury happened, or untick these."
            )
    if step is RUNNING:
        running = answers.get("running.currently_running") == ["yes"]
        if running and "running.pain_during_run" not in answers:
            errors["running.pain_during_run"] = "Choose how much it hurts when you run (0 to 10)."
        if "running.goal_race.distance_km" in answers and "running.goal_race.date" not in answers:
            errors["running.goal_race.date"] = "Give the race date too, or leave both empty."
    return errors


# --- the document -----------------------------------------------------------------------------


def build_document(answers: Answers) -> dict[str, Any]:
    """The assessment document of answers that pass ``check_step`` for every step.

    Ticked boxes become ``true``; an unticked one is left out, which the contract reads as
    "no". Optional questions left empty are left out, never filled in."""
    doc: dict[str, Any] = {"schema_version": 1}
    for q in QUESTIONS.values():
        _put_answer(doc, q, answers)
    pain = doc.setdefault("pain", {})
    pain.setdefault("provoked_by", [])  # required by the contract, and may be empty
    _tidy_injury(doc)
    return doc


def warning_signs_document(answers: Answers) -> dict[str, Any]:
    """A document to run the triage on after the warning-sign steps only.

    The questions of the later steps are given neutral stand-ins: no emergency or urgent rule
    reads them (see the module docstring), and this document is never stored or shown."""
    stand_ins = {
        "side": ["both"],
        "pain.now": ["0"],
        "pain.at_rest": ["0"],
        "pain.worst_last_week": ["0"],
        "pain.location": ["around_kneecap"],
        "history.symptom_weeks": ["1"],
        "history.onset": ["gradual"],
        "history.trend": ["unchanged"],
    }
    asked = {n: v for n, v in answers.items() if _step_of(n).warning_signs}
    return build_document({**stand_ins, **asked})


def _step_of(name: str) -> Step:
    return next(s for s in STEPS if name in s.field_names)


def _put_answer(doc: dict[str, Any], q: Question, answers: Answers) -> None:
    if q.kind == "flags":
        for name in q.field_names:
            if name in answers:
                _put(doc, name, True)
        return
    values = answers.get(q.name)
    if not values:
        return
    if q.kind == "multi":
        _put(doc, q.name, [parse(q, v) for v in values])
    elif q.name == "running.currently_running":
        _put(doc, q.name, values[0] == "yes")
    else:
        _put(doc, q.name, parse(q, values[0]))


def _put(doc: dict[str, Any], path: str, value: Any) -> None:
    *parents, leaf = path.split(".")
    node = doc
    for part in parents:
        node = node.setdefault(part, {})
    node[leaf] = value


def _tidy_injury(doc: dict[str, Any]) -> None:
    history = doc.get("history", {})
    injury = history.get("injury")
    if injury is not None and injury.get("mechanism") in (None, NO_INJURY):
        del history["injury"]  # "no injury" is said by leaving the injury out


# --- plain words for the clinician ------------------------------------------------------------


def label_of(name: str, value: str) -> str:
    """The words a question's option was shown with (for a choice or a ticked box)."""
    q = QUESTIONS.get(name)
    if q is None:
        return FLAG_LABELS.get(name, value)
    return next((o.label for o in q.options if o.value == value), value)


def facts(document: Mapping[str, Any]) -> list[str]:
    """The main answers of an assessment document, in words a clinician reads at a glance."""
    pain = document.get("pain", {})
    history = document.get("history", {})
    side = document.get("side")
    lines = [
        f"Age {document.get('age')}; " + ("both knees" if side == "both" else f"{side} knee"),
        f"Pain for {history.get('symptom_weeks', 0):g} weeks; "
        f"{label_of('history.onset', history.get('onset', '')).lower()}; "
        f"{label_of('history.trend', history.get('trend', '')).lower()} lately",
        f"Pain now {pain.get('now')}/10, at rest {pain.get('at_rest')}/10, "
        f"worst in the last week {pain.get('worst_last_week')}/10",
        "Where: " + _listed("pain.location", pain.get("location", [])),
    ]
    if pain.get("provoked_by"):
        lines.append("Brought on by: " + _listed("pain.provoked_by", pain["provoked_by"]))
    lines.extend(_running_facts(document.get("running")))
    return lines


def _listed(name: str, values: Iterable[str]) -> str:
    return ", ".join(label_of(name, v).lower() for v in values)


def _running_facts(running: Mapping[str, Any] | None) -> list[str]:
    if not running or not running.get("currently_running"):
        return ["Not running at present"]
    line = "Running"
    if running.get("pain_during_run") is not None:
        line += f", with pain {running['pain_during_run']}/10 during a run"
    if running.get("weekly_km_before_pain") is not None:
        line += f"; {running['weekly_km_before_pain']:g} km a week before the pain"
    return [line]
