"""Progress data for the report: weekly rows, adherence, phase bands, Kujala, the week in words,
and the coming sessions, all assembled from an in-memory journal."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise
from typing import Any

import pytest

from runrehab.adapters.documents import read_assessment, read_checkin
from runrehab.engine.pathway import choose_pathway
from runrehab.engine.projection import project
from runrehab.errors import JournalError
from runrehab.services.content import ProgrammeContent, shipped_content
from runrehab.services.journal.programme import BeforeProgramme, record_checkin, start_programme
from runrehab.services.progress.figures import (
    Progress,
    coming_sessions,
    progress_data,
    weekly_summary,
)
from runrehab.services.records import QuestionnaireResponse
from tests.conftest import typical_doc
from tests.fakes import FakeUnitOfWork, FixedClock

MONDAY = date(2026, 3, 2)
Doc = dict[str, Any]
CROSS_KINDS = {"walking", "cycling", "swimming", "water_running", "elliptical"}


class Journal:
    """One runner's journal on the fakes, with helpers to report days."""

    def __init__(self, doc: Doc | None = None, start: date = MONDAY) -> None:
        self.uow = FakeUnitOfWork()
        self.clock = FixedClock()
        self.content: ProgrammeContent = shipped_content()
        doc = doc or typical_doc()
        started = start_programme(
            self.uow, self.clock, self.content, doc, read_assessment(doc), start
        )
        self.person = started.person.id

    def checkin(
        self,
        day: date,
        worst: int = 2,
        exercises: bool = True,
        run: tuple[float, float | None] | None = None,
    ) -> None:
        doc: Doc = {"date": day.isoformat(), "pain": {"now": 1, "at_rest": 0, "worst_24h": worst}}
        if exercises:
            doc["exercises"] = [{"id": "quad-set", "sets": 3, "reps": 10, "max_pain": 1}]
        if run is not None:
            minutes, km = run
            doc["run"] = {"minutes": minutes, "max_pain": 1, "settled_within_minutes": 0}
            if km is not None:
                doc["run"]["distance_km"] = km
        self._record(doc)

    def follow(self, first: date, days: int, skip: frozenset[date] = frozenset()) -> None:
        """Do the planned session of each day in full, at pain 1, except on ``skip`` days."""
        for offset in range(days):
            day = first + timedelta(days=offset)
            if day not in skip:
                session = coming_sessions(self.uow.repo, self.content, self.person, day, 1)[0]
                self._record(done(session))

    def kujala(self, day: date, score: float) -> None:
        self.uow.repo.put_response(
            QuestionnaireResponse(self.person, "kujala", day, {}, score, self.clock.now())
        )

    def weekly_pain(self, day: date, usual: int, worst: int) -> None:
        answers = {"usual": usual, "worst": worst}
        self.uow.repo.put_response(
            QuestionnaireResponse(self.person, "weekly_pain", day, answers, 0, self.clock.now())
        )

    def progress(self, through: date) -> Progress:
        return progress_data(self.uow.repo, self.content, self.person, through)

    def _record(self, doc: Doc) -> None:
        record_checkin(self.uow, self.clock, self.content, doc, read_checkin(doc))


def done(session: Doc) -> Doc:
    """The check-in of a runner who did the session as prescribed, at pain 1."""
    exercises = [
        {
            "id": p["id"],
            "sets": p["sets"],
            **{k: p[k] for k in ("reps", "hold_seconds") if k in p},
            "max_pain": 1,
        }
        for p in session["exercises"]
    ]
    doc: Doc = {
        "date": session["date"],
        "pain": {"now": 1, "at_rest": 0, "worst_24h": 1},
        "this_morning_vs_usual": "same",
        "exercises": exercises,
    }
    cross = session["cross_training"]
    if cross is not None:
        kind = cross["id"].replace("-", "_")
        doc["cross_training"] = [
            {
                "kind": kind if kind in CROSS_KINDS else "other",
                "minutes": cross.get("minutes") or 30,
                "max_pain": 1,
            }
        ]
    run = session["run"]
    if run is not None:
        minutes = run["total_minutes"]
        doc["run"] = {"minutes": minutes, "max_pain": 1, "settled_within_minutes": 0}
    return doc


def day(n: int) -> date:
    """Day ``n`` of the programme, day 1 being Monday 2 March 2026."""
    return MONDAY + timedelta(days=n - 1)


# --- weekly rows and adherence ----------------------------------------------------------------


@pytest.fixture
def two_weeks() -> Journal:
    j = Journal()
    j.checkin(day(1), worst=3)
    j.checkin(day(2), worst=2, exercises=False, run=(20, 3.0))
    j.checkin(day(4), worst=4, run=(10, None))
    j.checkin(day(8), worst=1)
    j.checkin(day(9), worst=1, exercises=False)
    return j


def test_weekly_rows_count_the_days_of_the_programme_up_to_the_report(two_weeks: Journal) -> None:
    first, second = two_weeks.progress(day(10)).weeks
    assert first.week_start == day(1)
    # a day trained is a day with exercises, a run or cross-training logged
    assert (first.days_in_programme, first.days_checked_in, first.days_trained) == (7, 3, 3)
    assert first.adherence == pytest.approx(3 / 7)
    assert (first.runs, first.run_minutes) == (2, 30.0)
    assert first.run_km == 3.0  # the run without a distance adds none
    assert (first.mean_worst_pain, first.max_worst_pain) == (3.0, 4)
    # the second week counts only its days up to the report's date
    assert second.week_start == day(8)
    assert (second.days_in_programme, second.days_checked_in) == (3, 2)
    assert second.adherence == pytest.approx(1 / 3)
    assert (second.runs, second.run_minutes, second.run_km) == (0, 0.0, 0.0)
    assert (second.mean_worst_pain, second.max_worst_pain) == (1.0, 1)


def test_a_week_whose_runs_carry_no_distance_has_no_km() -> None:
    j = Journal()
    j.checkin(day(1), run=(15, None))
    (week,) = j.progress(day(1)).weeks
    assert (week.runs, week.run_minutes, week.run_km) == (1, 15.0, None)


def test_days_without_a_check_in_are_missing_not_zero(two_weeks: Journal) -> None:
    progress = two_weeks.progress(day(10))
    assert [d.day for d in progress.days] == [day(n) for n in range(1, 11)]
    missing = [d for d in progress.days if not d.checked_in]
    assert [d.day for d in missing] == [day(3), day(5), day(6), day(7), day(10)]
    for d in missing:
        assert (d.pain_now, d.pain_worst, d.exercises_logged, d.run_minutes) == (None,) * 4
    reported = {d.day: d for d in progress.days if d.checked_in}
    assert reported[day(2)].run_km == 3.0 and reported[day(2)].exercises_logged is False
    assert reported[day(1)].colour is not None  # the day's decision gave it a traffic light


# --- phases -----------------------------------------------------------------------------------


def test_phase_bands_are_contiguous_and_change_the_day_after_the_decision() -> None:
    j = Journal()
    j.follow(day(1), 16, skip=frozenset({day(11)}))
    progress = j.progress(day(16))
    bands = progress.phases
    assert len(bands) >= 2 and bands[0].phase == 1  # the typical runner moves on from phase 1
    assert [b.phase for b in bands] == sorted({b.phase for b in bands})
    assert bands[0].start == day(1) and bands[-1].end == day(16)
    for before, after in pairwise(bands):
        assert after.start == before.end + timedelta(days=1)
    advances = [d for d in progress.decisions if d.action == "advance"]
    assert [a.day + timedelta(days=1) for a in advances] == [b.start for b in bands[1:]]
    second = bands[1]
    assert progress.timeline[1] == {
        "phase": second.phase,
        "name": j.content.phase_name(second.phase),
        "from": second.start,
        "to": second.end,
    }
    assert progress.programme.phase == bands[-1].phase


def test_every_decision_comes_with_its_reasons_in_words() -> None:
    j = Journal()
    j.follow(day(1), 6)
    decisions = j.progress(day(6)).decisions
    assert decisions[0].day == day(1)  # the intake decision, with the triage's reasons
    assert decisions[0].reasons[0]["rule"] == "sm-fits-runners-knee"
    for d in decisions:
        for r in d.reasons:
            assert r["title"] and r["text"] and r["source"]


def test_the_report_keeps_the_latest_triage_and_pathway() -> None:
    progress = Journal().progress(day(1))
    assert progress.triage is not None
    assert progress.triage.disposition == "self_manage"
    assert progress.triage.pathway == "rest_and_rebuild"
    assert progress.triage.pathway_reasons
    assert [a.version for a in progress.assessments] == [1]


# --- questionnaires ---------------------------------------------------------------------------


def test_kujala_change_is_counted_from_the_first_score() -> None:
    j = Journal()
    j.kujala(day(1), 52)
    j.kujala(day(22), 58)
    j.kujala(day(43), 62)
    j.kujala(day(60), 70)  # after the report's date: not shown
    rows = j.progress(day(50)).kujala
    assert [(r.score, r.change, r.meaningful) for r in rows] == [
        (52, 0, False),
        (58, 6, False),
        (62, 10, True),
    ]


def test_weekly_pain_answers_are_listed_in_date_order() -> None:
    j = Journal()
    j.weekly_pain(day(8), 2, 5)
    j.weekly_pain(day(1), 3, 6)
    rows = j.progress(day(8)).weekly_pain
    assert [(r.day, r.usual, r.worst) for r in rows] == [(day(1), 3, 6), (day(8), 2, 5)]


# --- the week in words ------------------------------------------------------------------------


def test_the_week_in_words_compares_pain_with_the_week_before(two_weeks: Journal) -> None:
    summary = weekly_summary(two_weeks.progress(day(10)), day(9))
    assert summary["week_start"] == day(8).isoformat()
    assert (summary["days_in_programme"], summary["days_checked_in"]) == (3, 2)
    assert summary["missing_days"] == [day(10).isoformat()]
    assert summary["adherence_percent"] == 33
    assert summary["pain"]["trend"] == "better"  # mean worst 3 the week before, 1 now
    assert summary["running"]["runs"] == 0
    assert "No runs were reported this week." in summary["lines"]
    assert summary["next"].startswith("Carry on with phase")


def test_a_week_without_reports_says_so_and_invents_nothing() -> None:
    j = Journal()
    j.checkin(day(1))
    summary = weekly_summary(j.progress(day(14)), day(10))
    assert summary["days_checked_in"] == 0
    assert len(summary["missing_days"]) == 7
    assert summary["adherence_percent"] == 0
    assert summary["pain"]["mean_worst"] is None
    assert summary["pain"]["trend"] == "unknown"
    assert "No pain scores were reported this week." in summary["lines"]


def test_a_week_outside_the_programme_has_nothing_to_report() -> None:
    summary = weekly_summary(Journal().progress(day(3)), day(-10))
    assert summary["in_programme"] is False
    assert summary["adherence_percent"] is None
    assert summary["lines"][0].startswith("This week is outside the programme")


def test_phase_changes_and_decisions_appear_in_the_week_in_words() -> None:
    j = Journal()
    j.follow(day(1), 14)
    progress = j.progress(day(14))
    advance = next(d for d in progress.decisions if d.action == "advance")
    summary = weekly_summary(progress, advance.day)
    assert [c["to"] for c in summary["phase_changes"]][:1] == [advance.phase]
    assert any(d["action"] == "advance" for d in summary["decisions"])
    words = f"phase {advance.phase} ({advance.phase_name})"
    assert any(words in line for line in summary["lines"])


# --- coming sessions --------------------------------------------------------------------------


def test_coming_sessions_are_dated_projections_from_where_the_runner_stands() -> None:
    j = Journal()
    j.follow(day(1), 10)
    sessions = coming_sessions(j.uow.repo, j.content, j.person, day(11), 14)
    assert [s["date"] for s in sessions] == [day(n).isoformat() for n in range(11, 25)]
    assert all(s["projection"] is True and s["notice"] for s in sessions)
    phases = [s["phase"]["number"] for s in sessions]
    assert phases[0] == j.progress(day(10)).programme.phase
    assert phases == sorted(phases)


def test_coming_sessions_from_the_first_day_match_the_plan_projection() -> None:
    j = Journal()
    sessions = coming_sessions(j.uow.repo, j.content, j.person, day(1), 35)
    assessment = read_assessment(typical_doc())
    protocol = j.content.protocol
    planned = project(
        assessment, choose_pathway(assessment, protocol.settings), protocol, day(1), 5
    )
    assert [(s["date"], s["phase"]["number"]) for s in sessions] == [
        (p.date.isoformat(), p.phase) for p in planned.days
    ]


def test_a_stopped_programme_has_no_coming_sessions() -> None:
    j = Journal(typical_doc(**{"signs.hot": True, "signs.swelling": "marked"}))
    assert coming_sessions(j.uow.repo, j.content, j.person, day(1), 7) == []
    assert j.progress(day(1)).programme.status == "stopped"


def test_no_programme_is_a_journal_error() -> None:
    j = Journal()
    with pytest.raises(JournalError):
        progress_data(j.uow.repo, j.content, "nobody", day(1))


def test_coming_sessions_start_no_earlier_than_the_programme() -> None:
    j = Journal()
    sessions = coming_sessions(j.uow.repo, j.content, j.person, day(-1), 5)
    assert [s["date"] for s in sessions] == [day(n).isoformat() for n in (1, 2, 3)]
    with pytest.raises(BeforeProgramme, match="before your programme started"):
        coming_sessions(j.uow.repo, j.content, j.person, day(-9), 5)


def test_no_report_or_summary_of_a_day_before_the_programme() -> None:
    with pytest.raises(BeforeProgramme, match=r"\(Mon 2 Mar 2026\)"):
        Journal().progress(day(0))


def test_a_referral_puts_the_projection_and_the_phase_timeline_on_hold() -> None:
    """After a referral (giving way, rule r1-...), the coming sessions hold only the gentle
    work of a day on hold, each labelled with the hold and its rule, in the programme's phase;
    the phase timeline ends the day before the hold and shows the hold after it."""
    j = Journal()
    j.follow(day(1), 7)
    j._record(
        {
            **done(coming_sessions(j.uow.repo, j.content, j.person, day(8), 1)[0]),
            "signs": {"giving_way": True},
        }
    )
    progress = j.progress(day(12))
    hold = progress.hold
    assert hold is not None and hold["status"] == "referred"
    assert hold["since"] == day(8).isoformat() and hold["rule"].startswith("r1-")
    assert progress.phases and progress.phases[-1].end == day(7)
    sessions = coming_sessions(j.uow.repo, j.content, j.person, day(12), 7)
    assert sessions and all(s["hold"] == hold for s in sessions)
    assert all(s["run"] is None for s in sessions)
    assert {s["phase"]["number"] for s in sessions} == {progress.programme.phase}
    fresh = Journal()  # phase 1's gentle work, as its first day holds it
    gentle = {
        e["id"]
        for e in coming_sessions(fresh.uow.repo, j.content, fresh.person, day(1), 1)[0]["exercises"]
    }
    assert {e["id"] for s in sessions for e in s["exercises"]} <= gentle
    assert all(s["notice"].startswith("On hold until a clinician") for s in sessions)


def test_a_stopped_programme_shows_the_stop_in_the_timeline() -> None:
    j = Journal()
    j.follow(day(1), 3)
    j._record(
        {
            "date": day(4).isoformat(),
            "pain": {"now": 2, "at_rest": 1, "worst_24h": 3},
            "signs": {"swelling": "marked", "hot": True},
        }
    )
    progress = j.progress(day(6))
    assert progress.hold is not None and progress.hold["status"] == "stopped"
    assert progress.phases[-1].end == day(3)
    assert coming_sessions(j.uow.repo, j.content, j.person, day(6), 7) == []


def test_the_report_data_carry_what_the_intake_told_and_the_runners_own_words() -> None:
    """The answers no rule reads (content/data/answers.toml) are for the clinician: the report
    shows them, and the notes of the check-ins and the journal."""
    doc = typical_doc(
        sex="female",
        **{
            "running.recent_increase_in_load": True,
            "running.goal_race": {"date": "2027-04-11", "distance_km": 21.1},
        },
    )
    journal = Journal(doc)
    note = {"date": MONDAY.isoformat(), "pain": {"now": 1, "at_rest": 0, "worst_24h": 2}}
    journal._record({**note, "notes": "Stairs at work were sore."})
    progress = journal.progress(MONDAY)
    assert progress.triage is not None
    intake = dict(progress.triage.intake)
    assert intake["Knee"] == "right" and intake["Sex"] == "female"
    assert intake["Pain at intake"] == "now 3, at rest 1, worst last week 6 (0–10)"
    assert intake["Recent jump in running"] == "yes"
    assert intake["Goal race"] == "2027-04-11, 21.1 km"
    assert [(n.day, n.author, n.text) for n in progress.notes] == [
        (MONDAY, "check-in", "Stairs at work were sore.")
    ]
