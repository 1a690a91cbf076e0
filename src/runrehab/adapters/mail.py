"""E-mail out, by SMTP (``smtplib``): the reminders' way to a runner's inbox. The server's
settings come from the environment, read by ``runrehab.bootstrap`` only."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

TIMEOUT_SECONDS = 30


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    host: str
    port: int = 587
    user: str = ""
    password: str = ""
    sender: str = ""
    starttls: bool = True


class SmtpMailer:
    """Sends one plain-text message per call, on a connection of its own."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings

    def send(self, to: str, subject: str, body: str) -> None:
        s = self.settings
        message = EmailMessage()
        message["From"] = s.sender or s.user or f"runrehab@{s.host}"
        message["To"] = to
        message["Subject"] = subject
        message.set_content(body)
        with smtplib.SMTP(s.host, s.port, timeout=TIMEOUT_SECONDS) as smtp:
            if s.starttls:
                smtp.starttls()
            if s.user:
                smtp.login(s.user, s.password)
            smtp.send_message(message)
