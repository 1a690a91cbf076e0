"""Watch files on the command line: ``import`` of FIT, GPX and TCX files, folders and bulk
exports, ``runs``, ``load``, and how a watch run reaches ``today`` and the journal export.

The files are generated (``tests/watchfiles.py``): a few minutes of running each, so every test
stays fast. Single commands whose exit status and stderr matter run as a real process
(``python -m runrehab``); the longer stories run the same command line in-process."""

from __future__ import annotations

import json
import os
import random
import re
import sqlite3
import subprocess
import sys
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from runrehab.cli.main import app
from tests.conftest import ROOT, typical_doc
from tests.watchfiles import (
    fit_run,
    garmin_export_zip,
    gpx_run,
    strava_export_zip,
    tcx_run,
)

EXAMPLES = ROOT / "examples"
ENV = {"RUNREHAB_TZ": "UTC", "RUNREHAB_DB": "", "RUNREHAB_PERSON": "", "COLUMNS": "100"}
CONTRACT_NUMBERS = ("elapsed_s", "moving_s")
CONTRACT_OPTIONAL = ("distance_km", "elevation_gain_m", "downhill_km", "cadence_spm", "avg_hr")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def at(day: date, hour: int = 7) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


class Cli:
    """The command line on one journal (a SQLite file or a database URL), with the runner's
    time zone fixed to UTC. ``process=True`` runs ``python -m runrehab`` as a real process."""

    def __init__(self, db: str, *, process: bool = False) -> None:
        self.db = db
        self.process = process

    def in_process(self) -> Cli:
        return Cli(self.db)

    def outcome(self, *args: str, stdin: str | None = None) -> Outcome:
        argv = ["--db", self.db, *args]
        if self.process:
            done = subprocess.run(
                [sys.executable, "-m", "runrehab", *argv],
                input=stdin,
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
                env={**os.environ, **ENV},
            )
            outcome = Outcome(done.returncode, done.stdout, done.stderr)
        else:
            result = CliRunner().invoke(app, argv, input=stdin, env=ENV)
            assert result.exception is None or isinstance(result.exception, SystemExit), (
                result.exception
            )
            outcome = Outcome(result.exit_code, result.stdout, result.stderr)
        assert "Traceback" not in outcome.stderr, outcome.stderr
        return outcome

    def call(self, *args: str, stdin: str | None = None, code: int = 0) -> Any:
        """The JSON answer of a command that must end with ``code``."""
        done = self.outcome(*args, stdin=stdin)
        assert done.code == code, (args, done.code, done.stdout, done.stderr)
        return done.json()

    def import_(self, *paths: Path | str, code: int = 0) -> dict[str, Any]:
        view: dict[str, Any] = self.call("import", *map(str, paths), "--json", code=code)
        return view

    def runs(self, *args: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self.call("runs", *args, "--json")["activities"]
        return found


def activity_rows(db: str) -> list[str]:
    with closing(sqlite3.connect(db)) as conn:
        return sorted(name for (name,) in conn.execute("select file_name from activities"))


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.fixture
def sqlite_cli(tmp_path: Path) -> Cli:
    return Cli(str(tmp_path / "journal.db"))


@pytest.fixture(params=["sqlite", "postgres"])
def any_db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgres":
        url: str = request.getfixturevalue("postgres_url")
        return url
    return str(tmp_path / "journal.db")


# --- one run in three formats ---------------------------------------------------------------


@pytest.mark.e2e
def test_one_run_as_fit_gpx_and_tcx_is_imported_once(any_db: str, tmp_path: Path) -> None:
    cli = Cli(any_db, process=True)
    start = datetime(2026, 12, 6, 7, 0, tzinfo=UTC)
    files = [
        write(tmp_path, "run.fit", fit_run(start, 5, step_s=2, local_offset_minutes=60)),
        write(tmp_path, "run.gpx", gpx_run(start, 5, step_s=2)),
        write(tmp_path, "run.tcx", tcx_run(start, 5, step_s=2)),
    ]
    report = cli.import_(*files)
    assert [(i["file"], i["sport"]) for i in report["imported"]] == [(str(files[0]), "running")]
    kept = report["imported"][0]["activity_id"]
    assert [(d["file"], d["same_as"]) for d in report["duplicates"]] == [
        (str(files[1]), kept),
        (str(files[2]), kept),
    ]
    assert report["rejected"] == []

    (run,) = cli.in_process().runs()
    assert run["activity_id"] == kept
    for key in CONTRACT_NUMBERS:
        assert isinstance(run[key], int | float) and not isinstance(run[key], bool), key
    for key in CONTRACT_OPTIONAL:
        value = run[key]
        assert value is None or (isinstance(value, int | float) and not isinstance(value, bool))
    assert isinstance(run["activity_id"], str) and run["activity_id"]
    assert run["sport"] == "running"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d", run["start"])
    assert run["start"] == "2026-12-06T08:00:00+01:00"  # the FIT file's own offset
    assert datetime.fromisoformat(run["start"]) == start
    assert (run["elapsed_s"], run["moving_s"]) == (300, 300)
    assert run["distance_km"] == pytest.approx(0.84, abs=0.005)  # 2.8 m/s for 5 minutes
    assert run["cadence_spm"] == pytest.approx(165)  # 82.5 strides a minute, both feet
    assert run["avg_hr"] == pytest.approx(140)
    assert run["elevation_gain_m"] == 0 and run["downhill_km"] == 0


# --- a folder with bad files ----------------------------------------------------------------


@pytest.mark.e2e
def test_a_folder_with_broken_files_imports_the_good_ones_and_names_the_bad(
    tmp_path: Path,
) -> None:
    db = str(tmp_path / "journal.db")
    cli = Cli(db, process=True)
    earlier = write(tmp_path, "earlier.fit", fit_run(at(date(2026, 11, 20)), 3, step_s=2))
    cli.in_process().import_(earlier)
    before = activity_rows(db)
    assert len(before) == 1

    folder = tmp_path / "watch"
    good = write(folder, "good.fit", fit_run(at(date(2026, 12, 1)), 5, step_s=2))
    corrupt = write(folder, "corrupt.fit", random.Random(20261201).randbytes(3000))
    empty = write(folder, "empty.gpx", b"")
    whole = fit_run(at(date(2026, 12, 3)), 5, step_s=2)
    truncated = write(folder, "truncated.fit", whole[: len(whole) // 2])
    notes = write(folder, "notes.txt", b"remember to stretch")

    report = cli.import_(folder, code=1)
    imported = {i["file"]: i for i in report["imported"]}
    rejected = {r["file"]: r["reason"] for r in report["rejected"]}
    assert str(good) in imported and imported[str(good)]["partial"] is None
    assert rejected.keys() >= {str(corrupt), str(empty)}
    assert "FIT" in rejected[str(corrupt)]
    assert "empty" in rejected[str(empty)]
    assert rejected[str(corrupt)] != rejected[str(empty)]
    # cut off: either kept with what was read (and said so) or refused, never both
    assert (str(truncated) in imported) != (str(truncated) in rejected)
    if str(truncated) in imported:
        partial = imported[str(truncated)]["partial"]
        assert partial and "cut off" in partial
    assert str(notes) not in imported and str(notes) not in rejected
    assert report["skipped"] == 1
    assert report["duplicates"] == []

    # what was refused left no row; what was kept is listed
    assert activity_rows(db) == sorted([*before, *imported])
    listed = cli.in_process().runs()
    assert sorted(r["file"] for r in listed) == sorted([str(earlier), *imported])
    assert not {r["file"] for r in listed} & rejected.keys()


# --- bulk exports ---------------------------------------------------------------------------


@pytest.mark.e2e
def test_a_strava_export_is_imported_with_its_sports_and_again_as_duplicates(
    tmp_path: Path,
) -> None:
    db = str(tmp_path / "journal.db")
    cli = Cli(db, process=True)
    day = date(2026, 11, 2)
    one = timedelta(days=1)
    ride = fit_run(
        at(day + 2 * one), 6, step_s=2, sport="cycling", speed_mps=7.0, strides_per_min=None
    )
    walk = gpx_run(at(day + 3 * one), 6, step_s=2, type_=None, speed_mps=1.3, strides_per_min=None)
    export = strava_export_zip(
        tmp_path / "export_123.zip",
        [
            ("activities/101.fit.gz", fit_run(at(day), 4, step_s=2), "Run"),
            # no <type> in the GPX: the export's list says what it was
            ("activities/102.gpx.gz", gpx_run(at(day + one), 4, step_s=2, type_=None), "Run"),
            ("activities/103.fit.gz", ride, "Ride"),
            ("activities/104.gpx", walk, "Walk"),
            ("activities/105.tcx.gz", tcx_run(at(day + 4 * one), 4, step_s=2), "Run"),
        ],
    )
    first = cli.import_(export)
    assert [(i["file"].split(":")[-1], i["sport"]) for i in first["imported"]] == [
        ("activities/101.fit.gz", "running"),
        ("activities/102.gpx.gz", "running"),
        ("activities/103.fit.gz", "cycling"),
        ("activities/104.gpx", "walking"),
        ("activities/105.tcx.gz", "running"),
    ]
    assert first["duplicates"] == [] and first["rejected"] == []
    assert all(i["file"].startswith(f"{export}:") for i in first["imported"])
    ids = [i["activity_id"] for i in first["imported"]]
    rows = activity_rows(db)

    again = cli.import_(export)  # exit 0: duplicates are not errors
    cli = cli.in_process()
    assert again["imported"] == [] and again["rejected"] == []
    assert [(d["file"], d["same_as"]) for d in again["duplicates"]] == [
        (i["file"], i["activity_id"]) for i in first["imported"]
    ]
    assert activity_rows(db) == rows
    listed = cli.runs()
    assert [r["activity_id"] for r in listed] == ids
    assert [r["local_date"] for r in listed] == [(day + k * one).isoformat() for k in range(5)]
    by_file = {r["file"].split(":")[-1]: r for r in listed}
    assert by_file["activities/102.gpx.gz"]["sport_source"] == "export list"
    assert by_file["activities/103.fit.gz"]["cadence_spm"] is None  # pedalling is not steps


def test_a_garmin_export_reads_the_zip_inside_the_zip(sqlite_cli: Cli, tmp_path: Path) -> None:
    day = date(2026, 10, 5)
    export = garmin_export_zip(
        tmp_path / "garmin.zip",
        [
            ("a@b.com_1.fit", fit_run(at(day), 3, step_s=2)),
            ("a@b.com_2.fit", fit_run(at(day + timedelta(days=2)), 3, step_s=2)),
        ],
    )
    report = sqlite_cli.import_(export)
    assert [i["file"].rsplit(":", 1)[-1] for i in report["imported"]] == [
        "a@b.com_1.fit",
        "a@b.com_2.fit",
    ]
    assert [r["local_date"] for r in sqlite_cli.runs()] == ["2026-10-05", "2026-10-07"]


# --- load -----------------------------------------------------------------------------------

LOAD_DAY = date(2026, 12, 10)  # a Thursday
# (days before LOAD_DAY, minutes, strides a minute); 2.8 m/s, so 10 minutes is 1.68 km
LOAD_RUNS = [
    (30, 40, 80.0),  # 2026-11-10: longest, but 30 days back: outside the cap's window
    (29, 30, 82.5),  # 2026-11-11: the longest of the window
    (2, 20, 85.0),
    (0, 25, 87.5),  # on the day itself: counts
    (-1, 50, 90.0),  # the day after: not yet
]


def _load_journal(cli: Cli, folder: Path) -> list[dict[str, Any]]:
    for back, minutes, strides in LOAD_RUNS:
        day = LOAD_DAY - timedelta(days=back)
        data = fit_run(at(day), minutes, step_s=5, strides_per_min=strides)
        write(folder, f"{day.isoformat()}.fit", data)
    # a long ride the day before: cross-training, not running load
    ride = fit_run(at(LOAD_DAY - timedelta(days=1)), 60, step_s=5, sport="cycling", speed_mps=7)
    write(folder, "ride.fit", ride)
    report = cli.import_(folder)
    assert len(report["imported"]) == len(LOAD_RUNS) + 1
    return [r for r in cli.runs() if r["sport"] == "running"]


def test_load_adds_up_the_imported_runs(sqlite_cli: Cli, tmp_path: Path) -> None:
    runs = _load_journal(sqlite_cli, tmp_path / "runs")
    view = sqlite_cli.call("load", "--date", LOAD_DAY.isoformat(), "--json")
    counted = [r for r in runs if date.fromisoformat(r["local_date"]) <= LOAD_DAY]
    assert len(counted) == 4

    weeks = view["weeks"]
    assert len(weeks) == 12 and weeks[-1]["week_of"] == "2026-12-07"
    assert sum(w["runs"] for w in weeks) == 4
    expected_minutes = sum(round(r["moving_s"] / 60, 1) for r in counted)
    assert sum(w["run_minutes"] for w in weeks) == pytest.approx(expected_minutes, abs=0.05)
    assert expected_minutes == pytest.approx(40 + 30 + 20 + 25, abs=0.5)
    assert sum(w["run_km"] for w in weeks) == pytest.approx(
        sum(r["distance_km"] for r in counted), abs=0.02
    )
    for week in weeks:
        monday = date.fromisoformat(week["week_of"])
        inside = [
            r
            for r in counted
            if monday <= date.fromisoformat(r["local_date"]) < monday + timedelta(days=7)
        ]
        assert week["runs"] == len(inside), week
        assert week["run_km"] == pytest.approx(sum(r["distance_km"] for r in inside), abs=0.01)
    assert [w["cross_training_minutes"] for w in weeks[-1:]] == [pytest.approx(60, abs=0.5)]
    assert sum(w["cross_training_minutes"] for w in weeks[:-1]) == 0

    # the cap: 110 % of the longest run dated in the 30 days up to and including --date
    window = [
        r
        for r in counted
        if LOAD_DAY - timedelta(days=29) <= date.fromisoformat(r["local_date"]) <= LOAD_DAY
    ]
    longest_km = max(r["distance_km"] for r in window)
    assert longest_km == pytest.approx(30 * 60 * 2.8 / 1000, abs=0.01)  # not the 40-minute run
    cap = view["single_run_cap"]
    assert cap["ratio"] == pytest.approx(1.1)
    assert cap["km"] == pytest.approx(1.1 * longest_km, abs=0.01)
    longest_minutes = max(round(r["moving_s"] / 60, 1) for r in window)
    assert cap["minutes"] == pytest.approx(1.1 * longest_minutes, abs=0.1)
    assert view["longest_run_30_days"]["km_date"] == "2026-11-11"

    # the metronome: 5-10 % above the median of the runs' own step rates
    medians = sorted(r["cadence"]["median_spm"] for r in counted)
    usual = (medians[1] + medians[2]) / 2
    assert usual == pytest.approx(2 * 83.75, abs=0.5)
    cadence = view["cadence"]
    assert cadence["usual_spm"] == pytest.approx(usual, abs=0.1)
    assert 1.05 * usual <= cadence["metronome_bpm"] <= 1.10 * usual
    assert isinstance(cadence["metronome_bpm"], int)
    assert view["warnings"] == []  # no programme: nothing to warn against


def test_history_imported_before_starting_sets_the_usual_load(
    sqlite_cli: Cli, tmp_path: Path
) -> None:
    """Runs every fourth day in the 8 weeks before the pain began (the typical assessment: 4
    weeks of pain at the start) are the usual load, not the answers' 30 km a week."""
    began = START - timedelta(weeks=4)
    first = began - timedelta(weeks=8)
    for k in range(14):
        day = first + timedelta(days=4 * k)
        write(tmp_path / "history", f"{day}.fit", fit_run(at(day), 30, step_s=10))
    report = sqlite_cli.import_(tmp_path / "history")
    assert len(report["imported"]) == 14
    started = sqlite_cli.call(
        "start", "-", "--date", START.isoformat(), "--json", stdin=json.dumps(typical_doc())
    )
    assert started["disposition"] == "self_manage"
    usual = sqlite_cli.call("load", "--date", START.isoformat(), "--json")["usual_load"]
    assert usual["source"] == "history" and usual["weeks"] == 8
    assert usual["runs_per_week"] == pytest.approx(14 / 8, abs=0.06)  # shown to 0.1
    assert usual["weekly_minutes"] == pytest.approx(14 * 30 / 8, abs=0.1)
    assert usual["weekly_km"] == pytest.approx(14 * 30 * 60 * 2.8 / 1000 / 8, abs=0.1)


def test_load_draws_a_png_and_refuses_other_chart_files(sqlite_cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "runs", "a.fit", fit_run(at(LOAD_DAY), 5, step_s=5))
    sqlite_cli.import_(tmp_path / "runs")
    chart = tmp_path / "load.png"
    view = sqlite_cli.call("load", "--date", LOAD_DAY.isoformat(), "--chart", str(chart), "--json")
    assert view["weeks"][-1]["runs"] == 1
    assert chart.read_bytes().startswith(PNG_MAGIC)

    text_chart = tmp_path / "load.txt"
    refused = Cli(sqlite_cli.db, process=True).outcome(
        "load", "--date", LOAD_DAY.isoformat(), "--chart", str(text_chart)
    )
    assert refused.code == 2
    assert "--chart" in refused.stderr and ".png or .svg" in refused.stderr
    assert refused.stdout == ""
    assert not text_chart.exists()


# --- a watch run and the journal ------------------------------------------------------------

START = date(2026, 12, 7)


def checkin(day: date, run: dict[str, Any] | None = None) -> str:
    doc: dict[str, Any] = {
        "date": day.isoformat(),
        "pain": {"now": 1, "at_rest": 0, "worst_24h": 1},
        "this_morning_vs_usual": "same",
        "exercises": [{"id": "quad-set", "sets": 3, "reps": 10, "max_pain": 1}],
    }
    if run is not None:
        doc["run"] = run
    return json.dumps(doc)


def run_reports(today: dict[str, Any]) -> list[list[str]]:
    return [a["dates"] for a in today["asks"] if a["kind"] == "run_report"]


def rules(items: list[dict[str, Any]]) -> list[str]:
    return [i["rule"] for i in items]


def test_a_watch_run_without_a_pain_report_is_asked_for_until_reported(
    sqlite_cli: Cli, tmp_path: Path
) -> None:
    cli = sqlite_cli
    modified = (EXAMPLES / "runner-modified-running.json").read_text()
    cli.call("start", "-", "--date", START.isoformat(), "--json", stdin=modified)
    run_day, day = START + timedelta(days=3), START + timedelta(days=4)
    cli.import_(write(tmp_path, "run.fit", fit_run(at(run_day), 10, step_s=2)))
    cli.call("checkin", "-", "--json", stdin=checkin(run_day))  # a check-in, but no run in it

    today = cli.call("today", "--date", day.isoformat(), "--json")
    assert run_reports(today) == [[run_day.isoformat()]]
    (ask,) = [a for a in today["asks"] if a["kind"] == "run_report"]
    assert run_day.isoformat() in ask["text"]
    assert today["run_today"] in ("no", "reduced")
    assert "load-run-not-reported" in rules(today["warnings"])

    # a day later, checked in: the only thing holding the run back is the unreported one
    cli.call("checkin", "-", "--json", stdin=checkin(day))
    later = cli.call("today", "--date", (day + timedelta(days=1)).isoformat(), "--json")
    assert run_reports(later) == [[run_day.isoformat()]]
    assert later["run_today"] == "reduced"
    (d5,) = [r for r in later["reasons"] if r["rule"] == "d5-run-not-reported"]
    assert run_day.isoformat() in d5["detail"]

    report = {"minutes": 10, "max_pain": 1, "settled_within_minutes": 0}
    cli.call("checkin", "-", "--json", stdin=checkin(run_day, run=report))
    for when in (day, day + timedelta(days=1)):
        after = cli.call("today", "--date", when.isoformat(), "--json")
        assert run_reports(after) == [], when
        assert "d5-run-not-reported" not in rules(after["reasons"]), when
        assert "load-run-not-reported" not in rules(after["warnings"]), when


def test_a_watch_run_reported_by_its_activity_id_on_another_day_is_not_asked_for_again(
    sqlite_cli: Cli, tmp_path: Path
) -> None:
    """A late run reported in the next morning's check-in, naming the imported activity."""
    cli = sqlite_cli
    modified = (EXAMPLES / "runner-modified-running.json").read_text()
    cli.call("start", "-", "--date", START.isoformat(), "--json", stdin=modified)
    run_day, day = START + timedelta(days=3), START + timedelta(days=4)
    (kept,) = cli.import_(write(tmp_path, "run.fit", fit_run(at(run_day, 21), 10, step_s=2)))[
        "imported"
    ]
    report = {"minutes": 10, "max_pain": 1, "settled_within_minutes": 0}
    report["activity_id"] = kept["activity_id"]
    cli.call("checkin", "-", "--json", stdin=checkin(day, run=report))
    later = cli.call("today", "--date", (day + timedelta(days=1)).isoformat(), "--json")
    assert "d5-run-not-reported" not in rules(later["reasons"])  # the day plan links them
    assert "load-run-not-reported" not in rules(later["warnings"])
    # ... but the ask still tells the runner to add it to 2026-12-10's check-in, and doing so
    # would count the one run twice
    assert run_reports(later) == []


# --- export and import ----------------------------------------------------------------------


@pytest.fixture(
    params=[("sqlite", "sqlite"), ("postgres", "sqlite"), ("sqlite", "postgres")],
    ids=["sqlite-to-sqlite", "postgres-to-sqlite", "sqlite-to-postgres"],
)
def two_dbs(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, str]:
    source, target = request.param
    pg = request.getfixturevalue("postgres_url") if "postgres" in request.param else ""
    return (
        pg if source == "postgres" else str(tmp_path / "from.db"),
        pg if target == "postgres" else str(tmp_path / "to.db"),
    )


def test_activities_travel_in_the_journal_export(two_dbs: tuple[str, str], tmp_path: Path) -> None:
    source, target = Cli(two_dbs[0]), Cli(two_dbs[1])
    modified = (EXAMPLES / "runner-modified-running.json").read_text()
    source.call("start", "-", "--date", START.isoformat(), "--json", stdin=modified)
    folder = tmp_path / "watch"
    write(folder, "run.fit", fit_run(at(START), 6, step_s=2, climb_m=15))
    write(folder, "ride.fit", fit_run(at(START, 17), 6, step_s=2, sport="cycling", speed_mps=7))
    walk = gpx_run(
        at(START + timedelta(days=1)), 6, step_s=2, type_=None, speed_mps=1.3, strides_per_min=None
    )
    write(folder, "walk.gpx", walk)
    whole = fit_run(at(START + timedelta(days=2)), 6, step_s=2)
    write(folder, "cut.fit", whole[: len(whole) * 2 // 3])
    source.import_(folder)
    source.call("checkin", "-", "--json", stdin=checkin(START, {"minutes": 6, "max_pain": 1}))
    before = source.runs()
    assert len(before) == 4

    exported = source.call("export", "--json")
    assert sorted(a["id"] for a in exported["activities"]) == sorted(
        r["activity_id"] for r in before
    )
    backup = tmp_path / "backup.json"
    backup.write_text(json.dumps(exported))
    target.call("import", str(backup), "--json")
    assert target.runs() == before
    for when in (START + timedelta(days=1), START + timedelta(days=3)):
        assert target.call("today", "--date", when.isoformat(), "--json") == source.call(
            "today", "--date", when.isoformat(), "--json"
        )
    again = target.call("export", "--json")
    exported.pop("exported_at")
    again.pop("exported_at")
    assert again == exported
    # imported watch files are still recognised after the move
    duplicates = target.import_(folder)
    assert duplicates["imported"] == []
    assert len(duplicates["duplicates"]) == 4


# --- bad command lines ----------------------------------------------------------------------


@pytest.mark.e2e
def test_a_path_that_does_not_exist_is_rejected_by_name(tmp_path: Path) -> None:
    db = str(tmp_path / "journal.db")
    cli = Cli(db, process=True)
    good = write(tmp_path, "good.fit", fit_run(at(START), 3, step_s=2))
    missing = tmp_path / "no-such-run.fit"
    done = cli.outcome("import", str(missing), str(good), "--json")
    assert done.code == 1, done.stderr
    report = done.json()
    assert report["rejected"] == [{"file": str(missing), "reason": "no such file or folder"}]
    assert [i["file"] for i in report["imported"]] == [str(good)]  # the others still count
    assert activity_rows(db) == [str(good)]


@pytest.mark.e2e
def test_a_file_that_is_not_an_activity_named_on_the_command_line_is_rejected(
    tmp_path: Path,
) -> None:
    notes = write(tmp_path, "notes.txt", b"ran 5 km")
    done = Cli(str(tmp_path / "journal.db"), process=True).outcome("import", str(notes), "--json")
    assert done.code == 1
    assert done.json()["rejected"] == [{"file": str(notes), "reason": "not a FIT, GPX or TCX file"}]


BAD_LINES = [
    (("import", "a.json", "b.fit"), "not both"),
    (("import", "b.fit", "-"), "not both"),
    (("import", "run.fit", "--timezone", "Not/AZone"), "Not/AZone"),
    (("runs", "--since", "2020-13-01"), "--since"),
    (("load", "--date", "2026-02-30"), "--date"),
    (("load", "--date", "2026-12-01", "--weeks", "0"), "--weeks"),
]


@pytest.mark.e2e
@pytest.mark.parametrize(("args", "words"), BAD_LINES, ids=[" ".join(a) for a, _ in BAD_LINES])
def test_a_bad_command_line_exits_2_with_a_message_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], words: str
) -> None:
    db = tmp_path / "journal.db"
    write(tmp_path, "run.fit", fit_run(at(START), 3, step_s=2))
    monkeypatch.chdir(tmp_path)  # the relative names above are in the test's folder
    done = Cli(str(db), process=True).outcome(*args, "--json")
    assert done.code == 2, (done.stdout, done.stderr)
    assert words in done.stderr
    assert done.stdout == ""
    assert not db.exists() or activity_rows(str(db)) == []
