"""RunRehab in English and German, in kilometres or miles, chosen per account: the account page
and the API set them (a bad value names its field), the next page follows them, a visitor gets
their browser's language, and a language whose content is not all there yet is read in English.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from runrehab.content import loader, locale
from tests.languages import german
from tests.web.conftest import Browser, ProgrammeRunner, sign_up
from tests.web.test_runs import fit_file, uploaded

__all__ = ["german"]  # the fixture


def choose(browser: Browser, **chosen: str) -> Any:
    answer = browser.api("PUT", "/api/v1/account", json=chosen)
    assert answer.status_code == 200, answer.text
    return answer.json()


# --- the API --------------------------------------------------------------------------------


def test_the_account_carries_its_language_and_units(runner: Browser) -> None:
    first = runner.client.get("/api/v1/account").json()
    assert (first["language"], first["units"]) == ("en", "km")
    assert choose(runner, language="de")["language"] == "de"
    both = choose(runner, units="mi")
    assert (both["language"], both["units"]) == ("de", "mi")  # left out: as it was
    again = runner.client.get("/api/v1/account").json()
    assert (again["language"], again["units"]) == ("de", "mi")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"language": "fr"}, "language"),
        ({"language": "Deutsch"}, "language"),
        ({"units": "miles"}, "units"),
        ({"units": 5}, "units"),
        ({"language": "de", "colour": "red"}, "colour"),
    ],
)
def test_a_bad_language_or_unit_is_a_422_naming_the_field_and_nothing_is_saved(
    runner: Browser, body: dict[str, Any], field: str
) -> None:
    answer = runner.api("PUT", "/api/v1/account", json=body)
    assert answer.status_code == 422
    assert field in {e["field"] for e in answer.json()["errors"]}, answer.json()
    account = runner.client.get("/api/v1/account").json()
    assert (account["language"], account["units"]) == ("en", "km")


def test_the_language_and_units_need_a_signed_in_runner(client: TestClient) -> None:
    assert client.put("/api/v1/account", json={"language": "de"}).status_code == 401


# --- the account page -----------------------------------------------------------------------


def test_the_account_page_offers_and_saves_language_and_units(runner: Browser) -> None:
    page = runner.page("/account")
    assert 'name="language"' in page.text and 'name="units"' in page.text
    saved = runner.submit("/account/preferences", {"language": "en", "units": "mi"})
    assert saved.status_code == 303 and saved.headers["location"] == "/account?saved=preferences"
    shown = runner.page("/account?saved=preferences")
    assert "Saved." in shown.text
    assert re.search(r'<option value="mi" selected>', shown.text)
    assert runner.client.get("/api/v1/account").json()["units"] == "mi"


def test_the_account_page_refuses_a_language_it_does_not_offer(runner: Browser) -> None:
    refused = runner.submit("/account/preferences", {"language": "xx", "units": "km"})
    assert refused.status_code == 400
    assert "&#39;xx&#39; is not a language RunRehab speaks" in refused.text
    assert runner.client.get("/api/v1/account").json()["language"] == "en"


def test_after_choosing_german_the_next_page_is_german(german: Path, runner: Browser) -> None:
    saved = runner.submit("/account/preferences", {"language": "de", "units": "km"})
    page = runner.page(saved.headers["location"])
    assert '<html lang="de">' in page.text
    assert "Dein Konto" in page.text and "Your account" not in page.text
    assert "Gespeichert." in page.text


# --- the pages in German --------------------------------------------------------------------


@pytest.fixture
def german_runner(german: Path, runner_with_programme: ProgrammeRunner) -> ProgrammeRunner:
    choose(runner_with_programme, language="de")
    return runner_with_programme


@pytest.mark.parametrize(
    ("path", "said"),
    [
        ("/today", ["Darf ich heute laufen?", "Übungen"]),
        ("/plan", ["Dein Plan", "Die fünf Phasen"]),
        ("/checkin", ["Meinen Check-in speichern", "Dein Knie"]),
        ("/library/exercises/step-down", ["Step-down (Absteigen von der Stufe)"]),
        ("/account", ["Dein Konto", "Sprache und Strecken"]),
    ],
)
def test_a_german_account_reads_the_main_pages_in_german(
    german_runner: ProgrammeRunner, path: str, said: list[str]
) -> None:
    page = german_runner.page(path)
    assert page.status_code == 200, page.text
    assert '<html lang="de">' in page.text
    for words in said:
        assert words in page.text, words


def test_a_german_account_reads_its_days_the_german_way(german_runner: ProgrammeRunner) -> None:
    page = german_runner.page("/plan")
    assert re.search(r"(Mo|Di|Mi|Do|Fr|Sa|So)\., \d+\. (Dez|Jan)\.", page.text)


def test_a_visitor_gets_their_browsers_language(german: Path, client: TestClient) -> None:
    german_page = client.get("/login", headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert '<html lang="de">' in german_page.text and "Anmelden" in german_page.text
    english_page = client.get("/login", headers={"Accept-Language": "fr,en;q=0.5"})
    assert '<html lang="en">' in english_page.text and "Log in" in english_page.text


def test_a_language_whose_content_is_incomplete_is_read_in_english(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(locale, "ready", lambda language: language == "en")
    page = client.get("/login", headers={"Accept-Language": "de"})
    assert page.status_code == 200 and '<html lang="en">' in page.text


def test_signing_up_keeps_the_browsers_language(german: Path, client: TestClient) -> None:
    client.headers["Accept-Language"] = "de"
    browser = sign_up(client, "de@example.com")
    assert client.get("/api/v1/account").json()["language"] == "de"
    assert "Dein Konto" in browser.page("/account").text


# --- miles ----------------------------------------------------------------------------------


def test_a_miles_account_reads_its_runs_in_miles(runner_with_programme: ProgrammeRunner) -> None:
    uploaded(runner_with_programme, ("morning.fit", fit_file(minutes=20)))
    km_page = runner_with_programme.page("/runs").text
    choose(runner_with_programme, units="mi")
    mi_page = runner_with_programme.page("/runs").text
    [run_km] = {float(n) for n in re.findall(r"(\d+\.\d\d) km\b", km_page)}  # 20 min at 2.8 m/s
    assert run_km == pytest.approx(3.36, abs=0.02)
    assert f"{run_km / 1.609344:.2f} mi" in mi_page
    assert not re.search(r"\d km\b", mi_page)
    assert re.search(r"\d:\d\d /mi", mi_page) and not re.search(r"/km\b", mi_page)
    api = runner_with_programme.client.get("/api/v1/activities").json()
    assert "distance_km" in str(api)  # the API keeps kilometres


def test_a_miles_account_reads_its_running_chart_in_miles(
    runner_with_programme: ProgrammeRunner,
) -> None:
    day = {
        "date": "2026-12-01",
        "pain": {"now": 1, "at_rest": 0, "worst_24h": 2},
        "run": {"minutes": 20, "distance_km": 3.2, "max_pain": 1},
    }
    assert runner_with_programme.api("POST", "/api/v1/checkins", json=day).status_code < 300
    km_chart = runner_with_programme.client.get("/progress/charts/running.svg").text
    choose(runner_with_programme, units="mi")
    mi_chart = runner_with_programme.client.get("/progress/charts/running.svg").text
    assert "Distance (km)" in km_chart and "Distance (km)" not in mi_chart
    assert "Distance (mi)" in mi_chart
    assert mi_chart != km_chart  # drawn again for the other unit, not served from the cache


# --- no English left on a German page -------------------------------------------------------


class _Text(HTMLParser):
    """A page's text nodes (scripts and styles left out)."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.texts.append(" ".join(data.split()))


def texts(html: str) -> set[str]:
    parser = _Text()
    parser.feed(html)
    return set(parser.texts)


ALLOWED = re.compile(
    r"^[\W\d_]*$"  # numbers, dates in figures, punctuation
    r"|^[\d.,]+ (km|mi|min)$"  # a measure
    r"|^(RunRehab|API|FAQ|Kujala|FIT|GPX|TCX|JSON|PDF|FHIR|Strava|Garmin|Sam|km|mi)$"
    r"|^(Plan|Phase|Start|Sport|Name|Video|Format|Offline|Status|Check-in|Check-ins)$"
    r"|^(English|Deutsch)$"  # each language named in itself
    r"|^[A-Z][a-z]+/[A-Za-z_ ]+$"  # time zones
    r"|^[A-Z]{1,3}\d+[\w-]*$"  # rule and source ids
    r"|^[a-z0-9]+(-[a-z0-9]+)+$"  # ids in the page (rule ids)
)


def english_only(text: str) -> bool:
    """Allowed English: brand names, numbers, and the bibliography (read in English, as
    ``content.locale.ENGLISH_ONLY`` says), a citation being sources' short names."""
    if ALLOWED.match(text) or len(text) <= 3:
        return True
    shorts = {source.short for source in loader.catalogue("en").sources.values()}
    return all(part in shorts for part in text.lstrip("· ").split("; "))


STILL_ENGLISH: dict[str, str] = {}
"""Pages that still leak, and why: the lead removes a line once its cause is fixed (the test
then fails as XPASS until then, so a fix cannot go unnoticed)."""


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(p, marks=pytest.mark.xfail(strict=True, reason=STILL_ENGLISH[p]))
        if p in STILL_ENGLISH
        else p
        for p in ("/today", "/plan", "/checkin", "/progress", "/runs", "/account")
    ],
)
def test_no_english_sentence_leaks_into_a_german_page(
    german_runner: ProgrammeRunner, path: str
) -> None:
    choose(german_runner, language="en")
    english = texts(german_runner.page(path).text)
    choose(german_runner, language="de")
    german_page = texts(german_runner.page(path).text)
    leaks = sorted(t for t in german_page & english if not english_only(t))
    assert leaks == [], "\n".join(leaks)


def test_no_english_leaks_after_a_painful_day(german_runner: ProgrammeRunner) -> None:
    """A check-in with rest pain and swelling: Today's answer and its reasons (the engine's
    details) are German too."""
    day = {
        "date": "2026-12-01",
        "pain": {"now": 5, "at_rest": 5, "worst_24h": 6},
        "signs": {"swelling": "mild"},
    }
    assert german_runner.api("POST", "/api/v1/checkins", json=day).status_code == 201
    choose(german_runner, language="en")
    english = texts(german_runner.page("/today").text)
    choose(german_runner, language="de")
    page = german_runner.page("/today").text
    assert "Schwellung" in page
    leaks = sorted(t for t in texts(page) & english if not english_only(t))
    assert leaks == [], "\n".join(leaks)
