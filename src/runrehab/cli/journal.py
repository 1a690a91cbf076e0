"""The stateful commands: one runner's journal in a database (``--db`` or ``RUNREHAB_DB``).

``start``, ``checkin``, ``today``, ``history``, ``export``, ``import`` and ``delete-me``. Each
opens the database, runs one use case in one transaction, and prints its answer; a refused
request exits 2 and writes nothing.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from runrehab.cli.activities import TimezoneOption
from runrehab.cli.app import (
    OPTIONS,
    FileArg,
    JsonFlag,
    emit,
    fail,
    parse_date,
    read_document,
    with_runtime,
)

if TYPE_CHECKING:
    from runrehab.bootstrap import Runtime

commands = typer.Typer()
"""Commands of the journal: start, today, check in, history, export, import, notes, lessons,
delete. Composed into the program by ``cli.main``."""

DateOption = Annotated[str, typer.Option("--date", metavar="YYYY-MM-DD", help="The day.")]
CheckinSource = Annotated[
    str | None,
    typer.Argument(metavar="FILE|-", help="The check-in document, or - for stdin."),
]
TemplateFlag = Annotated[
    bool,
    typer.Option(
        "--template",
        help="Print the day's check-in to fill in (with --date): the session as planned, "
        "readiness tests included, null wherever your answer goes.",
    ),
]
TemplateDate = Annotated[
    str | None,
    typer.Option("--date", metavar="YYYY-MM-DD", help="The day of the --template."),
]


@commands.command()
def start(source: FileArg, when: DateOption, as_json: JsonFlag = False) -> None:
    """Start a programme from an intake assessment: triage, pathway, starting phase."""
    day = parse_date(when, "--date")

    def answer(rt: Runtime) -> dict[str, Any]:
        from runrehab.adapters.documents import read_assessment
        from runrehab.services.intake.triage import triage_view
        from runrehab.services.journal.programme import start_programme

        document = read_document(source, "assessment")
        assessment = read_assessment(document)
        content = rt.content
        started = start_programme(
            rt.db.unit_of_work(),
            rt.clock,
            content,
            document,
            assessment,
            day,
            OPTIONS.person,
        )
        view = triage_view(assessment, content.catalogue.protocol, content.book, content.settings)
        s = started.programme.start
        view.update(
            person=started.person.id,
            assessment_version=started.assessment.version,
            programme={
                "id": started.programme.id,
                "started": day.isoformat(),
                "status": s.status.value,
                "pathway": s.pathway.value,
                "phase": {"number": s.phase, "name": content.phase_name(s.phase)},
            },
        )
        return view

    view = with_runtime(answer)
    emit(view, as_json, _render_start)


@commands.command()
def checkin(
    source: CheckinSource = None,
    as_json: JsonFlag = False,
    template: TemplateFlag = False,
    when: TemplateDate = None,
) -> None:
    """Record a day's check-in (its date is inside); a second one for a day replaces the first.
    With --template --date D: print that day's check-in to fill in instead."""
    if template:
        _checkin_template(when)
        return
    if source is None:
        fail("give the check-in document (FILE, or - for stdin), or --template --date D")
    if when is not None:
        fail("--date goes with --template; a check-in's date is inside the document")
    path: str = source

    def answer(rt: Runtime) -> dict[str, Any]:
        from runrehab.adapters.documents import read_checkin
        from runrehab.services.journal.programme import record_checkin
        from runrehab.services.journal.today import checkin_view

        document = read_document(path, "checkin")
        engine_checkin = read_checkin(document)
        content = rt.content
        done = record_checkin(
            rt.db.unit_of_work(),
            rt.clock,
            content,
            document,
            engine_checkin,
            OPTIONS.person,
        )
        return checkin_view(done, content)

    view = with_runtime(answer)
    emit(view, as_json, _render_checkin)


def _checkin_template(when: str | None) -> None:
    """The day's check-in document to fill in, as JSON (the day's ``checkin_template``)."""
    if when is None:
        fail("--template needs --date YYYY-MM-DD")
    day = parse_date(when, "--date")

    def answer(rt: Runtime) -> dict[str, Any]:
        from runrehab.services.journal.today import today_view

        view = today_view(rt.db.unit_of_work(), rt.content, day, OPTIONS.person)
        if "checkin_template" not in view:
            fail("the programme is stopped: see a doctor before any more exercise or running", 1)
        document: dict[str, Any] = view["checkin_template"]
        return document

    emit(with_runtime(answer), True, None)


@commands.command()
def today(when: DateOption, as_json: JsonFlag = False) -> None:
    """What to do that day: can I run, today's exercises and run, and why."""
    day = parse_date(when, "--date")

    def answer(rt: Runtime) -> dict[str, Any]:
        from runrehab.services.journal.today import today_view

        return today_view(rt.db.unit_of_work(), rt.content, day, OPTIONS.person)

    view = with_runtime(answer)
    emit(view, as_json, _render_today)


@commands.command()
def history(as_json: JsonFlag = False) -> None:
    """Every assessment, check-in, questionnaire and decision, with its reasons."""

    def answer(rt: Runtime) -> dict[str, Any]:
        from runrehab.services.journal.today import history_view

        return history_view(rt.db.unit_of_work(), rt.content, OPTIONS.person)

    view = with_runtime(answer)
    emit(view, as_json, _render_history)


@commands.command()
def export(as_json: JsonFlag = False) -> None:
    """Everything about the runner as one JSON document, restorable with ``import``."""
    del as_json  # the export is JSON whether or not --json is given

    def answer(rt: Runtime) -> dict[str, Any]:
        from runrehab.adapters.transfer import journal_to_json
        from runrehab.services.journal.ownership import read_journal

        journal = read_journal(rt.db.unit_of_work(), OPTIONS.person)
        return journal_to_json(journal, rt.clock.now())

    emit(with_runtime(answer), True, None)


@commands.command(name="import")
def import_(
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar="FILE_OR_FOLDER_OR_ZIP...",
            help="Watch files (FIT, GPX, TCX, also .gz), folders and .zip exports; or one "
            "journal export (.json, or - for stdin).",
        ),
    ],
    as_json: JsonFlag = False,
    timezone: TimezoneOption = None,
    progress: Annotated[
        bool | None,
        typer.Option(
            "--progress/--no-progress", help="Show a progress bar (default: on a terminal)."
        ),
    ] = None,
) -> None:
    """Import watch files (runs, walks, rides...) or restore a journal export."""
    from runrehab.cli.activities import import_watch_files, is_journal_export

    journal_exports = [p for p in paths if is_journal_export(p)]
    if len(paths) > 1 and journal_exports:
        fail("import either one journal export (.json) or watch files, not both")
    if not journal_exports:
        import_watch_files(paths, as_json, timezone, progress)
        return
    source = paths[0]

    def answer(rt: Runtime) -> dict[str, Any]:
        from runrehab.adapters.transfer import journal_from_json
        from runrehab.services.journal.ownership import write_journal

        document = read_document(source, "export")
        content = rt.content
        lessons = {x.id for x in content.protocol.lessons}
        journal = journal_from_json(document, content.book.rules, lessons)
        write_journal(rt.db.unit_of_work(), journal)
        return {
            "imported": {
                "person": journal.person.id,
                "assessments": len(journal.assessments),
                "checkins": len(journal.checkins),
                "decisions": len(journal.decisions),
                "questionnaires": len(journal.responses),
                "notes": len(journal.notes),
                "activities": len(journal.activities),
                "lessons_read": len(journal.lessons_read),
            }
        }

    view = with_runtime(answer)
    emit(view, as_json, lambda v: _say(f"Imported the journal of {v['imported']['person']}."))


@commands.command()
def note(
    text: Annotated[str, typer.Argument(help="The note, in your own words.")],
    when: DateOption,
    as_json: JsonFlag = False,
) -> None:
    """Keep a note for a day: something to remember or to tell the physiotherapist."""
    day = parse_date(when, "--date")

    def answer(rt: Runtime) -> dict[str, Any]:
        from runrehab.services.journal.ownership import add_note

        kept = add_note(rt.db.unit_of_work(), rt.clock, day, text, person_id=OPTIONS.person)
        return {"note": {"id": kept.id, "date": kept.day.isoformat(), "text": kept.text}}

    view = with_runtime(answer)
    emit(view, as_json, lambda v: _say(f"Noted for {v['note']['date']}."))


@commands.command()
def read(
    lesson: Annotated[
        str, typer.Argument(metavar="LESSON", help="The lesson's id, as `today` lists it.")
    ],
    when: Annotated[
        str | None,
        typer.Option("--date", metavar="YYYY-MM-DD", help="The day you read it (default today)."),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Mark one of the week-1 lessons as read (again changes nothing)."""

    given = None if when is None else parse_date(when, "--date")

    def answer(rt: Runtime) -> dict[str, Any]:
        from runrehab.services.journal.lessons import mark_read

        day = rt.clock.now().astimezone().date() if given is None else given
        return mark_read(rt.db.unit_of_work(), rt.clock, rt.content, lesson, day, OPTIONS.person)

    view = with_runtime(answer)
    emit(view, as_json, _render_read)


@commands.command(name="delete-me")
def delete_me(
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Delete the runner and every piece of their data from the database. Cannot be undone."""
    if not yes:
        if not sys.stdin.isatty():
            fail("deleting needs --yes when not asked at a terminal")
        typer.confirm("Delete this runner and all their data for good?", abort=True)

    def answer(rt: Runtime) -> dict[str, Any]:
        from runrehab.services.journal.ownership import delete_person

        return {"deleted": delete_person(rt.db.unit_of_work(), OPTIONS.person)}

    view = with_runtime(answer)
    emit(view, as_json, lambda v: _say(f"Deleted {v['deleted']} and all their data."))


# --- human-readable output -------------------------------------------------------------------


def _say(text: str) -> None:
    from rich.console import Console

    Console().print(text)


def _render_start(view: dict[str, Any]) -> None:
    from runrehab.cli.intake_render import triage

    triage(view)
    p = view["programme"]
    _say(
        f"\nProgramme started on {p['started']}: phase {p['phase']['number']} "
        f"({p['phase']['name']}), status {p['status']}. "
        "Run `runrehab today --date YYYY-MM-DD` each day."
    )


def _render_checkin(view: dict[str, Any]) -> None:
    from runrehab.cli import journal_render

    journal_render.checkin(view)


def _render_read(view: dict[str, Any]) -> None:
    lesson, when = view["lesson"]["title"], view["date"]
    done = f"already marked read on {when}" if view["already_read"] else f"read on {when}"
    _say(f"{lesson}: {done}. {view['education']['text']}.")


def _render_today(view: dict[str, Any]) -> None:
    from runrehab.cli import journal_render

    journal_render.today(view)


def _render_history(view: dict[str, Any]) -> None:
    from runrehab.cli import journal_render

    journal_render.history(view)
