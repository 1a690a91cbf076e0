"""Progression through the programme, one day at a time (digest 14(c) and 14(d)).

``step_day`` folds one calendar day into the programme state: it reads that day's check-in (if
any) together with the history, and returns the next state with the decision and its reasons.
Replaying the days from the start always gives the same state, which is how the plan projection
and the simulated runners in the tests use it.

Order of the checks, most important first:
1. a warning sign in the check-in, read by the intake's own rules (``red_flags``), stops the
   programme (emergency, urgent) or sends the runner to a clinician (14(a): re-triage at every
   check-in; every sign on its own does at least the latter);
2. three RED days in 14 send the runner to a clinician;
   so does a programme that is not helping: no meaningful change in the Kujala score or the
   worst pain after six weeks, or worst pain rising in two weekly reports in a row (R7). It
   comes before the step-backs and holds so that a RED or AMBER day on the day a questionnaire
   is answered cannot hide it (R7 is only judged on such days);
3. a RED day steps back one phase (one rung in the return-to-run phase) and holds running 48 h;
4. two AMBER sessions in a row hold everything;
5. the walk/run ladder, or the phase's gates, move the runner on;
6. staying too long in an early phase sends the runner to a clinician;
7. two GREEN, complete sessions raise the dose one step.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from runrehab.engine.checkin import Checkin
from runrehab.engine.gates import evaluate_gate, session_complete, training_sessions
from runrehab.engine.outcomes import NO_OUTCOMES, FearScreen, KujalaScore, Outcomes, WeeklyPain
from runrehab.engine.overrides import (
    NO_OVERRIDES,
    Override,
    OverrideKind,
    acting_on,
    changes_of_the_day,
    holding,
    released_on,
    waiting,
)
from runrehab.engine.pathway import PathwayChoice
from runrehab.engine.protocol import GreenSessions, Protocol, Settings
from runrehab.engine.questionnaire import adherence
from runrehab.engine.red_flags import NOTHING_KNOWN, Background, findings, worst
from runrehab.engine.said import Iso, Said, said, semicolons
from runrehab.engine.state import Action, Decision, ProgrammeState, Status
from runrehab.engine.traffic_light import amber_said, colour_of, red_said
from runrehab.engine.values import Colour, Disposition, PathwayId, Reason


def start_state(
    choice: PathwayChoice, start: date, protocol: Protocol, background: Background = NOTHING_KNOWN
) -> ProgrammeState:
    """The state on the first day of the programme; ``background`` is what the intake learnt
    (``Background.of(assessment)``), of which the state keeps the standing part."""
    rung = protocol.rungs[0].number if choice.start_phase == 4 else 0
    return ProgrammeState(
        pathway=choice.pathway,
        phase=choice.start_phase,
        programme_started=start,
        phase_started=start,
        rung=rung,
        rung_started=start if rung else None,
        last_moved_on=start,
        background=background.standing(),
    )


def step_day(
    state: ProgrammeState,
    checkins: Sequence[Checkin],
    protocol: Protocol,
    day: date,
    outcomes: Outcomes = NO_OUTCOMES,
    overrides: Sequence[Override] = NO_OVERRIDES,
) -> Decision:
    """Fold ``day`` into ``state``. ``checkins`` is the history up to and including ``day``;
    ``outcomes`` the questionnaire reports (only those made by ``day`` are read);
    ``overrides`` what the runner's physiotherapist set (``engine.overrides``): each enters
    the decision history on the day it starts and on the day it is undone."""
    decision = _step(state, checkins, protocol, day, outcomes, overrides)
    noted = [r for r in changes_of_the_day(overrides, day) if r not in decision.reasons]
    return replace(decision, reasons=(*decision.reasons, *noted)) if noted else decision


def _step(
    state: ProgrammeState,
    checkins: Sequence[Checkin],
    protocol: Protocol,
    day: date,
    outcomes: Outcomes,
    overrides: Sequence[Override],
) -> Decision:
    history = [c for c in checkins if c.date <= day]
    todays = next((c for c in history if c.date == day), None)
    colour = None if todays is None else colour_of(todays, protocol.settings)
    state = replace(state, evaluated_through=day)
    state, set_by_clinic = _clinic_moves(state, protocol, day, overrides)
    if state.status is not Status.ACTIVE:
        return Decision(
            state,
            Action.CONTINUE,
            (Reason(f"programme-{state.status.value}"),),
            colour,
            _status_disposition(state.status),
        )
    protocol = _with_own_wait(protocol, overrides, day)
    checks: tuple[Check, ...] = (
        _red_flags,
        _referrals,
        _not_helping(outcomes),
        _red_day,
        _two_ambers,
    )
    released = released_on(overrides, day)
    if released is not None:
        checks = (
            _seen(_red_flags, released),
            _since_release(_referrals, released),
            _since_release(_not_helping(outcomes), released),
            _red_day,
            _two_ambers,
        )
    for check in checks:
        decision = check(state, history, todays, protocol, day)
        if decision is not None:
            return replace(decision, colour=colour, reasons=(*set_by_clinic, *decision.reasons))
    if set_by_clinic:
        return Decision(state, Action.CLINIC, tuple(set_by_clinic), colour)
    held = holding(overrides, day)
    moved = _move_on(state, history, todays, protocol, day)
    if moved is not None and held is not None:
        moved = Decision(state, Action.HOLD, (held.reason_value,))
    wait = waiting(overrides, day)
    if moved is not None and wait is not None and _names(moved, "ready-to-run-wait"):
        moved = replace(moved, reasons=(wait.reason_value, *moved.reasons))
    if moved is not None:
        return replace(moved, colour=colour)
    stalled = None if held is not None else _stall(state, protocol, day)
    if stalled is not None:
        return replace(stalled, colour=colour)
    decision = _dose(state, history, todays, protocol, day)
    if held is not None and held.day == day:
        decision = replace(decision, reasons=(held.reason_value, *decision.reasons))
    return replace(decision, colour=colour)


def _clinic_moves(
    state: ProgrammeState, protocol: Protocol, day: date, overrides: Sequence[Override]
) -> tuple[ProgrammeState, list[Reason]]:
    """The physiotherapist's moves dated ``day``: a referral released, a phase or a rung set.
    A stop for a red flag is never lifted here (only a new assessment does that), and no move
    applies while a referral stands but its release."""
    reasons: list[Reason] = []
    for o in acting_on(overrides, day):
        if state.status is Status.STOPPED:
            break
        if o.kind is OverrideKind.RELEASE_HOLD:
            if state.status is not Status.REFERRED:
                continue
            state = replace(state, status=Status.ACTIVE)
        elif state.status is not Status.ACTIVE:
            continue
        state = _placed(state, protocol, o, day)
        reasons.append(o.reason_value)
    return state, reasons


def _placed(state: ProgrammeState, protocol: Protocol, o: Override, day: date) -> ProgrammeState:
    phase = o.phase if o.phase is not None else state.phase
    if o.kind is OverrideKind.SET_RUNG:
        phase = 4
    if phase != state.phase or o.kind is OverrideKind.RELEASE_HOLD:
        state = _enter(state, protocol, state.pathway, phase, day)
    if phase == 4 and o.rung is not None:
        state = replace(state, rung=o.rung, rung_started=day)
    return replace(state, last_moved_on=day)


def _seen(check: Check, released: date) -> Check:
    """The warning signs of a check-in, except that on the day a clinician released a
    referral the signs that only send the runner to a clinician were theirs to judge: those
    that stop the programme (emergency, urgent) always do."""

    def seen(
        state: ProgrammeState,
        history: list[Checkin],
        todays: Checkin | None,
        protocol: Protocol,
        day: date,
    ) -> Decision | None:
        decision = check(state, history, todays, protocol, day)
        if decision is not None and decision.action is Action.REFER and day == released:
            return None
        return decision

    return seen


def _since_release(check: Check, released: date) -> Check:
    """A referral check that counts only what came after a clinician released the last
    referral (its RED days, its questionnaires): what came before, the clinician has seen."""

    def since(
        state: ProgrammeState,
        history: list[Checkin],
        todays: Checkin | None,
        protocol: Protocol,
        day: date,
    ) -> Decision | None:
        after = [c for c in history if c.date > released]
        fresh = max(state.programme_started, released + timedelta(days=1))
        decision = check(replace(state, programme_started=fresh), after, todays, protocol, day)
        if decision is None:
            return None
        started = state.programme_started
        return replace(decision, state=replace(decision.state, programme_started=started))

    return since


def _with_own_wait(protocol: Protocol, overrides: Sequence[Override], day: date) -> Protocol:
    wait = waiting(overrides, day)
    if wait is None or wait.days is None:
        return protocol
    settings = replace(protocol.settings, ready_to_run_wait_days=wait.days)
    return replace(protocol, settings=settings)


def _names(decision: Decision, rule: str) -> bool:
    return any(r.rule == rule for r in decision.reasons)


HOLDS_BACK = frozenset({Action.HOLD, Action.REGRESS, Action.REFER, Action.STOP, Action.CLINIC})
"""The decisions that apply to the day they are made on: they hold the runner back, or they
are the physiotherapist's, whose change the day's session shows at once."""


def session_state(before: ProgrammeState, todays: Decision | None) -> ProgrammeState:
    """The state a day's session is planned from once the day's check-in is in (``todays``,
    folded from ``before``, the state through the day before). What holds the runner back (a
    stop, a referral, a step back, a hold) applies at once; a move forward (a phase, a rung, a
    dose) from the next day, so the session the runner was given that morning, and then reports,
    stays the day's session and is judged as such."""
    if todays is not None and (
        todays.action in HOLDS_BACK or todays.state.status is not Status.ACTIVE
    ):
        return todays.state
    return before


def _status_disposition(status: Status) -> Disposition:
    return Disposition.URGENT if status is Status.STOPPED else Disposition.SEE_CLINICIAN


# --- 1-4: safety first --------------------------------------------------------------------


def _red_flags(
    state: ProgrammeState,
    history: list[Checkin],
    todays: Checkin | None,
    protocol: Protocol,
    day: date,
) -> Decision | None:
    if todays is None:
        return None
    # the same rules as the intake's warning signs (red_flags), read against what the intake
    # learnt of the person
    found = findings(todays.signs, state.background, protocol.triage)
    disposition = worst(found)
    reasons = tuple(Reason(f.rule, f.detail, f.said) for f in found)
    if disposition.severity >= Disposition.URGENT.severity:
        stopped = replace(state, status=Status.STOPPED)
        return Decision(
            stopped,
            Action.STOP,
            (*reasons, Reason("prog-red-flag-stops-programme")),
            None,
            disposition,
        )
    if disposition is Disposition.SEE_CLINICIAN:
        referred = replace(state, status=Status.REFERRED)
        return Decision(referred, Action.REFER, reasons, None, disposition)
    return None


def _referrals(
    state: ProgrammeState,
    history: list[Checkin],
    todays: Checkin | None,
    protocol: Protocol,
    day: date,
) -> Decision | None:
    s = protocol.settings
    window_start = day - timedelta(days=s.red_days_window - 1)
    reds = [c for c in history if c.date >= window_start and colour_of(c, s) is Colour.RED]
    if len(reds) >= s.red_days_for_referral:
        facts = said("red_days", days=len(reds), window=s.red_days_window)
        return Decision(
            replace(state, status=Status.REFERRED),
            Action.REFER,
            (Reason.of("r8-repeated-red-days", facts),),
            None,
            Disposition.SEE_CLINICIAN,
        )
    return None


Check = Callable[[ProgrammeState, list[Checkin], Checkin | None, Protocol, date], Decision | None]

KUJALA_BEST = 100
"""The best Kujala total (no problem at all)."""


def _not_helping(outcomes: Outcomes) -> Check:
    """R7 (digest 14(a)) as a check of the day, reading the questionnaire reports."""

    def check(
        state: ProgrammeState,
        history: list[Checkin],
        todays: Checkin | None,
        protocol: Protocol,
        day: date,
    ) -> Decision | None:
        return _r7(state, history, protocol.settings, day, outcomes)

    return check


def _r7(
    state: ProgrammeState,
    history: list[Checkin],
    s: Settings,
    day: date,
    outcomes: Outcomes,
) -> Decision | None:
    """Judged only on a day with a questionnaire answered, from the answers given since the
    programme started (earlier ones belong to an earlier programme); a missing answer is never
    filled in, so a measure without a baseline or a six-week answer is not judged."""
    seen = _since(outcomes.until(day), state.programme_started)
    weekly_today = bool(seen.weekly_pain) and seen.weekly_pain[-1].date == day
    kujala_today = bool(seen.kujala) and seen.kujala[-1].date == day
    if weekly_today:
        worse = _worsening(seen.weekly_pain)
        if worse is not None:
            return _referred(state, "r7-worsening-two-weeks", worse)
    if weekly_today or kujala_today:
        flat = _no_improvement(state, history, s, day, seen)
        if flat is not None:
            return _referred(state, "r7-no-improvement-6-weeks", flat)
    return None


def _since(outcomes: Outcomes, start: date) -> Outcomes:
    return Outcomes(
        tuple(k for k in outcomes.kujala if k.date >= start),
        tuple(w for w in outcomes.weekly_pain if w.date >= start),
    )


def _worsening(weekly: tuple[WeeklyPain, ...]) -> Said | None:
    """Worst pain higher in each of the last two weekly reports than in the one before."""
    if len(weekly) < 3:
        return None
    first, second, third = weekly[-3:]
    if not first.worst < second.worst < third.worst:
        return None
    return said(
        "worst_pain_rising",
        first=first.worst,
        second=second.worst,
        third=third.worst,
        days=said("listed", items=tuple(Iso(w.date) for w in (first, second, third))),
    )


def _no_improvement(
    state: ProgrammeState, history: list[Checkin], s: Settings, day: date, seen: Outcomes
) -> Said | None:
    """The detail of a referral when a judged measure changed less than its MIC."""
    judge_from = state.programme_started + timedelta(weeks=s.no_improvement_weeks)
    if day < judge_from:
        return None
    changes = [
        c
        for c in (_kujala_change(seen.kujala, judge_from, s), _pain_change(seen, judge_from, s))
        if c is not None
    ]
    if all(enough for _, enough in changes):  # also when neither measure can be judged
        return None
    share = adherence(history, state.programme_started, day)
    return semicolons((*(text for text, _ in changes), _adherence_text(share, s)))


def _kujala_change(
    kujala: tuple[KujalaScore, ...], judge_from: date, s: Settings
) -> tuple[Said, bool] | None:
    follow = [k for k in kujala if k.date >= judge_from]
    if not follow or follow[-1].date == kujala[0].date:
        return None
    base, last = kujala[0].score, follow[-1].score
    enough = _enough(last - base, KUJALA_BEST - base, s.kujala_mic)
    change = f"{last - base:+d}"
    return said("kujala_change", base=base, last=last, change=change, mic=s.kujala_mic), enough


def _pain_change(seen: Outcomes, judge_from: date, s: Settings) -> tuple[Said, bool] | None:
    weekly = seen.weekly_pain
    follow = [w for w in weekly if w.date >= judge_from]
    if not follow or follow[-1].date == weekly[0].date:
        return None
    base, last = weekly[0].worst, follow[-1].worst
    enough = _enough(base - last, base, s.worst_pain_mic)
    change = f"{last - base:+d}"
    facts = said("worst_pain_change", base=base, last=last, change=change, mic=s.worst_pain_mic)
    return facts, enough


def _enough(gain: int, room: int, mic: int) -> bool:
    """A gain of at least the MIC. When the first answer left less room than the MIC (worst
    pain 1/10, Kujala 95), no change that matters can be measured, so only getting worse
    counts as not improving."""
    return gain >= mic if room >= mic else gain >= 0


def _adherence_text(share: float | None, s: Settings) -> Said:
    """The share is stated, not judged: a plan with strength on alternate days logs exercises
    on fewer days than a runner who follows it faithfully trains."""
    rule = said("r7_assumes", percent=f"{s.adherence_threshold:.0%}")
    if share is None:
        return said("adherence_unknown", rule=rule)
    return said("adherence_logged", percent=f"{share:.0%}", rule=rule)


def _red_day(
    state: ProgrammeState,
    history: list[Checkin],
    todays: Checkin | None,
    protocol: Protocol,
    day: date,
) -> Decision | None:
    if todays is None or colour_of(todays, protocol.settings) is not Colour.RED:
        return None
    signs = said("signs", signs=tuple(red_said(todays, protocol.settings)))
    hold_days = -(-protocol.settings.hold_hours_after_red // 24)
    stepped, rule = _step_back(state, protocol, day)
    stepped = replace(
        stepped,
        hold_running_until=day + timedelta(days=hold_days + 1),
        dose_level=max(0, state.dose_level - 1),
        dose_changed=day,
        gates_met_on=None,
    )
    reasons = (
        Reason.of(rule, signs),
        Reason("n7-hold-after-red-day"),
        Reason("dose-regress-on-red"),
    )
    return Decision(stepped, Action.REGRESS, reasons)


def _step_back(state: ProgrammeState, protocol: Protocol, day: date) -> tuple[ProgrammeState, str]:
    """One rung down in the ladder, otherwise one phase down (phase 1 restarts its clock)."""
    tomorrow = day + timedelta(days=1)
    if state.phase == 4 and state.rung > protocol.rungs[0].number:
        return replace(state, rung=state.rung - 1, rung_started=tomorrow), "p4-red-drop-rung"
    pathway = protocol.pathway(state.pathway)
    previous = pathway.previous_phase(state.phase)
    if previous is None and state.phase == 1:
        return replace(state, phase_started=tomorrow), "prog-red-day-step-back"
    if previous is None:  # modified running did not suit: rest and rebuild from phase 1
        return _enter(
            state, protocol, PathwayId.REST_AND_REBUILD, 1, tomorrow
        ), "prog-red-day-step-back"
    return _enter(state, protocol, state.pathway, previous, tomorrow), "prog-red-day-step-back"


def _enter(
    state: ProgrammeState, protocol: Protocol, pathway: PathwayId, phase: int, start: date
) -> ProgrammeState:
    """The state on entering ``phase``: the ladder at its top rung when stepping down into it
    from phase 5, at its first rung when climbing into it."""
    rung = 0
    if phase == 4:
        rung = protocol.rungs[-1].number if state.phase == 5 else protocol.rungs[0].number
    return replace(
        state,
        pathway=pathway,
        phase=phase,
        phase_started=start,
        rung=rung,
        rung_started=start if rung else None,
        dose_level=0,
        dose_changed=None,
        gates_met_on=None,
    )


def _two_ambers(
    state: ProgrammeState,
    history: list[Checkin],
    todays: Checkin | None,
    protocol: Protocol,
    day: date,
) -> Decision | None:
    s = protocol.settings
    if todays is None or colour_of(todays, s) is not Colour.AMBER:
        return None
    judged = [c for c in history if colour_of(c, s) is not None]
    if len(judged) >= 2 and colour_of(judged[-2], s) is Colour.AMBER:
        signs = said("signs", signs=tuple(amber_said(todays, s)))
        return Decision(
            state,
            Action.HOLD,
            (Reason.of("prog-two-amber-hold", signs), Reason("dose-hold-on-amber")),
        )
    if state.phase == 4 and todays.run is not None:
        return Decision(
            state, Action.HOLD, (Reason("p4-amber-repeat-rung"), Reason("dose-hold-on-amber"))
        )
    return Decision(
        state,
        Action.HOLD,
        (Reason.of("dose-hold-on-amber", said("signs", signs=tuple(amber_said(todays, s)))),),
    )


# --- 5: moving on -------------------------------------------------------------------------


def _move_on(
    state: ProgrammeState,
    history: list[Checkin],
    todays: Checkin | None,
    protocol: Protocol,
    day: date,
) -> Decision | None:
    if state.phase == 4:
        return _ladder(state, history, todays, protocol, day)
    return _gates(state, history, protocol, day)


def _ladder(
    state: ProgrammeState,
    history: list[Checkin],
    todays: Checkin | None,
    protocol: Protocol,
    day: date,
) -> Decision | None:
    s = protocol.settings
    tomorrow = day + timedelta(days=1)
    if todays is not None and todays.run is not None:
        started = state.rung_started or state.phase_started
        greens = [
            c
            for c in history
            if c.run is not None and c.date >= started and colour_of(c, s) is Colour.GREEN
        ]
        if len(greens) < s.sessions_to_climb_rung:
            return None
        if state.rung == protocol.rungs[-1].number:
            nxt = _enter(state, protocol, state.pathway, 5, tomorrow)
            nxt = replace(nxt, last_moved_on=day)
            return Decision(nxt, Action.ADVANCE, (Reason("p4-exit-ladder"),))
        climbed = replace(state, rung=state.rung + 1, rung_started=tomorrow)
        facts = said("green_at_rung", sessions=len(greens), rung=state.rung)
        climbed = replace(climbed, last_moved_on=day)
        return Decision(climbed, Action.CLIMB, (Reason.of("p4-rung-climb", facts),))
    return _ladder_gap(state, history, protocol, day)


def _ladder_gap(
    state: ProgrammeState, history: list[Checkin], protocol: Protocol, day: date
) -> Decision | None:
    """More than 7 days without running restarts the ladder one rung lower."""
    limit = protocol.settings.days_without_running_before_step_down
    runs = [c.date for c in history if c.run is not None]
    since = max([*runs, state.rung_started or state.phase_started])
    if (day - since).days <= limit:
        return None
    lower = max(protocol.rungs[0].number, state.rung - 1)
    restarted = replace(state, rung=lower, rung_started=day + timedelta(days=1))
    facts = said("no_run_since", day=Iso(since))
    return Decision(restarted, Action.REGRESS, (Reason.of("p4-restart-lower-after-7-days", facts),))


def _gates(
    state: ProgrammeState, history: list[Checkin], protocol: Protocol, day: date
) -> Decision | None:
    phase = protocol.phase(state.phase)
    pathway = protocol.pathway(state.pathway)
    nxt = pathway.next_phase(state.phase)
    if nxt is None or not phase.gates:
        return None
    in_phase = [c for c in history if c.date >= state.phase_started]
    results = [evaluate_gate(g, state, in_phase, protocol, day) for g in phase.gates]
    if not all(r.met for r in results):
        return None
    tomorrow = day + timedelta(days=1)
    met = tuple(r.said for r in results if r.said is not None)
    reasons = [Reason.of(phase.rule, semicolons(met)) if met else Reason(phase.rule)]
    earliest = pathway.not_before_day.get(nxt)
    programme_day = (tomorrow - state.programme_started).days + 1
    if earliest is not None and programme_day < earliest:
        wait = Reason.of("timeline-not-before-day", said("not_before_day", phase=nxt, day=earliest))
        return Decision(state, Action.HOLD, (*reasons, wait))
    waited = _ready_to_run_wait(state, protocol, nxt, day)
    if waited is not None:
        return waited
    if protocol.phase(nxt).running != "none" and phase.running == "none":
        reasons.append(
            Reason.of(
                "ready-to-run-wait",
                said("extra_days_set", days=protocol.settings.ready_to_run_wait_days),
            )
        )
    return Decision(
        replace(_enter(state, protocol, state.pathway, nxt, tomorrow), last_moved_on=day),
        Action.ADVANCE,
        tuple(reasons),
    )


def _ready_to_run_wait(
    state: ProgrammeState, protocol: Protocol, nxt: int, day: date
) -> Decision | None:
    """Article 000's "when you feel ready to run, wait 5 more days". Section 14(c) replaces it
    with criteria, so the setting is 0 by default; a clinic may set it."""
    wait = protocol.settings.ready_to_run_wait_days
    entering_running = (
        protocol.phase(nxt).running != "none" and protocol.phase(state.phase).running == "none"
    )
    if wait == 0 or not entering_running:
        return None
    met = state.gates_met_on or day
    if (day - met).days >= wait:
        return None
    facts = said("ready_since", day=Iso(met), days=wait)
    return Decision(
        replace(state, gates_met_on=met), Action.HOLD, (Reason.of("ready-to-run-wait", facts),)
    )


# --- 6: stalled -----------------------------------------------------------------------------


def _stall(state: ProgrammeState, protocol: Protocol, day: date) -> Decision | None:
    """Too long without moving on: 14 days in phase 1, or 6 weeks in phases 1-3, counted from
    the last time the runner moved on, so stepping back after a flare does not restart it."""
    phase = protocol.phase(state.phase)
    since = state.last_moved_on or state.programme_started
    days = (day - since).days + 1
    if phase.stall_days is not None and days >= phase.stall_days:
        facts = said("stalled_days", days=days, phase=phase.number)
        return _referred(state, phase.stall_rule or "prog-stall-6-weeks", facts)
    weeks = protocol.settings.stall_weeks_before_referral
    if state.phase <= 3 and days >= weeks * 7:
        facts = said("stalled_weeks", weeks=weeks, phase=state.phase)
        return _referred(state, "prog-stall-6-weeks", facts)
    return None


def _referred(state: ProgrammeState, rule: str, facts: Said | str) -> Decision:
    reason = Reason.of(rule, facts) if isinstance(facts, Said) else Reason(rule, facts)
    return Decision(
        replace(state, status=Status.REFERRED),
        Action.REFER,
        (reason,),
        None,
        Disposition.SEE_CLINICIAN,
    )


# --- 7: dose --------------------------------------------------------------------------------


def _dose(
    state: ProgrammeState,
    history: list[Checkin],
    todays: Checkin | None,
    protocol: Protocol,
    day: date,
) -> Decision:
    s = protocol.settings
    if todays is None or colour_of(todays, s) is not Colour.GREEN or not todays.exercises:
        return Decision(state, Action.CONTINUE, ())
    since = state.dose_changed or (state.phase_started - timedelta(days=1))
    # as for the phase gates, a GREEN day of the phase's daily exercises only (a day that is
    # not a training day) neither counts nor breaks the two sessions in a row
    sessions = training_sessions([c for c in history if c.date > since], state.phase, protocol)
    if not sessions or sessions[-1].date != day:  # the dose moves on a session's day
        return Decision(state, Action.CONTINUE, ())
    good = [
        c
        for c in sessions[-2:]
        if colour_of(c, s) is Colour.GREEN
        and session_complete(c, _dose_gate(state, protocol), state, protocol)
    ]
    if len(sessions) >= 2 and len(good) == 2:
        raised = replace(state, dose_level=state.dose_level + 1, dose_changed=day)
        return Decision(
            raised,
            Action.CONTINUE,
            (
                Reason.of(
                    "dose-progress-after-two-green", said("dose_step", step=raised.dose_level)
                ),
            ),
        )
    return Decision(state, Action.CONTINUE, ())


def _dose_gate(state: ProgrammeState, protocol: Protocol) -> GreenSessions:
    """The exercises whose full dose counts for dose progression: the gate's list where the
    phase has one, otherwise the phase's low-load exercises, done on every training day."""
    phase = protocol.phase(state.phase)
    gate = next((g for g in phase.gates if isinstance(g, GreenSessions)), None)
    if gate is not None:
        return gate
    every_day = tuple(e for e in phase.exercises if not protocol.exercises[e].loaded)
    return GreenSessions("dose", 2, every_day or phase.exercises[:1])


def replay(
    state: ProgrammeState,
    checkins: Sequence[Checkin],
    protocol: Protocol,
    through: date,
    outcomes: Outcomes = NO_OUTCOMES,
    overrides: Sequence[Override] = NO_OVERRIDES,
) -> tuple[ProgrammeState, list[Decision]]:
    """Fold every day after ``state.evaluated_through`` up to ``through``."""
    decisions: list[Decision] = []
    day = (
        (state.evaluated_through + timedelta(days=1))
        if state.evaluated_through
        else state.programme_started
    )
    ordered = sorted(checkins, key=lambda c: c.date)
    while day <= through:
        decision = step_day(state, ordered, protocol, day, outcomes, overrides)
        decisions.append(decision)
        state = decision.state
        day += timedelta(days=1)
    return state, decisions


# --- folding again: only the days whose inputs changed ---------------------------------------


@dataclass(frozen=True, slots=True)
class Fold:
    """A fold kept with what it read: ``begin`` (the state it started from), the check-ins (by
    date), the questionnaire reports, the overrides, and each day's decision from the day after
    ``begin`` on. ``refold`` steps again only the days from the first one whose inputs changed:
    a day's decision reads the state of the day before and the inputs dated up to that day
    (check-ins and reports on or before it, overrides that start on or before it), nothing
    later."""

    begin: ProgrammeState
    checkins: tuple[Checkin, ...]
    outcomes: Outcomes
    overrides: tuple[Override, ...]
    decisions: tuple[Decision, ...]

    @property
    def first_day(self) -> date:
        """The first day the fold steps."""
        return _first_day(self.begin)

    @property
    def state(self) -> ProgrammeState:
        """The state after the last day folded."""
        return self.decisions[-1].state if self.decisions else self.begin

    def state_through(self, day: date) -> ProgrammeState | None:
        """The state after ``day`` (``begin`` for a day before the first), or None when the
        fold has not reached ``day``."""
        index = (day - self.first_day).days
        if index < 0:
            return self.begin
        return self.decisions[index].state if index < len(self.decisions) else None

    def between(self, first: date, last: date) -> list[Decision]:
        """The decisions of the days from ``first`` through ``last``."""
        start = max(0, (first - self.first_day).days)
        return list(self.decisions[start : max(start, (last - self.first_day).days + 1)])


def refold(
    kept: Fold | None,
    begin: ProgrammeState,
    checkins: Sequence[Checkin],
    protocol: Protocol,
    through: date,
    outcomes: Outcomes = NO_OUTCOMES,
    overrides: Sequence[Override] = NO_OVERRIDES,
) -> Fold:
    """``replay`` from ``begin`` through ``through``, keeping the days of ``kept`` (a fold of
    the same ``protocol`` from the same ``begin``) before the first day whose inputs changed:
    the same decisions as ``replay``, for any history."""
    ordered = tuple(sorted(checkins, key=lambda c: c.date))
    now = tuple(overrides)
    decisions: list[Decision] = []
    if kept is not None and kept.begin == begin:
        last = through
        changed = first_change(kept, ordered, outcomes, now)
        if changed is not None:
            last = min(last, changed - timedelta(days=1))
        decisions = kept.between(kept.first_day, last)
    state = decisions[-1].state if decisions else begin
    day = _first_day(begin) + timedelta(days=len(decisions))
    while day <= through:
        decision = step_day(state, ordered, protocol, day, outcomes, now)
        decisions.append(decision)
        state = decision.state
        day += timedelta(days=1)
    return Fold(begin, ordered, outcomes, now, tuple(decisions))


def first_change(
    kept: Fold, checkins: tuple[Checkin, ...], outcomes: Outcomes, overrides: tuple[Override, ...]
) -> date | None:
    """The first day whose inputs differ from those ``kept`` read (None: none does)."""
    days: list[date] = []
    if kept.checkins != checkins:
        before = {c.date: c for c in kept.checkins}
        after = {c.date: c for c in checkins}
        days.extend(d for d in before.keys() | after.keys() if before.get(d) != after.get(d))
    if kept.outcomes != outcomes:
        was = kept.outcomes
        days += _moved(was.kujala, outcomes.kujala)
        days += _moved(was.weekly_pain, outcomes.weekly_pain)
        days += _moved(was.fear_of_movement, outcomes.fear_of_movement)
    if kept.overrides != overrides:
        moved = set(kept.overrides) ^ set(overrides) or {*overrides, *kept.overrides}
        days.extend(o.day for o in moved)  # an override acts from its day on
    return min(days, default=None)


def _moved(
    before: Sequence[KujalaScore | WeeklyPain | FearScreen],
    after: Sequence[KujalaScore | WeeklyPain | FearScreen],
) -> list[date]:
    """The days of the reports in one list and not the other."""
    return [r.date for r in set(before) ^ set(after)]


def _first_day(state: ProgrammeState) -> date:
    done = state.evaluated_through
    return done + timedelta(days=1) if done is not None else state.programme_started
