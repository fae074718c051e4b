"""A fake Microsoft Graph + Entra token endpoint on loopback, recording every request.

Speaks just enough of the Viva Learning provider API: PATCH learningContents(externalId=…)
answers 200 with an id (stable per externalId), POST learningCourseActivities 201 with a new
id, PATCH learningCourseActivities/{id} 204. Every call must carry the bearer token it gave.
"""

import json
import re
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote

TOKEN = "fake-graph-token"
CONTENT = re.compile(
    r"^/v1\.0/employeeExperience/learningProviders/(?P<provider>[^/]+)/"
    r"learningContents\(externalId='(?P<external>[^']*)'\)$"
)
ACTIVITIES = re.compile(
    r"^/v1\.0/employeeExperience/learningProviders/(?P<provider>[^/]+)/learningCourseActivities"
    r"(/(?P<id>[^/]+))?$"
)


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class FakeGraph:
    requests: list[Recorded] = field(default_factory=list)
    fail_with: int = 0
    server: ThreadingHTTPServer | None = None

    @property
    def base(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def calls(self, method: str, fragment: str = "") -> list[Recorded]:
        return [r for r in self.requests if r.method == method and fragment in r.path]

    def start(self) -> None:
        graph = self

        class Handler(BaseHTTPRequestHandler):
            def _reply(self, status: int, body: Any = None) -> None:
                data = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                if data:
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8")
                path = unquote(self.path)
                if path.startswith("/token/"):
                    form = parse_qs(raw)
                    graph.requests.append(Recorded(self.command, path, dict(self.headers), form))
                    if form.get("grant_type") != ["client_credentials"]:
                        return self._reply(400, {"error": "unsupported_grant_type"})
                    return self._reply(200, {"access_token": TOKEN, "expires_in": 3599})
                body = json.loads(raw) if raw else None
                graph.requests.append(Recorded(self.command, path, dict(self.headers), body))
                if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                    return self._reply(401, {"error": {"code": "InvalidAuthenticationToken"}})
                if graph.fail_with:
                    return self._reply(graph.fail_with, {"error": {"code": "serviceUnavailable"}})
                if self.command == "PATCH" and (match := CONTENT.match(path)):
                    external = match["external"]
                    if body.get("externalId") != external:
                        return self._reply(400, {"error": {"code": "externalIdMismatch"}})
                    content_id = str(uuid.uuid5(uuid.NAMESPACE_URL, external))
                    return self._reply(200, {"id": content_id, **body})
                if (match := ACTIVITIES.match(path)) is not None:
                    if self.command == "POST" and match["id"] is None:
                        return self._reply(201, {"id": str(uuid.uuid4()), **body})
                    if self.command == "PATCH" and match["id"]:
                        return self._reply(204)
                return self._reply(404, {"error": {"code": "notFound", "path": path}})

            do_GET = do_POST = do_PATCH = _handle  # noqa: N815 — http.server's names

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
