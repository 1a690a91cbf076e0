""" "Can I run today?" (digest 14(b)): no, reduced, or yes within limits, with every reason.

The checks run in the digest's order: every NO rule first, then the REDUCED rules, then YES.
All the reasons that apply are reported, not only the first, so the runner sees the whole
picture. More pain can never give a more permissive answer (a property test holds it to that).
A run known only from the watch counts for the spacing of runs, and, being without a pain
report, makes today's run a reduced one until the runner reports it (``d5-run-not-reported``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from runrehab.engine.assessment import Signs, Swelling
from runrehab.engine.checkin import Checkin, Morning, RunLog
from runrehab.engine.protocol import Settings
from runrehab.engine.said import Iso, said
from runrehab.engine.values import Disposition, PathwayId, Reason, RunToday

RECENT_RUN_DAYS = 7


@dataclass(frozen=True, slots=True)
class ReadinessInputs:
    """What "can I run today?" looks at.

    ``pain_at_rest`` is today's rest pain (None when the runner has not checked in today);
    ``last_run`` and ``last_run_date`` the most recent reported run up to today;
    ``last_unreported_run_date`` the most recent run the watch recorded on a day whose check-in
    says nothing of a run; ``running_mode`` the phase's running: "none", "modified", "walk_run"
    or "building".
    """

    today: date
    disposition: Disposition
    pathway: PathwayId
    running_mode: str
    pain_at_rest: int | None = None
    signs: Signs = field(default_factory=Signs)
    morning: Morning | None = None
    last_run: RunLog | None = None
    last_run_date: date | None = None
    hold_running_until: date | None = None
    last_unreported_run_date: date | None = None
    training_day: bool = True
    """Whether today is one of the runner's training days: on the others there is no run."""
    runs_in_last_week: int = 0
    """Runs (reported or recorded by the watch) on the six days before today."""
    usual_runs_per_week: int | None = None
    """The runner's usual runs a week before the pain: no seven days hold more (None: no
    limit known)."""


@dataclass(frozen=True, slots=True)
class RunDecision:
    answer: RunToday
    reasons: tuple[Reason, ...]


def inputs_from_checkins(
    today: date,
    disposition: Disposition,
    pathway: PathwayId,
    running_mode: str,
    checkins: list[Checkin],
    hold_running_until: date | None = None,
    unreported_runs: Sequence[date] = (),
    training_day: bool = True,
    runs_in_last_week: int = 0,
    usual_runs_per_week: int | None = None,
) -> ReadinessInputs:
    """Gather the inputs from check-ins: today's report (if any) and the most recent run up to
    and including today (so a run already done today counts for the spacing rule).
    ``unreported_runs``: the days of watch runs that no check-in reports."""
    todays = next((c for c in checkins if c.date == today), None)
    runs = [c for c in checkins if c.run is not None and c.date <= today]
    last = max(runs, key=lambda c: c.date) if runs else None
    return ReadinessInputs(
        today=today,
        disposition=disposition,
        pathway=pathway,
        running_mode=running_mode,
        pain_at_rest=None if todays is None else todays.pain.at_rest,
        signs=Signs() if todays is None else todays.signs,
        morning=None if todays is None else todays.this_morning_vs_usual,
        last_run=None if last is None else last.run,
        last_run_date=None if last is None else last.date,
        hold_running_until=hold_running_until,
        last_unreported_run_date=max((d for d in unreported_runs if d <= today), default=None),
        training_day=training_day,
        runs_in_last_week=runs_in_last_week,
        usual_runs_per_week=usual_runs_per_week,
    )


def can_run_today(inputs: ReadinessInputs, settings: Settings) -> RunDecision:
    """Answer "can I run today?" for ``inputs.today``."""
    no = _no_reasons(inputs, settings)
    if no:
        return RunDecision(RunToday.NO, tuple(no))
    limits = (Reason("run-stop-if-pain-above-3"), Reason("load-longest-run-cap"))
    reduced = _reduced_reasons(inputs, settings)
    if inputs.running_mode == "modified":
        reduced.append(Reason("modified-running-limits"))
    if reduced:
        return RunDecision(RunToday.REDUCED, (*reduced, *limits))
    return RunDecision(RunToday.YES, (Reason("y-green-light"), *limits))


def _recent_run(i: ReadinessInputs) -> RunLog | None:
    if i.last_run is None or i.last_run_date is None:
        return None
    return i.last_run if i.today - i.last_run_date <= timedelta(days=RECENT_RUN_DAYS) else None


def _no_reasons(i: ReadinessInputs, s: Settings) -> list[Reason]:
    found: list[Reason] = []
    if i.disposition is not Disposition.SELF_MANAGE:
        kind = said(f"disposition_{i.disposition.value}")
        found.append(Reason.of("n1-not-self-managing", said("triage_says", disposition=kind)))
    if i.running_mode == "none":
        found.append(Reason("n1-no-running-in-this-phase"))
    found += _sign_reasons(i)
    found += _last_run_reasons(i, s)
    if i.pain_at_rest is not None and i.pain_at_rest > s.rest_pain_no_run_above:
        found.append(
            Reason.of(
                "n5-rest-pain-too-high",
                said("rest_pain_over", pain=i.pain_at_rest, limit=s.rest_pain_no_run_above),
            )
        )
    found += _spacing_reasons(i, s)
    found += _frequency_reasons(i)
    if i.hold_running_until is not None and i.today < i.hold_running_until:
        found.append(
            Reason.of(
                "n7-hold-after-red-day", said("no_running_before", day=Iso(i.hold_running_until))
            )
        )
    if not i.training_day and i.running_mode != "none":
        found.append(Reason.of("session-rest-day", said("not_a_training_day", day=Iso(i.today))))
    if _last_run_date(i) == i.today and all(r.rule != "run-done-today" for r in found):
        # a fact whatever else holds: the runner is told that today's run is done
        found.insert(0, Reason.of("run-done-today", said("ran_on", day=Iso(i.today))))
    return found


def _sign_reasons(i: ReadinessInputs) -> list[Reason]:
    signs = i.signs
    present = [
        w
        for hit, w in [
            (signs.limp, said("sign_limp")),
            (signs.swelling is not Swelling.NONE, said("sign_swelling")),
            (signs.giving_way, said("sign_giving_way")),
        ]
        if hit
    ]
    run = _recent_run(i)
    if run is not None and run.changed_stride:
        present.append(said("sign_stride"))
    if present:
        return [Reason.of("n2-limp-swelling-or-giving-way", said("signs", signs=tuple(present)))]
    return []


def _last_run_reasons(i: ReadinessInputs, s: Settings) -> list[Reason]:
    found: list[Reason] = []
    run = _recent_run(i)
    if run is not None and (run.max_pain > s.amber_max_pain or run.pain_rose_during):
        key = "last_run_pain_rising" if run.pain_rose_during else "last_run_pain"
        found.append(Reason.of("n3-last-run-too-painful", said(key, pain=run.max_pain)))
    slow = (
        run is not None
        and run.settled_within_minutes is not None
        and run.settled_within_minutes > 24 * 60
    )
    if i.morning is Morning.WORSE or slow:
        key = "worse_this_morning" if i.morning is Morning.WORSE else "slow_over_a_day"
        found.append(Reason.of("n4-not-settled-by-morning", said(key)))
    return found


def _frequency_reasons(i: ReadinessInputs) -> list[Reason]:
    """No more runs in any seven days than the runner's usual runs a week (the load model of
    the return: the usual frequency holds with the weekly target and the single-run cap)."""
    limit = i.usual_runs_per_week
    if i.running_mode == "none" or limit is None or i.runs_in_last_week < limit:
        return []
    if _last_run_date(i) == i.today:
        return []  # the day's run is done: said so by the spacing rule
    facts = said("runs_this_week", runs=i.runs_in_last_week, limit=limit)
    return [Reason.of("load-usual-runs-per-week", facts)]


def _spacing_reasons(i: ReadinessInputs, s: Settings) -> list[Reason]:
    """Every-other-day running in the return-to-run phase (article 000; Trials 2023), on the
    modified-running pathway, and while rebuilding in phase 5, so that the strength work, kept
    off run days, still has its days."""
    rule = {
        "walk_run": "n6-every-other-day",
        "modified": "modified-running-alternate-days",
        "building": "rebuild-alternate-days",
    }
    last = _last_run_date(i)
    if i.running_mode not in rule or last is None:
        return []
    hours = (i.today - last).days * 24
    if hours >= s.hours_between_runs_in_return_phase:
        return []
    following = next_run_day(last, s)
    if last == i.today:  # the day's run is done: say so, not "no run today"
        facts = said("ran_next_run", last=Iso(last), next=Iso(following))
        return [Reason.of("run-done-today", facts), Reason(rule[i.running_mode])]
    facts = said("last_run_next_run", last=Iso(last), next=Iso(following))
    return [Reason.of(rule[i.running_mode], facts)]


def next_run_day(last_run: date, s: Settings) -> date:
    """The first day a run may follow one on ``last_run``: whole days at least the hours the
    protocol keeps between runs apart (40 hours: the day after next)."""
    return last_run + timedelta(days=-(-s.hours_between_runs_in_return_phase // 24))


def _last_run_date(i: ReadinessInputs) -> date | None:
    """The day of the most recent run, reported or only recorded by the watch."""
    days = [d for d in (i.last_run_date, i.last_unreported_run_date) if d is not None]
    return max(days, default=None)


def _unreported_run(i: ReadinessInputs) -> date | None:
    """The day of a watch run in the last week that is more recent than the last reported
    run: the knee's answer to the most recent run is not known."""
    day = i.last_unreported_run_date
    if day is None or i.today - day > timedelta(days=RECENT_RUN_DAYS):
        return None
    if i.last_run_date is not None and i.last_run_date >= day:
        return None
    return day


def _reduced_reasons(i: ReadinessInputs, s: Settings) -> list[Reason]:
    found: list[Reason] = []
    run = _recent_run(i)
    if run is not None and run.max_pain > s.green_max_pain:
        found.append(Reason.of("d1-amber-last-run", said("last_run_pain", pain=run.max_pain)))
    elif run is not None and (
        run.settled_within_minutes is None or run.settled_within_minutes > s.settle_minutes_green
    ):
        facts = (
            said("settling_not_reported")
            if run.settled_within_minutes is None
            else said("settled_after", minutes=float(run.settled_within_minutes))
        )
        found.append(Reason.of("d2-slow-to-settle", facts))
    unreported = _unreported_run(i)
    if unreported is not None:
        facts = said("watch_run_not_reported", day=Iso(unreported))
        found.append(Reason.of("d5-run-not-reported", facts))
    if i.pain_at_rest is None:
        found.append(Reason.of("d4-no-report-today", said("check_in_first")))
    elif run is not None and i.morning is None:
        found.append(Reason.of("d4-no-report-today", said("say_morning")))
    elif i.pain_at_rest >= s.rest_pain_reduced_from:
        found.append(Reason.of("d3-rest-pain-raised", said("rest_pain", pain=i.pain_at_rest)))
    return found
