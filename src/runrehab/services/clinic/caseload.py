"""The caseload dashboard: every patient of the clinic, who needs attention first, each row
saying why in plain words with the rule id (``rules/clinic.toml``).

The order, most urgent first: a programme stopped for a warning sign; a flare or a step back
in the last week; the worst pain rising over two weeks; a referral waiting (a stall, or a
referral at intake or in a check-in); no check-in for ``clinic_quiet_days``; a watch run with
no pain report; a questionnaire due; then the rest, on track. The facts come from the store in
a few queries for the whole clinic (``ClinicStore.caseload``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from runrehab.content import locale
from runrehab.engine.protocol import Settings
from runrehab.services.clinic.access import Clinician, log_read
from runrehab.services.clinic.ports import CaseFacts, ClinicUnitOfWork
from runrehab.services.content import ProgrammeContent
from runrehab.services.ports import Clock

ORDER = (
    "attention-stopped",
    "attention-flare",
    "attention-pain-rising",
    "attention-referred",
    "attention-no-checkin",
    "attention-unreported-run",
    "attention-questionnaire-due",
    "attention-improving",
)
RECENT_DAYS = 14
FLARE_DAYS = 7


@dataclass(frozen=True, slots=True)
class Attention:
    rule: str
    text: str


@dataclass(frozen=True, slots=True)
class PatientRow:
    id: str
    name: str
    attention: tuple[Attention, ...]
    status: str
    phase: int | None
    last_checkin: str | None
    unread: int


@dataclass(frozen=True, slots=True)
class Count:
    rule: str
    title: str
    count: int


@dataclass(frozen=True, slots=True)
class Caseload:
    clinic: str
    today: str
    patients: tuple[PatientRow, ...]
    counts: tuple[Count, ...]
    total: int
    needs: str | None = None
    q: str = ""


def caseload(
    uow: ClinicUnitOfWork,
    clock: Clock,
    content: ProgrammeContent,
    who: Clinician,
    today: date,
    needs: str | None = None,
    q: str = "",
) -> Caseload:
    """The clinic's patients, most urgent first; ``needs`` keeps those with that rule,
    ``q`` those whose name holds it (any case)."""
    settings = content.settings[0]
    with uow:
        clinic = uow.clinic.get_clinic(who.clinic_id)
        facts = uow.clinic.caseload(who.clinic_id, today - timedelta(days=RECENT_DAYS))
    log_read(uow, who, None, "caseload", clock.now())
    rows = sorted(
        (_row(f, today, settings, content) for f in facts),
        key=lambda r: (ORDER.index(r.attention[0].rule), r.name.lower(), r.id),
    )
    counts = tuple(
        Count(rule, content.book.rules[rule].title, sum(1 for r in rows if _has(r, rule)))
        for rule in ORDER
    )
    shown = [r for r in rows if (needs is None or _has(r, needs)) and _named(r, q)]
    return Caseload(
        clinic.name if clinic else "",
        today.isoformat(),
        tuple(shown),
        counts,
        len(rows),
        needs,
        q,
    )


def _key(rule: str) -> str:
    return "clinic.attention." + rule.removeprefix("attention-").replace("-", "_")


def _has(row: PatientRow, rule: str) -> bool:
    return any(a.rule == rule for a in row.attention)


def _named(row: PatientRow, q: str) -> bool:
    return not q.strip() or q.strip().casefold() in row.name.casefold()


def _row(f: CaseFacts, today: date, s: Settings, content: ProgrammeContent) -> PatientRow:
    say = content.words.say
    found = [a for a in _attention(f, today, s) if a is not None]
    found = [
        (rule, {**v, "name": say(f"clinic.questionnaire.{v['name']}")} if "name" in v else v)
        for rule, v in found
    ]
    attention = [Attention(rule, say(_key(rule), **values)) for rule, values in found]
    if not attention:
        attention = [Attention("attention-improving", say(_key("attention-improving")))]
    return PatientRow(
        f.person_id,
        f.name or say("clinic.unnamed"),
        tuple(sorted(attention, key=lambda a: ORDER.index(a.rule))),
        f.status or "none",
        f.phase,
        f.last_checkin.isoformat() if f.last_checkin else None,
        f.unread,
    )


Found = tuple[str, dict[str, object]] | None


def _attention(f: CaseFacts, today: date, s: Settings) -> list[Found]:
    return [
        ("attention-stopped", {}) if f.status == "stopped" else None,
        _flare(f, today),
        _pain_rising(f, today),
        ("attention-referred", {}) if f.status == "referred" else None,
        _quiet(f, today, s),
        _unreported(f),
        _due(f, today, s),
    ]


def _flare(f: CaseFacts, today: date) -> Found:
    since = today - timedelta(days=FLARE_DAYS)
    days = [
        d
        for d, action, colour in f.recent_actions
        if d > since and (colour == "red" or action == "regress")
    ]
    return ("attention-flare", {"day": _day(max(days))}) if days else None


def _pain_rising(f: CaseFacts, today: date) -> Found:
    recent = [(d, w) for d, w in f.weekly_worst if d >= today - timedelta(days=RECENT_DAYS + 1)]
    if len(recent) < 2 or recent[-1][1] <= recent[0][1]:
        return None
    return ("attention-pain-rising", {"before": recent[0][1], "now": recent[-1][1]})


def _quiet(f: CaseFacts, today: date, s: Settings) -> Found:
    if f.status != "active" or f.started_on is None:
        return None
    last = f.last_checkin or f.started_on
    silent = (today - last).days
    if silent < s.clinic_quiet_days:
        return None
    return ("attention-no-checkin", {"days": silent})


def _unreported(f: CaseFacts) -> Found:
    missing = sorted(set(f.recent_runs) - set(f.reported_run_days))
    return ("attention-unreported-run", {"day": _day(missing[-1])}) if missing else None


def _due(f: CaseFacts, today: date, s: Settings) -> Found:
    if f.status != "active" or f.started_on is None:
        return None
    for name, every, days in (
        ("kujala", s.kujala_every_days, f.kujala_days),
        ("weekly_pain", s.weekly_pain_every_days, f.weekly_days),
    ):
        last = max(days) if days else None
        if (last is None and today > f.started_on) or (last and (today - last).days >= every):
            return ("attention-questionnaire-due", {"name": name})  # said by ``_row``
    return None


def _day(d: date) -> str:
    return f"{d.day} {locale.month_text(d)}"
