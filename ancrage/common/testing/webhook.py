"""A real HTTP receiver on loopback for webhook tests (Teams Workflows and the like).

Registered as a pytest plugin in the root conftest.py. The `webhook_receiver` fixture
starts a tiny threaded HTTP server on 127.0.0.1 that records every POST (path, headers,
JSON body) and answers 202 like a Teams Workflows trigger; it can be told to fail the next
requests with a status (e.g. 500 or 429) to exercise retries. It also lets notify accept
its plain-http loopback URL (`NOTIFY_ALLOW_LOOPBACK_WEBHOOKS`).

    url = webhook_receiver.url("/workflows/abc")
    ...
    [request] = webhook_receiver.wait_for(count=1)
    assert request.json["attachments"][0]["contentType"] == "application/vnd.microsoft.card.adaptive"
"""

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

HOST = "127.0.0.1"


@dataclass(frozen=True)
class ReceivedRequest:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


@dataclass
class WebhookReceiver:
    requests: list[ReceivedRequest] = field(default_factory=list)
    failures: list[int] = field(default_factory=list)  # statuses to answer next, in order
    attempts: int = 0
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None
    _condition: threading.Condition = field(default_factory=threading.Condition)

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                with receiver._condition:
                    receiver.attempts += 1
                    status = receiver.failures.pop(0) if receiver.failures else 202
                    if status < 300:
                        receiver.requests.append(
                            ReceivedRequest(self.path, dict(self.headers.items()), body)
                        )
                    receiver._condition.notify_all()
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return

        self._server = ThreadingHTTPServer((HOST, 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def port(self) -> int:
        assert self._server is not None
        port: int = self._server.server_address[1]
        return port

    def url(self, path: str = "/workflows/test") -> str:
        return f"http://{HOST}:{self.port}{path}"

    def fail_next(self, *statuses: int) -> None:
        with self._condition:
            self.failures.extend(statuses)

    def wait_for(self, *, count: int, timeout: float = 5.0) -> list[ReceivedRequest]:
        """The accepted requests once there are at least `count` of them (waits up to timeout)."""
        deadline = time.monotonic() + timeout
        with self._condition:
            while len(self.requests) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(
                        f"Expected {count} webhook requests, received {len(self.requests)}"
                    )
                self._condition.wait(remaining)
            return list(self.requests)


@pytest.fixture
def webhook_receiver(settings: Any) -> Iterator[WebhookReceiver]:
    settings.NOTIFY_ALLOW_LOOPBACK_WEBHOOKS = True
    receiver = WebhookReceiver()
    receiver.start()
    try:
        yield receiver
    finally:
        receiver.stop()
