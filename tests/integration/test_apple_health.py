"""An iPhone's Apple Health export imported like any watch file: its running, walking, cycling
and swimming workouts kept with their day, distance and duration, the run's hills from its
route, nothing added twice, the watch's own file of the same run recognised, and hostile or
broken exports refused with nothing kept. Through the command line and the web upload."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from runrehab.adapters.passwords import fast_passwords
from runrehab.adapters.watch import ReadFile, RejectedFile, apple_health, discover, read_source
from runrehab.cli.main import app
from runrehab.web.app import create_app
from runrehab.web.config import WebConfig
from tests.drivers import CliRunner
from tests.fakes import FixedClock
from tests.watchfiles import (
    APPLE_RUN_START,
    accepted,
    apple_health_export_zip,
    apple_health_xml,
    fit_run,
    refused,
)
from tests.web.conftest import sign_up

ENV = {"RUNREHAB_TZ": "UTC", "RUNREHAB_DB": "", "RUNREHAB_PERSON": "", "COLUMNS": "100"}
EXPORT_XML = "apple_health_export/export.xml"
CLI = CliRunner()


@pytest.fixture(params=["sqlite", "postgres"])
def database(request: pytest.FixtureRequest) -> str:
    url: str = request.getfixturevalue(f"migrated_{request.param}_url")
    return url


def runrehab(database: str, *args: str) -> subprocess.CompletedProcess[str]:
    """The command line, run in this process (``tests/e2e`` runs it as a process of its own):
    an exception it did not turn into a message fails the test."""
    argv = ["--db", database, *args]
    result = CLI.invoke(app, argv, env=ENV)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return subprocess.CompletedProcess(argv, result.exit_code, result.stdout, result.stderr)


def imported(database: str, path: Path) -> dict[str, Any]:
    done = runrehab(database, "import", str(path), "--json")
    assert "Traceback" not in done.stderr, done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def runs(database: str) -> list[dict[str, Any]]:
    listed = runrehab(database, "runs", "--json")
    assert listed.returncode == 0, listed.stderr
    activities: list[dict[str, Any]] = json.loads(listed.stdout)["activities"]
    return activities


def test_the_four_workouts_are_kept_with_their_sport_day_distance_and_duration(
    database: str, tmp_path: Path
) -> None:
    export = apple_health_export_zip(tmp_path / "export.zip")
    report = imported(database, export)

    assert report["rejected"] == [] and report["duplicates"] == []
    assert {i["file"] for i in report["imported"]} == {f"{export}:{EXPORT_XML}"}
    assert report["skipped"] == 2  # export_cda.xml, and the route (read with its workout)
    kept = {a["sport"]: a for a in runs(database)}
    assert sorted(kept) == ["cycling", "running", "swimming", "walking"]  # no yoga, no records

    run, walk, ride, swim = (kept[s] for s in ("running", "walking", "cycling", "swimming"))
    assert (run["local_date"], run["start"]) == ("2026-11-30", "2026-11-30T07:00:20+01:00")
    # 00:30 in Paris is still the day before in UTC (RUNREHAB_TZ): the phone's offset wins
    assert (walk["local_date"], walk["start"]) == ("2026-12-01", "2026-12-01T00:30:00+01:00")
    assert walk["distance_km"] == pytest.approx(1.5 * 1.609344, abs=0.001)  # miles
    assert walk["elapsed_s"] == walk["moving_s"] == 35 * 60
    assert ride["distance_km"] == pytest.approx(12.3, abs=0.001)  # from its statistics only
    assert (ride["elapsed_s"], ride["moving_s"]) == (45 * 60, 40 * 60)  # 5 minutes paused
    assert ride["pace_min_per_km"] == pytest.approx(40 / 12.3, abs=0.01)
    assert swim["distance_km"] == pytest.approx(0.9144, abs=0.001)  # 1000 yards
    assert swim["elapsed_s"] == 25 * 60 and swim["indoor"] is True
    assert swim["device"] == "Anna's Apple Watch"
    assert {a["file_format"] for a in kept.values()} == {"apple-health"}
    assert walk["indoor"] is False and walk["elevation_gain_m"] is None


def test_the_run_takes_its_hills_and_pace_from_its_route_and_heart_rate_from_the_export(
    sqlite_url: str, tmp_path: Path
) -> None:
    imported(sqlite_url, apple_health_export_zip(tmp_path / "export.zip"))
    [run] = [a for a in runs(sqlite_url) if a["sport"] == "running"]

    assert run["distance_km"] == pytest.approx(5.04, rel=0.01)  # measured along the route
    assert run["elapsed_s"] == 30 * 60
    assert run["pace_min_per_km"] == pytest.approx(1000 / 2.8 / 60, abs=0.05)
    assert run["elevation_gain_m"] == pytest.approx(40, abs=2)
    assert run["elevation_loss_m"] == pytest.approx(40, abs=2)
    assert run["downhill_km"] == pytest.approx(1.0, abs=0.05)  # the last kilometre, 4 % down
    assert (run["avg_hr"], run["max_hr"]) == (pytest.approx(148, abs=0.5), 171)
    assert run["device"] == "Anna's iPhone" and run["indoor"] is False


def test_the_same_export_again_adds_nothing(database: str, tmp_path: Path) -> None:
    export = apple_health_export_zip(tmp_path / "export.zip")
    first = imported(database, export)
    again = imported(database, export)

    assert again["imported"] == [] and again["rejected"] == []
    assert len(again["duplicates"]) == 4
    kept = {i["activity_id"] for i in first["imported"]}
    assert {d["same_as"] for d in again["duplicates"]} == kept
    assert len(runs(database)) == 4


def test_a_later_export_of_the_same_workouts_adds_nothing(sqlite_url: str, tmp_path: Path) -> None:
    """A new export is another file (new records, new export date): its workouts are still
    recognised by their start and duration."""
    imported(sqlite_url, apple_health_export_zip(tmp_path / "export.zip"))
    later = apple_health_xml().replace(b"2026-12-05 20:00:00", b"2026-12-20 20:00:00")
    again = imported(sqlite_url, apple_health_export_zip(tmp_path / "later.zip", later))

    assert again["imported"] == [] and len(again["duplicates"]) == 4
    assert len(runs(sqlite_url)) == 4


def test_the_watch_s_file_of_the_same_run_makes_the_phone_s_run_a_duplicate(
    database: str, tmp_path: Path
) -> None:
    """The watch started 20 s before the phone; each measured the same 30 minutes."""
    watch = tmp_path / "watch.fit"
    watch.write_bytes(fit_run(APPLE_RUN_START.replace(second=0), 30, step_s=5))
    [from_watch] = imported(database, watch)["imported"]
    report = imported(database, apple_health_export_zip(tmp_path / "export.zip"))

    [duplicate] = report["duplicates"]
    assert duplicate["file"].endswith(EXPORT_XML)
    assert duplicate["same_as"] == from_watch["activity_id"]
    assert sorted(i["sport"] for i in report["imported"]) == ["cycling", "swimming", "walking"]
    kept = runs(database)
    assert len(kept) == 4
    [run] = [a for a in kept if a["sport"] == "running"]
    assert run["file_format"] == "fit"


ENTITIES = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!ENTITY lol "lol">
<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<HealthData locale="en_GB"><Me name="&lol3;"/></HealthData>
"""


@pytest.mark.parametrize(
    ("xml", "says"),
    [
        pytest.param(ENTITIES, "declares XML entities", id="billion-laughs"),
        pytest.param(
            apple_health_xml().replace(b"<!ELEMENT HealthData", b'<!ENTITY x "y">\n<!ELEMENT'),
            "declares XML entities",
            id="an-entity-in-apple-s-doctype",
        ),
        pytest.param(b"PK this is not XML at all", "not valid XML", id="not-xml"),
        pytest.param(
            apple_health_xml()[:3000], "not valid XML", id="cut-short-after-a-workout-began"
        ),
        pytest.param(b"<gpx><trk/></gpx>", "not an Apple Health export", id="another-xml"),
        pytest.param(
            apple_health_xml().replace(b"HKWorkoutActivityType", b"HKWorkoutActivityTypeX"),
            "holds no running, walking, hiking, cycling or swimming workout",
            id="no-workout-of-ours",
        ),
    ],
)
def test_a_hostile_or_broken_export_is_refused_with_its_reason_and_nothing_kept(
    sqlite_url: str, tmp_path: Path, xml: bytes, says: str
) -> None:
    export = apple_health_export_zip(tmp_path / "export.zip", xml)
    report = imported(sqlite_url, export)

    [refused] = report["rejected"]
    assert refused["file"] == f"{export}:{EXPORT_XML}"
    assert says in refused["reason"], refused["reason"]
    assert report["imported"] == []
    assert runs(sqlite_url) == []  # and the route beside it was not imported on its own


def test_the_web_upload_accepts_the_export(database: str, tmp_path: Path) -> None:
    config = WebConfig(
        database=database,
        clock=FixedClock(),
        passwords=fast_passwords(),
        default_timezone="Europe/London",
    )
    export = apple_health_export_zip(tmp_path / "export.zip").read_bytes()
    with TestClient(create_app(config), base_url="http://127.0.0.1") as client:
        runner = sign_up(client)
        runner.page("/runs")
        answer = runner.client.post(
            "/runs/upload",
            data={"csrf_token": runner.csrf},
            files=[("files", ("export.zip", export, "application/zip"))],
            follow_redirects=False,
        )
        assert answer.status_code == 303, answer.text
        job_id = answer.headers["location"].rsplit("/", 1)[1]
        end = time.monotonic() + 15
        while not (job := client.get(f"/api/v1/imports/{job_id}").json())["finished"]:
            assert time.monotonic() < end, "the import did not finish"
            time.sleep(0.05)

        assert job["status"] == "done"
        assert sorted(i["sport"] for i in job["report"]["imported"]) == [
            "cycling",
            "running",
            "swimming",
            "walking",
        ]
        assert {i["file"] for i in job["report"]["imported"]} == {f"export.zip:{EXPORT_XML}"}
        page = runner.page(f"/runs/imports/{job_id}")
        assert "4 activities imported" in page.text
        listed = client.get("/api/v1/activities").json()["activities"]
        assert len(listed) == 4


# --- the reader alone -------------------------------------------------------------------------


def read(export: Path) -> ReadFile | RejectedFile:
    [source] = discover([export]).sources
    return read_source(source)


def test_an_entity_cut_in_two_by_the_reading_is_still_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(apple_health, "CHUNK_BYTES", 5)  # "<!ENTITY" always straddles two
    assert apple_health.ENTITIES in refused(
        read(apple_health_export_zip(tmp_path / "e.zip", ENTITIES))
    )
    assert len(accepted(read(apple_health_export_zip(tmp_path / "ok.zip"))).recordings) == 4


@pytest.mark.parametrize(
    "path", ["/workout-routes/../../../etc/passwd", "/../workout-routes/x.gpx", "/etc/route.gpx"]
)
def test_a_route_outside_the_routes_folder_is_never_read(tmp_path: Path, path: str) -> None:
    """The run is kept, measured from the phone's own figures, as a run without a route."""
    xml = apple_health_xml().replace(b"/workout-routes/route_2026-11-30_7.30am.gpx", path.encode())
    run = accepted(read(apple_health_export_zip(tmp_path / "export.zip", xml))).recordings[0]
    assert all(la is None for la in run.track.latitude)
    assert run.track.distance_m[-1] == pytest.approx(5040)


def test_a_text_in_another_encoding_is_refused(tmp_path: Path) -> None:
    xml = apple_health_xml().replace(b'encoding="UTF-8"', b'encoding="UTF-16"', 1)
    assert "not in UTF-8" in refused(read(apple_health_export_zip(tmp_path / "export.zip", xml)))


def test_the_journal_export_carries_the_phone_s_workouts_to_another_database(
    tmp_path: Path,
) -> None:
    first, second = str(tmp_path / "first.db"), str(tmp_path / "second.db")
    imported(first, apple_health_export_zip(tmp_path / "export.zip"))
    exported = runrehab(first, "export")
    assert exported.returncode == 0, exported.stderr
    journal = tmp_path / "journal.json"
    journal.write_text(exported.stdout)

    restored = runrehab(second, "import", str(journal), "--json")
    assert restored.returncode == 0, restored.stderr
    assert sorted(a["sport"] for a in runs(second)) == sorted(a["sport"] for a in runs(first))
