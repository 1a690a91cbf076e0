"""The stateful commands: one runner's journal in a database (``--db`` or ``RUNREHAB_DB``).

``start``, ``checkin``, ``today``, ``history``, ``export``, ``import`` and ``delete-me``. Each
opens the database, runs one use case in one transaction, and prints its answer; a refused
request exits 2 and writes nothing.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from runrehab.cli.activities import TimezoneOption
from runrehab.cli.app import (
    OPTIONS,
    FileArg,
    JsonFlag,
    ZoneOption,
    day_option,
    day_or_today,
    emit,
    fail,
    parse_date,
    read_document,
    runner_zone,
    say,
    with_runtime,
)

if TYPE_CHECKING:
    from runrehab.bootstrap import Runtime
    from runrehab.content.words import Words
    from runrehab.services.journal.checkin import CheckinView
    from runrehab.services.journal.lessons import LessonMarked
    from runrehab.services.journal.ownership import Erased, NoteKept, Restored
    from runrehab.services.journal.readiness_checks import CheckinTemplate
    from runrehab.services.journal.today import DayView, HistoryView

T = TypeVar("T")

commands = typer.Typer()
"""Commands of the journal: start, today, check in, history, export, import, notes, lessons,
delete. Composed into the program by ``cli.main``."""

DateOption = Annotated[
    str, typer.Option("--date", metavar="YYYY-MM-DD", help=say("journal.cli.help.date"))
]
CheckinSource = Annotated[
    str | None,
    typer.Argument(metavar="FILE|-", help=say("journal.cli.help.checkin_source")),
]
TemplateFlag = Annotated[
    bool,
    typer.Option("--template", help=say("journal.cli.help.template")),
]
TemplateDate = Annotated[str | None, day_option("journal.cli.help.template_date")]
TodayOption = Annotated[str | None, day_option("journal.cli.help.date")]


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
    zone: ZoneOption = None,
) -> None:
    """Record a day's check-in: from a document (its date is inside), or, on a terminal with no
    document, by answering a few questions. A second one for a day replaces the first. With
    --template: print the day's check-in to fill in instead."""
    if template:
        _checkin_template(when, zone)
        return
    if source is None:
        if not sys.stdin.isatty():
            fail(_words().say("checkin.cli.no_document"))
    elif when is not None:
        fail(_words().say("checkin.cli.date_with_template"))
    asked_day = None if source is not None else day_or_today(when, zone)

    def answer(rt: Runtime) -> CheckinView:
        from runrehab.adapters.documents import read_checkin
        from runrehab.services.journal.checkin import check_in

        if source is None:
            from runrehab.cli.checkin_prompt import ask_checkin

            assert asked_day is not None
            document = ask_checkin(rt, asked_day, OPTIONS.person)
        else:
            document = read_document(source, "checkin")
        today = rt.clock.now().astimezone(runner_zone(zone)).date()  # the runner's own day
        uow = rt.db.unit_of_work()
        return check_in(uow, rt.clock, rt.content, read_checkin, document, today, OPTIONS.person)

    view = with_runtime(answer)
    _show_view(view, as_json, _render_checkin)


def _checkin_template(when: str | None, zone: str | None) -> None:
    """The day's check-in document to fill in, as JSON (for today without --date); exit 1
    while the programme is stopped (there is nothing to fill in but a doctor to see)."""
    day = day_or_today(when, zone)

    def answer(rt: Runtime) -> CheckinTemplate | None:
        from runrehab.services.journal.checkin import checkin_template_of

        return checkin_template_of(rt.db.unit_of_work(), rt.content, day, OPTIONS.person)

    document = with_runtime(answer)
    if document is None:
        fail(_words().say("checkin.cli.stopped"), 1)
    emit(dict(document), True, None)


@commands.command()
def today(when: TodayOption = None, as_json: JsonFlag = False, zone: ZoneOption = None) -> None:
    """What to do that day: can I run, today's exercises and run, and why."""
    day = day_or_today(when, zone)

    def answer(rt: Runtime) -> DayView:
        from runrehab.services.journal.today import day_view

        # only reads: on SQLite it takes no write lock, so a server's check-ins never wait
        return day_view(rt.db.unit_of_work(read_only=True), rt.content, day, OPTIONS.person)

    view = with_runtime(answer)
    _show_view(view, as_json, _render_today)


@commands.command()
def history(as_json: JsonFlag = False) -> None:
    """Every assessment, check-in, questionnaire and decision, with its reasons."""

    def answer(rt: Runtime) -> HistoryView:
        from runrehab.services.journal.today import history_of

        return history_of(rt.db.unit_of_work(), rt.content, OPTIONS.person)

    view = with_runtime(answer)
    _show_view(view, as_json, _render_history)


@commands.command(help=say("ownership.cli.help.export"))
def export(
    as_json: JsonFlag = False,
    output_format: Annotated[
        str, typer.Option("--format", metavar="json|fhir", help=say("fhir.cli.help.format"))
    ] = "json",
) -> None:
    """Everything about the runner as one JSON document, restorable with import; or, with
    --format fhir, as a FHIR R4 bundle for a clinic's record system."""
    del as_json  # the export is JSON whether or not --json is given
    formats = ("json", "fhir")
    if output_format not in formats:
        given, choices = repr(output_format), ", ".join(formats)
        fail(say("fhir.cli.unknown_format", option="--format", given=given, choices=choices))

    def answer(rt: Runtime) -> dict[str, Any]:
        if output_format == "fhir":
            from runrehab.adapters.exports.fhir import fhir_bundle
            from runrehab.services.progress.fhir_export import fhir_for_person

            uow, now = rt.db.unit_of_work(), rt.clock.now()
            return fhir_for_person(uow, rt.content, OPTIONS.person, (), now, fhir_bundle)
        from runrehab.adapters.transfer import journal_to_json
        from runrehab.services.journal.ownership import export_journal

        return export_journal(rt.db.unit_of_work(), rt.clock, journal_to_json, OPTIONS.person)

    emit(with_runtime(answer), True, None)


@commands.command(name="import", help=say("ownership.cli.help.import"))
def import_(
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar="FILE_OR_FOLDER_OR_ZIP...",
            help=say("ownership.cli.help.import_paths"),
        ),
    ],
    as_json: JsonFlag = False,
    timezone: TimezoneOption = None,
    progress: Annotated[
        bool | None,
        typer.Option("--progress/--no-progress", help=say("ownership.cli.help.import_progress")),
    ] = None,
) -> None:
    """Import watch files (runs, walks, rides...) or restore a journal export."""
    from runrehab.cli.activities import import_watch_files, is_journal_export

    journal_exports = [p for p in paths if is_journal_export(p)]
    if len(paths) > 1 and journal_exports:
        fail(say("ownership.import.one_kind"))
    if not journal_exports:
        import_watch_files(paths, as_json, timezone, progress)
        return
    source = paths[0]

    def answer(rt: Runtime) -> Restored:
        from runrehab.adapters.transfer import journal_from_json
        from runrehab.services.journal.ownership import import_journal

        document = read_document(source, "export")
        return import_journal(rt.db.unit_of_work(), rt.content, document, journal_from_json)

    restored = with_runtime(answer)
    said = say("ownership.cli.imported", person=restored.imported.person)
    _show(restored, as_json, said)


@commands.command(help=say("ownership.cli.help.note"))
def note(
    text: Annotated[str, typer.Argument(help=say("ownership.cli.help.note_text"))],
    when: DateOption,
    as_json: JsonFlag = False,
) -> None:
    """Keep a note for a day: something to remember or to tell the physiotherapist."""
    day = parse_date(when, "--date")

    def answer(rt: Runtime) -> NoteKept:
        from runrehab.services.journal.ownership import add_note

        uow = rt.db.unit_of_work()
        words = rt.content.words
        return add_note(uow, rt.clock, day, text, person_id=OPTIONS.person, words=words)

    kept = with_runtime(answer)
    _show(kept, as_json, say("ownership.cli.noted", day=kept.note.date.isoformat()))


@commands.command(help=say("lessons.cli.help.command"))
def read(
    lesson: Annotated[str, typer.Argument(metavar="LESSON", help=say("lessons.cli.help.lesson"))],
    when: Annotated[
        str | None,
        typer.Option("--date", metavar="YYYY-MM-DD", help=say("lessons.cli.help.date")),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Mark one of the week-1 lessons as read (again changes nothing)."""

    given = None if when is None else parse_date(when, "--date")

    def answer(rt: Runtime) -> LessonMarked:
        from runrehab.services.journal.lessons import mark_read

        day = rt.clock.now().astimezone().date() if given is None else given
        return mark_read(rt.db.unit_of_work(), rt.clock, rt.content, lesson, day, OPTIONS.person)

    marked = with_runtime(answer)
    _show(marked, as_json, _read_words(marked))


@commands.command(name="delete-me", help=say("ownership.cli.help.delete_me"))
def delete_me(
    yes: Annotated[bool, typer.Option("--yes", help=say("ownership.cli.help.delete_yes"))] = False,
    as_json: JsonFlag = False,
) -> None:
    """Delete the runner and every piece of their data from the database. Cannot be undone."""
    if not yes:
        if not sys.stdin.isatty():
            fail(say("ownership.cli.delete_needs_yes"))
        typer.confirm(say("ownership.cli.delete_for_good"), abort=True)

    def answer(rt: Runtime) -> Erased:
        from runrehab.services.journal.ownership import delete_person

        return delete_person(rt.db.unit_of_work(), OPTIONS.person)

    erased = with_runtime(answer)
    _show(erased, as_json, say("ownership.cli.deleted", person=erased.deleted))


# --- human-readable output -------------------------------------------------------------------


def _say(text: str) -> None:
    from rich.console import Console

    Console().print(text)


def _render_start(view: dict[str, Any]) -> None:
    from runrehab.cli.intake_render import triage

    triage(view)
    p = view["programme"]
    phase = p["phase"]
    _say("")
    _say(
        _words().say(
            "journal.cli.started",
            day=p["started"],
            number=phase["number"],
            name=phase["name"],
            status=p["status"],
        )
    )


def _render_checkin(view: CheckinView) -> None:
    from runrehab.cli import journal_render

    journal_render.checkin(view)


def _show_view(view: T, as_json: bool, render: Callable[[T], None]) -> None:
    """A view: ``jsonable(view)`` with ``--json`` (the API's document), else ``render``ed."""
    from runrehab.services.views import jsonable

    if as_json:
        emit(jsonable(view), True, None)
    else:
        render(view)


def _words() -> Words:
    """The shipped words, read only when a command speaks (``--help`` stays fast)."""
    from runrehab.content.words import shipped_words

    return shipped_words()


def _show(view: object, as_json: bool, said: str) -> None:
    """A view of the runner's records: its JSON document with ``--json``, else ``said``."""
    emit(view, as_json, lambda _: _say(said))


def _read_words(marked: LessonMarked) -> str:
    values = {
        "title": marked.lesson.title,
        "day": marked.date.isoformat(),
        "education": marked.education.text,
    }
    if marked.already_read:
        return say("lessons.cli.already_read", **values)
    return say("lessons.cli.read", **values)


def _render_today(view: DayView) -> None:
    from runrehab.cli import journal_render

    journal_render.today(view)


def _render_history(view: HistoryView) -> None:
    from runrehab.cli import journal_render

    journal_render.history(view)
