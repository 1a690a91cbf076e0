"""The link "A physiotherapist or doctor has seen my knee" is the way out of a hold for a runner
without a clinic: a clinic's patient is released by their physiotherapist instead."""

from __future__ import annotations

from tests.clinic.conftest import Clinic


def test_the_way_out_shows_only_to_a_runner_without_a_clinic(clinic: Clinic) -> None:
    patient = clinic.new_runner("rita@example.com", **{"signs.hot": True})
    alone = clinic.new_runner("sam@example.com", join=False, **{"signs.hot": True})
    html = {"accept": "text/html"}
    assert 'href="/clinician-seen"' not in patient.call("GET", "/today", headers=html).text
    assert 'href="/clinician-seen"' in alone.call("GET", "/today", headers=html).text
