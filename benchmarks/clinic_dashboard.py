"""The clinic dashboard: a clinic of 500 patients × 90 days, p50 and p95, SQLite and PostgreSQL.

Issue 15 asks how fast the caseload dashboard answers for a real clinic. This seeds one
clinic with ``--patients`` runners, each with ``--days`` days of history up to today, then
times the dashboard ``--repeat`` times after ``--warmup`` calls, twice: the use case alone
(``services.clinic.caseload.caseload``, as the page calls it) and the whole API route
(``GET /api/v1/clinic/patients`` through FastAPI's TestClient with a clinician's Bearer token:
authentication, the use case, JSON). It prints p50, p95 and max in ms, the seeding time, and
the SQL statements one dashboard call issues, for this clinic and for a second, smaller clinic
of ``--compare-with`` patients on the same server: the count must not grow with the patients.

Seeding, as fast as it can be while every row is one the product wrote or could have written:

1. a few template runners, one per story (steady, flare, quiet, pain rising, an unreported
   watch run, a questionnaire due, referred at intake, stopped by a red flag), are written
   through the product's own use cases: ``start_programme`` from the typical assessment, then
   on most days the check-in ``today`` asks for, filled in (``record_checkin``: validated
   against the check-in contract, folded into the programme, decisions stored), weekly pain
   and Kujala answers (``record_response``), and watch runs through the repository;
2. each patient is a copy of one template's rows (assessment, programme, decisions,
   check-ins with their exercises, run and cross-training, questionnaire answers, watch
   runs) under new ids, bulk-inserted with SQLAlchemy Core, joined to the clinic, with a
   name and a message thread of their own (some with unread messages). A few copies are
   then read back as the product reads a patient (the patient page, ``today``).

PostgreSQL gets a fresh database of its own on ``--postgres-server``, dropped afterwards; the
run says so and goes on when no server answers there.

    uv run --frozen python benchmarks/clinic_dashboard.py [--patients 500] [--days 90]
        [--repeat 30] [--warmup 3] [--compare-with 50] [--database sqlite|postgres|both]
        [--postgres-server postgresql://postgres@127.0.0.1:5432] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import itertools
import pstats
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import Connection, Engine, Table, event, insert, select  # noqa: E402
from tests.conftest import typical_doc  # noqa: E402
from tests.fakes import FixedClock  # noqa: E402
from tests.simulation import filled_in  # noqa: E402

from runrehab.adapters.db.tables import (  # noqa: E402
    accounts,
    activities,
    assessments,
    checkins,
    clinic_members,
    clinic_messages,
    cross_training,
    decisions,
    exercise_logs,
    people,
    programmes,
    questionnaire_responses,
    runs,
)
from runrehab.adapters.documents import read_assessment, read_checkin  # noqa: E402
from runrehab.adapters.passwords import fast_passwords  # noqa: E402
from runrehab.engine.activity import Sport, SportSource  # noqa: E402
from runrehab.engine.metrics import Metrics  # noqa: E402
from runrehab.services.accounts.account import AccountTools  # noqa: E402
from runrehab.services.clinic.access import Clinician, signed_clinician  # noqa: E402
from runrehab.services.clinic.caseload import ORDER, caseload  # noqa: E402
from runrehab.services.clinic.membership import create_clinic  # noqa: E402
from runrehab.services.clinic.patient import patient_page  # noqa: E402
from runrehab.services.journal.programme import record_checkin, start_programme  # noqa: E402
from runrehab.services.journal.questionnaires import record_response  # noqa: E402
from runrehab.services.journal.today import today_view  # noqa: E402
from runrehab.services.records import StoredActivity  # noqa: E402
from runrehab.web.app import create_app  # noqa: E402
from runrehab.web.config import WebConfig  # noqa: E402
from runrehab.web.deps import AppParts  # noqa: E402

TODAY = date(2026, 12, 1)
PASSWORD = "benchmark knee 2026"
ROUTE = "/api/v1/clinic/patients"

FIRST = (  # noqa: SIM905
    "Amira Ben Carla Dev Elif Femi Grace Hugo Ines Jonas Kaia Luca Mei Nils Olu Priya Quinn "
    "Rosa Sami Tara Umar Vera Wen Xavi Yara Zoe"
).split()
LAST = (  # noqa: SIM905
    "Okafor Lindqvist Moreau Nakamura Patel Fischer Rossi Kowalski Haddad Murphy Silva Novak "
    "Jensen Costa Ivanova Walsh Tanaka Dubois Mensah Schmidt"
).split()


# --- the stories a template runner lives ----------------------------------------------------


@dataclass(frozen=True)
class Story:
    """What a template runner does over the days; each patient is a copy of one."""

    name: str
    assessment: dict[str, Any] = field(default_factory=dict)
    skip: float = 0.1
    """The share of days without a check-in."""
    quiet_days: int = 0
    """No check-in for the last this many days."""
    flare_days_ago: int | None = None
    red_flag_days_ago: int | None = None
    """A check-in with a locked knee (a warning sign) this many days ago: stopped since."""
    rising: bool = False
    """The weekly worst pain climbs over the last three weeks."""
    weekly_gap: bool = False
    """The last weekly pain answer is 10 days old."""
    unreported_run: bool = False
    """A watch run yesterday with no check-in saying how it went."""
    seed: int = 0


STORIES = (
    Story("steady", seed=1),
    Story("flare", flare_days_ago=2, seed=2),
    Story("steady-b", skip=0.2, seed=3),
    Story("quiet", quiet_days=6, seed=4),
    Story("steady-c", skip=0.05, seed=5),
    Story("pain-rising", rising=True, seed=6),
    Story("unreported-run", unreported_run=True, seed=7),
    Story("questionnaire-due", weekly_gap=True, seed=8),
    Story("referred", assessment={"signs.catching": True}, seed=9),
    Story("stopped", red_flag_days_ago=12, seed=10),
)
MIX = (0, 1, 2, 3, 4, 5, 0, 6, 2, 7, 4, 8, 0, 2, 4, 1, 0, 3, 9, 6)
"""Patient i lives ``STORIES[MIX[i % len(MIX)]]``: about half steady, a tenth each flaring or
quiet, and a few of each of the others (the first ten patients meet every story)."""


def template_of(index: int, lived: int) -> int:
    """The story (index into ``STORIES``) patient ``index`` lives, of the first ``lived``."""
    if lived < len(STORIES):
        return index % lived
    return index if index < len(STORIES) else MIX[index % len(MIX)]


def checkin_doc(story: Story, rng: random.Random, plan: dict[str, Any], day: date) -> Any:
    """The day's check-in as the product asks for it (``today``'s ``checkin_template``: the
    session as planned, readiness checks included), filled in with this runner's day."""
    ago = (TODAY - day).days
    pain = rng.choice((0, 0, 1, 1, 1, 2))
    template = plan.get("checkin_template")
    doc: dict[str, Any]
    if template is None:  # a stopped programme plans no session
        doc = {"date": day.isoformat(), "pain": {"now": pain, "at_rest": 0, "worst_24h": pain}}
    else:
        doc = filled_in(template, pain)
    doc["pain"]["worst_24h"] = min(3, pain + rng.choice((0, 0, 1)))
    doc["this_morning_vs_usual"] = rng.choice(("better", "same", "same", "same"))
    if ago == story.flare_days_ago:
        doc["pain"] = {"now": 4, "at_rest": 1, "worst_24h": 7}
        doc["this_morning_vs_usual"] = "worse"
        for e in doc.get("exercises", ()):
            e["max_pain"] = 4
    if ago == story.red_flag_days_ago:
        doc["signs"] = {**doc.get("signs", {}), "locked": True}
    if rng.random() < 0.1:  # not every exercise every day
        doc["exercises"] = doc.get("exercises", [])[:-1]
    return doc


KUJALA_LATER = {  # 84 of 100
    "limp": "no",
    "support": "yes_without_pain",
    "walking": "as_far_as_i_like",
    "stairs": "slight_pain_going_down",
    "squatting": "hurts_when_repeated",
    "running": "pain_after_2_km",
    "jumping": "slightly_hard",
    "sitting": "hurts_after_exercise",
    "pain": "slight_now_and_then",
    "swelling": "after_hard_effort",
    "kneecap_movements": "no",
    "thigh_wasting": "no",
    "bending": "slightly_less",
}
KUJALA_FIRST = {  # 62 of 100
    **KUJALA_LATER,
    "limp": "slight_or_at_times",
    "walking": "over_2_km",
    "stairs": "pain_down_and_up",
    "squatting": "hurts_every_time",
    "running": "severe_pain",
    "jumping": "hurts_every_time",
    "sitting": "always_hurts",
    "thigh_wasting": "slightly",
}
KUJALA_LAST = {**KUJALA_LATER, "squatting": "no_trouble", "running": "no_trouble"}  # 91


def kujala(offset: int) -> dict[str, Any]:
    """The Kujala answers of a knee that gets better over the weeks."""
    return KUJALA_FIRST if offset < 21 else KUJALA_LATER if offset < 56 else KUJALA_LAST


def watch_run(person_id: str, day: date, minutes: int, clock: FixedClock) -> StoredActivity:
    """A run as the watch import measures it (the figures a FIT file of it would give)."""
    distance = round(minutes / 6.4, 2)
    metrics = Metrics(
        elapsed_s=minutes * 60 + 45.0,
        moving_s=minutes * 60.0,
        distance_km=distance,
        pace_min_per_km=round(minutes / distance, 2),
        elevation_gain_m=22.0,
        elevation_loss_m=21.0,
        downhill_km=0.3,
        cadence_spm=166.0,
        cadence=None,
        avg_hr=141.0,
        max_hr=163.0,
        speed_work=None,
        walk_run=None,
    )
    start = datetime.combine(day, clock_time(7, 10), UTC)
    aid = uuid.uuid4().hex
    return StoredActivity(
        id=aid,
        person_id=person_id,
        content_hash=uuid.uuid4().hex + uuid.uuid4().hex,
        leg=0,
        file_name=f"{aid[:10]}.fit",
        file_format="fit",
        sport=Sport.RUNNING,
        sport_source=SportSource.FILE,
        start=start,
        utc_offset_minutes=0,
        local_date=day,
        metrics=metrics,
        imported_at=clock.now(),
        sub_sport="generic",
        device="garmin forerunner 255",
    )


def live_template(parts: AppParts, clock: FixedClock, story: Story, days: int) -> str:
    """One template runner's ``days`` of history up to today, through the use cases: each
    day the runner reads ``today`` and checks in with what it asked for (or skips the day)."""
    rng = random.Random(story.seed)
    content = parts.content
    person_id = f"template-{story.name}"
    start = TODAY - timedelta(days=days - 1)
    document = typical_doc(**story.assessment)
    clock.current = datetime.combine(start, clock_time(7, 30), UTC)
    start_programme(
        parts.writer(), clock, content, document, read_assessment(document), start, person_id
    )
    stopped = story.red_flag_days_ago
    last_weekly = days - 11 if story.weekly_gap else days
    for offset in range(days):
        day = start + timedelta(days=offset)
        ago = (TODAY - day).days
        clock.current = datetime.combine(day, clock_time(20, rng.randrange(60)), UTC)
        silent = ago < story.quiet_days or (stopped is not None and ago < stopped)
        if silent:
            if stopped is None and rng.random() < 0.3:  # still running, not checking in
                add_activity(parts, watch_run(person_id, day, 25, clock))
            continue
        forced = offset == 0 or ago in (stopped, story.flare_days_ago)
        if forced or rng.random() >= story.skip:
            plan = today_view(parts.reader(), content, day, person_id)
            doc = checkin_doc(story, rng, plan, day)
            if "run" in doc and rng.random() < 0.7:  # most runs came off a watch too
                run = watch_run(person_id, day, round(doc["run"]["minutes"]), clock)
                add_activity(parts, run)
                doc["run"]["activity_id"] = run.id
            record_checkin(parts.writer(), clock, content, doc, read_checkin(doc), person_id)
        if offset % 7 == 6 and offset <= last_weekly:
            worst = max(1, 5 - offset // 14)
            if story.rising and ago < 21:
                worst = 2 + (21 - ago) // 7
            answers = {"usual": max(0, worst - 2), "worst": worst}
            record_response(parts.writer(), clock, content, "weekly_pain", day, answers, person_id)
        if offset % 14 == 0:
            record_response(
                parts.writer(), clock, content, "kujala", day, kujala(offset), person_id
            )
    if story.unreported_run:
        yesterday = TODAY - timedelta(days=1)
        clock.current = datetime.combine(TODAY, clock_time(6, 0), UTC)
        add_activity(parts, watch_run(person_id, yesterday, 30, clock))
    return person_id


def add_activity(parts: AppParts, activity: StoredActivity) -> None:
    with parts.writer() as uow:
        uow.repo.add_activity(activity)
        uow.commit()


# --- copying a template into a clinic -----------------------------------------------------


@dataclass
class Template:
    """A template runner's rows, table by table, as read back from the journal."""

    person_id: str
    rows: dict[str, list[dict[str, Any]]]


PERSONAL = (assessments, programmes, checkins, questionnaire_responses, activities)
BY_CHECKIN = (exercise_logs, runs, cross_training)


def read_template(conn: Connection, person_id: str) -> Template:
    def rows(table: Table, where: Any) -> list[dict[str, Any]]:
        query = select(table).where(where).order_by(*table.primary_key.columns)
        return [dict(r._mapping) for r in conn.execute(query)]

    found = {t.name: rows(t, t.c.person_id == person_id) for t in PERSONAL}
    programme_ids = [r["id"] for r in found["programmes"]]
    found["decisions"] = rows(decisions, decisions.c.programme_id.in_(programme_ids))
    checkin_ids = [r["id"] for r in found["checkins"]]
    for table in BY_CHECKIN:
        found[table.name] = rows(table, table.c.checkin_id.in_(checkin_ids))
    return Template(person_id, found)


@dataclass
class Batch:
    """The rows of many copied patients, inserted table by table."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, table: Table, row: dict[str, Any]) -> None:
        self.rows.setdefault(table.name, []).append(row)


ORDERED = (
    people,
    clinic_members,
    assessments,
    programmes,
    decisions,
    checkins,
    exercise_logs,
    runs,
    cross_training,
    questionnaire_responses,
    activities,
    clinic_messages,
)


def copy_patient(
    batch: Batch,
    template: Template,
    clinic: ClinicIds,
    name: str,
    next_checkin_id: Iterator[int],
    rng: random.Random,
) -> None:
    """``template``'s rows under a new person (a uuid, as the product names people)."""
    pid = uuid.uuid4().hex
    joined = datetime.combine(TODAY - timedelta(days=120), clock_time(9), UTC)
    t = template.rows
    batch.add(people, {"id": pid, "name": name, "created_at": joined})
    batch.add(clinic_members, {"person_id": pid, "clinic_id": clinic.id, "joined_at": joined})
    programme_ids = {r["id"]: uuid.uuid4().hex for r in t["programmes"]}
    activity_ids = {r["id"]: uuid.uuid4().hex for r in t["activities"]}
    checkin_ids: dict[int, int] = {}
    for r in t["assessments"]:
        batch.add(assessments, {**r, "person_id": pid})
    for r in t["programmes"]:
        batch.add(programmes, {**r, "id": programme_ids[r["id"]], "person_id": pid})
    for r in t["decisions"]:
        row = {k: v for k, v in r.items() if k != "id"}
        batch.add(decisions, {**row, "programme_id": programme_ids[r["programme_id"]]})
    for r in t["checkins"]:
        checkin_ids[r["id"]] = new_id = next(next_checkin_id)
        document = r["document"]
        for old, new in activity_ids.items():
            if old in document:
                document = document.replace(old, new)
        batch.add(checkins, {**r, "id": new_id, "person_id": pid, "document": document})
    for table in BY_CHECKIN:
        for r in t[table.name]:
            row = {**r, "checkin_id": checkin_ids[r["checkin_id"]]}
            if table is runs and r["activity_id"] is not None:
                row["activity_id"] = activity_ids[r["activity_id"]]
            batch.add(table, row)
    for r in t["questionnaire_responses"]:
        batch.add(questionnaire_responses, {**r, "person_id": pid})
    for r in t["activities"]:
        batch.add(activities, {**r, "id": activity_ids[r["id"]], "person_id": pid})
    if rng.random() < 0.4:  # a message thread; a third of them end with unread news
        sent = datetime.combine(TODAY - timedelta(days=rng.randrange(1, 60)), clock_time(9), UTC)
        for i in range(rng.randrange(1, 6)):
            runner = i % 2 == 0
            unread = runner and rng.random() < 0.35
            batch.add(
                clinic_messages,
                {
                    "id": uuid.uuid4().hex,
                    "person_id": pid,
                    "clinic_id": clinic.id,
                    "sender": "runner" if runner else "clinician",
                    "author_id": pid if runner else clinic.admin_account,
                    "author_name": name if runner else clinic.admin_name,
                    "text": "How far can I run this week?" if runner else "Keep to 20 minutes.",
                    "sent_at": sent,
                    "read_at": None if unread else sent + timedelta(hours=3),
                },
            )
            sent += timedelta(hours=rng.randrange(4, 30))


def copy_patients(
    engine: Engine, templates: Sequence[Template], clinic: ClinicIds, count: int, seed: int
) -> int:
    """``count`` patients into ``clinic``, patient i a copy of ``templates[i]``, in one
    transaction; the rows inserted."""
    rng = random.Random(seed)
    names = [f"{a} {b}" for a, b in itertools.product(FIRST, LAST)]
    rng.shuffle(names)
    with engine.begin() as conn:
        top = conn.execute(select(sa.func.max(checkins.c.id))).scalar() or 0
        next_id = itertools.count(top + 1)
        batch = Batch()
        for i in range(count):
            name = names[i % len(names)] + ("" if i < len(names) else f" {i // len(names) + 1}")
            copy_patient(batch, templates[i], clinic, name, next_id, rng)
        for table in ORDERED:
            if batch.rows.get(table.name):
                conn.execute(insert(table), batch.rows[table.name])
        if conn.dialect.name == "postgresql":  # ids were given: move the sequence past them
            conn.execute(
                sa.text(
                    "SELECT setval(pg_get_serial_sequence('checkins', 'id'), "
                    "(SELECT max(id) FROM checkins))"
                )
            )
    return sum(len(r) for r in batch.rows.values())


# --- the clinic, the clinician, the measurements ------------------------------------------


@dataclass(frozen=True)
class ClinicIds:
    id: str
    admin_email: str
    admin_account: str
    admin_name: str


def new_clinic(parts: AppParts, name: str, email: str) -> ClinicIds:
    tools = AccountTools(parts.clock, parts.passwords, parts.content.words)
    made = create_clinic(parts.writer(), tools, name, email, PASSWORD, "Ada Admin", "UTC")
    with parts.db.engine.connect() as conn:
        account = conn.execute(select(accounts.c.id).where(accounts.c.email == email)).scalar()
    assert account is not None
    return ClinicIds(made.clinic_id, email, account, "Ada Admin")


def clinician_of(parts: AppParts, clinic: ClinicIds) -> Clinician:
    with parts.db.engine.connect() as conn:
        person = conn.execute(
            select(accounts.c.person_id).where(accounts.c.id == clinic.admin_account)
        ).scalar()
    assert person is not None
    return signed_clinician(parts.reader(), clinic.admin_account, person, "127.0.0.1")


def bearer(client: TestClient, email: str) -> dict[str, str]:
    client.cookies.clear()
    answer = client.post("/api/v1/session", json={"email": email, "password": PASSWORD})
    assert answer.status_code in (200, 201), answer.text
    client.cookies.clear()
    return {"Authorization": f"Bearer {answer.json()['token']}"}


@contextmanager
def counting(engine: Engine) -> Iterator[list[str]]:
    """The SQL statements sent while inside, as sent."""
    sent: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", count)


@dataclass
class Timing:
    seconds: list[float]

    def ms(self, q: float) -> float:
        ordered = sorted(self.seconds)
        # nearest-rank percentile: p95 of 30 runs is the 29th fastest
        rank = max(1, min(len(ordered), round(q * len(ordered) + 0.5)))
        return 1000 * ordered[rank - 1]

    @property
    def p50(self) -> float:
        return 1000 * statistics.median(self.seconds)

    @property
    def p95(self) -> float:
        return self.ms(0.95)

    @property
    def max(self) -> float:
        return 1000 * max(self.seconds)

    def __str__(self) -> str:
        return f"p50 {self.p50:.1f} ms, p95 {self.p95:.1f} ms, max {self.max:.1f} ms"


def timed(call: Callable[[], object], warmup: int, repeat: int) -> Timing:
    for _ in range(warmup):
        call()
    seconds = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        call()
        seconds.append(time.perf_counter() - t0)
    return Timing(seconds)


@dataclass
class Result:
    database: str
    patients: int
    days: int
    seed_s: float
    templates: int
    template_s: float
    copy_s: float
    rows: int
    checkins: int
    use_case: Timing
    api: Timing
    statements: dict[int, int]
    """Statements of one use case call, by the clinic's patients."""
    api_statements: dict[int, int]
    attention: dict[str, int]
    profile: str = ""


def bench(url: str, name: str, args: argparse.Namespace) -> Result:
    clock = FixedClock(datetime.combine(TODAY, clock_time(7), UTC))
    config = WebConfig(
        database=url, clock=clock, passwords=fast_passwords(), default_timezone="UTC"
    )
    app = create_app(config)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        parts: AppParts = app.state.parts
        engine = parts.db.engine
        began = time.perf_counter()
        big = new_clinic(parts, "Riverside Knee Clinic", "admin@riverside.test")
        small = new_clinic(parts, "Hilltop Physio", "admin@hilltop.test")
        lived = STORIES[: max(1, min(len(STORIES), args.patients))]
        stories = [live_template(parts, clock, story, args.days) for story in lived]
        template_s = time.perf_counter() - began
        with engine.connect() as conn:
            made = [read_template(conn, p) for p in stories]
        copied = time.perf_counter()
        rows = 0
        for clinic, count, seed in ((big, args.patients, 1), (small, args.compare_with, 2)):
            chosen = [made[template_of(i, len(made))] for i in range(count)]
            rows += copy_patients(engine, chosen, clinic, count, seed)
        copy_s = time.perf_counter() - copied
        seed_s = time.perf_counter() - began
        with engine.connect() as conn:
            mine = select(clinic_members.c.person_id).where(clinic_members.c.clinic_id == big.id)
            total = select(sa.func.count()).where(checkins.c.person_id.in_(mine))
            stored_checkins = int(conn.execute(total).scalar() or 0)

        clock.current = datetime.combine(TODAY, clock_time(10), UTC)
        who = {big.id: clinician_of(parts, big), small.id: clinician_of(parts, small)}
        tokens = {
            big.id: bearer(client, big.admin_email),
            small.id: bearer(client, small.admin_email),
        }

        def use_case(clinic: ClinicIds) -> Any:
            return caseload(parts.writer(), clock, parts.content, who[clinic.id], TODAY)

        def api(clinic: ClinicIds) -> Any:
            client.cookies.clear()
            answer = client.get(ROUTE, headers=tokens[clinic.id])
            assert answer.status_code == 200, answer.text
            return answer.json()

        view = use_case(big)
        assert view.total == args.patients, (view.total, args.patients)
        for row in view.patients[:3]:  # the copies read back as the product reads a patient
            patient_page(parts.writer(), clock, parts.content, who[big.id], row.id, TODAY)
            today_view(parts.reader(), parts.content, TODAY, row.id)
        assert api(small)["total"] == args.compare_with
        statements, api_statements = {}, {}
        for clinic, count in ((big, args.patients), (small, args.compare_with)):
            with counting(engine) as sent:
                use_case(clinic)
            statements[count] = len(sent)
            with counting(engine) as sent:
                api(clinic)
            api_statements[count] = len(sent)

        use_case_timing = timed(lambda: use_case(big), args.warmup, args.repeat)
        api_timing = timed(lambda: api(big), args.warmup, args.repeat)
        profile = ""
        if args.profile:
            # the route runs in the TestClient's server thread, out of cProfile's sight
            profile = "the use case, cProfile:\n" + profiled(lambda: use_case(big), args.repeat)
    parts.db.dispose()
    return Result(
        name,
        args.patients,
        args.days,
        seed_s,
        len(stories),
        template_s,
        copy_s,
        rows,
        stored_checkins,
        use_case_timing,
        api_timing,
        statements,
        api_statements,
        {c.rule.removeprefix("attention-"): c.count for c in view.counts if c.rule in ORDER},
        profile,
    )


def profiled(call: Callable[[], object], repeat: int) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeat):
        call()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(30)
    out.write("\n")
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(20)
    return out.getvalue()


def report(r: Result, repeat: int, warmup: int) -> None:
    n = r.patients
    print(
        f"{r.database}: seeded {n} patients × {r.days} days in {r.seed_s:.1f} s "
        f"({r.templates} template runners through the use cases "
        f"{r.template_s:.1f} s, copies {r.copy_s:.1f} s: {r.rows:,} rows, "
        f"{r.checkins:,} check-ins in the clinic)"
    )
    print(f"{r.database}: attention: " + ", ".join(f"{k} {v}" for k, v in r.attention.items()))
    runs = f"{repeat} calls after {warmup} warm-ups"
    print(f"{r.database}: dashboard use case, {n} patients ({runs}): {r.use_case}")
    print(f"{r.database}: GET {ROUTE}, {n} patients ({runs}): {r.api}")
    said = ", ".join(f"{k} patients {v}" for k, v in r.statements.items())
    api_said = ", ".join(f"{k} patients {v}" for k, v in r.api_statements.items())
    print(f"{r.database}: SQL statements per dashboard call: {said} (API route: {api_said})")
    if r.profile:
        print(r.profile)


def main(argv: Sequence[str] | None = None) -> list[Result]:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--patients", type=int, default=500)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument(
        "--compare-with",
        type=int,
        default=50,
        help="patients of a second clinic, to compare the statements a call sends",
    )
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument(
        "--postgres-server",
        default="postgresql://postgres@127.0.0.1:5432",
        help="a server where a scratch database may be created and dropped",
    )
    parser.add_argument("--profile", action="store_true", help="cProfile the use case too")
    args = parser.parse_args(argv)
    results = []
    if args.database in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as folder:
            results.append(bench(str(Path(folder) / "clinic.db"), "SQLite", args))
            report(results[-1], args.repeat, args.warmup)
    if args.database in ("postgres", "both"):
        with scratch_postgres(args.postgres_server) as url:
            if url is None:
                print(f"PostgreSQL: skipped, no server answers at {args.postgres_server}")
            else:
                results.append(bench(url, "PostgreSQL", args))
                report(results[-1], args.repeat, args.warmup)
    return results


@contextmanager
def scratch_postgres(server: str) -> Iterator[str | None]:
    """A fresh database for the run, dropped afterwards; None when no server answers."""
    name = f"runrehab_dashboard_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(
        server.replace("postgresql://", "postgresql+psycopg://") + "/postgres",
        isolation_level="AUTOCOMMIT",
    )
    try:
        try:
            with admin.connect() as conn:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        except sa.exc.OperationalError:
            yield None
            return
        try:
            yield f"{server}/{name}"
        finally:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


if __name__ == "__main__":
    main()
