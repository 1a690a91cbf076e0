"""Load invariants, held by property tests.

- No run in any rebuild plan is longer, in minutes or km, than 110 % of the longest run of the
  30 days before it (earlier planned runs counting as history), and no planned run has hills or
  speed before two pain-free weeks of the rebuild.
- The metronome beat is always within +5-10 % of the runner's usual step rate.
- A run the watch recorded but no check-in reports never makes "can I run today?" more
  permissive, and more pain still never does.
- The run the day plan prescribes in phase 5 never breaks the cap either.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from runrehab.engine.assessment import Preferences
from runrehab.engine.cadence import cadence_target
from runrehab.engine.checkin import Checkin, CheckinPain, Morning, RunLog
from runrehab.engine.day import plan_day
from runrehab.engine.load import NO_BASELINE, Baseline, LoadContext, RunEntry
from runrehab.engine.protocol import Protocol, Settings
from runrehab.engine.readiness import ReadinessInputs, can_run_today
from runrehab.engine.rebuild import PlannedRun, rebuild_plan
from runrehab.engine.session import RunHistory
from runrehab.engine.state import ProgrammeState
from runrehab.engine.values import Disposition, PathwayId

START = date(2026, 9, 1)
SLACK = 1e-9

baselines = st.one_of(
    st.just(NO_BASELINE),
    st.builds(
        Baseline,
        source=st.just("history"),
        weekly_km=st.none() | st.floats(0.5, 150),
        weekly_minutes=st.floats(5, 900),
        runs_per_week=st.none() | st.floats(0.2, 14),
        weeks=st.integers(1, 8),
    ),
    st.builds(
        Baseline,
        source=st.just("reported"),
        weekly_km=st.floats(0.5, 150),
        runs_per_week=st.none() | st.integers(1, 14).map(float),
    ),
)
history_runs = st.lists(
    st.builds(
        RunEntry,
        day=st.integers(1, 90).map(lambda n: START - timedelta(days=n)),
        minutes=st.floats(1, 240),
        km=st.none() | st.floats(0.2, 50),
        source=st.sampled_from(["watch", "check-in"]),
    ),
    max_size=25,
)
RUN_DAYS: dict[str, Callable[[date], bool] | None] = {
    "alternate": None,
    "daily": lambda d: True,
    "weekdays": lambda d: d.weekday() < 5,
    "twice a week": lambda d: d.weekday() in (1, 5),
}


def _longest_before(runs: list[RunEntry], day: date) -> tuple[float | None, float | None]:
    """An independent oracle: the longest minutes and km of the 30 days before ``day``."""
    window = [r for r in runs if day - timedelta(days=30) <= r.day < day]
    km = [r.km for r in window if r.km is not None]
    return max((r.minutes for r in window), default=None), max(km, default=None)


def _as_run(p: PlannedRun) -> RunEntry:
    return RunEntry(p.day, p.minutes, p.km, "plan")


@settings(max_examples=300, deadline=None)
@given(
    base=baselines,
    history=history_runs,
    started_days_ago=st.integers(0, 120),
    days=st.integers(1, 120),
    run_days=st.sampled_from(sorted(RUN_DAYS)),
    fallback=st.floats(5, 60),
    pain_free_after=st.none() | st.integers(0, 100),
)
def test_no_planned_run_breaks_the_cap_or_brings_hills_back_early(
    base: Baseline,
    history: list[RunEntry],
    started_days_ago: int,
    days: int,
    run_days: str,
    fallback: float,
    pain_free_after: int | None,
) -> None:
    started = START - timedelta(days=started_days_ago)
    pain_free = None if pain_free_after is None else started + timedelta(days=pain_free_after)
    plan = rebuild_plan(
        START,
        days,
        started,
        base,
        history,
        run_days=RUN_DAYS[run_days],
        fallback_minutes=fallback,
        pain_free_since=pain_free,
    )
    seen = list(history)
    for planned in plan:
        longest_minutes, longest_km = _longest_before(seen, planned.day)
        if longest_minutes is None:
            assert planned.minutes <= fallback + SLACK
        else:
            assert planned.minutes <= longest_minutes * 1.1 + SLACK
        if longest_km is not None and planned.km is not None:
            assert planned.km <= longest_km * 1.1 + SLACK
        if planned.hills_or_speed_allowed:
            assert planned.day >= started + timedelta(weeks=2)
            assert pain_free is None or planned.day >= pain_free + timedelta(weeks=2)
        assert planned.minutes > 0
        seen.append(_as_run(planned))


@settings(max_examples=300, deadline=None)
@given(rates=st.lists(st.floats(60, 240), min_size=1, max_size=30))
def test_the_metronome_is_within_5_to_10_percent_of_the_usual_step_rate(
    rates: list[float],
) -> None:
    target = cadence_target(rates, Settings())
    assert target is not None
    assert target.usual_spm * 1.05 - SLACK <= target.metronome_bpm
    assert target.metronome_bpm <= target.usual_spm * 1.10 + SLACK


# --- "can I run today?" with runs only the watch knows of -----------------------------------

TODAY = date(2026, 12, 10)
recent_day = st.dates(TODAY - timedelta(days=15), TODAY)
readiness_inputs = st.builds(
    ReadinessInputs,
    today=st.just(TODAY),
    disposition=st.just(Disposition.SELF_MANAGE),
    pathway=st.sampled_from(list(PathwayId)),
    running_mode=st.sampled_from(["none", "modified", "walk_run", "building"]),
    pain_at_rest=st.none() | st.integers(0, 10),
    morning=st.none() | st.sampled_from(list(Morning)),
    last_run=st.none()
    | st.builds(
        RunLog,
        minutes=st.floats(5, 120),
        max_pain=st.integers(0, 10),
        pain_rose_during=st.booleans(),
        settled_within_minutes=st.none() | st.floats(0, 3000),
    ),
    last_run_date=st.none() | recent_day,
    last_unreported_run_date=st.none() | recent_day,
)


@settings(max_examples=400, deadline=None)
@given(i=readiness_inputs, watch_day=recent_day)
def test_an_unreported_watch_run_is_never_more_permissive(
    i: ReadinessInputs, watch_day: date
) -> None:
    before = can_run_today(replace(i, last_unreported_run_date=None), Settings()).answer
    after = can_run_today(replace(i, last_unreported_run_date=watch_day), Settings()).answer
    assert after.permissiveness <= before.permissiveness


@settings(max_examples=400, deadline=None)
@given(i=readiness_inputs, by=st.integers(1, 10), rest=st.booleans())
def test_more_pain_is_never_more_permissive_with_watch_runs(
    i: ReadinessInputs, by: int, rest: bool
) -> None:
    if rest and i.pain_at_rest is not None:
        worse = replace(i, pain_at_rest=min(10, i.pain_at_rest + by))
    elif i.last_run is not None:
        worse = replace(i, last_run=replace(i.last_run, max_pain=min(10, i.last_run.max_pain + by)))
    else:
        return
    before = can_run_today(i, Settings()).answer
    assert can_run_today(worse, Settings()).answer.permissiveness <= before.permissiveness


# --- the day plan ----------------------------------------------------------------------------


@cache
def _protocol() -> Protocol:
    from runrehab.content import loader

    return loader.protocol()


@settings(max_examples=120, deadline=None)
@given(
    base=baselines,
    watch=st.lists(
        st.tuples(st.integers(1, 40), st.floats(5, 150), st.none() | st.floats(1, 30)),
        max_size=12,
    ),
    reported=st.lists(st.tuples(st.integers(1, 40), st.integers(0, 10)), max_size=8),
    in_phase_days=st.integers(0, 60),
    pain=st.integers(0, 10),
)
def test_the_day_plan_never_breaks_the_cap_and_pain_never_loosens_it(
    base: Baseline,
    watch: list[tuple[int, float, float | None]],
    reported: list[tuple[int, int]],
    in_phase_days: int,
    pain: int,
) -> None:
    protocol = _protocol()
    today = TODAY
    state = ProgrammeState(
        PathwayId.REST_AND_REBUILD, 5, today - timedelta(days=200), today - timedelta(in_phase_days)
    )
    watch_runs = tuple(
        RunEntry(today - timedelta(days=n), minutes, km, "watch", f"w{i}")
        for i, (n, minutes, km) in enumerate(watch)
    )
    checkins = [
        Checkin(
            today - timedelta(days=n),
            CheckinPain(0, 0, p),
            Morning.SAME,
            run=RunLog(30, p, settled_within_minutes=20),
        )
        for n, p in reported
    ] + [Checkin(today, CheckinPain(0, 0, 0), Morning.SAME)]
    load = LoadContext(base)
    calm = plan_day(state, checkins, Preferences(), RunHistory(), protocol, today, watch_runs, load)
    run = calm.session.run if calm.session else None
    if run is not None and base.known:
        assert "load-planned-run-over-cap" not in {r.rule for r in calm.warnings}
    worse = [
        replace(c, run=replace(c.run, max_pain=max(c.run.max_pain, pain))) if c.run else c
        for c in checkins
    ]
    hurt = plan_day(state, worse, Preferences(), RunHistory(), protocol, today, watch_runs, load)
    assert hurt.run.answer.permissiveness <= calm.run.answer.permissiveness
    hurt_run = hurt.session.run if hurt.session else None
    if hurt_run is not None:
        assert run is not None and hurt_run.total_minutes <= run.total_minutes
