"""Sending the sign-in pages' e-mails through the SMTP server named in settings. Without one a
mail cannot go out: its links are credentials (they set a password), so they are never logged
in its place; the caller decides whether that fails the request."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

from idplane.platform.db import outside_write


class MailNotConfigured(OSError):
    """No SMTP server is set, so no mail can be sent."""


@dataclass(frozen=True)
class Mailer:
    host: str | None
    port: int = 25
    sender: str = "idplane@localhost"

    def send(self, to: str, subject: str, text: str) -> None:
        if not self.host:
            raise MailNotConfigured("no SMTP server is configured (IDPLANE_SMTP_HOST)")
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, to, subject
        message.set_content(text)
        # What the request wrote commits first: the link works when it arrives, and the
        # store's write lock is not held while the SMTP server answers.
        host = self.host
        outside_write(lambda: self._deliver(host, message))

    def _deliver(self, host: str, message: EmailMessage) -> None:
        with smtplib.SMTP(host, self.port, timeout=10) as smtp:
            smtp.send_message(message)
