"""The progress charts drawn as SVG by hand: valid, accessible, readable on a phone, sensible for
0, 1, 2 and many days, flares and referrals marked, distances in the runner's unit; and the
headline's words (pain's way, the streak, the phase)."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from runrehab.adapters.exports.svg_charts import FONT, PHONE_PX, WIDTH, chart_svg, sparkline_svg
from runrehab.content.words import shipped_words
from runrehab.services.progress import drawn
from runrehab.services.progress.chart_series import (
    ChartSeries,
    in_unit,
    load_series,
    nice_top,
    progress_series,
    running_series,
)
from runrehab.services.progress.figures import (
    DayRow,
    DecisionRow,
    KujalaRow,
    PhaseSpan,
    ProgrammeRow,
    Progress,
    _weeks,
)
from runrehab.services.progress.headline import checked_in_streak, headline, pain_trend

SVG = "{http://www.w3.org/2000/svg}"
START = date(2026, 12, 1)  # a Tuesday
PHASES = [(1, "Settle"), (2, "Foundation"), (3, "Load"), (4, "Return to run"), (5, "Build")]
DATE_LABEL = re.compile(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) [1-9][0-9]? [A-Z][a-z]{2}")
Pain = int | None


def progress_of(
    worst: Sequence[Pain],
    red: Sequence[int] = (),
    referred: Sequence[int] = (),
    run_km: float | None = None,
    kujala: Sequence[float] = (),
) -> Progress:
    """A runner's progress over ``len(worst)`` days from ``START``: the worst pain of each
    (None: no check-in), RED days and referrals by index, a run of 30 minutes (``run_km``)
    every third day checked in, Kujala scores a fortnight apart."""
    days = tuple(_day(i, p, i in red, run_km) for i, p in enumerate(worst))
    through = START + timedelta(days=max(len(worst) - 1, 0))
    decisions = tuple(
        DecisionRow(START + timedelta(days=i), "refer", "refer", 1, "Settle", 0, None, ())
        for i in referred
    )
    spans = (PhaseSpan(1, "Settle", START, days[-1].day),) if days else ()
    return Progress(
        "p-1",
        "Sam",
        through,
        (),
        None,
        ProgrammeRow(START, None, "rest_and_rebuild", 1, "Settle", "goal", 0, "active", None),
        days,
        spans,
        _weeks(days),
        tuple(
            KujalaRow(START + timedelta(days=14 * i), s, s - kujala[0], s - kujala[0] >= 10)
            for i, s in enumerate(kujala)
        ),
        (),
        decisions,
        kujala_mic=10,
        words=shipped_words("en"),
    )


def _day(i: int, worst: Pain, red: bool, run_km: float | None) -> DayRow:
    day = START + timedelta(days=i)
    if worst is None:
        return DayRow(day, 1, False)
    run = i % 3 == 0
    return DayRow(
        day,
        1,
        True,
        pain_now=max(0, worst - 1),
        pain_at_rest=0,
        pain_worst=worst,
        colour="red" if red else "green",
        exercises_logged=True,
        trained=True,
        run_minutes=30.0 if run else None,
        run_km=run_km if run else None,
    )


def load_of(weeks: int, km: float = 5.0) -> dict[str, Any]:
    return {
        "weeks": [
            {
                "week_of": (START + timedelta(days=7 * w - 1)).isoformat(),
                "runs": w % 2,
                "run_minutes": 30.0 * (w % 2),
                "run_km": km * (w % 2),
                "cross_training_minutes": 20.0,
            }
            for w in range(weeks)
        ]
    }


def every_chart(progress: Progress, unit: str = "km") -> dict[str, ChartSeries]:
    return progress_series(progress, load_of(len(progress.weeks)), unit)


def parsed(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # raises on anything that is not well-formed XML


def assert_readable(svg: str) -> None:
    """Well-formed, an image with its title and description, every text at least 12 px on a
    phone, every number finite and inside the view box."""
    root = parsed(svg)
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text and desc is not None and desc.text
    labelled = (root.get("aria-labelledby") or "").split()
    assert labelled == [title.get("id"), desc.get("id")]
    _, _, width, height = (float(v) for v in (root.get("viewBox") or "").split())
    for text in root.iter(f"{SVG}text"):
        size = float(text.get("font-size") or root.get("font-size") or 0)
        assert size >= FONT, text.text  # at least 12 px at a phone's width (the test above)
        x, y = float(text.get("x") or 0), float(text.get("y") or 0)
        assert -1 <= x <= width + 1 and 0 <= y <= height, (text.text, x, y)
    numbers = re.findall(r'\s(?:x|y|x1|x2|y1|y2|cx|cy|r|width|height)="([^"]+)"', svg)
    assert numbers and all(math.isfinite(float(n)) for n in numbers)


def date_labels(svg: str) -> list[str]:
    root = parsed(svg)
    return [t.text or "" for t in root.iter(f"{SVG}text") if "rc-date" in (t.get("class") or "")]


# --- phone-sized text ------------------------------------------------------------------------


def test_the_smallest_text_is_at_least_12_px_on_a_360_px_phone() -> None:
    assert FONT * PHONE_PX / WIDTH >= 12


@pytest.mark.parametrize("days", [0, 1, 2, 3, 60])
def test_every_chart_is_valid_accessible_svg_for_0_1_2_and_many_days(days: int) -> None:
    progress = progress_of(
        [max(0, 5 - i // 10) for i in range(days)], kujala=[60, 72][: days // 30]
    )
    for name, series in every_chart(progress).items():
        svg = chart_svg(series)
        assert_readable(svg)
        assert parsed(svg).get("id") == f"chart-{name}"


@settings(max_examples=60, deadline=None)
@given(
    worst=st.lists(st.one_of(st.none(), st.integers(0, 10)), max_size=120),
    unit=st.sampled_from(["km", "mi"]),
)
def test_any_journal_length_draws_every_chart_sensibly(worst: list[Pain], unit: str) -> None:
    progress = progress_of(worst, red=[i for i, p in enumerate(worst) if p and p >= 7], run_km=5)
    for series in every_chart(progress, unit).values():
        svg = chart_svg(series)
        assert_readable(svg)
        labels = date_labels(svg)
        # few dates, each in the page's one format, in order
        assert len(labels) <= 3 and all(DATE_LABEL.fullmatch(label) for label in labels)
        if series.empty is None:
            assert labels, series.name


# --- days ------------------------------------------------------------------------------------


def test_one_check_in_is_a_point_on_a_week_not_an_axis_of_hours() -> None:
    series = progress_series(progress_of([4]), None)["pain"]
    assert len(series.x) == 7 and series.x[-1] == START
    svg = chart_svg(series)
    labels = date_labels(svg)
    assert labels[0] == "Wed 25 Nov" and labels[-1] == "Tue 1 Dec"
    # a lone point is a dot, in the day's traffic light: a line of one point draws nothing
    dots = parsed(svg).findall(f".//{SVG}circle[@class='rc-light-green']")
    assert len(dots) == 2  # the day's, and the legend's
    assert "green day" in svg
    assert "Worst pain stayed at 4 out of 10 over 0 days." in series.desc


def test_two_check_ins_are_joined_and_described() -> None:
    series = progress_series(progress_of([5, 2]), None)["pain"]
    svg = chart_svg(series)
    assert parsed(svg).find(f".//{SVG}path[@class='rc-worst']") is not None
    assert series.desc == "Worst pain fell from 5 to 2 out of 10 over 1 day."


def test_a_day_without_a_check_in_is_a_gap_not_a_joined_line() -> None:
    series = progress_series(progress_of([3, 3, None, 2, 2]), None)["pain"]
    paths = parsed(chart_svg(series)).findall(f".//{SVG}path[@class='rc-worst']")
    assert len(paths) == 2


def test_the_description_says_the_key_facts_in_words() -> None:
    worst = [5] * 7 + [4] * 14 + [2] * 21
    series = progress_series(progress_of(worst, red=[3], referred=[10]), None)["pain"]
    assert series.desc.startswith("Worst pain fell from 5 to 2 out of 10 over 6 weeks.")
    assert "1 flare (a RED day) is marked." in series.desc
    assert "1 day the programme sent you to a clinician is marked." in series.desc


def test_flares_and_referrals_are_marked_on_their_days() -> None:
    progress = progress_of([2, 7, 3, 2, 6, 2], red=[1, 4], referred=[4])
    svg = chart_svg(progress_series(progress, None)["pain"])
    root = parsed(svg)
    marks = {g.get("id") for g in root.iter(f"{SVG}g") if "rc-mark " in (g.get("class") or "")}
    assert marks == {"pain-flare-2026-12-02", "pain-flare-2026-12-05", "pain-referral-2026-12-05"}
    flare = root.find(f".//{SVG}g[@id='pain-flare-2026-12-02']/{SVG}title")
    assert flare is not None and flare.text == "Wed 2 Dec: flare (RED day)"
    legend = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "rc-legend"]
    assert "flare (RED day)" in legend and "referred to a clinician" in legend


def test_many_days_keep_few_date_labels_in_the_page_format() -> None:
    svg = chart_svg(progress_series(progress_of([3] * 90), None)["pain"])
    assert date_labels(svg) == ["Tue 1 Dec", "Thu 14 Jan", "Sun 28 Feb"]


def test_nothing_to_draw_says_so() -> None:
    series = progress_series(progress_of([None, None]), None)["pain"]
    root = parsed(chart_svg(series))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts == ["No check-ins yet"]


# --- distances -------------------------------------------------------------------------------


def test_distances_are_in_the_unit_asked_for() -> None:
    progress = progress_of([1] * 7, run_km=10.0)
    km = running_series(progress, "km")
    miles = running_series(progress, "mi")
    assert km.right is not None and miles.right is not None
    assert max(v or 0 for v in km.right.values) == 20.0  # two runs of 10 km in week one
    assert max(v or 0 for v in miles.right.values) == in_unit(20.0, "mi") == 12.4
    assert miles.right.label == "Distance (mi)" and "18.6 mi" in miles.desc  # 30 km in all
    assert "Distance (mi)" in chart_svg(miles)
    assert load_series(progress.words, load_of(3), "mi").desc.endswith(
        "3.1 mi, and 60 minutes of cross-training."
    )
    with pytest.raises(ValueError, match="furlong"):
        running_series(progress, "furlong")


def test_runs_without_a_distance_draw_minutes_only() -> None:
    series = running_series(progress_of([1] * 7, run_km=None), "km")
    assert series.right is None and "(no distance reported)" in series.desc


@pytest.mark.parametrize(
    ("value", "top"), [(0, 10), (7, 10), (10, 10), (11, 20), (49, 50), (51, 100), (420, 500)]
)
def test_an_axis_tops_out_at_a_round_number(value: float, top: float) -> None:
    assert nice_top(value) == top


# --- Kujala ----------------------------------------------------------------------------------


def test_kujala_scores_are_labelled_against_the_line_that_matters() -> None:
    progress = progress_of([2] * 29, kujala=[60, 65, 74])
    series = progress_series(progress, None)["kujala"]
    assert series.target == 70
    root = parsed(chart_svg(series))
    values = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "rc-value"]
    assert values == ["60", "65", "74"]
    assert "went from 60 to 74 out of 100 over 4 weeks" in series.desc


# --- standalone and report sizes ---------------------------------------------------------------


def test_a_chart_file_has_its_own_dark_mode() -> None:
    series = progress_series(progress_of([3, 2]), None)["pain"]
    assert "prefers-color-scheme: dark" in chart_svg(series, standalone=True)
    assert "<style>" not in chart_svg(series)


def test_a_wider_chart_keeps_its_text_size_in_units() -> None:
    series = progress_series(progress_of([3] * 30), None)["pain"]
    root = parsed(chart_svg(series, width=2 * WIDTH, ident="report-pain"))
    assert root.get("viewBox", "").split()[2] == str(2 * WIDTH)
    assert root.get("id") == "report-pain"
    assert_readable(chart_svg(series, width=2 * WIDTH))


# --- the headline ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("worst", "trend"),
    [
        ([], "unknown"),
        ([3], "unknown"),
        ([5] * 7 + [2] * 7, "down"),
        ([2] * 7 + [5] * 7, "up"),
        ([3] * 7 + [3, 4, 3, 3, 3, 3, 3], "steady"),
        ([5] * 7 + [None] * 6 + [2], "unknown"),
    ],
)
def test_pain_s_way_is_said_only_with_enough_check_ins(worst: list[Pain], trend: str) -> None:
    assert pain_trend(progress_of(worst).days) == trend


def test_the_streak_counts_days_in_a_row_and_today_is_not_over() -> None:
    assert checked_in_streak(progress_of([]).days) == 0
    assert checked_in_streak(progress_of([2, None, 2, 2]).days) == 2
    assert checked_in_streak(progress_of([2, 2, 2, None]).days) == 3  # today, not yet
    assert checked_in_streak(progress_of([2, None, None]).days) == 0


def test_the_headline_in_words() -> None:
    h = headline(progress_of([5] * 7 + [2] * 7), PHASES)
    assert (h.latest, h.trend_words) == (2, "Pain is going down")
    assert h.latest_words == "Worst pain today"
    assert h.streak_words == "14 days checked in in a row"
    assert h.phase_words == "Phase 1 of 5: Settle"
    assert [s.current for s in h.phases] == [True, False, False, False, False]
    svg = sparkline_svg(h.worst, h.trend_words, h.spark_desc)
    root = parsed(svg)
    assert root.get("role") == "img" and root.find(f"{SVG}desc") is not None
    assert h.spark_desc == "Worst pain fell from 5 to 2 out of 10 over 13 days."


# --- the cache ---------------------------------------------------------------------------------


def test_the_cache_draws_once_per_key_and_forgets_the_least_recent() -> None:
    kept = drawn.Drawn(2)
    calls: list[str] = []

    def draw(name: str) -> bytes:
        calls.append(name)
        return name.encode()

    assert kept.get("a", lambda: draw("a")) == b"a"
    assert kept.get("a", lambda: draw("a")) == b"a"
    kept.get("b", lambda: draw("b"))
    kept.get("a", lambda: draw("a"))  # a is now the most recent
    kept.get("c", lambda: draw("c"))  # b goes
    assert calls == ["a", "b", "c"] and "a" in kept and "b" not in kept


def test_an_etag_names_its_key_and_if_none_match_is_read_as_browsers_send_it() -> None:
    tag = drawn.etag(("chart", "p-1", "rev", "km", "en", "1"))
    assert tag == drawn.etag(("chart", "p-1", "rev", "km", "en", "1"))
    assert tag != drawn.etag(("chart", "p-1", "rev", "mi", "en", "1"))
    assert drawn.matches(tag, tag) and drawn.matches(f'"x", W/{tag}', tag)
    assert drawn.matches("*", tag) and not drawn.matches(None, tag)
    assert not drawn.matches('"other"', tag)


def test_the_sparkline_keeps_today_at_its_right_edge() -> None:
    root = parsed(sparkline_svg([3], "t", "d", slots=28))
    (dot,) = root.findall(f"{SVG}circle")
    assert float(dot.get("cx") or 0) > 150  # of 160: the last of 28 days, not the middle
