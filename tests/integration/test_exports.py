"""The exports drawn from a seven-week journal: charts (PNG, SVG), the report (HTML, PDF), the
calendar (.ics), and the commands that write them."""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from typer.testing import CliRunner

from runrehab.adapters.exports import charts
from runrehab.adapters.exports.calendar import sessions_ics
from runrehab.adapters.exports.report import report_html, report_pdf
from runrehab.cli import progress as progress_cli
from runrehab.cli.app import guarded
from runrehab.cli.main import app
from runrehab.services.content import shipped_content
from runrehab.services.progress.figures import Progress, coming_sessions, week_summary
from tests.fakes import FixedClock
from tests.unit.services.test_progress import MONDAY, Journal

# WeasyPrint warns at import when the system lacks HarfBuzz's subsetter (it falls back to
# fontTools, slower but correct); the machine's libraries are not the project's to change
pytestmark = pytest.mark.filterwarnings(
    "ignore:HarfBuzz-Subset will be required:DeprecationWarning"
)

WEEKS = 7  # long enough to reach phase 5; the 12-week timing is measured outside the tests
THROUGH = MONDAY + timedelta(days=WEEKS * 7 - 1)
SVG = "{http://www.w3.org/2000/svg}"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
needs_poppler = pytest.mark.skipif(
    not (shutil.which("pdftoppm") and shutil.which("pdftotext")),
    reason="poppler-utils (pdftoppm, pdftotext) not installed",
)


@pytest.fixture(scope="module")
def journal() -> Journal:
    """Seven weeks of a faithful runner who misses every sixth day, with questionnaires."""
    j = Journal()
    skip = frozenset(MONDAY + timedelta(days=n) for n in range(5, WEEKS * 7, 6))
    j.follow(MONDAY, WEEKS * 7, skip)
    for week, (score, usual, worst) in enumerate([(55, 3, 6), (61, 2, 4), (68, 1, 3)]):
        j.kujala(MONDAY + timedelta(weeks=3 * week), score)
        j.weekly_pain(MONDAY + timedelta(weeks=3 * week), usual, worst)
    return j


@pytest.fixture(scope="module")
def progress(journal: Journal) -> Progress:
    return journal.progress(THROUGH)


@pytest.fixture(scope="module")
def sessions(journal: Journal) -> list[dict[str, Any]]:
    return coming_sessions(journal.uow.repo, journal.content, journal.person, THROUGH, 28)


@pytest.fixture(scope="module")
def html(journal: Journal, progress: Progress, sessions: list[dict[str, Any]]) -> str:
    summary = week_summary(progress, THROUGH)
    return report_html(progress, summary, journal.content, sessions[:7])


@pytest.fixture(scope="module")
def fresh() -> Progress:
    """A programme started today: no check-in, no questionnaire yet."""
    return Journal().progress(MONDAY)


# --- charts -----------------------------------------------------------------------------------


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(PNG_MAGIC)
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk comes first
    return width, height


@pytest.mark.parametrize("name", list(charts.CHARTS))
def test_each_chart_is_a_png_of_a_sensible_size(progress: Progress, name: str) -> None:
    width, height = png_size(charts.CHARTS[name](progress, "png"))
    assert 600 <= width <= 2000 and 300 <= height <= 1500


@pytest.mark.parametrize("name", list(charts.CHARTS))
def test_each_chart_is_a_titled_reproducible_svg(progress: Progress, name: str) -> None:
    data = charts.CHARTS[name](progress, "svg")
    root = ET.fromstring(data)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    title = root.find(f"{SVG}title")
    assert title is not None and title.text
    texts = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert texts.strip()  # text kept as text: searchable and read out
    assert b"<dc:date>" not in data


def test_an_svg_chart_is_the_same_file_every_time(progress: Progress) -> None:
    assert charts.pain_chart(progress, "svg") == charts.pain_chart(progress, "svg")


def test_the_pain_chart_names_the_phases(progress: Progress) -> None:
    svg = charts.pain_chart(progress, "svg").decode()
    for band in progress.phases:
        assert band.name in svg or f"P{band.phase}" in svg
    assert progress.programme.phase_name in svg


def test_the_kujala_chart_draws_the_baseline_plus_ten_line(progress: Progress) -> None:
    svg = charts.kujala_chart(progress, "svg").decode()
    assert "baseline + 10" in svg and "65" in svg


@pytest.mark.parametrize("name", list(charts.CHARTS))
def test_a_chart_without_data_says_so(fresh: Progress, name: str) -> None:
    svg = charts.CHARTS[name](fresh, "svg").decode()
    assert re.search(r"No (data|check-ins|runs|Kujala scores) yet", svg)
    assert png_size(charts.CHARTS[name](fresh, "png"))[0] >= 600


def test_an_unknown_chart_format_is_refused(progress: Progress) -> None:
    with pytest.raises(ValueError, match="png, svg"):
        charts.pain_chart(progress, "jpeg")


# --- report -----------------------------------------------------------------------------------


def test_the_html_report_loads_nothing_from_elsewhere(html: str) -> None:
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html)
    assert "<link" not in html and "<script" not in html


def rule_titles(progress: Progress) -> list[str]:
    """The titles of the rules behind the decisions that moved the runner on."""
    moves = [d for d in progress.decisions if d.action in ("advance", "climb")]
    assert moves, "the journal should move the runner on at least once"
    return [r["title"] for d in moves for r in d.reasons]


def test_the_html_report_holds_what_a_physiotherapist_looks_for(
    html: str, progress: Progress
) -> None:
    for expected in (
        progress.programme.phase_name,
        *[band.name for band in progress.phases],
        *rule_titles(progress),
        "Self-reported data",
        "The case",
        "The runner's notes and questions",
        "Exercises: doses and pain",
        "Assessment and triage",
        "Fits runner&#39;s knee",
        "Pathway: Rest and rebuild",
        "Phase timeline",
        "Kujala",
        "Adherence",
        "Decisions and their reasons",
        "Coming sessions (projection)",
        "Sources",
    ):
        assert expected in html, expected
    # the pain chart across the page, the running and Kujala charts side by side; the
    # adherence chart's figures are in the case and the table by week
    assert html.count("<svg") == 3
    for name in ("pain", "running", "kujala"):
        assert f'class="chart {name}"' in html
    assert "No data yet" not in html


@pytest.fixture(scope="module")
def pdf(html: str) -> bytes:
    return report_pdf(html)


@needs_poppler
def test_the_pdf_report_renders_to_pages(pdf: bytes, tmp_path: Path) -> None:
    assert pdf.startswith(b"%PDF-")
    (tmp_path / "report.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "50", "report.pdf", "page"], cwd=tmp_path, check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert pages
    assert png_size(pages[0].read_bytes())[0] > 300


@needs_poppler
def test_the_pdf_report_has_the_expected_words(
    pdf: bytes, progress: Progress, tmp_path: Path
) -> None:
    (tmp_path / "report.pdf").write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "report.pdf", "-"], cwd=tmp_path, check=True, capture_output=True, text=True
    ).stdout
    text = " ".join(text.split())  # words wrapped across lines come back with a space
    for expected in (progress.programme.phase_name, "Kujala", rule_titles(progress)[-1]):
        assert expected in text, expected
    assert "Self-reported data" in text


# --- calendar ---------------------------------------------------------------------------------


def test_the_calendar_has_one_all_day_event_per_coming_session(
    sessions: list[dict[str, Any]],
) -> None:
    ics = sessions_ics(sessions, "runner-1", stamp=datetime(2026, 5, 25, tzinfo=UTC))
    calendar = Calendar.from_ical(ics)
    events = calendar.walk("VEVENT")
    assert len(events) == 28
    starts = [e.decoded("dtstart") for e in events]
    assert starts == [THROUGH + timedelta(days=n) for n in range(28)]
    assert all(type(s) is date for s in starts)  # all-day events
    assert [e.decoded("dtend") - e.decoded("dtstart") for e in events] == [timedelta(days=1)] * 28
    assert str(events[0]["uid"]) == f"runner-1-{THROUGH.isoformat()}@runrehab"
    assert str(events[0]["summary"]).startswith("Knee programme: phase ")
    assert "projection" in str(events[0]["description"]).lower()
    assert calendar["prodid"] and str(calendar["version"]) == "2.0"


def test_the_calendar_is_the_same_file_for_the_same_sessions(
    sessions: list[dict[str, Any]],
) -> None:
    stamp = datetime(2026, 5, 25, tzinfo=UTC)
    assert sessions_ics(sessions, "r", stamp=stamp) == sessions_ics(sessions, "r", stamp=stamp)


def test_a_rest_day_and_a_walk_run_day_read_well(sessions: list[dict[str, Any]]) -> None:
    from runrehab.adapters.exports.sessions import title

    base = sessions[0]
    from runrehab.services.journal.session_view import DAY_WORDS

    off = {**base, "training_day": False, "run": None, "cross_training": None}
    rest = {**off, "exercises": [], "kind": "rest", "day_words": DAY_WORDS["rest"]}
    assert title(rest).endswith("— rest day")
    first = next(s for s in sessions if len(s["exercises"]) >= 2)
    daily = {**off, "exercises": first["exercises"][:2], "kind": "daily"}
    daily["day_words"] = DAY_WORDS["daily"]
    assert title(daily).endswith("— not a training day: daily exercises only, 2 exercises")
    walk_run = {
        **base,
        "run": {
            "kind": "walk_run",
            "run_minutes": 1,
            "walk_minutes": 2,
            "repeats": 10,
            "total_minutes": 30,
            "limits": [],
        },
    }
    assert "walk/run 1 min run / 2 min walk × 10 (30 min)" in title(walk_run)


# --- commands ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def first_week() -> Journal:
    """One week of check-ins: the commands' charts are drawn above, this keeps them quick."""
    j = Journal()
    j.follow(MONDAY, 7)
    return j


@pytest.fixture
def cli(first_week: Journal, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """The commands, reading the in-memory journal instead of a database."""

    content, clock = shipped_content(), FixedClock()

    def fake_journal(action: Any) -> Any:
        return guarded(lambda: action(first_week.uow, content, clock))

    monkeypatch.setattr(progress_cli, "_with_journal", fake_journal)
    return CliRunner()


def test_report_writes_html_and_the_chart_files(cli: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    day = (MONDAY + timedelta(days=6)).isoformat()
    result = cli.invoke(
        app, ["report", "--date", day, "--out", str(out), "--charts", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert "Decisions and their reasons" in out.read_text(encoding="utf-8")
    names = sorted(p.name for p in tmp_path.iterdir() if p.name != "report.html")
    assert names == sorted(f"{n}.{f}" for n in charts.CHARTS for f in ("png", "svg"))


def test_calendar_writes_to_stdout(cli: CliRunner) -> None:
    result = cli.invoke(app, ["calendar", "--date", "2026-03-09", "--days", "3", "--out", "-"])
    assert result.exit_code == 0, result.output
    assert len(Calendar.from_ical(result.stdout_bytes).walk("VEVENT")) == 3


def test_summary_json_is_the_week_of_the_date(cli: CliRunner) -> None:
    result = cli.invoke(app, ["summary", "--date", "2026-03-05", "--json"])
    assert result.exit_code == 0, result.output
    view = json.loads(result.stdout)
    assert (view["week_start"], view["days_checked_in"]) == (MONDAY.isoformat(), 4)
    assert view["lines"]


def test_summary_prints_the_week_in_words(cli: CliRunner) -> None:
    result = cli.invoke(app, ["summary", "--date", "2026-03-08"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Week of Mon 2 Mar to Sun 8 Mar 2026")
    assert "• Checked in on 7 of 7 days." in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", "--date", "2026-02-30", "--out", "r.pdf"], "--date must be a date"),
        (["report", "--date", "2026-03-02", "--out", "r.docx"], "must end in .pdf or .html"),
        (["report", "--date", "2026-03-02", "--out", "/no/such/dir/r.pdf"], "cannot write"),
        (["calendar", "--date", "2026-03-02", "--out", "cal.txt"], "an .ics file"),
        (["summary", "--date", "tomorrow"], "--date must be a date"),
    ],
)
def test_bad_input_exits_2_with_a_message(cli: CliRunner, args: list[str], message: str) -> None:
    result = cli.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_a_report_before_any_check_in_still_renders(fresh: Progress, journal: Journal) -> None:
    """Without a check-in there is nothing to chart: no chart, no placeholder; the case and
    the tables say what is missing."""
    html = report_html(fresh, week_summary(fresh, MONDAY), journal.content)
    assert "<svg" not in html and "No check-ins yet" not in html
    assert "Not answered yet (a change of 10 points matters)." in html
    assert "No programme days yet." in html and "No exercise logged yet." in html


def test_a_referral_shows_in_the_report_timeline_projection_and_calendar() -> None:
    """On hold, the report's timeline has the hold's row (since when, the rule), its coming
    sessions and the calendar say "on hold" and hold no run."""
    from tests.unit.services.test_progress import day, done

    j = Journal()
    j.follow(day(1), 7)
    first = coming_sessions(j.uow.repo, j.content, j.person, day(8), 1)[0]
    j._record({**done(first), "signs": {"giving_way": True}})
    progress = j.progress(day(12))
    sessions = coming_sessions(j.uow.repo, j.content, j.person, day(12), 7)
    page = report_html(progress, week_summary(progress, day(12)), j.content, sessions)
    row = re.search(r'<p class="hold">(.*?)</p>', page, re.S)
    assert row is not None
    assert "On hold" in row.group(1) and progress.hold is not None
    assert progress.hold["rule"] in row.group(1) and "ongoing" in row.group(1)
    assert "(5 d)" in row.group(1)  # days 8 to 12
    # the coming week, its identical days in one row: every one on hold
    rows = re.findall(r"<tr><td class=\"d\"[^>]*>(.*?)</td><td>(.*?)</td></tr>", page)
    assert rows and all(title.startswith("Knee programme: on hold") for _, title in rows)
    assert rows[0][0] == f"{day(12):%d %b} – {day(18):%d %b}" and len(rows) == 1
    events = Calendar.from_ical(sessions_ics(sessions, "r")).walk("VEVENT")
    assert all(str(e["SUMMARY"]).startswith("Knee programme: on hold") for e in events)
    assert all("no run" in str(e["SUMMARY"]) for e in events)
    assert all(progress.hold["rule"] in str(e["DESCRIPTION"]) for e in events)
