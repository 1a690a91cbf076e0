"""The sport of a recording: the words files and exports use, file names, and the pace."""

from __future__ import annotations

import pytest

from runrehab.adapters.watch.sport import (
    choose_sport,
    moving_speeds,
    sport_from_file_name,
    sport_from_pace,
    sport_from_word,
)
from runrehab.engine.activity import Sport, SportSource


@pytest.mark.parametrize(
    ("word", "sport"),
    [
        ("running", Sport.RUNNING),
        ("Run", Sport.RUNNING),
        ("trail_running", Sport.RUNNING),
        ("treadmill_running", Sport.RUNNING),
        ("Virtual Run", Sport.RUNNING),
        ("Trail Run", Sport.RUNNING),
        ("9", Sport.RUNNING),
        ("Walk", Sport.WALKING),
        ("walking", Sport.WALKING),
        ("hiking", Sport.HIKING),
        ("Hike", Sport.HIKING),
        ("Ride", Sport.CYCLING),
        ("Biking", Sport.CYCLING),
        ("E-Bike Ride", Sport.CYCLING),
        ("Mountain Bike Ride", Sport.CYCLING),
        ("1", Sport.CYCLING),
        ("Swim", Sport.SWIMMING),
        ("open_water", Sport.SWIMMING),
        ("lap_swimming", Sport.SWIMMING),
        ("Yoga", Sport.OTHER),
        ("rowing", Sport.OTHER),
        (42, Sport.OTHER),
    ],
)
def test_sport_words(word: object, sport: Sport) -> None:
    assert sport_from_word(word) is sport


@pytest.mark.parametrize("word", ["generic", "Other", "", "  "])
def test_words_that_say_nothing_leave_the_sport_open(word: str) -> None:
    assert sport_from_word(word) is None


@pytest.mark.parametrize(
    ("name", "sport"),
    [
        ("Morning_Run.gpx", Sport.RUNNING),
        ("togeojson__run_gpxtpx.gpx", Sport.RUNNING),
        ("export.zip:activities/2021-05-02-ride.fit.gz", Sport.CYCLING),
        ("evening walk.tcx", Sport.WALKING),
        ("12345.fit.gz", None),
        ("brunch.gpx", None),  # whole words only
    ],
)
def test_sport_words_in_file_names(name: str, sport: Sport | None) -> None:
    assert sport_from_file_name(name) is sport


@pytest.mark.parametrize(
    ("speeds", "sport"),
    [
        ([1.2, 1.4, 1.9], Sport.WALKING),
        ([2.0, 2.0, 2.1], Sport.RUNNING),
        ([6.9, 6.9, 7.0], Sport.RUNNING),
        ([7.0, 7.5, 9.0], Sport.CYCLING),
        ([], Sport.OTHER),
    ],
)
def test_the_pace_guess(speeds: list[float], sport: Sport) -> None:
    assert sport_from_pace(speeds) is sport


def test_moving_speeds_prefer_the_device_distance_then_positions() -> None:
    seconds = [0.0, 10.0, 20.0, 30.0]
    distance = [0.0, 30.0, None, None]
    latitude = [None, None, 51.5, 51.50027]  # 30 m north
    longitude = [None, None, -0.1, -0.1]
    speeds = moving_speeds(seconds, distance, latitude, longitude, [None] * 4)
    assert speeds == pytest.approx([3.0, 3.0], rel=0.01)
    standing = moving_speeds(seconds, [0.0, 0.0, 0.0, 0.0], latitude, longitude, [None] * 4)
    assert standing == []


def test_the_order_of_trust() -> None:
    def never() -> list[float]:
        raise AssertionError("the pace is only measured when nothing else says")

    assert choose_sport("running", "Ride", "ride.fit", never) == (Sport.RUNNING, SportSource.FILE)
    assert choose_sport(None, "Ride", "run.fit", never) == (
        Sport.CYCLING,
        SportSource.EXPORT_LIST,
    )
    assert choose_sport("generic", None, "run.fit", never) == (
        Sport.RUNNING,
        SportSource.FILE_NAME,
    )
    assert choose_sport(None, "Other", "1.fit", lambda: [1.0]) == (Sport.WALKING, SportSource.PACE)
