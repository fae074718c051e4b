"""The demo credential works; forwarding copies committed statements to a client's LRS."""

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.test import Client

from ancrage.demo.lrs import DEMO_LRS_KEY, DEMO_LRS_SECRET, load_lrs
from ancrage.lrs.forwarding import forward_due
from ancrage.lrs.models import ForwardingTarget, OutboxItem
from ancrage.lrs.queries import _FORWARDING
from ancrage.lrs.tests.conftest import make_xapi, statement
from ancrage.tenancy.models import Organisation

pytestmark = pytest.mark.django_db


def test_demo_credential_writes_to_verdane():
    Organisation.objects.create(slug="verdane", name="Verdane")
    load_lrs()
    load_lrs()  # idempotent
    token = base64.b64encode(f"{DEMO_LRS_KEY}:{DEMO_LRS_SECRET}".encode()).decode()
    response = Client().post(
        "/xapi/statements",
        json.dumps(statement()),
        content_type="application/json",
        headers={"Authorization": f"Basic {token}", "X-Experience-API-Version": "2.0.0"},
    )
    assert response.status_code == 200


class _Receiver(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self):  # noqa: N802
        self.received.append(self.rfile.read(int(self.headers["Content-Length"])))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"[]")

    def log_message(self, *args):
        pass


def test_forwarding_sends_after_commit_and_retries_failures(tenancy):
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        ForwardingTarget.objects.create(
            organisation=tenancy.org_a,
            endpoint="http://127.0.0.1:1/xapi",
            username="k",
            password="s",
        )
        _FORWARDING.clear()
        xapi = make_xapi(tenancy.org_a)
        assert xapi.post(statement()).status_code == 200  # target down: ingest still succeeds
        item = OutboxItem.objects.get()
        assert item.sent_at is None
        assert forward_due() == 0  # the client's LRS is down: retried later, with backoff
        item.refresh_from_db()
        assert item.attempts == 1
        assert item.next_attempt_at > item.created_at
        ForwardingTarget.objects.update(endpoint=f"http://127.0.0.1:{server.server_port}/xapi")
        OutboxItem.objects.update(next_attempt_at=item.created_at)
        assert forward_due() == 1
        assert OutboxItem.objects.get().sent_at is not None
        assert json.loads(_Receiver.received[-1])[0]["verb"]["id"].endswith("completed")
    finally:
        server.shutdown()
        _FORWARDING.clear()
