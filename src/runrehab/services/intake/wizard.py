"""Use cases of the knee check's pages: the wizard step by step, its result, and the red-flag
instruction that stands until a new assessment.

The wizard needs neither JavaScript nor state on the server: the answers of the other steps
travel back and forth in hidden fields, so every step checks the earlier ones again before it
goes on. A red flag on a warning-sign step stops the intake at once (``outcome.stop_intake``);
the last step starts the programme. Each use case answers with a view the page renders.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from runrehab.engine.assessment import Assessment
from runrehab.engine.questionnaire import FEAR_OF_MOVEMENT, due_questionnaires
from runrehab.engine.values import Disposition
from runrehab.services.content import ProgrammeContent
from runrehab.services.intake import outcome
from runrehab.services.intake.outcome import IntakeAnswer, Standing
from runrehab.services.intake.preview import PlanView
from runrehab.services.intake.questions import Answers, Question, Questions, Step, intake_questions
from runrehab.services.journal.programme import outcomes_of, start_programme
from runrehab.services.ports import Clock, UnitOfWork
from runrehab.services.records import Programme

ReadAssessment = Callable[[Any], Assessment]
"""The contract's reader: a valid assessment document as the engine's value (an adapter's
work, handed in by the interface)."""

_NORTH_AMERICA = frozenset(
    {
        "America/New_York",
        "America/Chicago",
        "America/Denver",
        "America/Phoenix",
        "America/Los_Angeles",
        "America/Anchorage",
        "America/Detroit",
        "America/Boise",
        "America/Toronto",
        "America/Vancouver",
        "America/Edmonton",
        "America/Winnipeg",
        "America/Regina",
        "America/Halifax",
        "America/St_Johns",
        "America/Mexico_City",
        "Pacific/Honolulu",
    }
)


@dataclass(frozen=True, slots=True)
class Problem:
    """A question whose answer is not right, and why."""

    question: Question
    message: str


@dataclass(frozen=True, slots=True)
class WizardPage:
    """One step of the wizard, with the answers so far and the problems of this step's."""

    step: Step
    number: int
    total: int
    answers: Mapping[str, Sequence[str]]
    carried: tuple[tuple[str, str], ...]
    """The answers of the other steps, as hidden fields (name, value)."""
    problems: tuple[Problem, ...]
    has_programme: bool
    """Whether finishing replaces a current programme (told on the first and last steps)."""

    @property
    def last(self) -> bool:
        return self.number == self.total

    @property
    def errors(self) -> dict[str, str]:
        """The problems by question name."""
        return {p.question.name: p.message for p in self.problems}


@dataclass(frozen=True, slots=True)
class Finished:
    """The wizard is done: stopped at a red flag, or a programme started. The result page
    shows which."""

    stopped: bool


@dataclass(frozen=True, slots=True)
class Instruction:
    """A red flag, full screen: where to go now, why, what to tell them, what until then."""

    answer: IntakeAnswer
    day: date
    tell: tuple[str, ...]
    call: str | None
    """The emergency number to call, for an emergency where the runner's zone makes it sure."""


@dataclass(frozen=True, slots=True)
class IntakeResult:
    """The assessment's answer: the pathway and the weeks ahead, or whom to see and why."""

    answer: IntakeAnswer
    day: date
    suspected: tuple[str, ...]
    tell: tuple[str, ...]
    plan: PlanView | None
    worry_check: bool
    """The fear-of-movement screen is due: offered here, at the start of the programme."""


# --- the pages --------------------------------------------------------------------------------


def open_intake(
    uow: UnitOfWork, content: ProgrammeContent, person_id: str, zone: str
) -> Instruction | WizardPage:
    """``/start``: the red-flag instruction while one stands, else the wizard's first step."""
    found = outcome.standing(uow, content, person_id)
    if found is not None and found.red_flag:
        return _instruction(found, zone, content)
    return new_intake(uow, person_id)


def new_intake(uow: UnitOfWork, person_id: str) -> WizardPage:
    """The wizard's first step, whatever stands."""
    return _page(uow, intake_questions(), 0, {}, {}, person_id)


def answer_step(
    uow: UnitOfWork,
    clock: Clock,
    content: ProgrammeContent,
    read: ReadAssessment,
    form: Answers,
    person_id: str,
    today: date,
) -> WizardPage | Finished:
    """Check one step's answers (and the earlier steps' again, back in hidden fields, so
    possibly changed since) and answer with the next step, the same one with its problems, or
    ``Finished``: a red flag on a warning-sign step, or the last step, which starts the
    programme. ``go=back`` goes back a step without checking anything."""
    questions = intake_questions()
    answers = questions.known_answers(form)
    index = _step_index(form, len(questions.steps))
    if list(form.get("go", ())) == ["back"]:
        return _page(uow, questions, max(index - 1, 0), answers, {}, person_id)
    for earlier in range(index + 1):
        errors = questions.check_step(questions.steps[earlier], answers, content.words)
        if errors:
            return _page(uow, questions, earlier, answers, errors, person_id)
    step = questions.steps[index]
    if step.warning_signs and _stopped(uow, clock, content, read, answers, person_id, today):
        return Finished(stopped=True)
    if index + 1 < len(questions.steps):
        return _page(uow, questions, index + 1, answers, {}, person_id)
    return _finish(uow, clock, content, read, answers, person_id, today)


def intake_result(
    uow: UnitOfWork, content: ProgrammeContent, person_id: str, today: date, zone: str
) -> Instruction | IntakeResult | None:
    """``/start/result``: the answer that stands (None before any intake)."""
    found = outcome.standing(uow, content, person_id)
    if found is None:
        return None
    if found.red_flag:
        return _instruction(found, zone, content)
    answer, stored = found.answer, found.assessment
    plan, worry_check = None, False
    if answer.self_manage and stored is not None:
        start = found.programme.started_on if found.programme else found.day
        plan = outcome.projection(stored, start, content)
        worry_check = _worry_check_due(uow, content, person_id, today, found.programme)
    document = stored.document if stored else None
    return IntakeResult(
        answer=answer,
        day=found.day,
        suspected=outcome.suspected(answer),
        tell=outcome.tell_them(answer, document, content.words),
        plan=plan,
        worry_check=worry_check,
    )


def emergency_number(zone: str) -> str | None:
    """The emergency number of the runner's time zone, only where it is certain."""
    if zone == "Europe/London":
        return "999"
    if zone.startswith("Europe/"):
        return "112"
    if zone in _NORTH_AMERICA:
        return "911"
    if zone.startswith("Australia/"):
        return "000"
    return "111" if zone == "Pacific/Auckland" else None


# --- the steps --------------------------------------------------------------------------------


def _step_index(form: Answers, steps: int) -> int:
    """The step the form came from; anything odd starts again at the first."""
    raw = (list(form.get("step", ())) or ["1"])[-1]
    number = int(raw) if raw.isdecimal() and len(raw) < 3 else 1
    return number - 1 if 1 <= number <= steps else 0


def _page(
    uow: UnitOfWork,
    questions: Questions,
    index: int,
    answers: Mapping[str, Sequence[str]],
    errors: Mapping[str, str],
    person_id: str,
) -> WizardPage:
    step = questions.steps[index]
    last = index == len(questions.steps) - 1
    mine = set(step.field_names)
    carried = tuple((n, v) for n in sorted(answers) if n not in mine for v in answers[n])
    return WizardPage(
        step=step,
        number=index + 1,
        total=len(questions.steps),
        answers=answers,
        carried=carried,
        problems=tuple(Problem(questions.by_name[n], m) for n, m in errors.items()),
        has_programme=(index == 0 or last) and _has_programme(uow, person_id),
    )


def _has_programme(uow: UnitOfWork, person_id: str) -> bool:
    with uow:
        return uow.repo.current_programme(person_id) is not None


def _stopped(
    uow: UnitOfWork,
    clock: Clock,
    content: ProgrammeContent,
    read: ReadAssessment,
    answers: Answers,
    person_id: str,
    today: date,
) -> bool:
    """Stop the intake when the warning signs so far hold a red flag."""
    assessment = read(intake_questions().warning_signs_document(answers))
    signs = outcome.warning_signs(assessment, content)
    if signs is None:
        return False
    outcome.stop_intake(uow, clock, content.words, signs, today, person_id)
    return True


def _finish(
    uow: UnitOfWork,
    clock: Clock,
    content: ProgrammeContent,
    read: ReadAssessment,
    answers: Answers,
    person_id: str,
    today: date,
) -> WizardPage | Finished:
    # the earlier answers came back in hidden fields: check them all again before storing
    questions = intake_questions()
    unfinished = questions.first_unfinished(answers, content.words)
    if unfinished is not None:
        return _page(uow, questions, unfinished[0], answers, unfinished[1], person_id)
    document = questions.build_document(answers)
    if not outcome.is_repeat(uow, person_id, document, today):
        start_programme(uow, clock, content, document, read(document), today, person_id)
    return Finished(stopped=False)


# --- the answers ------------------------------------------------------------------------------


def _instruction(found: Standing, zone: str, content: ProgrammeContent) -> Instruction:
    document = found.assessment.document if found.assessment else None
    emergency = found.answer.disposition is Disposition.EMERGENCY
    return Instruction(
        answer=found.answer,
        day=found.day,
        tell=outcome.tell_them(found.answer, document, content.words),
        call=emergency_number(zone) if emergency else None,
    )


def _worry_check_due(
    uow: UnitOfWork,
    content: ProgrammeContent,
    person_id: str,
    today: date,
    programme: Programme | None,
) -> bool:
    """The fear-of-movement screen is offered with the result when it is due (the intake's
    one): from the programme's first day until it is answered."""
    if programme is None or today < programme.started_on:
        return False
    with uow:
        responses = uow.repo.responses(person_id)
    settings = content.protocol.settings
    due = due_questionnaires(programme.started_on, outcomes_of(responses), today, settings)
    return any(d.instrument == FEAR_OF_MOVEMENT for d in due)
