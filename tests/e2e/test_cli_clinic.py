"""``runrehab clinic create``: a clinic and its admin on a fresh install, through the real
command line; the admin can then log in to the web app and sees the (empty) caseload. Bad
input exits 2 naming what is wrong, and nothing is half-made."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from runrehab.web.app import create_app
from runrehab.web.config import WebConfig
from tests.e2e.test_cli import json_of, run

pytestmark = pytest.mark.e2e
PASSWORD = "knee clinic 2026"


def password_file(tmp_path: Path, text: str = PASSWORD) -> str:
    path = tmp_path / f"password-{len(text)}.txt"
    path.write_text(text + "\n", encoding="utf-8")
    return str(path)


def test_a_clinic_made_on_the_command_line_opens_on_the_web(tmp_path: Path) -> None:
    db = str(tmp_path / "clinic.db")
    made = json_of(
        run(
            "--db",
            db,
            "clinic",
            "create",
            "--name",
            "Knee Clinic",
            "--admin-email",
            "Ada@Clinic.test",
            "--admin-name",
            "Ada Admin",
            "--password-file",
            password_file(tmp_path),
            "--json",
        )
    )
    assert made["name"] == "Knee Clinic" and made["admin_email"] == "ada@clinic.test"
    with TestClient(create_app(WebConfig(database=db)), base_url="http://127.0.0.1") as web:
        session = web.post(
            "/api/v1/session", json={"email": "ada@clinic.test", "password": PASSWORD}
        )
        assert session.status_code == 200, session.text
        web.cookies.clear()
        token = {"Authorization": f"Bearer {session.json()['token']}"}
        caseload = web.get("/api/v1/clinic/patients", headers=token).json()
        assert caseload["clinic"] == "Knee Clinic" and caseload["patients"] == []


def test_bad_input_exits_2_naming_it_and_makes_nothing(tmp_path: Path) -> None:
    db = str(tmp_path / "clinic.db")
    good = password_file(tmp_path)
    for args, named in (
        (["--name", " ", "--admin-email", "a@b.test", "--password-file", good], "--name"),
        (["--name", "K", "--admin-email", "not-mail", "--password-file", good], "--admin-email"),
        (
            [
                "--name",
                "K",
                "--admin-email",
                "a@b.test",
                "--password-file",
                password_file(tmp_path, "short"),
            ],
            "--password-file",
        ),
        (
            ["--name", "K", "--admin-email", "a@b.test", "--password-file", str(tmp_path / "none")],
            "password",
        ),
        (["--name", "K", "--admin-email", "a@b.test"], "--password-file"),  # no terminal to ask on
    ):
        refused = run("--db", db, "clinic", "create", *args)
        assert refused.returncode == 2, (args, refused.stderr)
        assert named in refused.stderr and "Traceback" not in refused.stderr
    ok = run(
        "--db",
        db,
        "clinic",
        "create",
        "--name",
        "K",
        "--admin-email",
        "a@b.test",
        "--password-file",
        good,
    )
    assert ok.returncode == 0, ok.stderr
    again = run(
        "--db",
        db,
        "clinic",
        "create",
        "--name",
        "K2",
        "--admin-email",
        "a@b.test",
        "--password-file",
        good,
    )
    assert again.returncode == 2 and "already exists" in again.stderr
