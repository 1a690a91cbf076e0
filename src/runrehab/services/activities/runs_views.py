"""What the runs pages and the runs API show: an import job (its progress, its report, why it
stopped), the recent imports, an import's page, the runs page with its load, one run, and
the activities kept. One use case a request, each answering a view (``services.views``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from runrehab.content.words import Words
from runrehab.services.accounts.views import zone_choices
from runrehab.services.activities.import_jobs import ImportJob, JobStatus, JobUnitOfWork
from runrehab.services.activities.load_view import LoadView, running_load
from runrehab.services.activities.watch_import import (
    ActivitiesView,
    ActivityView,
    ImportReportView,
    activities_view,
    activity_view,
    list_activities,
)
from runrehab.services.content import ProgrammeContent

RECENT_JOBS = 5
RUNS_PER_PAGE = 30
REPORT_ROWS = 25
"""Rows of each list a finished import's page shows (the API gives them all): a Strava export
of a thousand runs would otherwise make a page of hundreds of kilobytes."""
LOAD_WEEKS = 4
"""Weeks of load the runs page shows."""
_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
"""What a job or activity id looks like: anything else is unknown without asking the database."""


def size_words(words: Words, size: int) -> str:
    """A byte count in plain words: "256 MB", "10 KB", "500 bytes" (whole units only)."""
    for unit, scale in (("gigabytes", 1024**3), ("megabytes", 1024**2), ("kilobytes", 1024)):
        if size >= scale and size % scale == 0:
            return words.say(f"runs.size.{unit}", n=size // scale)
    return words.say("runs.size.bytes", n=size)


# --- the jobs as shown ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImportJobView:
    """A job as the page and the API show it. The report is there once the job has ended:
    for an import that stopped half-way (failed, or interrupted by the server stopping), it
    lists what was kept before it stopped, as the batches wrote it."""

    job_id: str
    status: str
    finished: bool
    upload: str
    done: int
    total: int
    created_at: str
    finished_at: str | None
    message: str | None
    report: ImportReportView | None


@dataclass(frozen=True, slots=True)
class ImportsView:
    """The runner's recent imports, newest first."""

    imports: tuple[ImportJobView, ...]


@dataclass(frozen=True, slots=True)
class ReportCounts:
    imported: int
    duplicates: int
    rejected: int


@dataclass(frozen=True, slots=True)
class ImportPage:
    """An import's page: the job, how many files of each kind its report holds, and the first
    ``rows`` of each (the activities kept by their day)."""

    job: ImportJobView
    counts: ReportCounts
    shown: ImportReportView
    rows: int


def job_view(words: Words, job: ImportJob) -> ImportJobView:
    stopped = job.status in (JobStatus.FAILED, JobStatus.INTERRUPTED)
    finished = stopped or job.status is JobStatus.DONE
    report = job.report if finished else None
    return ImportJobView(
        job_id=job.id,
        status=job.status.value,
        finished=finished,
        upload=job.file_name,
        done=job.done,
        total=job.total,
        created_at=job.created_at.isoformat(),
        finished_at=None if job.finished_at is None else job.finished_at.isoformat(),
        message=_stopped_message(words, job) if stopped else job.message,
        report=None if report is None else ImportReportView.from_document(report),
    )


def _stopped_message(words: Words, job: ImportJob) -> str | None:
    """Why the job stopped, what it kept, and how to finish it. A job with no report stopped
    before its first batch was written (or was made by a release that did not record one):
    its own message says what to do."""
    if job.report is None:
        return job.message
    files = words.say_count("runs.job.files", job.total, done=job.done)
    stopped = "interrupted" if job.status is JobStatus.INTERRUPTED else "went_wrong"
    kept = len(job.report.get("imported", []))
    if kept == 1:
        what = words.say("runs.job.kept_one")
    elif kept:
        what = words.say("runs.job.kept_many", n=kept)
    else:
        what = words.say("runs.job.kept_nothing")
    return words.say(
        "runs.job.stopped",
        why=words.say(f"runs.job.{stopped}", files=files),
        kept=what,
        again=words.say("runs.job.again"),
    )


def _own_job(uow: JobUnitOfWork, person_id: str, job_id: str) -> ImportJob | None:
    """The person's job, or None when there is none by that id or it is someone else's."""
    if not _ID.fullmatch(job_id):  # no such id is ever made; PostgreSQL refuses NUL bytes
        return None
    with uow:
        return uow.jobs.get_job(person_id, job_id)


def import_job(
    uow: JobUnitOfWork, words: Words, person_id: str, job_id: str
) -> ImportJobView | None:
    """One of the person's imports (None: no such job of theirs)."""
    job = _own_job(uow, person_id, job_id)
    return None if job is None else job_view(words, job)


def recent_imports(
    uow: JobUnitOfWork, words: Words, person_id: str, limit: int = RECENT_JOBS
) -> ImportsView:
    with uow:
        jobs = uow.jobs.jobs(person_id, limit)
    return ImportsView(tuple(job_view(words, j) for j in jobs))


def import_page(uow: JobUnitOfWork, words: Words, person_id: str, job_id: str) -> ImportPage | None:
    """One of the person's imports as its page shows it (None: no such job of theirs)."""
    job = import_job(uow, words, person_id, job_id)
    if job is None:
        return None
    report = job.report or ImportReportView((), (), (), 0)
    counts = ReportCounts(len(report.imported), len(report.duplicates), len(report.rejected))
    by_day = sorted(report.imported, key=lambda i: (i.local_date, i.start))
    shown = replace(
        report,
        imported=tuple(by_day[:REPORT_ROWS]),
        duplicates=report.duplicates[:REPORT_ROWS],
        rejected=report.rejected[:REPORT_ROWS],
    )
    return ImportPage(job, counts, shown, REPORT_ROWS)


# --- the runs ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RunsPage:
    """The runs page: its page of runs (newest first) of ``run_count`` in all, the load with
    its cap and warnings, the recent uploads, and the upload form's zones and size limit."""

    runs: tuple[ActivityView, ...]
    run_count: int
    page: int
    pages: int
    load: LoadView
    jobs: tuple[ImportJobView, ...]
    zone: str
    zones: tuple[str, ...]
    upload_limit: str
    has_programme: bool


@dataclass(frozen=True, slots=True)
class RunPage:
    """One run's page: its figures, and the width of its step-rate buckets."""

    run: ActivityView
    bucket: int


def runs_page(
    uow: JobUnitOfWork,
    content: ProgrammeContent,
    person_id: str,
    today: date,
    zone: str,
    upload_limit: int,
    page: int = 1,
) -> RunsPage:
    """The person's runs page on their ``today`` (their account's ``zone`` first in the
    upload form, which takes ``upload_limit`` bytes at a time)."""
    runs = list(reversed(list_activities(uow, person_id)))  # newest first
    first = (page - 1) * RUNS_PER_PAGE
    load = running_load(uow, content, today, LOAD_WEEKS, person_id)
    jobs = recent_imports(uow, content.words, person_id)
    with uow:
        has_programme = uow.repo.current_programme(person_id) is not None
    return RunsPage(
        runs=tuple(activity_view(a) for a in runs[first : first + RUNS_PER_PAGE]),
        run_count=len(runs),
        page=page,
        pages=max(1, -(-len(runs) // RUNS_PER_PAGE)),
        load=load,
        jobs=jobs.imports,
        zone=zone,
        zones=zone_choices(zone),
        upload_limit=size_words(content.words, upload_limit),
        has_programme=has_programme,
    )


def activities(uow: JobUnitOfWork, person_id: str, since: date | None = None) -> ActivitiesView:
    """The person's activities, oldest first, as ``runrehab runs --json`` lists them."""
    return activities_view(list_activities(uow, person_id, since))


def activity(uow: JobUnitOfWork, person_id: str, activity_id: str) -> ActivityView | None:
    """One of the person's activities, or None (also when it is someone else's)."""
    if not _ID.fullmatch(activity_id):
        return None
    with uow:
        found = uow.repo.get_activity(person_id, activity_id)
    return None if found is None else activity_view(found)


def run_page(
    uow: JobUnitOfWork, content: ProgrammeContent, person_id: str, activity_id: str
) -> RunPage | None:
    found = activity(uow, person_id, activity_id)
    return None if found is None else RunPage(found, content.metrics.cadence_bucket_spm)
