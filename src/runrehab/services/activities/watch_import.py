"""Use cases of watch data: import measured activities, list them.

The adapters read and measure the files (``runrehab.adapters.watch``); this module decides what
is new and keeps it. A file is a duplicate when its content was imported before, or when it
holds an activity that starts at the same moment and lasts as long as one already kept: the
same run exported as FIT, GPX and TCX is one run. Files are written in batches, each batch in
one transaction, and a rejected file writes nothing. A caller that keeps a record of the import
(the web app's job) writes it in each batch's own transaction (``on_batch``), so the record
never says less, or more, than the database holds, whenever the process dies.

What an import and the runs look like to a person is a view (``ImportReportView``,
``ActivityView``): ``runrehab import --json``, ``runrehab runs --json``, the web pages and the
API show the same documents (``services.views.jsonable``).
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone, tzinfo
from typing import Any

from runrehab.content.words import Words, shipped_words
from runrehab.engine.activity import Sport, SportSource
from runrehab.engine.metrics import CadenceStats, Metrics, SpeedWork, WalkRunPattern
from runrehab.services.journal.programme import person_for_new_data, resolve_person
from runrehab.services.ports import Clock, UnitOfWork
from runrehab.services.records import Person, StoredActivity

SAME_START = timedelta(seconds=60)
"""Two recordings starting within a minute of each other and ..."""
SAME_DURATION_RATIO = 0.03
SAME_DURATION_MIN_S = 60.0
"""... lasting as long (within 3 %, or a minute for short ones) are the same activity. A FIT
file and the GPX exported from it start on the same second; the slack covers devices that start
their track a few seconds late."""

BATCH_FILES = 50
"""Files per transaction: enough to make a bulk import quick, few enough that an interrupted
import keeps most of what was done."""


@dataclass(frozen=True, slots=True)
class MeasuredLeg:
    """One activity of a file, measured. ``utc_offset_minutes`` is None when the file does not
    say, and the runner's time zone then places it on a day."""

    sport: Sport
    sport_source: SportSource
    start: datetime
    metrics: Metrics
    utc_offset_minutes: int | None = None
    sub_sport: str | None = None
    indoor: bool = False
    device: str | None = None
    partial: str | None = None


@dataclass(frozen=True, slots=True)
class MeasuredFile:
    label: str
    content_hash: str
    file_format: str
    legs: tuple[MeasuredLeg, ...]


@dataclass(frozen=True, slots=True)
class RefusedFile:
    label: str
    reason: str


@dataclass(frozen=True, slots=True)
class Duplicate:
    """A file (or one activity of it) already here: the activity kept, and why it is the same."""

    file: str
    same_as: str
    why: str


@dataclass(frozen=True, slots=True)
class ImportReport:
    person: Person
    imported: tuple[tuple[str, StoredActivity], ...] = ()
    duplicates: tuple[Duplicate, ...] = ()
    rejected: tuple[RefusedFile, ...] = ()


BatchHook = Callable[[ImportReport, int], None]
"""Called inside each batch's transaction, before it commits, with the report so far (every
file up to the batch's last) and how many files that is: what it writes commits, or is lost,
with the batch."""


@dataclass
class _Seen:
    """What the person already has, to recognise duplicates without a query per file. Spans are
    kept sorted by start, so a new activity is compared only with those starting near it."""

    by_hash: dict[tuple[str, int], str] = field(default_factory=dict)
    spans: list[tuple[datetime, float, str]] = field(default_factory=list)

    def add(self, activity: StoredActivity) -> None:
        self.by_hash[(activity.content_hash, activity.leg)] = activity.id
        bisect.insort(self.spans, (activity.start, activity.metrics.elapsed_s, activity.id))

    def same_span(self, start: datetime, elapsed_s: float) -> str | None:
        slack = max(SAME_DURATION_MIN_S, elapsed_s * SAME_DURATION_RATIO)
        first = bisect.bisect_left(self.spans, (start - SAME_START,))
        for other_start, other_elapsed, activity_id in self.spans[first:]:
            if other_start > start + SAME_START:
                break
            if abs(other_elapsed - elapsed_s) <= slack:
                return activity_id
        return None


def import_activities(
    uow: UnitOfWork,
    clock: Clock,
    items: Iterable[MeasuredFile | RefusedFile],
    zone: tzinfo,
    person_id: str | None = None,
    progress: Callable[[MeasuredFile | RefusedFile], None] | None = None,
    *,
    on_batch: BatchHook | None = None,
    batch_every_s: float | None = None,
    words: Words | None = None,
) -> ImportReport:
    """Keep the new activities of ``items``; report duplicates and refusals. An empty journal
    gets its person here, so a runner can bring in their running history before starting.

    With ``on_batch``, a batch is also written every ``BATCH_FILES`` files (new or not) and
    every ``batch_every_s`` seconds, and once at the end, each time calling ``on_batch`` in
    its transaction: what the hook records is exactly what is stored. ``words``: those the
    duplicates' reasons are said in (the shipped ones unless others are given)."""
    said = shipped_words() if words is None else words
    with uow:
        person = person_for_new_data(uow.repo, clock, person_id)
        seen = _Seen()
        for existing in uow.repo.activities(person.id):
            seen.add(existing)
        uow.commit()
    imported: list[tuple[str, StoredActivity]] = []
    duplicates: list[Duplicate] = []
    rejected: list[RefusedFile] = []
    pending: list[StoredActivity] = []
    files = files_written = 0
    written_at = time.monotonic()

    def due() -> bool:
        if len(pending) >= BATCH_FILES:
            return True
        if on_batch is None:
            return False
        if files - files_written >= BATCH_FILES:
            return True
        return batch_every_s is not None and time.monotonic() - written_at >= batch_every_s

    def write() -> None:
        nonlocal files_written, written_at
        hook = None
        if on_batch is not None:
            so_far = ImportReport(person, tuple(imported), tuple(duplicates), tuple(rejected))
            hook = functools.partial(on_batch, so_far, files)
        _store(uow, pending, hook)
        files_written, written_at = files, time.monotonic()

    for item in items:
        if isinstance(item, RefusedFile):
            rejected.append(item)
        else:
            new, dups = _sort_out(item, person, seen, zone, clock.now(), said)
            duplicates += dups
            imported += [(item.label, a) for a in new]
            pending += new
        files += 1
        if due():
            write()
        if progress is not None:
            progress(item)
    write()
    return ImportReport(person, tuple(imported), tuple(duplicates), tuple(rejected))


def _sort_out(
    item: MeasuredFile, person: Person, seen: _Seen, zone: tzinfo, now: datetime, words: Words
) -> tuple[list[StoredActivity], list[Duplicate]]:
    new: list[StoredActivity] = []
    duplicates: list[Duplicate] = []
    for leg_number, leg in enumerate(item.legs):
        same = seen.by_hash.get((item.content_hash, leg_number))
        why = "runs.duplicate.same_file"
        if same is None:
            same = seen.same_span(leg.start, leg.metrics.elapsed_s)
            why = "runs.duplicate.same_span"
        if same is not None:
            duplicates.append(Duplicate(item.label, same, words.say(why)))
            continue
        activity = _stored(item, leg_number, leg, person, zone, now)
        seen.add(activity)
        new.append(activity)
    return new, duplicates


def _stored(
    item: MeasuredFile,
    leg_number: int,
    leg: MeasuredLeg,
    person: Person,
    zone: tzinfo,
    now: datetime,
) -> StoredActivity:
    offset = leg.utc_offset_minutes
    if offset is None:
        utc_offset = leg.start.astimezone(zone).utcoffset()
        offset = 0 if utc_offset is None else round(utc_offset.total_seconds() / 60)
    local = leg.start + timedelta(minutes=offset)
    key = f"{person.id}:{item.content_hash}:{leg_number}"
    return StoredActivity(
        id=hashlib.sha256(key.encode()).hexdigest()[:20],
        person_id=person.id,
        content_hash=item.content_hash,
        leg=leg_number,
        file_name=item.label,
        file_format=item.file_format,
        sport=leg.sport,
        sport_source=leg.sport_source,
        start=leg.start,
        utc_offset_minutes=offset,
        local_date=local.date(),
        metrics=leg.metrics,
        imported_at=now,
        sub_sport=leg.sub_sport,
        indoor=leg.indoor,
        device=leg.device,
        partial=leg.partial,
    )


def _store(uow: UnitOfWork, pending: list[StoredActivity], hook: Callable[[], None] | None) -> None:
    """One batch in one transaction: the new activities, and what ``hook`` writes."""
    if not pending and hook is None:
        return
    with uow:
        for activity in pending:
            uow.repo.add_activity(activity)
        if hook is not None:
            hook()
        uow.commit()
    pending.clear()


def list_activities(
    uow: UnitOfWork, person_id: str | None = None, since: date | None = None
) -> list[StoredActivity]:
    """The person's activities; none in a journal that holds nobody yet."""
    with uow:
        if person_id is None and not uow.repo.people():
            return []
        person = resolve_person(uow.repo, person_id)
        return uow.repo.activities(person.id, since)


# --- views -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImportedView:
    """An activity an import kept, as its report lists it."""

    file: str
    activity_id: str
    sport: str
    start: str
    local_date: date
    distance_km: float | None
    partial: str | None


@dataclass(frozen=True, slots=True)
class RejectedView:
    """A file an import could not use, and why."""

    file: str
    reason: str


@dataclass(frozen=True, slots=True)
class ImportReportView:
    """The finished import: what was kept, what was a duplicate, what was refused and why, and
    how many files were set aside as not activity files."""

    imported: tuple[ImportedView, ...]
    duplicates: tuple[Duplicate, ...]
    rejected: tuple[RejectedView, ...]
    skipped: int

    @classmethod
    def from_document(cls, doc: Mapping[str, Any]) -> ImportReportView:
        """The report again from its JSON document (as an import job keeps it)."""
        return cls(
            imported=tuple(
                ImportedView(
                    file=i["file"],
                    activity_id=i["activity_id"],
                    sport=i["sport"],
                    start=i["start"],
                    local_date=date.fromisoformat(i["local_date"]),
                    distance_km=i["distance_km"],
                    partial=i.get("partial"),
                )
                for i in doc.get("imported", ())
            ),
            duplicates=tuple(
                Duplicate(d["file"], d["same_as"], d["why"]) for d in doc.get("duplicates", ())
            ),
            rejected=tuple(RejectedView(r["file"], r["reason"]) for r in doc.get("rejected", ())),
            skipped=int(doc.get("skipped", 0)),
        )


@dataclass(frozen=True, slots=True)
class ImportAnswer:
    """What ``runrehab import`` answers: whose journal, and the import's report."""

    person: str
    imported: tuple[ImportedView, ...]
    duplicates: tuple[Duplicate, ...]
    rejected: tuple[RejectedView, ...]
    skipped: int


def import_report_view(report: ImportReport, skipped: int) -> ImportReportView:
    """The finished import as the web app shows it (and its job keeps it)."""
    return ImportReportView(
        imported=tuple(
            ImportedView(
                file=label,
                activity_id=a.id,
                sport=a.sport.value,
                start=local_start(a),
                local_date=a.local_date,
                distance_km=_round(a.metrics.distance_km, 2),
                partial=a.partial,
            )
            for label, a in report.imported
        ),
        duplicates=report.duplicates,
        rejected=tuple(RejectedView(r.label, r.reason) for r in report.rejected),
        skipped=skipped,
    )


def import_answer(report: ImportReport, skipped: int) -> ImportAnswer:
    """The finished import as ``runrehab import`` prints it, with the person."""
    shown = import_report_view(report, skipped)
    return ImportAnswer(
        report.person.id, shown.imported, shown.duplicates, shown.rejected, shown.skipped
    )


@dataclass(frozen=True, slots=True)
class CadenceBucket:
    from_spm: int
    seconds: float


@dataclass(frozen=True, slots=True)
class CadenceView:
    """A run's step rate: the median, the slowest and quickest tenths, and the time in each
    bucket."""

    median_spm: float
    p10_spm: float
    p90_spm: float
    histogram: tuple[CadenceBucket, ...]


@dataclass(frozen=True, slots=True)
class SpeedWorkView:
    efforts: int
    fast_seconds: int


@dataclass(frozen=True, slots=True)
class WalkRunView:
    """A walk-run session: its repeats, and the running alone, as the longest-run cap counts
    it (``running_*`` None: an older import)."""

    repeats: int
    run_minutes: float
    walk_minutes: float
    running_minutes: float | None
    running_km: float | None


@dataclass(frozen=True, slots=True)
class ActivityView:
    """One activity with every measured figure (the ``runs`` contract's fields and more)."""

    activity_id: str
    sport: str
    sport_source: str
    sub_sport: str | None
    start: str
    local_date: date
    elapsed_s: float
    moving_s: float
    distance_km: float | None
    pace_min_per_km: float | None
    elevation_gain_m: float | None
    elevation_loss_m: float | None
    downhill_km: float | None
    cadence_spm: float | None
    cadence: CadenceView | None
    avg_hr: float | None
    max_hr: float | None
    speed_work: SpeedWorkView | None
    walk_run: WalkRunView | None
    indoor: bool
    device: str | None
    file: str
    file_format: str
    partial: str | None


@dataclass(frozen=True, slots=True)
class ActivitiesView:
    """The activities kept, oldest first (``runrehab runs --json``, ``GET /api/v1/activities``)."""

    activities: tuple[ActivityView, ...]


def activities_view(activities: Iterable[StoredActivity]) -> ActivitiesView:
    return ActivitiesView(tuple(activity_view(a) for a in activities))


def activity_view(a: StoredActivity) -> ActivityView:
    """One activity as shown."""
    m = a.metrics
    return ActivityView(
        activity_id=a.id,
        sport=a.sport.value,
        sport_source=a.sport_source.value,
        sub_sport=a.sub_sport,
        start=local_start(a),
        local_date=a.local_date,
        elapsed_s=round(m.elapsed_s, 1),
        moving_s=round(m.moving_s, 1),
        distance_km=_round(m.distance_km, 3),
        pace_min_per_km=_round(m.pace_min_per_km, 2),
        elevation_gain_m=_round(m.elevation_gain_m, 1),
        elevation_loss_m=_round(m.elevation_loss_m, 1),
        downhill_km=_round(m.downhill_km, 3),
        cadence_spm=_round(m.cadence_spm, 1),
        cadence=None if m.cadence is None else _cadence(m.cadence),
        avg_hr=_round(m.avg_hr, 1),
        max_hr=_round(m.max_hr, 1),
        speed_work=None if m.speed_work is None else _speed_work(m.speed_work),
        walk_run=None if m.walk_run is None else _walk_run(m.walk_run),
        indoor=a.indoor,
        device=a.device,
        file=a.file_name,
        file_format=a.file_format,
        partial=a.partial,
    )


def _cadence(c: CadenceStats) -> CadenceView:
    return CadenceView(
        median_spm=round(c.median_spm, 1),
        p10_spm=round(c.p10_spm, 1),
        p90_spm=round(c.p90_spm, 1),
        histogram=tuple(CadenceBucket(lo, round(s, 1)) for lo, s in c.histogram),
    )


def _speed_work(s: SpeedWork) -> SpeedWorkView:
    return SpeedWorkView(efforts=s.efforts, fast_seconds=round(s.fast_seconds))


def _walk_run(w: WalkRunPattern) -> WalkRunView:
    return WalkRunView(
        repeats=w.repeats,
        run_minutes=round(w.run_minutes, 1),
        walk_minutes=round(w.walk_minutes, 1),
        running_minutes=w.running_minutes,
        running_km=w.running_km,
    )


def local_start(a: StoredActivity) -> str:
    offset = timezone(timedelta(minutes=a.utc_offset_minutes))
    return a.start.astimezone(offset).isoformat()


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)
