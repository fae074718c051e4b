"""A real SMTP server on loopback (aiosmtpd) that keeps every message it receives.

Tests point Django's `default` mailer at it (the `smtp_server` fixture in the root
conftest.py), so mail goes through Django's SMTP backend, a TCP connection and an SMTP
dialogue exactly as in production, and tests read what really arrived:

    message = smtp_server.wait_for(to="lea@example.org")
    assert "Ancrage" in message["Subject"]
    body = smtp_server.text_body(message)

The server runs in its own thread (aiosmtpd's Controller), so it also serves a live server
and a browser test in another thread.
"""

import logging
import socket
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import getaddresses
from types import TracebackType
from typing import Any, Self

from aiosmtpd.controller import Controller

# aiosmtpd logs every connection from its own thread, which can outlive pytest's captured
# streams and print 'I/O operation on closed file' noise; its warnings still show.
logging.getLogger("mail.log").setLevel(logging.WARNING)

HOST = "127.0.0.1"


@dataclass(frozen=True)
class ReceivedMessage:
    """One SMTP transaction: the envelope as the server saw it and the parsed message."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage


class _Handler:
    def __init__(self, server: "SmtpServer") -> None:
        self.server = server

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
        parsed = message_from_bytes(raw, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.server._deliver(
            ReceivedMessage(
                mail_from=envelope.mail_from,
                rcpt_tos=tuple(address.lower() for address in envelope.rcpt_tos),
                message=parsed,
            )
        )
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class SmtpServer:
    """Start with `start()` or as a context manager; `messages` fills as mail arrives."""

    host: str = HOST
    port: int = 0
    received: list[ReceivedMessage] = field(default_factory=list)
    _controller: Controller | None = None
    _condition: threading.Condition = field(default_factory=threading.Condition)

    @property
    def messages(self) -> list[EmailMessage]:
        with self._condition:
            return [item.message for item in self.received]

    def start(self) -> None:
        last_error: Exception | None = None
        for _attempt in range(5):  # the free port may be taken between probe and bind
            port = _free_port()
            controller = Controller(_Handler(self), hostname=self.host, port=port)
            try:
                controller.start()
            except (OSError, RuntimeError) as exc:
                last_error = exc
                continue
            self._controller, self.port = controller, port
            return
        raise RuntimeError(f"Could not start the test SMTP server: {last_error}")

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def clear(self) -> None:
        with self._condition:
            self.received.clear()

    def _deliver(self, item: ReceivedMessage) -> None:
        with self._condition:
            self.received.append(item)
            self._condition.notify_all()

    def messages_to(self, address: str) -> list[EmailMessage]:
        """Messages whose envelope or To/Cc headers name this address."""
        address = address.lower()
        with self._condition:
            return [item.message for item in self.received if _is_for(item, address)]

    def wait_for(
        self, *, to: str, timeout: float = 5.0, subject_contains: str = ""
    ) -> EmailMessage:
        """The latest message for `to` (optionally with a subject part); waits up to timeout."""
        address = to.lower()
        deadline = time.monotonic() + timeout
        with self._condition:
            while True:
                for item in reversed(self.received):
                    if _is_for(item, address) and subject_contains in str(
                        item.message.get("Subject", "")
                    ):
                        return item.message
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [
                        f"{', '.join(i.rcpt_tos)}: {i.message.get('Subject', '')}"
                        for i in self.received
                    ]
                    raise TimeoutError(
                        f"No message to {to!r} within {timeout}s; received: {seen or 'nothing'}"
                    )
                self._condition.wait(remaining)

    @staticmethod
    def text_body(message: EmailMessage) -> str:
        part = message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""

    @staticmethod
    def html_body(message: EmailMessage) -> str:
        part = message.get_body(preferencelist=("html",))
        return part.get_content() if part is not None else ""


def _is_for(item: ReceivedMessage, address: str) -> bool:
    if address in item.rcpt_tos:
        return True
    headers = item.message.get_all("To", []) + item.message.get_all("Cc", [])
    return address in {addr.lower() for _name, addr in getaddresses([str(h) for h in headers])}


def mailers_setting(server: SmtpServer) -> dict[str, Any]:
    """The MAILERS value that sends Django's mail to this server."""
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": server.host, "port": server.port, "timeout": 5},
        }
    }
