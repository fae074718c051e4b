"""Exports fixtures: the whole demo catalogue imported and published, an intégrale licence
for organisation A, a tiny static web server for browser tests, and helpers."""

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from ancrage.catalog.packs.importer import import_pack
from ancrage.demo.catalogue import DEMO_PACK
from ancrage.licensing.actions import create_licence
from ancrage.licensing.models import Licence, Offer, OfferKind
from ancrage.tenancy.models import Organisation

ROOT = Path(__file__).resolve().parents[3]
SCORM_AGAIN = ROOT / "node_modules" / "scorm-again" / "dist" / "scorm-again.js"


def license_organisation(organisation: Organisation, *, days: int = 365) -> Licence:
    offer, _ = Offer.objects.get_or_create(
        code="integrale", defaults={"name": "Intégrale", "kind": OfferKind.INTEGRALE}
    )
    today = timezone.localdate()
    return create_licence(
        by=None,
        organisation=organisation,
        offer=offer,
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=days),
        seats=20,
        activate=True,
    )


@pytest.fixture
def catalogue(db: None, tmp_path: Path, settings: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    import_pack(DEMO_PACK, publish=True)


@pytest.fixture
def licensed(tenancy: Any, catalogue: None) -> Licence:
    return license_organisation(tenancy.org_a)


@dataclass
class StaticServer:
    """Serves `root` on loopback; POST /commit records JSON bodies (the LMS commit URL)."""

    root: Path
    url: str = ""
    commits: list[Any] = field(default_factory=list)


@pytest.fixture
def static_server(tmp_path: Path) -> Iterator[StaticServer]:
    root = tmp_path / "site"
    root.mkdir()
    server = StaticServer(root=root)

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(root), **kwargs)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            try:
                server.commits.append(json.loads(body or b"null"))
            except ValueError:
                server.commits.append(body.decode(errors="replace"))
            answer = json.dumps({"result": "true", "errorCode": 0}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield server
    httpd.shutdown()
    httpd.server_close()
