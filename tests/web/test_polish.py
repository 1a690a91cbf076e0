"""The polish of issue 16, item 6, without a browser: one date format, counts that agree with
their nouns, a number to call on the red-flag screens, and the report link's progress."""

from __future__ import annotations

from datetime import date

from runrehab.content.words import shipped_words
from runrehab.web.rendering import nice_date, plural
from tests.web.conftest import ProgrammeRunner
from tests.web.test_checkin import GOOD_DAY
from tests.web.test_today import check_in


def test_one_date_format_everywhere() -> None:
    assert nice_date(date(2026, 12, 2)) == "Wed 2 Dec"
    assert nice_date("2026-12-02", with_year=True) == "Wed 2 Dec 2026"
    assert nice_date("2026-12-02T08:30:00+00:00") == "Wed 2 Dec"  # a timestamp's day
    assert nice_date(None) == "" and nice_date("") == ""


def test_a_count_agrees_with_its_noun() -> None:
    assert plural(1, "run") == "1 run"
    assert plural(3, "run") == "3 runs"
    assert plural(0, "week") == "0 weeks"
    assert plural(1, "activity", "activities") == "1 activity"
    assert plural(2, "activity", "activities") == "2 activities"


def test_the_emergency_number_is_a_setting_with_its_words() -> None:
    words = shipped_words()
    assert words.say("emergency.call.number") == "112"
    assert "your local emergency number elsewhere" in words.say("emergency.call.where")


def test_an_emergency_on_today_offers_a_call(runner_with_programme: ProgrammeRunner) -> None:
    me = runner_with_programme
    doc = {**GOOD_DAY, "signs": {"breathless_or_chest_pain": True}}
    assert me.api("POST", "/api/v1/checkins", json=doc).status_code in (200, 201)
    today = me.page("/today").text
    assert 'class="emergency" role="alert"' in today
    assert '<a class="call" href="tel:112">Call 112</a>' in today
    assert "(in Europe; your local emergency number elsewhere)" in today


def test_an_urgent_stop_on_today_has_no_call_button(runner_with_programme: ProgrammeRunner) -> None:
    me = runner_with_programme
    me.page("/checkin")
    check_in(me, signs="calf_pain_or_swelling")
    today = me.page("/today").text
    assert "See a doctor today." in today and "tel:" not in today


def test_the_report_link_works_without_script_and_says_when_it_is_busy(
    runner_with_programme: ProgrammeRunner,
) -> None:
    me = runner_with_programme
    page = me.page("/progress").text
    assert 'href="/progress/report.pdf" download data-report="report-status"' in page
    assert 'id="report-status" role="status"' in page and "js/report.js" in page
    script = me.client.get("/static/js/report.js").text
    assert "Preparing your report…" in script


def test_the_runs_page_counts_in_words(
    runner_with_programme: ProgrammeRunner,
) -> None:
    me = runner_with_programme
    page = me.page("/runs").text
    assert "Nothing here yet" in page  # no runs: neither cards nor table
    assert "The last 4 weeks" in page and "in the last 30 days" in page
