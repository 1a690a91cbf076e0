"""The incremental fold (``progression.refold``) gives the full replay's decisions, for any
history: check-ins replaced, sent late or missing, questionnaire reports and a physiotherapist's
overrides added, changed or undone between the kept fold and the new one."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from runrehab.content import loader
from runrehab.engine.checkin import Checkin, CheckinPain, ExerciseLog, Morning, RunLog
from runrehab.engine.outcomes import NO_OUTCOMES, KujalaScore, Outcomes, WeeklyPain
from runrehab.engine.overrides import Override, OverrideKind
from runrehab.engine.pathway import PathwayChoice
from runrehab.engine.progression import Fold, refold, replay, start_state
from runrehab.engine.protocol import Protocol
from runrehab.engine.values import PathwayId

D0 = date(2026, 3, 2)
DAYS = 48
PROTOCOL = loader.protocol()
EXERCISES = ("quad-set", "straight-leg-raise", "clamshell", "glute-bridge", "wall-sit")


def day(n: int) -> date:
    return D0 + timedelta(days=n)


@st.composite
def checkins(draw: st.DrawFn, n: int) -> Checkin:
    worst = draw(st.sampled_from((0, 1, 1, 2, 2, 2, 3, 5, 7)))
    run = None
    if draw(st.booleans()):
        run = RunLog(draw(st.sampled_from((10, 20, 30))), draw(st.integers(0, worst)))
    logs = tuple(
        ExerciseLog(e, 3, 12, None, draw(st.integers(0, 4)))
        for e in draw(st.lists(st.sampled_from(EXERCISES), max_size=4, unique=True))
    )
    return Checkin(
        day(n),
        CheckinPain(min(worst, draw(st.integers(0, 3))), draw(st.integers(0, 1)), worst),
        draw(st.sampled_from((Morning.BETTER, Morning.SAME, Morning.WORSE, None))),
        exercises=logs,
        run=run,
    )


@st.composite
def histories(draw: st.DrawFn) -> dict[int, Checkin]:
    """Check-ins on some of the days (the others are gaps)."""
    reported = draw(st.sets(st.integers(0, DAYS - 1), max_size=DAYS))
    return {n: draw(checkins(n)) for n in sorted(reported)}


@st.composite
def outcome_reports(draw: st.DrawFn) -> Outcomes:
    kujala = sorted(
        draw(st.dictionaries(st.integers(0, DAYS - 1), st.integers(40, 100), max_size=3)).items()
    )
    weekly = sorted(
        draw(st.dictionaries(st.integers(0, DAYS - 1), st.integers(0, 9), max_size=6)).items()
    )
    if draw(st.booleans()):  # worst pain rising report after report (R7)
        weekly = [(n, i + 2) for i, (n, _) in enumerate(weekly)]
    return Outcomes(
        tuple(KujalaScore(day(n), s) for n, s in kujala),
        tuple(WeeklyPain(day(n), max(0, w - 1), w) for n, w in weekly),
    )


@st.composite
def override_sets(draw: st.DrawFn) -> tuple[Override, ...]:
    made = []
    for i, kind in enumerate(
        draw(st.lists(st.sampled_from(list(OverrideKind)[:6]), max_size=3)), start=1
    ):
        on = draw(st.integers(0, DAYS - 1))
        until = draw(st.one_of(st.none(), st.integers(on, DAYS).map(day)))
        values: dict[str, int] = {}
        if kind in (OverrideKind.SET_PHASE, OverrideKind.RELEASE_HOLD):
            values["phase"] = draw(st.integers(1, 5))
        if kind is OverrideKind.SET_RUNG:
            values["rung"] = draw(st.integers(1, 4))
        if kind is OverrideKind.WAIT_DAYS:
            values["days"] = draw(st.integers(0, 5))
        made.append(Override(f"o{i}", kind, day(on), "a reason", until, **values))  # type: ignore[arg-type]
    return tuple(made)


@st.composite
def changed(draw: st.DrawFn, before: dict[int, Checkin]) -> dict[int, Checkin]:
    """The same history with some check-ins replaced, some sent late (for a gap), some gone."""
    after = dict(before)
    for n in draw(st.sets(st.integers(0, DAYS - 1), max_size=5)):
        if n in after and draw(st.booleans()):
            del after[n]
        else:
            after[n] = draw(checkins(n))
    return after


def start(pathway: PathwayId, phase: int) -> Fold:
    state = start_state(PathwayChoice(pathway, phase, ()), D0, PROTOCOL)
    return Fold(state, (), NO_OUTCOMES, (), ())


def full(fold: Fold, through: date) -> tuple[object, list[object]]:
    state, decisions = replay(
        fold.begin, fold.checkins, PROTOCOL, through, fold.outcomes, fold.overrides
    )
    return state, list(decisions)


PLACES = st.sampled_from(
    [
        (PathwayId.REST_AND_REBUILD, 1),
        (PathwayId.REST_AND_REBUILD, 3),
        (PathwayId.MODIFIED_RUNNING, 4),
    ]
)


@st.composite
def later_reports(draw: st.DrawFn, outcomes: Outcomes) -> Outcomes:
    """The same reports, or with one sent late (a worse week, to make R7 judge) or one gone."""
    weekly = list(outcomes.weekly_pain)
    drop: bool = draw(st.booleans())
    if weekly and drop:
        weekly.pop(draw(st.integers(0, len(weekly) - 1)))
    elif draw(st.booleans()):
        n = draw(st.integers(0, DAYS - 1))
        worst = min(10, max([w.worst for w in weekly], default=2) + 1)
        weekly = [w for w in weekly if w.date != day(n)] + [WeeklyPain(day(n), 1, worst)]
    return replace(outcomes, weekly_pain=tuple(sorted(weekly, key=lambda w: w.date)))


@settings(max_examples=80, deadline=None)
@given(
    PLACES,
    histories(),
    st.data(),
    outcome_reports(),
    override_sets(),
    override_sets(),
    st.integers(0, DAYS),
    st.integers(0, DAYS),
)
def test_the_incremental_fold_equals_the_full_replay(
    place: tuple[PathwayId, int],
    before: dict[int, Checkin],
    data: st.DataObject,
    outcomes: Outcomes,
    overrides: tuple[Override, ...],
    other_overrides: tuple[Override, ...],
    kept_through: int,
    through: int,
) -> None:
    begin = start(*place).begin
    after = data.draw(st.one_of(st.just(before), changed(before)))
    later_outcomes = data.draw(later_reports(outcomes))
    later_overrides = data.draw(st.sampled_from((overrides, other_overrides, overrides[1:])))
    kept = refold(
        None, begin, list(before.values()), PROTOCOL, day(kept_through), outcomes, overrides
    )
    assert (kept.state, list(kept.decisions)) == full(kept, day(kept_through))
    again = refold(
        kept, begin, list(after.values()), PROTOCOL, day(through), later_outcomes, later_overrides
    )
    assert (again.state, list(again.decisions)) == full(again, day(through))


@settings(max_examples=30, deadline=None)
@given(PLACES, histories(), st.integers(1, DAYS - 1), st.integers(0, DAYS - 1))
def test_a_fold_from_a_kept_state_goes_on_from_there(
    place: tuple[PathwayId, int], history: dict[int, Checkin], kept_through: int, late: int
) -> None:
    """A fold begun from a stored state (``evaluated_through`` set) steps only later days, as
    ``replay`` from that state does."""
    begin = start(*place).begin
    stored, _ = replay(begin, list(history.values()), PROTOCOL, day(kept_through - 1))
    fold = refold(None, stored, list(history.values()), PROTOCOL, day(DAYS))
    assert fold.first_day == day(kept_through)
    assert (fold.state, list(fold.decisions)) == full(fold, day(DAYS))
    assert fold.state_through(day(kept_through - 1)) == stored
    assert fold.state_through(day(DAYS + 1)) is None


def test_a_replaced_check_in_steps_again_only_from_its_day(protocol: Protocol) -> None:
    """The days before the replaced check-in are kept (the same objects), not stepped again."""
    begin = start(PathwayId.REST_AND_REBUILD, 1).begin
    history = [Checkin(day(n), CheckinPain(1, 0, 2), Morning.SAME, exercises=()) for n in range(20)]
    kept = refold(None, begin, history, protocol, day(19))
    history[12] = replace(history[12], pain=CheckinPain(5, 2, 7))
    again = refold(kept, begin, history, protocol, day(19))
    assert again.decisions[:12] == kept.decisions[:12]
    assert all(a is b for a, b in zip(again.decisions[:12], kept.decisions[:12], strict=True))
    assert again.decisions[12] is not kept.decisions[12]
    assert again.decisions[12].action != kept.decisions[12].action
    assert (again.state, list(again.decisions)) == full(again, day(19))


@settings(max_examples=150, deadline=None)
@given(histories(), st.integers(0, DAYS - 1), st.integers(0, DAYS - 1))
def test_the_day_after_the_last_painful_day_is_the_latest_of_them(
    history: dict[int, Checkin], since: int, until: int
) -> None:
    """``day._pain_free_since`` looks from the latest day back and stops at the first AMBER
    or RED one: the day after the latest of them all, whatever order the history is in."""
    from runrehab.engine.day import _pain_free_since
    from runrehab.engine.traffic_light import colour_of
    from runrehab.engine.values import Colour

    painful = [
        c.date
        for n, c in history.items()
        if since <= n <= until and colour_of(c, PROTOCOL.settings) in (Colour.AMBER, Colour.RED)
    ]
    expected = max(painful) + timedelta(days=1) if painful else None
    shuffled = list(reversed(history.values()))
    assert _pain_free_since(shuffled, day(since), day(until), PROTOCOL) == expected
