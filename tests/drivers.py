"""Drivers for the simulated runners: the services on fakes, and the command line on SQLite."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import click.testing
import typer
import typer.testing

from runrehab.adapters.documents import read_assessment, read_checkin
from runrehab.cli.main import app
from runrehab.services.content import shipped_content
from runrehab.services.journal.programme import record_checkin, start_programme
from runrehab.services.journal.today import today_view
from tests.fakes import FakeUnitOfWork, FixedClock

Doc = dict[str, Any]


class CliRunner(typer.testing.CliRunner):
    """typer's test runner, building the program (the click command) once per runner: typer
    builds it from every command's signature, which a process does once at start but
    ``typer.testing`` does again on every call (three quarters of a simulated runner's time)."""

    def __init__(self) -> None:
        super().__init__()
        self._built: dict[tuple[int, int, int], click.Command] = {}

    def invoke(  # type: ignore[override]
        self, app: typer.Typer, args: Any = None, **options: Any
    ) -> click.testing.Result:
        key = (id(app), len(app.registered_commands), len(app.registered_groups))
        command = self._built.get(key)
        if command is None:  # a command added since (``runrehab.main`` adds ``serve``): again
            command = self._built[key] = typer.main.get_command(app)
        return click.testing.CliRunner.invoke(self, command, args, **options)


class ServiceDriver:
    """The use cases called directly, on an in-memory journal."""

    def __init__(self) -> None:
        self.uow = FakeUnitOfWork()
        self.clock = FixedClock()
        self.content = shipped_content()

    def start(self, assessment: Doc, day: date) -> Doc:
        started = start_programme(
            self.uow, self.clock, self.content, assessment, read_assessment(assessment), day
        )
        return {"disposition": started.triage.disposition.value}

    def checkin(self, document: Doc) -> Doc:
        self.clock.advance(days=1)
        done = record_checkin(self.uow, self.clock, self.content, document, read_checkin(document))
        return {"replaced": done.replaced}

    def today(self, day: date) -> Doc:
        return today_view(self.uow, self.content, day)

    def questionnaire(self, instrument: str, day: date, answers: Doc) -> Doc:
        from runrehab.services.journal.questionnaires import record_response

        r = record_response(self.uow, self.clock, self.content, instrument, day, answers, None)
        return {"score": r.score}


class CliDriver:
    """The real command line (in-process), on a SQLite journal in ``folder``, or on the
    database ``url`` when given."""

    def __init__(self, folder: Path, url: str | None = None) -> None:
        self.db = url or str(folder / "journal.db")
        self.runner = CliRunner()

    def call(self, *args: str, stdin: str | None = None, code: int = 0) -> Doc:
        result = self.runner.invoke(app, ["--db", self.db, *args], input=stdin)
        assert result.exit_code == code, (result.exit_code, result.output, result.exception)
        return json.loads(result.stdout) if code == 0 and result.stdout.strip() else {}

    def start(self, assessment: Doc, day: date) -> Doc:
        return self.call(
            "start", "-", "--date", day.isoformat(), "--json", stdin=json.dumps(assessment)
        )

    def checkin(self, document: Doc) -> Doc:
        return self.call("checkin", "-", "--json", stdin=json.dumps(document))

    def today(self, day: date) -> Doc:
        return self.call("today", "--date", day.isoformat(), "--json")

    def questionnaire(self, instrument: str, day: date, answers: Doc) -> Doc:
        return self.call(
            "questionnaire",
            instrument,
            "--date",
            day.isoformat(),
            "--answers",
            "-",
            "--json",
            stdin=json.dumps({"answers": answers}),
        )
