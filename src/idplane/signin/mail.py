"""Sending the sign-in pages' e-mails through the SMTP server named in settings; without one
the message (and so its link) is logged for the operator to pass on."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

from idplane.platform.db import outside_write

log = logging.getLogger("idplane.mail")


@dataclass(frozen=True)
class Mailer:
    host: str | None
    port: int = 25
    sender: str = "idplane@localhost"

    def send(self, to: str, subject: str, text: str) -> None:
        if not self.host:
            # Logged as it is: building the MIME message first (header parsing) cost more than
            # the rest of an EMAIL-mode create_user.
            log.warning("no SMTP server configured; e-mail to %s not sent:\n%s", to, text)
            return
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
