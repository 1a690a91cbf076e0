"""Importing measured watch files on the in-memory journal: what is kept, what is a duplicate
(the same file, or the same run in another format), what is refused, whose it is, and on which
day it lands."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from runrehab.engine.activity import Sport, SportSource
from runrehab.engine.metrics import Metrics
from runrehab.errors import JournalError
from runrehab.services.activities.watch_import import (
    ImportReport,
    MeasuredFile,
    MeasuredLeg,
    RefusedFile,
    import_activities,
    list_activities,
)
from runrehab.services.records import Person
from tests.fakes import FakeUnitOfWork, FixedClock

START = datetime(2026, 12, 1, 7, 0, tzinfo=UTC)
PARIS = ZoneInfo("Europe/Paris")


def metrics(elapsed_s: float = 1800.0, km: float | None = 5.0) -> Metrics:
    """A plain steady run: every figure a measured run has."""
    return Metrics(
        elapsed_s=elapsed_s,
        moving_s=elapsed_s - 30,
        distance_km=km,
        pace_min_per_km=None if not km else round((elapsed_s - 30) / 60 / km, 2),
        elevation_gain_m=12.0,
        elevation_loss_m=11.0,
        downhill_km=0.2,
        cadence_spm=166.0,
        cadence=None,
        avg_hr=141.0,
        max_hr=160.0,
        speed_work=None,
        walk_run=None,
    )


def leg(
    start: datetime = START,
    elapsed_s: float = 1800.0,
    *,
    sport: Sport = Sport.RUNNING,
    offset: int | None = None,
    km: float | None = 5.0,
) -> MeasuredLeg:
    return MeasuredLeg(
        sport=sport,
        sport_source=SportSource.FILE,
        start=start,
        metrics=metrics(elapsed_s, km),
        utc_offset_minutes=offset,
        device="garmin fr945",
    )


def measured(label: str, content_hash: str, *legs: MeasuredLeg, fmt: str = "fit") -> MeasuredFile:
    return MeasuredFile(label, content_hash, fmt, legs or (leg(),))


class Journal:
    """The use case on one in-memory journal."""

    def __init__(self) -> None:
        self.uow = FakeUnitOfWork()
        self.clock = FixedClock()

    def add(
        self,
        *items: MeasuredFile | RefusedFile,
        zone: ZoneInfo = PARIS,
        person: str | None = None,
    ) -> ImportReport:
        return import_activities(self.uow, self.clock, items, zone, person)

    def stored(self, person: str | None = None) -> list[str]:
        found = list_activities(self.uow, person)
        return [a.file_name for a in found]


@pytest.fixture
def journal() -> Journal:
    return Journal()


def test_a_measured_file_is_kept_with_its_figures(journal: Journal) -> None:
    report = journal.add(measured("morning.fit", "h1", leg(offset=60)))
    assert [label for label, _ in report.imported] == ["morning.fit"]
    assert report.duplicates == () and report.rejected == ()
    (_, kept) = report.imported[0]
    found = list_activities(journal.uow)
    assert found == [kept]
    assert (kept.file_name, kept.file_format, kept.content_hash, kept.leg) == (
        "morning.fit",
        "fit",
        "h1",
        0,
    )
    assert kept.sport is Sport.RUNNING and kept.device == "garmin fr945"
    assert kept.start == START and kept.utc_offset_minutes == 60
    assert kept.metrics == metrics()
    assert kept.imported_at == journal.clock.now()
    assert kept.person_id == report.person.id


def test_the_same_file_again_is_a_duplicate_of_the_first(journal: Journal) -> None:
    first = journal.add(measured("run.fit", "same-bytes"))
    (_, kept) = first.imported[0]
    journal.clock.advance(days=3)
    again = journal.add(measured("copy-of-run.fit", "same-bytes"))
    assert again.imported == ()
    assert [(d.file, d.same_as) for d in again.duplicates] == [("copy-of-run.fit", kept.id)]
    assert "same file" in again.duplicates[0].why
    assert journal.stored() == ["run.fit"]


def test_the_same_file_twice_in_one_import_is_kept_once(journal: Journal) -> None:
    report = journal.add(measured("a/run.fit", "h"), measured("b/run.fit", "h"))
    (_, kept) = report.imported[0]
    assert [(d.file, d.same_as) for d in report.duplicates] == [("b/run.fit", kept.id)]
    assert journal.stored() == ["a/run.fit"]


@pytest.mark.parametrize("shift_s", [0, 3, 59, 60, -60])
def test_the_same_run_in_another_file_is_a_duplicate(journal: Journal, shift_s: int) -> None:
    """A GPX exported from the FIT starts on the same second; other devices a little late."""
    first = journal.add(measured("run.fit", "fit-bytes", leg(START, 1800, offset=60)))
    (_, kept) = first.imported[0]
    other = leg(START + timedelta(seconds=shift_s), 1800 + 20)
    report = journal.add(measured("run.gpx", "gpx-bytes", other, fmt="gpx"))
    assert report.imported == ()
    assert [(d.file, d.same_as) for d in report.duplicates] == [("run.gpx", kept.id)]
    assert "same start time and duration" in report.duplicates[0].why
    assert journal.stored() == ["run.fit"]


@pytest.mark.parametrize(
    ("shift", "elapsed_s"),
    [
        (timedelta(hours=2), 1800),  # a second run later that day
        (timedelta(seconds=61), 1800),  # just past the minute
        (timedelta(0), 1800 + 61),  # starts together, but over a minute longer
        (timedelta(0), 1800 - 61),
    ],
    ids=["2h-later", "61s-later", "61s-longer", "61s-shorter"],
)
def test_a_run_at_another_time_or_of_another_length_is_kept(
    journal: Journal, shift: timedelta, elapsed_s: float
) -> None:
    journal.add(measured("first.fit", "h1"))
    report = journal.add(measured("second.fit", "h2", leg(START + shift, elapsed_s)))
    assert [label for label, _ in report.imported] == ["second.fit"]
    assert report.duplicates == ()
    assert journal.stored() == ["first.fit", "second.fit"]


def test_long_runs_match_within_three_percent_of_their_duration(journal: Journal) -> None:
    two_hours = 7200.0
    journal.add(measured("watch.fit", "h1", leg(START, two_hours)))
    within = journal.add(measured("phone.gpx", "h2", leg(START, two_hours * 1.029)))
    beyond = journal.add(measured("other.gpx", "h3", leg(START, two_hours * 1.035)))
    assert len(within.duplicates) == 1 and within.imported == ()
    assert beyond.duplicates == () and len(beyond.imported) == 1


def test_a_refused_file_is_reported_and_writes_nothing(journal: Journal) -> None:
    report = journal.add(
        measured("good.fit", "h1"),
        RefusedFile("broken.fit", "not a FIT file: it has no FIT header"),
    )
    assert [(r.label, r.reason) for r in report.rejected] == [
        ("broken.fit", "not a FIT file: it has no FIT header")
    ]
    assert [label for label, _ in report.imported] == ["good.fit"]
    assert journal.stored() == ["good.fit"]


def test_only_refused_files_store_nothing_but_the_person(journal: Journal) -> None:
    report = journal.add(RefusedFile("a.gpx", "the file is empty"))
    assert report.imported == () and len(report.rejected) == 1
    assert journal.uow.repo.t.activities == []
    assert journal.uow.repo.people() == [report.person]


def test_an_empty_journal_gets_its_person(journal: Journal) -> None:
    assert journal.uow.repo.people() == []
    report = journal.add(measured("run.fit", "h1"))
    assert journal.uow.repo.people() == [report.person]
    assert report.person.created_at == journal.clock.now()
    again = journal.add(measured("run2.fit", "h2", leg(START + timedelta(days=1))))
    assert again.person == report.person  # the same person, not a second one
    assert len(journal.uow.repo.people()) == 1


def test_a_journal_of_two_people_needs_the_person_named(journal: Journal) -> None:
    repo = journal.uow.repo
    for pid in ("ann", "bob"):
        repo.add_person(Person(pid, pid, journal.clock.now()))
    journal.uow.commit()
    with pytest.raises(JournalError, match="--person"):
        journal.add(measured("run.fit", "h1"))
    assert repo.t.activities == []
    report = journal.add(measured("run.fit", "h1"), person="bob")
    assert report.person.id == "bob"
    assert journal.stored("bob") == ["run.fit"] and journal.stored("ann") == []


def test_the_same_file_is_not_a_duplicate_across_people(journal: Journal) -> None:
    repo = journal.uow.repo
    for pid in ("ann", "bob"):
        repo.add_person(Person(pid, pid, journal.clock.now()))
    journal.uow.commit()
    ann = journal.add(measured("run.fit", "h1"), person="ann")
    bob = journal.add(measured("run.fit", "h1"), person="bob")
    assert len(ann.imported) == len(bob.imported) == 1
    assert ann.imported[0][1].id != bob.imported[0][1].id


def test_a_named_person_who_is_new_is_created(journal: Journal) -> None:
    report = journal.add(measured("run.fit", "h1"), person="carol")
    assert report.person.id == "carol"
    assert [p.id for p in journal.uow.repo.people()] == ["carol"]


@pytest.mark.parametrize(
    ("start", "offset", "zone", "local_date", "stored_offset"),
    [
        # No offset in the file: the runner's zone places it (Paris is UTC+1 in December).
        (datetime(2026, 12, 1, 23, 30, tzinfo=UTC), None, PARIS, date(2026, 12, 2), 60),
        (datetime(2026, 12, 1, 22, 30, tzinfo=UTC), None, PARIS, date(2026, 12, 1), 60),
        # Summer time: UTC+2.
        (datetime(2026, 7, 1, 22, 30, tzinfo=UTC), None, PARIS, date(2026, 7, 2), 120),
        (datetime(2026, 12, 1, 23, 30, tzinfo=UTC), None, ZoneInfo("UTC"), date(2026, 12, 1), 0),
        (
            datetime(2026, 12, 2, 3, 0, tzinfo=UTC),
            None,
            ZoneInfo("America/New_York"),
            date(2026, 12, 1),
            -300,
        ),
        # The file's own offset wins over the zone.
        (datetime(2026, 12, 1, 23, 30, tzinfo=UTC), 0, PARIS, date(2026, 12, 1), 0),
        (datetime(2026, 12, 1, 23, 30, tzinfo=UTC), -240, PARIS, date(2026, 12, 1), -240),
        (datetime(2026, 12, 1, 13, 30, tzinfo=UTC), 600, PARIS, date(2026, 12, 1), 600),
        (datetime(2026, 12, 1, 14, 30, tzinfo=UTC), 600, PARIS, date(2026, 12, 2), 600),
    ],
)
def test_the_day_of_a_run_is_the_runners_local_day(
    journal: Journal,
    start: datetime,
    offset: int | None,
    zone: ZoneInfo,
    local_date: date,
    stored_offset: int,
) -> None:
    report = journal.add(measured("run.fit", "h1", leg(start, offset=offset)), zone=zone)
    (_, kept) = report.imported[0]
    assert (kept.local_date, kept.utc_offset_minutes) == (local_date, stored_offset)
    assert kept.start == start  # kept in UTC
    since = list_activities(journal.uow, since=local_date)
    after = list_activities(journal.uow, since=local_date + timedelta(days=1))
    assert (len(since), len(after)) == (1, 0)


def test_activity_ids_are_stable_for_the_same_person_and_file() -> None:
    files = [
        measured("run.fit", "h1"),
        measured("tri.fit", "h2", leg(START + timedelta(days=1)), leg(START + timedelta(days=2))),
    ]
    ids: list[list[str]] = []
    for _ in range(2):
        journal = Journal()
        journal.clock.advance(days=len(ids))  # imported on another day: same ids
        report = journal.add(*files, person="ann")
        ids.append([a.id for _, a in report.imported])
    assert ids[0] == ids[1]
    assert len(set(ids[0])) == 3  # each leg of a file has its own id
    other = Journal().add(*files, person="bob")
    assert not {a.id for _, a in other.imported} & set(ids[0])


def test_each_leg_of_a_multisport_file_is_its_own_activity(journal: Journal) -> None:
    swim = leg(START, 1800, sport=Sport.SWIMMING, km=1.5)
    ride = leg(START + timedelta(minutes=35), 4000, sport=Sport.CYCLING, km=40)
    run = leg(START + timedelta(minutes=105), 2800)
    report = journal.add(measured("tri.fit", "tri", swim, ride, run))
    kept = [a for _, a in report.imported]
    assert [(a.sport, a.leg) for a in kept] == [
        (Sport.SWIMMING, 0),
        (Sport.CYCLING, 1),
        (Sport.RUNNING, 2),
    ]
    assert [label for label, _ in report.imported] == ["tri.fit"] * 3
    again = journal.add(measured("tri.fit", "tri", swim, ride, run))
    assert [d.same_as for d in again.duplicates] == [a.id for a in kept]


def test_a_partial_leg_keeps_its_note(journal: Journal) -> None:
    cut = MeasuredLeg(
        Sport.RUNNING,
        SportSource.FILE,
        START,
        metrics(300, 0.9),
        partial="the file is cut off at byte 2115; the 77 records before that were kept",
    )
    (_, kept) = journal.add(measured("cut.fit", "h1", cut)).imported[0]
    assert kept.partial is not None and "cut off" in kept.partial


def test_every_item_is_reported_to_progress_in_order(journal: Journal) -> None:
    items: list[MeasuredFile | RefusedFile] = [
        measured("a.fit", "h1"),
        RefusedFile("b.fit", "broken"),
        measured("c.fit", "h1"),
    ]
    seen: list[str] = []
    import_activities(
        journal.uow, journal.clock, items, PARIS, progress=lambda item: seen.append(item.label)
    )
    assert seen == ["a.fit", "b.fit", "c.fit"]


def test_an_interrupted_import_keeps_the_batches_already_written(journal: Journal) -> None:
    def files() -> Iterator[MeasuredFile]:
        for i in range(60):
            yield measured(f"{i}.fit", f"h{i}", leg(START + timedelta(days=i)))
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_activities(journal.uow, journal.clock, files(), PARIS)
    journal.uow.rollback()
    assert journal.stored() == [f"{i}.fit" for i in range(50)]


def test_an_empty_journal_lists_no_activities_rather_than_failing() -> None:
    assert list_activities(FakeUnitOfWork()) == []
