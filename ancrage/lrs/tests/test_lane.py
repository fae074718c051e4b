"""The xAPI lane (lrs/lane.py) answers what the full middleware stack answers: same status,
headers and body, for successes, refusals and errors; other paths take the full stack."""

import base64
import io
import re
import sys
from collections.abc import Callable
from typing import Any

import orjson
import pytest
from django.core import signals
from django.db import close_old_connections

from ancrage.lrs.lane import PAGE_ONLY, lane_middleware
from ancrage.lrs.tests.conftest import Xapi, new_id, statement

pytestmark = pytest.mark.django_db

# Differ between two requests whatever answers them.
_MOMENT = {"date", "x-experience-api-consistent-through"}
_NONCE = re.compile(r"'nonce-[^']+'")
_CSRF = re.compile(rb'(csrftoken=|name="csrfmiddlewaretoken" value=")[A-Za-z0-9]+')


def _apps() -> tuple[Callable[..., Any], Callable[..., Any]]:
    from config.wsgi import application, django_application

    return application, django_application


def _call(
    app: Callable[..., Any],
    method: str,
    path: str,
    body: bytes = b"",
    query: str = "",
    **headers: str,
) -> tuple[str, dict[str, str], bytes]:
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": "application/json" if body else "",
        **{"HTTP_" + name.upper(): value for name, value in headers.items()},
    }
    answer: dict[str, Any] = {}

    def start_response(status: str, response_headers: list[tuple[str, str]], *_: Any) -> None:
        answer["status"] = status
        answer["headers"] = {
            k.lower(): _CSRF.sub(rb"\1-", _NONCE.sub("'nonce'", v).encode()).decode()
            for k, v in response_headers
        }

    # What Django's test client does: the test's connection must outlive the request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        content = b"".join(app(environ, start_response))
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    headers_out = {k: v for k, v in answer["headers"].items() if k not in _MOMENT}
    # A page (the 404 for an unknown xAPI path) carries a fresh CSRF token and CSP nonce.
    content = _CSRF.sub(rb"\1-", re.sub(rb"nonce(-|=\")[^\"']+", rb"nonce", content))
    return answer["status"], headers_out, content


def _without_vary_cookie(answer: tuple[str, dict[str, str], bytes]) -> Any:
    """The full stack reads the session (for the membership) and so varies on Cookie; the
    lane reads no cookie (but for a page, the 404), and an xAPI answer never depends on one."""
    status, headers, content = answer
    vary = [v for v in headers.get("vary", "").split(", ") if v and v != "Cookie"]
    headers = {k: v for k, v in headers.items() if k != "vary"}
    return status, headers | ({"vary": ", ".join(vary)} if vary else {}), content


def _auth(xapi: Xapi, secret: str | None = None) -> str:
    token = f"{xapi.credential.key}:{secret or xapi.secret}".encode()
    return "Basic " + base64.b64encode(token).decode()


def _same(xapi: Xapi, method: str, path: str, make_body: Callable[[], bytes], **kw: Any) -> str:
    lane, full = _apps()
    via_lane = _call(lane, method, path, make_body(), **kw)
    via_full = _call(full, method, path, make_body(), **kw)
    assert _without_vary_cookie(via_lane) == _without_vary_cookie(via_full)
    return via_lane[0]


def test_the_lane_answers_what_the_full_stack_answers(xapi: Xapi) -> None:
    version = {"x_experience_api_version": "2.0.0"}
    auth = {"authorization": _auth(xapi)} | version
    sid = new_id()

    def body() -> bytes:  # the second POST of the same statement is a no-op: also 200
        return orjson.dumps(statement(id=sid))

    assert _same(xapi, "POST", "/xapi/statements", body, **auth).startswith("200")
    by_id = f"statementId={sid}"
    assert _same(xapi, "GET", "/xapi/statements", bytes, query=by_id, **auth).startswith("200")
    assert _same(xapi, "GET", "/xapi/statements", bytes, query="limit=5", **auth).startswith("200")
    assert _same(xapi, "GET", "/xapi/about", bytes).startswith("200")
    assert _same(xapi, "GET", "/xapi/statements", bytes, **version).startswith("401")
    wrong = {"authorization": _auth(xapi, "wrong")} | version
    assert _same(xapi, "GET", "/xapi/statements", bytes, **wrong).startswith("401")
    assert _same(xapi, "GET", "/xapi/statements", bytes, authorization=_auth(xapi)).startswith(
        "400"
    )
    assert _same(xapi, "POST", "/xapi/statements", lambda: b"{", **auth).startswith("400")
    assert _same(xapi, "DELETE", "/xapi/statements", bytes, **auth).startswith("405")
    assert _same(xapi, "GET", "/xapi/nowhere", bytes, **auth).startswith("404")
    assert _same(xapi, "GET", "/xapi/statements", bytes, **auth, host="evil.example").startswith(
        "400"
    )


def test_a_refused_client_gets_the_same_429_in_french(xapi: Xapi) -> None:
    wrong = {"authorization": _auth(xapi, "wrong"), "x_experience_api_version": "2.0.0"}
    lane, full = _apps()
    for _ in range(30):
        _call(lane, "GET", "/xapi/statements", **wrong)
    via_lane = _call(lane, "GET", "/xapi/statements", **wrong)
    via_full = _call(full, "GET", "/xapi/statements", **wrong)
    assert via_lane == _without_vary_cookie(via_full)  # the lane never varies on Cookie
    assert via_lane[0].startswith("429")
    assert "Trop de tentatives" in via_lane[2].decode()


def test_only_xapi_paths_take_the_lane_and_only_page_middleware_is_left_out() -> None:
    from django.conf import settings

    lane, _ = _apps()
    assert _call(lane, "GET", "/xapix/statements")[0].startswith("404")
    assert set(settings.MIDDLEWARE) - set(lane_middleware()) == PAGE_ONLY & set(settings.MIDDLEWARE)
    assert "ancrage.common.ratelimit.RateLimitMiddleware" in lane_middleware()
    assert "django.middleware.security.SecurityMiddleware" in lane_middleware()
