"""The report's case, for a physiotherapist's minute: who the runner is, where they stand and
why, how pain, the Kujala score, training and running went, flares and warning signs, each in
a line of words; the exercises with their doses and pain; and, from ``decision_spans``, the
decisions folded into rows and the rules they cite.

Pure: read from a ``Progress`` (``figures``), every sentence in the content's words
(``progress.report.*``), every threshold from the settings the engine uses.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from runrehab.content import locale
from runrehab.content.words import Words
from runrehab.services.progress.decision_spans import (
    DecisionSpan,
    SourceRow,
    cited_rules,
    decision_spans,
    quiet_days,
)
from runrehab.services.progress.figures import (
    STATUS_RULES,
    DecisionRow,
    ExerciseRow,
    Progress,
    WeekRow,
    action_words,
    flare_days,
    monday_of,
    pain_trend,
    referral_days,
    warning_days,
    without_open_day,
)
from runrehab.services.progress.sessions import SessionWords


@dataclass(frozen=True, slots=True)
class CaseLine:
    key: str
    """Which fact: who, running, status, phase, pain, kujala, adherence, load, flares,
    screens, worry."""
    label: str
    text: str
    alert: bool = False
    """A fact to see first: a hold, a flare, a warning sign."""


@dataclass(frozen=True, slots=True)
class ExerciseLine:
    """An exercise with its latest logged dose and pain, and its next prescribed dose."""

    name: str
    logged: str
    days: int
    last_day: date | None
    pain: str
    worst: str
    next: str


@dataclass(frozen=True, slots=True)
class ReportCase:
    lines: tuple[CaseLine, ...]
    exercises: tuple[ExerciseLine, ...]
    decisions: tuple[DecisionSpan, ...]
    quiet_days: int
    """Reported days on which the programme carried on with no rule firing."""
    flares: tuple[date, ...]
    referrals: tuple[date, ...]
    sources: tuple[SourceRow, ...]
    open_day: date | None
    """The report's own day, left out of the counts for want of a check-in yet."""


def report_case(
    progress: Progress, week_start: date, sessions: Sequence[dict[str, Any]] = ()
) -> ReportCase:
    """The case through ``progress.through``, featuring the week of ``week_start`` and the
    next prescribed doses of ``sessions`` (``coming_sessions``)."""
    open_day = _open_day(progress)
    progress = without_open_day(progress)
    spans = decision_spans(progress)
    return ReportCase(
        _lines(progress, monday_of(week_start), open_day),
        _exercise_lines(progress.words, progress.exercises, sessions),
        spans,
        quiet_days(progress),
        flare_days(progress),
        referral_days(progress),
        cited_rules(progress, spans),
        open_day,
    )


def _open_day(progress: Progress) -> date | None:
    """The report's day when it is still open: in the programme, with no check-in yet (left
    out of ``progress.days`` by ``without_open_day``, here or before)."""
    trimmed = without_open_day(progress)
    p = trimmed.programme
    through = trimmed.through
    last = trimmed.days[-1].day if trimmed.days else p.started_on - timedelta(days=1)
    running = p.started_on <= through and (p.ended_on is None or p.ended_on >= through)
    return through if running and last < through else None


# --- the lines ----------------------------------------------------------------------------------


def _lines(progress: Progress, week: date, open_day: date | None) -> tuple[CaseLine, ...]:
    words = progress.words
    lines = [
        _line(words, "who", _who(progress)),
        _line(words, "running", _running(progress)),
        _line(words, "status", _status(progress), progress.programme.status != "active"),
        _line(words, "phase", _phase(progress)),
        _line(words, "pain", _pain(progress)),
        _line(words, "kujala", _kujala(progress)),
        _line(words, "adherence", _adherence(progress, week, open_day)),
        _line(words, "load", _load(progress, week)),
        _flares(progress),
        _screens(progress),
    ]
    if progress.fear_screens:
        lines.append(_line(words, "worry", _worry(progress), progress.fear_screens[-1].high))
    return tuple(lines)


def _line(words: Words, key: str, text: str, alert: bool = False) -> CaseLine:
    return CaseLine(key, words.say(f"progress.report.label.{key}"), text, alert)


def _say(words: Words, key: str, **values: object) -> str:
    return words.say(f"progress.report.case.{key}", **values)


def day_words(day: date) -> str:
    """A day as the report writes it: 02 Mar 2026."""
    return locale.day_text(day, True)


def short_day(day: date) -> str:
    return locale.short_day_text(day)


def _num(value: float) -> str:
    return f"{value:g}"


def _who(progress: Progress) -> str:
    words = progress.words
    name = progress.person_name or words.say("progress.report.someone", id=progress.person_id[:8])
    facts = progress.intake
    if facts is None:
        return name
    weeks = facts.symptom_weeks + (progress.through - facts.recorded_on).days / 7
    return _say(
        words,
        "who",
        name=name,
        age=facts.age,
        side=facts.side,
        weeks=_num(facts.symptom_weeks),
        day=day_words(facts.recorded_on),
        now=_num(round(weeks)),
        through=day_words(progress.through),
    )


def _running(progress: Progress) -> str:
    words = progress.words
    facts = progress.intake
    if facts is None or facts.running is None:
        return _say(words, "running_none")
    missing = _say(words, "not_given")

    def km(value: float | None) -> str:
        return missing if value is None else _say(words, "km", km=_num(value))

    runs = facts.runs_per_week
    return _say(
        words,
        "running",
        km=km(facts.weekly_km),
        runs=missing if runs is None else words.say_count("progress.report.runs", runs),
        longest=km(facts.longest_run_km),
        now=words.say(f"progress.intake.{'yes' if facts.running else 'no'}"),
    )


def _status(progress: Progress) -> str:
    words = progress.words
    p = progress.programme
    hold = progress.hold
    if hold is not None:
        why = "; ".join(_reason_words(r) for r in hold["reasons"] if r["rule"] not in STATUS_RULES)
        text = _say(
            words,
            "status_held",
            status=words.say(f"progress.report.status.{hold['status']}"),
            since=day_words(date.fromisoformat(hold["since"])),
            why=why or _say(words, "no_rule"),
            rule=hold["rule"],
        )
    else:
        text = _status_active(progress)
    if p.ended_on is not None:
        text += " " + _say(words, "status_ended", day=day_words(p.ended_on))
    return text


def _status_active(progress: Progress) -> str:
    words = progress.words
    latest = progress.decisions[-1] if progress.decisions else None
    if latest is None:
        day, decision, why = progress.programme.started_on, "", _say(words, "no_rule")
    else:
        day, decision = latest.day, action_words(words, latest.action)
        why = "; ".join(r["title"] for r in latest.reasons) or _say(words, "no_rule")
    return _say(
        words,
        "status_active",
        start=day_words(progress.programme.started_on),
        day=day_words(day),
        decision=decision or action_words(words, "continue"),
        why=why,
    )


def _reason_words(reason: dict[str, Any]) -> str:
    detail = reason.get("detail") or ""
    return f"{reason['title']}: {detail}" if detail else str(reason["title"])


def _phase(progress: Progress) -> str:
    p = progress.programme
    words = progress.words
    spans = [s for s in progress.phases if s.phase == p.phase]
    since = spans[-1].start if spans else p.started_on
    rung = _say(words, "rung", rung=p.rung) if p.phase == 4 and p.rung else ""
    return _say(
        words,
        "phase",
        phase=p.phase,
        name=p.phase_name,
        rung=rung,
        since=day_words(since),
        goal=p.phase_goal,
    )


def _pain(progress: Progress) -> str:
    words = progress.words
    intake = "—" if progress.intake is None else progress.intake.pain_worst
    weeks = [w for w in progress.weeks if w.mean_worst_pain is not None]
    reported = [d for d in progress.days if d.pain_worst is not None]
    if not weeks or not reported:
        return _say(words, "pain_none", intake=intake)
    top = max(reported, key=lambda d: (d.pain_worst or 0, d.day))
    first, last = weeks[0], weeks[-1]
    values: dict[str, object] = {
        "last": _num(last.mean_worst_pain or 0),
        "last_week": short_day(last.week_start),
        "max": top.pain_worst,
        "max_day": short_day(top.day),
        "intake": intake,
    }
    if first is last:
        return _say(words, "pain_one_week", **values)
    change = (last.mean_worst_pain or 0) - (first.mean_worst_pain or 0)
    return _say(
        words,
        "pain",
        first=_num(first.mean_worst_pain or 0),
        first_week=short_day(first.week_start),
        trend=pain_trend(words, change),
        **values,
    )


def _kujala(progress: Progress) -> str:
    words = progress.words
    rows, mic = progress.kujala, progress.kujala_mic
    if not rows:
        return _say(words, "kujala_none", mic=mic)
    first, last = rows[0], rows[-1]
    if first is last:
        return _say(words, "kujala_one", score=_num(first.score), day=short_day(first.day), mic=mic)
    change = last.score - first.score
    verdict = "kujala_reached" if change >= mic else "kujala_not_reached"
    return _say(
        words,
        "kujala",
        first=_num(first.score),
        first_day=short_day(first.day),
        last=_num(last.score),
        last_day=short_day(last.day),
        change=f"{change:+g}",
        mic=mic,
        verdict=_say(words, verdict),
    )


def _adherence(progress: Progress, week: date, open_day: date | None) -> str:
    words = progress.words
    days = progress.days
    trained = sum(1 for d in days if d.trained)
    text = _say(
        words,
        "adherence",
        trained=trained,
        days=len(days),
        percent=round(100 * trained / len(days)) if days else 0,
        checked=sum(1 for d in days if d.checked_in),
    )
    featured = _week(progress.weeks, week)
    if featured is not None:
        trained_days, week_days = featured.days_trained, featured.days_in_programme
        text += " " + _say(
            words, "adherence_week", week=short_day(week), trained=trained_days, days=week_days
        )
    missed = [d.day for d in days if not d.checked_in]
    if missed:
        count = words.say_count("progress.report.days", len(missed))
        text += " " + _say(words, "missed", count=count, dates=", ".join(map(short_day, missed)))
    elif days:
        text += " " + _say(words, "missed_none")
    if open_day is not None:
        text += " " + _say(words, "open_day", day=day_words(open_day))
    return text


def _week(weeks: Iterable[WeekRow], start: date) -> WeekRow | None:
    return next((w for w in weeks if w.week_start == start), None)


def _load(progress: Progress, week: date) -> str:
    words = progress.words
    weeks = progress.weeks
    runs = sum(w.runs for w in weeks)
    if not runs:
        return _say(words, "load_none", phase=progress.programme.phase)
    kms = [w.run_km for w in weeks if w.runs and w.run_km is not None]
    km = _say(words, "km", km=_num(sum(kms))) if kms else _say(words, "load_km_none")
    text = _say(
        words,
        "load",
        runs=words.say_count("progress.report.runs", runs),
        minutes=_num(sum(w.run_minutes for w in weeks)),
        km=km,
    )
    featured = _week(weeks, week)
    if featured is not None:
        text += " " + _say(
            words,
            "load_week",
            week=short_day(week),
            runs=words.say_count("progress.report.runs", featured.runs),
            minutes=_num(featured.run_minutes),
        )
    return text


def _flares(progress: Progress) -> CaseLine:
    words = progress.words
    flares = set(flare_days(progress))
    red = [d for d in progress.days if d.day in flares]
    if not red:
        return _line(words, "flares", _say(words, "flares_none"))
    days = ", ".join(
        _say(words, "flare", day=short_day(d.day), worst=d.pain_worst or 0) for d in red
    )
    count = words.say_count("progress.report.flare_count", len(red))
    return _line(words, "flares", _say(words, "flares", count=count, days=days), True)


def _screens(progress: Progress) -> CaseLine:
    words = progress.words
    triage = progress.triage
    found = warning_days(progress)
    seen = (
        _say(words, "screens_found", days="; ".join(_screen(words, d) for d in found))
        if found
        else _say(words, "screens_none")
    )
    checkins = sum(1 for d in progress.days if d.checked_in)
    disposition = "self_manage" if triage is None else triage.disposition
    text = _say(
        words,
        "screens",
        day=day_words(progress.programme.started_on if triage is None else triage.recorded_on),
        disposition=words.say(f"progress.report.disposition.{disposition}"),
        checkins=words.say_count("progress.report.checkins", checkins),
        found=seen,
    )
    return _line(words, "screens", text, bool(found) or disposition != "self_manage")


def _screen(words: Words, d: DecisionRow) -> str:
    why = "; ".join(_reason_words(r) for r in d.reasons if r["rule"] in d.warnings)
    return _say(
        words,
        "screen",
        day=short_day(d.day),
        why=why or _say(words, "no_rule"),
        action=action_words(words, d.action),
    )


def _worry(progress: Progress) -> str:
    words = progress.words
    screens = progress.fear_screens
    scores = ", ".join(
        _say(words, "worry_score", score=f.score, day=short_day(f.day)) for f in screens
    )
    return _say(
        words, "worry", scores=scores, high_from=progress.fear_high_from, top=screens[-1].of
    )


# --- exercises ----------------------------------------------------------------------------------


def _exercise_lines(
    words: Words, rows: Sequence[ExerciseRow], sessions: Sequence[dict[str, Any]]
) -> tuple[ExerciseLine, ...]:
    """The exercises of the next session first, in its order, then the others logged."""
    coming = list(sessions[0]["exercises"]) if sessions else []
    by_id = {r.id: r for r in rows}
    lines = [_exercise_line(words, by_id.get(p["id"]), p) for p in coming]
    next_ids = {p["id"] for p in coming}
    lines += [_exercise_line(words, r, None) for r in rows if r.id not in next_ids]
    return tuple(lines)


def _exercise_line(
    words: Words, row: ExerciseRow | None, prescribed: dict[str, Any] | None
) -> ExerciseLine:
    doses = SessionWords(words)
    none = words.say("progress.report.dose.none")
    following = none if prescribed is None else doses.dose(prescribed)
    if row is None:
        name = str((prescribed or {}).get("name", ""))
        return ExerciseLine(name, none, 0, None, none, none, following)
    logged = {"sets": row.sets, "reps": row.reps, "hold_seconds": row.hold_seconds}
    worst = _pain_words(words, row.max_pain)
    if row.max_pain_day is not None and row.max_pain:
        worst += f" ({short_day(row.max_pain_day)})"
    return ExerciseLine(
        row.name,
        doses.dose({k: v for k, v in logged.items() if v is not None}),
        row.days,
        row.last_day,
        _pain_words(words, row.last_pain),
        worst,
        following,
    )


def _pain_words(words: Words, pain: int | None) -> str:
    if pain is None:
        return words.say("progress.report.dose.none")
    return words.say("progress.report.dose.pain", pain=pain)
