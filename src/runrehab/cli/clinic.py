"""``runrehab clinic create``: a clinic and its admin on a fresh install. The admin then
invites clinicians and runners from the web (``/clinic``)."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from runrehab.cli.app import JsonFlag, emit, fail, say, with_runtime

if TYPE_CHECKING:
    from runrehab.bootstrap import Runtime
    from runrehab.services.clinic.membership import ClinicCreated

ACCOUNT_OPTIONS = {
    "email": "--admin-email",
    "password": "--password-file",
    "name": "--admin-name",
    "timezone": "--timezone",
}
"""The option that gave each field of the admin's account, to name it in a refusal."""

commands = typer.Typer(help=say("clinic_cli.help"), no_args_is_help=True)
"""Added to the main app as the ``clinic`` group (``runrehab clinic create``)."""


@commands.command(help=say("clinic_cli.create.help"))
def create(
    name: Annotated[str, typer.Option("--name", help=say("clinic_cli.create.name"))],
    admin_email: Annotated[str, typer.Option("--admin-email", help=say("clinic_cli.create.email"))],
    password_file: Annotated[
        Path | None, typer.Option("--password-file", help=say("clinic_cli.create.password_file"))
    ] = None,
    admin_name: Annotated[
        str, typer.Option("--admin-name", help=say("clinic_cli.create.admin_name"))
    ] = "",
    timezone: Annotated[
        str, typer.Option("--timezone", help=say("clinic_cli.create.timezone"))
    ] = "UTC",
    as_json: JsonFlag = False,
) -> None:
    password = _password(password_file)

    def answer(rt: Runtime) -> ClinicCreated:
        from runrehab.services.accounts.account import AccountError, AccountTools
        from runrehab.services.clinic.access import ClinicError
        from runrehab.services.clinic.membership import create_clinic

        tools = AccountTools(rt.clock, rt.passwords, rt.content.words)
        try:
            return create_clinic(
                rt.db.unit_of_work(), tools, name, admin_email, password, admin_name, timezone
            )
        except AccountError as err:
            fail(f"{ACCOUNT_OPTIONS.get(err.field or '', '--admin-email')}: {err}", 2)
        except ClinicError as err:
            fail(f"--name: {err}", 2)

    emit(with_runtime(answer), as_json, _render)


def _password(path: Path | None) -> str:
    if path is not None:
        try:
            return path.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as err:
            fail(say("clinic_cli.create.password_unreadable", path=str(path), why=err), 2)
    if not sys.stdin.isatty():
        fail(say("clinic_cli.create.password_needed"), 2)
    first = getpass.getpass(say("clinic_cli.create.prompt"))
    if getpass.getpass(say("clinic_cli.create.again")) != first:
        fail(say("clinic_cli.create.mismatch"), 2)
    return first


def _render(view: ClinicCreated) -> None:
    sys.stdout.write(say("clinic_cli.create.done", name=view.name, email=view.admin_email) + "\n")
