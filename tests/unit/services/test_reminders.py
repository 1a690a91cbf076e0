"""Reminders: who is due (their own local time reached, not sent on their day yet; the
run-day reminder only on days the planner gives a run), sent by e-mail through a real SMTP
server on 127.0.0.1 (aiosmtpd) and by push through a fake pusher, never twice a day."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from runrehab.adapters.db.database import Database, open_database
from runrehab.adapters.documents import read_assessment, read_checkin
from runrehab.adapters.mail import SmtpMailer, SmtpSettings
from runrehab.services.accounts.account import Account
from runrehab.services.content import ProgrammeContent, shipped_content
from runrehab.services.journal.programme import record_checkin, start_programme
from runrehab.services.reminders.ports import ReminderSettings
from runrehab.services.reminders.sending import (
    CHECKIN,
    RUN_DAY,
    due_reminders,
    send_due_reminders,
)
from runrehab.services.reminders.settings import ReminderRefused, choose_reminders
from tests.conftest import typical_doc
from tests.fakes import FixedClock
from tests.servers import free_port

START = date(2026, 12, 1)
ZONE = "America/New_York"  # UTC-5 in December
RUNNING = {"running.pain_during_run": 2, "running.pain_rises_during_run": False}


class Inbox:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, SmtpMailer]]:
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, SmtpMailer(SmtpSettings("127.0.0.1", port, starttls=False, sender="r@x.org"))
    finally:
        controller.stop()


class FakePusher:
    """Keeps what it was asked to push; a subscription in ``gone`` is answered as gone."""

    def __init__(self) -> None:
        self.pushed: list[tuple[str, str, str, str]] = []
        self.gone: set[str] = set()

    def send(self, subscription: str, title: str, body: str, url: str) -> bool:
        if subscription in self.gone:
            return False
        self.pushed.append((subscription, title, body, url))
        return True


@pytest.fixture(params=["sqlite", "postgres"])
def db(request: pytest.FixtureRequest) -> Iterator[Database]:
    url: str = request.getfixturevalue(f"migrated_{request.param}_url")
    with open_database(url) as database:
        yield database


@pytest.fixture
def content() -> ProgrammeContent:
    return shipped_content()


def runner(db: Database, content: ProgrammeContent, clock: FixedClock, pid: str = "ana") -> None:
    """A runner in New York whose programme (with runs) began on 1 Dec."""
    document = typical_doc(**RUNNING)
    start_programme(
        db.unit_of_work(), clock, content, document, read_assessment(document), START, pid
    )
    with db.unit_of_work() as uow:
        at = clock.now()
        uow.accounts.add_account(Account(f"a-{pid}", f"{pid}@example.com", pid, "h", ZONE, at, at))
        uow.commit()


def choose(
    db: Database, clock: FixedClock, content: ProgrammeContent, pid: str = "ana", **chosen: Any
) -> None:
    choose_reminders(
        db.unit_of_work(),
        clock,
        content.words,
        pid,
        chosen.get("checkin_at", ""),
        chosen.get("run_day_at", ""),
        chosen.get("channels", ["email"]),
    )


def at_new_york(day: date, hour: int, minute: int = 0) -> datetime:
    """``hour:minute`` in New York on ``day``, as a UTC instant (New York is UTC-5 then)."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) + timedelta(hours=5)


def test_the_check_in_email_comes_at_the_local_time_and_not_twice(
    db: Database, content: ProgrammeContent, inbox: tuple[Inbox, SmtpMailer]
) -> None:
    mails, mailer = inbox
    clock = FixedClock(at_new_york(START, 7))
    runner(db, content, clock)
    choose(db, clock, content, checkin_at="19:30")

    def send() -> list[Any]:
        return send_due_reminders(db.unit_of_work, content, clock, mailer, None)

    clock.current = at_new_york(START, 19, 29)  # 00:29 UTC the next day: not yet, in New York
    assert send() == [] and mails.messages == []
    clock.current = at_new_york(START, 19, 30)
    sent = send()
    assert [(s.reminder.kind, s.reminder.day, s.emails) for s in sent] == [(CHECKIN, START, 1)]
    assert len(mails.messages) == 1
    mail = mails.messages[0]
    assert mail["To"] == "ana@example.com" and "check-in" in mail["Subject"]
    assert "check in" in mail.get_payload()
    for minutes in (1, 60, 200):  # later the same New York day: never twice
        clock.current = at_new_york(START, 19, 30) + timedelta(minutes=minutes)
        assert send() == []
    assert len(mails.messages) == 1
    clock.current = at_new_york(START + timedelta(days=1), 19, 45)  # the next day: again
    assert len(send()) == 1 and len(mails.messages) == 2


def test_no_check_in_reminder_once_the_day_is_checked_in(
    db: Database, content: ProgrammeContent
) -> None:
    clock = FixedClock(at_new_york(START, 8))
    runner(db, content, clock)
    choose(db, clock, content, checkin_at="07:00")
    assert [d.kind for d in due_reminders(db.unit_of_work(), content, clock.now())] == [CHECKIN]
    doc = {"date": START.isoformat(), "pain": {"now": 1, "at_rest": 0, "worst_24h": 1}}
    record_checkin(db.unit_of_work(), clock, content, doc, read_checkin(doc), "ana")
    assert due_reminders(db.unit_of_work(), content, clock.now()) == []


def test_the_run_day_reminder_comes_only_on_run_days(
    db: Database, content: ProgrammeContent
) -> None:
    clock = FixedClock(at_new_york(START, 6))
    runner(db, content, clock)
    choose(db, clock, content, run_day_at="06:00", channels=["push"])
    with db.unit_of_work() as uow:
        uow.reminders.add_subscription(
            "ana", "https://push.example/1", '{"endpoint":"1"}', clock.now()
        )
        uow.commit()
    pusher = FakePusher()
    # 1 Dec: the plan has a run
    sent = send_due_reminders(db.unit_of_work, content, clock, None, pusher)
    assert [(s.reminder.kind, s.pushes) for s in sent] == [(RUN_DAY, 1)]
    assert pusher.pushed == [
        ('{"endpoint":"1"}', "Today is a run day", pusher.pushed[0][2], "/today")
    ]
    doc = {
        "date": START.isoformat(),
        "pain": {"now": 1, "at_rest": 0, "worst_24h": 1},
        "run": {"minutes": 20, "max_pain": 1},
    }
    record_checkin(db.unit_of_work(), clock, content, doc, read_checkin(doc), "ana")
    # 2 Dec, after the run: a rest day, no reminder
    clock.current = at_new_york(START + timedelta(days=1), 9)
    assert send_due_reminders(db.unit_of_work, content, clock, None, pusher) == []
    # 3 Dec: a run again
    clock.current = at_new_york(START + timedelta(days=2), 6, 5)
    assert [
        s.reminder.day for s in send_due_reminders(db.unit_of_work, content, clock, None, pusher)
    ] == [START + timedelta(days=2)]
    assert len(pusher.pushed) == 2


def test_a_gone_subscription_is_forgotten_and_an_unsent_reminder_is_tried_again(
    db: Database, content: ProgrammeContent
) -> None:
    clock = FixedClock(at_new_york(START, 21))
    runner(db, content, clock)
    choose(db, clock, content, checkin_at="20:00", channels=["push"])
    with db.unit_of_work() as uow:
        uow.reminders.add_subscription(
            "ana", "https://push.example/1", '{"endpoint":"https://push.example/1"}', clock.now()
        )
        uow.commit()
    pusher = FakePusher()
    pusher.gone.add('{"endpoint":"https://push.example/1"}')
    assert send_due_reminders(db.unit_of_work, content, clock, None, pusher) == []
    with db.unit_of_work() as uow:
        assert uow.reminders.subscriptions("ana") == []
        assert not uow.reminders.was_sent("ana", CHECKIN, START)  # to be tried again


def test_bad_choices_are_refused_whole_naming_the_field(
    db: Database, content: ProgrammeContent
) -> None:
    clock = FixedClock()
    runner(db, content, clock)
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"checkin_at": "25:00"}, "checkin_at", "not a time of day"),
        ({"run_day_at": "7pm"}, "run_day_at", "not a time of day"),
        ({"checkin_at": "07:00", "channels": ["sms"]}, "channel", "not a way to remind you"),
        ({"checkin_at": "07:00", "channels": []}, "channel", "Choose how"),
    ]
    for chosen, field, words in cases:
        with pytest.raises(ReminderRefused, match=words) as refused:
            choose(db, clock, content, **chosen)
        assert refused.value.field == field
    with db.unit_of_work() as uow:
        assert uow.reminders.settings("ana") is None  # nothing half-saved
    choose(db, clock, content, checkin_at="7:05", channels=["email", "push"])
    with db.unit_of_work() as uow:
        assert uow.reminders.settings("ana") == ReminderSettings(
            "ana", time(7, 5), None, True, True
        )


def test_the_sender_started_at_start_up_mails_through_the_configured_server(
    sqlite_url: str, content: ProgrammeContent, inbox: tuple[Inbox, SmtpMailer]
) -> None:
    import time as clock_time

    from runrehab import bootstrap

    mails, mailer = inbox
    settings = bootstrap.environment(
        {
            "RUNREHAB_SMTP_HOST": "127.0.0.1",
            "RUNREHAB_SMTP_PORT": str(mailer.settings.port),
            "RUNREHAB_SMTP_STARTTLS": "0",
            "RUNREHAB_SMTP_FROM": "coach@example.org",
        }
    )
    assert settings.smtp is not None and settings.reminders is None  # on, as e-mail is set up
    clock = FixedClock(at_new_york(START, 20))
    built = bootstrap.runtime(sqlite_url, clock=clock, settings=settings)
    try:
        runner(built.db, content, clock)
        choose(built.db, clock, content, checkin_at="19:00")
        stop = bootstrap.start_reminders(built, every=0.05)
        try:
            waited = 0.0
            while not mails.messages and waited < 10:
                clock_time.sleep(0.05)
                waited += 0.05
            clock_time.sleep(0.3)  # a few more passes: still one e-mail
        finally:
            stop()
        assert len(mails.messages) == 1 and mails.messages[0]["From"] == "coach@example.org"
        with built.db.unit_of_work() as uow:
            assert uow.reminders.push_keys() is not None  # made at first start
    finally:
        built.dispose()


def test_no_sender_without_e_mail_unless_asked() -> None:
    from runrehab import bootstrap

    assert bootstrap.environment({}).smtp is None
    assert bootstrap.environment({"RUNREHAB_REMINDERS": "1"}).reminders is True
    assert bootstrap.environment({"RUNREHAB_REMINDERS": "off"}).reminders is False
