"""The knee check's wizard as use cases, without the web: a step's problems in the intake's
words, the red-flag stop kept as a note and read back as the answer that stands, and the last
step starting the programme once, however often it is sent."""

from __future__ import annotations

from datetime import datetime

from runrehab.adapters.documents import read_assessment
from runrehab.engine.values import Disposition
from runrehab.services.content import shipped_content
from runrehab.services.intake import wizard
from runrehab.services.intake.outcome import STOP_AUTHOR
from runrehab.services.intake.wizard import Finished, Instruction, IntakeResult, WizardPage
from runrehab.services.records import Person
from tests.fakes import FakeUnitOfWork, FixedClock

PERSON = "p1"
SAFE = {"age": ["34"], "signs.swelling": ["none"], "history.injury.mechanism": ["none"]}
LATER = {
    "side": ["right"],
    "pain.location": ["around_kneecap"],
    "pain.provoked_by": ["running"],
    "pain.now": ["2"],
    "pain.at_rest": ["0"],
    "pain.worst_last_week": ["4"],
    "history.onset": ["gradual"],
    "history.symptom_weeks": ["4"],
    "history.trend": ["unchanged"],
    "running.currently_running": ["no"],
}


def _journal() -> tuple[FakeUnitOfWork, FixedClock]:
    uow, clock = FakeUnitOfWork(), FixedClock()
    with uow:
        uow.repo.add_person(Person(PERSON, "", datetime(2026, 11, 1)))
        uow.commit()
    return uow, clock


def _send(
    uow: FakeUnitOfWork, clock: FixedClock, step: int, answers: dict[str, list[str]]
) -> WizardPage | Finished:
    form = {"step": [str(step)], "go": ["next"], **answers}
    today = clock.now().date()
    content = shipped_content()
    return wizard.answer_step(uow, clock, content, read_assessment, form, PERSON, today)


def test_a_step_with_problems_is_asked_again_in_the_intakes_words() -> None:
    uow, clock = _journal()
    page = _send(uow, clock, 1, {"age": ["three"], "signs.swelling": ["huge"]})
    assert isinstance(page, WizardPage) and page.number == 1 and page.problems
    assert page.errors == {
        "age": "Enter a whole number from 8 to 100.",
        "signs.swelling": "Choose one of the options shown.",
        "history.injury.mechanism": "Choose one.",
    }
    assert page.problems[0].question.label == "How old are you?"


def test_a_red_flag_stops_the_intake_and_stands() -> None:
    uow, clock = _journal()
    answer = _send(uow, clock, 1, SAFE | {"signs.foot_numb_cold_or_pale": ["yes"]})
    assert answer == Finished(stopped=True)
    notes = uow.repo.notes(PERSON)
    assert notes[0].author == STOP_AUTHOR
    assert notes[0].text.startswith("Intake stopped at the warning signs: emergency.")
    content = shipped_content()
    found = wizard.intake_result(uow, content, PERSON, clock.now().date(), "Europe/Paris")
    assert isinstance(found, Instruction) and found.call == "112"
    assert found.answer.disposition is Disposition.EMERGENCY
    assert found.answer.warning_signs_only
    assert [r.rule for r in found.answer.reasons] == ["e1-neurovascular-compromise"]
    page = wizard.open_intake(uow, content, PERSON, "Asia/Tokyo")
    assert isinstance(page, Instruction) and page.call is None  # no number we are sure of


def test_the_last_step_starts_the_programme_once() -> None:
    uow, clock = _journal()
    answers = SAFE | LATER
    for step in range(1, 7):
        page = _send(uow, clock, step, answers)
        assert isinstance(page, WizardPage) and page.number == step + 1, page
    assert isinstance(page, WizardPage) and page.last and not page.has_programme
    assert _send(uow, clock, 7, answers) == Finished(stopped=False)
    assert _send(uow, clock, 7, answers) == Finished(stopped=False)  # sent twice
    assert len(uow.repo.assessments(PERSON)) == 1
    content = shipped_content()
    result = wizard.intake_result(uow, content, PERSON, clock.now().date(), "Europe/London")
    assert isinstance(result, IntakeResult) and result.answer.self_manage
    assert result.plan is not None and len(result.plan.first_week) == 7
    assert result.worry_check  # the fear-of-movement screen is due on the first day
    assert wizard.new_intake(uow, PERSON).has_programme


def test_a_red_flag_stop_stands_whatever_language_it_is_read_in() -> None:
    """A stop written while the runner read German still stands after they switch to English,
    and the other way round: the note is read in every language RunRehab speaks."""
    for wrote, reads in (("de", "en"), ("en", "de")):
        uow, clock = _journal()
        form = {"step": ["1"], "go": ["next"], **SAFE, "signs.foot_numb_cold_or_pale": ["yes"]}
        today = clock.now().date()
        written = shipped_content(wrote)
        stop = wizard.answer_step(uow, clock, written, read_assessment, form, PERSON, today)
        assert stop == Finished(stopped=True)
        first_line = uow.repo.notes(PERSON)[0].text.splitlines()[0]
        assert first_line == written.words.say("intake.stop.first", disposition="emergency")
        found = wizard.intake_result(uow, shipped_content(reads), PERSON, today, "Europe/Paris")
        assert isinstance(found, Instruction), (wrote, reads)
        assert found.answer.disposition is Disposition.EMERGENCY
        assert [r.rule for r in found.answer.reasons] == ["e1-neurovascular-compromise"]
