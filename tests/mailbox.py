"""A real SMTP server for the tests (aiosmtpd on a free local port) that keeps what it
receives, so tests read the e-mails idplane sends."""

from __future__ import annotations

import email
import socket
import time
from email.message import Message

from aiosmtpd.controller import Controller


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"

    def to(self, address: str, timeout: float = 10) -> Message:
        """The latest message to that address, waiting for it to arrive."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in reversed(self.messages):
                if message["To"] == address:
                    return message
            time.sleep(0.1)
        raise AssertionError(f"no e-mail to {address}")


def start_mailbox() -> tuple[Controller, Mailbox, int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, mailbox, port
