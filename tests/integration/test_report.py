"""The report for a physiotherapist's minute (issue 15, item 10), from a six-week journal: the
case on page 1 (the runner's notes included), the citations at the end, identical decisions
folded, no empty chart, flares and referrals on the pain chart, chart text legible in print,
the report's own day not counted as missed, and three pages at most."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date, timedelta

import pytest

from runrehab.adapters.exports.report import HALF, WIDE, report_html, report_pdf
from runrehab.content import locale
from runrehab.services.journal.ownership import add_note
from runrehab.services.progress.case import report_case
from runrehab.services.progress.chart_series import progress_series
from runrehab.services.progress.decision_spans import decision_spans
from runrehab.services.progress.downloads import ReportView, report_view
from runrehab.services.progress.figures import DecisionRow, coming_sessions
from tests.conftest import typical_doc
from tests.unit.services.test_progress import Journal, day, done

pytestmark = pytest.mark.filterwarnings(
    "ignore:HarfBuzz-Subset will be required:DeprecationWarning"
)
needs_pdftotext = pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) not installed"
)

NAME = "Alex Morgan"
FLARE = day(21)  # worst pain 7/10: a RED day
REFERRAL = day(33)  # giving way: see a clinician, on hold from then on
THROUGH = day(42)  # the report's day: no check-in yet
NOTES = {
    day(10): "Stairs at work hurt more than running. Should I tape the knee?",
    day(30): "Question for the physio: when can I add hills?",
}
SVG = "{http://www.w3.org/2000/svg}"
A4_TEXT_WIDTH_PT = (210 - 2 * 14) / 25.4 * 72  # the page's width less the report's margins
HALF_WIDTH_PT = 89 / 25.4 * 72  # a chart of a pair (``.pair figure``)


def six_weeks() -> Journal:
    """Six weeks of a runner who misses every sixth day, flares on day 21, is referred on day
    33 (giving way) and stays on hold; three Kujala and weekly pain answers, two notes."""
    j = Journal()
    people = j.uow.repo.t.people
    people[j.person] = replace(people[j.person], name=NAME)
    skip = frozenset(day(n) for n in range(6, 42, 6))
    j.follow(day(1), 20, skip)
    j.checkin(FLARE, worst=7)
    j.follow(day(22), 11, skip)
    session = coming_sessions(j.uow.repo, j.content, j.person, REFERRAL, 1)[0]
    j._record({**done(session), "signs": {"giving_way": True}})
    j.follow(day(34), 8, skip)
    for n, (score, usual, worst) in zip(
        (1, 15, 29), [(55, 3, 6), (61, 2, 4), (68, 1, 3)], strict=True
    ):
        j.kujala(day(n), score)
        j.weekly_pain(day(n), usual, worst)
    for when, text in NOTES.items():
        add_note(j.uow, j.clock, when, text, words=j.content.words)
    return j


@pytest.fixture(scope="module")
def journal() -> Journal:
    return six_weeks()


@pytest.fixture(scope="module")
def view(journal: Journal) -> ReportView:
    return report_view(journal.uow, journal.content, journal.person, THROUGH)


@pytest.fixture(scope="module")
def html(journal: Journal, view: ReportView) -> str:
    return report_html(view.progress, view.week, journal.content, view.sessions)


@pytest.fixture(scope="module")
def pages(html: str, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The PDF's pages as text (``pdftotext``), each with its words on one line."""
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils (pdftotext) not installed")
    folder = tmp_path_factory.mktemp("report")
    (folder / "report.pdf").write_bytes(report_pdf(html))
    text = subprocess.run(
        ["pdftotext", "report.pdf", "-"], cwd=folder, check=True, capture_output=True, text=True
    ).stdout
    return [" ".join(page.split()) for page in text.split("\f") if page.strip()]


def bare(text: str) -> str:
    """Text without spaces and hyphens: pdftotext joins a word broken at a hyphen."""
    return re.sub(r"[\s-]", "", text)


# --- page 1: the case -------------------------------------------------------------------------


@needs_pdftotext
def test_page_one_gives_the_case(pages: list[str], view: ReportView, journal: Journal) -> None:
    first = pages[0]
    progress = view.progress
    mic = journal.content.protocol.settings.kujala_mic
    programme = progress.programme
    for expected in (
        f"{NAME}, 34 years, right knee; symptoms for 4 weeks",  # who, side, age, symptoms
        "30 km a week in 3 runs",  # usual running
        "Referred:",  # the status, its date and its reason
        f"Since {locale.day_text(REFERRAL, True)}: Giving way",
        f"Phase {programme.phase}: {programme.phase_name}",
        "Worst pain in 24 h, weekly mean:",  # the pain trend
        f"Highest: 7/10 on {locale.short_day_text(FLARE)}",
        f"+13 points. A change of {mic} points matters: reached.",  # Kujala against its MIC
        "Training logged on",  # adherence
        "Running load",
        f"1 RED day: {locale.short_day_text(FLARE)} (worst 7/10)",  # the flare
        "Assessment of Mon 2 Mar 2026: self-management, no red flag.",  # red-flag screens
        f"reported on {locale.short_day_text(REFERRAL)} (Giving way",
    ):
        assert expected in first, expected
    for line in report_case(progress, view.week.week_start, view.sessions).lines:
        assert bare(line.text) in bare(first), line.key  # every line of the case is on page 1
    for when, text in NOTES.items():  # the runner's own notes, with their dates
        assert f"{locale.day_text(when, True)}" in first and text in first


@needs_pdftotext
def test_the_citations_are_off_page_one_in_the_sources_at_the_end(pages: list[str]) -> None:
    citation = "Crossley et al. 2016, international consensus"
    assert citation not in pages[0]
    assert "Sources" in pages[-1] and citation in pages[-1]
    assert pages[-1].count(citation) == 1  # each source once, numbered


@needs_pdftotext
def test_a_six_week_report_is_three_pages_at_most(pages: list[str]) -> None:
    assert 1 <= len(pages) <= 3  # six-week journals printed seven pages before


def test_the_mic_of_the_case_is_the_settings(view: ReportView) -> None:
    """The Kujala line says the protocol's minimal important change, never one of its own."""
    for mic, verdict in ((13, "reached"), (14, "not reached yet")):
        progress = replace(view.progress, kujala_mic=mic)
        lines = report_case(progress, view.week.week_start).lines
        kujala = next(line for line in lines if line.key == "kujala")
        assert f"A change of {mic} points matters: {verdict}." in kujala.text


def test_a_red_flag_at_the_assessment_is_not_a_check_in_screen() -> None:
    """The assessment's red flag is said as the assessment's; the check-ins screened after it
    reported none, so none is counted as theirs."""
    j = Journal(typical_doc(**{"signs.hot": True, "signs.fever_or_unwell": True}))
    for n in range(1, 6):
        j.checkin(day(n))
    view = report_view(j.uow, j.content, j.person, day(5))
    lines = {line.key: line for line in report_case(view.progress, view.week.week_start).lines}
    screens = lines["screens"]
    assert screens.alert and "Assessment of Mon 2 Mar 2026: urgent care." in screens.text
    assert "Warning signs asked at each of 5 check-ins: none reported." in screens.text
    assert lines["status"].alert and lines["status"].text.startswith("Stopped:")


# --- decisions --------------------------------------------------------------------------------


def hold(on: date, detail: str = "") -> DecisionRow:
    reason = {"rule": "p2-foundation-gate", "title": "Gate", "detail": detail, "source": "S"}
    return DecisionRow(on, "hold", "self_manage", 2, "Foundation", 0, "green", (reason,))


def test_consecutive_identical_decisions_fold_into_one_row_with_their_range(
    view: ReportView,
) -> None:
    holds = tuple(hold(day(n), f"{n} of at least 7 days") for n in range(10, 21))
    advance = replace(hold(day(21)), action="advance")
    more = (hold(day(22)), hold(day(23)))
    spans = decision_spans(replace(view.progress, decisions=(*holds, advance, *more)))
    assert [(s.first, s.last, s.action, s.count) for s in spans] == [
        (day(10), day(20), "hold", 11),
        (day(21), day(21), "advance", 1),
        (day(22), day(23), "hold", 2),  # another decision between starts a new row
    ]
    assert spans[0].reasons[0]["detail"] == "20 of at least 7 days"  # the last day's


def test_the_days_on_hold_are_one_row_in_the_report(view: ReportView, html: str) -> None:
    case = report_case(view.progress, view.week.week_start)
    held = [s for s in case.decisions if s.first > REFERRAL]
    assert len(held) == 1
    (row,) = held
    assert (row.first, row.last) == (REFERRAL + timedelta(days=1), THROUGH - timedelta(days=1))
    rows = re.findall(r'<tr class="decision">.*?</tr>', html, re.S)
    dated = [r for r in rows if f"{locale.short_day_text(row.first)}" in r]
    assert (
        len(dated) == 1
        and f"{locale.short_day_text(row.first)} – {locale.short_day_text(row.last)}" in dated[0]
    )


# --- charts -----------------------------------------------------------------------------------


def test_a_chart_without_data_is_left_out_of_the_report() -> None:
    """Two weeks without a run or a questionnaire: the pain chart only, no placeholder."""
    j = Journal()
    for n in range(1, 15):
        j.checkin(day(n))
    view = report_view(j.uow, j.content, j.person, day(14))
    page = report_html(view.progress, view.week, j.content, view.sessions)
    assert page.count("<svg") == 1 and 'class="chart pain"' in page
    assert "No runs yet" not in page and "No Kujala scores yet" not in page
    assert progress_series(view.progress, None)["running"].empty == "No runs yet"
    fresh = Journal()
    empty = report_view(fresh.uow, fresh.content, fresh.person, day(1))
    page = report_html(empty.progress, empty.week, fresh.content, empty.sessions)
    assert "<svg" not in page and "No check-ins yet" not in page


def test_the_pain_chart_marks_the_flare_and_the_referral(html: str) -> None:
    found = re.search(r'<svg[^>]*id="report-pain".*?</svg>', html, re.S)
    assert found is not None
    svg = found.group(0)
    ET.fromstring(svg)  # well-formed, inline in the page
    assert f'id="pain-flare-{FLARE.isoformat()}"' in svg
    assert f'id="pain-referral-{REFERRAL.isoformat()}"' in svg
    assert f'id="pain-flare-{REFERRAL.isoformat()}"' not in svg  # a warning sign's RED
    assert "flare (RED day)" in svg and "referred to a clinician" in svg  # in the legend


def test_the_report_charts_print_their_text_at_nine_points_or_more(html: str) -> None:
    """A chart fills its figure (the page's text width, or a pair's half), so a text of F
    units in a view box W units wide prints at F x room / W points."""
    assert "figure svg { display: block; width: 100%; height: auto; }" in html
    charts = re.findall(r"<svg.*?</svg>", html, re.S)
    assert len(charts) == 2  # pain and Kujala: no run in these six weeks, no running chart
    for svg in charts:
        root = ET.fromstring(svg)
        width = float(root.get("viewBox", "").split()[2])
        room = A4_TEXT_WIDTH_PT if root.get("id") == "report-pain" else HALF_WIDTH_PT
        assert width == (WIDE if root.get("id") == "report-pain" else HALF)
        sizes = [float(t.get("font-size") or 0) for t in root.iter(f"{SVG}text")]
        assert sizes and min(sizes) * room / width >= 9, root.get("id")


@needs_pdftotext
def test_the_pdf_draws_the_charts_with_their_words(pages: list[str]) -> None:
    """WeasyPrint draws the inline SVG: its axis dates and legend are text in the PDF."""
    text = " ".join(pages)
    assert "flare (RED day)" in text and "worst in 24 h" in text
    assert f"{day(1):%a} {day(1).day} {day(1):%b}" in text  # the page's one date format


# --- the report's own day -----------------------------------------------------------------------


def test_the_reports_own_day_without_a_check_in_is_not_missed() -> None:
    j = Journal()
    for n in range(1, 10):
        j.checkin(day(n))
    view = report_view(j.uow, j.content, j.person, day(10))
    progress = view.progress
    assert progress.through == day(10) and progress.days[-1].day == day(9)
    assert all(d.checked_in for d in progress.days)
    assert progress.weeks[-1].days_in_programme == 2  # Mon and Tue, not Wed (the report's)
    assert view.week.missing_days == ()
    case = report_case(progress, view.week.week_start, view.sessions)
    adherence = next(line.text for line in case.lines if line.key == "adherence")
    assert "Training logged on 9 of 9 days (100 %), check-ins on 9." in adherence
    assert "training on 2 of 2 days. A check-in every day." in adherence
    assert case.open_day == day(10)
    page = report_html(progress, view.week, j.content, view.sessions)
    assert "No check-in on" not in page
    j.checkin(day(10))  # once checked in, the day counts
    counted = report_view(j.uow, j.content, j.person, day(10)).progress
    assert counted.days[-1].day == day(10) and counted.weeks[-1].days_in_programme == 3
